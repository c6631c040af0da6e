// The parser's model nodes (the interfaces are in model.ts): lines and columns kept as plain numbers, the Range
// objects consumers read built on first access and kept. A 1 MB file has ~26k options; as plain objects each cost a
// dozen small range/position objects that the garbage collector copied and then kept, most of them never read.
// Ranges handed out are plain {start:{line,character},end:{…}} objects (they go to LSP as they are).
// Getters live on the prototypes: spread and Object.keys of a NODE see only the numbers (no code copies nodes that
// way; incrementalParse.ts moves them with moved()); JSON.stringify gives the model's plain shape (toJSON), as when
// the nodes were plain objects. What was built on access is kept in a private (#) field, so two nodes of the same
// text stay deep-equal whichever ranges were asked for.
import type { Range } from '../types';
import type { CommentNode, OptionNode, SectionNode, ValueLine } from './model';
import { skipSpace, tokenizeLine } from './tokenize';

function range(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range {
  return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}

const COLON = 0x3a;

/** A continuation line of a value (blank ones included); the key line's own value line is made when asked for. */
export class ValueLineNode implements ValueLine {
  #range: Range | undefined;
  #inlineComment: { text: string; range: Range } | undefined;

  constructor(
    readonly text: string,
    /** Document line, and the columns of `text` in it (both the line end when `text` is ''). */
    readonly line: number,
    readonly start: number,
    readonly end: number,
    /** The whole document line (the document keeps it anyway): the inline comment is cut from it when asked. */
    private readonly lineText: string,
    /** Columns of the inline '; comment', -1 when none. */
    private readonly commentStart: number,
    private readonly commentEnd: number,
  ) {}

  get range(): Range {
    return (this.#range ??= range(this.line, this.start, this.line, this.end));
  }

  get inlineComment(): { text: string; range: Range } | undefined {
    if (this.commentStart === -1) return undefined;
    return (this.#inlineComment ??= {
      text: this.lineText.slice(this.commentStart, this.commentEnd),
      range: range(this.line, this.commentStart, this.line, this.commentEnd),
    });
  }

  toJSON(): ValueLine {
    const comment = this.inlineComment;
    return comment ? { text: this.text, range: this.range, inlineComment: comment } : { text: this.text, range: this.range };
  }

  /** A copy `delta` lines further down. */
  moved(delta: number): ValueLineNode {
    return new ValueLineNode(this.text, this.line + delta, this.start, this.end, this.lineText, this.commentStart, this.commentEnd);
  }
}

/** What an option built on access: one object, made when the first of them is asked for. */
interface OptionParts {
  keyRange: Range | undefined;
  delimiterRange: Range | undefined;
  valueRange: Range | undefined;
  range: Range | undefined;
  lines: ValueLine[] | undefined;
}

export class OptionNodeImpl implements OptionNode {
  #parts: OptionParts | undefined;
  /** Continuation lines (blank ones included) after the key line; undefined while the value has one line. */
  continuations: ValueLineNode[] | undefined = undefined;

  constructor(
    readonly key: string,
    readonly name: string,
    public value: string,
    readonly indent: number,
    /** The key line, and the columns where the key starts and of the delimiter (the rest follows from the text). */
    readonly line: number,
    readonly keyStart: number,
    readonly delimiterAt: number,
    /** The key line's text (the document keeps it anyway; its inline comment is found again when asked for). */
    private readonly lineText: string,
  ) {}

  get kind(): 'option' {
    return 'option';
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
    return this.firstLength === 0 ? this.delimiterAt + 1 : skipSpace(this.lineText, this.delimiterAt + 1, this.lineText.length);
  }

  get valueEnd(): number {
    return this.valueStart + this.firstLength;
  }

  get delimiter(): '=' | ':' {
    return this.lineText.charCodeAt(this.delimiterAt) === COLON ? ':' : '=';
  }

  private get parts(): OptionParts {
    return (this.#parts ??= { keyRange: undefined, delimiterRange: undefined, valueRange: undefined, range: undefined, lines: undefined });
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
      if (firstLength === 0) return (parts.valueRange = range(this.line, this.lineText.length, this.line, this.lineText.length));
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
    const start = this.valueStart;
    return this.lineText.slice(start, start + firstLength);
  }

  private firstValueLine(): ValueLineNode {
    const text = this.continuations === undefined ? this.value : this.firstText();
    // an empty value line sits at the line end
    const start = text === '' ? this.lineText.length : this.valueStart;
    const end = start + text.length;
    // the key line scanned again as the parser did (after a BOM on line 0) tells where its inline comment is
    const token = tokenizeLine(this.lineText, this.line, this.keyStart - this.indent);
    return new ValueLineNode(text, this.line, start, end, this.lineText, token.commentStart, token.commentEnd);
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

  /** A copy `delta` lines further down. */
  moved(delta: number): OptionNodeImpl {
    const copy = new OptionNodeImpl(
      this.key,
      this.name,
      this.value,
      this.indent,
      this.line + delta,
      this.keyStart,
      this.delimiterAt,
      this.lineText,
    );
    copy.continuations = this.continuations?.map((line) => line.moved(delta));
    return copy;
  }
}

interface SectionParts {
  nameRange: Range | undefined;
  headerRange: Range | undefined;
  range: Range | undefined;
  trailing: { text: string; range: Range } | undefined;
}

export class SectionNodeImpl implements SectionNode {
  /** Set once the section's lines are read (the parser gathers them in an array of its own, then copies it to size). */
  options: OptionNode[] = [];
  #parts: SectionParts | undefined;

  constructor(
    readonly name: string,
    /** The header line and the columns of the name between the brackets. */
    readonly line: number,
    readonly nameStart: number,
    readonly nameEnd: number,
    /** Ignored text after ']', -1 when none. */
    readonly trailingStart: number,
    readonly trailingEnd: number,
    private readonly lineText: string,
    /** Where the last line belonging to the section ends (range.end). */
    public endLine: number,
    public endCharacter: number,
  ) {}

  get kind(): 'section' {
    return 'section';
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
    return (this.#parts ??= { nameRange: undefined, headerRange: undefined, range: undefined, trailing: undefined });
  }

  get nameRange(): Range {
    const parts = this.parts;
    return (parts.nameRange ??= range(this.line, this.nameStart, this.line, this.nameEnd));
  }

  get headerRange(): Range {
    const parts = this.parts;
    return (parts.headerRange ??= range(this.line, this.start, this.line, this.end));
  }

  get range(): Range {
    const parts = this.parts;
    return (parts.range ??= range(this.line, this.start, this.endLine, this.endCharacter));
  }

  get trailing(): { text: string; range: Range } | undefined {
    if (this.trailingStart === -1) return undefined;
    const parts = this.parts;
    return (parts.trailing ??= {
      text: this.lineText.slice(this.trailingStart, this.trailingEnd),
      range: range(this.line, this.trailingStart, this.line, this.trailingEnd),
    });
  }

  toJSON(): SectionNode {
    const section: SectionNode = { kind: 'section', name: this.name, nameRange: this.nameRange, headerRange: this.headerRange, range: this.range, options: this.options };
    if (this.trailing) section.trailing = this.trailing;
    return section;
  }

  /** A copy `delta` lines further down, options included. */
  moved(delta: number): SectionNodeImpl {
    const copy = new SectionNodeImpl(
      this.name,
      this.line + delta,
      this.nameStart,
      this.nameEnd,
      this.trailingStart,
      this.trailingEnd,
      this.lineText,
      this.endLine + delta,
      this.endCharacter,
    );
    copy.options = this.options.map((option) => (option as OptionNodeImpl).moved(delta));
    return copy;
  }
}

export class CommentNodeImpl implements CommentNode {
  #range: Range | undefined;

  constructor(
    readonly text: string,
    readonly line: number,
    readonly start: number,
    readonly end: number,
  ) {}

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
    return new CommentNodeImpl(this.text, this.line + delta, this.start, this.end);
  }
}
