// `filter = name[params]` and the jail `mode` (fail2ban 1.1.0 client/jailreader.py, client/filterreader.py, helpers.py extractOptions).
// Syntax errors and missing filter files drop the jail (J-client); self-referencing tags stop fail2ban
// (F-client); an unknown mode leaves '<mdre-x>' as a regex without a host group (F-server).
import { fail2banFacts } from '../knowledge/releases';
import { filterInfo, filterModes, filterNames } from '../knowledge/filters';
import { FAIL2BAN_VERSIONS, type Fail2banVersion, type Range, type Severity } from '../types';
import { parseNameParams, type NameParam } from '../values/nameParams';
import { containerNames } from '../context/container';
import type { CodeTable, Rule, RuleContext } from './rule';
import { SHARED_CODES } from './sharedCodes';
import {
  checkedRange,
  customJailNote,
  interpolated,
  isDmsKind,
  isEnabled,
  isJailKind,
  containerLacks,
  isProvided,
  jailList,
  JailProblems,
  jailsUsing,
  jailValues,
  lookupRaw,
  memoizePerOptions,
  memoizeTextPerVersion,
  oneValue,
  PER_JAIL,
  ProblemProbe,
  rangeKey,
  readVerdict,
  reportValue,
  userOptions,
  valueRange,
  wholeValueRange,
  type CheckedValue,
  type OptionSite,
  type ValueProblem,
} from './ruleKit';
import { didYouMean, isLikelyTypo, replacementFixes, suggest } from './suggest';
import { t } from '../l10n';

const parseNameParamsOnce = memoizeTextPerVersion((text, version) => parseNameParams(text, { conditionalParams: fail2banFacts(version).conditionalParams }));

/** Filters whose mode tags sit inside a regex: a bad mode silently breaks them instead of stopping fail2ban. source: fail2ban 1.1.0 config/filter.d (the mode tags inside their failregex) */
const SILENT_MODE_FILTERS: ReadonlySet<string> = new Set(['apache-auth', 'traefik-auth']);

/** A param whose value refers to itself through `<tag>`s (directly or in a cycle), as fail2ban's substituteRecursiveTags finds. */
export function selfReferencingParam(params: readonly NameParam[]): NameParam | undefined {
  // params come from memoized parses (one array per distinct text): a big file asks for the same ones per jail
  const known = selfReferenceByParams.get(params);
  if (known !== undefined) return known ?? undefined;
  const found = findSelfReference(params);
  selfReferenceByParams.set(params, found ?? null);
  return found;
}

const selfReferenceByParams = new WeakMap<readonly NameParam[], NameParam | null>();

