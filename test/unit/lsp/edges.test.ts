// Protocol edges a hostile or sloppy client reaches: requests after `shutdown` (InvalidRequest, as LSP
// requires), `params: null` (an empty answer, not an internal error), and a didOpen whose text is not a string
// (ignored with one log line, not a stack trace on every later request for that document).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { launch, MINIMAL, publishedAt, withSession, type Session } from './harness';
import { ensureBuilt, ROOT } from './lspClient';

const INVALID_REQUEST = -32600;
const JAIL = '[postfix]\nenabled = ture\n';

const rejectsWith = (code: number) => (error: { code?: number }) => {
  assert.equal(error.code, code, JSON.stringify(error));
  return true;
};

async function afterShutdown(session: Session): Promise<void> {
  const uri = 'file:///srv/fail2ban-jail.cf';
  await session.open(uri, JAIL);
  await publishedAt(session, uri, 1);
  assert.equal(await session.request('shutdown', null), null);
  const textDocument = { uri };
  const position = { line: 1, character: 2 };
  await assert.rejects(session.request('textDocument/hover', { textDocument, position }), rejectsWith(INVALID_REQUEST));
  await assert.rejects(session.request('textDocument/completion', { textDocument, position }), rejectsWith(INVALID_REQUEST));
  await assert.rejects(session.request('textDocument/documentSymbol', { textDocument }), rejectsWith(INVALID_REQUEST));
  await assert.rejects(session.request('custom/unknownRequest', {}), rejectsWith(INVALID_REQUEST));
  await assert.rejects(session.request('shutdown', null), rejectsWith(INVALID_REQUEST));
  const publishedBefore = session.published.length;
  await session.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: '[Definition]\n' }] });
  await session.notify('exit', null);
  assert.equal(await session.exited, 0);
  assert.equal(session.published.length, publishedBefore, 'no diagnostics for a change sent after shutdown');
  assert.doesNotMatch(session.stderr(), /\n\s+at /);
}

interface Reply {
  jsonrpc: string;
  id: number;
  result?: unknown;
  error?: { code: number; message: string };
}

/** A bare JSON-RPC client: writes exactly the message given (vscode-jsonrpc would send `params: null` as `[null]`). */
function rawClient() {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'lsp', '--stdio'], { cwd: ROOT });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const waiting = new Map<number, (reply: Reply) => void>();
  let buffer = Buffer.alloc(0);
  child.stdout.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')) as Reply & { method?: string };
      buffer = buffer.subarray(headerEnd + 4 + length);
      if (message.method === undefined) waiting.get(message.id)?.(message);
    }
  });
  const write = (message: object) => {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  };
  let nextId = 1;
  return {
    child,
    exited,
    stderr: () => stderr,
    notify: (method: string, params: unknown) => write({ jsonrpc: '2.0', method, params }),
    request(method: string, params: unknown): Promise<Reply> {
      const id = nextId++;
      const reply = new Promise<Reply>((resolve, reject) => {
        waiting.set(id, resolve);
        void exited.then((code) => reject(new Error(`server exited (${code}) before answering ${method}: ${stderr}`)));
      });
      write({ jsonrpc: '2.0', id, method, params });
      return reply;
    },
  };
}

describe('LSP edges', () => {
  before(() => ensureBuilt());

  it('after shutdown every request gets InvalidRequest, other notifications are dropped, exit still ends with 0', async () => {
    const session = await launch(MINIMAL);
    try {
      await afterShutdown(session);
    } finally {
      session.child.kill('SIGKILL'); // no-op once it has exited; ends a server that failed the test
    }
  });

  it('params: null (sent as such, not as [null]) answers every request with its empty result', async () => {
    const client = rawClient();
    try {
      const initialized = await client.request('initialize', { processId: null, rootUri: null, capabilities: {} });
      assert.ok(initialized.result, JSON.stringify(initialized));
      client.notify('initialized', {});
      client.notify('textDocument/didOpen', { textDocument: { uri: 'file:///srv/fail2ban-jail.cf', languageId: 'fail2ban', version: 1, text: JAIL } });
      const empty: Record<string, unknown> = {
        'textDocument/hover': null,
        'textDocument/completion': [],
        'textDocument/definition': [],
        'textDocument/codeAction': [],
        'textDocument/codeLens': [],
        'textDocument/documentSymbol': [],
        'textDocument/foldingRange': [],
        'textDocument/formatting': [],
        'textDocument/rangeFormatting': [],
        'textDocument/inlayHint': [],
      };
      for (const [method, expected] of Object.entries(empty)) {
        const reply = await client.request(method, null);
        assert.deepEqual(reply, { jsonrpc: '2.0', id: reply.id, result: expected }, method);
      }
      assert.equal((await client.request('shutdown', null)).result, null);
      client.notify('exit', null);
      assert.equal(await client.exited, 0);
      assert.doesNotMatch(client.stderr(), /\n\s+at /);
    } finally {
      client.child.kill('SIGKILL');
    }
  });

  it('a didOpen whose text is not a string is ignored with one log line; the URI can be opened properly later', async () => {
    await withSession(MINIMAL, async (session) => {
      const uri = 'file:///srv/fail2ban-jail.cf';
      const textDocument = { uri };
      const position = { line: 1, character: 2 };
      await session.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'fail2ban', version: 1, text: 42 } });
      assert.equal(await session.request('textDocument/hover', { textDocument, position }), null);
      assert.deepEqual(await session.request('textDocument/completion', { textDocument, position }), []);
      assert.deepEqual(await session.request('textDocument/documentSymbol', { textDocument }), []);
      assert.deepEqual(await session.request('textDocument/formatting', { textDocument, options: { tabSize: 2, insertSpaces: true } }), []);
      await session.notify('textDocument/didOpen', { textDocument: { uri: 42, languageId: 'fail2ban', version: 1, text: JAIL } });
      await session.notify('textDocument/didOpen', null);
      const ignored = await session.waitFor(() => {
        const lines = session.logs.filter((line) => /didOpen/.test(line));
        return lines.length >= 3 ? lines : undefined;
      }, 'three log lines about the ignored didOpens');
      await session.request('textDocument/hover', { textDocument, position }); // a round trip: any further log line has arrived
      assert.equal(session.logs.filter((line) => /didOpen/.test(line)).length, 3, session.logs.join('\n'));
      assert.match(ignored[0], /ignored a textDocument\/didOpen: its text is not a string/);
      for (const line of session.logs) assert.doesNotMatch(line, /\n\s+at /, 'no stack trace in the log');
      assert.doesNotMatch(session.stderr(), /\n\s+at /);
      await session.open(uri, JAIL, 2);
      assert.ok((await publishedAt(session, uri, 2)).diagnostics.some((d) => d.code === 'invalid-boolean'));
    });
  });
});
