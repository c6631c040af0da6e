// Mapping offsets inside an option's (joined, multi-line) value back to document ranges.
import type { OptionNode } from '../parser/model';
import type { Position, Range } from '../types';

/**
 * Where each value line starts in `option.value`, built once per option: a rule asks for a position on every
 * line of a long value (a 20k-line failregex), and scanning the lines each time made that quadratic.
 */
const lineStartsByOption = new WeakMap<OptionNode, Int32Array>();

function lineStarts(option: OptionNode): Int32Array {
  let starts = lineStartsByOption.get(option);
  if (!starts) {
    starts = new Int32Array(option.lines.length);
    let start = 0;
    option.lines.forEach((line, index) => {
      starts![index] = start;
      start += line.text.length + 1;
    });
    lineStartsByOption.set(option, starts);
  }
  return starts;
}

/** Position of UTF-16 `offset` within `option.value` (lines joined with '\n'); clamps to the value end. */
export function valueOffsetPosition(option: OptionNode, offset: number): Position {
  const lines = option.lines;
  if (lines.length === 1) {
    // most values have one line: no line index needed
    const only = lines[0];
    if (offset <= only.text.length) return { line: only.range.start.line, character: only.range.start.character + Math.max(0, offset) };
    return { ...only.range.end };
  }
  const starts = lineStarts(option);
  // the first line whose end (start + length) is at or after offset: binary search over the sorted starts
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (starts[middle] + lines[middle].text.length < offset) low = middle + 1;
    else high = middle;
  }
  if (low < lines.length) {
    const line = lines[low];
    return { line: line.range.start.line, character: line.range.start.character + Math.max(0, offset - starts[low]) };
  }
  const last = lines[lines.length - 1];
  return last ? { ...last.range.end } : { ...option.keyRange.end };
}

/** Range of [start, end) inside the value; an end on a later line is cut at the start line's end. */
export function valueSpanRange(option: OptionNode, start: number, end: number): Range {
  const from = valueOffsetPosition(option, start);
  let to = valueOffsetPosition(option, Math.max(start, end));
  if (to.line !== from.line) {
    const line = option.lines[lineIndexAt(option, from.line)];
    to = line ? { ...line.range.end } : from;
  }
  return { start: from, end: to };
}

/** The whole value (or the key when the value is empty). */
export function wholeValueRange(option: OptionNode): Range {
  const empty =
    option.valueRange.start.line === option.valueRange.end.line &&
    option.valueRange.start.character === option.valueRange.end.character;
  return empty ? option.keyRange : option.valueRange;
}

/** Index of the value line on document line `line` (value lines are on increasing document lines), or -1. */
function lineIndexAt(option: OptionNode, line: number): number {
  let low = 0;
  let high = option.lines.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (option.lines[middle].range.start.line < line) low = middle + 1;
    else high = middle;
  }
  return low < option.lines.length && option.lines[low].range.start.line === line ? low : -1;
}