function findSelfReference(params: readonly NameParam[]): NameParam | undefined {
  let tagged = false;
  for (const param of params) tagged ||= param.value.includes('<');
  if (!tagged) return undefined; // no <tag> at all: nothing can refer to itself
  const byKey = new Map(params.map((p) => [p.key.toLowerCase(), p]));
  const refs = (p: NameParam) => [...p.value.matchAll(/<([^<>]+)>/g)].map((m) => m[1].toLowerCase()).filter((k) => byKey.has(k));
  for (const start of params) {
    const seen = new Set<string>();
    const stack = [start.key.toLowerCase()];
    while (stack.length > 0) {
      const key = stack.pop() as string;
      for (const next of refs(byKey.get(key) as NameParam)) {
        if (next === start.key.toLowerCase()) return start;
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
  }
  return undefined;
}

function otherVersionsWithFilter(name: string, version: Fail2banVersion): Fail2banVersion[] {
  return FAIL2BAN_VERSIONS.filter((v) => v !== version && filterInfo(name, v) !== undefined);
}

function checkFilterValues(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  const sites = userOptions(ctx, ['filter']);
  for (let i = 0; i < sites.length; i++) {
    const site = sites[i];
    // most values are fine: decided on the one text, without asking which jails read it
    const checked = oneValue(ctx, site);
    if (checked !== PER_JAIL && (checked === undefined || !(checked.precise ? filterHasProblem : interpolatedFilterHasProblem)(ctx, checked.text, site))) continue;
    const verdict = readVerdict(ctx, site);
    const enabled = site.section.name === 'DEFAULT' ? verdict.jails : jailsUsing(ctx, site, true);
    // the filter file is only opened for enabled jails: a problem elsewhere is a warning
    const jailVerdict = enabled.length > 0 ? { read: true, jails: enabled, note: '' } : { ...verdict, read: false, note: notReadNote(site) };
    // a [DEFAULT] `%(__name__)s` value names a different filter in each jail: check each
    const problems = new JailProblems();
    for (const { checked, jails } of jailValues(ctx, site, enabled)) {
      checkFilterValue(ctx, site, checked, jails.length ? jails : [site.section.name], enabled.length > 0, problems);
    }
    problems.report(ctx, jailVerdict);
  }
}

/**
 * Does checkFilterValue find anything in this text? Per text and check: the jails it is given and whether they read
 * the value only go into messages, and `site` only into ranges.
 */
function filterProblemIn(ctx: RuleContext, checked: CheckedValue, site: OptionSite): boolean {
  const probe = ProblemProbe.for(ctx);
  checkFilterValue(probe.ctx, site, checked, [site.section.name], true, probe.problems);
  return probe.found();
}

const filterHasProblem = memoizePerOptions((ctx, text, site: OptionSite) => filterProblemIn(ctx, { text, precise: true }, site));
const interpolatedFilterHasProblem = memoizePerOptions((ctx, text, site: OptionSite) => filterProblemIn(ctx, { text, precise: false }, site));

function checkFilterValue(
  ctx: RuleContext,
  site: OptionSite,
  checked: CheckedValue,
  valueJails: readonly string[],
  read: boolean,
  problems: JailProblems,
): void {
  const version = ctx.options.fail2banVersion;
  const dms = isDmsKind(ctx.options.kind);
  const skips = read ? SKIPS_READ : SKIPS_NOT_ENABLED;
  if (checked.text.trim() === '') {
    const range = wholeValueRange(site.option);
    addFilterProblem(problems, valueJails, 'unknown-filter', range, '', (jails) => ({
      code: 'unknown-filter',
      range,
      severity: 'warning',
      message: t("No filter set: fail2ban warns 'No filter set for jail {0}' and the jail never matches anything.", String(jails[0])),
    }));
    return;
  }
  const parsed = parseNameParamsOnce(checked.text, version);
  if (!parsed.ok) {
    const range = checkedRange(site, checked, parsed.start, parsed.end);
    addFilterProblem(problems, valueJails, 'invalid-definition', range, parsed.message, (jails) => ({
      code: 'invalid-definition',
      range,
      severity: 'error',
      message: t("{0}: Invalid filter definition '{1}': {2}.", skips(jails), checked.text, parsed.message),
    }));
    return;
  }
  if (parsed.nameHasTrailingSpace) {
    const trimmed = parsed.name.trimEnd();
    const range = checkedRange(site, checked, parsed.nameStart, parsed.nameEnd);
    addFilterProblem(problems, valueJails, 'unknown-filter', range, parsed.name, () => ({
      code: 'unknown-filter',
      range,
      severity: 'error',
      message:
        t(
          "The space before '[' belongs to the filter name: fail2ban looks for filter.d/{0}.conf and skips the jail ('Unable to read the filter '{0}''). Write '{1}[…]'.",
          parsed.name,
          trimmed,
        ),
      fixes: checked.precise
        ? [{ title: t('Remove the space before ['), edits: [{ range: valueRange(site.option, trimmed.length + parsed.nameStart, parsed.nameEnd), newText: '' }], preferred: true }]
        : undefined,
    }));
    return;
  }
  const lackingIn = containerLacks(ctx, 'filter', parsed.name);
  if (lackingIn && !isProvided(ctx, 'filter', parsed.name)) {
    // the live container is the ground truth: what the modelled release ships does not matter here
    const nameRange = checkedRange(site, checked, parsed.nameStart, parsed.nameEnd);
    const similar = suggest(parsed.name, [...containerNames(ctx.options.container!, 'filter')]);
    addFilterProblem(problems, valueJails, 'unknown-filter', nameRange, parsed.name, (jails) => ({
      code: 'unknown-filter',
      range: nameRange,
      severity: 'error',
      message:
        t("{0}: 'Unable to read the filter '{1}'' — the container {2} has no filter.d/{1}.conf or .local.", skips(jails), parsed.name, lackingIn) +
        customJailNote(jails, dms) +
        didYouMean(similar),
      fixes: checked.precise ? replacementFixes(nameRange, similar) : undefined,
    }));
    return;
  }
  const info = filterInfo(parsed.name, version, dms);
  if (!info && isProvided(ctx, 'filter', parsed.name)) return; // the container has it, or the workspace mounts filter.d/<name>.conf|.local
  if (!info) {
    const nameRange = checkedRange(site, checked, parsed.nameStart, parsed.nameEnd);
    const elsewhere = otherVersionsWithFilter(parsed.name, version);
    const similar = suggest(parsed.name, filterNames(version, dms));
    // a name close to a stock filter is a typo; anything else may be the user's own filter.d file
    const own = elsewhere.length === 0 && !similar.some((c) => isLikelyTypo(parsed.name, c));
    const code = elsewhere.length > 0 ? 'version-feature' : 'unknown-filter';
    addFilterProblem(problems, valueJails, code, nameRange, parsed.name, (jails) => ({
      code,
      range: nameRange,
      // in DMS a filter neither fail2ban nor DMS ships is missing for sure unless the workspace mounts it (then we
      // never get here); a plain install may have its own filter.d copy
      severity: dms ? 'error' : own ? (similar.length > 0 ? 'warning' : 'information') : elsewhere.length > 0 ? 'warning' : 'error',
      message: own
        ? dms
          ? t(
              "{0}: 'Unable to read the filter '{1}'' — neither fail2ban {2} nor DMS ships filter.d/{1}.conf. Mount your file into /etc/fail2ban/filter.d/ in compose.yaml (or name its folder in dmsFail2ban.extraConfigDirs).",
              skips(jails),
              parsed.name,
              version,
            ) +
            customJailNote(jails, dms) +
            didYouMean(similar)
          : t(
              "'{0}' is not a stock filter of fail2ban {1}: unless you provide filter.d/{0}.conf yourself, {2} ('Unable to read the filter '{0}'').",
              parsed.name,
              version,
              skips(jails),
            )
        : elsewhere.length > 0
          ? t("{0}: 'Unable to read the filter '{1}'' — filter.d/{1}.conf comes with fail2ban {2}, not {3}.", skips(jails), parsed.name, elsewhere.join(', '), version) +
            didYouMean(similar)
          : similar.length > 0
            ? t("There is no filter '{0}': did you mean {1}? Without it, {2}.", parsed.name, similar.map((c) => `'${c}'`).join(t(' or ')), skips(jails))
            : t("There is no filter '{0}' (no filter.d/{0}.conf). Without it, {1}.", parsed.name, skips(jails)),
      details: `fail2ban: Unable to read the filter '${parsed.name}'`,
      fixes: checked.precise ? replacementFixes(nameRange, similar) : undefined,
    }));
    return;
  }
  if (!info.hasFailregex && info.name !== 'custom') {
    const range = checkedRange(site, checked, parsed.nameStart, parsed.nameEnd);
    addFilterProblem(problems, valueJails, 'unknown-filter', range, info.name, () => ({
      code: 'unknown-filter',
      range,
      severity: 'warning',
      message: t("'{0}' is an include-only helper without failregex: a jail using it never matches anything.", info.name),
    }));
  }
  const selfRef = selfReferencingParam(parsed.params);
  if (selfRef) {
    const range = checkedRange(site, checked, selfRef.valueStart, selfRef.valueEnd);
    addFilterProblem(problems, valueJails, 'self-referencing-tag', range, selfRef.key, () => ({
      code: 'self-referencing-tag',
      range,
      severity: 'error',
      message:
        t(
          "fail2ban stops at start-up: '{0}={1}' refers to itself ('properties contain self referencing definitions and cannot be resolved, fail tag: {0}'). Pass the value itself, e.g. %({0})s.",
          selfRef.key,
          selfRef.value,
        ),
    }));
    return;
  }
  let modeParam: NameParam | undefined; // the last one wins
  for (let i = parsed.params.length - 1; i >= 0 && !modeParam; i--) if (parsed.params[i].key.toLowerCase() === 'mode') modeParam = parsed.params[i];
  // a mode passed through %(mode)s is checked at the `mode` option; here only literal modes
  if (modeParam && checked.precise) {
    const verdict = read ? { read: true, jails: valueJails, note: '' } : { read: false, jails: [], note: notReadNote(site) };
    checkModeValue(ctx, verdict, info.name, modeParam.value, checkedRange(site, checked, modeParam.valueStart, modeParam.valueEnd), read ? valueJails : []);
  }
}

/** "fail2ban skips jail 'x'" for messages (module-level: no closure per checked value). */
const SKIPS_READ = (jails: readonly string[]): string => t('fail2ban skips {0}', jailList(jails));
const SKIPS_NOT_ENABLED = (jails: readonly string[]): string => t('once enabled, fail2ban skips {0}', jailList(jails));

/** One problem of a filter value, keyed by code, range and `detail`. */
function addFilterProblem(problems: JailProblems, valueJails: readonly string[], code: string, range: Range, detail: string, build: (jails: string[]) => ValueProblem): void {
  problems.add(`${code}|${rangeKey(range)}|${detail}`, valueJails, build);
}

function notReadNote(site: OptionSite): string {
  return site.section.name === 'DEFAULT'
    ? t(' (no enabled jail uses this [DEFAULT] value yet)')
    : t(" (fail2ban opens the filter only while jail '{0}' is enabled)", site.section.name);
}

function checkModeValue(
  ctx: RuleContext,
  verdict: { read: boolean; jails: readonly string[]; note: string },
  filter: string,
  mode: string,
  range: Range,
  jails: readonly string[],
): boolean {
  const version = ctx.options.fail2banVersion;
  const modes = filterModes(filter, version);
  if (!modes) {
    reportValue(ctx, verdict, {
      code: 'mode-ignored',
      range,
      severity: 'warning',
      message: t("Filter '{0}' has no modes: fail2ban ignores mode '{1}'.", filter, mode),
    });
    return true;
  }
  if (modes.includes(mode.toLowerCase())) return false;
  // a prefregex with a failure-id lets a failregex line without one load (e.g. dovecot in fail2ban 1.1.1): the literal
  // <mdre-…> line then never matches instead of stopping fail2ban (checked against real 1.1.1)
  const silent = SILENT_MODE_FILTERS.has(filter) || filterInfo(filter, version)?.prefregexHasFailureId === true;
  const similar = suggest(mode, modes);
  const severity: Severity = silent ? 'warning' : 'error';
  reportValue(ctx, verdict, {
    code: 'invalid-mode',
    range,
    severity,
    message:
      (similar.length > 0
        ? t("'{0}' is not a mode of filter '{1}': did you mean {2}? ", mode, filter, similar.map((m) => `'${m}'`).join(t(' or ')))
        : t("'{0}' is not a mode of filter '{1}': use one of {2}. ", mode, filter, modes.join(', '))) +
      (silent
        ? SILENT_MODE_FILTERS.has(filter)
          ? t('fail2ban leaves a literal <…-{0}> tag in its regex and the filter silently stops matching.', mode)
          : t("fail2ban {0} loads a literal '<mdre-{1}>' line that never matches, so only the filter's base rules apply.", version, mode)
        : jails.length
          ? t('fail2ban stops at start-up ({0}).', jailList(jails))
          : t('fail2ban stops at start-up.')) +
      (similar.length > 0 ? t(' Modes: {0}.', modes.join(', ')) : ''),
    ...(silent ? {} : { details: `fail2ban: No failure-id group in '<mdre-${mode}>'` }),
    fixes: replacementFixes(range, similar),
  });
  return true;
}

/** Jail-level `mode` (an interpolation variable the stock filter value passes on as `[mode=%(mode)s]`). */
function checkModeOptions(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  for (const site of userOptions(ctx, ['mode'])) {
    const jails = site.section.name === 'DEFAULT' ? jailsUsing(ctx, site, true) : [site.section.name];
    const verdict = readVerdict(ctx, site);
    for (const jail of jails) {
      const rawFilter = lookupRaw(ctx, jail, 'filter');
      const filterValue = interpolated(ctx, jail, 'filter');
      const mode = interpolated(ctx, jail, 'mode');
      if (!rawFilter || filterValue === undefined || mode === undefined) continue;
      const parsed = parseNameParamsOnce(filterValue, ctx.options.fail2banVersion);
      if (!parsed.ok) continue; // the filter rule reports it
      const enabled = isEnabled(ctx, jail);
      const jailVerdict = enabled ? { read: true, jails: [jail], note: '' } : { read: false, jails: [], note: verdict.note };
      const range = wholeValueRange(site.option);
      if (!/%\(mode\)s/i.test(rawFilter.raw)) {
        reportValue(ctx, jailVerdict, {
          code: 'mode-ignored',
          range,
          severity: 'warning',
          message:
            t("Jail '{0}' uses 'filter = {1}', which does not pass %(mode)s on: this mode is ignored.", jail, filterValue) +
            (parsed.options.get('mode') !== undefined || parsed.params.some((p) => p.key === 'mode')
              ? t(" Change the filter's own mode instead (e.g. filter = {0}[mode={1}]).", parsed.name, mode)
              : ''),
        });
        break;
      }
      const info = filterInfo(parsed.name, ctx.options.fail2banVersion, isDmsKind(ctx.options.kind));
      if (!info) continue; // unknown filter: reported elsewhere
      if (checkModeValue(ctx, jailVerdict, info.name, mode, range, enabled ? [jail] : [])) break;
    }
  }
}

const FILTER_CODES: CodeTable = {
  'unknown-filter': {
    defaultSeverity: 'error',
    outcome: 'jail-dropped',
    description: 'A filter name with no filter.d file (or an empty/useless filter).',
    docs:
      '`filter` names a file in `filter.d/` (case-sensitive, no space before `[`). If it does not exist fail2ban logs ' +
      "`Unable to read the filter 'x'` and skips the jail; the other jails run. DMS adds the empty filter `custom`. In a DMS file a " +
      'filter neither fail2ban nor DMS ships is an error unless your workspace provides it: a `compose.yaml`/`docker-compose.yml` ' +
      'next to or above the config folder that mounts it into `/etc/fail2ban/filter.d/` of the mail server, or a folder named in ' +
      '`dmsFail2ban.extraConfigDirs` (CLI: `--extra-config-dir`).',
  },
  'invalid-mode': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'A mode the filter does not have.',
    docs:
      'Modes select groups of regexes of a filter: postfix has `normal, more, rbl, auth, ddos, extra, aggressive, errors`; dovecot ' +
      "`normal, aggressive`; sshd `normal, ddos, extra, aggressive`. An unknown mode leaves `<mdre-x>` as a regex: fail2ban stops with " +
      "`No failure-id group in '<mdre-x>'` (apache-auth/traefik-auth: the filter silently stops matching).",
  },
  'mode-ignored': {
    defaultSeverity: 'warning',
    outcome: 'silently-ignored',
    description: 'A mode that has no effect on the jail.',
    docs:
      '`mode` is passed to the filter only through `filter = %(__name__)s[mode=%(mode)s]`. Jails whose filter hard-codes a mode ' +
      '(`[postfix-sasl]` = `postfix[mode=auth]`, `[postfix-rbl]` = `postfix[mode=rbl]`) and filters without modes ignore it.',
  },
  'invalid-definition': SHARED_CODES['invalid-definition'],
  'self-referencing-tag': SHARED_CODES['self-referencing-tag'],
  'version-feature': SHARED_CODES['version-feature'],
};

export const rules: Rule[] = [
  {
    name: 'filters',
    codes: FILTER_CODES,
    check(ctx) {
      checkFilterValues(ctx);
      checkModeOptions(ctx);
    },
  },
];
