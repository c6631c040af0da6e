// Line tokens, classified exactly as Python 3.11's configparser.RawConfigParser._read does with the
// settings fail2ban 1.1.0 uses (SafeConfigParserWithIncludes: inline comment prefix ';' only,
// comment prefixes '#' and ';', delimiters '=' and ':', empty lines allowed in values).
//
// tokenizeLine() looks at one line alone; tokenize() adds the only context configparser has —
// whether a line continues the value of the previous option — and marks those lines 'continuation'.
// Spans are character columns (UTF-16 units) within the line, end exclusive.
import { isPythonSpace, skipSpace, splitLines, trimSpaceEnd } from './text';

export interface Span {
  start: number;
  end: number;
}

interface LineTokenBase {
  /** 0-based line number. */
  line: number;
}

/** Whitespace only. */
export interface BlankToken extends LineTokenBase {
  kind: 'blank';
  /** configparser appends '' to the open option's value for this line (kept only if more value lines follow). */
  inValue: boolean;
}

/** First non-whitespace character is '#' or ';'. */
export interface CommentToken extends LineTokenBase {
  kind: 'comment';
  /** The comment, trimmed. */
  text: Span;
}

interface ContentTokenBase extends LineTokenBase {
  /** Count of leading whitespace characters (tabs count 1), as configparser measures it. */
  indent: number;
  /** The line as configparser sees it: inline comment removed, whitespace stripped. */
  content: Span;
  /** '; comment' removed by configparser (a ';' at column 0 or after whitespace), trimmed. */
  inlineComment?: Span;
}

/** `[name]` — from the first '[' to the LAST ']'; text after it is ignored by configparser. */
export interface HeaderToken extends ContentTokenBase {
  kind: 'header';
  name: Span;
  /** Ignored text after the closing ']' (trimmed), if any. */
  trailing?: Span;
}

/** `key <first '=' or ':'> value`. */
export interface OptionToken extends ContentTokenBase {
  kind: 'option';
  key: Span;
  delimiter: '=' | ':';
  delimiterAt: number;
  /** Value text (may be empty: start === end). */
  value: Span;
}

/** A line configparser reports as a parsing error. */
export interface InvalidToken extends ContentTokenBase {
  kind: 'invalid';
  /**
   * 'no-delimiter': no '=' or ':' (e.g. `maxretry 3`, `[]`).
   * 'empty-key': nothing before the delimiter (`= 3`); configparser still stores option ''.
   */
  reason: 'no-delimiter' | 'empty-key';
  delimiter?: '=' | ':';
  delimiterAt?: number;
  value?: Span;
}

/** A line indented deeper than the current indent level while an option is open: part of its value. */
export interface ContinuationToken extends ContentTokenBase {
  kind: 'continuation';
  /** The value text of this line (= content). */
  value: Span;
  /** What the line would have been without the indentation, when that looks intended. */
  looksLike?: 'option' | 'section';
}

export type LineToken = BlankToken | CommentToken | HeaderToken | OptionToken | InvalidToken | ContinuationToken;

/** What tokenizeLine can tell from one line alone (continuations need tokenize's context). */
export type StandaloneLineToken = BlankToken | CommentToken | HeaderToken | OptionToken | InvalidToken;

const SEMICOLON = 0x3b;
const HASH = 0x23;
const EQUALS = 0x3d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Column of configparser's inline comment: the first ';' at column 0 or right after whitespace. */
function findInlineComment(text: string, from: number): number {
  let index = text.indexOf(';', from);
  while (index !== -1) {
    if (index === 0 || isPythonSpace(text.charCodeAt(index - 1))) return index;
    index = text.indexOf(';', index + 1);
  }
  return -1;
}

function firstDelimiter(text: string, from: number, end: number): number {
  const equals = text.indexOf('=', from);
  const colon = text.indexOf(':', from);
  let first = equals === -1 ? colon : colon === -1 ? equals : Math.min(equals, colon);
  if (first >= end) first = -1;
  return first;
}

/**
 * Classifies one line on its own. `startColumn` skips a prefix (the BOM on line 0) so the rest
 * of the line is read as if it were not there.
 */
