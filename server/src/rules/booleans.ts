// Boolean options (fail2ban 1.1.0 helpers.py): `_as_bool` is true only for 1/on/true/yes (any case);
// anything else — typos included — silently means false.
import { dmsEnabledJails } from '../knowledge/dms';
import type { CodeTable, Rule, RuleContext } from './rule';
import { jailOptionType } from './jailOptionTypes';
import { isJailKind, isJailSectionName, oneValue, PER_JAIL, readVerdict, reportValue, userOptionsNamed, valueToCheck, wholeValueRange } from './ruleKit';
import { replacementFixes, suggest } from './suggest';
import { t } from '../l10n';

/** Spellings that mean something on purpose. source: fail2ban 1.1.0 client/configreader.py _as_bool. */
const TRUE_SPELLINGS: readonly string[] = ['true', 'yes', 'on', '1'];
const FALSE_SPELLINGS: readonly string[] = ['false', 'no', 'off', '0'];

/** pyAsBool(value) or one of FALSE_SPELLINGS (one lower-casing: asked for every `enabled` of a big file). */
function isYesOrNo(value: string): boolean {
  if (TRUE_SPELLINGS.includes(value) || FALSE_SPELLINGS.includes(value)) return true; // (most values: no lower-cased copy)
  const lower = value.toLowerCase();
  return TRUE_SPELLINGS.includes(lower) || FALSE_SPELLINGS.includes(lower);
}

function checkBooleans(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  const version = ctx.options.fail2banVersion;
  const sites = userOptionsNamed(ctx, (name) => jailOptionType(name, version) === 'bool');
  for (let i = 0; i < sites.length; i++) {
    const site = sites[i];
    const raw = site.option.value;
    if (!raw.includes('%') && isYesOrNo(raw)) continue; // (the usual `enabled = true`: no result object for each)
    // most values are fine: decided on the one text, without asking which jails read it
    const own = oneValue(ctx, site);
    if (own !== PER_JAIL && (own === undefined || isYesOrNo(own.text))) continue;
    const verdict = readVerdict(ctx, site);
    const checked = valueToCheck(ctx, site, verdict.jails);
    if (!checked) continue;
    const value = checked.text;
    if (isYesOrNo(value)) continue;
    const similar = suggest(value.trim(), [...TRUE_SPELLINGS, ...FALSE_SPELLINGS], { maxDistance: 2 });
    const isJail = isJailSectionName(site.section.name);
    const turnsOffDmsJail =
      ctx.options.kind === 'dms-jail' && site.option.name === 'enabled' && isJail && dmsEnabledJails(ctx.options.dmsVersion).includes(site.section.name);
    const fix = similar.length === 1 ? t("write '{0}'", similar[0]) : t('write true or false (also yes/no, on/off, 1/0)');
    // an `enabled` that is neither true nor false drops the jail: fail2ban starts without it and says nothing
    const dropsJail = site.option.name === 'enabled' && isJail;
    const consequence = dropsJail
      ? turnsOffDmsJail
        ? t("fail2ban reads it as false and silently drops jail '{0}', which DMS enables: no message anywhere.", site.section.name)
        : t("fail2ban reads it as false and silently drops jail '{0}': no message anywhere.", site.section.name)
      : t('fail2ban silently reads it as false.');
    reportValue(ctx, { ...verdict, note: '' }, {
      code: 'invalid-boolean',
      range: wholeValueRange(site.option),
      severity: dropsJail ? 'error' : 'warning',
      message: t("'{0}' is not a yes/no value: {1}. {2} Only 1, on, true, yes (any case) mean true.", value, fix, consequence),
      fixes: checked.precise ? replacementFixes(wholeValueRange(site.option), similar) : undefined,
    });
  }
}

const BOOLEAN_CODES: CodeTable = {
  'invalid-boolean': {
    defaultSeverity: 'warning',
    outcome: 'silently-ignored',
    description: 'A yes/no option with a value fail2ban silently reads as false.',
    docs:
      'fail2ban reads `enabled`, `ignoreself`, `bantime.increment`, `bantime.overalljails` (and 1.1.1\'s `skip_if_nologs`, ' +
      '`systemd_if_nologs`) as true only for `1`, `on`, `true`, `yes` (any case). Everything else is false **without a message**: ' +
      '`enabled = ture` or `enabled = yes please` switch the jail off — in DMS even a jail DMS had enabled.\n\n' +
      'In a jail\'s `enabled` this is an **error**: fail2ban starts, `fail2ban-client -t` passes, and the jail is silently dropped ' +
      '(it is not among the running jails), just as if its filter were missing. In other yes/no options it is a warning.',
  },
};

export const rules: Rule[] = [
  {
    name: 'booleans',
    codes: BOOLEAN_CODES,
    check(ctx) {
      checkBooleans(ctx);
    },
  },
];
