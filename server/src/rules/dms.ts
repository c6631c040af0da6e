// docker-mailserver specifics and jail-wide mistakes: [DEFAULT] enabled = true, settings DMS overrides,
// the manual-ban jail [custom], iptables banactions, long jail names.
// Sources: DMS target/scripts/startup/setup.d/security/misc.sh (the copies), target/bin/fail2ban ([custom]),
// Dockerfile; fail2ban 1.1.0 client/configreader.py (read order), server/server.py (long names), client/fail2banreader.py (allowipv6).
import { pyAsBool } from '../context/readerOptions';
import { stockJailNames } from '../knowledge/stockJails';
import type { CodeTable, Rule, RuleContext } from './rule';
import { SHARED_CODES } from './sharedCodes';
import { isDmsKind, isEnabled, isJailKind, isJailSectionName, jailsUsing, userOptions, valueRange } from './ruleKit';
import { t } from '../l10n';

/** fail2ban server: `Jail name '<name>' might be too long …` from this length on (iptables chain names). source: fail2ban 1.1.0 server/server.py */
const LONG_JAIL_NAME = 26;
/** Names the server refuses (`Reserved name '--all'`). source: fail2ban 1.1.0 server/server.py */
const RESERVED_JAIL_NAMES: readonly string[] = ['--all'];

/** Options whose value names action files (the DMS iptables caveat applies to them). */
const ACTION_NAMING_OPTIONS: readonly string[] = ['banaction', 'banaction_allports', 'action'];

function defaultEnabled(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  const sites = userOptions(ctx, ['enabled']);
  for (let i = 0; i < sites.length; i++) {
    const { section, option } = sites[i];
    if (section.name !== 'DEFAULT' || !pyAsBool(option.value)) continue;
    const total = stockJailNames(ctx.options.fail2banVersion).length;
    const dms = isDmsKind(ctx.options.kind);
    ctx.report({
      code: 'default-enabled',
      range: option.range,
      severity: dms ? 'error' : 'warning',
      message: dms
        ? t(
            "[DEFAULT] enabled = true enables every stock jail ({0}), e.g. sshd, whose log files do not exist in DMS: fail2ban stops at start-up ('Have not found any log file for sshd jail'). Enable jails one by one in their own sections instead.",
            total,
          )
        : t(
            "[DEFAULT] enabled = true enables every stock jail ({0}); fail2ban stops at start-up unless each one's log file exists (e.g. 'Have not found any log file for sshd jail'). Enable jails one by one in their own sections instead.",
            total,
          ),
      fixes: [{ title: t('Remove this line'), edits: [{ range: wholeLines(option.range), newText: '' }] }],
    });
  }
}

function wholeLines(range: { start: { line: number }; end: { line: number } }) {
  return { start: { line: range.start.line, character: 0 }, end: { line: range.end.line + 1, character: 0 } };
}

function dmsOverridden(ctx: RuleContext): void {
  if (ctx.options.kind !== 'dms-server') return;
  for (const { section, option } of userOptions(ctx, ['allowipv6'])) {
    if (section.name !== 'Definition' && section.name !== 'DEFAULT') continue;
    const effective = ctx.context.lookup('Definition', 'allowipv6');
    if (!effective || effective.layer.origin !== 'dms') continue;
    ctx.report({
      code: 'dms-overridden',
      range: option.range,
      message:
        t(
          "DMS overrides this: its {0} is read after your file and sets 'allowipv6 = {1}', so your value is never used (and DMS's 'auto;' — the ';' is not preceded by a space — actually turns IPv6 off).",
          String(effective.layer.path),
          effective.raw,
        ),
    });
  }
}

function customJailDisabled(ctx: RuleContext): void {
  if (ctx.options.kind !== 'dms-jail') return;
  if (isEnabled(ctx, 'custom')) return;
  for (const site of userOptions(ctx, ['enabled'])) {
    if (site.section.name !== 'custom' && jailsUsing(ctx, site, false).every((j) => j !== 'custom')) continue;
    ctx.report({
      code: 'custom-jail-disabled',
      range: site.option.range,
      message:
        t("This disables DMS's jail [custom], which 'setup fail2ban ban <IP>' uses for manual bans: manual banning then fails."),
    });
    return;
  }
}

