// The live container context (issue 13): the client's notification with what it read from the container, and the
// question which context is in force. A new context re-checks every open document.
import type { Connection } from 'vscode-languageserver/lib/node/main';
import {
  CONTEXT_STATUS_REQUEST,
  LIVE_CONTEXT_NOTIFICATION,
  type ContextStatusParams,
  type ContextStatusResult,
  type LiveContextParams,
} from '../shared/protocol';
import type { DmsVersion, FileKind } from '../types';
import { modelledSummary, type LiveContextStore } from '../workspace/liveContext';

export interface LiveHandlerHost {
  connection: Connection;
  live: LiveContextStore;
  guarded<T>(what: string, fallback: T, run: () => T | Promise<T>): Promise<T>;
  /** Diagnostics of every open document are stale: check them again. */
  refreshAllDiagnostics(): void;
  kindOfUri(uri: string): FileKind;
  dmsVersionFor(uri: string | undefined): Promise<DmsVersion | undefined>;
  /** The editor's text of an open document. */
  textOf(uri: string): string | undefined;
}

export function registerLiveHandlers(host: LiveHandlerHost): void {
  host.connection.onNotification(LIVE_CONTEXT_NOTIFICATION, (params: LiveContextParams) => {
    void host.guarded('live context', undefined, () => {
      if (host.live.update(params)) host.refreshAllDiagnostics();
    });
  });
  host.connection.onRequest(CONTEXT_STATUS_REQUEST, (params: ContextStatusParams) =>
    host.guarded<ContextStatusResult>('context status', { source: 'modelled', summary: modelledSummary(undefined, undefined), notes: [] }, async () => {
      const uri = typeof params?.uri === 'string' ? params.uri : undefined;
      const kind = uri ? host.kindOfUri(uri) : 'dms-jail';
      return host.live.status(kind, await host.dmsVersionFor(uri), uri ? host.textOf(uri) : undefined);
    }),
  );
}
