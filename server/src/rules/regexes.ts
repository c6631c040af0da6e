// Jail-level failregex / ignoreregex / prefregex (fail2ban 1.1.0 server/failregex.py Regex, server/filter.py addFailRegex).
// The server expands fail2ban's tags and compiles each line; a compile error or a failregex without a
// failure-id group stops fail2ban (F-server). A jail-level value REPLACES the filter's list (observed with 1.1.0).
import { fail2banFacts } from '../knowledge/releases';
import { filterInfo, type FilterInfo } from '../knowledge/filters';
import { lineBreakOf } from '../parser/text';
import type { Range, Severity } from '../types';
import { checkFailRegex, KNOWN_REGEX_TAGS, splitRegexLines, type RegexLine } from '../values/failregex';
import { readUseDns } from '../values/misc';
import { parseNameParams } from '../values/nameParams';
import type { CodeTable, Rule, RuleContext } from './rule';
import {
  interpolated,
  isDmsKind,
  isJailKind,
  isJailSectionName,
  jailList,
  JailProblems,
  jailValues,
  lookupRaw,
  rangeKey,
  readVerdict,
  reportValue,
  userOptions,
  valueRange,
  wholeValueRange,
  type OptionSite,
} from './ruleKit';
import { didYouMean, suggest } from './suggest';
import { t } from '../l10n';

/** Which check each regex option gets. source: fail2ban 1.1.0 server/filter.py (addFailRegex, addIgnoreRegex, prefRegex). */
const REGEX_KINDS: Readonly<Record<string, 'fail' | 'ignore' | 'pref'>> = { failregex: 'fail', ignoreregex: 'ignore', prefregex: 'pref' };

/** A line that only pulls in the filter's own list: `%(known/failregex)s`. */
const KNOWN_LINE = /^%\(known\/[\w.-]+\)s$/;

interface LineToCheck {
  text: string;
  /** The raw line to blame; its range is only computed for a line that has a problem (see lineRange). */
  raw: RegexLine;
  /** Offsets in `text` map to the document (the raw line had no `%`). */
  precise: boolean;
}

function lineRange(site: OptionSite, line: LineToCheck): Range {
  return valueRange(site.option, line.raw.start, line.raw.end);
}

/** What fail2ban compiles for each line, paired with the raw line to blame (see jailValues). */
function linesToCheck(site: OptionSite, text: string, precise: boolean): LineToCheck[] {
  const raw = site.option.value;
  const rawLines = splitRegexLines(raw);
  if (precise) return rawLines.map((line) => ({ text: line.text, raw: line, precise: true }));
  const seen = splitRegexLines(text);
  const out: LineToCheck[] = [];
  rawLines.forEach((line, index) => {
    if (KNOWN_LINE.test(line.text)) return; // the filter's own regexes
    if (!line.text.includes('%')) out.push({ text: line.text, raw: line, precise: true });
    // a substituted line is only attributable when no substitution added or removed lines
    else if (seen.length === rawLines.length) out.push({ text: seen[index].text, raw: line, precise: false });
  });
  return out;
}

interface JailFilter {
  info?: FilterInfo;
  name?: string;
  /** The failure-id group may come from the prefregex (jail-level or the filter's). undefined: unknown filter. */
  prefHasFailureId?: boolean;
}

function jailFilter(ctx: RuleContext, jail: string): JailFilter {
  const version = ctx.options.fail2banVersion;
  const jailPref = lookupRaw(ctx, jail, 'prefregex') ? interpolated(ctx, jail, 'prefregex') : undefined;
  const prefFromJail = jailPref !== undefined && jailPref.trim() !== '' ? checkFailRegex(jailPref, { kind: 'pref' }).hasFailureId : undefined;
  const filterValue = interpolated(ctx, jail, 'filter');
  const parsed = filterValue === undefined ? undefined : parseNameParams(filterValue, { conditionalParams: fail2banFacts(version).conditionalParams });
  const name = parsed?.ok ? parsed.name : undefined;
  const info = name ? filterInfo(name, version, isDmsKind(ctx.options.kind)) : undefined;
  return { info, name, prefHasFailureId: prefFromJail === true ? true : info ? info.prefregexHasFailureId : prefFromJail };
}

