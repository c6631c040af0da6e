// `backend = name[params]` (fail2ban 1.1.0 server/jail.py
// _setBackend, server/filtersystemd.py). The client reads it for every jail but the server only sets up
// enabled jails: an unknown name or a parameter the backend does not take stops fail2ban (F-server).
import { dmsRelease } from '../knowledge/dms';
import { fail2banFacts } from '../knowledge/releases';
import { backendsFor } from '../knowledge/backends';
import { FAIL2BAN_VERSIONS, type Fail2banVersion } from '../types';
import { lineBreakOf } from '../parser/text';
import { parseBackend } from '../values/misc';
import { pyInt } from '../values/pyText';
import type { CodeTable, Rule, RuleContext } from './rule';
import { SHARED_CODES } from './sharedCodes';
import {
  checkedRange,
  enabledJails,
  interpolated,
  lookupRaw,
  isJailKind,
  jailList,
  JailProblems,
  jailsUsing,
  jailValues,
  rangeKey,
  userOptions,
  wholeValueRange,
  type CheckedValue,
  type OptionSite,
  type ReadVerdict,
} from './ruleKit';
import { didYouMean, replacementFixes, suggest } from './suggest';
import { t } from '../l10n';

/** Python class whose __init__ rejects unexpected keyword arguments, per backend. source: fail2ban 1.1.0 server/jail.py */
const BACKEND_CLASSES: Readonly<Record<string, string>> = {
  auto: 'FilterPyinotify', // auto tries pyinotify first (then polling, with the same arguments)
  pyinotify: 'FilterPyinotify',
  gamin: 'FilterGamin',
  polling: 'FilterPoll',
  systemd: 'Filter',
};

/** A value for a one-line message: line breaks shown as ⏎, long values cut. */
function oneLine(text: string): string {
  const flat = text.replace(/\n/g, '⏎');
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}

function backendVersions(name: string): Fail2banVersion[] {
  return FAIL2BAN_VERSIONS.filter((v) => backendsFor(v).some((b) => b.name === name));
}

/**
 * A jail the user's DMS file touches whose backend comes from the stock files and resolves to systemd: fail2ban 1.1.1's
 * paths-debian.conf sets `sshd_backend`/`postfix_backend = systemd`, which stock [sshd], [postfix], [postfix-rbl] and
 * [postfix-sasl] read (`backend = %(postfix_backend)s`). DMS has no journal, so the jail never bans.
 */
function checkInheritedSystemd(ctx: RuleContext): void {
  if (ctx.options.kind !== 'dms-jail') return;
  // Jails DMS's own jail.local enables are left to the hover: whether the DMS release's own files override the
  // backend is not confirmed for every release (see its registry entry's source note); the user did not cause it.
  const enabledByDms = new Set(dmsRelease(ctx.options.dmsVersion).jailLocal.enabledJails);
  const jails = enabledJails(ctx);
  let plainNotSystemd: string | undefined; // a text without references that is not systemd (the same for every jail)
  for (let i = 0; i < jails.length; i++) {
    const jail = jails[i];
    const raw = lookupRaw(ctx, jail, 'backend');
    if (!raw || raw.layer.origin === 'user') continue; // the user's own backend line is checked by checkBackendValue
    const text = raw.raw;
    if (text === plainNotSystemd) continue; // most jails of a big file read the same stock [DEFAULT] value: decided once
    const plain = !text.includes('%');
    const value = plain ? text : interpolated(ctx, jail, 'backend'); // (a plain value is its own interpolation: no second lookup)
    if (!value?.trimStart().startsWith('systemd')) {
      if (plain) plainNotSystemd = text;
      continue;
    }
    if (enabledByDms.has(jail)) continue; // asked last: most jails of a big file are not on systemd
    // only now the user's sections of the jail (most jails of a big file are not on systemd)
    const sections = ctx.context.userSectionList(jail);
    if (sections.length === 0) continue;
    const variable = /%\((\w+)\)s/.exec(raw.raw)?.[1];
    ctx.report({
      code: 'systemd-in-dms',
      range: sections[0].nameRange,
      severity: 'warning',
      message:
        (variable
          ? t(
              "Jail '{0}' gets backend = {1} from fail2ban {2}'s stock files, which is systemd (paths-debian.conf): DMS runs no journald, so this jail reads an empty journal and never bans. Add backend = auto to [{0}] (or {3} = auto in [DEFAULT]).",
              jail,
              raw.raw.trim(),
              ctx.options.fail2banVersion,
              variable,
            )
          : t(
              "Jail '{0}' gets backend = {1} from fail2ban {2}'s stock files, which is systemd (paths-debian.conf): DMS runs no journald, so this jail reads an empty journal and never bans. Add backend = auto to [{0}].",
              jail,
              raw.raw.trim(),
              ctx.options.fail2banVersion,
            )),
      fixes: [{ title: t("Add 'backend = auto' to [{0}]", jail), edits: [{ range: { start: sections[0].headerRange.end, end: sections[0].headerRange.end }, newText: `${lineBreakOf(ctx.doc.text)}backend = auto` }] }],
    });
  }
}

function checkBackends(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  checkInheritedSystemd(ctx);
  for (const site of userOptions(ctx, ['backend'])) {
    // read for every jail, but only enabled jails get a backend in the server
    const enabled = jailsUsing(ctx, site, true);
    const verdict: ReadVerdict = enabled.length
      ? { read: true, jails: enabled, note: '' }
      : {
          read: false,
          jails: [],
          note:
            site.section.name === 'DEFAULT'
              ? t(' (no enabled jail uses this [DEFAULT] value yet)')
              : t(" (fail2ban sets up the backend only while jail '{0}' is enabled)", site.section.name),
        };
    const problems = new JailProblems();
    for (const { checked, jails } of jailValues(ctx, site, enabled)) checkBackendValue(ctx, site, checked, jails, problems);
    problems.report(ctx, verdict);
  }
}

