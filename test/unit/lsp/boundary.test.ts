// Unit tests of the LSP boundary helpers: position encodings (checked against Node's own UTF-8 and
// code point counting) and the client-capability adapters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SymbolKind } from 'vscode-languageserver-types';
import { adaptCompletionItems, adaptHover, clientProfile, flattenSymbols, snippetToPlainText } from '../../../server/src/features/clientCompat';
import { characterFromUtf16, characterToUtf16, mapPositions, negotiatePositionEncoding } from '../../../server/src/features/positionEncoding';
import { seededRandom } from '../../support/random';

const SAMPLES = ['', 'plain ascii = 1', 'ignoreip = héllo😀 10.0.0.1/99', '😀😀a😀', 'é', '\u{10ffff}x\u0800y\u07ffz', 'ä\tö\u2028ü'];
const ALPHABET = ['a', ' ', 'é', 'ß', '€', '中', '😀', '\u{1f1e9}\u{1f1ea}', '\u0301', '\u{10ffff}', '\u007f', '\u0080'];

function randomLine(next: () => number): string {
  let line = '';
  const length = Math.floor(next() * 20);
  for (let i = 0; i < length; i++) line += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return line;
}

/** UTF-16 offsets that are not inside a surrogate pair. */
function boundaries(line: string): number[] {
  const out = [0];
  let index = 0;
  for (const codePoint of line) out.push((index += codePoint.length));
  return out;
}

describe('position encodings', () => {
  it('negotiates UTF-16 unless the client offers only UTF-8 or UTF-32', () => {
    assert.equal(negotiatePositionEncoding(undefined), 'utf-16');
    assert.equal(negotiatePositionEncoding([]), 'utf-16');
    assert.equal(negotiatePositionEncoding('utf-8'), 'utf-16');
    assert.equal(negotiatePositionEncoding(['utf-8', 'utf-16']), 'utf-16');
    assert.equal(negotiatePositionEncoding(['utf-8']), 'utf-8');
    assert.equal(negotiatePositionEncoding(['utf-32', 'utf-8']), 'utf-32');
    assert.equal(negotiatePositionEncoding(['latin-1']), 'utf-16');
  });

  it('converts every code point boundary like Buffer.byteLength (UTF-8) and Array.from (UTF-32), both ways', () => {
    const next = seededRandom(7);
    const lines = [...SAMPLES, ...Array.from({ length: 300 }, () => randomLine(next))];
    for (const line of lines) {
      for (const offset of boundaries(line)) {
        const bytes = Buffer.byteLength(line.slice(0, offset));
        const codePoints = Array.from(line.slice(0, offset)).length;
        assert.equal(characterFromUtf16(line, offset, 'utf-8'), bytes, `${JSON.stringify(line)} @${offset}`);
        assert.equal(characterFromUtf16(line, offset, 'utf-32'), codePoints);
        assert.equal(characterToUtf16(line, bytes, 'utf-8'), offset);
        assert.equal(characterToUtf16(line, codePoints, 'utf-32'), offset);
        assert.equal(characterToUtf16(line, offset, 'utf-16'), offset);
      }
    }
  });

  it('snaps offsets inside a character to its start and keeps offsets past the end past the end', () => {
    const line = 'aé😀';
    assert.equal(characterToUtf16(line, 2, 'utf-8'), 1, 'inside é');
    assert.equal(characterToUtf16(line, 5, 'utf-8'), 2, 'inside 😀');
    assert.equal(characterFromUtf16(line, 3, 'utf-8'), 3, 'between the surrogates of 😀');
    assert.equal(characterToUtf16(line, 7 + 3, 'utf-8'), 4 + 3);
    assert.equal(characterFromUtf16(line, 4 + 3, 'utf-8'), 7 + 3);
    assert.equal(characterFromUtf16(line, 4 + 3, 'utf-32'), 3 + 3);
  });

  it('maps every { line, character } in a nested value and nothing else', () => {
    const value = { range: { start: { line: 1, character: 2 }, end: { line: 1, character: 4 } }, data: [{ position: { line: 0, character: 9 } }], line: 5, label: 'x' };
    const mapped = mapPositions(value, (p) => p.character * 10);
    assert.deepEqual(mapped, { range: { start: { line: 1, character: 20 }, end: { line: 1, character: 40 } }, data: [{ position: { line: 0, character: 90 } }], line: 5, label: 'x' });
    assert.equal(value.range.start.character, 2, 'the input is not changed');
  });
});