function literalTagHint(tags: readonly { tag: string }[]): string {
  const names = tags.map((found) => found.tag.replace(/^<\/?|\/?>$/g, ''));
  const similar = names.flatMap((n) => suggest(n, KNOWN_REGEX_TAGS, { limit: 1 }));
  if (names.length === 0) return '';
  const list = tags.map((found) => `'${found.tag}'`).join(', ');
  return (
    (names.length > 1 ? t(' Unknown tags {0} stay literal text (tags are case-sensitive).', list) : t(' Unknown tag {0} stays literal text (tags are case-sensitive).', list)) +
    didYouMean(similar.map((s) => `<${s}>`))
  );
}

function checkRegexes(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  for (const site of userOptions(ctx, Object.keys(REGEX_KINDS))) {
    const kind = REGEX_KINDS[site.option.name];
    const verdict = readVerdict(ctx, site);
    const problems = new JailProblems();
    // without an enabled user, a disabled jail section still tells which filter it would use
    const ownJail = isJailSectionName(site.section.name) ? site.section.name : undefined;
    for (const { checked, jails } of jailValues(ctx, site, verdict.jails)) {
      const filterJails = jails.length ? jails : ownJail ? [ownJail] : [];
      const filters = filterJails.map((jail) => ({ jail, filter: jailFilter(ctx, jail), useDns: readUseDns(interpolated(ctx, jail, 'usedns') ?? 'warn').value }));
      const targets = filters.length ? filters : [{ jail: undefined, filter: {} as JailFilter, useDns: 'warn' }];
      for (const line of linesToCheck(site, checked.text, checked.precise)) {
        for (const target of targets) {
          const useDns = target.useDns;
          const result = checkFailRegex(line.text, { kind, useDns, prefRegexHasFailureId: target.filter.prefHasFailureId === true });
          if (result.ok) continue;
          const appliesTo = target.jail && jails.length ? [target.jail] : [];
          if (result.reError !== undefined) {
            const range =
              line.precise && result.start !== undefined
                ? valueRange(site.option, line.raw.start + result.start, line.raw.start + Math.max(result.end ?? result.start + 1, result.start + 1))
                : lineRange(site, line);
            problems.add(`invalid-regex|${rangeKey(range)}`, appliesTo, (all) => ({
              code: 'invalid-regex',
              range,
              severity: 'error',
              message:
                t(
                  "{0}: Python cannot compile this {1} ('{2}'; fail2ban logs 'Unable to compile regular expression …').",
                  all.length ? t('fail2ban stops at start-up ({0})', jailList(all)) : t('fail2ban stops at start-up'),
                  site.option.name,
                  String(result.reError),
                ),
            }));
            continue;
          }
          if (kind !== 'fail') continue;
          // no failure-id group; with a filter we do not know, its prefregex may provide one
          const unknownFilter = target.jail !== undefined && target.filter.prefHasFailureId === undefined;
          const severity: Severity = unknownFilter ? 'warning' : 'error';
          const range = lineRange(site, line);
          problems.add(`missing-host-group|${rangeKey(range)}|${severity}`, appliesTo, (all) => ({
            code: 'missing-host-group',
            range,
            severity,
            message:
              t(
                "{0}: 'No failure-id group in '{1}''. Add <HOST> (or <ADDR>, <IP4>, <IP6>, <DNS>, <SUBNET>, <F-ID>…</F-ID>).",
                unknownFilter
                  ? t("This failregex has no failure-id group; unless the prefregex of filter '{0}' has one, fail2ban stops", target.filter.name ?? '?')
                  : all.length
                    ? t('fail2ban stops at start-up ({0})', jailList(all))
                    : t('fail2ban stops at start-up'),
                line.text,
              ) + literalTagHint(result.literalTags),
          }));
        }
      }
    }
    problems.report(ctx, verdict);
  }
}

/** Jails (enabled ones reading this value, else the section's own jail) whose stock filter has regexes of its own. */
function replacedFilters(ctx: RuleContext, site: OptionSite, jails: readonly string[]): { jail: string; filter: FilterInfo }[] {
  const candidates = jails.length ? jails : isJailSectionName(site.section.name) ? [site.section.name] : [];
  const out: { jail: string; filter: FilterInfo }[] = [];
  for (const jail of candidates) {
    const { info } = jailFilter(ctx, jail);
    if (info && info.hasFailregex && info.name !== 'custom') out.push({ jail, filter: info });
  }
  return out;
}

