// Rule metadata and the rule signature (ESLint-style): each rule is a small pure function.
import type { ConfigContext } from '../context/types';
import type { ConfigDocument } from '../parser/model';
import type { CheckOptions, Fix, Range, Severity } from '../types';

export interface RuleMeta {
  /** Stable code, kebab-case; never renamed once shipped. */
  code: string;
  defaultSeverity: Severity;
  /** One line: what the rule finds. */
  description: string;
  /** Markdown: what fail2ban does with this mistake, an example, and the fix. */
  docs: string;
  /** fail2ban-config.md §2 outcome class this rule guards against. */
  outcome: 'fatal' | 'jail-dropped' | 'silently-ignored' | 'style';
}

export interface RuleReport {
  /** Defaults to the rule's meta.code; a rule may report a sibling code that has its own registered meta. */
  code?: string;
  range: Range;
  message: string;
  /** Overrides meta.defaultSeverity for this report (e.g. a warning-level variant of an error rule). */
  severity?: Severity;
  fixes?: Fix[];
}

export interface RuleContext {
  doc: ConfigDocument;
  options: Required<Pick<CheckOptions, 'kind' | 'fail2banVersion' | 'dmsVersion'>> & Pick<CheckOptions, 'provided' | 'container'>;
  context: ConfigContext;
  report(report: RuleReport): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}
