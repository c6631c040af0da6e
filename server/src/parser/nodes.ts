// The parser's model nodes (the interfaces are in model.ts): line and column numbers kept as plain numbers, the
// Range objects consumers read built on first access and kept. A 1 MB file has ~40k options; as plain objects each
// cost a dozen small range/position objects that the garbage collector had to copy and then keep, most of them
// never looked at. Ranges handed out are plain {start:{line,character},end:{…}} objects (they go to LSP as they are).
// Getters live on the prototypes: JSON.stringify, spread and Object.keys of a NODE see only the numbers (no code
// copies nodes that way; incrementalParse.ts moves them with moved()). The memo fields are private (#), so two
// nodes of the same text compare deep-equal whichever ranges were asked for.
import type { Position, Range } from '../types';
import type { CommentNode, OptionNode, SectionNode, ValueLine } from './model';

function range(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range {
  return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}

/** A line's text cut from its own line (a slice shares the line's string; no copy). */
function cut(lineText: string, start: number, end: number): string {
  return lineText.slice(start, end);
}

export class ValueLineNode implements ValueLine {
  #range: Range | undefined;
  #inlineComment: { text: string; range: Range } | undefined;

  constructor(
    readonly text: string,
    /** Document line, and the columns of `text` in it (both the line end when `text` is ''). */
    readonly line: number,
    readonly start: number,
    readonly end: number,
    /** The whole document line (already kept by the document): the inline comment is cut from it when asked. */
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
      text: cut(this.lineText, this.commentStart, this.commentEnd),
      range: range(this.line, this.commentStart, this.line, this.commentEnd),
    });
  }

  /** A copy `delta` lines further down. */
  moved(delta: number): ValueLineNode {
    return new ValueLineNode(this.text, this.line + delta, this.start, this.end, this.lineText, this.commentStart, this.commentEnd);
  }
}

export class OptionNodeImpl implements OptionNode {
  readonly kind = 'option' as const;
  #keyRange: Range | undefined;
  #delimiterRange: Range | undefined;
  #valueRange: Range | undefined;
  #range: Range | undefined;
  #lines: ValueLine[] | undefined;

  constructor(
    readonly key: string,
    readonly name: string,
    readonly delimiter: '=' | ':',
    public value: string,
    readonly indent: number,
    /** The key line; the key starts the option, its columns [keyStart, keyEnd). */
    readonly line: number,
    readonly keyStart: number,
    readonly keyEnd: number,
    readonly delimiterAt: number,
    /** The key line's text and the columns of its value and inline comment (-1 when none): the first value line. */
    private readonly lineText: string,
    private readonly firstValueStart: number,
    private readonly firstValueEnd: number,
    private readonly firstCommentStart: number,
    private readonly firstCommentEnd: number,
    /** Where the option ends (range.end); the value range ends there too, except for an empty one-line value. */
    public endLine: number,
    public endCharacter: number,
    public valueStartLine: number,
    public valueStartCharacter: number,
    public valueEndCharacter: number,
    /** Continuation lines (blank ones included) after the key line, undefined for a one-line value. */
    public continuations: ValueLineNode[] | undefined,
  ) {}

