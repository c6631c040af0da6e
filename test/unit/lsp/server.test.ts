// End-to-end: the real language server (node dist/cli.js lsp --stdio) over JSON-RPC, for both file kinds.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ensureBuilt, startClient, type TestClient } from './lspClient';

interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code: string;
  source: string;
  severity: number;
  message: string;
  codeDescription?: { href: string };
  data?: { fixes: unknown[] };
}
interface TextEdit {
  range: Diagnostic['range'];
  newText: string;
}

const JAIL_URI = 'file:///srv/dms/config/fail2ban-jail.cf';
const SERVER_URI = 'file:///srv/dms/config/fail2ban-fail2ban.cf';
const JAIL_TEXT = '[postfix]\nenabled=true\nbantime = 1hr\nmode = \n';
const SERVER_TEXT = '[Definition]\nloglevel = VERBOSE\nlogtarget = \n';

async function pull(client: TestClient, uri: string): Promise<Diagnostic[]> {
  const report = await client.connection.sendRequest<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  assert.equal(report.kind, 'full');
  return report.items;
}

function open(client: TestClient, uri: string, text: string): Promise<void> {
  return client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'fail2ban', version: 1, text } });
}

function labels(items: { label: string }[] | { items: { label: string }[] }): string[] {
  return (Array.isArray(items) ? items : items.items).map((i) => i.label);
}

