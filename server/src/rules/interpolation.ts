// `%(...)s` interpolation rules (CPython 3.11 configparser BasicInterpolation, fail2ban 1.1.0
// client/configparserinc.py BasicInterpolationWithName). An interpolation error stops fail2ban
// (`Failed during configuration: …`) only when a reader actually `get`s the option — enabled/backend/
// filter of every jail, everything else of enabled jails, plus whatever those reference. Errors on that
// path are errors; the same mistake in a value nobody reads is a warning.
import type { DetailedInterpolation } from '../context/interpolate';
import { valueSpanRange, wholeValueRange } from '../context/locate';
import { DEFAULT_SECTION, INCLUDES_SECTION, optionsWithPercent } from '../context/merge';
import { readAnalysis } from '../context/reads';
import { SERVER_DEFINITION_SECTION, SERVER_THREAD_SECTION } from '../context/readerOptions';
import { readerBaseName } from '../context/sources';
import type { ConfigContext, InterpolationError, RawValue } from '../context/types';
import type { OptionNode } from '../parser/model';
import type { Fix, Range, Severity } from '../types';
import type { CodeMeta, Rule } from './rule';
import { didYouMean, suggest } from './suggest';
import { t } from '../l10n';

type InterpolationCode = InterpolationError['code'];

interface Finding {
  code: InterpolationCode;
  range: Range;
  severity: Severity;
  message: string;
  details: string;
  fixes?: Fix[];
}

/** source: CPython 3.11 configparser + fail2ban 1.1.0 configparserinc.py . */
const INTERPOLATION_META: Readonly<Record<InterpolationCode, CodeMeta>> = {
  'invalid-interpolation': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: "A '%' that is not '%%' or a complete '%(name)s' reference.",
    docs:
      "In fail2ban config values `%` starts an interpolation: `%(name)s` inserts another option and `%%` is a " +
      "literal percent sign. A lone `%` (`bantime = 50%`, `datepattern = %Y-%m-%d`) or an unclosed `%(name` makes " +
      "configparser raise `'%' must be followed by '%' or '('` / `bad interpolation variable reference` when " +
      'fail2ban reads the option, and fail2ban does not start.\n\n' +
      '```ini\ndatepattern = %%Y-%%m-%%d %%H:%%M:%%S   ; right\n```',
  },
  'undefined-variable': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: "'%(name)s' refers to an option defined nowhere.",
    docs:
      '`%(name)s` is looked up in the jail\'s own section, then `[DEFAULT]` (all layers merged: jail.conf, ' +
      'paths-*.conf, DMS jail.local, your file). If it is defined nowhere, fail2ban stops with ' +
      "`Bad value substitution: option '…' in section '…' contains an interpolation key '…' which is not a valid " +
      "option name`. Typical: `action = %(action_mwl)s` in a jail without `logpath`, or `%(action_cf_mwl)s` " +
      'without `cfemail`/`cfapikey`. Names are case-insensitive; `%(known/x)s` also falls back to `[DEFAULT]`.',
  },
  'unknown-section-reference': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: "'%(section/name)s' names a section that does not exist.",
    docs:
      '`%(section/option)s` reads `option` from `[section]` (falling back to `[DEFAULT]`). The section name is ' +
      'case-sensitive and, because fail2ban lower-cases the key before the lookup, must be written in lower case ' +
      '(`%(known/x)s` and `%(default/x)s` are special). A missing section makes fail2ban stop with ' +
      '`Bad value substitution: … interpolation key \'section/option\' which is not a valid option name`.',
  },
  'interpolation-recursion': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'References that loop or nest deeper than 10 levels.',
    docs:
      'Interpolation is recursive with a depth limit of 10. A value that refers to itself — e.g. ' +
      '`[DEFAULT] ignoreip = %(known/ignoreip)s 10.0.0.0/8` (inside `[DEFAULT]`, `known/` is the merged value ' +
      'itself) — makes fail2ban stop with `Recursion limit exceeded in value substitution`. Use `%(known/x)s` in ' +
      'a jail section instead (`[postfix] ignoreip = %(known/ignoreip)s 10.0.0.0/8`).',
  },
};

const REFERENCE = /%\(([^)]+)\)s/g;

/** Where in the user's file a failed interpolation should be shown, if anywhere. */
interface Location {
  range: Range;
  /** the failing text itself is in this user value (so span-based fixes apply) */
  atFailure: boolean;
}

function referenceTowards(option: OptionNode, target: RawValue): Range | undefined {
  for (const match of option.value.matchAll(REFERENCE)) {
    const key = match[1].toLowerCase();
    if (key === target.option.name || key.endsWith('/' + target.option.name)) {
      const start = match.index ?? 0;
      return valueSpanRange(option, start, start + match[0].length);
    }
  }
  return undefined;
}

