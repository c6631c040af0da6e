// Issue 14.4 end to end, in process: the real handlers (server/src/handlers) on a real JSON-RPC connection over
// in-memory streams, with the typing hold's clock in the test's hand. A keystroke that makes a line invalid is
// answered without that line's error; when the test moves the clock past the hold, the server shows it (a new
// push, or a workspace/diagnostic/refresh for a pulling client). No assertion depends on real time.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type * as JsonRpcModule from 'vscode-jsonrpc/lib/node/main';
import type * as LanguageServerModule from 'vscode-languageserver/lib/node/main';
import { TYPING_HOLD_MS } from '../../../server/src/features/typingHold';
import { registerHandlers, Session } from '../../../server/src/handlers';
import type { HoldClock } from '../../../server/src/handlers/typingHold';
import { GENEROUS_WAIT_MS, pollUntil } from '../../support/poll';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require('vscode-jsonrpc/node') as typeof JsonRpcModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createConnection, ProposedFeatures } = require('vscode-languageserver/node') as typeof LanguageServerModule;

interface Published {
  uri: string;
  version?: number;
  diagnostics: { code?: string; range: { start: { line: number } } }[];
}

/** A clock the test moves; timers run only when the test says so. */
class TestClock implements HoldClock {
  time = 1_000;
  timers: { at: number; run: () => void; cancelled: boolean }[] = [];
  now(): number {
    return this.time;
  }
  after(ms: number, run: () => void): () => void {
    const timer = { at: this.time + ms, run, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }
  advance(ms: number): void {
    this.time += ms;
    for (const timer of this.timers.filter((t) => !t.cancelled && t.at <= this.time)) {
      timer.cancelled = true;
      timer.run();
    }
  }
  pending(): number[] {
    return this.timers.filter((t) => !t.cancelled).map((t) => t.at - this.time);
  }
}

async function withServer(capabilities: Record<string, unknown>, run: (client: JsonRpcModule.MessageConnection, published: Published[], clock: TestClock, refreshes: () => number) => Promise<void>): Promise<void> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const connection = createConnection(ProposedFeatures.all, new rpc.StreamMessageReader(toServer), new rpc.StreamMessageWriter(toClient));
  const session = new Session(connection);
  const clock = new TestClock();
  registerHandlers(connection, session, clock);
  session.documents.listen(connection);
  connection.listen();
  const client = rpc.createMessageConnection(new rpc.StreamMessageReader(toClient), new rpc.StreamMessageWriter(toServer));
  const published: Published[] = [];
  let refreshCount = 0;
  client.onNotification('textDocument/publishDiagnostics', (params: Published) => {
    published.push(params);
  });
  client.onRequest('workspace/diagnostic/refresh', () => {
    refreshCount++;
    return null;
  });
  client.onRequest(() => null);
  client.listen();
  try {
    await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities });
    await client.sendNotification('initialized', {});
    await run(client, published, clock, () => refreshCount);
  } finally {
    client.dispose();
    connection.dispose();
    toServer.destroy();
    toClient.destroy();
  }
}

const URI = 'file:///srv/dms/config/fail2ban-jail.cf';
const START = '[postfix]\nenabled = true\n';
/** Types `text` at the end of line 2, one keystroke per didChange, as an editor sends it. */
async function typeAtLine2(client: JsonRpcModule.MessageConnection, text: string, firstVersion: number): Promise<number> {
  let version = firstVersion;
  for (let i = 0; i < text.length; i++) {
    const at = { line: 2, character: i };
    await client.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: ++version }, contentChanges: [{ range: { start: at, end: at }, text: text[i] }] });
  }
  return version;
}

const waitFor = <T>(what: string, probe: () => T | undefined): Promise<T> => pollUntil(probe, { timeoutMs: GENEROUS_WAIT_MS, intervalMs: 10, timeoutMessage: () => `timed out waiting for ${what}` });
const onLine2 = (diagnostics: Published['diagnostics']) => diagnostics.filter((d) => d.range.start.line === 2).map((d) => d.code);

describe('typing hold in the language server', () => {
  it('push: the half-typed line is published without its error, then with it once the hold is over', async () => {
    await withServer({}, async (client, published, clock) => {
      await client.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'fail2ban', version: 1, text: START } });
      await waitFor('diagnostics of the opened file', () => published.find((p) => p.version === 1));
      const version = await typeAtLine2(client, 'ba', 1);
      const typing = await waitFor('diagnostics of the typed text', () => published.find((p) => p.version === version));
      assert.deepEqual(onLine2(typing.diagnostics), [], 'no error on the line being typed');
      assert.deepEqual(clock.pending(), [TYPING_HOLD_MS]);
      const count = published.length;
      clock.advance(TYPING_HOLD_MS);
      const after = await waitFor('the held error', () => published.slice(count).find((p) => p.version === version));
      assert.deepEqual(onLine2(after.diagnostics), ['invalid-line']);
    });
  });

  it('pull: the answer leaves the typed line out and has its own result id; the refresh after the hold brings the error', async () => {
    await withServer({ textDocument: { diagnostic: {} }, workspace: { diagnostics: { refreshSupport: true } } }, async (client, _published, clock, refreshes) => {
      await client.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'fail2ban', version: 1, text: START } });
      await typeAtLine2(client, 'ba', 1);
      const typing = await client.sendRequest<{ kind: string; resultId: string; items: Published['diagnostics'] }>('textDocument/diagnostic', { textDocument: { uri: URI } });
      assert.deepEqual(onLine2(typing.items), []);
      assert.match(typing.resultId, /\.held$/);
      clock.advance(TYPING_HOLD_MS);
      await waitFor('workspace/diagnostic/refresh', () => (refreshes() > 0 ? true : undefined));
      const after = await client.sendRequest<{ kind: string; items: Published['diagnostics'] }>('textDocument/diagnostic', { textDocument: { uri: URI }, previousResultId: typing.resultId });
      assert.equal(after.kind, 'full');
      assert.deepEqual(onLine2(after.items), ['invalid-line']);
    });
  });

  it('a pasted or replaced text is never held', async () => {
    await withServer({ textDocument: { diagnostic: {} } }, async (client, _published, clock) => {
      await client.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'fail2ban', version: 1, text: START } });
      const at = { line: 2, character: 0 };
      await client.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 2 }, contentChanges: [{ range: { start: at, end: at }, text: 'bantime' }] });
      const pasted = await client.sendRequest<{ items: Published['diagnostics'] }>('textDocument/diagnostic', { textDocument: { uri: URI } });
      assert.deepEqual(onLine2(pasted.items), ['invalid-line']);
      await client.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 3 }, contentChanges: [{ text: `${START}ba` }] });
      const replaced = await client.sendRequest<{ items: Published['diagnostics'] }>('textDocument/diagnostic', { textDocument: { uri: URI } });
      assert.deepEqual(onLine2(replaced.items), ['invalid-line']);
      assert.deepEqual(clock.pending(), []);
    });
  });
});
