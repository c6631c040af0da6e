// `source.fixAll.dms-fail2ban` (editor.codeActionsOnSave): every fix the engine marks as the one clear choice
// (`preferred`), applied together — never two edits on the same text, never a fix after which fail2ban's
// configparser would refuse the file, and never a result with more errors than before (checked by running the
// engine on the fixed text). Fixes that are not preferred (several candidates, removals) stay quick fixes.
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { checkDocument, checkParsed } from '../engine';
import type { ConfigDocument } from '../parser/model';
import type { EngineDiagnostic } from '../types';
import { applyTextEdits, keepsFileReadable } from './fixSafety';
import { rangesOverlap, type FeatureOptions } from './shared';
import { t } from '../l10n';

export const FIX_ALL_KIND = 'source.fixAll.dms-fail2ban';

/** True when a request's `only` asks for our fix-all (itself, `source.fixAll` or `source`). */
export function wantsFixAll(only: readonly string[] | undefined): boolean {
  return only !== undefined && only.some((kind) => kind === FIX_ALL_KIND || FIX_ALL_KIND.startsWith(`${kind}.`));
}

function errorCount(diagnostics: readonly EngineDiagnostic[]): number {
  return diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
}

/** The edits of every preferred fix that can be applied together and safely. */
export function fixAllEdits(doc: ConfigDocument, options: FeatureOptions): TextEdit[] {
  const diagnostics = checkParsed(doc, options);
  const chosen: TextEdit[] = [];
  for (const diagnostic of diagnostics) {
    const fix = diagnostic.fixes?.find((candidate) => candidate.preferred === true);
    if (!fix || fix.edits.length === 0) continue;
    if (fix.edits.some((edit) => chosen.some((taken) => rangesOverlap(taken.range, edit.range)))) continue;
    const next = [...chosen, ...fix.edits.map((edit) => ({ range: edit.range, newText: edit.newText }))];
    if (keepsFileReadable(doc, next)) chosen.splice(0, chosen.length, ...next);
  }
  if (chosen.length === 0) return [];
  // the whole result is checked again: a combination must not leave more errors than the file had
  const fixed = checkDocument(applyTextEdits(doc.text, chosen), options);
  return errorCount(fixed) <= errorCount(diagnostics) ? chosen : [];
}

export function computeFixAll(doc: ConfigDocument, options: FeatureOptions, uri: string): CodeAction | undefined {
  const edits = fixAllEdits(doc, options);
  if (edits.length === 0) return undefined;
  return { title: t('Fix all auto-fixable fail2ban problems'), kind: FIX_ALL_KIND, edit: { changes: { [uri]: edits } } };
}
