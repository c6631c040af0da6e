// Filters of config/filter.d per fail2ban version.
// source: generated/filters.ts (fail2ban 1.0.2, 1.1.0 and 1.1.1 trees, read with fail2ban's FilterReader). DMS adds filter.d/custom.conf (empty [Definition]) at container start (DMS target/scripts/startup/setup.d/security/misc.sh).
import { DEFAULT_FAIL2BAN_VERSION, type Fail2banVersion } from '../types';
import type * as GeneratedFilters from './generated/filters';
import type { GeneratedFilter } from './types';
import { lazy } from '../lazyRegex';

export type FilterInfo = Omit<GeneratedFilter, 'versions'>;

const simpleFilter = (name: string, description: string): FilterInfo => ({
  name,
  description,
  includes: { before: ['common.conf'] },
  initKeys: [],
  definitionKeys: ['failregex', 'ignoreregex'],
  modes: null,
  defaultMode: null,
  modeHasEffect: false,
  prefregexHasFailureId: false,
  hasFailregex: true,
  journalmatch: null,
  maxlines: null,
});

/** The empty filter DMS writes for its manual-ban jail `[custom]`. */
export const DMS_CUSTOM_FILTER: FilterInfo = {
  ...simpleFilter('custom', 'DMS manual-ban filter: an empty [Definition] written at container start (never matches).'),
  includes: {},
  definitionKeys: [],
  hasFailregex: false,
};

function strip({ versions: _versions, ...f }: GeneratedFilter): FilterInfo {
  return f;
}

const CACHE = new Map<Fail2banVersion, readonly FilterInfo[]>();

/** The generated table, evaluated when first asked for (a JSON.parse in the CLI bundle; see actions.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generatedFilters = lazy(() => require('./generated/filters') as typeof GeneratedFilters);

/** Stock filters of `version` (not DMS's `custom`), sorted by name. */
export function filtersFor(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): readonly FilterInfo[] {
  let list = CACHE.get(version);
  if (!list) {
    list = generatedFilters().GENERATED_FILTERS.filter((f) => f.versions.includes(version)).map(strip);
    CACHE.set(version, list);
  }
  return list;
}

/**
 * Filter file `name` (case-sensitive, as on disk). With `dms` true (default) DMS's generated
 * `custom` filter is included.
 */
export function filterInfo(name: string, version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION, dms = true): FilterInfo | undefined {
  if (dms && name === DMS_CUSTOM_FILTER.name) return DMS_CUSTOM_FILTER;
  return filtersFor(version).find((f) => f.name === name);
}

export function filterNames(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION, dms = true): string[] {
  const names = filtersFor(version).map((f) => f.name);
  return dms ? [...names, DMS_CUSTOM_FILTER.name] : names;
}

/** Valid modes of a filter, or undefined when a jail-level `mode` has no effect on it. */
export function filterModes(name: string, version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): readonly string[] | undefined {
  const f = filterInfo(name, version);
  return f && f.modeHasEffect && f.modes ? f.modes : undefined;
}

/**
 * Whether `mode` selects a mode of the filter. fail2ban resolves the `<prefix-<mode>>` tags through
 * configparser, which lower-cases option names, so the check is case-insensitive (`Extra` works).
 * Returns true for filters on which `mode` has no effect (any value is harmless there).
 */
export function isValidFilterMode(name: string, mode: string, version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): boolean {
  const modes = filterModes(name, version);
  return modes === undefined || modes.includes(mode.toLowerCase());
}

/** Options a jail can pass as `filter = name[opt=…]` or that `%(known/…)s` can read. */
export function filterParamNames(name: string, version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): string[] {
  const f = filterInfo(name, version);
  return f ? [...new Set([...f.initKeys, ...f.definitionKeys])] : [];
}

/**
 * Include helpers (`common`, `apache-common`, `selinux-common`, …): read by other filters through
 * [INCLUDES], not meant as a jail's filter (most have no failregex; selinux-common does not even resolve).
 */
export function isIncludeOnlyFilter(name: string): boolean {
  return name === 'common' || name.endsWith('-common');
}

/** Stock filter files named by an [INCLUDES] before/after entry (`apache-common.conf` → `apache-common`). */
function includedFilterNames(f: FilterInfo): string[] {
  const files = [...(f.includes.before ?? []), ...(f.includes.after ?? [])];
  return files.filter((file) => file.endsWith('.conf')).map((file) => file.slice(0, -'.conf'.length));
}

/**
 * The `known/<x>` names fail2ban adds to an enabled jail once its stock filter is read, without the
 * jail's `filter[params]` (the caller adds those), or undefined for a filter file we do not know (the
 * user's own: anything may be defined there). fail2ban 1.0.2/1.1.0 jailreader: `FilterReader.getOptions(
 * jailOpts, all=True)` + `merge_section(jail, getCombined(), 'known/')`, i.e. the [Definition] keys
 * (own and from included files), the [Init] keys, `logtype` (applyAutoOptions) and the `_configOpts`
 * names that resolve — of those only `datepattern` comes from an include ([DEFAULT] of common.conf).
 * Checked against real 1.0.2/1.1.0 for every stock filter (only literal `known/…` keys differ).
 */
export function filterKnownOptionNames(name: string, version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION, dms = true): ReadonlySet<string> | undefined {
  const root = filterInfo(name, version, dms);
  // include helpers without [Definition] get every _configOpts name as None: not worth modelling
  if (!root || isIncludeOnlyFilter(name)) return undefined;
  const names = new Set<string>(['logtype']);
  const seen = new Set<string>();
  const visit = (f: FilterInfo): void => {
    if (seen.has(f.name)) return;
    seen.add(f.name);
    for (const key of [...f.definitionKeys, ...f.initKeys]) names.add(key.toLowerCase());
    for (const included of includedFilterNames(f)) {
      if (included === 'common') names.add('datepattern');
      const info = filterInfo(included, version, false);
      if (info) visit(info);
    }
  };
  visit(root);
  return names;
}
