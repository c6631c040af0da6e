// A quick fix must never turn a file fail2ban reads into one it refuses: "Change to 'bantime'" on `bantme`
// in a section that already sets `bantime` makes a duplicate option, and renaming a section onto an existing
// one a duplicate section; Python's strict configparser (as fail2ban 1.0.2/1.1.0 use it) then rejects the
// whole file. Each offered edit is applied and the result parsed again with our configparser model.
import type { ConfigDocument, ParseProblem } from '../parser/model';
import { parseDocument } from '../parser/parse';
import type { Position, Range } from '../types';

/** Parser problems at which configparser raises (fail2ban then refuses the whole file). */
const REFUSED: ReadonlySet<ParseProblem['code']> = new Set(['missing-section-header', 'utf8-bom', 'invalid-line', 'duplicate-section', 'duplicate-option']);

export function refusedProblemCount(doc: Pick<ConfigDocument, 'problems'>): number {
  return doc.problems.filter((problem) => REFUSED.has(problem.code)).length;
}

/** Applies non-overlapping edits (UTF-16 positions; lines end at \n, \r\n or \r). */
export function applyTextEdits(text: string, edits: readonly { range: Range; newText: string }[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0d && text.charCodeAt(i + 1) === 0x0a) continue;
    if (code === 0x0a || code === 0x0d) lineStarts.push(i + 1);
  }
  const offsetOf = (p: Position) => Math.min((lineStarts[p.line] ?? text.length) + p.character, text.length);
  const sorted = [...edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start));
  let out = text;
  for (const edit of sorted) out = out.slice(0, offsetOf(edit.range.start)) + edit.newText + out.slice(offsetOf(edit.range.end));
  return out;
}

/** True unless the edits add a problem at which fail2ban's configparser would refuse the file. */
export function keepsFileReadable(doc: ConfigDocument, edits: readonly { range: Range; newText: string }[]): boolean {
  if (edits.length === 0) return true;
  return refusedProblemCount(parseDocument(applyTextEdits(doc.text, edits))) <= refusedProblemCount(doc);
}
