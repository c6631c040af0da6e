// Diagnostics, pushed (textDocument/publishDiagnostics, debounced per document) or pulled
// (textDocument/diagnostic, answered "unchanged" while nothing that decides them changed).
import type { DocumentDiagnosticReport } from 'vscode-languageserver-protocol/lib/common/api';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { computeDiagnostics, toLspDiagnostic } from '../features/diagnostics';
import type { FeatureOptions } from '../features/shared';
import type { ProvidedFiles } from '../types';
import type { Session } from './session';
import { throughTypingHold } from './typingHold';

/** Push diagnostics wait at most this long for more edits (the wait follows the document's last check time). */
const MAX_PUSH_DELAY_MS = 200;

/** One pending check per document; rapid edits coalesce (the wait is about as long as a check takes). */
interface PushState {
  pending: Map<string, ReturnType<typeof setTimeout>>;
  lastCheckMs: Map<string, number>;
}
const pushStates = new WeakMap<Session, PushState>();

function pushState(session: Session): PushState {
  let state = pushStates.get(session);
  if (!state) {
    state = { pending: new Map(), lastCheckMs: new Map() };
    pushStates.set(session, state);
  }
  return state;
}

/** The diagnostics of an open document as it is now (synchronous: the text checked is the version reported). */
function diagnosticsNow(session: Session, uri: string, options: FeatureOptions): Diagnostic[] | undefined {
  const tooLarge = session.tooLargeFor(uri);
  if (tooLarge) return [toLspDiagnostic(tooLarge)];
  const doc = session.docFor(uri);
  return doc ? computeDiagnostics(doc, options, session.checkerFor(uri)) : undefined;
}

/** Diagnostics of the document as it is now (UTF-16); undefined when it is not open. */
export async function currentDiagnostics(session: Session, uri: string): Promise<{ document: TextDocument; items: Diagnostic[] } | undefined> {
  const options = await session.optionsFor(uri);
  const document = session.documents.get(uri);
  const items = document ? diagnosticsNow(session, uri, options) : undefined;
  return document && items ? { document, items } : undefined;
}

/** A changed compose file or extra folder changes what is provided, and so the diagnostics. */
function providedKey(provided: ProvidedFiles | undefined): string {
  return provided ? `${provided.filters.join(',')}/${provided.actions.join(',')}` : '';
}

async function pushDiagnostics(session: Session, uri: string): Promise<void> {
  const state = pushState(session);
  const started = Date.now();
  const current = await session.guarded('diagnostics', undefined, () => currentDiagnostics(session, uri));
  state.lastCheckMs.set(uri, Date.now() - started);
  if (!current || state.pending.has(uri)) return; // closed, or a newer edit will report again
  const { document } = current;
  const { items } = throughTypingHold(session, uri, current.items, () => schedulePush(session, uri));
  session.quietly('publishDiagnostics', session.connection.sendDiagnostics({ uri, version: document.version, diagnostics: session.toClient(document, items) }));
}

export function schedulePush(session: Session, uri: string): void {
  const state = pushState(session);
  const pending = state.pending.get(uri);
  if (pending) clearTimeout(pending);
  const delay = Math.min(state.lastCheckMs.get(uri) ?? 0, MAX_PUSH_DELAY_MS);
  state.pending.set(
    uri,
    setTimeout(() => {
      state.pending.delete(uri);
      void pushDiagnostics(session, uri);
    }, delay),
  );
}

/** A closed document: no pending check, no remembered check time. */
export function forgetDiagnostics(session: Session, uri: string): void {
  const state = pushState(session);
  const pending = state.pending.get(uri);
  if (pending) clearTimeout(pending);
  state.pending.delete(uri);
  state.lastCheckMs.delete(uri);
}

export function refreshAllDiagnostics(session: Session): void {
  if (session.client.pullDiagnostics) {
    if (session.client.canRefreshDiagnostics) session.quietly('workspace/diagnostic/refresh', session.connection.languages.diagnostics.refresh());
  } else {
    for (const document of session.documents.all()) schedulePush(session, document.uri);
  }
}

export function registerDiagnosticsHandlers(session: Session): void {
  session.connection.languages.diagnostics.on((params) =>
    session.guarded<DocumentDiagnosticReport>('diagnostics', { kind: 'full', items: [] }, async () => {
      const uri = params.textDocument.uri;
      const options = await session.optionsFor(uri);
      // from here on synchronous (as in currentDiagnostics); an unchanged document is not checked again
      const document = session.documents.get(uri);
      if (!document) return { kind: 'full', items: [] };
      const resultId = `${session.resultIdOf(document)}.${providedKey(options.provided)}`;
      if (params.previousResultId === resultId) return { kind: 'unchanged', resultId };
      const { items, held } = throughTypingHold(session, uri, diagnosticsNow(session, uri, options) ?? [], () => refreshAllDiagnostics(session));
      // a held answer gets its own id, so the pull after the hold is a full answer
      return { kind: 'full', resultId: held ? `${resultId}.held` : resultId, items: session.toClient(document, items) };
    }),
  );
}
