// buildContext: lays the stock, DMS and user files out as fail2ban reads them, merges them like
// configreader.py and answers effective-value questions with fail2ban's interpolation.
import type { ConfigDocument, SectionNode } from '../parser/model';
import { parseDocument } from '../parser/parse';
import { DEFAULT_DMS_VERSION, DEFAULT_FAIL2BAN_VERSION, type CheckOptions, type DmsVersion, type Fail2banVersion } from '../types';
import { dmsFail2banVersion } from '../knowledge/dms';
import { filterKnownOptionNames } from '../knowledge/filters';
import { parseNameParams } from '../values/nameParams';
import { interpolateRaw, interpolateRawIn, lowerCased, type DetailedInterpolation, type InterpolationEnv } from './interpolate';
import {
  cloneConfig,
  DEFAULT_SECTION,
  emptyConfig,
  INCLUDES_SECTION,
  isSpecialSectionName,
  KNOWN_PREFIX,
  mergeFile,
  mergeLayer,
  needsInterpolation,
  singleFileConfig,
  visibleSections,
  type MergedConfig,
} from './merge';
import { JAIL_FIRST_PASS, pyAsBool } from './readerOptions';
import { readOrder, type IncludeRead } from './readOrder';
import {
  FAIL2BAN_CONFIG_DIR,
  parsedStockDocument,
  readerBaseName,
  surroundingFiles,
  userFileLabel,
  userFilePath,
} from './sources';
import type { ConfigContext, Interpolated, Layer, RawValue } from './types';
import type { OptionMap } from './merge';
import type { ContainerContext } from '../shared/protocol';
import { containerKey, containerVersions } from './container';

/** What the context layer knows beyond ConfigContext: for context/ itself (and its tests) only, not exported by the barrel. */
export interface ContextInternals {
  config: MergedConfig;
  /** env for the first read pass (enabled/backend/filter) — no filter options merged yet */
  firstPassEnv: InterpolationEnv;
  /** env for everything else: enabled jails with a filter see `known/<filter option>` */
  fullEnv: InterpolationEnv;
  includeReads: IncludeRead[];
  /** the synthetic layer holding fail2ban_version / fail2ban_confpath (jail kinds) */
  builtinLayer?: Layer;
  interpolateDetailed(section: string, option: string): DetailedInterpolation;
  /** The same result, not kept: for one-off walks over every read (a big file has millions). */
  interpolateUncached(section: string, option: string): DetailedInterpolation;
}

const internalsByContext = new WeakMap<ConfigContext, ContextInternals>();

export function contextInternals(context: ConfigContext): ContextInternals | undefined {
  return internalsByContext.get(context);
}

/** How far past the section asked about last stateOf looks for the next one before it looks the name up. */
const STATES_LOOKED_AHEAD = 8;

const FIRST_PASS_NAMES = new Set(JAIL_FIRST_PASS.map((o) => o.name));

/**
 * The fail2ban version checks run against: a live container's (when modelled), else explicit, else the one the DMS
 * version ships, else the default. The container's DMS release likewise decides the DMS version.
 */
export function resolveVersions(options: CheckOptions): { fail2banVersion: Fail2banVersion; dmsVersion: DmsVersion } {
  const live = options.container ? containerVersions(options.container) : undefined;
  const dmsVersion = live?.dmsVersion ?? options.dmsVersion ?? DEFAULT_DMS_VERSION;
  const isDms = options.kind === 'dms-jail' || options.kind === 'dms-server';
  const fail2banVersion =
    live?.fail2banVersion ?? options.fail2banVersion ?? (isDms ? dmsFail2banVersion(dmsVersion) : undefined) ?? DEFAULT_FAIL2BAN_VERSION;
  return { fail2banVersion, dmsVersion };
}

/** JailReader.getOptions merges these into [DEFAULT] before reading any jail option. */
function builtinVariablesLayer(version: Fail2banVersion): Layer {
  const text = `[DEFAULT]\nfail2ban_version = ${version}\nfail2ban_confpath = ${FAIL2BAN_CONFIG_DIR}\n`;
  return {
    label: `fail2ban built-in variables (${version})`,
    origin: 'stock',
    path: '(set by fail2ban when reading jails)',
    doc: parsedStockDocument('<builtin>', text),
  };
}

/**
 * What fail2ban reads around a user file that has no [INCLUDES] (then the user's content cannot change
 * the read order): the layers before and after it, the merged state of the layers before it, and the
 * stock files' include reads. Built once per (kind, fail2ban version, DMS version) and never mutated.
 */
