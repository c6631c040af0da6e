// buildContext: lays the stock, DMS and user files out as fail2ban reads them, merges them like
// configreader.py and answers effective-value questions with fail2ban's interpolation.
import type { ConfigDocument, SectionNode } from '../parser/model';
import { parseDocument } from '../parser/parse';
import { DEFAULT_DMS_VERSION, DEFAULT_FAIL2BAN_VERSION, type CheckOptions, type DmsVersion, type Fail2banVersion } from '../types';
import { dmsFail2banVersion } from '../knowledge/dms';
import { interpolateDetailed, rawLookup, type DetailedInterpolation, type InterpolationEnv } from './interpolate';
import { emptyConfig, INCLUDES_SECTION, mergeFile, singleFileConfig, visibleSections, type MergedConfig } from './merge';
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

/** What the context knows beyond the shared contract (for the rules and features of this package). */
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
}

const internalsByContext = new WeakMap<ConfigContext, ContextInternals>();

export function contextInternals(context: ConfigContext): ContextInternals | undefined {
  return internalsByContext.get(context);
}

const FIRST_PASS_NAMES = new Set(JAIL_FIRST_PASS.map((o) => o.name));

/** The fail2ban version checks run against: explicit, else the one the DMS version ships, else 1.1.0. */
export function resolveVersions(options: CheckOptions): { fail2banVersion: Fail2banVersion; dmsVersion: DmsVersion } {
  const dmsVersion = options.dmsVersion ?? DEFAULT_DMS_VERSION;
  const isDms = options.kind === 'dms-jail' || options.kind === 'dms-server';
  const fail2banVersion =
    options.fail2banVersion ?? (isDms ? dmsFail2banVersion(dmsVersion) : undefined) ?? DEFAULT_FAIL2BAN_VERSION;
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

export function buildContext(doc: ConfigDocument, options: CheckOptions): ConfigContext {
  const { kind } = options;
  const { fail2banVersion, dmsVersion } = resolveVersions(options);
  const isJailKind = readerBaseName(kind) === 'jail';

  const userLayer: Layer = { label: userFileLabel(kind), origin: 'user', path: userFilePath(kind), doc };
  const tree = new Map<string, Layer>();
  for (const file of surroundingFiles(kind, fail2banVersion, dmsVersion)) {
    tree.set(file.path, { label: file.label, origin: file.origin, path: file.path, doc: parsedStockDocument(file.path, file.text) });
  }
  tree.set(userLayer.path, userLayer);

  const order = readOrder(tree, FAIL2BAN_CONFIG_DIR, readerBaseName(kind));
  const layers = order.files;
  const config = emptyConfig();
  for (const layer of layers) mergeFile(config, singleFileConfig(layer));

  let builtinLayer: Layer | undefined;
  if (isJailKind) {
    builtinLayer = builtinVariablesLayer(fail2banVersion);
    mergeFile(config, singleFileConfig(builtinLayer));
  }

  const jailNames = isJailKind ? visibleSections(config).filter((name) => name !== INCLUDES_SECTION) : [];
  const firstPassEnv: InterpolationEnv = { config };
  const enabledCache = new Map<string, boolean>();
  const isEnabled = (section: string): boolean => {
    if (!isJailKind || !config.sections.has(section) || section === INCLUDES_SECTION) return false;
    let enabled = enabledCache.get(section);
    if (enabled === undefined) {
      const value = interpolateDetailed(firstPassEnv, section, 'enabled').value;
      enabled = value !== undefined && pyAsBool(value);
      enabledCache.set(section, enabled);
    }
    return enabled;
  };

  // enabled jails whose (first-pass) filter is non-empty get the filter's options as `known/…`
  let filterSections: Set<string> | undefined;
  const fullEnv: InterpolationEnv = {
    config,
    get filterKnownSections() {
      filterSections ??= new Set(
        jailNames.filter((jail) => isEnabled(jail) && !!interpolateDetailed(firstPassEnv, jail, 'filter').value),
      );
      return filterSections;
    },
  };

  const detailed = (section: string, option: string): DetailedInterpolation => {
    const env = FIRST_PASS_NAMES.has(option.toLowerCase()) || !isEnabled(section) ? firstPassEnv : fullEnv;
    return interpolateDetailed(env, section, option);
  };

  const context: ConfigContext = {
    kind,
    fail2banVersion,
    dmsVersion,
    layers,
    userLayer,
    jailNames: () => [...jailNames],
    lookup: (section: string, option: string): RawValue | undefined => rawLookup(config, section, option),
    interpolate: (section: string, option: string): Interpolated => {
      const { value, error, raw } = detailed(section, option);
      return { ...(value !== undefined ? { value } : {}), ...(error ? { error } : {}), ...(raw ? { raw } : {}) };
    },
    isEnabled,
    userSections: (name: string): SectionNode[] => doc.sections.filter((section) => section.name === name),
  };
  internalsByContext.set(context, {
    config,
    firstPassEnv,
    fullEnv,
    includeReads: order.includeReads,
    builtinLayer,
    interpolateDetailed: detailed,
  });
  return context;
}

/** Convenience for tests and tools: parse `text` and build its context. */
export function buildContextFromText(text: string, options: CheckOptions): ConfigContext {
  return buildContext(parseDocument(text, { fail2banPath: userFilePath(options.kind) }), options);
}
