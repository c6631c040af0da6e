// Issue 14.4: a half-typed line (`ba`) must not flash "Line is not key = value … refuses the whole
// configuration" at every keystroke. Problems that newly appear on the line(s) the last edit touched are held
// back for a short while after that edit; once the typing pauses (or moves to another line) they are shown.
// A problem already shown on that line stays shown (no flicker). The clock is injected, so tests need no timers.
import type { Diagnostic } from 'vscode-languageserver-types';

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

/** Lines of `after` that differ from `before` (common leading and trailing lines left out); undefined: no change. */
export function changedLines(before: string, after: string): { from: number; to: number } | undefined {
  if (before === after) return undefined;
  const old = before.split(/\r\n|\r|\n/);
  const now = after.split(/\r\n|\r|\n/);
  let head = 0;
  while (head < old.length && head < now.length && old[head] === now[head]) head++;
  let tail = 0;
  while (tail < old.length - head && tail < now.length - head && old[old.length - 1 - tail] === now[now.length - 1 - tail]) tail++;
  // a deleted line leaves no changed line in `after`: the line where it was is the one being edited
  return { from: Math.min(head, now.length - 1), to: Math.max(Math.min(head, now.length - 1), now.length - 1 - tail) };
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