function actionNamesIn(value: string): string[] {
  // name[params] entries; the names are what precedes '[' (whitespace-separated outside brackets)
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (depth === 0 && /\s/.test(ch)) {
      if (current) names.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (current) names.push(current);
  return names.map((entry) => entry.replace(/\[.*$/s, ''));
}

function iptablesInDms(ctx: RuleContext): void {
  if (ctx.options.kind !== 'dms-jail') return;
  for (const { option } of userOptions(ctx, ACTION_NAMING_OPTIONS)) {
    if (!option.value.includes('iptables')) continue; // the common case, without splitting the value
    const iptables = actionNamesIn(option.value).filter((name) => /^iptables(-|$)/.test(name));
    if (iptables.length === 0) continue;
    const at = Math.max(0, option.value.indexOf(iptables[0]));
    ctx.report({
      code: 'iptables-in-dms',
      range: valueRange(option, at, at + iptables[0].length),
      message:
        t(
          "DMS bans with nftables; '{0}' adds iptables rules inside the container only (not on the host) and needs legacy iptables support. Keep it only for old kernels/NAS systems without nftables; otherwise use nftables-allports or nftables-multiport.",
          iptables[0],
        ),
    });
  }
}

function longJailNames(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  const sections = ctx.doc.sections;
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i];
    const name = section.name;
    if (name.length < LONG_JAIL_NAME && !RESERVED_JAIL_NAMES.includes(name)) continue; // most names: neither (decided first)
    if (!isJailSectionName(name)) continue;
    if (RESERVED_JAIL_NAMES.includes(name)) {
      ctx.report({
        code: 'invalid-value',
        range: section.nameRange,
        severity: isEnabled(ctx, name) ? 'error' : 'warning',
        message: t("'{0}' is reserved: fail2ban refuses the jail ('Reserved name {0}').", name),
      });
      continue;
    }
    if (name.length < LONG_JAIL_NAME) continue;
    ctx.report({
      code: 'long-jail-name',
      range: section.nameRange,
      severity: isEnabled(ctx, name) ? 'warning' : 'information',
      message:
        t(
          "Jail name has {0} characters: fail2ban warns 'Jail name '{1}' might be too long and some commands might not function correctly. Please shorten' (firewall chain/set names are built from it). Use at most {2} characters.",
          name.length,
          name,
          LONG_JAIL_NAME - 1,
        ),
    });
  }
}

const DMS_CODES: CodeTable = {
  'default-enabled': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: '[DEFAULT] enabled = true enables every stock jail.',
    docs:
      '`enabled` in `[DEFAULT]` applies to every section, so all ~94 stock jails of `jail.conf` are switched on. Each enabled jail ' +
      'needs its log file; in DMS `/var/log/auth.log` etc. do not exist, so fail2ban stops with ' +
      '`Have not found any log file for sshd jail` and never runs (`setup fail2ban` says "Fail2ban not running").\n\n' +
      'Enable jails in their own sections: `[postfix]` / `enabled = true`.',
  },
  'dms-overridden': {
    defaultSeverity: 'warning',
    outcome: 'silently-ignored',
    description: 'A setting DMS overrides after reading your file.',
    docs:
      'fail2ban reads `fail2ban.local` (your `fail2ban-fail2ban.cf`) **before** `fail2ban.d/fixes.local`, which DMS ships with ' +
      '`allowipv6 = auto;`. So your `allowipv6` is never used — and because `;` is not preceded by a space, DMS\'s value is ' +
      '`auto;`, which fail2ban reads as "off".',
  },
  'custom-jail-disabled': {
    defaultSeverity: 'warning',
    outcome: 'silently-ignored',
    description: "DMS's manual-ban jail [custom] is disabled.",
    docs:
      "`setup fail2ban ban <IP>` bans through DMS's `[custom]` jail. With `[custom]` / `enabled = false` that command fails.",
  },
  'iptables-in-dms': {
    // DMS documents the iptables banactions as the fallback for old kernels/NAS without nftables
    // (DMS v15.1.0 docs/content/config/security/fail2ban.md, "older systems (for example NAS systems)"): advice, never a warning
    defaultSeverity: 'information',
    outcome: 'style',
    description: 'An iptables action in DMS, which uses nftables.',
    docs:
      'DMS configures fail2ban with nftables (`banaction = nftables-allports`). iptables actions only add rules **inside the container** ' +
      '(check with `nft list ruleset` / `iptables -L` there, not on the host) and need legacy iptables. DMS documents one exception: ' +
      'old kernels / NAS systems without nftables support — so this is only information: keep it if your host needs it.',
  },
  'long-jail-name': {
    defaultSeverity: 'warning',
    outcome: 'style',
    description: 'A jail name of 26+ characters.',
    docs:
      'Firewall objects are named after the jail (`f2b-<jail>` iptables chains, `addr-set-<jail>` nftables sets); iptables chain names ' +
      "are limited to 28 characters. fail2ban warns `Jail name '<name>' might be too long and some commands might not function correctly`.",
  },
  'invalid-value': SHARED_CODES['invalid-value'],
};

export const rules: Rule[] = [
  {
    name: 'dms',
    codes: DMS_CODES,
    check(ctx) {
      defaultEnabled(ctx);
      dmsOverridden(ctx);
      customJailDisabled(ctx);
      iptablesInDms(ctx);
      longJailNames(ctx);
    },
  },
];
