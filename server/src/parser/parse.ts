// Builds the document model from line tokens, the way fail2ban 1.1.0's configparser fills its
// sections (Python 3.11 configparser.RawConfigParser._read + _join_multiline_values).
// Never throws; one pass over the tokens. Where configparser would stop (missing header, duplicate),
// we report the problem and keep reading so later lines still get checked.
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
  noDelimiterMessage,
  quotedLine,
} from './messages';
import { emptyRange, lineRange } from './text';
import {
  type ContinuationToken,
  type HeaderToken,
  type InvalidToken,
  type OptionToken,
  type Span,
  tokenize,
} from './tokenize';

export interface ParseOptions {
  /** Path fail2ban reads the file from, quoted in messages (e.g. '/etc/fail2ban/jail.d/user-jail.local'). */
  fail2banPath?: string;
}

/** The document plus the line index the parser computed anyway (positionAt/offsetAt use it). */
export type ParsedDocument = ConfigDocument & { lineStarts: number[] };

const DEFAULT_SECTION = 'DEFAULT';

function spanRange(line: number, span: Span): Range {
  return lineRange(line, span.start, span.end);
}

/** An option being read: value lines so far plus blank lines that count only if more lines follow. */
interface OpenOption {
  node: OptionNode;
  pendingBlankLines: ValueLine[];
  /** '[' minus ']' in the value so far: > 0 inside a `name[param=…,` list that spans lines. */
  openBrackets: number;
}

function bracketBalance(text: string): number {
  let balance = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x5b) balance++;
    else if (code === 0x5d) balance--;
  }
  return balance;
}

class DocumentBuilder {
  readonly sections: SectionNode[] = [];
  readonly comments: CommentNode[] = [];
  readonly problems: ParseProblem[] = [];
  private section: SectionNode | undefined;
  private sectionEnd: Range | undefined;
  private openOption: OpenOption | undefined;
  private sawMissingHeader = false;
  /** Section name → header range of its first occurrence (DEFAULT excluded: it may repeat). */
  private readonly firstSectionHeader = new Map<string, Range>();
  /** Option names seen per section: DEFAULT blocks share one set, as configparser's elements_added does. */
  private optionNames = new Map<string, Range>();
  private readonly defaultOptionNames = new Map<string, Range>();

  constructor(
    private readonly lines: string[],
    private readonly file: MessageFile,
  ) {}

  private quoted(line: number): string {
    return quotedLine(this.lines[line], line < this.lines.length - 1);
  }

  private lineLength(line: number): number {
    return this.lines[line].length;
  }

  header(token: HeaderToken): void {
    this.closeSection();
    const text = this.lines[token.line];
    const name = text.slice(token.name.start, token.name.end);
    const headerRange = spanRange(token.line, token.content);
    const section: SectionNode = {
      kind: 'section',
      name,
      nameRange: spanRange(token.line, token.name),
      headerRange,
      range: headerRange,
      options: [],
    };
    if (token.trailing) {
      section.trailing = { text: text.slice(token.trailing.start, token.trailing.end), range: spanRange(token.line, token.trailing) };
    }
    if (name === DEFAULT_SECTION) {
      this.optionNames = this.defaultOptionNames;
    } else {
      const first = this.firstSectionHeader.get(name);
      if (first) {
        this.problems.push({
          code: 'duplicate-section',
          range: section.nameRange,
          message: duplicateSectionMessage(this.file, token.line + 1, name, first.start.line + 1),
          related: first,
        });
      } else {
        this.firstSectionHeader.set(name, section.nameRange);
      }
      this.optionNames = new Map();
    }
    this.sections.push(section);
    this.section = section;
    this.sectionEnd = headerRange;
  }

  option(token: OptionToken): void {
    this.closeOption();
    if (!this.section) {
      this.reportMissingHeader(token.line, token.content);
      return;
    }
    const text = this.lines[token.line];
    const key = text.slice(token.key.start, token.key.end);
    const keyRange = spanRange(token.line, token.key);
    const firstLine = this.valueLine(token.line, token.value, token.inlineComment);
    const node: OptionNode = {
      kind: 'option',
      key,
      name: key.toLowerCase(),
      keyRange,
      delimiter: token.delimiter,
      delimiterRange: lineRange(token.line, token.delimiterAt, token.delimiterAt + 1),
      value: '',
      lines: [firstLine],
      valueRange: firstLine.range,
      range: spanRange(token.line, token.content),
      indent: token.indent,
    };
    this.checkDuplicateOption(node.name, keyRange, token.line);
    this.section.options.push(node);
    this.openOption = { node, pendingBlankLines: [], openBrackets: bracketBalance(firstLine.text) };
    this.sectionEnd = node.range;
  }

  invalid(token: InvalidToken): void {
    if (!this.section) {
      this.closeOption();
      this.reportMissingHeader(token.line, token.content);
      return;
    }
    const range = spanRange(token.line, token.content);
    const lineNumber = token.line + 1;
    if (token.reason === 'empty-key') {
      // configparser reports the line, then still stores option '' (so a second one is a duplicate).
      this.closeOption();
      this.problems.push({ code: 'invalid-line', range, message: emptyKeyMessage(this.file, lineNumber, this.quoted(token.line)) });
      this.checkDuplicateOption('', range, token.line);
    } else {
      // The open option stays open: deeper lines after this one still continue its value.
      this.problems.push({ code: 'invalid-line', range, message: noDelimiterMessage(this.file, lineNumber, this.quoted(token.line)) });
    }
    this.sectionEnd = range;
  }