interface Surroundings {
  before: readonly Layer[];
  after: readonly Layer[];
  mergedBefore: MergedConfig;
  /** singleFileConfig of each `after` layer and of the built-in variables layer (jail kinds) */
  afterConfigs: readonly MergedConfig[];
  builtinLayer?: Layer;
  builtinConfig?: MergedConfig;
  includeReads: readonly IncludeRead[];
}

const surroundingsCache = new Map<string, Surroundings | null>();

/** The layer tree of a kind, with `userLayer` at the user file's path. */
function layerTree(userLayer: Layer, kind: CheckOptions['kind'], fail2banVersion: Fail2banVersion, dmsVersion: DmsVersion, container?: ContainerContext): Map<string, Layer> {
  const tree = new Map<string, Layer>();
  for (const file of surroundingFiles(kind, fail2banVersion, dmsVersion, container)) {
    tree.set(file.path, { label: file.label, origin: file.origin, path: file.path, doc: parsedStockDocument(file.path, file.text) });
  }
  tree.set(userLayer.path, userLayer);
  return tree;
}

/** Surroundings of live containers: one per container context object, a few kept (a new read replaces the old). */
const CONTAINER_SURROUNDINGS_KEPT = 16;

function surroundings(kind: CheckOptions['kind'], fail2banVersion: Fail2banVersion, dmsVersion: DmsVersion, container?: ContainerContext): Surroundings | undefined {
  const key = `${kind}\u0000${fail2banVersion}\u0000${dmsVersion}\u0000${containerKey(container)}`;
  const cached = surroundingsCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  if (container) {
    const live = [...surroundingsCache.keys()].filter((k) => !k.endsWith('\u0000'));
    for (const old of live.slice(0, Math.max(0, live.length - CONTAINER_SURROUNDINGS_KEPT + 1))) surroundingsCache.delete(old);
  }
  const placeholder: Layer = { label: userFileLabel(kind), origin: 'user', path: userFilePath(kind), doc: parsedStockDocument('<empty>', '') };
  const order = readOrder(layerTree(placeholder, kind, fail2banVersion, dmsVersion, container), FAIL2BAN_CONFIG_DIR, readerBaseName(kind));
  const at = order.files.indexOf(placeholder);
  // the user file is read exactly once (it cannot include itself without [INCLUDES]); anything else: no cache
  if (at < 0 || order.files.lastIndexOf(placeholder) !== at) {
    surroundingsCache.set(key, null);
    return undefined;
  }
  const before = order.files.slice(0, at);
  const after = order.files.slice(at + 1);
  const mergedBefore = emptyConfig();
  for (const layer of before) mergeFile(mergedBefore, singleFileConfig(layer));
  const builtinLayer = readerBaseName(kind) === 'jail' ? builtinVariablesLayer(fail2banVersion) : undefined;
  const result: Surroundings = {
    before,
    after,
    mergedBefore,
    afterConfigs: after.map(singleFileConfig),
    builtinLayer,
    builtinConfig: builtinLayer ? singleFileConfig(builtinLayer) : undefined,
    includeReads: order.includeReads,
  };
  surroundingsCache.set(key, result);
  return result;
}

/** Has `doc` an [INCLUDES] section, and a section name mergeLayer takes the long way (one walk for both)? */
function sectionNamesOf(doc: ConfigDocument): { hasIncludes: boolean; hasSpecialNames: boolean } {
  let hasIncludes = false;
  let hasSpecialNames = false;
  const sections = doc.sections;
  for (let at = 0; at < sections.length; at++) {
    const name = sections[at].name;
    if (name === INCLUDES_SECTION) hasIncludes = true;
    else if (isSpecialSectionName(name)) hasSpecialNames = true;
  }
  return { hasIncludes, hasSpecialNames };
}

interface LaidOut {
  layers: Layer[];
  config: MergedConfig;
  includeReads: IncludeRead[];
  builtinLayer?: Layer;
}

