// End-to-end: every advertised capability has a handler, and every feature request at every position of
// DMS's default files (and at random positions, past line and document ends, of broken files) is answered
// without an error, with results that are valid LSP for the text the server holds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BROKEN_JAIL, DMS_DEFAULT_JAIL, DMS_DEFAULT_SERVER, NON_ASCII_JAIL } from './fixtures';
import {
  assertAllPositionsInside,
  assertPositionInside,
  assertRangeInside,
  launch,
  linesOf,
  MINIMAL,
  type LspDiagnostic,
  type Position,
  type Profile,
  type Range,
  type Session,
} from './harness';
import { ensureBuilt } from './lspClient';
import { seededRandom } from '../../support/random';
import { applyEdits } from '../../support/textEdits';

const PULL_CLIENT: Profile = {
  name: 'pull',
  initialize: {
    processId: null,
    rootUri: null,
    clientInfo: { name: 'Visual Studio Code' },
    capabilities: {
      workspace: { configuration: true },
      textDocument: {
        diagnostic: {},
        completion: { completionItem: { snippetSupport: true } },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        publishDiagnostics: { dataSupport: true },
      },
    },
  },
  configuration: () => ({}),
};

interface Doc {
  uri: string;
  text: string;
}
const DOCS: Doc[] = [
  { uri: 'file:///srv/dms/config/fail2ban-jail.cf', text: DMS_DEFAULT_JAIL },
  { uri: 'file:///srv/dms/config/fail2ban-fail2ban.cf', text: DMS_DEFAULT_SERVER },
  { uri: 'file:///srv/broken/fail2ban-jail.cf', text: BROKEN_JAIL },
  { uri: 'file:///srv/broken/fail2ban-fail2ban.cf', text: BROKEN_JAIL },
  { uri: 'file:///srv/unicode/fail2ban-jail.cf', text: NON_ASCII_JAIL },
];

/** Every position of every line, plus positions past each line's end and past the document's end. */
function everyPosition(lines: readonly string[]): Position[] {
  const positions: Position[] = [];
  for (let line = 0; line < lines.length + 2; line++) {
    const length = lines[line]?.length ?? 0;
    for (let character = 0; character <= length + 2; character++) positions.push({ line, character });
  }
  positions.push({ line: 0, character: 100000 }, { line: 100000, character: 0 }, { line: 2 ** 31 - 1, character: 2 ** 31 - 1 });
  return positions;
}

function randomRange(next: () => number, lines: readonly string[]): Range {
  const pick = (): Position => {
    const line = Math.floor(next() * (lines.length + 3));
    return { line, character: Math.floor(next() * ((lines[line]?.length ?? 0) + 4)) };
  };
  const [a, b] = [pick(), pick()];
  return a.line < b.line || (a.line === b.line && a.character <= b.character) ? { start: a, end: b } : { start: b, end: a };
}

/** Sends requests in batches (a client pipelines requests too). */
async function inBatches<T>(items: readonly T[], send: (item: T) => Promise<void>, size = 100): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(send));
}

type Item = { label: string; textEdit?: { range?: Range; insert?: Range; replace?: Range; newText: string }; additionalTextEdits?: { range: Range }[] };

function checkCompletion(result: Item[] | { items: Item[] } | null, position: Position, lines: readonly string[]): void {
  const items = result === null ? [] : Array.isArray(result) ? result : result.items;
  assert.ok(Array.isArray(items));
  assertAllPositionsInside(items, lines, `completion at ${JSON.stringify(position)}`);
  const inside = position.line < lines.length && position.character <= lines[position.line].length;
  for (const item of items) {
    assert.equal(typeof item.label, 'string');
    const range = item.textEdit?.range ?? item.textEdit?.replace;
    if (!range || !inside) continue;
    // LSP: a completion edit is on one line and contains the position completion was asked at
    assert.equal(range.start.line, range.end.line, `multi-line completion edit ${JSON.stringify(item)}`);
    assert.equal(range.start.line, position.line, `completion edit on another line ${JSON.stringify(item)} at ${JSON.stringify(position)}`);
    assert.ok(range.start.character <= position.character && position.character <= range.end.character, `completion edit ${JSON.stringify(range)} does not contain ${JSON.stringify(position)} (${item.label})`);
  }
}

interface Symbol {
  name: string;
  range: Range;
  selectionRange: Range;
  children?: Symbol[];
}