function locate(result: DetailedInterpolation): Location | undefined {
  const stack = result.errorStack ?? [];
  for (let index = stack.length - 1; index >= 0; index--) {
    const raw = stack[index];
    if (raw.layer.origin !== 'user') continue;
    const option = raw.option;
    if (index === stack.length - 1 && result.errorSpan) {
      return { range: valueSpanRange(option, result.errorSpan.start, result.errorSpan.end), atFailure: true };
    }
    const next = stack[index + 1];
    return { range: (next && referenceTowards(option, next)) || wholeValueRange(option), atFailure: false };
  }
  return undefined;
}

function fixesFor(context: ConfigContext, section: string, error: InterpolationError, location: Location, failureText: string): { fixes?: Fix[]; hint: string } {
  if (!location.atFailure) return { hint: '' };
  const { range } = location;
  const percentRange: Range = { start: range.start, end: { line: range.start.line, character: range.start.character + 1 } };
  if (error.code === 'invalid-interpolation') {
    return {
      hint: t(" Write '%%' for a literal '%'."),
      fixes: [{ title: t("Escape '%' as '%%'"), edits: [{ range: percentRange, newText: '%%' }], preferred: true }],
    };
  }
  const reference = /^%\(([^)]+)\)s$/.exec(failureText);
  if (!reference || range.start.line !== range.end.line) return { hint: '' };
  const key = reference[1];
  const keyRange: Range = {
    start: { line: range.start.line, character: range.start.character + 2 },
    end: { line: range.end.line, character: range.end.character - 2 },
  };
  let candidates: string[];
  let replace: (candidate: string) => string;
  if (error.code === 'unknown-section-reference') {
    const slash = key.indexOf('/');
    candidates = suggest(key.slice(0, slash), [...context.sectionNames(), 'default', 'known']);
    replace = (candidate) => `${candidate}${key.slice(slash)}`;
  } else {
    const prefix = /^(known|default)\//i.exec(key)?.[0] ?? '';
    candidates = suggest(key.slice(prefix.length), context.namesVisibleFrom(section).filter((n) => !n.includes('/')));
    replace = (candidate) => `${prefix}${candidate}`;
  }
  const fixes = candidates.map((candidate, index) => ({
    title: t("Change to '{0}'", `%(${replace(candidate)})s`),
    edits: [{ range: keyRange, newText: replace(candidate) }],
    preferred: index === 0 && candidates.length === 1 ? true : undefined,
  }));
  return { hint: didYouMean(candidates.map(replace)), fixes: fixes.length > 0 ? fixes : undefined };
}

function failureText(result: DetailedInterpolation): string {
  const last = result.errorStack?.[result.errorStack.length - 1];
  if (!last || !result.errorSpan) return '';
  return last.raw.slice(result.errorSpan.start, result.errorSpan.end);
}

