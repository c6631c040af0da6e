// CodeLens: the run state of each jail (features/jailLens.ts).
import { computeJailLenses } from '../features/jailLens';
import type { Session } from './session';

export function registerCodeLensHandlers(session: Session): void {
  session.connection.onCodeLens((raw) =>
    session.guarded('code lens', [], async () => {
      const request = session.open(raw);
      if (!request) return [];
      const uri = request.params.textDocument.uri;
      const options = await session.requestOptionsFor(uri);
      // the findings of this version come from the document's incremental checker: usually the diagnostics' answer
      const doc = session.docFor(uri);
      if (!doc) return [];
      return session.toClient(request.document, computeJailLenses(doc, options, uri, session.checkerFor(uri).check(doc, options)));
    }),
  );
}