  get keyRange(): Range {
    return (this.#keyRange ??= range(this.line, this.keyStart, this.line, this.keyEnd));
  }

  get delimiterRange(): Range {
    return (this.#delimiterRange ??= range(this.line, this.delimiterAt, this.line, this.delimiterAt + 1));
  }

  get valueRange(): Range {
    return (this.#valueRange ??= range(this.valueStartLine, this.valueStartCharacter, this.endLine, this.valueEndCharacter));
  }

  get range(): Range {
    return (this.#range ??= range(this.line, this.keyStart, this.endLine, this.endCharacter));
  }

  get lines(): ValueLine[] {
    if (this.#lines) return this.#lines;
    const lines: ValueLine[] = [this.first()];
    if (this.continuations) for (const line of this.continuations) lines.push(line);
    return (this.#lines = lines);
  }

  /** The key line's value line (a node of its own only when asked for). */
  private first(): ValueLineNode {
    const text = this.continuations === undefined ? this.value : this.firstText();
    // an empty value line sits at the line end
    const start = text === '' ? this.lineText.length : this.firstValueStart;
    const end = text === '' ? this.lineText.length : this.firstValueEnd;
    return new ValueLineNode(text, this.line, start, end, this.lineText, this.firstCommentStart, this.firstCommentEnd);
  }

  /** Text of the key line's value (inline comment removed, stripped). */
  firstText(): string {
    return this.firstValueStart < this.firstValueEnd ? cut(this.lineText, this.firstValueStart, this.firstValueEnd) : '';
  }

  /** A copy `delta` lines further down. */
  moved(delta: number): OptionNodeImpl {
    return new OptionNodeImpl(
      this.key,
      this.name,
      this.delimiter,
      this.value,
      this.indent,
      this.line + delta,
      this.keyStart,
      this.keyEnd,
      this.delimiterAt,
      this.lineText,
      this.firstValueStart,
      this.firstValueEnd,
      this.firstCommentStart,
      this.firstCommentEnd,
      this.endLine + delta,
      this.endCharacter,
      this.valueStartLine + delta,
      this.valueStartCharacter,
      this.valueEndCharacter,
      this.continuations?.map((line) => line.moved(delta)),
    );
  }
}

export class SectionNodeImpl implements SectionNode {
  readonly kind = 'section' as const;
  readonly options: OptionNode[] = [];
  #nameRange: Range | undefined;
  #headerRange: Range | undefined;
  #range: Range | undefined;
  #trailing: { text: string; range: Range } | undefined;

  constructor(
    readonly name: string,
    /** The header line and its columns: the header text [start, end), the name [nameStart, nameEnd). */
    readonly line: number,
    readonly start: number,
    readonly end: number,
    readonly nameStart: number,
    readonly nameEnd: number,
    private readonly lineText: string,
    /** Ignored text after ']', -1 when none. */
    private readonly trailingStart: number,
    private readonly trailingEnd: number,
    /** Where the last line belonging to the section ends (range.end). */
    public endLine: number,
    public endCharacter: number,
  ) {}

  get nameRange(): Range {
    return (this.#nameRange ??= range(this.line, this.nameStart, this.line, this.nameEnd));
  }

  get headerRange(): Range {
    return (this.#headerRange ??= range(this.line, this.start, this.line, this.end));
  }

  get range(): Range {
    return (this.#range ??= range(this.line, this.start, this.endLine, this.endCharacter));
  }

  get trailing(): { text: string; range: Range } | undefined {
    if (this.trailingStart === -1) return undefined;
    return (this.#trailing ??= {
      text: cut(this.lineText, this.trailingStart, this.trailingEnd),
      range: range(this.line, this.trailingStart, this.line, this.trailingEnd),
    });
  }

  /** A copy `delta` lines further down, options included. */
  moved(delta: number): SectionNodeImpl {
    const copy = new SectionNodeImpl(
      this.name,
      this.line + delta,
      this.start,
      this.end,
      this.nameStart,
      this.nameEnd,
      this.lineText,
      this.trailingStart,
      this.trailingEnd,
      this.endLine + delta,
      this.endCharacter,
    );
    for (const option of this.options) copy.options.push((option as OptionNodeImpl).moved(delta));
    return copy;
  }
}

export class CommentNodeImpl implements CommentNode {
  readonly kind = 'comment' as const;
  #range: Range | undefined;

  constructor(
    readonly text: string,
    readonly line: number,
    readonly start: number,
    readonly end: number,
  ) {}

  get range(): Range {
    return (this.#range ??= range(this.line, this.start, this.line, this.end));
  }

  moved(delta: number): CommentNodeImpl {
    return new CommentNodeImpl(this.text, this.line + delta, this.start, this.end);
  }
}

/** A plain copy of `position` `delta` lines further down. */
export function movedPosition(position: Position, delta: number): Position {
  return { line: position.line + delta, character: position.character };
}
