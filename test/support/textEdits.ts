// Applying LSP text edits in tests, to check what a formatting result or a quick fix turns a text into.
import type { Position, Range } from '../../server/src/types';

/**
 * Applies non-overlapping LSP text edits (any order) to `text`. Lines end at \n, \r\n or \r; a position
 * past a line or the text end is clamped to the text end.
 */
export function applyEdits(text: string, edits: readonly { range: Range; newText: string }[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') continue;
    if (text[i] === '\n' || text[i] === '\r') lineStarts.push(i + 1);
  }
  const offsetOf = (p: Position) => Math.min((lineStarts[p.line] ?? text.length) + p.character, text.length);
  // Last edit first, so the offsets of the ones before it stay valid.
  const sorted = [...edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start));
  let out = text;
  for (const edit of sorted) out = out.slice(0, offsetOf(edit.range.start)) + edit.newText + out.slice(offsetOf(edit.range.end));
  return out;
}
