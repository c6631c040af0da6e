// The size cap end to end: the real server, started with the extension's V8 flags (576 MB old space), answers on
// the worst shape below the cap (100k two-line sections, 2.4 MB: once a V8 out-of-memory abort) and gives a
// file over the cap its one `file-too-large` finding. Counts findings; no timing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LANGUAGE_SERVER_NODE_FLAGS } from '../../../server/src/runtimeFlags';
import { MAX_CHECKED_CHARS, MAX_CHECKED_LINES, MAX_EDITOR_FINDINGS } from '../../../server/src/sizeCap';
import { ensureBuilt, startClient, type TestClient } from './lspClient';

interface Diagnostic {
  code: string;
  message: string;
  range: { start: { line: number } };
}

/** 100k sections `[s000000]` / `enabled = true`: 200k non-empty lines, every one an unknown, enabled jail. */
function twoLineSections(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`[s${String(i).padStart(6, '0')}]\nenabled = true\n`);
  return parts.join('');
}

async function pull(client: TestClient, uri: string, text: string): Promise<Diagnostic[]> {
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'fail2ban', version: 1, text } });
  const report = await client.connection.sendRequest<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  assert.equal(report.kind, 'full');
  return report.items;
}

describe('size cap (server started with the extension flags)', () => {
  let client: TestClient;
  before(async () => {
    ensureBuilt();
    client = await startClient({ pullDiagnostics: true, nodeFlags: LANGUAGE_SERVER_NODE_FLAGS });
  });
  after(async () => {
    await client?.stop();
  });

  it('answers on 100k two-line sections: at most the editor limit of findings, then one too-many-findings note', async () => {
    const text = twoLineSections(100_000);
    assert.ok(text.length < MAX_CHECKED_CHARS && 200_000 <= MAX_CHECKED_LINES, 'the file is below the cap');
    const items = await pull(client, 'file:///srv/dms/config/fail2ban-jail.cf', text);
    assert.equal(items.length, MAX_EDITOR_FINDINGS + 1);
    assert.equal(items.filter((d) => d.code === 'unknown-jail').length, MAX_EDITOR_FINDINGS);
    const note = items.find((d) => d.code === 'too-many-findings');
    assert.ok(note);
    assert.match(note.message, /^99,000 more findings are not shown/);
    assert.equal(client.process.exitCode, null, 'the server is still running');
  });

  it('gives a file over the character cap its one file-too-large finding instead of a check', async () => {
    const text = '[postfix]\nenabled = true\nbantime = 1hr\n' + '#'.repeat(MAX_CHECKED_CHARS);
    const items = await pull(client, 'file:///srv/dms/config/big/fail2ban-jail.cf', text);
    assert.deepEqual(items.map((d) => d.code), ['file-too-large']);
    assert.match(items[0].message, /too large to check — more than 4 MiB/);
  });

  it('gives a file over the line cap its one file-too-large finding; features answer empty', async () => {
    const uri = 'file:///srv/dms/config/lines/fail2ban-jail.cf';
    const text = '[postfix]\nbantime = 1hr\n' + 'x = 1\n'.repeat(MAX_CHECKED_LINES);
    const items = await pull(client, uri, text);
    assert.deepEqual(items.map((d) => d.code), ['file-too-large']);
    assert.match(items[0].message, /more than 200,000 non-empty lines/);
    const symbols = await client.connection.sendRequest<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols, []);
  });
});
