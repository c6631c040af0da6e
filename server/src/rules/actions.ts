// `action` / `banaction` values (fail2ban 1.1.0 client/jailreader.py, client/actionreader.py, helpers.py extractOptions): each action `name[params]` must name a
// file in action.d (else the jail is skipped), parse, not refer to itself, and have a unique actname.
import { fail2banFacts, fail2banVersionsWith } from '../knowledge/releases';
import { actionInfo, actionNames } from '../knowledge/actions';
import { FAIL2BAN_VERSIONS, type Range } from '../types';
import { parseNameParams, splitActions } from '../values/nameParams';
import { containerNames } from '../context/container';
import type { CodeTable, Rule, RuleContext } from './rule';
import { SHARED_CODES } from './sharedCodes';
import { selfReferencingParam } from './filters';
import {
  checkedRange,
  customJailNote,
  interpolated,
  isDmsKind,
  isJailKind,
  containerLacks,
  isProvided,
  jailList,
  JailProblems,
  jailValues,
  lookupRaw,
  memoizePerOptions,
  memoizeText,
  memoizeTextPerVersion,
  oneValue,
  PER_JAIL,
  ProblemProbe,
  rangeKey,
  readVerdict,
  userOptions,
  variableVerdict,
  wholeValueRange,
  type CheckedValue,
  type OptionSite,
  type ReadVerdict,
  type ValueProblem,
} from './ruleKit';
import { didYouMean, isLikelyTypo, replacementFixes, suggest } from './suggest';
import { t } from '../l10n';

/** Options whose whole value is one action name (referenced as %(banaction)s in action_*). */
const SINGLE_ACTION_OPTIONS: ReadonlySet<string> = new Set(['banaction', 'banaction_allports']);

function checkActions(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  const sites = userOptions(ctx, ['action', 'banaction', 'banaction_allports']);
  for (let i = 0; i < sites.length; i++) {
    const site = sites[i];
    // most values are fine: decided on the one text, without asking which jails read it
    const checked = oneValue(ctx, site);
    if (checked === undefined) continue;
    if (checked !== PER_JAIL) {
      const single = SINGLE_ACTION_OPTIONS.has(site.option.name);
      // an empty banaction's problems depend on the jails (their own `action`): always the full check
      if (!(single && checked.text.trim() === '') && !(single ? singleActionHasProblem : actionHasProblem)[checked.precise ? 1 : 0](ctx, checked.text, site)) continue;
    }
    // banaction and banaction_allports are variables: read only where an action refers to them
    const verdict = SINGLE_ACTION_OPTIONS.has(site.option.name) ? variableVerdict(ctx, site, ['action']) : readVerdict(ctx, site);
    // a [DEFAULT] value may only break in some jails (e.g. once their `port` is substituted): check each
    const problems = new JailProblems();
    for (const { checked, jails } of jailValues(ctx, site, verdict.jails)) {
      checkActionValue(ctx, site, verdict, checked, jails.length ? jails : site.section.name === 'DEFAULT' ? [] : [site.section.name], problems);
    }
    problems.report(ctx, verdict);
  }
}

/**
 * Does checkActionValue find anything in this (non-empty) text? Per text and check: the jails it is given and whether
 * they read the value only go into messages, and `site` only into ranges (its name decides single action or list).
 */
function actionProblemIn(ctx: RuleContext, checked: CheckedValue, site: OptionSite): boolean {
  const probe = ProblemProbe.for(ctx);
  checkActionValue(probe.ctx, site, READ_BY_ITSELF, checked, [site.section.name], probe.problems);
  return probe.found();
}

const READ_BY_ITSELF: ReadVerdict = { read: true, jails: [], note: '' };

/** actionProblemIn per text, for [interpolated, precise] texts of `action` and of banaction options. */
const actionHasProblem = [false, true].map((precise) => memoizePerOptions((ctx, text, site: OptionSite) => actionProblemIn(ctx, { text, precise }, site)));
const singleActionHasProblem = [false, true].map((precise) => memoizePerOptions((ctx, text, site: OptionSite) => actionProblemIn(ctx, { text, precise }, site)));

