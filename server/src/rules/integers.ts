// Integer options (fail2ban 1.1.0 client/configreader.py getOptions, type "int"): the client converts with Python int(); a failure logs
// "Wrong value for '<opt>' in '<section>'. Using default one: 'None'" and the server then stops (F-server).
// Range checks the server does: maxlines > 0, [Thread] stacksize 0 or >= 32 KiB.
import { serverOption } from '../knowledge/serverOptions';
import { pyInt } from '../values/pyText';
import type { Fix, Severity } from '../types';
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
import { deferred, t } from '../l10n';

const pyIntOnce = memoizeText(pyInt);

interface IntegerPolicy {
  /** What happens with a non-integer (maxlines is dropped with a warning; the others stop the server). */
  nonInteger: { severity: Severity; effect: string; fail2banSays: (name: string, where: string) => string };
  /** Returns a message when the (integer) value is out of the accepted range. */
  range?: (value: bigint) => { severity: Severity; message: string } | undefined;
}

const WRONG_VALUE = (name: string, where: string): string => `Wrong value for '${name}' in ${where}. Using default one: 'None'`;
const STOPS = { effect: deferred('fail2ban stops at start-up'), fail2banSays: WRONG_VALUE };

/** source: fail2ban 1.1.0 client/configreader.py (int conversion), server/filter.py (maxlines), server/server.py (stacksize). */
const POLICIES: Readonly<Record<string, IntegerPolicy>> = {
  maxretry: {
    nonInteger: { severity: 'error', ...STOPS },
    range: (v) =>
      v < 1n ? { severity: 'warning', message: t('maxretry = {0}: fail2ban accepts it without a check, but then the first failure already bans.', String(v)) } : undefined,
  },
  maxmatches: { nonInteger: { severity: 'error', ...STOPS } },
  maxlines: {
    nonInteger: { severity: 'warning', effect: deferred('fail2ban ignores the value (with a warning in its log)'), fail2banSays: (name, where) => `Wrong value for '${name}' in ${where}` },
    range: (v) =>
      v < 1n ? { severity: 'error', message: t("fail2ban stops at start-up: 'maxlines must be integer greater than zero'.") } : undefined,
  },
  dbmaxmatches: { nonInteger: { severity: 'error', ...STOPS } },
  stacksize: {
    nonInteger: { severity: 'error', ...STOPS },
    range: (v) =>
      v !== 0n && v < 32n
        ? {
            severity: 'error',
            message:
              v < 0n
                ? t('fail2ban stops at start-up: the thread stack size must be 0 or a positive value.')
                : t("fail2ban stops at start-up: 'size not valid: {0} bytes' — stacksize is in KiB and must be 0 or at least 32.", String(v * 1024n)),
          }
        : undefined,
  },
};

function isIntegerOption(ctx: RuleContext, site: OptionSite): boolean {
  const name = site.option.name;
  if (!POLICIES[name]) return false;
  if (isJailKind(ctx.options.kind)) return knownJailOption(name, ctx.options.fail2banVersion)?.type === 'int';
  return serverOption(name, site.section.name)?.type === 'int';
}

/** `"3"` → 3, `3.0` → 3, `3 ; x`-style leftovers are left to the comment rules. */
/** Number words people write for counts (`maxretry = three`). */
const NUMBER_WORDS: readonly string[] = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty',
];

/** The integer the user evidently meant: quoted ("3"), a float (3.0) or a number word (three). */
function meantInteger(text: string): string | undefined {
  const trimmed = text.trim();
  const word = NUMBER_WORDS.indexOf(trimmed.toLowerCase());
  if (word >= 0) return String(word);
  return /^(["'])\s*([+-]?\d+)\s*\1$/.exec(trimmed)?.[2] ?? /^([+-]?\d+)\.0*$/.exec(trimmed)?.[1];
}

function integerFix(site: OptionSite, text: string): Fix[] {
  const unquoted = meantInteger(text);
  if (unquoted === undefined) return [];
  return [{ title: t('Change to {0}', unquoted), edits: [{ range: wholeValueRange(site.option), newText: unquoted }], preferred: true }];
}

function checkIntegers(ctx: RuleContext): void {
  const { kind, fail2banVersion } = ctx.options;
  // jail kinds: the type depends on the name only; server kinds also on the section (small files)
  const sites = isJailKind(kind)
    ? userOptionsNamed(ctx, (name) => jailOptionType(name, fail2banVersion) === 'int' && POLICIES[name] !== undefined) // (a map lookup first: a property lookup by each of 20k keys is slow)
    : userOptions(ctx);
  const jailKind = isJailKind(kind);
  for (let i = 0; i < sites.length; i++) {
    const site = sites[i];
    if (!jailKind && !isIntegerOption(ctx, site)) continue; // (jail kinds: chosen by that test already)
    checkPerJail(ctx, site, optionVerdict, integerProblems);
  }
}

function integerProblems(ctx: RuleContext, site: OptionSite, checked: CheckedValue, jails: readonly string[]): readonly ValueProblem[] {
  const policy = POLICIES[site.option.name];
  const parsed = pyIntOnce(checked.text);
  if (!parsed.ok) {
    const where = isJailKind(ctx.options.kind) ? `'${jails[0] ?? site.section.name}'` : `'${site.section.name}'`;
    const quoted = /^\s*["']/.test(checked.text) ? t(' Quotes are not special in fail2ban values.') : '';
    const meant = meantInteger(checked.text);
    return [
      {
        code: 'invalid-integer',
        range: checkedRange(site, checked, 0, checked.text.length),
        severity: policy.nonInteger.severity,
        message:
          (meant !== undefined
            ? t('{0} must be a whole number: write {1}. {2}.', site.option.name, meant, t(policy.nonInteger.effect))
            : t('{0} must be a whole number, e.g. 5. {1}.', site.option.name, t(policy.nonInteger.effect))) + quoted,
        details: `fail2ban: ${policy.nonInteger.fail2banSays(site.option.name, where)} — Python int(): ${parsed.message}`,
        fixes: checked.precise ? integerFix(site, checked.text) : undefined,
      },
    ];
  }
  const outOfRange = policy.range?.(parsed.value);
  if (!outOfRange) return NO_PROBLEMS;
  return [
    {
      code: 'out-of-range',
      range: checked.precise ? valueRange(site.option, 0, site.option.value.length) : wholeValueRange(site.option),
      severity: outOfRange.severity,
      message: outOfRange.message,
    },
  ];
}

const INTEGER_CODES: CodeTable = {
  'invalid-integer': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'An integer option that Python int() cannot read.',
    docs:
      '`maxretry`, `maxmatches`, `maxlines`, `dbmaxmatches` and `[Thread] stacksize` are converted with Python `int()`: only an ' +
      'optional sign and digits (`_` between digits allowed). `"3"`, `3.5`, `0x10`, `six` or an empty value make fail2ban log ' +
      "`Wrong value for 'maxretry' in 'postfix'. Using default one: 'None'` and the server then fails to start " +
      '(a bad `maxlines` is only dropped).',
  },
  'out-of-range': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'An integer outside the range fail2ban accepts.',
    docs:
      '`maxlines` must be greater than zero (`maxlines must be integer greater than zero`), `[Thread] stacksize` must be 0 or at ' +
      'least 32 KiB (`size not valid: 16384 bytes`); both stop the server. `maxretry` below 1 is accepted but bans on the first failure.',
  },
};

export const rules: Rule[] = [
  {
    name: 'integers',
    codes: INTEGER_CODES,
    check(ctx) {
      checkIntegers(ctx);
    },
  },
];
