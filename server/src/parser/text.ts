// Text basics shared by the parser and its consumers: line splitting exactly like Python's
// universal-newline file reading (\n, \r\n, \r), offset <-> position conversion, range helpers.
// Python's idea of whitespace is the tokenizer's (tokenize.ts).
import type { Position, Range } from '../types';

export interface SplitText {
  /** Physical lines without their terminators. */
  lines: string[];
  /** Offset in the text where each line starts (same length as `lines`). */
  lineStarts: number[];
}

const LF = 10;
const CR = 13;

/** Splits on \n, \r\n and \r only — the terminators Python's text-mode file reading recognises. */
export function splitLines(text: string): SplitText {
  const lines: string[] = [];
  const lineStarts: number[] = [];
  let start = 0;
  const length = text.length;
  if (!text.includes('\r')) {
    // the usual text: only \n ends a line, found by indexOf instead of a look at each character; the lines counted
    // first so that the arrays are made at their size (growing them cost more than the count)
    let count = 1;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', end + 1)) count++;
    const sizedLines = new Array<string>(count);
    const sizedStarts = new Array<number>(count);
    let line = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      sizedLines[line] = text.slice(start, end);
      sizedStarts[line++] = start;
      start = end + 1;
    }
    sizedLines[line] = text.slice(start);
    sizedStarts[line] = start;
    return { lines: sizedLines, lineStarts: sizedStarts };
  }
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code !== LF && code !== CR) continue;
    lines.push(text.slice(start, i));
    lineStarts.push(start);
    if (code === CR && i + 1 < length && text.charCodeAt(i + 1) === LF) i++;
    start = i + 1;
  }
  lines.push(text.slice(start));
  lineStarts.push(start);
  return { lines, lineStarts };
}

/** Line feeds in `text` (indexOf finds them faster than a look at each character). */
export function lineFeedCount(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * Where each line of `text` starts (splitLines(text).lineStarts) without cutting the lines: the parser scans the
 * text by these offsets.
 */
export function lineStartsOf(text: string): number[] {
  if (!text.includes('\r')) {
    const starts = new Array<number>(lineFeedCount(text) + 1); // sized once: no copies while it grows
    starts[0] = 0;
    let line = 1;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', end + 1)) starts[line++] = end + 1;
    return starts;
  }
  const starts = [0];
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code !== LF && code !== CR) continue;
    if (code === CR && i + 1 < length && text.charCodeAt(i + 1) === LF) i++;
    starts.push(i + 1);
  }
  return starts;
}

/** Anything that knows its text; `lineStarts` is used when present (ConfigDocument always has it). */
export interface TextLike {
  text: string;
  lineStarts?: readonly number[];
}

// Line starts of documents that did not carry them, computed once per object.
const lineStartsCache = new WeakMap<object, readonly number[]>();

function lineStartsOfDocument(doc: TextLike): readonly number[] {
  if (doc.lineStarts) return doc.lineStarts;
  let starts = lineStartsCache.get(doc);
  if (!starts) {
    starts = lineStartsOf(doc.text);
    lineStartsCache.set(doc, starts);
  }
  return starts;
}

/** Offset (UTF-16 units) → LSP position; offsets are clamped to the text. */
export function positionAt(doc: TextLike, offset: number): Position {
  const starts = lineStartsOfDocument(doc);
  const clamped = Math.max(0, Math.min(offset, doc.text.length));
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= clamped) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: clamped - starts[low] };
}

/** LSP position → offset; the character is clamped to the line (terminator excluded). */
export function offsetAt(doc: TextLike, position: Position): number {
  const starts = lineStartsOfDocument(doc);
  if (position.line < 0) return 0;
  if (position.line >= starts.length) return doc.text.length;
  const lineStart = starts[position.line];
  const lineEnd = lineContentEnd(doc.text, starts, position.line);
  return Math.max(lineStart, Math.min(lineStart + position.character, lineEnd));
}

/** Where line `line` of `text` ends, its terminator excluded (`starts`: its lineStarts). */
export function lineContentEnd(text: string, starts: readonly number[], line: number): number {
  let end = line + 1 < starts.length ? starts[line + 1] : text.length;
  if (end > starts[line] && text.charCodeAt(end - 1) === LF) end--;
  if (end > starts[line] && text.charCodeAt(end - 1) === CR) end--;
  return end;
}

// ---- ranges -------------------------------------------------------------------------------

export function lineRange(line: number, startCharacter: number, endCharacter: number): Range {
  return { start: { line, character: startCharacter }, end: { line, character: endCharacter } };
}

export function emptyRange(line: number, character: number): Range {
  return lineRange(line, character, character);
}

export function spanRange(start: Range, end: Range): Range {
  return { start: start.start, end: end.end };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

export function rangeContains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

export function isEmptyRange(range: Range): boolean {
  return comparePositions(range.start, range.end) === 0;
}

/** Line terminator the document uses, for inserted line breaks: CRLF if any, CR if only CR, else LF. */
export function lineBreakOf(text: string): string {
  if (text.includes('\r\n')) return '\r\n';
  return text.includes('\r') && !text.includes('\n') ? '\r' : '\n';
}
