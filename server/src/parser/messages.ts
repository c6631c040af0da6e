// Problem messages of the parser. Each says what fail2ban 1.1.0 does and quotes fail2ban's
// (Python configparser's) own message. The file name inside quoted messages is the path fail2ban
// reads, when the caller knows it.

import { t } from '../l10n';

const MAX_QUOTED_LINE = 80;

/** Python's repr() of a str, enough for config lines: quote choice and escapes as CPython does. */
export function pythonRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === quote || char === '\\') out += '\\' + char;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0xa0) || code === 0xad) out += '\\x' + hex(code, 2);
    else if (isUnprintableAboveLatin1(code)) out += code > 0xffff ? '\\U' + hex(code, 8) : '\\u' + hex(code, 4);
    else out += char;
  }
  return out + quote;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

// The separators and format characters Python's str.isprintable() rejects that users can meet in a
// config line (BOM, zero-width and bidi marks, line/paragraph separators, surrogates, private use).
function isUnprintableAboveLatin1(code: number): boolean {
  return (
    code === 0xfeff ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202f) ||
    (code >= 0x205f && code <= 0x206f) ||
    code === 0x3000 ||
    (code >= 0xd800 && code <= 0xf8ff) ||
    (code >= 0xfff0 && code <= 0xfffb)
  );
}

/** The physical line as Python's reader hands it to configparser (with '\n' unless it is the last). */
export function quotedLine(line: string, hasNewline: boolean): string {
  const shown = line.length > MAX_QUOTED_LINE ? line.slice(0, MAX_QUOTED_LINE) + '…' : line;
  return pythonRepr(hasNewline ? shown + '\n' : shown);
}

/** configparser's `[line %2d]`. */
function lineTag(lineNumber: number): string {
  return `[line ${String(lineNumber).padStart(2, ' ')}]`;
}

export interface MessageFile {
  /** Path shown inside quoted fail2ban messages. */
  path: string;
}

export function missingSectionHeaderMessage(file: MessageFile, lineNumber: number, quoted: string): string {
  return t(
    'Option outside any [section]: fail2ban refuses the whole configuration and does not start ({0}). Put a section header such as [DEFAULT] above it.',
    `"File contains no section headers. file: '${file.path}', line: ${lineNumber} ${quoted}"`,
  );
}

export function bomMessage(file: MessageFile, quoted: string): string {
  return t(
    'The file starts with a UTF-8 byte order mark (BOM): fail2ban reads it as part of the first line and fail2ban refuses the whole configuration and does not start ({0}). Save the file as UTF-8 without BOM.',
    `"File contains no section headers. file: '${file.path}', line: 1 ${quoted}"`,
  );
}

export function noDelimiterMessage(): string {
  return t("Line is not 'key = value': write it as 'name = value', or start it with '#' to make it a comment. fail2ban refuses the whole configuration and does not start.");
}

/** configparser's own words for a line without delimiter (details: LSP related information, CLI). */
export function noDelimiterDetails(file: MessageFile, lineNumber: number, quoted: string): string {
  return `fail2ban: Source contains parsing errors: '${file.path}' ${lineTag(lineNumber)}: ${quoted}`;
}

export function emptyKeyMessage(file: MessageFile, lineNumber: number, quoted: string): string {
  return t(
    'Option name missing before the delimiter: fail2ban refuses the whole configuration and does not start ({0}).',
    `"Source contains parsing errors: '${file.path}' ${lineTag(lineNumber)}: ${quoted}"`,
  );
}

export function duplicateSectionMessage(file: MessageFile, lineNumber: number, name: string, firstLine: number): string {
  return t(
    'Section [{0}] is already defined on line {1}: fail2ban refuses the whole configuration and does not start ({2}). Merge the two sections.',
    name,
    firstLine,
    `"While reading from '${file.path}' ${lineTag(lineNumber)}: section ${pythonRepr(name)} already exists"`,
  );
}

export function duplicateOptionMessage(
  file: MessageFile,
  lineNumber: number,
  option: string,
  section: string,
  firstLine: number,
): string {
  return t(
    "Option '{0}' is already set in [{1}] on line {2}: keep only one. fail2ban refuses the whole configuration and does not start ({3}).",
    option,
    section,
    firstLine,
    `"While reading from '${file.path}' ${lineTag(lineNumber)}: option ${pythonRepr(option)} in section ${pythonRepr(section)} already exists"`,
  );
}

export function indentedLineMessage(looksLike: 'option' | 'section', ownerKey: string, ownerLine: number): string {
  return looksLike === 'section'
    ? t(
        "This indented line is not a new [section] header: fail2ban reads it as one more line of the value of '{0}' (line {1}), because it is indented deeper than that option's line. Remove the indentation if it is meant to stand on its own.",
        ownerKey,
        ownerLine,
      )
    : t(
        "This indented line is not a new option: fail2ban reads it as one more line of the value of '{0}' (line {1}), because it is indented deeper than that option's line. Remove the indentation if it is meant to stand on its own.",
        ownerKey,
        ownerLine,
      );
}
