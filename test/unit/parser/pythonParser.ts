// Runs the REAL fail2ban 1.1.0 parser (Python configparser via SafeConfigParserWithIncludes) over many
// documents in ONE python3 process, and turns our ConfigDocument into the same comparable shape.
import { join } from 'node:path';
import type { ConfigDocument, ParseProblem } from '../../../server/src/parser/model';
import { runPython } from '../../support/python';

const DUMP_SCRIPT = join(__dirname, 'configparser_dump.py');

export type ErrorKind = 'missing-section-header' | 'duplicate-section' | 'duplicate-option' | 'parsing' | 'decode';

export interface ComparableError {
  kind: ErrorKind | string;
  /** 1-based line numbers: the stopping line, or every bad line of a ParsingError. */
  lines: number[];
  message?: string;
}

export interface ComparableResult {
  defaults: [string, string][];
  sections: [string, [string, string][]][];
  error: ComparableError | null;
}

/** What fail2ban 1.1.0 reads from each document (file bytes). */
export function readWithFail2ban(documents: (string | Uint8Array)[]): ComparableResult[] {
  const input = JSON.stringify(
    documents.map((doc) => ({ base64: Buffer.from(typeof doc === 'string' ? Buffer.from(doc, 'utf8') : doc).toString('base64') })),
  );
  // runPython's default package is fail2ban 1.1.0
  const { stdout } = runPython({ args: [DUMP_SCRIPT], input, what: 'python3 configparser dump', maxBuffer: 512 * 1024 * 1024 });
  return JSON.parse(stdout) as ComparableResult[];
}

const STOPPING: Readonly<Record<string, ErrorKind>> = {
  'missing-section-header': 'missing-section-header',
  'utf8-bom': 'missing-section-header',
  'duplicate-section': 'duplicate-section',
  'duplicate-option': 'duplicate-option',
};

/**
 * The error configparser raises, predicted from our problems: the first problem at which it stops
 * (missing header, BOM, duplicate), else one ParsingError listing every invalid line.
 */
export function expectedError(problems: ParseProblem[]): ComparableError | null {
  let stop: ComparableError | null = null;
  for (const problem of problems) {
    const kind = STOPPING[problem.code];
    if (!kind) continue;
    const line = problem.range.start.line + 1;
    if (!stop || line < stop.lines[0]) stop = { kind, lines: [line] };
  }
  if (stop) return stop;
  const invalid = problems.filter((p) => p.code === 'invalid-line').map((p) => p.range.start.line + 1);
  return invalid.length > 0 ? { kind: 'parsing', lines: invalid.sort((a, b) => a - b) } : null;
}

/** Our document in the shape of configparser's storage (DEFAULT merged, option '' left out by both). */
export function comparable(doc: ConfigDocument): ComparableResult {
  const defaults: [string, string][] = [];
  const sections = new Map<string, [string, string][]>();
  for (const section of doc.sections) {
    let target = defaults;
    if (section.name !== 'DEFAULT') {
      target = sections.get(section.name) ?? [];
      sections.set(section.name, target);
    }
    for (const option of section.options) target.push([option.name, option.value]);
  }
  return { defaults, sections: [...sections.entries()], error: expectedError(doc.problems) };
}

/** Python's storage without option '' (stored after an empty-key parsing error; we report, not store, it). */
export function withoutEmptyNames(result: ComparableResult): ComparableResult {
  const keep = (pairs: [string, string][]) => pairs.filter(([name]) => name !== '');
  return {
    defaults: keep(result.defaults),
    sections: result.sections.map(([name, pairs]) => [name, keep(pairs)] as [string, [string, string][]]),
    error: result.error ? { kind: result.error.kind, lines: result.error.lines } : null,
  };
}
