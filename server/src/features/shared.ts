// Helpers every feature adapter shares: feature options, where the cursor is in the document model,
// and small position utilities. Pure functions over the parsed document; no LSP connection here.
import type { ConfigDocument, OptionNode, SectionNode } from '../parser/model';
import type { CheckOptions, FileKind, Position, Range } from '../types';

/** What every feature gets besides the document: the same options the engine takes. */
export type FeatureOptions = CheckOptions;

/** Where rule documentation lives (README section per rule code). */
export const RULE_DOCS_BASE = 'https://github.com/dms-fail2ban/dms-fail2ban/blob/main/README.md';

export function ruleDocsUrl(code: string): string {
  return `${RULE_DOCS_BASE}#${code}`;
}

export function isJailKind(kind: FileKind): boolean {
  return kind === 'jail' || kind === 'dms-jail';
}

export function isDmsKind(kind: FileKind): boolean {
  return kind === 'dms-jail' || kind === 'dms-server';
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function rangeContains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

export function rangesOverlap(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

/** The last section whose header is at or above `line` (the section a line belongs to). */
export function sectionAtLine(doc: ConfigDocument, line: number): SectionNode | undefined {
  let found: SectionNode | undefined;
  for (const section of doc.sections) {
    if (section.headerRange.start.line <= line) found = section;
    else break;
  }
  return found;
}

/** The option whose key line or continuation lines include `line`. */
export function optionAtLine(doc: ConfigDocument, line: number): { section: SectionNode; option: OptionNode } | undefined {
  const section = sectionAtLine(doc, line);
  if (!section) return undefined;
  for (const option of section.options) {
    if (option.range.start.line <= line && line <= option.range.end.line) return { section, option };
  }
  return undefined;
}

export type CursorContext =
  /** Inside `[name…` on a header line; `prefix` is the name typed before the cursor. */
  | { kind: 'header'; section?: SectionNode; prefix: string; replace: Range }
  /** Where a key is (being) written: start of a line, or inside an existing key. */
  | { kind: 'key'; section?: SectionNode; option?: OptionNode; prefix: string; replace: Range }
  /** Inside a value; `lineText` is the value line's text before the cursor (from the line start). */
  | { kind: 'value'; section: SectionNode; option: OptionNode; before: string; line: number }
  | { kind: 'comment'; before: string }
  | { kind: 'none' };

const KEY_CHARS = /[^\s=:[\]#;]*$/;

/** Classifies the cursor position: header, key, value, comment. */
export function cursorContext(doc: ConfigDocument, position: Position): CursorContext {
  const text = doc.lines[position.line];
  if (text === undefined) return { kind: 'none' };
  const character = Math.min(position.character, text.length);
  const before = text.slice(0, character);
  const owner = optionAtLine(doc, position.line);
  if (owner) {
    const { section, option } = owner;
    const onKeyLine = option.keyRange.start.line === position.line;
    if (onKeyLine && character <= option.delimiterRange.start.character) {
      // between the key and its delimiter: a completion edit must contain the cursor, and the key ends before it
      if (character > option.keyRange.end.character) return { kind: 'none' };
      const start = option.keyRange.start;
      return {
        kind: 'key',
        section,
        option,
        prefix: text.slice(start.character, character),
        replace: { start, end: option.keyRange.end },
      };
    }
    if (!onKeyLine && /^\s*[#;]/.test(text)) return { kind: 'comment', before };
    return { kind: 'value', section, option, before, line: position.line };
  }
  if (/^\s*[#;]/.test(text)) return { kind: 'comment', before };
  const header = /^(\s*)\[/.exec(text);
  if (header && character > header[0].length - 1) {
    const nameStart = header[0].length;
    const close = text.indexOf(']', nameStart);
    if (close < 0 || character <= close) {
      const end = close < 0 ? text.length : close;
      return {
        kind: 'header',
        section: doc.sections.find((s) => s.headerRange.start.line === position.line),
        prefix: text.slice(nameStart, character),
        replace: { start: { line: position.line, character: nameStart }, end: { line: position.line, character: end } },
      };
    }
    return { kind: 'none' };
  }
  // a line being typed (no delimiter yet, so the parser saw an invalid line or nothing)
  const prefix = KEY_CHARS.exec(before)?.[0] ?? '';
  if (before.trim() !== prefix) return { kind: 'none' };
  return {
    kind: 'key',
    section: sectionAtLine(doc, position.line),
    prefix,
    replace: {
      start: { line: position.line, character: character - prefix.length },
      end: { line: position.line, character: character + (/^[^\s=:[\]#;]*/.exec(text.slice(character))?.[0].length ?? 0) },
    },
  };
}

export { lineBreakOf } from '../parser/text';

export function leadingWhitespace(line: string): string {
  return /^\s*/.exec(line)?.[0] ?? '';
}
