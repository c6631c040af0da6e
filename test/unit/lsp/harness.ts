// A configurable LSP client for end-to-end robustness tests: spawns `node dist/cli.js lsp --stdio`, sends
// the `initialize` of a given editor profile, answers (or refuses, as the profile would) the requests the
// server sends, records every notification, and checks results against the text the server should have.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import type * as JsonRpcModule from 'vscode-jsonrpc/lib/node/main';
import type { MessageConnection } from 'vscode-jsonrpc/lib/node/main';
import type { Position, Range } from '../../../server/src/types';
import { GENEROUS_WAIT_MS, pollUntil } from '../../support/poll';
import { ROOT } from './lspClient';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require('vscode-jsonrpc/node') as typeof JsonRpcModule;

const CLI = join(ROOT, 'dist', 'cli.js');
export const METHOD_NOT_FOUND = -32601;
export const { CancellationTokenSource } = rpc;

export type { Position, Range } from '../../../server/src/types';
export interface LspDiagnostic {
  range: Range;
  code?: string;
  severity?: number;
  message: string;
  data?: unknown;
}
export interface Published {
  uri: string;
  version?: number;
  diagnostics: LspDiagnostic[];
}

export interface Profile {
  name: string;
  initialize: Record<string, unknown>;
  /** Answer to one workspace/configuration item; absent: the client refuses the request (MethodNotFound). */
  configuration?: (item: { scopeUri?: string; section?: string }) => unknown;
  /** Other server→client requests this client answers; everything else is refused with MethodNotFound. */
  answers?: Record<string, (params: unknown) => unknown>;
}

export interface Session {
  profile: Profile;
  connection: MessageConnection;
  child: ChildProcessWithoutNullStreams;
  initializeResult: { capabilities: Record<string, unknown>; serverInfo?: unknown };
  /** spawn → initialize answered, ms. */
  initializeMs: number;
  serverRequests: { method: string; params: unknown }[];
  published: Published[];
  logs: string[];
  stderr(): string;
  exited: Promise<number | null>;
  latest(uri: string): Published | undefined;
  waitFor<T>(predicate: () => T | undefined, what: string, timeoutMs?: number): Promise<T>;
  request<R>(method: string, params: unknown): Promise<R>;
  notify(method: string, params: unknown): Promise<void>;
  open(uri: string, text: string, version?: number): Promise<void>;
  stop(): Promise<number | null>;
}

/** A client that declares nothing: no pull diagnostics, no configuration, no folders, no dynamic registration. */
export const MINIMAL: Profile = { name: 'minimal', initialize: { processId: null, rootUri: null, capabilities: {} } };

export async function launch(profile: Profile): Promise<Session> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd: ROOT });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk) => stderr.push(String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  connection.onError(() => undefined);
  const serverRequests: Session['serverRequests'] = [];
  const published: Published[] = [];
  const logs: string[] = [];
  connection.onRequest((method: string, params: unknown) => {
    serverRequests.push({ method, params });
    if (method === 'workspace/configuration' && profile.configuration) {
      const items = (params as { items: { scopeUri?: string; section?: string }[] }).items;
      return items.map((item) => profile.configuration?.(item));
    }
    const answer = profile.answers?.[method];
    if (answer) return answer(params);
    return new rpc.ResponseError(METHOD_NOT_FOUND, `${profile.name} client does not implement ${method}`);
  });
  connection.onNotification('textDocument/publishDiagnostics', (params: Published) => {
    published.push(params);
  });
  connection.onNotification('window/logMessage', (params: { message: string }) => {
    logs.push(params.message);
  });
  connection.listen();
  const initializeResult = await connection.sendRequest<Session['initializeResult']>('initialize', profile.initialize);
  const initializeMs = performance.now() - started;
  await connection.sendNotification('initialized', {});
  const session: Session = {
    profile,
    connection,
    child,
    initializeResult,
    initializeMs,
    serverRequests,
    published,
    logs,
    stderr: () => stderr.join(''),
    exited,
    latest: (uri) => [...published].reverse().find((p) => p.uri === uri),
    waitFor: <T>(predicate: () => T | undefined, what: string, timeoutMs = GENEROUS_WAIT_MS): Promise<T> =>
      pollUntil(predicate, {
        timeoutMs,
        intervalMs: 10,
        timeoutMessage: () => `${profile.name}: timed out waiting for ${what}; server stderr: ${stderr.join('')}`,
      }),
    request: <R>(method: string, params: unknown) => connection.sendRequest<R>(method, params),
    notify: (method, params) => connection.sendNotification(method, params),
    open: (uri, text, version = 1) => connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'fail2ban', version, text } }),
    async stop() {
      // the timer also keeps the event loop alive while a dead server never answers 'shutdown'; generous, because
      // a SIGKILL on a merely slow (loaded) machine would fail withSession's exit-code check
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const polite = (async () => {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      })().catch(() => undefined);
      if (child.exitCode === null) await Promise.race([polite, exited]);
      const code = await exited;
      clearTimeout(timer);
      connection.dispose();
      return code;
    },
  };
  return session;
}

