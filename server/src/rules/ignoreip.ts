// `ignoreip` and `ignorecache` (fail2ban 1.1.0 server/ipdns.py, server/filter.py addIgnoreIP, server/server.py).
// Only a non-contiguous netmask (and an ignorecache without `key`) stops fail2ban; every other unreadable
// ignoreip entry silently becomes a host name that fail2ban tries to resolve for each failure.
import { fail2banFacts, fail2banVersionsWith } from '../knowledge/releases';
import { classifyIgnoreIpEntry as classifyEntry, splitIgnoreIp as splitEntries, type IgnoreIpClassification } from '../values/ip';
import { parseIgnoreCache } from '../values/misc';
import type { CodeTable, Rule, RuleContext } from './rule';
import { SHARED_CODES } from './sharedCodes';
import {
  checkedRange,
  isJailKind,
  jailList,
  JailProblems,
  jailValues,
  memoizeTextPerVersion,
  oneValue,
  PER_JAIL,
  rangeKey,
  readVerdict,
  userOptions,
  wholeValueRange,
  type CheckedValue,
  type OptionSite,
} from './ruleKit';
import { t } from '../l10n';

// Big files repeat the same ignoreip values: split and classify each text once (results are only read).
const splitIgnoreIp = memoizeTextPerVersion((text, version) => splitEntries(text, fail2banFacts(version).ignoreIpSeparators));
const classifyIgnoreIpEntry = memoizeTextPerVersion((text, version) => classifyEntry(text, fail2banFacts(version).ignoreIpFiles));

function checkIgnoreIp(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  const version = ctx.options.fail2banVersion;
  const sites = userOptions(ctx, ['ignoreip']);
  for (let i = 0; i < sites.length; i++) {
    const site = sites[i];
    // most values are fine: decided on the one text, without asking which jails read it
    const checked = oneValue(ctx, site);
    if (checked !== PER_JAIL && (checked === undefined || isFineValue(checked.text, version))) continue;
    const verdict = readVerdict(ctx, site);
    const problems = new JailProblems();
    for (const { checked, jails } of jailValues(ctx, site, verdict.jails)) {
      checkIgnoreIpValue(site, checked, jails, version, problems);
    }
    problems.report(ctx, verdict);
  }
}

function checkIgnoreIpValue(
  site: OptionSite,
  checked: CheckedValue,
  valueJails: readonly string[],
  version: RuleContext['options']['fail2banVersion'],
  problems: JailProblems,
): void {
  const facts = fail2banFacts(version);
  const entries = splitIgnoreIp(checked.text, version);
  for (const [index, entry] of entries.entries()) {
    // '#…' and the words after it are reported by inline-hash-comment
    if (entry.text.startsWith('#')) return;
    const info = classifyIgnoreIpEntry(entry.text, version);
    if (isFine(entry.text, info, version)) continue; // most entries: no range, key or message to build
    const range = checkedRange(site, checked, entry.start, entry.end);
    const key = (code: string) => `${code}|${rangeKey(range)}|${entry.text}`;
    const stops = (jails: string[]) => (jails.length ? t('fail2ban stops at start-up ({0})', jailList(jails)) : t('fail2ban stops at start-up'));
    if (info.kind === 'invalid-mask') {
      problems.add(key('invalid-netmask'), valueJails, (jails) => ({
        code: 'invalid-netmask',
        range,
        severity: 'error',
        message: t("{0}: '{1}'. A netmask must be contiguous (e.g. 255.255.0.0 = /16); prefer the /prefix form.", stops(jails), String(info.error)),
      }));
      continue;
    }
    if (entry.text.startsWith('file:')) {
      if (!facts.ignoreIpFiles) {
        problems.add(key('version-feature'), valueJails, () => ({
          code: 'version-feature',
          range,
          severity: 'warning',
          message: t(
            "'file:' entries need fail2ban {0}; {1} silently treats '{2}' as a host name that never resolves, so the addresses in that file are NOT ignored.",
            fail2banVersionsWith((f) => f.ignoreIpFiles).join(', '),
            version,
            entry.text,
          ),
        }));
      } else if (index < entries.length - 1) {
        problems.add(key('invalid-ip'), valueJails, () => ({
          code: 'invalid-ip',
          range,
          severity: 'warning',
          message: t(
            "Put the 'file:' entry last: with further entries after it fail2ban's server raised TypeError(\"expected string or bytes-like object, got 'IPAddr'\") in tests with fail2ban's development version.",
          ),
        }));
      }
      continue;
    }
    const reason = info.kind === 'dns-name' ? (info.mistypedIp ?? whitespaceReason(entry.text, version)) : undefined;
    if (reason) {
      problems.add(key('invalid-ip'), valueJails, () => ({
        code: 'invalid-ip',
        range,
        severity: 'warning',
        message: t(
          "'{0}' is not a valid address: correct or remove it ({1}). fail2ban silently treats it as a host name, tries to resolve it at every failure and ignores nothing for it.",
          entry.text,
          reason,
        ),
      }));
      continue;
    }
    if (info.prefixTooLong) {
      problems.add(key('invalid-netmask'), valueJails, () => ({
        code: 'invalid-netmask',
        range,
        severity: 'warning',
        message: t(
          'Prefix /{0} is longer than an {1} address ({2} bits): fail2ban accepts it without a message but it then matches only that exact address.',
          String(info.prefixLength),
          info.family === 'inet4' ? 'IPv4' : 'IPv6',
          info.family === 'inet4' ? 32 : 128,
        ),
      }));
      continue;
    }
    if (info.matchesEverything) {
      problems.add(key('invalid-netmask'), valueJails, () => ({
        code: 'invalid-netmask',
        range,
        severity: 'warning',
        message: t("'{0}' matches every {1} address: fail2ban will never ban any of them.", entry.text, info.family === 'inet4' ? 'IPv4' : 'IPv6'),
      }));
    }
  }
}

