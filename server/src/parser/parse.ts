// Builds the document model the way fail2ban 1.1.0's configparser fills its sections
// (Python 3.11 configparser.RawConfigParser._read + _join_multiline_values).
// Never throws; one pass, one reused token object. Where configparser would stop (missing header,
// duplicate), we report the problem and keep reading so later lines still get checked.
import type { Range } from '../types';
import type { CommentNode, ConfigDocument, OptionNode, ParseProblem, SectionNode, ValueLine } from './model';
import {
  bomMessage,
  duplicateOptionMessage,
  duplicateSectionMessage,
  emptyKeyMessage,
  indentedLineMessage,
  type MessageFile,
  missingSectionHeaderMessage,
  noDelimiterDetails,
  noDelimiterMessage,
  quotedLine,
} from './messages';
import { lineContentEnd, lineFeedCount, lineRange, lineStartsOf, splitLines } from './text';
import { ContinuationTracker, createLineToken, hasUtf8Bom, type LineToken, MarkCursor, scanLineIn, skipSpace, trimSpaceEnd } from './tokenize';

export interface ParseOptions {
  /** Path fail2ban reads the file from, quoted in messages (e.g. '/etc/fail2ban/jail.d/user-jail.local'). */
  fail2banPath?: string;
}

/** The document plus the line index the parser computed anyway (positionAt/offsetAt use it). */
export type ParsedDocument = ConfigDocument & { lineStarts: number[] };

// ---- the model's nodes ----------------------------------------------------------------------
// The parser's model nodes (the interfaces are in model.ts): lines and columns kept as plain numbers, the Range
// objects consumers read built on first access and kept. A 1 MB file has ~26k options; as plain objects each cost a
// dozen small range/position objects that the garbage collector copied and then kept, most of them never read.
// Ranges handed out are plain {start:{line,character},end:{…}} objects (they go to LSP as they are).
// Getters live on the prototypes: spread and Object.keys of a NODE see only the numbers (no code copies nodes that
// way; incrementalParse.ts moves them with moved()); JSON.stringify gives the model's plain shape (toJSON), as when
// the nodes were plain objects. What was built on access is kept in a private (#) field, so two nodes of the same
// text stay deep-equal whichever ranges were asked for. A node finds its line's text again in the string it was
// parsed from (#source, the document's text or a line of its own) at #lineStart: no string is cut for each line.

/** Offset of the end of the line that starts at `lineStart` (its terminator excluded). */
function lineEndFrom(source: string, lineStart: number): number {
  let index = lineStart;
  while (index < source.length) {
    const code = source.charCodeAt(index);
    if (code === 0x0a || code === 0x0d) break;
    index++;
  }
  return index;
}