function contains(outer: Range, inner: Range): boolean {
  const le = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

function checkSymbols(symbols: Symbol[], lines: readonly string[], parent?: Symbol): void {
  for (const symbol of symbols) {
    assert.ok(symbol.name.length > 0, 'symbol names must not be empty');
    assertRangeInside(symbol.range, lines, `symbol ${symbol.name} range`);
    assertRangeInside(symbol.selectionRange, lines, `symbol ${symbol.name} selectionRange`);
    assert.ok(contains(symbol.range, symbol.selectionRange), `selectionRange outside range: ${JSON.stringify(symbol)}`);
    if (parent) assert.ok(contains(parent.range, symbol.range), `child ${symbol.name} outside ${parent.name}`);
    checkSymbols(symbol.children ?? [], lines, symbol);
  }
}

function checkEditsDisjoint(edits: { range: Range }[], what: string): void {
  const sorted = [...edits].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  for (let i = 1; i < sorted.length; i++) {
    const [prev, next] = [sorted[i - 1].range.end, sorted[i].range.start];
    assert.ok(prev.line < next.line || (prev.line === next.line && prev.character <= next.character), `${what}: overlapping edits`);
  }
}

describe('every request at every position', () => {
  let session: Session;
  before(async () => {
    ensureBuilt();
    session = await launch(PULL_CLIENT);
    for (const doc of DOCS) await session.open(doc.uri, doc.text);
  });
  after(async () => {
    assert.equal(await session.stop(), 0);
    assert.doesNotMatch(session.stderr(), /unhandled|uncaught|failed/i);
    assert.ok(!session.logs.some((l) => / failed: /.test(l)), session.logs.join('\n'));
  });

  it('advertises only capabilities it answers', async () => {
    const caps = session.initializeResult.capabilities;
    const uri = DOCS[0].uri;
    const at = { textDocument: { uri }, position: { line: 3, character: 2 } };
    const range = { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } };
    const requests: Record<string, [string, unknown]> = {
      completionProvider: ['textDocument/completion', at],
      hoverProvider: ['textDocument/hover', at],
      definitionProvider: ['textDocument/definition', at],
      codeActionProvider: ['textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } }],
      codeLensProvider: ['textDocument/codeLens', { textDocument: { uri } }],
      documentSymbolProvider: ['textDocument/documentSymbol', { textDocument: { uri } }],
      foldingRangeProvider: ['textDocument/foldingRange', { textDocument: { uri } }],
      documentFormattingProvider: ['textDocument/formatting', { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } }],
      documentRangeFormattingProvider: ['textDocument/rangeFormatting', { textDocument: { uri }, range, options: { tabSize: 4, insertSpaces: true } }],
      inlayHintProvider: ['textDocument/inlayHint', { textDocument: { uri }, range }],
      diagnosticProvider: ['textDocument/diagnostic', { textDocument: { uri } }],
    };
    const notRequests = new Set(['textDocumentSync', 'positionEncoding']);
    for (const [capability, value] of Object.entries(caps)) {
      if (notRequests.has(capability) || value === false || value === undefined) continue;
      const request = requests[capability];
      assert.ok(request, `capability ${capability} is advertised but this test does not know its request`);
      await session.request(request[0], request[1]); // rejects on an error response (e.g. MethodNotFound)
    }
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    const diagnosticProvider = caps.diagnosticProvider as { workspaceDiagnostics?: boolean };
    assert.equal(diagnosticProvider.workspaceDiagnostics, false, 'workspace/diagnostic is not implemented, so it must not be advertised');
  });

  for (const doc of DOCS) {
    const lines = linesOf(doc.text);
    it(`hover, completion and definition at every position of ${doc.uri}`, async () => {
      await inBatches(everyPosition(lines), async (position) => {
        const params = { textDocument: { uri: doc.uri }, position };
        const hover = await session.request<{ contents: unknown; range?: Range } | null>('textDocument/hover', params);
        if (hover) {
          assert.ok(hover.contents, 'hover without contents');
          if (hover.range) assertRangeInside(hover.range, lines, `hover at ${JSON.stringify(position)}`);
        }
        checkCompletion(await session.request('textDocument/completion', params), position, lines);
        const definition = await session.request<{ uri: string; range: Range }[] | null>('textDocument/definition', params);
        for (const location of definition ?? []) {
          assert.equal(location.uri, doc.uri);
          assertRangeInside(location.range, lines, 'definition');
        }
      });
    });

    it(`diagnostics, code actions, formatting, symbols, folding and inlay hints on ${doc.uri}`, async () => {
      const report = await session.request<{ kind: string; items: LspDiagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: doc.uri } });
      for (const d of report.items) assertRangeInside(d.range, lines, `diagnostic ${d.code}`);
      const next = seededRandom(doc.text.length);
      const ranges = [...report.items.map((d) => d.range), ...Array.from({ length: 150 }, () => randomRange(next, lines))];
      await inBatches(ranges, async (range) => {
        const actions = await session.request<{ title: string; edit?: { changes: Record<string, { range: Range; newText: string }[]> } }[]>('textDocument/codeAction', {
          textDocument: { uri: doc.uri },
          range,
          context: { diagnostics: report.items },
        });
        for (const action of actions) {
          assert.ok(action.title);
          for (const [uri, edits] of Object.entries(action.edit?.changes ?? {})) {
            assert.equal(uri, doc.uri);
            edits.forEach((e) => assertRangeInside(e.range, lines, `code action '${action.title}'`));
            checkEditsDisjoint(edits, action.title);
          }
        }
        const hints = await session.request<{ position: Position; label: unknown }[]>('textDocument/inlayHint', { textDocument: { uri: doc.uri }, range });
        for (const hint of hints ?? []) assertPositionInside(hint.position, lines, 'inlay hint');
        const rangeEdits = await session.request<{ range: Range; newText: string }[]>('textDocument/rangeFormatting', { textDocument: { uri: doc.uri }, range, options: { tabSize: 4, insertSpaces: true } });
        for (const edit of rangeEdits ?? []) {
          assertRangeInside(edit.range, lines, 'range formatting');
          assert.ok(edit.range.start.line >= range.start.line && edit.range.start.line <= range.end.line, 'range formatting edited outside the range');
        }
      });
      const edits = await session.request<{ range: Range; newText: string }[]>('textDocument/formatting', { textDocument: { uri: doc.uri }, options: { tabSize: 4, insertSpaces: true } });
      edits.forEach((e) => assertRangeInside(e.range, lines, 'formatting'));
      checkEditsDisjoint(edits, 'formatting');
      const formatted = applyEdits(doc.text, edits);
      assert.equal(formatted.replace(/[ \t]/g, ''), doc.text.replace(/[ \t]/g, ''), 'formatting changed more than spaces');
      checkSymbols(await session.request<Symbol[]>('textDocument/documentSymbol', { textDocument: { uri: doc.uri } }), lines);
      for (const fold of await session.request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', { textDocument: { uri: doc.uri } })) {
        assert.ok(fold.startLine >= 0 && fold.startLine < fold.endLine && fold.endLine < lines.length, `folding range ${JSON.stringify(fold)}`);
      }
    });
  }

  it('the DMS default files have no diagnostics', async () => {
    for (const doc of DOCS.slice(0, 2)) {
      const report = await session.request<{ items: LspDiagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: doc.uri } });
      assert.deepEqual(report.items, [], doc.uri);
    }
  });
});

