// `filter = name[params]` and the jail `mode` (fail2ban-config.md §3.8, §3.9, §4.2, §4.5, §9.2).
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
  memoizeTextPerVersion,
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

const parseNameParamsOnce = memoizeTextPerVersion((text, version) => parseNameParams(text, { conditionalParams: fail2banFacts(version).conditionalParams }));

/** Filters whose mode tags sit inside a regex: a bad mode silently breaks them instead of stopping fail2ban. source: §4.5 */
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
  for (const site of userOptions(ctx, ['filter'])) {
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
  const skips = read ? 'fail2ban skips' : 'once enabled, fail2ban skips';
  if (checked.text.trim() === '') {
    const range = wholeValueRange(site.option);
    addFilterProblem(problems, valueJails, 'unknown-filter', range, '', (jails) => ({
      code: 'unknown-filter',
      range,
      severity: 'warning',
      message: `No filter set: fail2ban warns 'No filter set for jail ${jails[0]}' and the jail never matches anything.`,
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
      message: `${skips} ${jailList(jails)}: Invalid filter definition '${checked.text}': ${parsed.message}.`,
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
        `The space before '[' belongs to the filter name: fail2ban looks for filter.d/${parsed.name}.conf and skips the jail ` +
        `('Unable to read the filter '${parsed.name}''). Write '${trimmed}[…]'.`,
      fixes: checked.precise
        ? [{ title: 'Remove the space before [', edits: [{ range: valueRange(site.option, trimmed.length + parsed.nameStart, parsed.nameEnd), newText: '' }], preferred: true }]
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
        `${skips} ${jailList(jails)}: 'Unable to read the filter '${parsed.name}'' — the container ${lackingIn} has no ` +
        `filter.d/${parsed.name}.conf or .local.` + customJailNote(jails, dms) + didYouMean(similar),
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
          ? `${skips} ${jailList(jails)}: 'Unable to read the filter '${parsed.name}'' — neither fail2ban ${version} nor DMS ships ` +
            `filter.d/${parsed.name}.conf. Mount your file into /etc/fail2ban/filter.d/ in compose.yaml (or name its folder in ` +
            `dmsFail2ban.extraConfigDirs).` + customJailNote(jails, dms) + didYouMean(similar)
          : `'${parsed.name}' is not a stock filter of fail2ban ${version}: unless you provide filter.d/${parsed.name}.conf yourself, ` +
            `${skips} ${jailList(jails)} ('Unable to read the filter '${parsed.name}'').`
        : elsewhere.length > 0
          ? `${skips} ${jailList(jails)}: 'Unable to read the filter '${parsed.name}'' — ` +
            `filter.d/${parsed.name}.conf comes with fail2ban ${elsewhere.join(', ')}, not ${version}.` +
            didYouMean(similar)
          : `There is no filter '${parsed.name}'` +
            (similar.length > 0 ? `: did you mean ${similar.map((c) => `'${c}'`).join(' or ')}? ` : ` (no filter.d/${parsed.name}.conf). `) +
            `Without it, ${skips} ${jailList(jails)}.`,
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
      message: `'${info.name}' is an include-only helper without failregex: a jail using it never matches anything.`,
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
        `fail2ban stops at start-up: '${selfRef.key}=${selfRef.value}' refers to itself ('properties contain self referencing definitions ` +
        `and cannot be resolved, fail tag: ${selfRef.key}'). Pass the value itself, e.g. %(${selfRef.key})s.`,
    }));
    return;
  }
  const modeParam = [...parsed.params].reverse().find((p) => p.key.toLowerCase() === 'mode');
  // a mode passed through %(mode)s is checked at the `mode` option; here only literal modes
  if (modeParam && checked.precise) {
    const verdict = read ? { read: true, jails: valueJails, note: '' } : { read: false, jails: [], note: notReadNote(site) };
    checkModeValue(ctx, verdict, info.name, modeParam.value, checkedRange(site, checked, modeParam.valueStart, modeParam.valueEnd), read ? valueJails : []);
  }
}

/** One problem of a filter value, keyed by code, range and `detail`. */
function addFilterProblem(problems: JailProblems, valueJails: readonly string[], code: string, range: Range, detail: string, build: (jails: string[]) => ValueProblem): void {
  problems.add(`${code}|${rangeKey(range)}|${detail}`, valueJails, build);
}

function notReadNote(site: OptionSite): string {
  return site.section.name === 'DEFAULT'
    ? ' (no enabled jail uses this [DEFAULT] value yet)'
    : ` (fail2ban opens the filter only while jail '${site.section.name}' is enabled)`;
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
      message: `Filter '${filter}' has no modes: fail2ban ignores mode '${mode}'.`,
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
      `'${mode}' is not a mode of filter '${filter}': ` +
      (similar.length > 0 ? `did you mean ${similar.map((m) => `'${m}'`).join(' or ')}? ` : `use one of ${modes.join(', ')}. `) +
      (silent
        ? SILENT_MODE_FILTERS.has(filter)
          ? `fail2ban leaves a literal <…-${mode}> tag in its regex and the filter silently stops matching.`
          : `fail2ban ${version} loads a literal '<mdre-${mode}>' line that never matches, so only the filter's base rules apply.`
        : `fail2ban stops at start-up${jails.length ? ` (${jailList(jails)})` : ''}.`) +
      (similar.length > 0 ? ` Modes: ${modes.join(', ')}.` : ''),
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
            `Jail '${jail}' uses 'filter = ${filterValue}', which does not pass %(mode)s on: this mode is ignored.` +
            (parsed.options.get('mode') !== undefined || parsed.params.some((p) => p.key === 'mode')
              ? ` Change the filter's own mode instead (e.g. filter = ${parsed.name}[mode=${mode}]).`
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
