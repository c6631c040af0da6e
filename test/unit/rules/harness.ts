// Runs rule modules over a fixture and compares with line markers.
// Marker scheme: a full-line comment `#^ code[:severity] [code2[:severity]]…` (configparser drops full-line
// comments, even inside multi-line values) names the diagnostics expected on the nearest line above it
// that is not a marker. `#^ -` marks a line that must have no diagnostic of the codes under test.
import assert from 'node:assert/strict';
import { buildContext } from '../../../server/src/context/build';
import { userFilePath } from '../../../server/src/context/sources';
import { parseDocument } from '../../../server/src/parser/parse';
import type { Rule, RuleReport } from '../../../server/src/rules/rule';
import type { CheckOptions, DmsVersion, Fail2banVersion, FileKind, Fix, ProvidedFiles, Range, Severity } from '../../../server/src/types';

const FIXTURE_FAIL2BAN_VERSION: Fail2banVersion = '1.1.0';
const FIXTURE_DMS_VERSION: DmsVersion = 'v15.1.0';

export interface Found {
  line: number;
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes?: Fix[];
  details?: string;
}

export function runRules(rules: readonly Rule[], text: string, options: CheckOptions): Found[] {
  const doc = parseDocument(text, { fail2banPath: userFilePath(options.kind) });
  const context = buildContext(doc, options);
  const found: Found[] = [];
  for (const rule of rules) {
    const report = (r: RuleReport) => {
      const code = r.code;
      // the engine drops a report whose code the rule does not declare: fail the fixture instead
      assert.ok(Object.hasOwn(rule.codes, code), `rule '${rule.name}' reported undeclared code '${code}'`);
      found.push({
        line: r.range.start.line,
        code,
        severity: r.severity ?? rule.codes[code].defaultSeverity,
        message: r.message,
        range: r.range,
        fixes: r.fixes,
        details: r.details,
      });
    };
    rule.check({
      doc,
      context,
      options: { kind: options.kind, fail2banVersion: context.fail2banVersion, dmsVersion: context.dmsVersion, provided: options.provided },
      report,
    });
  }
  return found.sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
}

interface Expected {
  line: number;
  code: string;
  severity?: Severity;
}

const MARKER = /^\s*#\^\s*(.*)$/;

export function expectedMarkers(text: string): { expected: Expected[]; clean: Set<number> } {
  const lines = text.split(/\r\n|\r|\n/);
  const expected: Expected[] = [];
  const clean = new Set<number>();
  let target = -1;
  lines.forEach((line, index) => {
    const match = MARKER.exec(line);
    if (!match) {
      target = index;
      return;
    }
    for (const token of match[1].trim().split(/\s+/).filter(Boolean)) {
      if (token === '-') {
        clean.add(target);
        continue;
      }
      const [code, severity] = token.split(':');
      expected.push({ line: target, code, severity: severity as Severity | undefined });
    }
  });
  return { expected, clean };
}

export interface FixtureOptions {
  kind: FileKind;
  /** Default 1.1.0: the rule fixtures were written for it; a fixture about another version names it. */
  fail2banVersion?: Fail2banVersion;
  /** Default v15.1.0 (ships 1.1.0). */
  dmsVersion?: DmsVersion;
  provided?: ProvidedFiles;
  /** Only these codes are compared (default: every code the rules report or the markers name). */
  codes?: readonly string[];
}

/** Asserts that exactly the marked diagnostics (of the compared codes) are reported. Returns all found. */
export function expectFixture(rules: readonly Rule[], text: string, options: FixtureOptions): Found[] {
  const found = runRules(rules, text, {
    kind: options.kind,
    fail2banVersion: options.fail2banVersion ?? FIXTURE_FAIL2BAN_VERSION,
    dmsVersion: options.dmsVersion ?? FIXTURE_DMS_VERSION,
    provided: options.provided,
  });
  const { expected } = expectedMarkers(text);
  const codes = new Set(options.codes ?? [...rules.flatMap((r) => Object.keys(r.codes)), ...expected.map((e) => e.code)]);
  const actual = found
    .filter((f) => codes.has(f.code))
    .map((f) => `${f.line + 1}:${f.code}:${f.severity}`)
    .sort();
  const wanted = expected
    .map((e) => {
      const match = found.find((f) => f.line === e.line && f.code === e.code);
      return `${e.line + 1}:${e.code}:${e.severity ?? match?.severity ?? '?'}`;
    })
    .sort();
  const detail = found.map((f) => `  ${f.line + 1}:${f.code}:${f.severity} ${f.message}`).join('\n');
  assert.deepEqual(actual, wanted, `diagnostics differ; found:\n${detail}`);
  return found;
}
