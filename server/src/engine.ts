// check(text, options) → diagnostics: parse, build the context, run every rule whose codes are not all off (a
// crashing rule is logged, reports nothing and never stops the others), apply suppression comments and severity overrides, sort, de-duplicate.
import { buildContext, resolveVersions, userFilePath } from './context';
import { stockCopyLines } from './context/stockCopies';
import type { ConfigContext } from './context/types';
import type { ConfigDocument } from './parser/model';
import { decodeConfigBytes } from './parser/encoding';
import { parseDocument } from './parser/parse';
import { allRules } from './rules';
import { rules as structureRules } from './rules/structure';
import type { Rule, RuleContext, RuleReport } from './rules/rule';
import type { CheckOptions, EngineDiagnostic, Severity, SeveritySetting } from './types';

/** `# dms-fail2ban-disable-next-line [code[, code]…] [-- reason]` (also with ';'). */
const SUPPRESSION = /^[#;]\s*dms-fail2ban-disable-next-line\b(.*)$/;

/** line (0-based) → codes suppressed there; an empty set means every code. */
export function suppressions(doc: ConfigDocument): Map<number, Set<string>> {
  const byLine = new Map<number, Set<string>>();
  if (!doc.text.includes('dms-fail2ban-disable-next-line')) return byLine; // one scan of the text, not one per comment
  const comments = doc.comments;
  for (let i = 0; i < comments.length; i++) {
    const comment = comments[i];
    if (!comment.text.includes('dms-fail2ban-disable-next-line')) continue; // cheap test first: big files have many comments
    const match = SUPPRESSION.exec(comment.text);
    if (!match) continue;
    const codes = match[1].split(/\s--\s|^--\s|^--$/)[0].split(/[\s,]+/).filter((code) => code.length > 0);
    const line = comment.range.start.line + 1;
    const existing = byLine.get(line);
    if (existing && existing.size === 0) continue;
    byLine.set(line, codes.length === 0 ? new Set() : new Set([...(existing ?? []), ...codes]));
  }
  return byLine;
}

function isSuppressed(diagnostic: EngineDiagnostic, byLine: Map<number, Set<string>>): boolean {
  const codes = byLine.get(diagnostic.range.start.line);
  return codes !== undefined && (codes.size === 0 || codes.has(diagnostic.code));
}

/** Document order of findings (then code and message), the order every check reports in. */
export function comparePosition(a: EngineDiagnostic, b: EngineDiagnostic): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.range.end.line - b.range.end.line ||
    a.range.end.character - b.range.end.character ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

function severityOf(code: string, report: RuleReport, rule: Rule, overrides: Record<string, SeveritySetting>): SeveritySetting {
  return overrides[code] ?? report.severity ?? rule.codes[code].defaultSeverity;
}

/** Where the engine tells about rules that misbehave (a thrown error, an undeclared code). */
export type EngineLog = (message: string) => void;

const defaultLog: EngineLog = (message) => console.error(`dms-fail2ban: ${message}`);

function describeRule(rule: Rule, documentUri: string | undefined): string {
  return `rule '${rule.name}' (codes ${Object.keys(rule.codes).join(', ')}) on ${documentUri ?? 'an unnamed document'}`;
}

/** Runs one rule; its reports only count if it finishes without throwing (then it is logged, the others go on). */
function runRule(rule: Rule, base: Omit<RuleContext, 'report'>, documentUri: string | undefined, log: EngineLog): RuleReport[] {
  const reports: RuleReport[] = [];
  try {
    rule.check({ ...base, report: (report) => void reports.push(report) });
  } catch (error) {
    log(`${describeRule(rule, documentUri)} failed and reports nothing: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return [];
  }
  return reports;
}

/** The rule's reports as diagnostics, appended to `diagnostics` (no list per rule: a rule may report 100k findings). */
function addDiagnostics(
  diagnostics: EngineDiagnostic[],
  rule: Rule,
  reports: RuleReport[],
  overrides: Record<string, SeveritySetting>,
  documentUri: string | undefined,
  log: EngineLog,
): void {
  for (let i = 0; i < reports.length; i++) {
    const report = reports[i];
    const code = report.code;
    if (!Object.hasOwn(rule.codes, code)) {
      log(`${describeRule(rule, documentUri)} reported the undeclared code '${code}'; dropped`);
      continue;
    }
    const severity = severityOf(code, report, rule, overrides);
    if (severity === 'off') continue;
    // the optional fields set only when present (no spread objects for each of 100k findings), in the same key order
    const diagnostic: EngineDiagnostic = { range: report.range, severity: severity as Severity, code, message: report.message };
    if (report.details) diagnostic.details = report.details;
    if (report.fixes && report.fixes.length > 0) diagnostic.fixes = report.fixes;
    diagnostics.push(diagnostic);
  }
}

/** Parser findings are reported by the structure rule, which needs no context. */
const [structureRule] = structureRules;

/** Context of the user's file alone, for when the full context cannot be built (should never happen). */
function safeContext(doc: ConfigDocument, options: CheckOptions): ConfigContext | undefined {
  try {
    return buildContext(doc, options);
  } catch {
    return undefined;
  }
}

/** Is every code of the rule switched off? Then it does not run at all. */
function allCodesOff(rule: Rule, overrides: Record<string, SeveritySetting>): boolean {
  return Object.keys(rule.codes).every((code) => overrides[code] === 'off');
}

export function checkParsed(doc: ConfigDocument, options: CheckOptions): EngineDiagnostic[] {
  return checkWithRules(doc, options, allRules);
}

/**
 * checkParsed with an explicit rule list (tests, tools). `view`: what the rules read as the document (a part of
 * `doc`, server/src/incremental.ts), while the context, suppressions and stock copies come from the whole `doc`.
 */
export function checkWithRules(doc: ConfigDocument, options: CheckOptions, rules: readonly Rule[], view: ConfigDocument = doc): EngineDiagnostic[] {
  const { fail2banVersion, dmsVersion } = resolveVersions(options);
  const overrides = options.rules ?? {};
  const log = options.log ?? defaultLog;
  const context = safeContext(doc, options);
  const diagnostics: EngineDiagnostic[] = [];
  for (const rule of rules) {
    if (allCodesOff(rule, overrides)) continue;
    // parser findings need no context: without one only the structure rule runs
    if (!context && rule !== structureRule) continue;
    const base = {
      doc: view,
      options: { kind: options.kind, fail2banVersion, dmsVersion, provided: options.provided, container: options.container },
      context: context as ConfigContext,
    };
    addDiagnostics(diagnostics, rule, runRule(rule, base, options.documentUri, log), overrides, options.documentUri, log);
  }
  const suppressed = suppressions(doc);
  // advice on lines pasted unchanged from the stock jail.conf/fail2ban.conf is noise; errors stay (fail2ban decides)
  const stockCopies = context ? stockCopyLines(doc, context) : new Set<number>();
  // one pass, and none when nothing is suppressed or copied (a big file has 100k findings: no copies of the list)
  const kept =
    suppressed.size === 0 && stockCopies.size === 0
      ? diagnostics
      : diagnostics.filter((d) => !isSuppressed(d, suppressed) && (d.severity === 'error' || !stockCopies.has(d.range.start.line)));
  const sorted = kept.sort(comparePosition);
  // comparePosition orders by exactly the fields of a duplicate (range, code, message): duplicates are neighbours
  // (an indexed loop into a list sized once: run once per check, for…of makes an object per finding)
  const unique = new Array<EngineDiagnostic>(sorted.length);
  let count = 0;
  for (let i = 0; i < sorted.length; i++) if (count === 0 || comparePosition(unique[count - 1], sorted[i]) !== 0) unique[count++] = sorted[i];
  unique.length = count;
  return unique;
}

export function checkDocument(text: string, options: CheckOptions): EngineDiagnostic[] {
  return checkParsed(parseDocument(text, { fail2banPath: userFilePath(options.kind) }), options);
}

/** Checks raw file bytes: strict UTF-8 decoding first (invalid-encoding), then as checkDocument. */
export function checkBytes(bytes: Uint8Array, options: CheckOptions): EngineDiagnostic[] {
  const path = userFilePath(options.kind);
  const decoded = decodeConfigBytes(bytes, path);
  const doc = parseDocument(decoded.text, { fail2banPath: path });
  return checkParsed({ ...doc, problems: [...decoded.problems, ...doc.problems] }, options);
}
