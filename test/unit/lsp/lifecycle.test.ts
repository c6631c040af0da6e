// End-to-end: document URIs of every shape, requests for documents that are not open, malformed
// didChange, close, $/cancelRequest, shutdown/exit codes, stdin closing, a dead parent process, huge
// documents and pathological lines, and 100 edits in a row (the last diagnostics match the last text).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DMS_DEFAULT_JAIL } from './fixtures';
import {
  assertAllPositionsInside, assertRangeInside, CancellationTokenSource, codes, launch, linesOf, MINIMAL, publishedAt, pushBarrier, withSession, type LspDiagnostic, type Profile,
} from './harness';
import { ensureBuilt } from './lspClient';

const SERVER_TEXT = '[Definition]\nloglevel = VERBOSE\n';
const TYPO_JAIL = '[postfix]\nenabled = ture\n';
const REQUEST_CANCELLED = -32800;

const summary = (diagnostics: readonly LspDiagnostic[]) => diagnostics.map((d) => `${JSON.stringify(d.range)} ${d.code} ${d.message}`).sort();

/** What a fresh server reports for `text` opened at `uri` (the reference for "diagnostics match the text"). */
async function freshDiagnostics(uri: string, text: string): Promise<LspDiagnostic[]> {
  return withSession(MINIMAL, async (session) => {
    await session.open(uri, text);
    return (await publishedAt(session, uri, 1, 60000)).diagnostics;
  });
}

describe('document URIs', () => {
  before(() => ensureBuilt());

  // [uri, read as a server file?]
  const uris: [string, boolean][] = [
    ['file:///srv/dms/config/fail2ban-jail.cf', false],
    ['file:///srv/dms/config/fail2ban-fail2ban.cf', true],
    ['untitled:Untitled-1', false],
    ['untitled:/home/me/fail2ban-fail2ban.cf', true],
    ['file:///home/me/my%20dms/config%20dir/fail2ban-fail2ban.cf', true],
    ['file:///home/me/100%25%20sure/fail2ban-jail.cf', false],
    ['file:///home/me/%C3%BCml%C3%A4ut/fail2ban-fail2ban.cf', true],
    ['file:///home/me/bad%ZZpercent/fail2ban-fail2ban.cf', true],
    ['file:///c%3A/Users/me/dms/fail2ban-fail2ban.cf', true],
    ['file:///C:/Users/me/dms/fail2ban-fail2ban.cf', true],
    ['file://fileserver/share/dms/fail2ban-fail2ban.cf', true],
    ['vscode-remote://ssh-remote%2Bhost/home/me/fail2ban-fail2ban.cf', true],
    ['file:///etc/fail2ban/jail.local', false],
    ['file:///etc/fail2ban/jail.d/x.conf', false],
    ['file:///etc/fail2ban/fail2ban.local', true],
    ['file:///etc/fail2ban/fail2ban.d/x.local', true],
    ['file:///tmp/notes.txt', false],
    ['file:///tmp/fail2ban-fail2ban.cf.bak', false],
    ['not a uri at all', false],
  ];

  it('reads each document as the file kind its name says (unknown names: jail) and echoes the URI unchanged', async () => {
    await withSession(MINIMAL, async (session) => {
      for (const [uri] of uris) await session.open(uri, SERVER_TEXT);
      for (const [uri, isServer] of uris) {
        const published = await publishedAt(session, uri, 1);
        assert.deepEqual(codes(published.diagnostics), isServer ? ['invalid-value'] : ['unknown-jail', 'unknown-option'], uri);
        const hover = await session.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 2 } });
        assert.ok(hover, `hover on ${uri}`);
      }
    });
  });

  it('tells DMS user files from plain fail2ban files', async () => {
    await withSession(MINIMAL, async (session) => {
      const dms = 'file:///c%3A/dms/config/fail2ban-jail.cf';
      const plain = 'file:///etc/fail2ban/jail.d/mine.local';
      await session.open(dms, TYPO_JAIL);
      await session.open(plain, TYPO_JAIL);
      assert.match((await publishedAt(session, dms, 1)).diagnostics[0].message, /DMS enables/);
      assert.doesNotMatch((await publishedAt(session, plain, 1)).diagnostics[0].message, /DMS/);
    });
  });
});