  continuation(token: ContinuationToken): void {
    const open = this.openOption;
    if (!open) return; // tokenize() only emits continuations while an option is open
    const valueLine = this.valueLine(token.line, token.value, token.inlineComment);
    for (const blankLine of open.pendingBlankLines) open.node.lines.push(blankLine);
    open.node.lines.push(valueLine);
    open.pendingBlankLines = [];
    open.node.range = { start: open.node.range.start, end: spanRange(token.line, token.content).end };
    this.sectionEnd = open.node.range;
    // `action = x[a=1,⏎    b=2]`: a parameter on its own line is meant to continue the list.
    const insideParameterList = open.openBrackets > 0;
    open.openBrackets += bracketBalance(valueLine.text);
    if (token.looksLike && !insideParameterList) {
      this.problems.push({
        code: 'indented-line',
        range: spanRange(token.line, token.content),
        message: indentedLineMessage(token.looksLike, open.node.key, open.node.keyRange.start.line + 1),
        related: open.node.keyRange,
      });
    }
  }

  blank(line: number, inValue: boolean): void {
    if (inValue && this.openOption) this.openOption.pendingBlankLines.push({ text: '', range: emptyRange(line, this.lineLength(line)) });
  }

  comment(line: number, span: Span): void {
    this.comments.push({ kind: 'comment', text: this.lines[line].slice(span.start, span.end), range: spanRange(line, span) });
  }

  bom(): void {
    this.problems.push({ code: 'utf8-bom', range: lineRange(0, 0, 1), message: bomMessage(this.file, this.quoted(0)) });
  }

  finish(): void {
    this.closeSection();
  }

  private valueLine(line: number, span: Span, inlineComment: Span | undefined): ValueLine {
    const text = this.lines[line];
    const valueText = text.slice(span.start, span.end);
    const valueLine: ValueLine = {
      text: valueText,
      range: valueText === '' ? emptyRange(line, text.length) : spanRange(line, span),
    };
    if (inlineComment) {
      valueLine.inlineComment = { text: text.slice(inlineComment.start, inlineComment.end), range: spanRange(line, inlineComment) };
    }
    return valueLine;
  }

  private reportMissingHeader(line: number, content: Span): void {
    // configparser stops at the first such line; later ones would only repeat the same message.
    if (this.sawMissingHeader) return;
    this.sawMissingHeader = true;
    this.problems.push({
      code: 'missing-section-header',
      range: spanRange(line, content),
      message: missingSectionHeaderMessage(this.file, line + 1, this.quoted(line)),
    });
  }

  private checkDuplicateOption(name: string, range: Range, line: number): void {
    const section = this.section;
    if (!section) return;
    const first = this.optionNames.get(name);
    if (first) {
      this.problems.push({
        code: 'duplicate-option',
        range,
        message: duplicateOptionMessage(this.file, line + 1, name, section.name, first.start.line + 1),
        related: first,
      });
    } else {
      this.optionNames.set(name, range);
    }
  }

  private closeOption(): void {
    const open = this.openOption;
    if (!open) return;
    this.openOption = undefined;
    const node = open.node;
    // '\n'.join(lines).rstrip(): trailing blank lines were never added (they stay pending).
    node.value = node.lines.length === 1 ? node.lines[0].text : node.lines.map((line) => line.text).join('\n');
    const firstText = node.lines.find((line) => line.text !== '');
    const last = node.lines[node.lines.length - 1];
    node.valueRange = firstText ? { start: firstText.range.start, end: last.range.end } : node.lines[0].range;
  }

  private closeSection(): void {
    this.closeOption();
    if (this.section && this.sectionEnd) this.section.range = { start: this.section.headerRange.start, end: this.sectionEnd.end };
    this.section = undefined;
    this.sectionEnd = undefined;
  }
}

/** Reads one file as fail2ban 1.1.0 does. Never throws; linear in the size of the text. */
export function parseDocument(text: string, options: ParseOptions = {}): ParsedDocument {
  const tokenized = tokenize(text);
  const builder = new DocumentBuilder(tokenized.lines, { path: options.fail2banPath ?? '<file>' });
  if (tokenized.hasBom) builder.bom();
  for (const token of tokenized.tokens) {
    switch (token.kind) {
      case 'blank':
        builder.blank(token.line, token.inValue);
        break;
      case 'comment':
        builder.comment(token.line, token.text);
        break;
      case 'header':
        builder.header(token);
        break;
      case 'option':
        builder.option(token);
        break;
      case 'invalid':
        builder.invalid(token);
        break;
      case 'continuation':
        builder.continuation(token);
        break;
    }
  }
  builder.finish();
  return {
    text,
    lines: tokenized.lines,
    lineStarts: tokenized.lineStarts,
    sections: builder.sections,
    comments: builder.comments,
    problems: builder.problems,
    hasBom: tokenized.hasBom,
  };
}
