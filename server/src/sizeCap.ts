// Bounded work and memory for any document: a file over the size cap is not checked at all (one
// `file-too-large` finding instead), and an editor is sent at most MAX_EDITOR_FINDINGS findings (plus one
// `too-many-findings` note). Real fail2ban/DMS config files are a few KiB (fail2ban 1.1.1's whole stock jail.conf
// is about 30 KiB); the cap only stops files nobody edits by hand from exhausting the language server, whose
// heap the extension caps at 576 MB (server/src/runtimeFlags.ts): the worst shape measured, 100k two-line
// sections (2.4 MB, 200k non-empty lines), is still answered under that cap.
import type { EngineDiagnostic, Range, Severity } from './types';

/** Larger documents are not checked (UTF-16 code units of the text; = bytes for ASCII files). */
export const MAX_CHECKED_CHARS = 4 * 1024 * 1024;
export const MAX_CHECKED_CHARS_LABEL = '4 MiB';
/** Documents with more non-empty lines are not checked (memory grows with lines, not bytes). */
export const MAX_CHECKED_LINES = 200_000;
/** At most this many findings go to the editor; the rest are summarised in one note. */
export const MAX_EDITOR_FINDINGS = 1000;

/** The codes the size cap reports (they come from here, not from a rule). */
export const SIZE_CAP_CODES = {
  'file-too-large': { severity: 'warning', outcome: 'not checked', docs: 'A file over the size cap gets this one finding instead of a check.' },
  'too-many-findings': { severity: 'information', outcome: 'advice', docs: `Only the first ${MAX_EDITOR_FINDINGS} findings are shown in the editor.` },
} as const satisfies Record<string, { severity: Severity; outcome: string; docs: string }>;

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Non-empty lines of `text`, counting stops once over `limit` (a linear scan, no line array). */
function nonEmptyLinesOver(text: string, limit: number): number {
  let count = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start && !(end === start + 1 && text.charCodeAt(start) === 13)) {
      if (++count > limit) return count;
    }
    start = end + 1;
  }
  return count;
}

/**
 * The one finding for a document too large to check, or undefined when it is checked. `lineCount`, when the caller
 * knows it (an open document does): at most MAX_CHECKED_LINES lines in all need no count of the non-empty ones.
 */
export function fileTooLarge(text: string, lineCount?: number): EngineDiagnostic | undefined {
  const chars = text.length;
  let why: string | undefined;
  if (chars > MAX_CHECKED_CHARS) why = `more than ${MAX_CHECKED_CHARS_LABEL} (${chars.toLocaleString('en')} characters)`;
  else if (!(lineCount !== undefined && lineCount <= MAX_CHECKED_LINES) && nonEmptyLinesOver(text, MAX_CHECKED_LINES) > MAX_CHECKED_LINES) {
    why = `more than ${MAX_CHECKED_LINES.toLocaleString('en')} non-empty lines`;
  }
  if (!why) return undefined;
  return {
    range: START,
    severity: SIZE_CAP_CODES['file-too-large'].severity,
    code: 'file-too-large',
    message:
      `This file is too large to check — ${why}; fail2ban and DMS config files are a few KiB. ` +
      `Split it (jail.d/*.local files) or check a smaller part; nothing else in it is reported.`,
  };
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, information: 2, hint: 3 };

/**
 * At most `max` findings, most severe first (an error at the end of the file is never crowded out by hints),
 * kept in their document order, plus the `too-many-findings` note when some were left out.
 */
export function limitFindings(findings: readonly EngineDiagnostic[], max = MAX_EDITOR_FINDINGS): EngineDiagnostic[] {
  if (findings.length <= max) return [...findings];
  const kept = findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] || a.index - b.index)
    .slice(0, max)
    .sort((a, b) => a.index - b.index)
    .map((entry) => entry.finding);
  return [...kept, tooManyFindings(findings.length - max, max)];
}

/** The `too-many-findings` note for `left` findings not shown. */
function tooManyFindings(left: number, shown: number): EngineDiagnostic {
  return {
    range: START,
    severity: SIZE_CAP_CODES['too-many-findings'].severity,
    code: 'too-many-findings',
    message:
      `${left.toLocaleString('en')} more findings are not shown (the editor gets ${shown.toLocaleString('en')}, the most severe first). ` +
      'Fix those first, or run `dms-fail2ban check` on the file to list them all.',
  };
}
