// The document model: what fail2ban's configparser would read from ONE file, with every range kept.
// Produced by parser/parse.ts; never throws. Lines of the file are split on \n, \r\n or \r.
import type { Range } from '../types';

export interface CommentNode {
  kind: 'comment';
  /** Full text of the line, trimmed (including the leading '#' or ';'). */
  text: string;
  range: Range;
}

/** One physical line of an option's value (first line after the delimiter, then continuation lines). */
export interface ValueLine {
  /** Text as configparser keeps it: inline '; comment' removed, surrounding whitespace stripped. */
  text: string;
  /** Range of `text` in the document (empty range at the line end when text is ''). */
  range: Range;
  /** An inline '; comment' that configparser removed from this line, if any. */
  inlineComment?: { text: string; range: Range };
}

export interface OptionNode {
  kind: 'option';
  /** Key as written (trimmed). */
  key: string;
  /** Key as configparser stores it: lower-cased. */
  name: string;
  keyRange: Range;
  delimiter: '=' | ':';
  delimiterRange: Range;
  /**
   * The value exactly as Python configparser returns it: the lines joined with '\n',
   * blank lines inside kept, trailing blank lines removed, inline comments removed.
   */
  value: string;
  /** lines[0] is the text after the delimiter (may be ''); then continuation lines (blank ones included). */
  lines: ValueLine[];
  /** From the start of the first non-empty value text to the end of the last value line. */
  valueRange: Range;
  /** Whole option: key line through last continuation line. */
  range: Range;
  /** Indentation (count of leading whitespace characters) of the key line. */
  indent: number;
}

export interface SectionNode {
  kind: 'section';
  /** Name between the first '[' and the last ']' (case and spaces kept, as fail2ban does). */
  name: string;
  nameRange: Range;
  /** The whole header line text range. */
  headerRange: Range;
  /** Header through the last line belonging to the section. */
  range: Range;
  options: OptionNode[];
  /** Text after the closing ']' on the header line that fail2ban ignores (e.g. "[a] junk"). */
  trailing?: { text: string; range: Range };
}

/** A problem the parser itself sees; `code` is a stable rule code (see rules). */
export interface ParseProblem {
  /** configparser's own words, when the message leaves them out (LSP related information, CLI details). */
  details?: string;
  code:
    | 'missing-section-header'
    | 'utf8-bom'
    | 'invalid-line'
    | 'duplicate-section'
    | 'duplicate-option'
    | 'indented-line'
    | 'invalid-encoding';
  range: Range;
  message: string;
  /** For duplicates: range of the first occurrence. For indented-line: key of the option whose value the line continues. */
  related?: Range;
}

export interface ConfigDocument {
  text: string;
  /** Physical lines without their line terminators. */
  lines: string[];
  /** In file order. A repeated section name appears more than once here (the parser reports it). */
  sections: SectionNode[];
  comments: CommentNode[];
  problems: ParseProblem[];
  hasBom: boolean;
}