describe('language server over stdio (pull diagnostics)', () => {
  let client: TestClient;
  before(async () => {
    ensureBuilt();
    client = await startClient({ pullDiagnostics: true });
    await open(client, JAIL_URI, JAIL_TEXT);
    await open(client, SERVER_URI, SERVER_TEXT);
  });
  after(async () => {
    await client?.stop();
  });

  it('reports diagnostics for fail2ban-jail.cf with code, link and fixes, using the client settings', async () => {
    const items = await pull(client, JAIL_URI);
    const duration = items.find((d) => d.code === 'invalid-duration');
    assert.ok(duration, JSON.stringify(items));
    assert.equal(duration.source, 'dms-fail2ban');
    assert.equal(duration.severity, 1);
    assert.deepEqual(duration.range.start, { line: 2, character: 11 });
    assert.match(duration.codeDescription?.href ?? '', /^file:\/\/.*\/docs\/rules\/invalid-duration\.md$/, 'the bundled doc (opens inside VS Code, offline)');
    assert.equal(duration.data?.fixes.length, 1);
    assert.ok(client.configurationRequests > 0, 'settings are pulled with workspace/configuration');
  });

  it('reports diagnostics for fail2ban-fail2ban.cf as a server file', async () => {
    const items = await pull(client, SERVER_URI);
    assert.ok(items.some((d) => d.range.start.line === 1 && d.severity === 1 && /VERBOSE/.test(d.message)), JSON.stringify(items));
  });

  it('completes postfix modes and server log levels', async () => {
    const modes = await client.connection.sendRequest<{ label: string }[]>('textDocument/completion', { textDocument: { uri: JAIL_URI }, position: { line: 3, character: 7 } });
    assert.deepEqual(labels(modes).sort(), ['aggressive', 'auth', 'ddos', 'errors', 'extra', 'more', 'normal', 'rbl']);
    const levels = await client.connection.sendRequest<{ label: string }[]>('textDocument/completion', { textDocument: { uri: SERVER_URI }, position: { line: 2, character: 12 } });
    assert.ok(labels(levels).includes('SYSLOG'));
  });

  it('answers hover with the resolved duration', async () => {
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: JAIL_URI, version: 2 },
      contentChanges: [{ range: { start: { line: 2, character: 10 }, end: { line: 2, character: 13 } }, text: '1w' }],
    });
    const hover = await client.connection.sendRequest<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: JAIL_URI }, position: { line: 2, character: 11 } });
    assert.match(hover.contents.value, /604800 s = 1 week/);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: JAIL_URI, version: 3 },
      contentChanges: [{ range: { start: { line: 2, character: 10 }, end: { line: 2, character: 12 } }, text: '1hr' }],
    });
  });

  it('answers codeActionsOnSave (only: source.fixAll) with one source.fixAll.dms-fail2ban action', async () => {
    const actions = await client.connection.sendRequest<{ title: string; kind: string; edit: { changes: Record<string, TextEdit[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri: JAIL_URI },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.deepEqual(actions.map((action) => action.kind), ['source.fixAll.dms-fail2ban']);
    assert.ok(actions[0].edit.changes[JAIL_URI].some((edit) => edit.newText === 'h'), JSON.stringify(actions[0].edit));
  });

  it('offers a code action whose edit fixes the diagnostic (incremental sync)', async () => {
    const items = await pull(client, JAIL_URI);
    const duration = items.find((d) => d.code === 'invalid-duration');
    assert.ok(duration);
    const actions = await client.connection.sendRequest<{ title: string; isPreferred?: boolean; edit: { changes: Record<string, TextEdit[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri: JAIL_URI },
      range: duration.range,
      context: { diagnostics: [duration] },
    });
    const fix = actions.find((a) => a.isPreferred);
    assert.equal(fix?.title, "Change to 'h'");
    assert.ok(actions.some((a) => a.title === 'Disable invalid-duration for this line'));
    const [edit] = fix.edit.changes[JAIL_URI];
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: JAIL_URI, version: 4 }, contentChanges: [{ range: edit.range, text: edit.newText }] });
    const after = await pull(client, JAIL_URI);
    assert.ok(!after.some((d) => d.code === 'invalid-duration'), JSON.stringify(after));
  });

  it('formats key = value spacing', async () => {
    const edits = await client.connection.sendRequest<TextEdit[]>('textDocument/formatting', { textDocument: { uri: JAIL_URI }, options: { tabSize: 2, insertSpaces: true } });
    assert.deepEqual(edits, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 12 } }, newText: 'enabled = true' },
      { range: { start: { line: 3, character: 0 }, end: { line: 3, character: 7 } }, newText: 'mode =' },
    ]);
  });

  it('answers dmsFail2ban/effectiveConfig with the merged jails', async () => {
    const result = await client.connection.sendRequest<{ text: string }>('dmsFail2ban/effectiveConfig', { uri: JAIL_URI });
    assert.match(result.text, /\[postfix\]/);
    assert.match(result.text, /bantime = 3600\b|bantime = 1h\b/);
    assert.match(result.text, /\[dovecot\]/);
  });

  it('refreshes diagnostics when the settings change and applies rule severities', async () => {
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: JAIL_URI, version: 5 },
      contentChanges: [{ range: { start: { line: 2, character: 10 }, end: { line: 2, character: 12 } }, text: '1hr' }],
    });
    assert.ok((await pull(client, JAIL_URI)).some((d) => d.code === 'invalid-duration'));
    client.settings = { ...client.settings, rules: { 'invalid-duration': 'off' } };
    const refreshes = client.refreshRequests;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.waitFor(() => (client.refreshRequests > refreshes ? true : undefined), 'workspace/diagnostic/refresh');
    assert.ok(!(await pull(client, JAIL_URI)).some((d) => d.code === 'invalid-duration'));
  });

  it('own filters/actions: compose volumes and dmsFail2ban.extraConfigDirs provide them; a compose change refreshes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dms-lsp-provided-'));
    try {
      mkdirSync(join(root, 'config'), { recursive: true });
      mkdirSync(join(root, 'f2b', 'filter.d'), { recursive: true });
      mkdirSync(join(root, 'extra', 'action.d'), { recursive: true });
      writeFileSync(join(root, 'f2b', 'filter.d', 'my-postfix.conf'), '[Definition]\n');
      writeFileSync(join(root, 'extra', 'action.d', 'my-ban.local'), '[Definition]\n');
      const uri = pathToFileURL(join(root, 'config', 'fail2ban-jail.cf')).href;
      await open(client, uri, '[postfix]\nfilter = my-postfix\naction = my-ban\n');
      const codes = async () => (await pull(client, uri)).filter((d) => d.severity === 1).map((d) => d.code).sort();
      assert.deepEqual(await codes(), ['unknown-action', 'unknown-filter']);
      writeFileSync(
        join(root, 'compose.yaml'),
        'services:\n  mailserver:\n    image: ghcr.io/docker-mailserver/docker-mailserver:latest\n    volumes:\n      - ./f2b/filter.d:/etc/fail2ban/filter.d:ro\n',
      );
      const refreshes = client.refreshRequests;
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(root, 'compose.yaml')).href, type: 1 }] });
      await client.waitFor(() => (client.refreshRequests > refreshes ? true : undefined), 'workspace/diagnostic/refresh');
      assert.deepEqual(await codes(), ['unknown-action']);
      client.settings = { ...client.settings, extraConfigDirs: [join(root, 'extra')] };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      assert.deepEqual(await codes(), []);
    } finally {
      client.settings = { ...client.settings, extraConfigDirs: [] };
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('answers requests for unknown documents with empty results instead of errors', async () => {
    assert.deepEqual(await pull(client, 'file:///nowhere/fail2ban-jail.cf'), []);
    assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nowhere/x' }, position: { line: 0, character: 0 } }), null);
  });
});

describe('language server over stdio (push diagnostics)', () => {
  let client: TestClient;
  before(async () => {
    ensureBuilt();
    client = await startClient({ pullDiagnostics: false });
  });
  after(async () => {
    await client?.stop();
  });

  it('publishes diagnostics on open and change, and clears them on close', async () => {
    await open(client, JAIL_URI, '[postfix]\nenabled = ture\n');
    const published = await client.waitFor(() => client.published.get(JAIL_URI) as Diagnostic[] | undefined, 'publishDiagnostics');
    assert.ok(published.some((d) => d.code === 'invalid-boolean'), JSON.stringify(published));
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: JAIL_URI, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 10 }, end: { line: 1, character: 14 } }, text: 'true' }],
    });
    await client.waitFor(() => ((client.published.get(JAIL_URI) as Diagnostic[]).some((d) => d.code === 'invalid-boolean') ? undefined : true), 'updated diagnostics');
    client.published.delete(JAIL_URI);
    await open(client, SERVER_URI, '[Definition]\nloglevel = VERBOSE\n');
    await client.waitFor(() => client.published.get(SERVER_URI), 'server file diagnostics');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: SERVER_URI } });
    await client.waitFor(() => ((client.published.get(SERVER_URI) ?? [1]).length === 0 ? true : undefined), 'cleared diagnostics');
  });
});
