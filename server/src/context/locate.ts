// Mapping offsets inside an option's (joined, multi-line) value back to document ranges.
import type { OptionNode } from '../parser/model';
import type { Position, Range } from '../types';

/** Position of UTF-16 `offset` within `option.value` (lines joined with '\n'); clamps to the value end. */
export function valueOffsetPosition(option: OptionNode, offset: number): Position {
  let lineStart = 0;
  for (const line of option.lines) {
    const lineEnd = lineStart + line.text.length;
    if (offset <= lineEnd) {
      return { line: line.range.start.line, character: line.range.start.character + Math.max(0, offset - lineStart) };
    }
    lineStart = lineEnd + 1;
  }
  const last = option.lines[option.lines.length - 1];
  return last ? { ...last.range.end } : { ...option.keyRange.end };
}

/** Range of [start, end) inside the value; an end on a later line is cut at the start line's end. */
export function valueSpanRange(option: OptionNode, start: number, end: number): Range {
  const from = valueOffsetPosition(option, start);
  let to = valueOffsetPosition(option, Math.max(start, end));
  if (to.line !== from.line) {
    const line = option.lines.find((l) => l.range.start.line === from.line);
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
