// The language server's entry: a connection, a session, the handlers (server/src/handlers/), listen.
// Settings are fetched per document (workspace/configuration with the document's URI) and never shared
// across documents; every handler answers with an empty result instead of failing.
import type * as LanguageServerModule from 'vscode-languageserver/lib/node/main';
import type { Connection } from 'vscode-languageserver/lib/node/main';
import { MessageGate } from './features/messageGate';
import { registerHandlers, Session } from './handlers';
import { describeError } from './handlers/session';

export { filePathOfUri, kindOfUri, workspaceProvided } from './handlers/session';
export { normalizeSettings, type ServerSettings } from './handlers/settings';

// Types come from the deep path (tsconfig's node10 resolution ignores the package's "exports" map);
// the value comes from the exported 'vscode-languageserver/node', which esbuild resolves and bundles.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createConnection, ProposedFeatures } = require('vscode-languageserver/node') as typeof LanguageServerModule;

let crashGuardsInstalled = false;

/** A language server must outlive its own bugs: log what escaped a handler instead of dying (and losing the client's documents). */
function installCrashGuards(): void {
  if (crashGuardsInstalled) return;
  crashGuardsInstalled = true;
  const log = (what: string) => (error: unknown) => {
    try {
      process.stderr.write(`dms-fail2ban language server: ${what}: ${describeError(error)}\n`);
    } catch {
      // stderr gone as well: nothing left to tell
    }
  };
  process.on('unhandledRejection', log('unhandled rejection'));
  process.on('uncaughtException', log('uncaught exception'));
}

export function startServer(existing?: Connection): Connection {
  installCrashGuards();
  const gate = new MessageGate();
  const connection = existing ?? createConnection(ProposedFeatures.all, { messageStrategy: gate });
  if (!existing) gate.attach(connection);
  const session = new Session(connection);
  registerHandlers(connection, session);
  session.documents.listen(connection);
  connection.listen();
  return connection;
}