function checkBackendValue(ctx: RuleContext, site: OptionSite, checked: CheckedValue, valueJails: readonly string[], problems: JailProblems): void {
  const version = ctx.options.fail2banVersion;
  const stops = (jails: string[]) => (jails.length ? t('fail2ban stops at start-up ({0})', jailList(jails)) : t('fail2ban stops at start-up'));
  const result = parseBackend(checked.text, { backends: backendsFor(version), conditionalParams: fail2banFacts(version).conditionalParams });
  if (!result.ok) {
    const range = checkedRange(site, checked, result.start, Math.max(result.end, result.start + 1));
    const name = checked.text.slice(result.start, result.end).trim().toLowerCase();
    if (!result.message.startsWith('Unknown backend')) {
      problems.add(`syntax|${rangeKey(range)}`, valueJails, (all) => ({
        code: 'invalid-value',
        range: wholeValueRange(site.option),
        severity: 'error',
        message: t("{0}: backend '{1}' cannot be parsed ({2}).", stops(all), oneLine(checked.text), result.message),
      }));
      return;
    }
    const elsewhere = backendVersions(name);
    if (elsewhere.length > 0) {
      problems.add(`version|${rangeKey(range)}`, valueJails, (all) => ({
        code: 'version-feature',
        range,
        severity: 'error',
        message: t("{0}: '{1}' — the {2} backend exists only in fail2ban {3}. Use auto, pyinotify or polling.", stops(all), result.message, name, elsewhere.join(', ')),
        fixes: checked.precise ? replacementFixes(range, ['auto']) : undefined,
      }));
      return;
    }
    const similar = suggest(name, backendsFor(version).map((b) => b.name));
    problems.add(`unknown|${rangeKey(range)}`, valueJails, (all) => ({
      code: 'invalid-value',
      range,
      severity: 'error',
      message: `${stops(all)}: '${result.message}'.` + didYouMean(similar),
      fixes: checked.precise ? replacementFixes(range, similar) : undefined,
    }));
    return;
  }
  const valueRangeAll = wholeValueRange(site.option);
  for (const param of result.unknownParams) {
    const range = checkedRange(site, checked, param.keyStart, param.keyEnd);
    const allowed = backendsFor(version).find((b) => b.name === result.backend)?.params.map((p) => p.name) ?? [];
    problems.add(`param|${rangeKey(range)}|${param.key}`, valueJails, (all) => ({
      code: 'invalid-value',
      range,
      severity: 'error',
      message:
        // Python's own error text stays as fail2ban prints it
        t('{0}: {1}. ', stops(all), `TypeError("${BACKEND_CLASSES[result.backend] ?? 'Filter'}.__init__() got an unexpected keyword argument '${param.key}'")`) +
        (allowed.length ? t('The {0} backend accepts {1}.', result.backend, allowed.join(', ')) : t('The {0} backend takes no parameters.', result.backend)) +
        didYouMean(suggest(param.key, allowed)),
    }));
  }
  const flags = [...result.params].reverse().find((p) => p.key === 'journalflags');
  if (result.backend === 'systemd' && flags && !pyInt(flags.value).ok) {
    const range = checkedRange(site, checked, flags.valueStart, Math.max(flags.valueEnd, flags.valueStart + 1));
    problems.add(`flags|${rangeKey(range)}`, valueJails, (all) => ({
      code: 'invalid-value',
      range,
      severity: 'error',
      message: t("{0}: journalflags must be an integer (int('{1}') fails).", stops(all), flags.value),
    }));
  }
  const written = checked.text.trimStart();
  if (/^(systemd|auto)/i.test(written) && !/^(systemd|auto)/.test(written)) {
    problems.add(`case|${rangeKey(valueRangeAll)}`, valueJails, () => ({
      code: 'invalid-value',
      range: valueRangeAll,
      severity: 'warning',
      message:
        t(
          "Write the backend in lower case: the server accepts '{0}', but fail2ban's client checks for 'systemd'/'auto' case-sensitively (e.g. it still requires log files for a jail on Systemd).",
          written,
        ),
      fixes: checked.precise ? replacementFixes(valueRangeAll, [checked.text.replace(/^(\s*)(systemd|auto)/i, (_m, s: string, n: string) => s + n.toLowerCase())]) : undefined,
    }));
  }
  if (result.backend === 'systemd' && ctx.options.kind === 'dms-jail') {
    problems.add(`dms|${rangeKey(valueRangeAll)}`, valueJails, (all) => ({
      code: 'systemd-in-dms',
      range: valueRangeAll,
      severity: 'warning',
      message:
        t(
          'DMS runs no journald: {0} on the systemd backend reads an empty journal and never bans. Use backend = auto with a logpath under /var/log/mail/.',
          all.length ? jailList(all) : t('a jail'),
        ),
    }));
  }
}

const BACKEND_CODES: CodeTable = {

  'systemd-in-dms': SHARED_CODES['systemd-in-dms'],
  'invalid-value': SHARED_CODES['invalid-value'],
  'version-feature': SHARED_CODES['version-feature'],
};

export const rules: Rule[] = [
  {
    name: 'backend',
    codes: BACKEND_CODES,
    check(ctx) {
      checkBackends(ctx);
    },
  },
];
