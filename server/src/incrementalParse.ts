// Re-parsing after an edit: only the sections whose lines changed are parsed again, the others are reused (as
// the same objects when nothing before them moved, else copied with their lines moved). The result equals
// parseDocument(text) exactly; when that cannot be promised cheaply (a change before the first section, in a
// [DEFAULT] section, to a header's name, or moving a section whose name repeats) the whole text is parsed again.
// Lines moved by the edit move the parser problems after it, whose messages quote line numbers: the sections
// through the last problem are parsed again too.
// test/unit/engine/incrementalParse.test.ts compares it with a full parse over seeded random edits.
import type { ConfigDocument, ParseProblem, SectionNode } from './parser/model';
import { type CommentNodeImpl, parseDocument, parseLineRange, type ParsedDocument, type ParseOptions, type SectionNodeImpl } from './parser/parse';
import { splitLines } from './parser/text';
import type { Range } from './types';
import { commonPrefixLength, commonSuffixLength } from './parser/commonText';

const DEFAULT_SECTION = 'DEFAULT';

/**
 * The lines an edit replaced: [start, oldEnd) of the lines of the document numbered `from` (documentSerial)
 * became [start, newEnd) of the new document's.
 */
export interface LineEdit {
  from: number;
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** Each re-parsed document's edit, so the incremental checker knows which lines it must look at again. */
const edits = new WeakMap<ConfigDocument, LineEdit>();

// a number per document instead of a reference: an edit must not keep the version before it alive
const serials = new WeakMap<ConfigDocument, number>();
let nextSerial = 1;

/** A number that stays with `doc` (the same document object, the same number). */
export function documentSerial(doc: ConfigDocument): number {
  let serial = serials.get(doc);
  if (serial === undefined) serials.set(doc, (serial = nextSerial++));
  return serial;
}

/** The edit `reparse` made `doc` from, if it made it. */
export function editOf(doc: ConfigDocument): LineEdit | undefined {
  return edits.get(doc);
}

/** What the last re-parse did (the tests count it). */
export interface ReparseOutcome {
  doc: ParsedDocument;
  /** Lines parsed again (the whole file when it fell back to a full parse). */
  linesParsed: number;
  full: boolean;
}

/** Index of the last item whose start line is < `line` (items sorted by line), or -1. */
function lastBefore<T>(items: readonly T[], line: number, lineOf: (item: T) => number): number {
  let low = 0;
  let high = items.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (lineOf(items[middle]) < line) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** Index of the first item whose start line is >= `line`, or items.length. */
function firstAtOrAfter<T>(items: readonly T[], line: number, lineOf: (item: T) => number): number {
  return lastBefore(items, line, lineOf) + 1;
}

const headerLine = (section: SectionNode): number => section.headerRange.start.line;
const startLine = (item: { range: Range }): number => item.range.start.line;

/** `problem` with its ranges moved `delta` lines down. */
function movedProblem(problem: ParseProblem, delta: number): ParseProblem {
  const moved: ParseProblem = { ...problem, range: movedRange(problem.range, delta) };
  if (problem.related) moved.related = movedRange(problem.related, delta);
  return moved;
}

function movedRange(range: Range, delta: number): Range {
  return { start: { line: range.start.line + delta, character: range.start.character }, end: { line: range.end.line + delta, character: range.end.character } };
}

/** Name → the first section of that name among sections[0, end) ([DEFAULT] may repeat freely). */
function firstOccurrences(sections: readonly SectionNode[], end: number): Map<string, SectionNode> {
  const first = new Map<string, SectionNode>();
  for (let index = 0; index < end; index++) {
    const section = sections[index];
    if (section.name !== DEFAULT_SECTION && !first.has(section.name)) first.set(section.name, section);
  }
  return first;
}

/** A copy of `text` in a string of its own (a slice would keep the whole string it was cut from alive). */
function ownCopy(text: string): string {
  return text.length < 16 ? text : Buffer.from(text, 'utf16le').toString('utf16le');
}

/**
 * splitLines(text), equal to it, with the lines before and after the changed characters taken from `previous`
 * (the parse of the text before the edit): only the lines around the edit are split, into a string of their own.
 * A kept line starts and ends (terminator included) inside the common start or end of both texts, with a
 * character of it to spare: a \r there could pair with a \n after it in one text and not in the other.
 */
function splitAfterEdit(previous: ParsedDocument, text: string): { lines: string[]; lineStarts: number[] } {
  const old = previous.text;
  const starts = previous.lineStarts;
  const shorter = Math.min(old.length, text.length);
  const prefix = commonPrefixLength(old, text, shorter);
  const suffix = commonSuffixLength(old, text, shorter - prefix);
  // lines [0, kept) end before the last line starting before `prefix`
  const kept = Math.max(0, lastBefore(starts, prefix, (start) => start));
  // lines [tail, …) start at least two characters into the common end
  const tail = Math.max(kept, firstAtOrAfter(starts, old.length - suffix + 1, (start) => start));
  const from = starts[kept];
  const shift = text.length - old.length;
  const to = tail < starts.length ? starts[tail] + shift : text.length;
  const middle = splitLines(ownCopy(text.slice(from, to)));
  if (tail < starts.length) {
    // the middle ends with a line terminator: its last, empty line is the first kept line after it
    middle.lines.pop();
    middle.lineStarts.pop();
  }
  const lines = previous.lines.slice(0, kept);
  const lineStarts = starts.slice(0, kept);
  for (let index = 0; index < middle.lines.length; index++) {
    lines.push(middle.lines[index]);
    lineStarts.push(middle.lineStarts[index] + from);
  }
  for (let index = tail; index < starts.length; index++) {
    lines.push(previous.lines[index]);
    lineStarts.push(starts[index] + shift);
  }
  return { lines, lineStarts };
}

function countNames(sections: readonly SectionNode[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const section of sections) counts.set(section.name, (counts.get(section.name) ?? 0) + 1);
  return counts;
}

/**
 * The parse of `text`, reusing `previous` (the parse of the text before the edit) where the edit did not reach.
 * `options` must be the ones `previous` was parsed with.
 */
export function reparse(previous: ParsedDocument, text: string, options: ParseOptions = {}): ReparseOutcome {
  const { lines, lineStarts } = splitAfterEdit(previous, text);
  const before = previous.lines;
  // the changed lines: [changedStart, oldEnd) before the edit, [changedStart, newEnd) after it
  const shortest = Math.min(before.length, lines.length);
  let changedStart = 0;
  while (changedStart < shortest && before[changedStart] === lines[changedStart]) changedStart++;
  let common = 0;
  while (common < shortest - changedStart && before[before.length - 1 - common] === lines[lines.length - 1 - common]) common++;
  const oldEnd = before.length - common;
  const newEnd = lines.length - common;
  const delta = newEnd - oldEnd;
  const edit: LineEdit = { from: documentSerial(previous), start: changedStart, oldEnd, newEnd };
  const remember = (outcome: ReparseOutcome): ReparseOutcome => {
    edits.set(outcome.doc, edit);
    return outcome;
  };
  const full = (): ReparseOutcome => remember({ doc: parseDocument(text, options), linesParsed: lines.length, full: true });
  const hasBom = text.charCodeAt(0) === 0xfeff;
  if (hasBom !== previous.hasBom) return full();
  if (changedStart === before.length && changedStart === lines.length) {
    return remember({ doc: { ...previous, text, lines, lineStarts }, linesParsed: 0, full: false });
  }

  const sections = previous.sections;
  // re-parse from the last header before the change (an unchanged header line starts a section whatever came before)
  const first = lastBefore(sections, changedStart, headerLine);
  if (first < 0) return full(); // the change reaches the text before the first section (missing-header problems)
  // through the line before the first unchanged header after it that starts at column 0 (never a continuation)
  const unchangedHeaderFrom = (line: number): number => {
    let index = firstAtOrAfter(sections, line, headerLine);
    while (index < sections.length && sections[index].headerRange.start.character !== 0) index++;
    return index;
  };
  let next = unchangedHeaderFrom(oldEnd);
  // moved lines: a parser problem after the change quotes line numbers in its message, so its section is parsed again too
  const problems = previous.problems;
  if (delta !== 0 && next < sections.length && problems.length > 0 && startLine(problems[problems.length - 1]) >= headerLine(sections[next])) {
    next = unchangedHeaderFrom(startLine(problems[problems.length - 1]) + 1);
  }
  const regionStart = headerLine(sections[first]);
  if (regionStart === 0 && hasBom) return full();
  const oldRegionEnd = next < sections.length ? headerLine(sections[next]) : before.length;
  const newRegionEnd = next < sections.length ? oldRegionEnd + delta : lines.length;

  // what a section's parse depends on beyond its own lines: the sections of the same name before it
  // (duplicate-section, given to the parser) and the options of earlier [DEFAULT] blocks (duplicate-option)
  const counts = countNames(sections);
  const oldRegion = sections.slice(first, next);
  if (oldRegion.some((section) => section.name === DEFAULT_SECTION)) return full();
  const repeated = oldRegion.some((section) => counts.get(section.name)! > 1);
  const region = parseLineRange(lines, regionStart, newRegionEnd, options, repeated ? firstOccurrences(sections, first) : undefined);
  // a renamed, added or removed header changes which section is a repeat; a repeated one that moved changes
  // the messages of its repeats after the change
  if (oldRegion.length !== region.sections.length) return full();
  for (let index = 0; index < oldRegion.length; index++) {
    const [was, is] = [oldRegion[index], region.sections[index]];
    if (was.name !== is.name) return full();
    if (counts.get(was.name)! > 1 && headerLine(was) !== headerLine(is)) return full();
  }
  const problemsAfter = firstAtOrAfter(problems, oldRegionEnd, startLine);

  // a ParsedDocument is parseDocument's (or this function's): its nodes move themselves
  const moved = <T extends { moved(delta: number): T }>(items: readonly T[]): T[] => (delta === 0 ? items.slice() : items.map((item) => item.moved(delta)));
  const commentsFrom = firstAtOrAfter(previous.comments, regionStart, startLine);
  const commentsAfter = firstAtOrAfter(previous.comments, oldRegionEnd, startLine);
  const problemsFrom = firstAtOrAfter(problems, regionStart, startLine);
  const doc: ParsedDocument = {
    text,
    lines,
    lineStarts,
    sections: [...sections.slice(0, first), ...region.sections, ...moved(sections.slice(next) as SectionNodeImpl[])],
    comments: [...previous.comments.slice(0, commentsFrom), ...region.comments, ...moved(previous.comments.slice(commentsAfter) as CommentNodeImpl[])],
    problems: [...problems.slice(0, problemsFrom), ...region.problems, ...(delta === 0 ? problems.slice(problemsAfter) : problems.slice(problemsAfter).map((problem) => movedProblem(problem, delta)))],
    hasBom,
  };
  return remember({ doc, linesParsed: newRegionEnd - regionStart, full: false });
}
