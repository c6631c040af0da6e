// Formatting: normalises the spacing around the delimiter of each option's key line to `key = value`
// (keeping the delimiter character and the indentation). Nothing else changes: no reordering, no
// dropping, no re-wrapping, continuation lines and comments untouched. Idempotent.
import type { TextEdit } from 'vscode-languageserver-types';
import type { ConfigDocument, OptionNode } from '../parser/model';
import { parseDocument } from '../parser/parse';

/** The normalised key line, or undefined when it is already normal or must not change. */
function formattedKeyLine(line: string, option: OptionNode): string | undefined {
  const keyEnd = option.keyRange.end.character;
  const delimiterAt = option.delimiterRange.start.character;
  if (option.keyRange.start.line !== option.delimiterRange.start.line || delimiterAt < keyEnd) return undefined;
  const rest = line.slice(delimiterAt + 1);
  const value = rest.replace(/^\s+/, '');
  const head = `${line.slice(0, keyEnd)} ${option.delimiter}`;
  // `key=;x` keeps ';x' as the value; a space before ';' would turn it into an inline comment
  const glued = value.startsWith(';') && !/^\s/.test(rest);
  const formatted = value === '' ? head : glued ? `${head}${value}` : `${head} ${value}`;
  return formatted === line ? undefined : formatted;
}

/** Edits that normalise `key = value` spacing; each edit replaces only the key line's text up to the value. */
export function computeFormatting(doc: ConfigDocument): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const section of doc.sections) {
    for (const option of section.options) {
      const lineNumber = option.keyRange.start.line;
      const line = doc.lines[lineNumber];
      if (line === undefined) continue;
      const formatted = formattedKeyLine(line, option);
      if (formatted === undefined || formatted === line) continue;
      edits.push({
        range: { start: { line: lineNumber, character: 0 }, end: { line: lineNumber, character: line.length } },
        newText: formatted,
      });
    }
  }
  return edits;
}

/** Applies non-overlapping single-line edits to text (line terminators kept). */
export function applyLineEdits(text: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return text;
  const parts = text.split(/(\r\n|\r|\n)/);
  for (const edit of edits) parts[edit.range.start.line * 2] = edit.newText;
  return parts.join('');
}

/** format(text): the whole text with `key = value` spacing normalised. */
export function formatText(text: string): string {
  return applyLineEdits(text, computeFormatting(parseDocument(text)));
}
