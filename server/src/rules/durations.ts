// Time values (fail2ban 1.1.0 server/mytime.py MyTime.str2seconds: regex rewrite + Python eval). A value fail2ban cannot
// evaluate stops the server at start-up (F-server); some evaluate to a surprising number (suspicious-duration).
import { serverOption } from '../knowledge/serverOptions';
import { formatDuration, parseDuration, UNIT_TYPOS } from '../values/duration';
import type { Fix } from '../types';
import type { CodeTable, Rule, RuleContext } from './rule';
import {
  checkedRange,
  checkPerJail,
  isJailKind,
  knownJailOption,
  memoizeText,
  NO_PROBLEMS,
  optionVerdict,
  userOptions,
  userOptionsNamed,
  valueRange,
  wholeValueRange,
  type CheckedValue,
  type OptionSite,
  type ValueProblem,
} from './ruleKit';
import { jailOptionType } from './jailOptionTypes';
import { t } from '../l10n';

/** Time options where an empty value means "unset" instead of a SyntaxError. source: fail2ban 1.1.0 server/jail.py */
const EMPTY_MEANS_UNSET: ReadonlySet<string> = new Set(['bantime.maxtime', 'bantime.rndtime']);

const parseDurationOnce = memoizeText(parseDuration);

function isDurationOption(ctx: RuleContext, site: OptionSite): boolean {
  if (isJailKind(ctx.options.kind)) return knownJailOption(site.option.name, ctx.options.fail2banVersion)?.type === 'duration';
  return serverOption(site.option.name, site.section.name)?.type === 'duration';
}

function unitFix(site: OptionSite, text: string, start: number, end: number): Fix[] {
  const word = text.slice(start, end).trim().toLowerCase();
  const replacement = UNIT_TYPOS[word];
  if (!replacement) return [];
  return [{ title: t("Change to '{0}'", replacement), edits: [{ range: valueRange(site.option, start, end), newText: replacement }], preferred: true }];
}

function checkDurations(ctx: RuleContext): void {
  const { kind, fail2banVersion } = ctx.options;
  // jail kinds: the type depends on the name only; server kinds also on the section (small files)
  const sites = isJailKind(kind) ? userOptionsNamed(ctx, (name) => jailOptionType(name, fail2banVersion) === 'duration') : userOptions(ctx);
  const jailKind = isJailKind(kind);
  for (let i = 0; i < sites.length; i++) {
    const site = sites[i];
    if (!jailKind && !isDurationOption(ctx, site)) continue; // (jail kinds: chosen by that test already)
    checkPerJail(ctx, site, optionVerdict, durationProblems);
  }
}

function durationProblems(_ctx: RuleContext, site: OptionSite, checked: CheckedValue): readonly ValueProblem[] {
  const name = site.option.name;
  if (checked.text.trim() === '' && EMPTY_MEANS_UNSET.has(name)) return NO_PROBLEMS;
  const result = parseDurationOnce(checked.text);
  if (!result.ok) {
    if (result.pythonError === 'unsupported') return NO_PROBLEMS; // real Python code we do not model: no verdict
    return [
      {
        code: 'invalid-duration',
        range: checked.text.trim() === '' ? wholeValueRange(site.option) : checkedRange(site, checked, result.start, result.end),
        severity: 'error',
        message: `${name}: ${result.message}.`,
        details: result.details,
        fixes: checked.precise ? unitFix(site, checked.text, result.start, result.end) : undefined,
      },
    ];
  }
  const warning = suspicion(name, result.seconds, result.suspicious);
  return warning ? [{ code: 'suspicious-duration', range: wholeValueRange(site.option), severity: 'warning', message: warning }] : NO_PROBLEMS;
}

/** A message when the value evaluates but probably not to what was meant. */
function suspicion(name: string, seconds: number, flags: readonly string[]): string | undefined {
  if (flags.length === 0) return undefined; // most values: no text to format
  const value = `${seconds} s${Number.isFinite(seconds) && seconds > 0 ? ` = ${formatDuration(seconds)}` : ''}`;
  if (flags.includes('and-or')) {
    return t("{0}: Python's 'and'/'or' pick one side, so fail2ban silently uses {1}. Write a sum instead, e.g. '1h 30m'.", name, value);
  }
  if (flags.includes('comparison')) return t('{0}: a comparison gives True/False; fail2ban silently uses {1}.', name, value);
  if (flags.includes('name')) return t('{0}: a Python name is not a time; fail2ban silently uses {1}.', name, value);
  if (flags.includes('negative') && name !== 'bantime') {
    return t('{0} is negative ({1} s): fail2ban accepts it without a check, but a negative {0} makes no sense.', name, seconds);
  }
  if (flags.includes('negative') && seconds !== -1) {
    return t('bantime is negative ({0} s): any negative bantime means a permanent ban; write -1 to make that clear.', seconds);
  }
  if (flags.includes('zero') && name === 'bantime') return t('bantime = 0: fail2ban accepts it, but bans then end immediately.');
  if (flags.includes('zero') && name === 'findtime') return t('findtime = 0: fail2ban accepts it, but no failures are counted together.');
  return undefined;
}

const DURATION_CODES: CodeTable = {
  'invalid-duration': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'A time value fail2ban cannot evaluate.',
    docs:
      'fail2ban turns time values into seconds by rewriting units (`s m h d w mo y` and their long forms) and evaluating the ' +
      'result as Python. Anything else — `1hr`, `10mins`, `abc`, an empty `bantime` — passes `fail2ban-client -t` but stops ' +
      'the server at start-up (`SyntaxError`/`NameError`), so in DMS fail2ban never runs.\n\n' +
      '```ini\nbantime  = 1w\nfindtime = 1h 30m   ; = 5400 s\n```\n\n`m` means minutes; months need `mo`.',
  },
  'suspicious-duration': {
    defaultSeverity: 'warning',
    outcome: 'silently-ignored',
    description: 'A time value that evaluates, but probably not to what was meant.',
    docs:
      'Because time values are evaluated as Python, some mistakes still give a number: `1h and 30m` is 1800, `True` is 1, ' +
      'a negative `findtime` or a zero `bantime` are accepted without a check.',
  },
};

export const rules: Rule[] = [
  {
    name: 'durations',
    codes: DURATION_CODES,
    check(ctx) {
      checkDurations(ctx);
    },
  },
];