/** Does checkIgnoreIpValue find nothing in this text (the same tests: entries up to a '#…' one)? Per text and version. */
const isFineValue = memoizeTextPerVersion((text, version) => {
  for (const entry of splitIgnoreIp(text, version)) {
    if (entry.text.startsWith('#')) return true;
    if (!isFine(entry.text, classifyIgnoreIpEntry(entry.text, version), version)) return false;
  }
  return true;
});

/** An entry none of the checks below reports (the common case, decided without building anything). */
function isFine(text: string, info: IgnoreIpClassification, version: RuleContext['options']['fail2banVersion']): boolean {
  if (info.kind === 'invalid-mask' || text.startsWith('file:')) return false;
  if (info.kind === 'dns-name' && (info.mistypedIp ?? whitespaceReason(text, version))) return false;
  return !info.prefixTooLong && !info.matchesEverything;
}

/** fail2ban 1.0.2 splits only on space, comma and newline: a tab joins two addresses into one "host name". */
function whitespaceReason(text: string, version: RuleContext['options']['fail2banVersion']): string | undefined {
  if (!/\s/.test(text)) return undefined;
  return fail2banFacts(version).ignoreIpSeparators === 'space-comma-newline'
    ? t('fail2ban {0} does not split entries on tabs; use spaces or commas', version)
    : t('it contains whitespace');
}

function stopsIn(jails: readonly string[]): string {
  return jails.length ? t('fail2ban stops at start-up ({0})', jailList(jails)) : t('fail2ban stops at start-up');
}

function checkIgnoreCache(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  for (const site of userOptions(ctx, ['ignorecache'])) {
    const verdict = readVerdict(ctx, site);
    const problems = new JailProblems();
    for (const { checked, jails } of jailValues(ctx, site, verdict.jails)) {
      const result = parseIgnoreCache(checked.text);
      if (result.ok) continue;
      const missingKey = result.message === "KeyError('key')";
      const range = missingKey ? wholeValueRange(site.option) : checkedRange(site, checked, result.start, Math.max(result.end, result.start + 1));
      problems.add(`${rangeKey(range)}|${result.message}`, jails, (all) => ({
        code: 'invalid-ignorecache',
        range,
        severity: 'error',
        message:
          (missingKey
            ? t('{0}: {1} — ignorecache needs key="<ip>" (the tag expression to cache by), e.g. key="<ip>", max-count=100, max-time=5m.', stopsIn(all), result.message)
            : t('{0}: {1}. Format: key="<ip>", max-count=<int>, max-time=<time>.', stopsIn(all), result.message)),
      }));
    }
    problems.report(ctx, verdict);
  }
}

const IGNOREIP_CODES: CodeTable = {
  'invalid-netmask': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'An ignoreip netmask fail2ban cannot use (or one that makes no sense).',
    docs:
      "`ignoreip = 192.168.0.0/255.0.255.0` stops fail2ban: `invalid mask '255.0.255.0', no plen representation` (a mask must be " +
      'contiguous). `/33`, `/129` are accepted but then match a single address; `0.0.0.0/0` ignores every IPv4 address.\n\n' +
      '```ini\nignoreip = 127.0.0.1/8 ::1 192.168.0.0/16\n```',
  },
  'invalid-ip': {
    defaultSeverity: 'warning',
    outcome: 'silently-ignored',
    description: 'An ignoreip entry that is not a valid address, so fail2ban treats it as a host name.',
    docs:
      'fail2ban accepts anything in `ignoreip`: what is not an address or `address/prefix` silently becomes a DNS name. ' +
      '`300.1.1.1`, `010.0.0.1` (leading zero), `1.2.3`, `1.2.3.4/ 8`, `fe80::1%eth0` therefore ignore nothing. ' +
      '`file:` lists exist only from fail2ban 1.1.1.',
  },
  'invalid-ignorecache': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'An ignorecache value fail2ban cannot parse.',
    docs:
      '`ignorecache` caches `ignorecommand` results: `key="<ip>", max-count=100, max-time=5m`. Without `key` fail2ban stops with ' +
      "`KeyError('key')`; a non-integer `max-count` or a bad `max-time` also stop it. An empty value means no cache.",
  },
  'version-feature': SHARED_CODES['version-feature'],
};

export const rules: Rule[] = [
  {
    name: 'ignoreip',
    codes: IGNOREIP_CODES,
    check(ctx) {
      checkIgnoreIp(ctx);
      checkIgnoreCache(ctx);
    },
  },
];
