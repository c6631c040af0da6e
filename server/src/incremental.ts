// Incremental re-checking: after an edit only the sections whose text changed are given to the section-local
// rules again; the findings of the other sections are reused (moved to their new lines). Everything a section's
// findings may depend on beyond its own text goes into one document key, and any change of that key re-checks
// every section: the options (kind, versions, severities, provided and container files), the [DEFAULT] and
// [INCLUDES] sections, every section whose name is repeated, the text before the first section, the section names in order (duplicates, unknown
// jails), every `%(…)s` reference and `<…>` tag anywhere (unknown-option looks at names used anywhere), and
// the text of every section another one refers to as `%(section/option)s`. The whole-document rules
// (WHOLE_DOCUMENT_RULES, by rule name) always run on the whole document, [DEFAULT] and [INCLUDES] are always re-checked
// (their findings name the jails they affect), and the context is always built from the whole document.
// test/unit/engine/incremental.test.ts checks, over random edits, that the result equals a full check.
import { createHash } from 'node:crypto';
import { checkWithRules, comparePosition } from './engine';
import type { ConfigDocument, SectionNode } from './parser/model';
import { allRules } from './rules';
import type { Rule } from './rules/rule';
import type { CheckOptions, EngineDiagnostic } from './types';
import { containerKey } from './context/container';
import { documentSerial, editOf, type LineEdit } from './incrementalParse';

/**
 * Rules that read the document as a whole (a finding in one section depending on another's text beyond the
 * document key), found by the differential test: they always run on the whole document.
 */
const WHOLE_DOCUMENT_RULES: ReadonlySet<string> = new Set<string>(['structure']);

function isWholeDocument(rule: Rule): boolean {
  return WHOLE_DOCUMENT_RULES.has(rule.name);
}

const SPECIAL_SECTIONS: ReadonlySet<string> = new Set(['DEFAULT', 'INCLUDES']);
const REFERENCE_OR_TAG = /%\(([^)]*)\)s|<[^<>\s]+>/g;

function linesOf(doc: ConfigDocument, start: number, end: number): string {
  return doc.lines.slice(Math.max(0, start), end + 1).join('\n');
}

/**
 * The lines each section answers for: from the line after the previous section (comments and blank lines
 * between sections belong to the next one) through its own last line (the last section: through the end).
 */
interface Span {
  section: SectionNode;
  start: number;
  end: number;
}

function spansOf(doc: ConfigDocument): Span[] {
  const sections = doc.sections;
  return sections.map((section, index) => ({
    section,
    start: index === 0 ? section.range.start.line : sections[index - 1].range.end.line + 1,
    end: index === sections.length - 1 ? Math.max(section.range.end.line, doc.lines.length - 1) : section.range.end.line,
  }));
}

/** A span's text with the line before it: a suppression comment there silences the span's first line. */
function spanText(doc: ConfigDocument, span: Span): string {
  return linesOf(doc, span.start - 1, span.end);
}

/** Everything beyond a section's own text that its findings may depend on (see the file comment). */
function documentKey(doc: ConfigDocument, options: CheckOptions, spans: readonly Span[]): string {
  const { kind, fail2banVersion, dmsVersion, rules, provided, container } = options;
  // a live container context counts by identity (a new read is a new object): its files are too big to serialise per edit
  const parts: string[] = [JSON.stringify({ kind, fail2banVersion, dmsVersion, rules, provided, container: containerKey(container) })];
  parts.push(linesOf(doc, 0, (spans[0]?.start ?? doc.lines.length) - 1));
  parts.push(doc.sections.map((section) => section.name).join('\n'));
  const used = new Set<string>();
  for (const match of doc.text.matchAll(REFERENCE_OR_TAG)) used.add(match[0]);
  parts.push([...used].sort().join('\n'));
  const referencedSections = new Set<string>();
  for (const token of used) {
    const slash = token.startsWith('%(') ? token.indexOf('/') : -1;
    if (slash > 0) referencedSections.add(token.slice(2, slash));
  }
  // a repeated section name: rules read all its sections together (e.g. a `filter` in either one)
  const counts = new Map<string, number>();
  for (const section of doc.sections) counts.set(section.name, (counts.get(section.name) ?? 0) + 1);
  for (const span of spans) {
    const name = span.section.name;
    if (SPECIAL_SECTIONS.has(name) || referencedSections.has(name) || counts.get(name)! > 1) parts.push(spanText(doc, span));
  }
  return parts.join('\u0000');
}