function range(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range {
  return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}

const COLON = 0x3a;
const EQUALS = 0x3d;

/** A continuation line of a value (blank ones included); the key line's own value line is made when asked for. */
export class ValueLineNode implements ValueLine {
  #range: Range | undefined;
  #inlineComment: { text: string; range: Range } | undefined;
  /** The line's text is source[lineStart, …): the inline comment is cut from it when asked. */
  readonly #source: string;
  readonly #lineStart: number;

  constructor(
    readonly text: string,
    /** Document line, and the column of `text` in it (the line end when `text` is ''). */
    readonly line: number,
    readonly start: number,
    source: string,
    lineStart: number,
    /** Column of the inline '; comment', -1 when none (it ends where the line's text does). */
    private readonly commentStart: number,
  ) {
    this.#source = source;
    this.#lineStart = lineStart;
  }

  /** Column after `text` (the end is not kept: one field fewer on each of a big file's value lines). */
  get end(): number {
    return this.start + this.text.length;
  }

  /** Column after the inline comment: the line's last non-whitespace character. */
  private get commentEnd(): number {
    const source = this.#source;
    const commentAt = this.#lineStart + this.commentStart;
    return trimSpaceEnd(source, commentAt, lineEndFrom(source, commentAt)) - this.#lineStart;
  }

  get range(): Range {
    return (this.#range ??= range(this.line, this.start, this.line, this.end));
  }

  get inlineComment(): { text: string; range: Range } | undefined {
    if (this.commentStart === -1) return undefined;
    if (this.#inlineComment) return this.#inlineComment;
    const commentEnd = this.commentEnd;
    return (this.#inlineComment = {
      text: this.#source.slice(this.#lineStart + this.commentStart, this.#lineStart + commentEnd),
      range: range(this.line, this.commentStart, this.line, commentEnd),
    });
  }

  toJSON(): ValueLine {
    const comment = this.inlineComment;
    return comment ? { text: this.text, range: this.range, inlineComment: comment } : { text: this.text, range: this.range };
  }

  /** A copy `delta` lines further down. */
  moved(delta: number): ValueLineNode {
    return new ValueLineNode(this.text, this.line + delta, this.start, this.#source, this.#lineStart, this.commentStart);
  }
}

/** OptionNodeImpl.valueMarkers: the value contains '%(' (a reference), '#', ';' (not an inline comment). */
export const VALUE_HAS_REFERENCE = 1;
export const VALUE_HAS_HASH = 2;
export const VALUE_HAS_SEMICOLON = 4;
/** The value contains a '%' (interpolation may change it). */
export const VALUE_HAS_PERCENT = 8;
const VALUE_MARKERS = 15;
/** In an option's packed number: its key is not its name (has upper case). */
const KEY_IS_NOT_NAME = 16;
/** In an option's packed number: the parser skipped a BOM at the key line's start (line 0): the key starts after it. */
const KEY_AFTER_BOM = 32;
/** The packed number is the line start times this, plus the flags. */
const FLAG_VALUES = 64;

/** Does the option's value have a '%' (so interpolation may change it)? The parser noted it for its own nodes. */
export function valueHasPercent(option: OptionNode): boolean {
  return option instanceof OptionNodeImpl ? (option.valueMarkers & VALUE_HAS_PERCENT) !== 0 : option.value.includes('%');
}

/** VALUE_HAS_… flags of a line's value text: what the tokenizer saw at columns after `after`. */
function markersAfter(token: LineToken, after: number): number {
  return (
    (token.lastReferenceAt > after ? VALUE_HAS_REFERENCE : 0) |
    (token.lastPercentAt > after ? VALUE_HAS_PERCENT : 0) |
    (token.lastHashAt > after ? VALUE_HAS_HASH : 0) |
    (token.lastSemicolonAt > after ? VALUE_HAS_SEMICOLON : 0)
  );
}

/** What an option built on access: one object, made when the first of them is asked for. */
interface OptionParts {
  /** Continuation lines (blank ones included) after the key line: here, not in a field of each option (most have none). */
  continuations: ValueLineNode[] | undefined;
  keyRange: Range | undefined;
  delimiterRange: Range | undefined;
  valueRange: Range | undefined;
  range: Range | undefined;
  lines: ValueLine[] | undefined;
}

export class OptionNodeImpl implements OptionNode {
  #parts: OptionParts | undefined;
  /**
   * Where the key line starts in its section's source (its text is found there again when asked for), times 64, plus
   * the VALUE_HAS_… flags of `value`, KEY_IS_NOT_NAME and KEY_AFTER_BOM: one number. A 1 MB file has ~26k options,
   * alive through the whole check: every young-generation collection copies each of their fields.
   */
  #lineStartAndFlags: number;
  readonly #section: SectionNodeImpl;

  constructor(
    key: string,
    readonly name: string,
    public value: string,
    /** The key line (the columns of the key and of the delimiter are found in its text again when asked for). */
    readonly line: number,
    lineStart: number,
    /** The parser skipped a BOM at the start of the key line (line 0 of a document). */
    afterBom: boolean,
    section: SectionNodeImpl,
    markers: number,
  ) {
    this.#section = section;
    this.#lineStartAndFlags = lineStart * FLAG_VALUES + markers + (key === name ? 0 : KEY_IS_NOT_NAME) + (afterBom ? KEY_AFTER_BOM : 0);
  }

  /** Column where the key starts: after the key line's leading whitespace (and the BOM the parser skipped on line 0). */
  get keyStart(): number {
    const lineStart = this.keyLineStart;
    const from = (this.#lineStartAndFlags & KEY_AFTER_BOM) === 0 ? lineStart : lineStart + 1;
    // the key is on the line: the skip stops there
    return skipSpace(this.source, from, this.source.length) - lineStart;
  }

  /** Column of the delimiter: the first '=' or ':' after the key start (as the tokenizer found it). */
  get delimiterAt(): number {
    const lineStart = this.keyLineStart;
    const source = this.source;
    // an option line has a delimiter: the loop stops there
    for (let index = lineStart + this.keyStart; ; index++) {
      const code = source.charCodeAt(index);
      if (code === EQUALS || code === COLON) return index - lineStart;
    }
  }

  /**
   * Offset of the key line in the source. (A TypeScript-private getter, not a #-private one: V8 gives each instance
   * of a class with #-private methods or accessors a brand field of its own, 8 bytes more on each of ~26k options.)
   */
  private get keyLineStart(): number {
    const packed = this.#lineStartAndFlags;
    return (packed - (packed & (FLAG_VALUES - 1))) / FLAG_VALUES; // (& keeps the low bits right beyond 32 bits too)
  }

  /** Key as written (trimmed): the name itself unless it has upper case (or characters lower-casing changes). */
  get key(): string {
    if ((this.#lineStartAndFlags & KEY_IS_NOT_NAME) === 0) return this.name;
    const start = this.keyLineStart + this.keyStart;
    return this.source.slice(start, trimSpaceEnd(this.source, start, this.keyLineStart + this.delimiterAt));
  }

  /** What the value contains of what some rules look for (VALUE_HAS_… flags), noted while parsing. */
  get valueMarkers(): number {
    return this.#lineStartAndFlags & VALUE_MARKERS;
  }

  /** A continuation line with these VALUE_HAS_… flags joined the value. */
  addMarkers(markers: number): void {
    this.#lineStartAndFlags += markers & ~this.#lineStartAndFlags;
  }

  /** The string the key line is in: its section's (an option is parsed from the same text as its header). */
  private get source(): string {
    return SectionNodeImpl.sourceOf(this.#section);
  }

  /**
   * Leading whitespace of the key line: the key's column, less the BOM the parser skipped on line 0 (a BOM anywhere
   * else is no whitespace: a key after it would start at column 0).
   */
  get indent(): number {
    const keyStart = this.keyStart;
    return (this.#lineStartAndFlags & KEY_AFTER_BOM) !== 0 ? keyStart - 1 : keyStart;
  }

  get kind(): 'option' {
    return 'option';
  }

  /**
   * The section the option is in. With `option` (the node itself) an option is its own OptionSite: the rules'
   * site index lists the nodes instead of a {section, option} object for each.
   */
  get section(): SectionNode {
    return this.#section;
  }

  get option(): OptionNode {
    return this;
  }

  /** Length of the key line (its terminator excluded). */
  private get lineLength(): number {
    return lineEndFrom(this.source, this.keyLineStart) - this.keyLineStart;
  }

  /** Column after the key (the key is kept as written). */
  get keyEnd(): number {
    return this.keyStart + this.key.length;
  }

  /** Length of the key line's value text: the value up to its first line break. */
  private get firstLength(): number {
    return this.continuations === undefined ? this.value.length : this.value.indexOf('\n');
  }

  /** Column of the key line's value text (after the delimiter when it is empty). */
  get valueStart(): number {
    if (this.firstLength === 0) return this.delimiterAt + 1;
    // the value's first character is on this line: the skip stops there
    const lineStart = this.keyLineStart;
    return skipSpace(this.source, lineStart + this.delimiterAt + 1, this.source.length) - lineStart;
  }

  get valueEnd(): number {
    return this.valueStart + this.firstLength;
  }

  get delimiter(): '=' | ':' {
    return this.source.charCodeAt(this.keyLineStart + this.delimiterAt) === COLON ? ':' : '=';
  }

  private get parts(): OptionParts {
    return (this.#parts ??= { continuations: undefined, keyRange: undefined, delimiterRange: undefined, valueRange: undefined, range: undefined, lines: undefined });
  }

  /** Continuation lines (blank ones included) after the key line; undefined while the value has one line. */
  get continuations(): ValueLineNode[] | undefined {
    return this.#parts?.continuations;
  }

  set continuations(lines: ValueLineNode[] | undefined) {
    if (lines !== undefined || this.#parts !== undefined) this.parts.continuations = lines;
  }

  get keyRange(): Range {
    const parts = this.parts;
    return (parts.keyRange ??= range(this.line, this.keyStart, this.line, this.keyEnd));
  }

  get delimiterRange(): Range {
    const parts = this.parts;
    return (parts.delimiterRange ??= range(this.line, this.delimiterAt, this.line, this.delimiterAt + 1));
  }

  get valueRange(): Range {
    const parts = this.parts;
    if (parts.valueRange) return parts.valueRange;
    const continuations = this.continuations;
    const firstLength = this.firstLength;
    if (!continuations) {
      // an empty value sits at the line end
      if (firstLength === 0) return (parts.valueRange = range(this.line, this.lineLength, this.line, this.lineLength));
      const start = this.valueStart;
      return (parts.valueRange = range(this.line, start, this.line, start + firstLength));
    }
    // from the first value line with text (a continuation always has some) to the end of the last
    const last = continuations[continuations.length - 1];
    if (firstLength > 0) return (parts.valueRange = range(this.line, this.valueStart, last.line, last.end));
    let index = 0;
    while (continuations[index].text === '') index++;
    return (parts.valueRange = range(continuations[index].line, continuations[index].start, last.line, last.end));
  }

  get range(): Range {
    const parts = this.parts;
    if (parts.range) return parts.range;
    const continuations = this.continuations;
    if (continuations) {
      const last = continuations[continuations.length - 1];
      return (parts.range = range(this.line, this.keyStart, last.line, last.end));
    }
    // an empty value: the option's text ends with the delimiter
    return (parts.range = range(this.line, this.keyStart, this.line, this.firstLength > 0 ? this.valueEnd : this.delimiterAt + 1));
  }

  get lines(): ValueLine[] {
    const parts = this.parts;
    if (parts.lines) return parts.lines;
    const lines: ValueLine[] = [this.firstValueLine()];
    if (this.continuations) for (const line of this.continuations) lines.push(line);
    return (parts.lines = lines);
  }

  /** Text of the key line's value (inline comment removed, stripped). */
  firstText(): string {
    const firstLength = this.firstLength;
    if (firstLength === 0) return '';
    const start = this.keyLineStart + this.valueStart;
    return this.source.slice(start, start + firstLength);
  }

  private firstValueLine(): ValueLineNode {
    const text = this.continuations === undefined ? this.value : this.firstText();
    // an empty value line sits at the line end
    const start = text === '' ? this.lineLength : this.valueStart;
    // the key line scanned again as the parser did (after a BOM on line 0) tells where its inline comment is
    const token = createLineToken();
    const lineStart = this.keyLineStart;
    scanLineIn(this.source, lineStart, lineStart + this.lineLength, this.line, this.keyStart - this.indent, token);
    return new ValueLineNode(text, this.line, start, this.source, lineStart, token.commentStart);
  }

  toJSON(): OptionNode {
    return {
      kind: 'option',
      key: this.key,
      name: this.name,
      keyRange: this.keyRange,
      delimiter: this.delimiter,
      delimiterRange: this.delimiterRange,
      value: this.value,
      lines: this.lines,
      valueRange: this.valueRange,
      range: this.range,
      indent: this.indent,
    };
  }

  /** A copy `delta` lines further down, in `section` (the copy of its section). */
  moved(delta: number, section: SectionNodeImpl = this.#section): OptionNodeImpl {
    const afterBom = (this.#lineStartAndFlags & KEY_AFTER_BOM) !== 0;
    const copy = new OptionNodeImpl(this.key, this.name, this.value, this.line + delta, this.keyLineStart, afterBom, section, this.valueMarkers);
    copy.continuations = this.continuations?.map((line) => line.moved(delta));
    return copy;
  }
}

/** Placeholder until the parser sets a section's options when it ends (one array fewer per section). */
const NO_OPTIONS: OptionNode[] = [];

interface SectionParts {
  headerRange: Range | undefined;
  range: Range | undefined;
  /** Where the ignored text after ']' is (rare: kept here, not in a field of every section). */
  trailingSpan: TrailingSpan | undefined;
  /** The last invalid line in the section and where its text ends (rare): the section's range covers it. */
  invalidLine: number;
  invalidEnd: number;
  trailing: { text: string; range: Range } | undefined;
}

/** Text after a header's ']': the header line starts at lineStart in the section's source; start/end are columns. */
interface TrailingSpan {
  readonly lineStart: number;
  readonly start: number;
  readonly end: number;
}

export class SectionNodeImpl implements SectionNode {
  /** Set once the section's lines are read (the parser gathers them in an array of its own, then copies it to size). */
  options: OptionNode[] = NO_OPTIONS;
  /** Kept apart from the other ranges: the one rules read for each of 100k sections (no parts object for it). */
  #nameRange: Range | undefined;
  #parts: SectionParts | undefined;
  /** The string the header line is in (its options' lines too). */
  readonly #source: string;

  constructor(
    readonly name: string,
    /** The header line and the column of the name between the brackets (it ends at nameStart + name.length). */
    readonly line: number,
    readonly nameStart: number,
    trailing: TrailingSpan | undefined,
    source: string,
  ) {
    this.#source = source;
    if (trailing !== undefined) this.parts.trailingSpan = trailing;
  }

  /** An invalid line (no delimiter, empty key) at `line`, its text ending at column `end`, belongs to the section. */
  addInvalidLine(line: number, end: number): void {
    const parts = this.parts;
    parts.invalidLine = line;
    parts.invalidEnd = end;
  }

  /**
   * Where the last line belonging to the section ends (range.end): its last option's end, its last invalid line's, or
   * its header's. Found when asked (sections keep no two fields for it: 100k sections are 1.6 MB less to copy).
   */
  private get endPosition(): { line: number; character: number } {
    const options = this.options;
    let end = options.length > 0 ? options[options.length - 1].range.end : { line: this.line, character: this.end };
    const parts = this.#parts;
    if (parts !== undefined && parts.invalidLine > end.line) end = { line: parts.invalidLine, character: parts.invalidEnd };
    return end;
  }

  get endLine(): number {
    return this.endPosition.line;
  }

  get endCharacter(): number {
    return this.endPosition.character;
  }

  /** Ignored text after ']' (rare). (Not a #-private getter: V8 would give each section a brand field for it.) */
  private get trailingSpan(): TrailingSpan | undefined {
    return this.#parts?.trailingSpan;
  }

  /** Column after the name. */
  get nameEnd(): number {
    return this.nameStart + this.name.length;
  }

  /** Column of the ignored text after ']', -1 when none. */
  get trailingStart(): number {
    return this.trailingSpan === undefined ? -1 : this.trailingSpan.start;
  }

  get trailingEnd(): number {
    return this.trailingSpan === undefined ? -1 : this.trailingSpan.end;
  }

  get kind(): 'section' {
    return 'section';
  }

  /** The string the section was parsed from (its options' lines are in it too). */
  static sourceOf(section: SectionNodeImpl): string {
    return section.#source;
  }

  /** Column of the '['. */
  get start(): number {
    return this.nameStart - 1;
  }

  /** Column after the header's text: after the ']', or after the trailing text. */
  get end(): number {
    return this.trailingStart === -1 ? this.nameEnd + 1 : this.trailingEnd;
  }

  private get parts(): SectionParts {
    return (this.#parts ??= { headerRange: undefined, range: undefined, trailingSpan: undefined, trailing: undefined, invalidLine: -1, invalidEnd: -1 });
  }

  get nameRange(): Range {
    return (this.#nameRange ??= range(this.line, this.nameStart, this.line, this.nameEnd));
  }

  get headerRange(): Range {
    const parts = this.parts;
    return (parts.headerRange ??= range(this.line, this.start, this.line, this.end));
  }

  get range(): Range {
    const parts = this.parts;
    if (parts.range) return parts.range;
    const end = this.endPosition;
    return (parts.range = range(this.line, this.start, end.line, end.character));
  }

  get trailing(): { text: string; range: Range } | undefined {
    const span = this.trailingSpan;
    if (span === undefined) return undefined;
    const parts = this.parts;
    return (parts.trailing ??= {
      text: this.#source.slice(span.lineStart + span.start, span.lineStart + span.end),
      range: range(this.line, span.start, this.line, span.end),
    });
  }

  toJSON(): SectionNode {
    const section: SectionNode = { kind: 'section', name: this.name, nameRange: this.nameRange, headerRange: this.headerRange, range: this.range, options: this.options };
    if (this.trailing) section.trailing = this.trailing;
    return section;
  }

  /** A copy `delta` lines further down, options included. */
  moved(delta: number): SectionNodeImpl {
    const copy = new SectionNodeImpl(this.name, this.line + delta, this.nameStart, this.trailingSpan, this.#source);
    copy.options = this.options.map((option) => (option as OptionNodeImpl).moved(delta, copy));
    const parts = this.#parts;
    if (parts !== undefined && parts.invalidLine !== -1) copy.addInvalidLine(parts.invalidLine + delta, parts.invalidEnd);
    return copy;
  }
}

export class CommentNodeImpl implements CommentNode {
  #range: Range | undefined;

  constructor(
    readonly text: string,
    readonly line: number,
    readonly start: number,
  ) {}

  /** Column after the comment: its text is the line's trimmed from `start` (the end is not kept: one field fewer). */
  get end(): number {
    return this.start + this.text.length;
  }

  get kind(): 'comment' {
    return 'comment';
  }

  get range(): Range {
    return (this.#range ??= range(this.line, this.start, this.line, this.end));
  }

  toJSON(): CommentNode {
    return { kind: 'comment', text: this.text, range: this.range };
  }

  /** A copy `delta` lines further down. */
  moved(delta: number): CommentNodeImpl {
    return new CommentNodeImpl(this.text, this.line + delta, this.start);
  }
}

// ---- the builder -----------------------------------------------------------------------------

const DEFAULT_SECTION = 'DEFAULT';

/**
 * One string object per option name that repeats (across documents): the context and the rules look option names up
 * in maps millions of times, and V8 compares two different string objects character by character (an interned one
 * is compared by identity; strings used as property keys are interned). A name is interned on its second sighting,
 * so that 20k distinct names cost no more than a set each. Bounded: names come from user files.
 */
const internedNames = new Map<string, string>();
const namesSeenOnce = new Set<string>();
const NAMES_KEPT = 50_000;

export function internName(name: string): string {
  const known = internedNames.get(name);
  if (known !== undefined) return known;
  if (!namesSeenOnce.has(name)) {
    if (namesSeenOnce.size >= NAMES_KEPT) namesSeenOnce.clear();
    namesSeenOnce.add(name);
    return name;
  }
  namesSeenOnce.delete(name);
  if (internedNames.size >= NAMES_KEPT) internedNames.clear();
  const interned = Object.keys({ [name]: 0 })[0] ?? name; // a property key is interned by V8
  internedNames.set(interned, interned);
  return interned;
}

const SLOTS = 1024; // a power of 2
const A = 0x41;
const Z = 0x5a;
/** slice() copies a string shorter than this; a longer slice is a view that keeps the whole text alive. */
const COPIED_BELOW = 13;

/** The cache slot of text[start, end). */
function slotOf(text: string, start: number, end: number): number {
  let hash = end - start;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash & (SLOTS - 1);
}

/** `known` equals text[start, end) (a loop: startsWith with a position is slower on these short keys). */
function sameText(known: string, text: string, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let i = start; i < end; i++) if (known.charCodeAt(i - start) !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * Recent option names by their characters, so that a key line's name is found without cutting and lower-casing a
 * string (most keys of a file repeat). A slot keeps the last name that hashed to it; a miss costs one hash.
 */
class NameCache {
  private readonly names = new Array<string | undefined>(SLOTS).fill(undefined);
  /** The slot's name is the interned string (internName saw it twice). */
  private readonly interned = new Uint8Array(SLOTS);

  /** The name of the key text[start, end), or undefined when the caller must cut and lower-case it. */
  find(text: string, start: number, end: number): string | undefined {
    // slotOf's hash, unless a character is one toLowerCase would change (ASCII upper case, or anything not ASCII)
    let hash = end - start;
    for (let i = start; i < end; i++) {
      const code = text.charCodeAt(i);
      if ((code >= A && code <= Z) || code >= 0x80) return undefined;
      hash = (Math.imul(hash, 31) + code) | 0;
    }
    const slot = hash & (SLOTS - 1);
    const known = this.names[slot];
    if (known !== undefined && sameText(known, text, start, end)) {
      if (this.interned[slot] === 1) return known;
      return this.remember(slot, internName(known)); // the second sighting interns it
    }
    return this.remember(slot, internName(text.slice(start, end)));
  }

  private remember(slot: number, name: string): string {
    const interned = internedNames.get(name) === name;
    // a long name not interned yet is a view of its document's text: kept, it would keep that text alive
    this.names[slot] = interned || name.length < COPIED_BELOW ? name : undefined;
    this.interned[slot] = interned ? 1 : 0;
    return name;
  }
}

/**
 * Recent short values by their characters ('true', '1h', '3'…): one string for all the options that repeat one,
 * instead of a copy each. Only values slice() copies: a longer one would keep its document's text alive.
 */
class ValueCache {
  private readonly values = new Array<string | undefined>(SLOTS).fill(undefined);

  /** text[start, end), from the cache when a recent value had these characters. */
  get(text: string, start: number, end: number): string {
    if (start >= end) return '';
    if (end - start >= COPIED_BELOW) return text.slice(start, end);
    const slot = slotOf(text, start, end);
    const known = this.values[slot];
    if (known !== undefined && sameText(known, text, start, end)) return known;
    return (this.values[slot] = text.slice(start, end));
  }
}

const recentNames = new NameCache();
const recentValues = new ValueCache();

/**
 * Where an option name first occurred in a section (its option, or the line's range for the '' of an empty key).
 * One record per name for the whole file, updated in place when a later section uses the name again.
 */
interface FirstOccurrence {
  /** The section (by number) the record is about. */
  section: number;
  first: OptionNode | Range;
}

/** '[' minus ']' in a text: > 0 inside a `name[param=…,` list that spans lines. */
function bracketBalance(text: string, start: number, end: number): number {
  let balance = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x5b) balance++;
    else if (code === 0x5d) balance--;
  }
  return balance;
}

/**
 * The lines a builder reads: lines [firstLine, firstLine + starts.length) of a document of `count` lines, found in
 * `text` at `starts` (the whole document's text, or the stretch parseLineRange parses).
 */
class TextLines {
  constructor(
    readonly text: string,
    readonly starts: readonly number[],
    readonly firstLine: number,
    readonly count: number,
  ) {}

  startOf(line: number): number {
    return this.starts[line - this.firstLine];
  }

  endOf(line: number): number {
    const index = line - this.firstLine;
    // (the next line's start is found only when the parser reaches it: the BOM problem asks about line 0 before)
    if (index + 1 < this.starts.length && this.starts[index + 1] === undefined) return lineEndFrom(this.text, this.starts[index]);
    return lineContentEnd(this.text, this.starts, index);
  }
}

/**
 * Section name → the first section of that name, for duplicate-section problems: an open-addressing table of
 * indexes into the document's sections, in typed arrays (their memory is outside the collected heap), not a Map.
 * A file of 100k sections grew a Map of 100k entries through a dozen copies (~7 MB per check).
 */
class FirstSections {
  /** The sections found before the parsed stretch (parseLineRange), named by negative entries. */
  private readonly before: SectionNode[] = [];
  /**
   * Two numbers per slot: the entry (0: free; n > 0: sections[n - 1]; n < 0: before[-n - 1]), then its name's hash. A
   * probe compares the hash before reading any section, and growing never reads a section (the nodes and names of
   * 100k sections are scattered in memory: reading them was most of the table's time); side by side, a probe reads
   * one place in memory, not two. A power of 2 in slots, at least twice the entries.
   */
  private table = new Int32Array(128);
  private size = 0;

  /** `sections`: the document's sections, which the positive entries index (the builder's array). */
  constructor(private readonly sections: readonly SectionNode[]) {}

  addBefore(section: SectionNode): void {
    this.before.push(section);
    this.insert(nameHash(section.name), -this.before.length);
  }

  /**
   * The first section named like sections[index]; when there is none, sections[index] becomes it (one hash and one
   * probe for both).
   */
  firstOrAdd(index: number): SectionNode | undefined {
    const name = this.sections[index].name;
    const hash = nameHash(name);
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    let slot = hash & mask;
    for (let entry = table[slot << 1]; entry !== 0; entry = table[slot << 1]) {
      if (table[(slot << 1) + 1] === hash) {
        const section = entry > 0 ? this.sections[entry - 1] : this.before[-entry - 1];
        if (section.name === name) return section;
      }
      slot = (slot + 1) & mask;
    }
    if ((this.size + 1) * 4 > table.length) this.insert(hash, index + 1);
    else {
      table[slot << 1] = index + 1;
      table[(slot << 1) + 1] = hash;
      this.size++;
    }
    return undefined;
  }

  private insert(hash: number, entry: number): void {
    if ((this.size + 1) * 4 > this.table.length) this.grow();
    place(this.table, hash, entry);
    this.size++;
  }

  private grow(): void {
    const old = this.table;
    const table = new Int32Array(old.length * 2);
    for (let at = 0; at < old.length; at += 2) {
      const entry = old[at];
      if (entry !== 0) place(table, old[at + 1], entry);
    }
    this.table = table;
  }
}

/** Puts `entry` (its name's hash: `hash`) in the first free slot from its hash's. */
function place(table: Int32Array, hash: number, entry: number): void {
  const mask = (table.length >> 1) - 1;
  let slot = hash & mask;
  while (table[slot << 1] !== 0) slot = (slot + 1) & mask;
  table[slot << 1] = entry;
  table[(slot << 1) + 1] = hash;
}

/** FNV-1a over the UTF-16 code units, mixed at the end (names such as s000001…s100000 differ in their last characters). */
function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  return (hash ^ (hash >>> 13)) & 0x3fffffff; // a small integer: no heap number
}

class DocumentBuilder {
  readonly sections: SectionNode[] = [];
  readonly comments: CommentNode[] = [];
  readonly problems: ParseProblem[] = [];
  private section: SectionNodeImpl | undefined;
  /**
   * The open section's options, copied to the section at its end: an array grown by push keeps room for 16 more
   * (a 1 MB file has ~4k sections of ~6 options).
   */
  private readonly sectionOptions: OptionNode[] = [];
  private sectionOptionCount = 0;
  /** The option being read (configparser's `optname`), with blank lines that count only if more value lines follow. */
  private openOption: OptionNodeImpl | undefined;
  /** Line numbers only: most blank lines end a value (the blank line between jails) and never become value lines. */
  private readonly pendingBlankLines: number[] = [];
  /** How many of pendingBlankLines count (emptied by setting this, not the array's length: that frees its room). */
  private pendingBlankCount = 0;
  /** '[' minus ']' in the open option's value so far; counted when a continuation line comes (most values have none). */
  private openBrackets = 0;
  private bracketsCounted = false;
  private sawMissingHeader = false;
  /** Section name → its first occurrence (DEFAULT excluded: it may repeat). */
  private readonly firstSectionName = new FirstSections(this.sections);
  /**
   * Option names seen in the current section, like configparser's elements_added: a record counts when its
   * section number is the current one. All DEFAULT blocks are section 0 of their own map: they share the names.
   */
  private optionNames: Map<string, FirstOccurrence>;
  private readonly sectionOptionNames = new Map<string, FirstOccurrence>();
  private readonly defaultOptionNames = new Map<string, FirstOccurrence>();
  private sectionNumber = 0;
  /** The line being added is source[lineStart, …) (token columns are relative to lineStart). */
  private source = '';
  private lineStart = 0;

  constructor(
    private readonly lines: TextLines,
    private readonly file: MessageFile,
    sectionsBefore?: ReadonlyMap<string, SectionNode>,
  ) {
    this.optionNames = this.sectionOptionNames;
    if (sectionsBefore) for (const section of sectionsBefore.values()) this.firstSectionName.addBefore(section);
  }

  /** The line `token` was scanned from: source[lineStart, …). */
  add(token: LineToken, source: string, lineStart: number): void {
    this.source = source;
    this.lineStart = lineStart;
    switch (token.kind) {
      case 'blank':
        if (token.inValue) this.blank(token.line);
        break;
      case 'comment':
        this.comment(token);
        break;
      case 'header':
        this.header(token);
        break;
      case 'option':
        this.option(token);
        break;
      case 'invalid':
        this.invalid(token);
        break;
      case 'continuation':
        this.continuation(token);
        break;
    }
  }

  bom(): void {
    this.problems.push({ code: 'utf8-bom', range: lineRange(0, 0, 1), message: bomMessage(this.file, this.quoted(0)) });
  }

  finish(): void {
    this.closeSection();
  }

  private header(token: LineToken): void {
    this.closeSection();
    const line = token.line;
    const source = this.source;
    const lineStart = this.lineStart;
    // not interned: section names are mostly distinct, and the context's maps are keyed by these very string objects
    const name = source.slice(lineStart + token.nameStart, lineStart + token.nameEnd);
    const trailing = token.trailingStart === -1 ? undefined : { lineStart, start: token.trailingStart, end: token.trailingEnd };
    const section = new SectionNodeImpl(name, line, token.nameStart, trailing, source);
    this.sections.push(section);
    if (name === DEFAULT_SECTION) {
      this.optionNames = this.defaultOptionNames;
    } else {
      const first = this.firstSectionName.firstOrAdd(this.sections.length - 1);
      if (first) {
        this.problems.push({
          code: 'duplicate-section',
          range: section.nameRange,
          message: duplicateSectionMessage(this.file, line + 1, name, first.nameRange.start.line + 1),
          related: first.nameRange,
        });
      }
      this.sectionNumber++;
      this.optionNames = this.sectionOptionNames;
    }
    this.section = section;
  }

  private option(token: LineToken): void {
    this.closeOption();
    const section = this.section;
    if (!section) {
      this.reportMissingHeader(token);
      return;
    }
    const line = token.line;
    const source = this.source;
    const lineStart = this.lineStart;
    const found = recentNames.find(source, lineStart + token.nameStart, lineStart + token.nameEnd);
    let name: string;
    let key: string;
    if (found !== undefined) {
      name = key = found;
    } else {
      key = source.slice(lineStart + token.nameStart, lineStart + token.nameEnd);
      const lowered = key.toLowerCase();
      name = internName(lowered);
      // a lower-case key is the name itself: one string kept, not two
      if (key === lowered) key = name;
    }
    const node = new OptionNodeImpl(
      key,
      name,
      recentValues.get(source, lineStart + token.valueStart, lineStart + token.valueEnd),
      line,
      lineStart,
      token.start !== token.indent, // (the token's columns count a skipped BOM, its indent does not)
      section,
      markersAfter(token, token.delimiterAt),
    );
    this.checkDuplicateOption(section, name, node, line);
    this.sectionOptions[this.sectionOptionCount++] = node;
    this.openOption = node;
    this.bracketsCounted = false;
  }

  private invalid(token: LineToken): void {
    const section = this.section;
    if (!section) {
      this.closeOption();
      this.reportMissingHeader(token);
      return;
    }
    const line = token.line;
    const range = lineRange(line, token.start, token.end);
    if (token.reason === 'empty-key') {
      // configparser reports the line, then still stores option '' (so a second one is a duplicate).
      this.closeOption();
      this.problems.push({ code: 'invalid-line', range, message: emptyKeyMessage(this.file, line + 1, this.quoted(line)) });
      this.checkDuplicateOption(section, '', range, line);
    } else {
      // The open option stays open: deeper lines after this one still continue its value.
      this.problems.push({ code: 'invalid-line', range, message: noDelimiterMessage(), details: noDelimiterDetails(this.file, line + 1, this.quoted(line)) });
    }
    section.addInvalidLine(line, token.end);
  }

  private continuation(token: LineToken): void {
    const node = this.openOption;
    if (!node) return; // the tracker only emits continuations while an option is open
    const line = token.line;
    const source = this.source;
    const lineStart = this.lineStart;
    // a continuation line is never empty: its first character is no whitespace, '#' or ';'
    const valueText = source.slice(lineStart + token.valueStart, lineStart + token.valueEnd);
    const valueLine = new ValueLineNode(valueText, line, token.valueStart, source, lineStart, token.commentStart);
    node.addMarkers(markersAfter(token, -1));
    if (node.continuations === undefined && this.pendingBlankCount === 0) {
      node.continuations = [valueLine]; // most continued values have one more line: an array of that size
    } else {
      const continuations = (node.continuations ??= []);
      const lines = this.lines;
      for (let pending = 0; pending < this.pendingBlankCount; pending++) {
        const blankLine = this.pendingBlankLines[pending];
        const start = lines.startOf(blankLine);
        const end = lines.endOf(blankLine) - start;
        continuations.push(new ValueLineNode('', blankLine, end, lines.text, start, -1));
      }
      this.pendingBlankCount = 0;
      continuations.push(valueLine);
    }
    // `action = x[a=1,⏎    b=2]`: a parameter on its own line is meant to continue the list.
    if (!this.bracketsCounted) {
      this.bracketsCounted = true;
      this.openBrackets = bracketBalance(node.value, 0, node.value.length); // the key line's value only, so far
    }
    const insideParameterList = this.openBrackets > 0;
    this.openBrackets += bracketBalance(source, lineStart + token.valueStart, lineStart + token.valueEnd);
    if (token.looksLike !== '' && !insideParameterList) {
      this.problems.push({
        code: 'indented-line',
        range: valueLine.range,
        message: indentedLineMessage(token.looksLike, node.key, node.line + 1),
        related: node.keyRange,
      });
    }
  }

  private blank(line: number): void {
    if (!this.openOption) return;
    this.pendingBlankLines[this.pendingBlankCount++] = line;
  }

  private comment(token: LineToken): void {
    const lineStart = this.lineStart;
    this.comments.push(new CommentNodeImpl(this.source.slice(lineStart + token.start, lineStart + token.end), token.line, token.start));
  }

  private quoted(line: number): string {
    const lines = this.lines;
    return quotedLine(lines.text.slice(lines.startOf(line), lines.endOf(line)), line < lines.count - 1);
  }

  private reportMissingHeader(token: LineToken): void {
    // configparser stops at the first such line; later ones would only repeat the same message.
    if (this.sawMissingHeader) return;
    this.sawMissingHeader = true;
    this.problems.push({
      code: 'missing-section-header',
      range: lineRange(token.line, token.start, token.end),
      message: missingSectionHeaderMessage(this.file, token.line + 1, this.quoted(token.line)),
    });
  }

  private checkDuplicateOption(section: SectionNode, name: string, occurrence: OptionNode | Range, line: number): void {
    const current = this.optionNames === this.defaultOptionNames ? 0 : this.sectionNumber;
    const record = this.optionNames.get(name);
    if (record === undefined) {
      this.optionNames.set(name, { section: current, first: occurrence });
    } else if (record.section !== current) {
      record.section = current;
      record.first = occurrence;
    } else {
      const related = 'kind' in record.first ? record.first.keyRange : record.first;
      this.problems.push({
        code: 'duplicate-option',
        range: 'kind' in occurrence ? occurrence.keyRange : occurrence,
        message: duplicateOptionMessage(this.file, line + 1, name, section.name, related.start.line + 1),
        related,
      });
    }
  }

  private closeOption(): void {
    const node = this.openOption;
    if (!node) return;
    this.openOption = undefined;
    this.pendingBlankCount = 0;
    const continuations = node.continuations;
    if (continuations === undefined) return; // value and its range were set from the key line
    // '\n'.join(lines).rstrip(): trailing blank lines never got in (they stayed pending).
    let value = node.value; // the key line's text until now
    for (const line of continuations) value += '\n' + line.text;
    node.value = value;
  }

  private closeSection(): void {
    this.closeOption();
    const count = this.sectionOptionCount;
    // (one option, as in many small sections: a literal, no call to slice)
    if (this.section) this.section.options = count === 1 ? [this.sectionOptions[0]] : count > 0 ? this.sectionOptions.slice(0, count) : [];
    this.sectionOptionCount = 0;
    this.section = undefined;
  }
}

/** Reads one file as fail2ban 1.1.0 does. Never throws; linear in the size of the text. */
export function parseDocument(text: string, options: ParseOptions = {}): ParsedDocument {
  const onlyLineFeeds = !text.includes('\r');
  // the usual text: the line starts are counted first (an array made at its size), found while scanning
  const lineStarts = onlyLineFeeds ? new Array<number>(lineFeedCount(text) + 1).fill(0, 0, 1) : lineStartsOf(text);
  const hasBom = hasUtf8Bom(text);
  const builder = new DocumentBuilder(new TextLines(text, lineStarts, 0, lineStarts.length), { path: options.fail2banPath ?? '<file>' });
  if (hasBom) builder.bom();
  scanLines(builder, text, lineStarts, 0, hasBom, onlyLineFeeds);
  return documentOf(text, lineStarts, builder, hasBom);
}

/**
 * Adds the lines of `text` (starting at `lineStarts`) to the builder, numbered from `firstLine`: scanned where they are
 * in the text, no string cut for each line. `findStarts`: only lineStarts[0] is set (and the text has only line feeds):
 * each next start is found when its line is reached.
 */
function scanLines(builder: DocumentBuilder, text: string, lineStarts: number[], firstLine: number, hasBom: boolean, findStarts = false): void {
  const tracker = new ContinuationTracker();
  const token = createLineToken();
  const cursor = new MarkCursor(text);
  const count = lineStarts.length;
  const onlyLineFeeds = findStarts || !text.includes('\r'); // (findStarts: known, no second search of the text)
  for (let index = 0; index < count; index++) {
    const start = lineStarts[index];
    let end: number;
    if (index + 1 === count) end = text.length;
    else if (findStarts) lineStarts[index + 1] = (end = text.indexOf('\n', start)) + 1; // (a text with line feeds only)
    else end = onlyLineFeeds ? lineStarts[index + 1] - 1 : lineContentEnd(text, lineStarts, index);
    const line = firstLine + index;
    tracker.scanNextIn(text, start, end, line, line === 0 && hasBom ? 1 : 0, token, cursor);
    builder.add(token, text, start);
  }
  builder.finish();
}

/** The parsed document; its `lines` are cut from the text when first asked for (the check itself never reads them). */
function documentOf(text: string, lineStarts: number[], builder: DocumentBuilder, hasBom: boolean): ParsedDocument {
  let lines: string[] | undefined;
  return {
    text,
    get lines(): string[] {
      return (lines ??= splitLines(text).lines);
    },
    set lines(value: string[]) {
      lines = value;
    },
    lineStarts,
    sections: builder.sections,
    comments: builder.comments,
    problems: builder.problems,
    hasBom,
  };
}

/**
 * Parses lines [start, end) of a file's lines with their own line numbers, as a fresh configparser would read
 * them (no section open before `start`; `sectionsBefore`: name → the first section of that name before it,
 * for duplicate-section problems). For re-parsing one changed stretch that begins at a section header
 * (server/src/incrementalParse.ts); the caller decides when the result equals a full parse's. The nodes' strings
 * are cut from a string of the stretch's own (joined here), never from a bigger text.
 */
export function parseLineRange(
  lines: readonly string[],
  start: number,
  end: number,
  options: ParseOptions = {},
  sectionsBefore?: ReadonlyMap<string, SectionNode>,
): Pick<ConfigDocument, 'sections' | 'comments' | 'problems'> {
  if (start >= end) return { sections: [], comments: [], problems: [] };
  const text = lines.slice(start, end).join('\n'); // join makes a string of its own
  const lineStarts = new Array<number>(end - start);
  for (let line = start, at = 0; line < end; line++) {
    lineStarts[line - start] = at;
    at += lines[line].length + 1;
  }
  const builder = new DocumentBuilder(new TextLines(text, lineStarts, start, lines.length), { path: options.fail2banPath ?? '<file>' }, sectionsBefore);
  // (line 0's BOM, if any, is not skipped: the caller parses the whole text again then)
  scanLines(builder, text, lineStarts, start, false);
  return { sections: builder.sections, comments: builder.comments, problems: builder.problems };
}