const splitActionsOnce = memoizeText(splitActions);
const parseNameParamsOnce = memoizeTextPerVersion((text, version) => parseNameParams(text, { conditionalParams: fail2banFacts(version).conditionalParams }));

function checkActionValue(
  ctx: RuleContext,
  site: OptionSite,
  verdict: ReadVerdict,
  checked: CheckedValue,
  valueJails: readonly string[],
  problems: JailProblems,
): void {
  const version = ctx.options.fail2banVersion;
  const skips = verdict.read ? SKIPS_READ : SKIPS_NOT_READ;
  if (SINGLE_ACTION_OPTIONS.has(site.option.name) && checked.text.trim() === '') {
    checkEmptyBanaction(ctx, site, valueJails, problems, skips);
    return;
  }
  const entries = SINGLE_ACTION_OPTIONS.has(site.option.name)
    ? [{ text: checked.text.trim(), start: checked.text.indexOf(checked.text.trim()), end: checked.text.trimEnd().length }]
    : splitActionsOnce(checked.text);
  const actnames = new Map<string, number>();
  for (const entry of entries) {
    if (entry.text === '' || entry.text.includes('%(')) continue;
    const parsed = parseNameParamsOnce(entry.text, version);
    // (no helper closures per entry: a big file has thousands of entries, and most have no problem)
    if (!parsed.ok) {
      const family = /\?family=/.test(entry.text) && !fail2banFacts(version).conditionalParams;
      const range = entryRange(site, checked, entry, parsed.start, parsed.end);
      addProblem(problems, valueJails, entry, family ? 'version-feature' : 'invalid-definition', range, (jails) => ({
        code: family ? 'version-feature' : 'invalid-definition',
        range,
        severity: 'error',
        message:
          t("{0}: Invalid action definition '{1}': {2}.", skips(jails), entry.text, parsed.message) +
          (family
            ? t(' Conditional parameters (key?family=inet6=…) need fail2ban {0}; {1} rejects them.', fail2banVersionsWith((f) => f.conditionalParams).join(', '), version)
            : '') +
          (checked.precise || !/,/.test(entry.text) ? '' : t(' A substituted value with a comma must be quoted, e.g. port="%(port)s".')),
      }));
      break; // the jail is dropped here: fail2ban never looks at the rest
    }
    const name = parsed.name;
    if (!parsed.nameHasTrailingSpace && isProvided(ctx, 'action', name)) continue; // the container has it, or the workspace mounts action.d/<name>
    const lackingIn = parsed.nameHasTrailingSpace ? undefined : containerLacks(ctx, 'action', name);
    if (lackingIn) {
      // the live container is the ground truth: what the modelled release ships does not matter here
      const nameRange = entryRange(site, checked, entry, parsed.nameStart, parsed.nameEnd);
      const similar = suggest(name, [...containerNames(ctx.options.container!, 'action')]);
      addProblem(problems, valueJails, entry, 'unknown-action', nameRange, (jails) => ({
        code: 'unknown-action',
        range: nameRange,
        severity: 'error',
        message:
          (name.endsWith('.py')
            ? t("{0}: 'Unable to read action '{1}'' — the container {2} has no action.d/{1}.", skips(jails), name, lackingIn)
            : t("{0}: 'Unable to read action '{1}'' — the container {2} has no action.d/{1}.conf or .local.", skips(jails), name, lackingIn)) +
          customJailNote(jails, isDmsKind(ctx.options.kind)) +
          didYouMean(similar),
        fixes: checked.precise ? replacementFixes(nameRange, similar) : undefined,
      }));
      continue;
    }
    if (name.endsWith('.py') ? !actionInfo(name, version) : !actionInfo(name.trimEnd(), version) || parsed.nameHasTrailingSpace) {
      const nameRange = entryRange(site, checked, entry, parsed.nameStart, parsed.nameEnd);
      const elsewhere = FAIL2BAN_VERSIONS.filter((v) => v !== version && actionInfo(name, v));
      const similar = parsed.nameHasTrailingSpace ? [name.trimEnd()] : suggest(name, actionNames(version));
      // a name close to a stock action is a typo; anything else may be the user's own action.d file
      const own = elsewhere.length === 0 && !similar.some((c) => isLikelyTypo(name, c));
      const fixes = checked.precise ? replacementFixes(nameRange, similar) : undefined;
      if (own) {
        // in DMS an action neither fail2ban nor DMS ships is missing for sure unless the workspace mounts it
        const dms = isDmsKind(ctx.options.kind);
        addProblem(problems, valueJails, entry, 'unknown-action', nameRange, (jails) => ({
          code: 'unknown-action',
          range: nameRange,
          severity: dms ? 'error' : similar.length > 0 ? 'warning' : 'information',
          message: dms
            ? t(
                "{0}: 'Unable to read action '{1}'' — neither fail2ban {2} nor DMS ships action.d/{3}. Mount your file into /etc/fail2ban/action.d/ in compose.yaml (or name its folder in dmsFail2ban.extraConfigDirs).",
                skips(jails),
                name,
                version,
                `${name}${name.endsWith('.py') ? '' : '.conf'}`,
              ) +
              customJailNote(jails, dms) +
              didYouMean(similar)
            : t("'{0}' is not a stock action of fail2ban {1}: unless you provide action.d/{0}.conf yourself, {2} ('Unable to read action '{0}'').", name, version, skips(jails)) +
              didYouMean(similar),
          fixes,
        }));
        continue;
      }
      const code = elsewhere.length > 0 ? 'version-feature' : 'unknown-action';
      addProblem(problems, valueJails, entry, code, nameRange, (jails) => ({
        code,
        range: nameRange,
        // a file of another fail2ban version: in DMS it is missing for sure (unless mounted); a plain install may have its own copy
        severity: elsewhere.length > 0 && !isDmsKind(ctx.options.kind) ? 'warning' : 'error',
        message:
          (parsed.nameHasTrailingSpace
            ? t("{0}: 'Unable to read action '{1}'' — the space before '[' is part of the name.", skips(jails), name)
            : elsewhere.length > 0
              ? t("{0}: 'Unable to read action '{1}'' — action.d/{1}.conf comes with fail2ban {2}, not {3}.", skips(jails), name, elsewhere.join(', '), version)
              : t("{0}: 'Unable to read action '{1}'' — there is no action.d/{1}.conf.", skips(jails), name)) + didYouMean(similar),
        fixes,
      }));
      continue;
    }
    const selfRef = selfReferencingParam(parsed.params);
    if (selfRef) {
      const range = entryRange(site, checked, entry, selfRef.valueStart, selfRef.valueEnd);
      addProblem(problems, valueJails, entry, 'self-referencing-tag', range, () => ({
        code: 'self-referencing-tag',
        range,
        severity: 'error',
        message:
          t(
            "fail2ban stops at start-up: '{0}={1}' refers to itself ('properties contain self referencing definitions and cannot be resolved, fail tag: {0}'). Use %({0})s to pass the jail's value.",
            selfRef.key,
            selfRef.value,
          ),
      }));
    }
    // actname: explicit, else the file name (+ '-<name>' when `name` differs from the jail; not modelled: rare)
    const actname = parsed.options.get('actname') ?? lastParam(parsed.params, 'actname') ?? (lastParam(parsed.params, 'name') ? undefined : name);
    if (actname === undefined) continue;
    const count = (actnames.get(actname) ?? 0) + 1;
    actnames.set(actname, count);
    if (count === 2) {
      const range = entryRange(site, checked, entry, 0, entry.text.length);
      addProblem(problems, valueJails, entry, 'duplicate-action', range, (jails) => ({
        code: 'duplicate-action',
        range,
        severity: 'error',
        message:
          t(
            "{0}: 'Action {1} already exists' — give the second one its own actname, e.g. {2}[actname={2}-2, …].",
            verdict.read ? t('fail2ban stops at start-up ({0})', jailList(jails)) : t('fail2ban stops at start-up'),
            actname,
            name,
          ),
      }));
    }
  }
}