/** Index of the span holding `line` in `spans` (sorted), moving `cursor` forward; -1 when none does. */
function spanAt(spans: readonly Span[], line: number, cursor: { at: number }): number {
  while (cursor.at < spans.length && spans[cursor.at].end < line) cursor.at++;
  return cursor.at < spans.length && spans[cursor.at].start <= line ? cursor.at : -1;
}

/** The document as the section-local rules see it: only the dirty sections, and the comments and problems of their spans or before the first section. */
function viewOf(doc: ConfigDocument, dirty: readonly Span[]): ConfigDocument {
  const firstLine = doc.sections[0]?.range.start.line ?? Number.POSITIVE_INFINITY;
  const keptLines = <T extends { range: { start: { line: number } } }>(items: readonly T[]): T[] => {
    const cursor = { at: 0 };
    return items.filter((item) => item.range.start.line < firstLine || spanAt(dirty, item.range.start.line, cursor) >= 0);
  };
  return { ...doc, sections: dirty.map((span) => span.section), comments: keptLines(doc.comments), problems: keptLines(doc.problems) };
}

function shiftLines<T>(value: T, delta: number): T {
  if (delta === 0) return value;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    if (typeof record.line === 'number' && typeof record.character === 'number' && Object.keys(record).length === 2) {
      return { line: record.line + delta, character: record.character };
    }
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(record)) copy[key] = visit(child);
    return copy;
  };
  return visit(value) as T;
}

/** A span's findings from the last check, and what they were computed for. */
interface CachedSpan {
  start: number;
  end: number;
  /** digest of its text (with the line before) and which occurrence of its name it is: duplicates differ in findings */
  identity: string;
  findings: EngineDiagnostic[];
}

/**
 * For each span: the last check's entry for the same text, or undefined. With the edit that made `doc` from the
 * document last checked (server/src/incrementalParse.ts), a span wholly before or after the changed lines has the
 * same text as the span at the same index there, moved by the edit: no text is compared. Else by identity.
 */
function reusable(
  spans: readonly Span[],
  previous: readonly CachedSpan[],
  edit: LineEdit | undefined,
  identityOf: (index: number) => string,
): (CachedSpan | undefined)[] {
  if (edit) {
    const delta = edit.newEnd - edit.oldEnd;
    return spans.map((span, index) => {
      const old = previous[index];
      if (!old) return undefined;
      // the span's lines, from the one before it, all before the changed lines or all after them
      const shift = span.end < edit.start ? 0 : span.start - 1 >= edit.newEnd ? delta : undefined;
      return shift !== undefined && old.start === span.start - shift && old.end === span.end - shift ? old : undefined;
    });
  }
  const byIdentity = new Map(previous.map((cached) => [cached.identity, cached]));
  return spans.map((_, index) => byIdentity.get(identityOf(index)));
}

/** One per open document: remembers the last check's findings per section. */
export class IncrementalChecker {
  private key: string | undefined;
  private spans: CachedSpan[] = [];
  /** documentSerial of the document last checked */
  private lastDocument: number | undefined;
  /** Sections given to the section-local rules by the last check (what the tests count). */
  lastRechecked = 0;
  /** The last check's answer, for the same document asked again with the same document key. */
  private lastFindings: EngineDiagnostic[] | undefined;
  /** Whether the last check found the reusable sections from the edit's lines (else by comparing texts). */
  lastUsedEdit = false;