describe('document lifecycle', () => {
  before(() => ensureBuilt());

  it('answers every request for a document that was never opened with an empty result', async () => {
    const pullClient: Profile = { name: 'pull', initialize: { processId: null, rootUri: null, capabilities: { textDocument: { diagnostic: {} } } } };
    await withSession(pullClient, async (session) => {
      const textDocument = { uri: 'file:///nowhere/fail2ban-jail.cf' };
      const position = { line: 0, character: 0 };
      const range = { start: position, end: { line: 3, character: 0 } };
      assert.deepEqual(await session.request('textDocument/completion', { textDocument, position }), []);
      assert.equal(await session.request('textDocument/hover', { textDocument, position }), null);
      assert.deepEqual(await session.request('textDocument/definition', { textDocument, position }), []);
      assert.deepEqual(await session.request('textDocument/codeAction', { textDocument, range, context: { diagnostics: [] } }), []);
      assert.deepEqual(await session.request('textDocument/documentSymbol', { textDocument }), []);
      assert.deepEqual(await session.request('textDocument/foldingRange', { textDocument }), []);
      assert.deepEqual(await session.request('textDocument/formatting', { textDocument, options: { tabSize: 2, insertSpaces: true } }), []);
      assert.deepEqual(await session.request('textDocument/rangeFormatting', { textDocument, range, options: { tabSize: 2, insertSpaces: true } }), []);
      assert.deepEqual(await session.request('textDocument/inlayHint', { textDocument, range }), []);
      assert.deepEqual(await session.request('textDocument/diagnostic', { textDocument }), { kind: 'full', items: [] });
      assert.match((await session.request<{ text: string }>('dmsFail2ban/effectiveConfig', { uri: textDocument.uri })).text, /not open/);
      // changes and closes for it are ignored
      await session.notify('textDocument/didChange', { textDocument: { ...textDocument, version: 2 }, contentChanges: [{ text: 'x' }] });
      await session.notify('textDocument/didClose', { textDocument });
      assert.deepEqual(await session.request('textDocument/documentSymbol', { textDocument }), []);
    });
  });

  it('survives malformed requests and notifications it does not handle', async () => {
    await withSession(MINIMAL, async (session) => {
      const uri = 'file:///srv/fail2ban-jail.cf';
      await session.open(uri, TYPO_JAIL);
      await publishedAt(session, uri, 1);
      const textDocument = { uri };
      await session.request('textDocument/hover', { textDocument, position: { line: -1, character: -5 } });
      await session.request('textDocument/hover', { textDocument, position: { line: 'x', character: null } });
      await session.request('textDocument/completion', { textDocument, position: { line: 1.5, character: 1e308 } });
      await session.request('textDocument/codeAction', { textDocument, range: null, context: null });
      await session.request('textDocument/codeAction', { textDocument, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } }, context: { diagnostics: [{ range: null }, null, { range: { start: { line: 1, character: 10 }, end: { line: 1, character: 14 } }, code: 'invalid-boolean', source: 'dms-fail2ban', message: '', data: { fixes: 'x' } }] } });
      await session.request('textDocument/inlayHint', { textDocument, range: 'everything' });
      await session.request('textDocument/documentSymbol', { textDocument: null });
      await session.request('textDocument/foldingRange', {});
      await session.request('dmsFail2ban/effectiveConfig', null);
      for (const method of ['textDocument/didSave', 'textDocument/willSave', 'workspace/didChangeWatchedFiles', 'workspace/didChangeWorkspaceFolders', '$/setTrace', '$/unknownNotification']) {
        await session.notify(method, { textDocument, changes: [], event: { added: [], removed: [] }, value: 'verbose' });
      }
      await session.notify('workspace/didChangeConfiguration', null);
      await session.notify('textDocument/didOpen', { textDocument: { uri: 'file:///srv/bad.cf' } });
      await assert.rejects(session.request('custom/unknownRequest', {}), (error: { code: number }) => error.code === -32601);
      // still alive and correct
      await session.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: SERVER_TEXT }] });
      assert.deepEqual(codes((await publishedAt(session, uri, 2)).diagnostics), ['unknown-jail', 'unknown-option']);
    });
  });

  it('applies didChange ranges outside the document as LSP clients do (clamped), skips malformed changes, and reports on the result', async () => {
    const uri = 'file:///srv/a/fail2ban-jail.cf';
    const changes: unknown[] = [
      { range: { start: { line: 999, character: 0 }, end: { line: 999, character: 5 } }, text: '[dovecot]\nenabled = ture\n' },
      { range: { start: { line: 1, character: 500 }, end: { line: 1, character: 900 } }, text: ' ; end of line 1' },
      { range: { start: { line: 0, character: 3 }, end: { line: 0, character: 1 } }, text: 'PO' }, // start after end: swapped
      { range: { start: { line: -4, character: -2 }, end: { line: 0, character: 0 } }, text: '# top\n' },
      { range: { start: { line: 'a', character: 0 }, end: { line: 0, character: 0 } }, text: 'not applied' },
      { range: { start: { line: 0, character: 0 } }, text: 'not applied either' },
      { text: 42 },
      null,
    ];
    await withSession(MINIMAL, async (session) => {
      await session.open(uri, TYPO_JAIL);
      await session.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: changes });
      const published = await publishedAt(session, uri, 2);
      const expected = TextDocument.create(uri, 'fail2ban', 1, TYPO_JAIL);
      const valid = changes.slice(0, 4) as Parameters<typeof TextDocument.update>[1];
      TextDocument.update(expected, valid, 2);
      assert.match(expected.getText(), /^# top\n\[POstfix\]/, 'the reference edit itself');
      assert.deepEqual(summary(published.diagnostics), summary(await freshDiagnostics('file:///srv/b/fail2ban-jail.cf', expected.getText())));
      const symbols = await session.request<{ name: string; containerName?: string }[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.deepEqual(symbols.map((s) => `${s.containerName ?? ''}/${s.name}`), ['/POstfix', 'POstfix/enabled', '/dovecot', 'dovecot/enabled']);
    });
  });

  it('clears diagnostics on close and answers requests for a closed document with empty results', async () => {
    await withSession(MINIMAL, async (session) => {
      const uri = 'file:///srv/fail2ban-jail.cf';
      await session.open(uri, TYPO_JAIL);
      await publishedAt(session, uri, 1);
      await session.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: '[postfix]\nenabled = nein\n' }] });
      await session.notify('textDocument/didClose', { textDocument: { uri } });
      await session.waitFor(() => (session.latest(uri)?.diagnostics.length === 0 ? true : undefined), 'cleared diagnostics');
      assert.equal(await session.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 1 } }), null);
      assert.deepEqual(await session.request('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 1 } }), []);
      const barrier = await pushBarrier(session);
      assert.deepEqual(session.published.slice(0, barrier).filter((p) => p.uri === uri).at(-1)?.diagnostics, [], 'nothing is published for a closed document after it was cleared');
    });
  });

  it('handles $/cancelRequest: each cancelled request settles with its result or RequestCancelled', async () => {
    await withSession(MINIMAL, async (session) => {
      const uri = 'file:///srv/fail2ban-jail.cf';
      await session.open(uri, DMS_DEFAULT_JAIL);
      const settled = await Promise.allSettled(
        Array.from({ length: 60 }, (_, i) => {
          const source = new CancellationTokenSource();
          const request = session.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: i % 30, character: 3 } }, source.token);
          source.cancel();
          return request;
        }),
      );
      for (const result of settled) {
        if (result.status === 'rejected') assert.equal((result.reason as { code?: number }).code, REQUEST_CANCELLED, String(result.reason));
      }
      await session.notify('$/cancelRequest', { id: 987654 }); // unknown id
      assert.ok(await session.request('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 1 } }));
    });
  });
});