function checkReplacedLists(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  for (const site of userOptions(ctx, ['failregex'])) {
    const verdict = readVerdict(ctx, site);
    const affected = replacedFilters(ctx, site, verdict.jails);
    if (affected.length === 0) continue;
    const names = [...new Set(affected.map((a) => a.filter.name))];
    const filters = names.length === 1 ? t("filter '{0}'", names[0]) : t('filters {0}', names.map((n) => `'${n}'`).join(', '));
    const jails = affected.map((a) => a.jail);
    if (site.option.value.trim() === '') {
      reportValue(ctx, verdict, {
        code: 'empty-failregex',
        range: wholeValueRange(site.option),
        severity: 'warning',
        message:
          jails.length > 1
            ? t("An empty failregex removes every regex of {0}: {1} then silently never match anything. Delete this line to keep the filter's regexes.", filters, jailList(jails))
            : t("An empty failregex removes every regex of {0}: {1} then silently never matches anything. Delete this line to keep the filter's regexes.", filters, jailList(jails)),
      });
      continue;
    }
    if (/%\(known\/failregex\)s/.test(site.option.value)) continue;
    const at = site.option.valueRange.start;
    reportValue(ctx, verdict, {
      code: 'failregex-replaces',
      range: wholeValueRange(site.option),
      severity: 'information',
      message:
        t('This failregex replaces the regexes of {0} for {1} (it does not add to them). To keep them, start the value with %(known/failregex)s.', filters, jailList(jails)),
      fixes: [
        {
          title: t("Keep the filter's regexes (%(known/failregex)s)"),
          edits: [{ range: { start: at, end: at }, newText: `%(known/failregex)s${lineBreakOf(ctx.doc.text)}${' '.repeat(Math.max(at.character, 1))}` }],
        },
      ],
    });
  }
}

const REGEX_CODES: CodeTable = {
  'invalid-regex': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'A failregex/ignoreregex/prefregex Python cannot compile.',
    docs:
      'fail2ban expands its tags (`<HOST>`, `<ADDR>`, `<F-ID>`…) and compiles each line with Python `re`. A compile error ' +
      "(`^(unclosed <HOST>` → `missing ), unterminated subpattern at position 1`) is logged as `Unable to compile regular expression …` " +
      'and the server stops. `fail2ban-client -t` does not compile regexes.',
  },
  'missing-host-group': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'A failregex without <HOST> or another failure-id group.',
    docs:
      'Each `failregex` line must say whom to ban: `<HOST>`, `<ADDR>`, `<IP4>`, `<IP6>`, `<DNS>`, `<SUBNET>`, `<F-ID>…</F-ID>` or ' +
      "`<F-MLFID>` — unless the filter's `prefregex` has one. Otherwise fail2ban stops with `No failure-id group in '…'`. " +
      'Tags are case-sensitive: `<host>` is literal text.',
  },
  'empty-failregex': {
    defaultSeverity: 'warning',
    outcome: 'silently-ignored',
    description: 'failregex = (empty) silently removes all of the filter\'s regexes.',
    docs:
      'A jail-level `failregex` replaces the filter\'s list, so `failregex =` leaves the jail with no regex: it runs but never bans. ' +
      '(A `[DEFAULT] failregex` even applies to every jail.)',
  },
  'failregex-replaces': {
    defaultSeverity: 'information',
    outcome: 'style',
    description: "A jail-level failregex replaces the filter's regexes instead of adding to them.",
    docs:
      'fail2ban 1.1.0 uses a jail\'s `failregex` **instead of** the filter\'s (the man page says "added", the code replaces). To add ' +
      'regexes keep the filter\'s list first:\n\n```ini\n[postfix]\nfailregex = %(known/failregex)s\n            ^my extra rule <HOST>$\n```',
  },
};

export const rules: Rule[] = [
  {
    name: 'regexes',
    codes: REGEX_CODES,
    check(ctx) {
      checkRegexes(ctx);
      checkReplacedLists(ctx);
    },
  },
];
