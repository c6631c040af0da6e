// Code actions: every fix the engine carries in a diagnostic, plus generic ones — escape '%' as '%%',
// move a '#' pseudo-comment to its own line, dedent a line folded into the value above, remove a duplicate
// option/section, and insert
// `# dms-fail2ban-disable-next-line <code>` above the line. An edit after which fail2ban would refuse the
// file (a rename onto an option or section that already exists) is never offered; a renamed option key
// becomes "Remove this line" then.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../parser/model';
import type { Fix, Range } from '../types';
import { DIAGNOSTIC_SOURCE, fixesOf } from './diagnostics';
import { keepsFileReadable } from './fixSafety';
import { leadingWhitespace, lineBreakOf, optionAtLine, rangesOverlap } from './shared';
import { t } from '../l10n';

function copyRange(range: Range): Range {
  return { start: { ...range.start }, end: { ...range.end } };
}

function action(title: string, uri: string, edits: TextEdit[], diagnostic: Diagnostic, preferred = false, kind: string = CodeActionKind.QuickFix): CodeAction {
  return { title, kind, diagnostics: [diagnostic], isPreferred: preferred || undefined, edit: { changes: { [uri]: edits } } };
}

function fixAction(fix: Fix, uri: string, diagnostic: Diagnostic): CodeAction {
  return action(fix.title, uri, fix.edits.map((e) => ({ range: copyRange(e.range), newText: e.newText })), diagnostic, fix.preferred === true);
}

/** Whole lines [first, last] including the line break after `last` (or before `first` at the end of file). */
function wholeLinesRange(doc: ConfigDocument, first: number, last: number): Range {
  if (last + 1 < doc.lines.length) return { start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } };
  if (first > 0) return { start: { line: first - 1, character: doc.lines[first - 1].length }, end: { line: last, character: doc.lines[last].length } };
  return { start: { line: first, character: 0 }, end: { line: last, character: doc.lines[last].length } };
}

function removeDuplicate(doc: ConfigDocument, diagnostic: Diagnostic, uri: string): CodeAction | undefined {
  const line = diagnostic.range.start.line;
  if (diagnostic.code === 'duplicate-option') {
    const owner = optionAtLine(doc, line);
    if (!owner || owner.option.range.start.line !== line) return undefined;
    const range = wholeLinesRange(doc, owner.option.range.start.line, owner.option.range.end.line);
    return action(t("Remove the duplicate '{0}'", owner.option.key), uri, [{ range, newText: '' }], diagnostic);
  }
  if (diagnostic.code === 'duplicate-section') {
    const section = doc.sections.find((s) => s.headerRange.start.line === line);
    if (!section) return undefined;
    const range = wholeLinesRange(doc, section.range.start.line, section.range.end.line);
    return action(t('Remove the duplicate section [{0}]', section.name), uri, [{ range, newText: '' }], diagnostic);
  }
  return undefined;
}

/** A fix whose only edit replaces the key of an option (a did-you-mean rename). */
function renamesOptionKey(doc: ConfigDocument, fix: Fix): boolean {
  if (fix.edits.length !== 1) return false;
  const { range } = fix.edits[0];
  const owner = optionAtLine(doc, range.start.line);
  return owner !== undefined && rangesEqual(owner.option.keyRange, range);
}

function rangesEqual(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** "Remove this line": the option at the diagnostic with its continuation lines. */
function removeOptionLines(doc: ConfigDocument, diagnostic: Diagnostic, uri: string): CodeAction | undefined {
  const owner = optionAtLine(doc, diagnostic.range.start.line);
  if (!owner) return undefined;
  const { start, end } = owner.option.range;
  const continuation = end.line - start.line;
  const title =
    continuation > 1
      ? t('Remove this line (and its {0} continuation lines)', continuation)
      : continuation === 1
        ? t('Remove this line (and its 1 continuation line)')
        : t('Remove this line');
  return action(title, uri, [{ range: wholeLinesRange(doc, start.line, end.line), newText: '' }], diagnostic);
}

/** Escapes every '%' in the diagnostic's range that does not start '%%' or '%(…)s'. */
function escapePercent(doc: ConfigDocument, diagnostic: Diagnostic, uri: string): CodeAction | undefined {
  const { start, end } = diagnostic.range;
  if (start.line !== end.line) return undefined;
  const line = doc.lines[start.line] ?? '';
  const edits: TextEdit[] = [];
  for (let i = start.character; i < Math.min(end.character, line.length); i++) {
    if (line[i] !== '%') continue;
    if (line[i + 1] === '%') {
      i++;
      continue;
    }
    if (line[i + 1] === '(' && /^%\([^)]*\)s/.test(line.slice(i))) continue;
    edits.push({ range: { start: { line: start.line, character: i }, end: { line: start.line, character: i + 1 } }, newText: '%%' });
  }
  return edits.length ? action("Escape '%' as '%%'", uri, edits, diagnostic) : undefined;
}