describe('process lifecycle', () => {
  before(() => ensureBuilt());

  it('shutdown then exit: exit code 0', async () => {
    const session = await launch(MINIMAL);
    assert.equal(await session.request('shutdown', null), null);
    await session.notify('exit', null);
    assert.equal(await session.exited, 0);
  });

  it('exit without shutdown: exit code 1', async () => {
    const session = await launch(MINIMAL);
    await session.notify('exit', null);
    assert.equal(await session.exited, 1);
  });

  it('stdin closing ends the server (1 without shutdown, 0 after it)', async () => {
    const abandoned = await launch(MINIMAL);
    abandoned.child.stdin.end();
    assert.equal(await abandoned.exited, 1);
    const finished = await launch(MINIMAL);
    await finished.request('shutdown', null);
    finished.child.stdin.end();
    assert.equal(await finished.exited, 0);
  });

  // Waits on the exit itself (the server polls its parent every few seconds); the generous test limit only
  // fails a server that never leaves, and the after-hook then ends it so that it cannot outlive the run.
  it('a server whose client process (initialize processId) is gone exits by itself', { timeout: 120_000 }, async (t) => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    const session = await launch({ name: 'orphan', initialize: { processId: deadPid, rootUri: null, capabilities: {} } });
    t.after(() => {
      session.child.kill('SIGKILL'); // no-op once it has exited by itself
    });
    const code = await session.exited;
    assert.equal(code, 1, 'exited on its own (not killed by the test)');
  });
});

