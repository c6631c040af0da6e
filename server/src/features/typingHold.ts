// Issue 14.4: a half-typed line (`ba`) must not flash "Line is not key = value … refuses the whole
// configuration" at every keystroke. Problems that newly appear on the line(s) the last edit touched are held
// back for a short while after that edit; once the typing pauses (or moves to another line) they are shown.
// A problem already shown on that line stays shown (no flicker). The clock is injected, so tests need no timers.
import type { Diagnostic } from 'vscode-languageserver-types';
import { commonPrefixLength, commonSuffixLength } from '../parser/commonText';

/** How long after the last keystroke a new problem on the typed line waits. */
export const TYPING_HOLD_MS = 800;
/** An edit that changes more lines than this (a paste, a fix, a formatting) is not typing: nothing is held. */
const MAX_TYPED_LINES = 2;

interface LastEdit {
  /** Lines of the new text the edit touched (inclusive). */
  from: number;
  to: number;
  at: number;
}

export interface HeldDiagnostics {
  shown: Diagnostic[];
  /** Milliseconds until the held problems are due (undefined: nothing held). */
  releaseInMs?: number;
}

const LINE_BREAK = /\r\n|\r|\n/;
/** Line breaks (\r\n, \r or \n) in text[0, end); `end` follows a '\n' or is 0. */
function lineBreaksBefore(text: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < end; at = text.indexOf('\n', at + 1)) count++;
  for (let at = text.indexOf('\r'); at >= 0 && at < end; at = text.indexOf('\r', at + 1)) if (text.charCodeAt(at + 1) !== 10) count++;
  return count;
}

/** The lines of `old` and `now` compared as below: common leading lines first, then common trailing ones after them. */
function differingLines(old: readonly string[], now: readonly string[]): { head: number; from: number; to: number } {
  let head = 0;
  while (head < old.length && head < now.length && old[head] === now[head]) head++;
  let tail = 0;
  while (tail < old.length - head && tail < now.length - head && old[old.length - 1 - tail] === now[now.length - 1 - tail]) tail++;
  // a deleted line leaves no changed line in `after`: the line where it was is the one being edited
  const from = Math.min(head, now.length - 1);
  return { head, from, to: Math.max(from, now.length - 1 - tail) };
}

/**
 * Lines of `after` that differ from `before` (common leading and trailing lines left out); undefined: no change.
 * Called on every keystroke with the whole document: only the lines around the change are split. The lines
 * before the first changed character are left out (leading lines in common count the same either way), and so
 * are those after the last one when the changed lines of both texts still differ from each other then (else the
 * common trailing lines could also be leading ones, and the rest of the text is split as well).
 */
export function changedLines(before: string, after: string): { from: number; to: number } | undefined {
  if (before === after) return undefined;
  const shorter = Math.min(before.length, after.length);
  const prefix = commonPrefixLength(before, after, shorter);
  // cut after the last '\n' in common: whole lines before it, and no \r\n split by the cut
  const cut = prefix === 0 ? 0 : before.lastIndexOf('\n', prefix - 1) + 1;
  const skipped = lineBreaksBefore(before, cut);
  const suffix = commonSuffixLength(before, after, shorter - cut);
  // the common end from just after its first '\n': the same whole lines at the end of both texts
  const lastBreak = before.indexOf('\n', before.length - suffix);
  if (lastBreak >= 0) {
    const end = lastBreak + 1;
    const old = before.slice(cut, end).split(LINE_BREAK);
    const now = after.slice(cut, after.length - (before.length - end)).split(LINE_BREAK);
    old.pop(); // the '' after the cut's '\n': the common end's first line begins there
    now.pop();
    const lines = differingLines(old, now);
    if (lines.head < old.length && lines.head < now.length) return { from: skipped + lines.from, to: skipped + lines.to };
  }
  const lines = differingLines(before.slice(cut).split(LINE_BREAK), after.slice(cut).split(LINE_BREAK));
  return { from: skipped + lines.from, to: skipped + lines.to };
}

const keyOf = (diagnostic: Diagnostic): string => `${diagnostic.range.start.line}:${String(diagnostic.code ?? '')}`;

export class TypingHold {
  private readonly edits = new Map<string, LastEdit>();
  private readonly texts = new Map<string, string>();
  /** What was last shown per document (line:code), so a problem already visible is never taken away. */
  private readonly shownKeys = new Map<string, Set<string>>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly holdMs = TYPING_HOLD_MS,
  ) {}

  /**
   * The document's text now (on open and after every change). `typed`: the change was a keystroke; anything else
   * (a paste, a replaced document, a fix) shows its problems at once.
   */
  textChanged(uri: string, text: string, how: { opened?: boolean; typed?: boolean } = { typed: true }): void {
    const before = this.texts.get(uri);
    this.texts.set(uri, text);
    if (how.opened || !how.typed || before === undefined) {
      this.edits.delete(uri);
      return;
    }
    const lines = changedLines(before, text);
    if (!lines) return;
    if (lines.to - lines.from + 1 > MAX_TYPED_LINES) this.edits.delete(uri);
    else this.edits.set(uri, { ...lines, at: this.now() });
  }

  /** The diagnostics to publish now; the caller publishes again after `releaseInMs`. */
  apply(uri: string, diagnostics: readonly Diagnostic[]): HeldDiagnostics {
    const edit = this.edits.get(uri);
    const remaining = edit ? edit.at + this.holdMs - this.now() : 0;
    const previously = this.shownKeys.get(uri) ?? new Set<string>();
    const shown: Diagnostic[] = [];
    let held = 0;
    for (const diagnostic of diagnostics) {
      const line = diagnostic.range.start.line;
      const typed = edit !== undefined && remaining > 0 && line >= edit.from && line <= edit.to;
      if (typed && !previously.has(keyOf(diagnostic))) held++;
      else shown.push(diagnostic);
    }
    this.shownKeys.set(uri, new Set(shown.map(keyOf)));
    return held > 0 ? { shown, releaseInMs: remaining } : { shown };
  }

  forget(uri: string): void {
    this.edits.delete(uri);
    this.texts.delete(uri);
    this.shownKeys.delete(uri);
  }
}