export function tokenizeLine(text: string, line: number, startColumn = 0): StandaloneLineToken {
  const length = text.length;
  const first = skipSpace(text, startColumn, length);
  if (first === length) return { kind: 'blank', line, inValue: false };
  const firstCode = text.charCodeAt(first);
  if (firstCode === HASH || firstCode === SEMICOLON) {
    return { kind: 'comment', line, text: { start: first, end: trimSpaceEnd(text, first, length) } };
  }
  const indent = first - startColumn;
  const commentAt = findInlineComment(text, first);
  const contentEnd = trimSpaceEnd(text, first, commentAt === -1 ? length : commentAt);
  const content: Span = { start: first, end: contentEnd };
  const base = { line, indent, content } as ContentTokenBase;
  if (commentAt !== -1) base.inlineComment = { start: commentAt, end: trimSpaceEnd(text, commentAt, length) };

  if (firstCode === OPEN_BRACKET) {
    const close = text.lastIndexOf(']', contentEnd - 1);
    // configparser's SECTCRE is `\[(?P<header>.+)\]`: at least one character between.
    if (close > first + 1) {
      const header: HeaderToken = { ...base, kind: 'header', name: { start: first + 1, end: close } };
      const trailingStart = skipSpace(text, close + 1, contentEnd);
      if (trailingStart < contentEnd) header.trailing = { start: trailingStart, end: contentEnd };
      return header;
    }
  }

  const delimiterAt = firstDelimiter(text, first, contentEnd);
  if (delimiterAt === -1) return { ...base, kind: 'invalid', reason: 'no-delimiter' };
  const delimiter = text.charCodeAt(delimiterAt) === EQUALS ? '=' : ':';
  const value: Span = { start: skipSpace(text, delimiterAt + 1, contentEnd), end: contentEnd };
  const keyEnd = trimSpaceEnd(text, first, delimiterAt);
  if (keyEnd === first) return { ...base, kind: 'invalid', reason: 'empty-key', delimiter, delimiterAt, value };
  return { ...base, kind: 'option', key: { start: first, end: keyEnd }, delimiter, delimiterAt, value };
}

// An option name as people write them (`maxretry`, `bantime.increment`, `MaxRetry`): with at least
// one lower-case letter so that journal fields (`_SYSTEMD_UNIT=…`) continuing a journalmatch do not count.
const OPTION_NAME_LIKE = /^[A-Za-z_][\w.-]*$/;
const HAS_LOWER = /[a-z]/;
// Shell commands (`port="<port>"; …`, `num=$(…)`) and mail headers (`From: <sender>`) inside
// multi-line action values are not options someone meant to write.
const SHELL_LIKE_VALUE = /[$`"';|&]/;

function looksLikeOption(text: string, token: OptionToken): boolean {
  if (token.delimiter !== '=') return false; // `key: value` lines are mail headers, IPv6 addresses…
  const key = text.slice(token.key.start, token.key.end);
  if (!OPTION_NAME_LIKE.test(key) || !HAS_LOWER.test(key)) return false;
  return !SHELL_LIKE_VALUE.test(text.slice(token.value.start, token.value.end));
}

function looksLikeSection(text: string, token: HeaderToken): boolean {
  if (token.trailing) return false;
  for (let i = token.name.start; i < token.name.end; i++) {
    const code = text.charCodeAt(i);
    // `[[]client <HOST>[]]`-style regex pieces are not headers someone meant to write.
    if (code === OPEN_BRACKET || code === CLOSE_BRACKET) return false;
  }
  return true;
}

function continuationOf(text: string, token: HeaderToken | OptionToken | InvalidToken): ContinuationToken {
  const continuation: ContinuationToken = {
    kind: 'continuation',
    line: token.line,
    indent: token.indent,
    content: token.content,
    value: token.content,
  };
  if (token.inlineComment) continuation.inlineComment = token.inlineComment;
  if (token.kind === 'option' && looksLikeOption(text, token)) continuation.looksLike = 'option';
  else if (token.kind === 'header' && looksLikeSection(text, token)) continuation.looksLike = 'section';
  return continuation;
}

export interface TokenizedText {
  text: string;
  lines: string[];
  lineStarts: number[];
  tokens: LineToken[];
  /** The text starts with U+FEFF; line 0 was tokenized from column 1. */
  hasBom: boolean;
}

/**
 * Tokenizes a whole file with configparser's continuation rule: while an option is open, a line
 * indented strictly deeper than the last header/option/invalid line is part of the option's value.
 * Comment lines change nothing; blank lines are (provisionally) part of the open value.
 */
export function tokenize(text: string): TokenizedText {
  const { lines, lineStarts } = splitLines(text);
  const hasBom = text.charCodeAt(0) === 0xfeff;
  const tokens: LineToken[] = new Array(lines.length);
  let inSection = false;
  let optionOpen = false;
  let indentLevel = 0;
  for (let line = 0; line < lines.length; line++) {
    const lineText = lines[line];
    const token = tokenizeLine(lineText, line, line === 0 && hasBom ? 1 : 0);
    if (token.kind === 'blank') {
      token.inValue = optionOpen;
      tokens[line] = token;
      continue;
    }
    if (token.kind === 'comment') {
      tokens[line] = token;
      continue;
    }
    if (optionOpen && token.indent > indentLevel) {
      tokens[line] = continuationOf(lineText, token);
      continue;
    }
    indentLevel = token.indent;
    if (token.kind === 'header') {
      inSection = true;
      optionOpen = false;
    } else if (token.kind === 'option') {
      // Before any header configparser stops (MissingSectionHeaderError); nothing opens.
      optionOpen = inSection;
    } else if (token.reason === 'empty-key') {
      // configparser stores option '' — a falsy name, so nothing continues it.
      optionOpen = false;
    }
    // A line without delimiter leaves the open option open: later deeper lines still continue it.
    tokens[line] = token;
  }
  return { text, lines, lineStarts, tokens, hasBom };
}
