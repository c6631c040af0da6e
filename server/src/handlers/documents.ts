// Open documents: incremental changes applied in the client's position encoding, and check / forget on
// change / close.
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/lib/common/api';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from '../types';
import { forgetDiagnostics, schedulePush } from './diagnostics';
import type { Session } from './session';

export function isFinitePosition(position: unknown): position is Position {
  const p = position as Partial<Position> | null | undefined;
  return typeof p === 'object' && p !== null && Number.isFinite(p.line) && Number.isFinite(p.character);
}

export function isFiniteRange(range: unknown): range is Range {
  const r = range as Partial<Range> | null | undefined;
  return typeof r === 'object' && r !== null && isFinitePosition(r.start) && isFinitePosition(r.end);
}

/** Applies changes one by one (each range refers to the text after the previous change); malformed changes are skipped. */
export function applyChanges(
  document: TextDocument,
  changes: TextDocumentContentChangeEvent[],
  version: number,
  toServer: (current: TextDocument, range: Range) => Range,
): TextDocument {
  let current = document;
  for (const change of Array.isArray(changes) ? changes : []) {
    if (typeof change?.text !== 'string') continue;
    if ('range' in change && change.range !== undefined) {
      if (!isFiniteRange(change.range)) continue;
      current = TextDocument.update(current, [{ range: toServer(current, change.range), text: change.text }], version);
    } else {
      current = TextDocument.update(current, [{ text: change.text }], version);
    }
  }
  return TextDocument.update(current, [], version);
}

export function registerDocumentHandlers(session: Session): void {
  const { documents, connection } = session;
  documents.onDidOpen((event: { document: TextDocument }) => session.opened(event.document));

  documents.onDidChangeContent((event: { document: TextDocument }) => {
    if (!session.client.pullDiagnostics) schedulePush(session, event.document.uri);
  });

  documents.onDidClose((event: { document: TextDocument }) => {
    const uri = event.document.uri;
    forgetDiagnostics(session, uri);
    session.forget(uri);
    session.quietly('publishDiagnostics', connection.sendDiagnostics({ uri, diagnostics: [] }));
  });
}
