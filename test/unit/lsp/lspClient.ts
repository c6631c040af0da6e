// A minimal LSP client for end-to-end tests: spawns the real language server over stdio (JSON-RPC) and
// answers the requests a server sends to its client (workspace/configuration, refresh, registration).
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type * as JsonRpcModule from 'vscode-jsonrpc/lib/node/main';
import type { MessageConnection } from 'vscode-jsonrpc/lib/node/main';
import { GENEROUS_WAIT_MS, pollUntil } from '../../support/poll';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require('vscode-jsonrpc/node') as typeof JsonRpcModule;

export const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    const stat = statSync(full);
    newest = Math.max(newest, stat.isDirectory() ? newestSourceTime(full) : stat.mtimeMs);
  }
  return newest;
}

/** Builds dist/ with scripts/build.mjs unless the bundle is newer than every server source file. */
export function ensureBuilt(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs > newestSourceTime(join(ROOT, 'server', 'src'))) return;
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed: ${result.stderr}`);
}

export interface TestClient {
  connection: MessageConnection;
  process: ChildProcessWithoutNullStreams;
  /** Settings the client answers workspace/configuration with (mutable). */
  settings: Record<string, unknown>;
  configurationRequests: number;
  refreshRequests: number;
  published: Map<string, unknown[]>;
  waitFor<T>(predicate: () => T | undefined, what: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** `nodeFlags`: V8 flags for the server process (the extension's are server/src/runtimeFlags.ts). */
export async function startClient(options: { pullDiagnostics: boolean; nodeFlags?: readonly string[] }): Promise<TestClient> {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), CLI, 'lsp', '--stdio'], { cwd: ROOT });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk) => stderr.push(String(chunk)));
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const client: TestClient = {
    connection,
    process: child,
    settings: { fail2banVersion: '1.1.0', dmsVersion: 'v15.1.0', rules: {} },
    configurationRequests: 0,
    refreshRequests: 0,
    published: new Map(),
    waitFor: <T>(predicate: () => T | undefined, what: string, timeoutMs = GENEROUS_WAIT_MS): Promise<T> =>
      pollUntil(predicate, {
        timeoutMs,
        intervalMs: 20,
        timeoutMessage: () => `timed out waiting for ${what}; server stderr: ${stderr.join('')}`,
      }),
    async stop() {
      try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      } finally {
        connection.dispose();
        if (child.exitCode === null) child.kill();
      }
    },
  };
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => {
    client.configurationRequests++;
    return params.items.map(() => client.settings);
  });
  connection.onRequest('workspace/diagnostic/refresh', () => {
    client.refreshRequests++;
    return null;
  });
  connection.onRequest('client/registerCapability', () => null);
  connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: unknown[] }) => {
    client.published.set(params.uri, params.diagnostics);
  });
  connection.onNotification('window/logMessage', () => undefined);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false }, diagnostics: { refreshSupport: true } },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        completion: { completionItem: { snippetSupport: true } },
        hover: { contentFormat: ['markdown'] },
        ...(options.pullDiagnostics ? { diagnostic: { dynamicRegistration: false } } : {}),
      },
    },
  });
  await connection.sendNotification('initialized', {});
  return client;
}
