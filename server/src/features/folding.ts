// Folding ranges: sections (header to last non-blank line), multi-line values, blocks of comment lines.
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../parser/model';

function lastContentLine(doc: ConfigDocument, from: number, to: number): number {
  let line = to;
  while (line > from && (doc.lines[line] ?? '').trim() === '') line--;
  return line;
}

export function computeFoldingRanges(doc: ConfigDocument): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const section of doc.sections) {
    const start = section.headerRange.start.line;
    const end = lastContentLine(doc, start, section.range.end.line);
    if (end > start) ranges.push({ startLine: start, endLine: end });
    for (const option of section.options) {
      if (option.range.end.line > option.range.start.line) ranges.push({ startLine: option.range.start.line, endLine: option.range.end.line });
    }
  }
  // consecutive full-line comments (2 or more)
  const commentLines = [...new Set(doc.comments.map((c) => c.range.start.line))].sort((a, b) => a - b);
  let blockStart = -1;
  let previous = -2;
  for (const line of [...commentLines, Number.MAX_SAFE_INTEGER]) {
    if (line !== previous + 1) {
      if (blockStart >= 0 && previous > blockStart) ranges.push({ startLine: blockStart, endLine: previous, kind: FoldingRangeKind.Comment });
      blockStart = line;
    }
    previous = line;
  }
  return ranges;
}
