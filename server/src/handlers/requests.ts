// Feature requests: each converts positions, calls one pure feature function and adapts the answer to the client.
import type { CodeActionParams } from 'vscode-languageserver-protocol/lib/common/api';
import type { CompletionItem, Diagnostic } from 'vscode-languageserver-types';
import { adaptHover, flattenSymbols } from '../features/clientCompat';
import { computeCodeActions } from '../features/codeActions';
import { completionAnswer } from '../features/completion';
import { computeDefinition } from '../features/definition';
import { fixesOf } from '../features/diagnostics';
import { computeFixAll, wantsFixAll } from '../features/fixAll';
import { computeEffectiveConfig, EFFECTIVE_CONFIG_REQUEST, type EffectiveConfigParams, type EffectiveConfigResult } from '../features/effectiveConfig';
import { computeFoldingRanges } from '../features/folding';
import { computeFormatting } from '../features/formatting';
import { computeHover } from '../features/hover';
import { computeInlayHints } from '../features/inlayHints';
import { computeDocumentSymbols } from '../features/symbols';
import type { Range } from '../types';
import { currentDiagnostics } from './diagnostics';
import { isFiniteRange } from './documents';
import type { Session } from './session';

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Clients without `dataSupport` drop Diagnostic.data (where the fixes travel): find them again by code and range. */
async function withFixes(session: Session, uri: string, diagnostics: Diagnostic[]): Promise<Diagnostic[]> {
  if (!diagnostics.some((d) => fixesOf(d).length === 0)) return diagnostics;
  const current = (await currentDiagnostics(session, uri))?.items ?? [];
  return diagnostics.map((d) => (fixesOf(d).length > 0 ? d : (current.find((c) => c.code === d.code && sameRange(c.range, d.range)) ?? d)));
}

export function registerRequestHandlers(session: Session): void {
  const { connection } = session;

  connection.onCompletion((raw) =>
    session.guarded('completion', [], async () => {
      const request = session.open(raw);
      if (!request) return [];
      const answer = completionAnswer(request.doc, request.params.position, await session.requestOptionsFor(request.params.textDocument.uri));
      return session.toClient(request.document, session.completionDelivery.send(answer, session.client));
    }),
  );

  connection.onCompletionResolve((item: CompletionItem) => session.guarded('completionItem/resolve', item, () => session.completionDelivery.resolve(item)));

  connection.onHover((raw) =>
    session.guarded('hover', null, async () => {
      const request = session.open(raw);
      if (!request) return null;
      const hover = computeHover(request.doc, request.params.position, await session.requestOptionsFor(request.params.textDocument.uri));
      return session.toClient(request.document, adaptHover(hover, session.client.profile));
    }),
  );

  connection.onCodeAction((raw: CodeActionParams) =>
    session.guarded('code actions', [], async () => {
      const request = session.open(raw);
      if (!request || !isFiniteRange(request.params.range)) return [];
      const uri = request.params.textDocument.uri;
      if (wantsFixAll(request.params.context?.only)) {
        const fixAll = computeFixAll(request.doc, await session.requestOptionsFor(uri), uri);
        return fixAll ? session.toClient(request.document, [fixAll]) : [];
      }
      const given = Array.isArray(request.params.context?.diagnostics) ? request.params.context.diagnostics.filter((d) => isFiniteRange(d?.range)) : [];
      const diagnostics = await withFixes(session, uri, given);
      const doc = session.docFor(uri);
      if (!doc) return [];
      return session.toClient(request.document, computeCodeActions(doc, request.params.range, diagnostics, uri));
    }),
  );

  connection.onDocumentSymbol((raw) =>
    session.guarded('document symbols', [], () => {
      const request = session.open(raw);
      if (!request) return [];
      const symbols = session.toClient(request.document, computeDocumentSymbols(request.doc));
      return session.client.profile.hierarchicalSymbols ? symbols : flattenSymbols(symbols, request.params.textDocument.uri);
    }),
  );

  connection.onFoldingRanges((raw) =>
    session.guarded('folding', [], () => {
      const request = session.open(raw);
      return request ? computeFoldingRanges(request.doc) : [];
    }),
  );

  connection.onDocumentFormatting((raw) =>
    session.guarded('formatting', [], () => {
      const request = session.open(raw);
      return request ? session.toClient(request.document, computeFormatting(request.doc)) : [];
    }),
  );

  connection.onDocumentRangeFormatting((raw) =>
    session.guarded('range formatting', [], () => {
      const request = session.open(raw);
      if (!request || !isFiniteRange(request.params.range)) return [];
      const { start, end } = request.params.range;
      // a range ending at column 0 of a line does not include that line
      const lastLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
      const edits = computeFormatting(request.doc).filter((e) => e.range.start.line >= start.line && e.range.start.line <= lastLine);
      return session.toClient(request.document, edits);
    }),
  );

  connection.onDefinition((raw) =>
    session.guarded('definition', [], () => {
      const request = session.open(raw);
      return request ? session.toClient(request.document, computeDefinition(request.doc, request.params.position, request.params.textDocument.uri)) : [];
    }),
  );

  connection.languages.inlayHint.on((raw) =>
    session.guarded('inlay hints', [], async () => {
      const request = session.open(raw);
      if (!request || !isFiniteRange(request.params.range)) return [];
      return session.toClient(request.document, computeInlayHints(request.doc, request.params.range, await session.requestOptionsFor(request.params.textDocument.uri)));
    }),
  );

  connection.onRequest(EFFECTIVE_CONFIG_REQUEST, (params: EffectiveConfigParams) =>
    session.guarded<EffectiveConfigResult>('effective configuration', { text: '' }, async () => {
      const uri = params?.uri;
      const doc = typeof uri === 'string' ? session.docFor(uri) : undefined;
      if (!doc) return { text: `; ${String(uri)} is not open in the editor.\n` };
      return computeEffectiveConfig(doc, await session.requestOptionsFor(uri));
    }),
  );
}