/** Text lines split the way LSP does (\n, \r\n, \r). */
export function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export function assertPositionInside(position: Position, lines: readonly string[], what: string): void {
  assert.ok(Number.isInteger(position.line) && Number.isInteger(position.character), `${what}: non-integer position ${JSON.stringify(position)}`);
  assert.ok(position.line >= 0 && position.line < lines.length, `${what}: line ${position.line} outside 0..${lines.length - 1}`);
  assert.ok(position.character >= 0 && position.character <= lines[position.line].length, `${what}: character ${position.character} outside line ${position.line} (length ${lines[position.line].length})`);
}

export function assertRangeInside(range: Range, lines: readonly string[], what: string): void {
  assertPositionInside(range.start, lines, `${what} start`);
  assertPositionInside(range.end, lines, `${what} end`);
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  assert.ok(ordered, `${what}: start after end ${JSON.stringify(range)}`);
}

/** Every `{ line, character }` anywhere in a result must lie inside the document. */
export function assertAllPositionsInside(value: unknown, lines: readonly string[], what: string): void {
  const visit = (node: unknown, path: string) => {
    if (Array.isArray(node)) node.forEach((child, i) => visit(child, `${path}[${i}]`));
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.line === 'number' && typeof record.character === 'number') assertPositionInside(record as unknown as Position, lines, `${what} ${path}`);
      else for (const [key, child] of Object.entries(record)) visit(child, `${path}.${key}`);
    }
  };
  visit(value, '');
}

/** Runs `run` on a fresh server of `profile`, then checks it exits 0 without an unhandled error. */
export async function withSession<T>(profile: Profile, run: (session: Session) => Promise<T>): Promise<T> {
  const session = await launch(profile);
  try {
    return await run(session);
  } finally {
    assert.equal(await session.stop(), 0, `${profile.name}: server exit code; stderr: ${session.stderr()}`);
    assert.doesNotMatch(session.stderr(), /unhandled|uncaught/i);
  }
}

/** Waits for a publish of `uri` at `version` (push model). */
export function publishedAt(session: Session, uri: string, version: number, timeoutMs?: number): Promise<Published> {
  return session.waitFor(() => session.published.find((p) => p.uri === uri && p.version === version), `diagnostics of ${uri} v${version}`, timeoutMs);
}

/**
 * A deterministic "nothing more is coming" signal instead of a sleep: the server handles messages in order, so
 * once a document opened now has its diagnostics published, every push the earlier messages scheduled has fired
 * or was cancelled. Returns the number of publishes seen before the barrier's own.
 */
export async function pushBarrier(session: Session): Promise<number> {
  const uri = `file:///srv/barrier-${session.published.length}/fail2ban-jail.cf`;
  await session.open(uri, '[postfix]\n');
  await publishedAt(session, uri, 1);
  return session.published.findIndex((p) => p.uri === uri);
}

/** The diagnostic codes, sorted, to compare sets of findings. */
export const codes = (diagnostics: readonly LspDiagnostic[]) => diagnostics.map((d) => d.code).sort();
