// The live container context (issue 13): the client's notification with what it read from the container, and the
// question which context is in force. A new context re-checks every open document.
import {
  CONTEXT_STATUS_REQUEST,
  LIVE_CONTEXT_NOTIFICATION,
  type ContextStatusParams,
  type ContextStatusResult,
  type LiveContextParams,
} from '../shared/protocol';
import { modelledSummary } from '../workspace/liveContext';
import { refreshAllDiagnostics } from './diagnostics';
import { kindOfUri, type Session } from './session';

export function registerLiveHandlers(session: Session): void {
  session.connection.onNotification(LIVE_CONTEXT_NOTIFICATION, (params: LiveContextParams) => {
    void session.guarded('live context', undefined, () => {
      if (session.live.update(params)) refreshAllDiagnostics(session);
    });
  });
  session.connection.onRequest(CONTEXT_STATUS_REQUEST, (params: ContextStatusParams) =>
    session.guarded<ContextStatusResult>('context status', { source: 'modelled', summary: modelledSummary(undefined, undefined), notes: [] }, async () => {
      const uri = typeof params?.uri === 'string' ? params.uri : undefined;
      const dmsVersion = uri ? (await session.settingsFor(uri)).dmsVersion : session.defaultSettings.dmsVersion;
      return session.live.status(uri ? kindOfUri(uri) : 'dms-jail', dmsVersion, uri ? session.documents.get(uri)?.getText() : undefined);
    }),
  );
}