/** Layers in read order and their merged state: from the cached surroundings, or read in full. */
function layOut(userLayer: Layer, kind: CheckOptions['kind'], fail2banVersion: Fail2banVersion, dmsVersion: DmsVersion, container?: ContainerContext): LaidOut {
  const { hasIncludes, hasSpecialNames } = sectionNamesOf(userLayer.doc);
  const around = hasIncludes ? undefined : surroundings(kind, fail2banVersion, dmsVersion, container);
  if (around) {
    const config = cloneConfig(around.mergedBefore);
    mergeLayer(config, userLayer, hasSpecialNames);
    for (const after of around.afterConfigs) mergeFile(config, after);
    if (around.builtinConfig) mergeFile(config, around.builtinConfig);
    return {
      layers: [...around.before, userLayer, ...around.after],
      config,
      includeReads: [...around.includeReads],
      builtinLayer: around.builtinLayer,
    };
  }
  const order = readOrder(layerTree(userLayer, kind, fail2banVersion, dmsVersion, container), FAIL2BAN_CONFIG_DIR, readerBaseName(kind));
  const config = emptyConfig();
  for (const layer of order.files) mergeFile(config, singleFileConfig(layer));
  let builtinLayer: Layer | undefined;
  if (readerBaseName(kind) === 'jail') {
    builtinLayer = builtinVariablesLayer(fail2banVersion);
    mergeFile(config, singleFileConfig(builtinLayer));
  }
  return { layers: order.files, config, includeReads: order.includeReads, builtinLayer };
}

/** `known/<x>` names fail2ban gives a jail with this `filter` value: the stock filter's options + `[params]`. */
function knownOptionsOfFilter(filterValue: string, version: Fail2banVersion, dms: boolean): ReadonlySet<string> | undefined {
  const parsed = parseNameParams(filterValue);
  if (!parsed.ok) return undefined;
  const stock = filterKnownOptionNames(parsed.name, version, dms);
  if (!stock || parsed.params.length === 0) return stock;
  return new Set([...stock, ...parsed.params.map((param) => param.key.toLowerCase())]);
}

/**
 * The results of a section's values with '%' asked for: one result alone (its option name kept beside it: most jails
 * have just their `filter`'s), option name, result, option name, result, … (a jail has a few), or by option name
 * once there are more than RESULTS_LISTED.
 */
type KeptResults = DetailedInterpolation | (string | DetailedInterpolation)[] | Map<string, DetailedInterpolation>;

const RESULTS_LISTED = 8;

/** Sections with kept results past which a context keeps them in lists by section (see buildFreshContext). */
const KEPT_IN_MAPS = 64;

/** The kept result of `name`; `soleName`: the option name of a result kept alone. */
function keptResult(kept: KeptResults | undefined, soleName: string | undefined, name: string): DetailedInterpolation | undefined {
  if (kept === undefined) return undefined;
  if (kept instanceof Map) return kept.get(name);
  if (!Array.isArray(kept)) return soleName === name ? kept : undefined;
  for (let i = 0; i < kept.length; i += 2) if (kept[i] === name) return kept[i + 1] as DetailedInterpolation;
  return undefined;
}

/** `kept` with `result` added (the result alone, the same list or map, or a new one). */
function keepResult(kept: KeptResults | undefined, soleName: string | undefined, name: string, result: DetailedInterpolation): KeptResults {
  if (kept === undefined) return result;
  if (kept instanceof Map) return kept.set(name, result);
  const list = Array.isArray(kept) ? kept : [soleName as string, kept];
  if (list.length < RESULTS_LISTED * 2) {
    list.push(name, result);
    return list;
  }
  const map = new Map<string, DetailedInterpolation>();
  for (let i = 0; i < list.length; i += 2) map.set(list[i] as string, list[i + 1] as DetailedInterpolation);
  return map.set(name, result);
}

/** Contexts already built for a document object (the LSP features ask for the same one repeatedly). */
const contextsByDocument = new WeakMap<ConfigDocument, Map<string, ConfigContext>>();

export function buildContext(doc: ConfigDocument, options: CheckOptions): ConfigContext {
  const { fail2banVersion, dmsVersion } = resolveVersions(options);
  const key = `${options.kind}\u0000${fail2banVersion}\u0000${dmsVersion}\u0000${containerKey(options.container)}`;
  let byOptions = contextsByDocument.get(doc);
  const cached = byOptions?.get(key);
  if (cached) return cached;
  const context = buildFreshContext(doc, options.kind, fail2banVersion, dmsVersion, options.container);
  if (!byOptions) contextsByDocument.set(doc, (byOptions = new Map()));
  byOptions.set(key, context);
  return context;
}

