// bantime.factor / bantime.formula / bantime.multipliers (fail2ban 1.1.0
// server/jail.py setBanTimeExtra): the factor is eval()ed and the formula compile()d when the jail is set
// up, the multipliers split on single spaces and int()ed — any failure stops the server (F-server).
// An empty value means "unset" (setBanTimeExtra turns '' into None).
import { checkBantimeFactor, checkBantimeFormula, parseMultipliers, type ExpressionCheck } from '../values/expression';
import type { Fix } from '../types';
import type { CodeTable, Rule, RuleContext } from './rule';
import {
  checkedRange,
  isJailKind,
  jailList,
  JailProblems,
  jailValues,
  oneValue,
  PER_JAIL,
  rangeKey,
  readVerdict,
  userOptions,
  valueRange,
  type CheckedValue,
  type OptionSite,
} from './ruleKit';
import { t } from '../l10n';

/** Expression options and their checker. source: fail2ban 1.1.0 server/jail.py. */
const EXPRESSION_CHECKS: Readonly<Record<string, (value: string) => ExpressionCheck>> = {
  'bantime.factor': checkBantimeFactor,
  'bantime.formula': checkBantimeFormula,
};

function checkExpressions(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  for (const site of userOptions(ctx, Object.keys(EXPRESSION_CHECKS))) {
    // most values are fine: decided on the one text, without asking which jails read it (a [DEFAULT] value's jails
    // are every jail of a big file)
    const checked = oneValue(ctx, site);
    if (checked !== PER_JAIL && (checked === undefined || checked.text === '' || EXPRESSION_CHECKS[site.option.name](checked.text).problems.length === 0)) continue;
    const verdict = readVerdict(ctx, site);
    const problems = new JailProblems();
    for (const { checked, jails } of jailValues(ctx, site, verdict.jails)) {
      if (checked.text === '') continue;
      const result = EXPRESSION_CHECKS[site.option.name](checked.text);
      for (const problem of result.problems) {
        const range = checkedRange(site, checked, problem.start, Math.max(problem.end, problem.start + 1));
        problems.add(`${rangeKey(range)}|${problem.message}`, jails, (all) => ({
          code: 'invalid-expression',
          range,
          severity: problem.severity,
          message: `${site.option.name}: ${problem.message}${problem.severity === 'error' && all.length ? ' (' + jailList(all) + ')' : ''}.`,
          ...(problem.details ? { details: problem.details } : {}),
        }));
      }
    }
    problems.report(ctx, verdict);
  }
}

/** `1,2,4` / `1  2` / tabs → `1 2 4` (single spaces). */
function multipliersFix(site: OptionSite, checked: CheckedValue): Fix[] | undefined {
  if (!checked.precise) return undefined;
  const pieces = checked.text.split(/[\s,;]+/).filter(Boolean);
  if (pieces.length === 0 || !pieces.every((p) => /^\d+$/.test(p))) return undefined;
  return [
    {
      title: t("Change to '{0}'", pieces.join(' ')),
      edits: [{ range: valueRange(site.option, 0, site.option.value.length), newText: pieces.join(' ') }],
      preferred: true,
    },
  ];
}

function checkMultipliers(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  for (const site of userOptions(ctx, ['bantime.multipliers'])) {
    const checked = oneValue(ctx, site);
    if (checked !== PER_JAIL && (checked === undefined || parseMultipliers(checked.text).ok)) continue;
    const verdict = readVerdict(ctx, site);
    const problems = new JailProblems();
    for (const { checked, jails } of jailValues(ctx, site, verdict.jails)) {
      const result = parseMultipliers(checked.text);
      if (result.ok) continue;
      const start = result.start ?? 0;
      const range = checkedRange(site, checked, start, Math.max(result.end ?? start + 1, start + 1));
      problems.add(rangeKey(range), jails, (all) => ({
        code: 'invalid-multipliers',
        range,
        severity: 'error',
        message:
          all.length && verdict.section !== 'DEFAULT'
            ? t('bantime.multipliers must be whole numbers separated by single spaces, e.g. 1 2 4 8 16 32 64. fail2ban stops at start-up ({0}).', jailList(all))
            : t('bantime.multipliers must be whole numbers separated by single spaces, e.g. 1 2 4 8 16 32 64. fail2ban stops at start-up.'),
        details: `Python ValueError: ${result.message}`,
        fixes: multipliersFix(site, checked),
      }));
    }
    problems.report(ctx, verdict);
  }
}

const EXPRESSION_CODES: CodeTable = {
  'invalid-expression': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'A bantime.factor / bantime.formula that is not a valid Python expression.',
    docs:
      'fail2ban evaluates `bantime.factor` with Python `eval()` and compiles `bantime.formula` when the jail starts. A syntax ' +
      "error or an unknown name (`NameError(\"name 'abc' is not defined\")`) stops the server. In the formula only `ban.Time`, " +
      '`ban.Count`, `banFactor` and modules such as `math` exist.\n\n```ini\nbantime.factor  = 1\n' +
      'bantime.formula = ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor\n```',
  },
  'invalid-multipliers': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'bantime.multipliers that are not integers separated by single spaces.',
    docs:
      'fail2ban splits `bantime.multipliers` on **single spaces** and converts each piece with `int()`: a double space, a tab or a ' +
      "comma stops the server with `ValueError(\"invalid literal for int() with base 10: ''\")`.\n\n```ini\nbantime.multipliers = 1 2 4 8 16 32 64\n```",
  },
};

export const rules: Rule[] = [
  {
    name: 'expressions',
    codes: EXPRESSION_CODES,
    check(ctx) {
      checkExpressions(ctx);
      checkMultipliers(ctx);
    },
  },
];