describe('UTF-8 client at every position of a non-ASCII file', () => {
  it('answers with positions inside each line counted in bytes', async () => {
    ensureBuilt();
    const session = await launch({ ...MINIMAL, name: 'utf-8', initialize: { processId: null, rootUri: null, capabilities: { general: { positionEncodings: ['utf-8'] } } } });
    try {
      const uri = 'file:///srv/unicode/fail2ban-jail.cf';
      await session.open(uri, NON_ASCII_JAIL);
      // line lengths in UTF-8 bytes stand in for the lines
      const byteLines = linesOf(NON_ASCII_JAIL).map((l) => 'x'.repeat(Buffer.byteLength(l)));
      const published = await session.waitFor(() => session.latest(uri), 'diagnostics');
      for (const d of published.diagnostics) assertRangeInside(d.range, byteLines, `diagnostic ${d.code}`);
      // every code point boundary (a client never points inside a character), in bytes
      const lines = linesOf(NON_ASCII_JAIL);
      const boundaries = everyPosition(lines)
        .filter((p) => p.line >= lines.length || p.character > lines[p.line].length || !/[\udc00-\udfff]/.test(lines[p.line][p.character] ?? ''))
        .map((p) => {
          if (p.line >= lines.length) return p;
          const line = lines[p.line];
          const excess = Math.max(0, p.character - line.length);
          return { line: p.line, character: Buffer.byteLength(line.slice(0, p.character)) + excess };
        });
      await inBatches(boundaries, async (position) => {
        const params = { textDocument: { uri }, position };
        const hover = await session.request<{ range?: Range } | null>('textDocument/hover', params);
        if (hover?.range) assertRangeInside(hover.range, byteLines, 'hover');
        checkCompletion(await session.request('textDocument/completion', params), position, byteLines);
      });
      const symbols = await session.request<{ location: { range: Range } }[]>('textDocument/documentSymbol', { textDocument: { uri } });
      for (const s of symbols) assertRangeInside(s.location.range, byteLines, 'symbol');
    } finally {
      assert.equal(await session.stop(), 0);
    }
  });
});