/** "fail2ban skips jail 'x'" for messages (module-level: no closure per checked value). */
const SKIPS_READ = (jails: readonly string[]): string => t('fail2ban skips {0}', jailList(jails));
const SKIPS_NOT_READ = (jails: readonly string[]): string => t('once used, fail2ban skips {0}', jailList(jails));

/** Range of [start, end) of an action entry (offsets in the entry). */
function entryRange(site: OptionSite, checked: CheckedValue, entry: ActionEntry, start: number, end: number): Range {
  return checkedRange(site, checked, entry.start + start, entry.start + end);
}

/** One problem of an entry, keyed by code, range and the action's name part. */
function addProblem(problems: JailProblems, valueJails: readonly string[], entry: ActionEntry, code: string, range: Range, build: (jails: string[]) => ValueProblem): void {
  problems.add(`${code}|${rangeKey(range)}|${entry.text.replace(/\[.*$/s, '')}`, valueJails, build);
}

interface ActionEntry {
  text: string;
  start: number;
}

/**
 * An empty `banaction` is harmless until an action refers to it: the stock `action_*` values then become
 * `[port="…", …]` with no action name, which fail2ban 1.0.2/1.1.0 reject ('Invalid action definition … unexpected
 * option syntax') and skip the jail. Jails whose `action` the user sets are reported at that `action` line.
 */
