// The rule contract (ESLint's meta.messages model): one rule per topic, with a table of every code it may
// report (severity, outcome, docs). The engine skips a rule whose codes are all off, drops a report whose
// code the rule did not declare, and isolates a rule that throws.
import type { ConfigContext } from '../context/types';
import type { ConfigDocument } from '../parser/model';
import type { CheckOptions, Fix, Range, Severity } from '../types';

/** What one code means: the row of a rule's code table. */
export interface CodeMeta {
  defaultSeverity: Severity;
  /** One line: what the code finds. */
  description: string;
  /** Markdown: what fail2ban does with this mistake, an example, and the fix. */
  docs: string;
  /** What fail2ban does with the mistake this code guards against (stops, drops the jail, ignores it silently, or nothing: style). */
  outcome: 'fatal' | 'jail-dropped' | 'silently-ignored' | 'style';
}

/** A code and its metadata (the registry's and the docs' view). */
export interface RuleMeta extends CodeMeta {
  /** Stable code, kebab-case; never renamed once shipped. */
  code: string;
}

/** code → metadata. Codes reported by several rules come from sharedCodes.ts (the same object in each table). */
export type CodeTable = Readonly<Record<string, CodeMeta>>;

export interface RuleReport {
  /** One of the rule's declared codes (ESLint's messageId). */
  code: string;
  range: Range;
  message: string;
  /** Overrides the code's defaultSeverity for this report (e.g. a warning-level variant of an error). */
  severity?: Severity;
  fixes?: Fix[];
  /** Technical detail (Python's own error text, fail2ban internals): LSP relatedInformation, CLI "details". */
  details?: string;
}

export interface RuleContext {
  doc: ConfigDocument;
  options: Required<Pick<CheckOptions, 'kind' | 'fail2banVersion' | 'dmsVersion'>> & Pick<CheckOptions, 'provided' | 'container'>;
  context: ConfigContext;
  report(report: RuleReport): void;
}

export interface Rule {
  /** Topic name, kebab-case (e.g. 'durations'); used in logs. */
  name: string;
  /** Every code this rule may report. */
  codes: CodeTable;
  check(ctx: RuleContext): void;
}
