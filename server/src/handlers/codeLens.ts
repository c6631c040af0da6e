// CodeLens: the run state of each jail (features/jailLens.ts).
import { computeJailLenses } from '../features/jailLens';
import type { Session } from './session';

export function registerCodeLensHandlers(session: Session): void {
  session.connection.onCodeLens((raw) =>
    session.guarded('code lens', [], async () => {
      const request = session.open(raw);
      if (!request) return [];
      const uri = request.params.textDocument.uri;
      return session.toClient(request.document, computeJailLenses(request.doc, await session.requestOptionsFor(uri), uri));
    }),
  );
}