function checkEmptyBanaction(
  ctx: RuleContext,
  site: OptionSite,
  valueJails: readonly string[],
  problems: JailProblems,
  skips: (jails: readonly string[]) => string,
): void {
  const broken = valueJails.filter((jail) => {
    if (lookupRaw(ctx, jail, 'action')?.layer.origin === 'user') return false;
    const action = interpolated(ctx, jail, 'action');
    return action !== undefined && splitActionsOnce(action).some((entry) => entry.text.trimStart().startsWith('['));
  });
  if (broken.length === 0) return;
  const range = wholeValueRange(site.option);
  problems.add(`invalid-definition|${rangeKey(range)}|empty`, broken, (jails) => ({
    code: 'invalid-definition',
    range,
    severity: 'error',
    message:
      isDmsKind(ctx.options.kind)
        ? t(
            "{0}: {1} is empty, so the action '%({1})s[…]' has no name ('Invalid action definition … unexpected option syntax'). Name a file of action.d (DMS uses nftables-allports) or remove the line.",
            skips(jails),
            site.option.name,
          )
        : t(
            "{0}: {1} is empty, so the action '%({1})s[…]' has no name ('Invalid action definition … unexpected option syntax'). Name a file of action.d or remove the line.",
            skips(jails),
            site.option.name,
          ),
  }));
}

function lastParam(params: readonly { key: string; value: string }[], key: string): string | undefined {
  for (let i = params.length - 1; i >= 0; i--) if (params[i].key === key) return params[i].value;
  return undefined;
}

const ACTION_CODES: CodeTable = {
  'unknown-action': {
    defaultSeverity: 'error',
    outcome: 'jail-dropped',
    description: 'An action name with no action.d file.',
    docs:
      "`action` (and `banaction`, which the stock `action_*` variables use) must name files in `action.d/`. Otherwise fail2ban logs " +
      "`Unable to read action 'x'` and skips every jail using it. DMS uses `nftables-allports`; a typo in `[DEFAULT] banaction` " +
      'drops all its jails. In a DMS file an action neither fail2ban nor DMS ships is an error unless your workspace provides it ' +
      '(a compose volume into `/etc/fail2ban/action.d/`, or `dmsFail2ban.extraConfigDirs` / `--extra-config-dir`).',
  },
  'duplicate-action': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'The same action twice in one jail.',
    docs:
      'Each action of a jail needs a unique name (`actname`, by default the file name). `action = nftables⏎  nftables` stops the ' +
      'server with `Action nftables already exists`; add `[actname=…]` to one of them.',
  },
  'invalid-definition': SHARED_CODES['invalid-definition'],
  'self-referencing-tag': SHARED_CODES['self-referencing-tag'],
  'version-feature': SHARED_CODES['version-feature'],
};

export const rules: Rule[] = [
  {
    name: 'actions',
    codes: ACTION_CODES,
    check(ctx) {
      checkActions(ctx);
    },
  },
];