describe('huge documents, pathological lines, rapid edits', () => {
  before(() => ensureBuilt());

  it('checks a 1 MB document and answers requests on it', async (t) => {
    const jails: string[] = [];
    for (let i = 0; jails.join('').length < 1024 * 1024; i++) {
      jails.push(`[jail${i}]\nenabled = ${i % 7 === 0 ? 'ture' : 'false'}\nfilter = sshd\nbantime = ${i % 5 === 0 ? '1hr' : '1h'}\nport = smtp,465\n# comment ${i}\n\n`);
    }
    const text = DMS_DEFAULT_JAIL + jails.join('');
    const uri = 'file:///srv/huge/fail2ban-jail.cf';
    await withSession(MINIMAL, async (session) => {
      const started = performance.now();
      await session.open(uri, text);
      const published = await publishedAt(session, uri, 1, 120000);
      t.diagnostic(`1 MB (${text.split('\n').length} lines): didOpen → ${published.diagnostics.length} diagnostics in ${Math.round(performance.now() - started)} ms`);
      assert.ok(published.diagnostics.some((d) => d.code === 'invalid-boolean'));
      const lastLine = text.split('\n').length - 3;
      let mark = performance.now();
      assert.ok(await session.request('textDocument/hover', { textDocument: { uri }, position: { line: lastLine - 3, character: 1 } }));
      t.diagnostic(`hover on the last jail: ${Math.round(performance.now() - mark)} ms`);
      mark = performance.now();
      const symbols = await session.request<{ containerName?: string }[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.equal(symbols.filter((s) => s.containerName === undefined).length, jails.length + 4, 'one symbol per section');
      t.diagnostic(`document symbols: ${Math.round(performance.now() - mark)} ms`);
      mark = performance.now();
      // a burst of edits at the end: only the final text matters
      for (let version = 2; version <= 21; version++) {
        await session.notify('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [{ range: { start: { line: 3, character: 10 }, end: { line: 3, character: 12 } }, text: version === 21 ? '1hr' : `${version}m` }],
        });
      }
      const last = await publishedAt(session, uri, 21, 120000);
      assert.ok(last.diagnostics.some((d) => d.code === 'invalid-duration' && d.range.start.line === 3));
      t.diagnostic(`20 edits on the 1 MB document → last diagnostics after ${Math.round(performance.now() - mark)} ms, ${session.published.filter((p) => p.uri === uri).length - 1} publishes`);
    });
  });

  it('survives pathological lines and reports on them', async () => {
    // each text, and what the server must report on it (code@0-based line, every finding once): the mistakes at
    // the far end of a long line / value / document prove the whole text was read, not given up on
    const cases: Record<string, { text: string; expected: string[] }> = {
      'long-value': { text: `[postfix]\nignoreip = ${'10.0.0.1 '.repeat(40000)}10.0.0.300\n`, expected: ['invalid-ip@1'] },
      'brackets': { text: `[${'['.repeat(100000)}\n${']'.repeat(100000)}\n`, expected: ['missing-section-header@0'] },
      'parentheses': { text: `[postfix]\nfailregex = ${'('.repeat(50000)}<HOST>\n`, expected: ['failregex-replaces@1', 'invalid-regex@1'] },
      'interpolations': {
        text: `[postfix]\naction = ${'%('.repeat(50000)}\nlogpath = ${'%(logpath)s'.repeat(20000)}\n`,
        expected: ['interpolation-recursion@2', 'invalid-interpolation@1'],
      },
      'continuations': {
        text: `[postfix]\nfailregex = ^a <HOST>$\n${'  ^b <HOST>$\n'.repeat(20000)}  ^c (<HOST>$\n`,
        expected: ['failregex-replaces@1', 'invalid-regex@20002'],
      },
      'cr-only': {
        text: `[postfix]\r${'enabled = true\r'.repeat(20000)}`,
        // 19,999 duplicates: the editor gets the first 1,000 (server/src/sizeCap.ts) and one note about the rest
        expected: [...Array.from({ length: 1000 }, (_, i) => `duplicate-option@${i + 2}`), 'too-many-findings@0'],
      },
      'tabs-and-nul': { text: `[postfix]\n${'\t'.repeat(100000)}\0\0\nkey = \0\u2028\u2029\ufffd\n`, expected: ['invalid-line@1', 'unknown-option@2'] },
      'only-newlines': { text: `${'\n'.repeat(200000)}[postfix]\nbantime = 1hr\n`, expected: ['invalid-duration@200001'] },
    };
    await withSession(MINIMAL, async (session) => {
      for (const [name, { text, expected }] of Object.entries(cases)) {
        const uri = `file:///srv/${name}/fail2ban-jail.cf`;
        const lines = linesOf(text);
        await session.open(uri, text);
        const { diagnostics } = await publishedAt(session, uri, 1, 60000);
        const found = diagnostics.map((d) => `${d.code}@${d.range.start.line}`);
        assert.deepEqual([...new Set(found)].sort(), [...expected].sort(), `${name}: diagnostics`);
        assert.equal(found.length, expected.length, `${name}: each finding once`);
        diagnostics.forEach((d, i) => assertRangeInside(d.range, lines, `${name} diagnostic ${i}`));
        // every request is answered with a result that lies inside the document
        const hover = await session.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 30000 } });
        assertAllPositionsInside(hover, lines, `${name} hover`);
        const completion = await session.request<{ items: unknown[] } | unknown[] | null>('textDocument/completion', {
          textDocument: { uri },
          position: { line: 1, character: Math.min(12, lines[1]?.length ?? 0) },
        });
        assert.ok(completion !== null && completion !== undefined, `${name}: completion answered`);
        assertAllPositionsInside(completion, lines, `${name} completion`);
        const folding = await session.request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', { textDocument: { uri } });
        assert.ok(Array.isArray(folding), `${name}: folding ranges answered`);
        for (const range of folding) assert.ok(range.startLine <= range.endLine && range.endLine < lines.length, `${name}: folding ${JSON.stringify(range)}`);
        const edits = await session.request<unknown[] | null>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
        assertAllPositionsInside(edits, lines, `${name} formatting`);
      }
      // and it still answers an ordinary document afterwards
      await session.open('file:///srv/after/fail2ban-jail.cf', TYPO_JAIL);
      assert.deepEqual(codes((await publishedAt(session, 'file:///srv/after/fail2ban-jail.cf', 1)).diagnostics), ['invalid-boolean']);
    });
  });

  it('100 didChange in a row (push): the last diagnostics are for the last version and match the last text', async () => {
    const uri = 'file:///srv/rapid/fail2ban-jail.cf';
    const document = TextDocument.create(uri, 'fail2ban', 1, '[postfix]\n');
    await withSession(MINIMAL, async (session) => {
      await session.open(uri, document.getText());
      const typed = 'enabled = ture\nbantime = 1hr\nmaxretry = x\nmode = extar\n';
      let version = 1;
      for (const char of typed.slice(0, 100)) {
        const end = document.positionAt(document.getText().length);
        const change = { range: { start: end, end }, text: char };
        TextDocument.update(document, [change], ++version);
        await session.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      }
      // and delete the 'x' of 'maxretry = x' → '3'
      const x = document.getText().indexOf('= x') + 2;
      const change = { range: { start: document.positionAt(x), end: document.positionAt(x + 1) }, text: '3' };
      TextDocument.update(document, [change], ++version);
      await session.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      const last = await publishedAt(session, uri, version);
      const barrier = await pushBarrier(session);
      assert.equal(session.published.slice(0, barrier).filter((p) => p.uri === uri).at(-1)?.version, version, 'nothing older is published after the last version');
      assert.deepEqual(summary(last.diagnostics), summary(await freshDiagnostics('file:///srv/fresh/fail2ban-jail.cf', document.getText())));
      assert.deepEqual(codes(last.diagnostics), ['invalid-boolean', 'invalid-duration', 'invalid-mode']);
      const versions = session.published.filter((p) => p.uri === uri).map((p) => p.version ?? 0);
      assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'published versions never go backwards');
    });
  });

  it('100 didChange in a row (pull): the next pull reports on the last text', async () => {
    const uri = 'file:///srv/rapid/fail2ban-fail2ban.cf';
    const pullClient: Profile = { name: 'pull', initialize: { processId: null, rootUri: null, capabilities: { textDocument: { diagnostic: {} } } } };
    await withSession(pullClient, async (session) => {
      await session.open(uri, '[Definition]\nloglevel = INFO\n');
      for (let version = 2; version <= 101; version++) {
        const level = version === 101 ? 'VERBOSE' : ['DEBUG', 'INFO', 'NOTICE'][version % 3];
        await session.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: `[Definition]\nloglevel = ${level}\n` }] });
      }
      const report = await session.request<{ items: LspDiagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
      assert.deepEqual(codes(report.items), ['invalid-value']);
      assert.match(report.items[0].message, /VERBOSE/);
    });
  });

  it('initialize → ready time (measured and reported; the run fails only if the server never gets ready)', async (t) => {
    const samples: number[] = [];
    const firstDiagnostics: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await withSession(MINIMAL, async (session) => {
        samples.push(session.initializeMs);
        await session.open('file:///srv/fail2ban-jail.cf', DMS_DEFAULT_JAIL);
        await publishedAt(session, 'file:///srv/fail2ban-jail.cf', 1);
        firstDiagnostics.push(performance.now() - started);
      });
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    t.diagnostic(`spawn → initialize result: median ${Math.round(median(samples))} ms (${samples.map(Math.round).join(', ')})`);
    t.diagnostic(`spawn → first diagnostics of the DMS default jail file: median ${Math.round(median(firstDiagnostics))} ms`);
  });
});
