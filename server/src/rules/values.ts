// Jail values the server checks (fail2ban 1.1.0 server/filter.py, server/server.py): logencoding (codecs.lookup), logtimezone
// (server/strptime.py validateTimeZone) stop fail2ban when wrong; usedns is only coerced to 'no' with an error log.
// Also home of the generic `invalid-value` code (backend.ts, serverOptions.ts and dms.ts report it too).
import { CODEC_NAMES, checkLogEncoding, parseTimeZone, readUseDns, TIME_ZONE_ABBREVIATIONS, USEDNS_VALUES } from '../values/misc';
import type { Fix, Range, Severity } from '../types';
import type { CodeTable, Rule, RuleContext } from './rule';
import { SHARED_CODES } from './sharedCodes';
import {
  isJailKind,
  jailList,
  JailProblems,
  jailValues,
  oneValue,
  PER_JAIL,
  readVerdict,
  userOptions,
  wholeValueRange,
  type CheckedValue,
  type OptionSite,
} from './ruleKit';
import { checkServerOptions } from './serverOptions';
import { didYouMean, replacementFixes, suggest } from './suggest';
import { t } from '../l10n';

interface ValueFinding {
  severity: Severity;
  /** Message given the enabled jails concerned. */
  message: (jails: string[]) => string;
  candidates?: string[];
}

const stops = (jails: string[]) => (jails.length ? t('fail2ban stops at start-up ({0})', jailList(jails)) : t('fail2ban stops at start-up'));

/** Common spellings of zone names people try, mapped to what fail2ban accepts. */
const ZONE_HINTS: Readonly<Record<string, string>> = { utc: 'UTC', gmt: 'GMT', z: 'Z', cet: 'CET', cest: 'CEST', est: 'EST' };

/** One checker per jail option. source: fail2ban 1.1.0 server/filter.py (setUseDns, setLogEncoding, setLogTimeZone). */
const CHECKS: Readonly<Record<string, (value: string) => ValueFinding | undefined>> = {
  usedns: (value) => {
    const read = readUseDns(value);
    if (read.valid) return undefined;
    return {
      severity: 'warning',
      message: () => t("fail2ban logs '{0}' and resolves no host names for this jail. Valid: {1}.", String(read.message), USEDNS_VALUES.join(', ')),
      candidates: suggest(value, USEDNS_VALUES),
    };
  },
  logencoding: (value) => {
    const result = checkLogEncoding(value);
    if (result.ok) {
      if (result.textEncoding) return undefined;
      return {
        severity: 'warning',
        message: () => t("'{0}' is not a text encoding: fail2ban accepts it, but cannot decode log lines with it. Use auto or utf-8.", value),
      };
    }
    return {
      severity: 'error',
      message: (jails) => t("{0}: LookupError('{1}'). Use auto (the locale's encoding), utf-8 or latin-1.", stops(jails), result.message),
      candidates: suggest(value.toLowerCase(), CODEC_NAMES, { limit: 2 }),
    };
  },
  logtimezone: (value) => {
    const result = parseTimeZone(value);
    if (result.ok) return undefined;
    const hint = ZONE_HINTS[value.toLowerCase()];
    return {
      severity: 'error',
      message: (jails) =>
        t(
          '{0}: {1}. fail2ban accepts only fixed offsets: [ABBR][+-]hh[[:]mm], e.g. UTC, UTC+0200, CET, +0130 (no region names like Europe/Berlin).',
          stops(jails),
          result.pythonError === 'KeyError' ? t('KeyError({0}) — not an abbreviation fail2ban knows', result.message) : `'${result.message}'`,
        ),
      candidates: hint ? [hint] : suggest(value, [...TIME_ZONE_ABBREVIATIONS.keys()], { maxDistance: 1, limit: 2 }),
    };
  },
};

function fixesFor(site: OptionSite, checked: CheckedValue, candidates: string[] | undefined): Fix[] | undefined {
  if (!checked.precise || !candidates?.length) return undefined;
  const range: Range = wholeValueRange(site.option);
  return replacementFixes(range, candidates);
}

function checkJailValues(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  for (const site of userOptions(ctx, Object.keys(CHECKS))) {
    // most values are fine: decided on the one text, without asking which jails read it
    const checked = oneValue(ctx, site);
    if (checked !== PER_JAIL && (checked === undefined || !CHECKS[site.option.name](checked.text))) continue;
    const verdict = readVerdict(ctx, site);
    const problems = new JailProblems();
    for (const { checked, jails } of jailValues(ctx, site, verdict.jails)) {
      const finding = CHECKS[site.option.name](checked.text);
      if (!finding) continue;
      problems.add(`${checked.text}`, jails, (all) => ({
        code: 'invalid-value',
        range: wholeValueRange(site.option),
        severity: finding.severity,
        message: `${site.option.name}: ${finding.message(all)}` + didYouMean(finding.candidates ?? []),
        fixes: fixesFor(site, checked, finding.candidates),
      }));
    }
    problems.report(ctx, verdict);
  }
}

const VALUE_CODES: CodeTable = {

  'invalid-value': SHARED_CODES['invalid-value'],
};

export const rules: Rule[] = [
  {
    name: 'values',
    codes: VALUE_CODES,
    check(ctx) {
      checkJailValues(ctx);
    checkServerOptions(ctx);
    },
  },
];
