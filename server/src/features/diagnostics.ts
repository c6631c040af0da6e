// Engine diagnostics → LSP diagnostics: source, rule code with a docs link, and the fixes carried in `data`
// so code actions can offer them without re-checking.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { checkParsed } from '../engine';
import type { ConfigDocument } from '../parser/model';
import type { IncrementalChecker } from '../incremental';
import { limitFindings } from '../sizeCap';
import type { EngineDiagnostic, Fix, Severity } from '../types';
import { ruleDocsUrl, type FeatureOptions } from './shared';

export const DIAGNOSTIC_SOURCE = 'dms-fail2ban';

/** What travels in Diagnostic.data. */
export interface DiagnosticData {
  fixes: Fix[];
}

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** `uri` is where relatedInformation points: the technical details (Python's own error text) are shown there. */
export function toLspDiagnostic(diagnostic: EngineDiagnostic, uri?: string): Diagnostic {
  const data: DiagnosticData = { fixes: diagnostic.fixes ?? [] };
  const range = { start: { ...diagnostic.range.start }, end: { ...diagnostic.range.end } };
  return {
    range,
    severity: SEVERITY[diagnostic.severity],
    source: DIAGNOSTIC_SOURCE,
    code: diagnostic.code,
    codeDescription: { href: ruleDocsUrl(diagnostic.code) },
    message: diagnostic.message,
    ...(diagnostic.details && uri ? { relatedInformation: [{ location: { uri, range }, message: diagnostic.details }] } : {}),
    data,
  };
}

/**
 * The diagnostics of a document for the editor (at most MAX_EDITOR_FINDINGS plus a `too-many-findings` note),
 * re-checking only the changed sections when given the document's `checker` (server/src/incremental.ts);
 * an internal error yields an empty list (never stale or crashing).
 */
export function computeDiagnostics(doc: ConfigDocument, options: FeatureOptions, checker?: IncrementalChecker): Diagnostic[] {
  try {
    return limitFindings(checker ? checker.check(doc, options) : checkParsed(doc, options)).map((diagnostic) => toLspDiagnostic(diagnostic, options.documentUri));
  } catch {
    return [];
  }
}

export function fixesOf(diagnostic: Diagnostic): Fix[] {
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  return Array.isArray(data?.fixes) ? data.fixes : [];
}