function buildFreshContext(doc: ConfigDocument, kind: CheckOptions['kind'], fail2banVersion: Fail2banVersion, dmsVersion: DmsVersion, container?: ContainerContext): ConfigContext {
  const isJailKind = readerBaseName(kind) === 'jail';
  const userLayer: Layer = { label: userFileLabel(kind), origin: 'user', path: userFilePath(kind), doc };
  const { layers, config, includeReads, builtinLayer } = layOut(userLayer, kind, fail2banVersion, dmsVersion, container);

  /** visibleSections(config, INCLUDES_SECTION) for jail kinds, made in the walk below */
  const jailNames: string[] = [];
  const firstPassEnv: InterpolationEnv = { config };
  // What the context knows about each section, in lists by the section's index in the merged config (no object per
  // section: a big file has a hundred thousand). The rules and the read log mostly ask about the jails in file order,
  // several times about one jail in a row: the index of the section asked last and of the next one are found without
  // a lookup (each lookup in a map of a hundred thousand entries is a walk through memory); any other section's
  // through a map from name to index, built on the first such ask.
  // (sized once: no copies while they grow)
  const stateNames = new Array<string>(config.sections.size);
  /** the merged config's options of each section (undefined: no such section) */
  const stateOwn = new Array<OptionMap | undefined>(config.sections.size);
  let stateCount = 0;
  config.sections.forEach((own, name) => {
    own.slot = stateCount;
    stateNames[stateCount] = name;
    stateOwn[stateCount++] = own;
    if (isJailKind && name !== INCLUDES_SECTION && !name.startsWith(KNOWN_PREFIX)) jailNames.push(name);
  });
  // (bytes outside the collected heap: a big file's lists live through the check, and the collector copies what lives)
  /** isEnabled's answers: 0 not asked yet, 1 false, 2 true */
  let stateEnabled = new Uint8Array(stateNames.length);
  // The kept results (see detailed) by state index: in maps while few sections keep any (a big file's alike jails
  // keep a handful), in lists sized for every section once more than KEPT_IN_MAPS do.
  let stateResults: (KeptResults | undefined)[] | undefined;
  /** the option name of a result kept alone in stateResults */
  let stateSoleResultName: (string | undefined)[] | undefined;
  let keptMap: Map<number, KeptResults> | undefined;
  let soleNameMap: Map<number, string> | undefined;
  const keptAt = (at: number, name: string): DetailedInterpolation | undefined => {
    if (stateResults !== undefined) return keptResult(stateResults[at], stateSoleResultName?.[at], name);
    const kept = keptMap?.get(at);
    return kept === undefined ? undefined : keptResult(kept, soleNameMap?.get(at), name);
  };
  const keepAt = (at: number, name: string, result: DetailedInterpolation): void => {
    if (stateResults === undefined && keptMap !== undefined && keptMap.size >= KEPT_IN_MAPS && !keptMap.has(at)) {
      const results = new Array<KeptResults | undefined>(stateNames.length).fill(undefined);
      const soleNames = new Array<string | undefined>(stateNames.length).fill(undefined);
      keptMap.forEach((kept, index) => (results[index] = kept));
      soleNameMap?.forEach((soleName, index) => (soleNames[index] = soleName));
      stateResults = results;
      stateSoleResultName = soleNames;
      keptMap = soleNameMap = undefined;
    }
    if (stateResults !== undefined && stateSoleResultName !== undefined) {
      if (stateResults[at] === undefined) stateSoleResultName[at] = name;
      stateResults[at] = keepResult(stateResults[at], stateSoleResultName[at], name, result);
      return;
    }
    const kept = (keptMap ??= new Map()).get(at);
    if (kept === undefined) (soleNameMap ??= new Map()).set(at, name);
    keptMap.set(at, keepResult(kept, soleNameMap?.get(at), name, result));
  };
  /** the states of names the config does not have (asked about anyway), and of shared sections found by a walk */
  const otherStates = new Map<string, number>();
  let lastStateAt = -1;
  const stateOf = (section: string): number => {
    if (lastStateAt >= 0 && stateNames[lastStateAt] === section) return lastStateAt;
    if (lastStateAt + 1 < stateNames.length && stateNames[lastStateAt + 1] === section) return ++lastStateAt;
    // a rule asking about the jails that set some option skips a few (mostly 2 to 5 ahead): a look at the next names
    // reads a list in order, where a map lookup of the name reads the map, the section's options and both lists
    const ahead = Math.min(lastStateAt + STATES_LOOKED_AHEAD, stateNames.length - 1);
    for (let at = lastStateAt + 2; at <= ahead; at++) {
      if (stateNames[at] === section) return (lastStateAt = at);
    }
    // the section's index kept in its options (no map from a hundred thousand names to indices); checked, as a stock
    // section's options are shared with other contexts, which keep their own index in them
    const own = config.sections.get(section);
    let at = own?.slot ?? -1;
    if (at < 0 || stateOwn[at] !== own || stateNames[at] !== section) {
      at = otherStates.get(section) ?? -1;
      if (at < 0 && own !== undefined) {
        // a shared section whose index another context wrote last: found once, then kept with the others
        at = stateOwn.indexOf(own);
        otherStates.set(section, at);
      } else if (at < 0) {
        // a name the config does not have: a state of its own
        at = stateNames.length;
        stateNames.push(section);
        stateOwn.push(undefined);
        if (at >= stateEnabled.length) {
          const grown = new Uint8Array(2 * at + 1);
          grown.set(stateEnabled);
          stateEnabled = grown;
        }
        stateResults?.push(undefined);
        stateSoleResultName?.push(undefined);
        otherStates.set(section, at);
      }
    }
    lastStateAt = at;
    return at;
  };
  /** The raw value rawLookup finds for `name` (lower-cased) in `section` (`own`: its options, as stateOf has them). */
  const rawIn = (section: string, own: OptionMap | undefined, name: string): RawValue | undefined =>
    section === DEFAULT_SECTION ? config.defaults.get(name) : own && (own.get(name) ?? config.defaults.get(name));
  /** The section's own options (none for [DEFAULT]: its values are the defaults). */
  const ownOf = (section: string): OptionMap | undefined => (section === DEFAULT_SECTION ? undefined : stateOwn[stateOf(section)]);
  const isEnabled = (section: string): boolean => {
    const at = stateOf(section);
    const known = stateEnabled[at];
    if (known !== 0) return known === 2;
    let enabled = false;
    const own = isJailKind && section !== INCLUDES_SECTION ? stateOwn[at] : undefined;
    if (own !== undefined) {
      // a plain value (no '%') is its own interpolation: no memo entry for each of thousands of jails
      const raw = rawIn(section, own, 'enabled');
      const value = raw === undefined ? undefined : needsInterpolation(raw) ? detailed(section, 'enabled').value : raw.raw;
      enabled = value !== undefined && pyAsBool(value);
    }
    stateEnabled[at] = enabled ? 2 : 1;
    return enabled;
  };

  // enabled jails whose (first-pass) filter is non-empty get the filter's options as `known/…`
  let filterSections: Set<string> | undefined;
  /** knownOptionsOfFilter of each filter value met (thousands of jails share a few values) */
  const filterOptionsByValue = new Map<string, ReadonlySet<string> | undefined>();
  const fullEnv: InterpolationEnv = {
    config,
    get filterKnownSections() {
      filterSections ??= new Set(
        jailNames.filter((jail) => isEnabled(jail) && !!detailed(jail, 'filter').value),
      );
      return filterSections;
    },
    filterKnownOptions: (jail: string) => {
      const filterValue = detailed(jail, 'filter').value;
      if (filterValue === undefined) return undefined;
      let known = filterOptionsByValue.get(filterValue);
      if (known === undefined && !filterOptionsByValue.has(filterValue)) {
        known = knownOptionsOfFilter(filterValue, fail2banVersion, kind === 'dms-jail');
        filterOptionsByValue.set(filterValue, known);
      }
      return known;
    },
  };

  // the merged config never changes once built: each (section, option) with a '%' is interpolated once, kept in the
  // section's state
  /** `raw`, the value of `name` (lower-cased) in `section` (`own`: its options), in the env fail2ban reads it with. */
  const interpolateIn = (section: string, own: OptionMap | undefined, name: string, raw: RawValue): DetailedInterpolation =>
    interpolateRawIn(FIRST_PASS_NAMES.has(name) || !isEnabled(section) ? firstPassEnv : fullEnv, section, own, name, raw);
  const uncached = (section: string, name: string): DetailedInterpolation => {
    const own = ownOf(section);
    const raw = rawIn(section, own, name);
    return raw ? interpolateIn(section, own, name, raw) : { visited: [] };
  };
  const detailed = (section: string, option: string): DetailedInterpolation => {
    const name = lowerCased(option);
    const at = stateOf(section);
    const own = section === DEFAULT_SECTION ? undefined : stateOwn[at];
    const raw = rawIn(section, own, name);
    if (!raw) return { visited: [] };
    // a plain value (no '%') is its own result: no memo entry for each of thousands of jails
    if (!needsInterpolation(raw)) return { value: raw.raw, raw, visited: [raw] };
    let result = keptAt(at, name);
    if (!result) {
      result = interpolateIn(section, own, name, raw);
      keepAt(at, name, result);
    }
    return result;
  };

  /** jails.filter(isEnabled) into a list sized once (most jails of a big file are enabled: no copies while it grows) */
  const enabledOf = (jails: readonly string[]): string[] => {
    const enabled = new Array<string>(jails.length);
    let count = 0;
    for (let i = 0; i < jails.length; i++) if (isEnabled(jails[i])) enabled[count++] = jails[i];
    enabled.length = count;
    return enabled;
  };
  let sectionsByName: Map<string, SectionNode[]> | undefined;
  let enabledJailNames: string[] | undefined;
  const inheritingEnabled = new Map<string, readonly string[]>();
  const inheritingAll = new Map<string, readonly string[]>();
  let sectionNames: string[] | undefined;
  const NO_SECTIONS: readonly SectionNode[] = [];
  const userSectionList = (name: string): readonly SectionNode[] => {
    if (!sectionsByName) {
      sectionsByName = new Map();
      const sections = doc.sections;
      for (let at = 0; at < sections.length; at++) {
        const section = sections[at];
        const list = sectionsByName.get(section.name);
        if (list) list.push(section);
        else sectionsByName.set(section.name, [section]);
      }
    }
    return sectionsByName.get(name) ?? NO_SECTIONS;
  };

  const context: ConfigContext = {
    kind,
    fail2banVersion,
    dmsVersion,
    layers,
    userLayer,
    jailNames: () => [...jailNames],
    jailNameList: () => jailNames,
    enabledJailNames: () => (enabledJailNames ??= enabledOf(jailNames)),
    jailsInheriting: (option: string, enabledOnly: boolean): readonly string[] => {
      // asked for the same [DEFAULT] options by many rules: answered once per name (a has() per jail, no lookup chain)
      const name = lowerCased(option);
      const answers = enabledOnly ? inheritingEnabled : inheritingAll;
      let jails = answers.get(name);
      if (!jails) {
        const candidates = enabledOnly ? (enabledJailNames ??= enabledOf(jailNames)) : jailNames;
        jails = candidates.filter((jail) => !stateOwn[stateOf(jail)]?.has(name)); // in the config's order: no map lookups
        answers.set(name, jails);
      }
      return jails;
    },
    lookup: (section: string, option: string): RawValue | undefined => rawIn(section, ownOf(section), lowerCased(option)),
    interpolate: (section: string, option: string): Interpolated => {
      const { value, error, raw } = detailed(section, option);
      return { ...(value !== undefined ? { value } : {}), ...(error ? { error } : {}), ...(raw ? { raw } : {}) };
    },
    isEnabled,
    userSections: (name: string): SectionNode[] => [...userSectionList(name)],
    userSectionList,
    sectionNames: () => (sectionNames ??= visibleSections(config, INCLUDES_SECTION)),
    namesVisibleFrom: (section: string): string[] => {
      const own = section === DEFAULT_SECTION ? [] : [...(config.sections.get(section)?.keys() ?? [])];
      return [...new Set([...own, ...config.defaults.keys(), '__name__'])];
    },
    interpolateDetailed: detailed,
    interpolateValueAs: (section: string, option: string, raw: RawValue): DetailedInterpolation =>
      interpolateRaw(section === DEFAULT_SECTION || !isEnabled(section) ? firstPassEnv : fullEnv, section, option, raw),
  };
  internalsByContext.set(context, {
    config,
    firstPassEnv,
    fullEnv,
    includeReads,
    builtinLayer,
    interpolateDetailed: detailed,
    interpolateUncached: (section, option) => {
      const name = lowerCased(option);
      const at = stateOf(section);
      return keptAt(at, name) ?? uncached(section, name);
    },
  });
  return context;
}

/** Convenience for tests and tools: parse `text` and build its context. */
export function buildContextFromText(text: string, options: CheckOptions): ConfigContext {
  return buildContext(parseDocument(text, { fail2banPath: userFilePath(options.kind) }), options);
}