/** `key = value # note` → `# note` on its own line above, value kept. */
function moveHashComment(doc: ConfigDocument, diagnostic: Diagnostic, uri: string): CodeAction | undefined {
  const lineNumber = diagnostic.range.start.line;
  const line = doc.lines[lineNumber] ?? '';
  const hash = line.indexOf('#', diagnostic.range.start.character);
  if (hash < 0) return undefined;
  const comment = line.slice(hash).trimEnd();
  let cut = hash;
  while (cut > 0 && /\s/.test(line[cut - 1])) cut--;
  const breakText = lineBreakOf(doc.text);
  return action(t('Move the comment to its own line'), uri, [
    { range: { start: { line: lineNumber, character: 0 }, end: { line: lineNumber, character: 0 } }, newText: `${leadingWhitespace(line)}${comment}${breakText}` },
    { range: { start: { line: lineNumber, character: cut }, end: { line: lineNumber, character: line.length } }, newText: '' },
  ], diagnostic);
}

/** `    bantime = 1h` continuing the option above → the line on its own (fail2ban then reads it as an option). */
function dedentLine(doc: ConfigDocument, diagnostic: Diagnostic, uri: string): CodeAction | undefined {
  const lineNumber = diagnostic.range.start.line;
  const indentation = leadingWhitespace(doc.lines[lineNumber] ?? '').length;
  if (indentation === 0) return undefined;
  return action(t('Dedent this line'), uri, [{ range: { start: { line: lineNumber, character: 0 }, end: { line: lineNumber, character: indentation } }, newText: '' }], diagnostic);
}

function suppress(doc: ConfigDocument, diagnostic: Diagnostic, uri: string): CodeAction | undefined {
  if (typeof diagnostic.code !== 'string') return undefined;
  const lineNumber = diagnostic.range.start.line;
  const line = doc.lines[lineNumber] ?? '';
  const insert = `${leadingWhitespace(line)}# dms-fail2ban-disable-next-line ${diagnostic.code}${lineBreakOf(doc.text)}`;
  return action(t('Disable {0} for this line', String(diagnostic.code)), uri, [
    { range: { start: { line: lineNumber, character: 0 }, end: { line: lineNumber, character: 0 } }, newText: insert },
  ], diagnostic);
}

/** Code actions for the diagnostics in `range` (the client sends those it shows there). */
export function computeCodeActions(doc: ConfigDocument, range: Range, diagnostics: readonly Diagnostic[], uri: string): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    try {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE || !rangesOverlap(diagnostic.range, range)) continue;
      const fixes = fixesOf(diagnostic);
      const titles = new Set(fixes.map((f) => f.title));
      const offered: CodeAction[] = [];
      for (const fix of fixes) {
        if (keepsFileReadable(doc, fix.edits)) offered.push(fixAction(fix, uri, diagnostic));
        else if (renamesOptionKey(doc, fix)) offered.push(...[removeOptionLines(doc, diagnostic, uri)].filter((a) => a !== undefined));
      }
      const extra = [
        removeDuplicate(doc, diagnostic, uri),
        diagnostic.code === 'invalid-interpolation' && !fixes.some((f) => f.edits.some((e) => e.newText.includes('%%'))) ? escapePercent(doc, diagnostic, uri) : undefined,
        diagnostic.code === 'inline-hash-comment' ? moveHashComment(doc, diagnostic, uri) : undefined,
        diagnostic.code === 'indented-line' ? dedentLine(doc, diagnostic, uri) : undefined,
      ];
      for (const a of extra) if (a && !titles.has(a.title)) offered.push(a);
      for (const a of offered) {
        if (actions.some((b) => b.title === a.title && b.diagnostics?.[0] === diagnostic)) continue;
        if (keepsFileReadable(doc, a.edit?.changes?.[uri] ?? [])) actions.push(a);
      }
      const suppression = suppress(doc, diagnostic, uri);
      if (suppression) actions.push(suppression);
    } catch {
      // a broken diagnostic payload yields no action rather than a failed request
    }
  }
  return actions;
}