describe('client capability adapters', () => {
  it('turns snippets into the text they insert', () => {
    assert.equal(snippetToPlainText('nftables[port="${1:smtp,465}", protocol="${2:tcp}"]$0'), 'nftables[port="smtp,465", protocol="tcp"]');
    assert.equal(snippetToPlainText('a\\$b \\} \\\\ ${1} $12 {x}'), 'a$b } \\   {x}');
    assert.equal(snippetToPlainText('${1:outer ${2:inner}} end'), 'outer inner end');
    assert.equal(snippetToPlainText('cost: $ 5'), 'cost: $ 5');
  });

  it('reads the profile from the capabilities and the client name', () => {
    assert.deepEqual(clientProfile({}, undefined), { snippets: false, hoverMarkdown: true, completionMarkdown: true, hierarchicalSymbols: false, vscodeCommands: false });
    const vscode = clientProfile(
      { textDocument: { completion: { completionItem: { snippetSupport: true, documentationFormat: ['plaintext'] } }, hover: { contentFormat: ['plaintext', 'markdown'] }, documentSymbol: { hierarchicalDocumentSymbolSupport: true } } },
      'Visual Studio Code',
    );
    assert.deepEqual(vscode, { snippets: true, hoverMarkdown: true, completionMarkdown: false, hierarchicalSymbols: true, vscodeCommands: true });
    for (const name of ['Neovim', 'helix', 'Emacs', 'Zed', 'Sublime Text LSP', 'Kate']) assert.equal(clientProfile({}, name).vscodeCommands, false, name);
    for (const name of ['VSCodium', 'code-server', 'Code - OSS', 'Cursor']) assert.equal(clientProfile({}, name).vscodeCommands, true, name);
  });

  it('steps completion items and hovers down to a plain client', () => {
    const plain = clientProfile({ textDocument: { hover: { contentFormat: ['plaintext'] } } }, 'Kate');
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    const [item] = adaptCompletionItems(
      [{ label: 'a', insertTextFormat: 2, textEdit: { range, newText: 'a[${1:x}]' }, command: { title: 'Suggest', command: 'editor.action.triggerSuggest' }, documentation: { kind: 'markdown', value: '`a`' } }],
      { ...plain, completionMarkdown: false },
    );
    assert.deepEqual(item, { label: 'a', insertTextFormat: 1, textEdit: { range, newText: 'a[x]' }, command: undefined, documentation: { kind: 'plaintext', value: '`a`' } });
    assert.deepEqual(adaptHover({ contents: { kind: 'markdown', value: '**b**' } }, plain), { contents: { kind: 'plaintext', value: '**b**' } });
    assert.equal(adaptHover(null, plain), null);
  });

  it('flattens document symbols with the section as container', () => {
    const r = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 3 } });
    const flat = flattenSymbols([{ name: 'postfix', kind: SymbolKind.Class, range: r(0), selectionRange: r(0), children: [{ name: 'mode', kind: SymbolKind.Property, range: r(1), selectionRange: r(1) }] }], 'file:///x');
    assert.deepEqual(flat, [
      { name: 'postfix', kind: SymbolKind.Class, location: { uri: 'file:///x', range: r(0) } },
      { name: 'mode', kind: SymbolKind.Property, location: { uri: 'file:///x', range: r(1) }, containerName: 'postfix' },
    ]);
  });
});