function rangeKey(code: string, range: Range): string {
  return `${code}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** What is wrong, in the admin's words (fail2ban's own text goes to the details). */
function whatIsWrong(code: InterpolationCode, failure: string): string {
  const reference = failure.startsWith('%(') ? failure : t('A %(…)s reference');
  switch (code) {
    case 'invalid-interpolation':
      return t("This '%' is neither '%%' nor a complete '%(name)s' reference");
    case 'undefined-variable':
      return t('{0} names an option that is defined nowhere', reference);
    case 'unknown-section-reference':
      return t('{0} names a section that does not exist', reference);
    case 'interpolation-recursion':
      return t('These %(…)s references loop (or nest deeper than 10 levels)');
  }
}

function whereRead(section: string): string {
  return section === INCLUDES_SECTION ? t('the [INCLUDES] list') : `[${section}]`;
}

/** Errors on fail2ban's read path: the user's part of the chain gets an error. */
function readErrors(context: ConfigContext, findings: Map<string, Finding>): void {
  const sectionsByKey = new Map<string, string[]>();
  const baseByKey = new Map<string, string>(); // a finding's message before its final '.'
  for (const record of readAnalysis(context).errors) {
    const { result } = record;
    const error = result.error;
    if (!error) continue;
    const location = locate(result) ?? fallbackLocation(context, record.section);
    if (!location) continue;
    const key = rangeKey(error.code, location.range);
    const sections = sectionsByKey.get(key) ?? [];
    sections.push(record.section);
    sectionsByKey.set(key, sections);
    if (findings.has(key)) {
      const first = findings.get(key)!;
      first.message = (baseByKey.get(key) ?? '') + t(' (also fails for {0}).', sections.slice(1).map(whereRead).join(', '));
      continue;
    }
    const { fixes, hint } = fixesFor(context, record.section, error, location, failureText(result));
    const base = t('{0}.{1} fail2ban stops at start-up while reading {2}', whatIsWrong(error.code, failureText(result)), hint, whereRead(record.section));
    baseByKey.set(key, base);
    findings.set(key, {
      code: error.code,
      range: location.range,
      severity: 'error',
      message: `${base}.`,
      details: `fail2ban: Failed during configuration: ${error.message}`,
      ...(fixes ? { fixes } : {}),
    });
  }
}

/** No user value in the chain (e.g. the user only enabled a stock jail): point at the user's jail header. */
function fallbackLocation(context: ConfigContext, section: string): Location | undefined {
  const header = context.userSections(section)[0];
  if (header) return { range: header.nameRange, atFailure: false };
  const enabled = context.lookup(section, 'enabled');
  if (enabled?.layer.origin === 'user') return { range: enabled.option.keyRange, atFailure: false };
  return undefined;
}

function unreadReason(context: ConfigContext, section: string, option: OptionNode): string {
  const effective = context.lookup(section === DEFAULT_SECTION ? DEFAULT_SECTION : section, option.name);
  if (effective && effective.option !== option) return t('a later file ({0}) overrides it', effective.layer.label);
  if (section !== DEFAULT_SECTION && section !== INCLUDES_SECTION && context.jailNames().includes(section) && !context.isEnabled(section)) {
    return t('jail [{0}] is disabled', section);
  }
  return t('no option fail2ban reads uses it');
}

/**
 * How to check an unread user value of this section on its own: 'all' problems (a jail that may be enabled
 * later, an option of a section fail2ban reads), 'syntax' only ([DEFAULT] values are templates expanded per
 * jail, so a name they miss may come from the jail), or 'skip' (sections fail2ban never reads).
 */
function unreadCheck(context: ConfigContext, section: string): 'all' | 'syntax' | 'skip' {
  if (section === DEFAULT_SECTION) return 'syntax';
  if (section === INCLUDES_SECTION) return 'skip';
  if (readerBaseName(context.kind) === 'jail') return 'all';
  return SERVER_SECTIONS.has(section) ? 'all' : 'skip';
}

const SERVER_SECTIONS: ReadonlySet<string> = new Set([SERVER_DEFINITION_SECTION, SERVER_THREAD_SECTION]);

/** Values nobody reads: check them on their own and warn. */
function unreadErrors(context: ConfigContext, findings: Map<string, Finding>): void {
  const analysis = readAnalysis(context);
  const userLayer = context.userLayer;
  // only a value with a '%' can fail: those, not every option of a big file
  const { sections, options } = optionsWithPercent(userLayer.doc);
  let mode: ReturnType<typeof unreadCheck> = 'skip';
  for (let at = 0; at < options.length; at++) {
    const section = sections[at];
    const option = options[at];
    if (at === 0 || section !== sections[at - 1]) mode = unreadCheck(context, section.name);
    if (mode === 'skip' || analysis.isOptionRead(option)) continue;
    const raw: RawValue = { raw: option.value, section: section.name, layer: userLayer, option, hasPercent: true };
    const result = context.interpolateValueAs(section.name, option.name, raw);
    const error = result.error;
    if (!error || (mode === 'syntax' && error.code !== 'invalid-interpolation')) continue;
    const location = locate(result);
    if (!location) continue;
    const key = rangeKey(error.code, location.range);
    if (findings.has(key)) continue;
    const { fixes, hint } = fixesFor(context, section.name, error, location, failureText(result));
    findings.set(key, {
      code: error.code,
      range: location.range,
      severity: 'warning',
      message: t(
        '{0}.{1} fail2ban does not read this value now ({2}), but once it does it stops at start-up.',
        whatIsWrong(error.code, failureText(result)),
        hint,
        unreadReason(context, section.name, option),
      ),
      details: `fail2ban: Failed during configuration: ${error.message}`,
      ...(fixes ? { fixes } : {}),
    });
  }
}

const findingsByContext = new WeakMap<ConfigContext, Finding[]>();

export function interpolationFindings(context: ConfigContext): Finding[] {
  let findings = findingsByContext.get(context);
  if (!findings) {
    const byKey = new Map<string, Finding>();
    readErrors(context, byKey);
    unreadErrors(context, byKey);
    findings = [...byKey.values()];
    findingsByContext.set(context, findings);
  }
  return findings;
}

export const rules: Rule[] = [
  {
    name: 'interpolation',
    codes: INTERPOLATION_META,
    check(ctx) {
      for (const finding of interpolationFindings(ctx.context)) {
        ctx.report({
          code: finding.code,
          range: finding.range,
          message: finding.message,
          severity: finding.severity,
          details: finding.details,
          ...(finding.fixes ? { fixes: finding.fixes } : {}),
        });
      }
    },
  },
];
