// Every LSP handler of the server, registered on one session. A new topic adds its own module here
// (one `register…(session)` function) and one line below.
import type { Connection } from 'vscode-languageserver/lib/node/main';
import { registerCodeLensHandlers } from './codeLens';
import { registerDiagnosticsHandlers } from './diagnostics';
import { registerDocumentHandlers } from './documents';
import { registerExtensionRequests } from './extensionRequests';
import { registerInitializeHandlers } from './initialize';
import { registerRequestHandlers } from './requests';
import type { Session } from './session';
import { registerSettingsHandlers } from './settings';
import { registerTypingHold, SYSTEM_CLOCK, type HoldClock } from './typingHold';

export function registerHandlers(connection: Connection, session: Session, holdClock: HoldClock = SYSTEM_CLOCK): void {
  if (session.connection !== connection) throw new Error('registerHandlers: the session belongs to another connection');
  registerInitializeHandlers(session);
  registerSettingsHandlers(session);
  registerDocumentHandlers(session);
  registerTypingHold(session, holdClock);
  registerDiagnosticsHandlers(session);
  registerRequestHandlers(session);
  registerCodeLensHandlers(session);
  registerExtensionRequests({ connection, guarded: (what, fallback, run) => session.guarded(what, fallback, run), liveContextOf: () => undefined });
}

export { Session } from './session';