  constructor(private readonly rules: readonly Rule[] = allRules) {}

  check(doc: ConfigDocument, options: CheckOptions): EngineDiagnostic[] {
    const spans = spansOf(doc);
    const key = documentKey(doc, options, spans);
    if (key !== this.key) {
      this.spans = [];
      this.key = key;
      this.lastFindings = undefined;
    }
    const serial = documentSerial(doc);
    // asked again for the document and options it just checked (code lens after the diagnostics): the same answer
    if (serial === this.lastDocument && this.lastFindings) {
      this.lastRechecked = 0;
      return this.lastFindings.slice();
    }
    const edit = editOf(doc);
    const usableEdit = edit !== undefined && edit.from === this.lastDocument ? edit : undefined;
    this.lastDocument = serial;
    this.lastUsedEdit = usableEdit !== undefined;
    // a section's identity: its span's text, and which occurrence of its name it is (duplicates differ in findings)
    const occurrences = new Map<string, number>();
    const occurrence = spans.map((span) => {
      const seen = occurrences.get(span.section.name) ?? 0;
      occurrences.set(span.section.name, seen + 1);
      return seen;
    });
    // kept as a digest: the span texts themselves would keep a copy of the whole document per open document
    const identityOf = (index: number) => createHash('sha256').update(`${occurrence[index]}\u0000${spanText(doc, spans[index])}`).digest('base64');
    const reused = reusable(spans, this.spans, usableEdit, identityOf);
    // [DEFAULT] and [INCLUDES] findings speak of every jail (e.g. "fail2ban skips jails 'sshd' and 87 more"): always re-checked
    let dirty = spans.filter((span, index) => SPECIAL_SECTIONS.has(span.section.name) || !reused[index]);
    const local = this.rules.filter((rule) => !isWholeDocument(rule));
    const whole = this.rules.filter(isWholeDocument);
    // the context and the analyses the rules memoize on it are built for this copy, so they are garbage after the
    // check instead of living as long as the document (~9 MB for a 12k-line file; features build their own context)
    const checked: ConfigDocument = { ...doc };
    let fresh = checkWithRules(checked, options, local, viewOf(doc, dirty));
    const firstLine = spans[0]?.start ?? Number.POSITIVE_INFINITY;
    const outsideDirty = (finding: EngineDiagnostic, cursor: { at: number }) =>
      finding.range.start.line >= firstLine && spanAt(dirty, finding.range.start.line, cursor) < 0;
    const cursor = { at: 0 };
    if (dirty.length < spans.length && fresh.some((finding) => outsideDirty(finding, cursor))) {
      // a rule reported in a section it was not given (e.g. at a jail's first header): no telling which section
      // the finding belongs to, so this time every section is checked
      dirty = spans;
      fresh = checkWithRules(checked, options, local);
    }
    this.lastRechecked = dirty.length;
    const findings: EngineDiagnostic[] = whole.length > 0 ? checkWithRules(checked, options, whole) : [];

    // fresh findings go to the dirty span holding them (or stay document-level: before the first section)
    const bySpan = new Map<Span, EngineDiagnostic[]>(dirty.map((span) => [span, []]));
    cursor.at = 0;
    for (const finding of fresh) {
      const index = spanAt(dirty, finding.range.start.line, cursor);
      if (index >= 0) bySpan.get(dirty[index])!.push(finding);
      else findings.push(finding);
    }
    this.spans = spans.map((span, index) => {
      const own = bySpan.get(span);
      if (own) {
        findings.push(...own);
        return { start: span.start, end: span.end, identity: identityOf(index), findings: own };
      }
      const cached = reused[index]!;
      const moved = shiftLines(cached.findings, span.start - cached.start);
      findings.push(...moved);
      return { start: span.start, end: span.end, identity: cached.identity, findings: moved };
    });
    findings.sort(comparePosition);
    this.lastFindings = findings.slice();
    return findings;
  }
}
