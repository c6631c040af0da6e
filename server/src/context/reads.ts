// What fail2ban actually reads (and so interpolates) from the merged configuration, replayed in the
// readers' order: JailsReader/JailReader.getOptions (every jail: enabled, backend, filter; enabled
// jails: every option of JailReader._configOpts), Fail2banReader (early + normal [Definition] options,
// [Thread] stacksize when the section exists), and the [INCLUDES] before/after of every file.
// Only interpolation errors met on this path stop fail2ban.
import { contextInternals } from './build';
import type { DetailedInterpolation } from './interpolate';
import type { MergedConfig } from './merge';
import {
  JAIL_FIRST_PASS,
  jailReaderOptions,
  SERVER_DEFINITION_OPTIONS,
  SERVER_DEFINITION_SECTION,
  SERVER_THREAD_OPTIONS,
  SERVER_THREAD_SECTION,
} from './readerOptions';
import { readerBaseName } from './sources';
import type { OptionNode } from '../parser/model';
import type { ConfigContext, RawValue } from './types';

export interface ReadRecord {
  /** section read (a jail, Definition, Thread or INCLUDES) */
  section: string;
  option: string;
  result: DetailedInterpolation;
}

export interface ReadAnalysis {
  /** Every read, in fail2ban's order (options set nowhere are not listed). */
  reads: ReadRecord[];
  /** The reads that failed interpolation (each stops fail2ban). */
  errors: ReadRecord[];
  /** true when fail2ban reads this raw value, directly or through a `%(...)s` reference. */
  isRead(raw: RawValue): boolean;
  /** The sections (jails) in which fail2ban reads this raw value. */
  readIn(raw: RawValue): string[];
  /** true when fail2ban reads this option node of any layer (e.g. a user-document option). */
  isOptionRead(option: OptionNode): boolean;
}

const analyses = new WeakMap<ConfigContext, ReadAnalysis>();

/**
 * What fail2ban reads, in its order: for each section read, the option names read there. A big file has ~30
 * reads per enabled jail, most of them resolving to the same [DEFAULT] raw values: a raw value without '%'
 * cannot fail and visits only itself, so only values with '%' are interpolated. Their results are not kept
 * (100k jails make millions of them): the walk keeps the failed reads and the option nodes visited, and a caller
 * that asks for every read gets them interpolated again.
 */
interface ReadLog {
  config: MergedConfig;
  /** sections in read order, each with the option names read there */
  sections: { section: string; options: readonly string[] }[];
  includes: ReadRecord[];
  /** the reads with '%' (and the includes) that failed interpolation, in read order */
  errors: ReadRecord[];
  /** option nodes visited by reads whose raw value has a '%' (and by the includes) */
  percentVisited: Set<OptionNode>;
  interpolate(section: string, option: string): DetailedInterpolation;
  /** interpolate, kept in the context's memo: for reads of the user's values, which the rules ask for again */
  interpolateKept(section: string, option: string): DetailedInterpolation;
}

const FIRST_PASS_NAMES: readonly string[] = JAIL_FIRST_PASS.map((option) => option.name);
const namesOf = (options: readonly { name: string }[]): readonly string[] => options.map((option) => option.name);

function collect(context: ConfigContext): ReadLog | undefined {
  const internals = contextInternals(context);
  if (!internals) return undefined;
  const { config } = internals;
  const log: ReadLog = {
    config,
    sections: [],
    includes: [],
    errors: [],
    percentVisited: new Set(),
    interpolate: internals.interpolateUncached,
    interpolateKept: internals.interpolateDetailed,
  };
  for (const include of internals.includeReads) {
    const read = { section: 'INCLUDES', option: include.option, result: include.result };
    log.includes.push(read);
    record(log, read);
  }
  if (readerBaseName(context.kind) === 'jail') {
    const enabledOptions = namesOf(jailReaderOptions(context.fail2banVersion));
    const bothPasses = [...FIRST_PASS_NAMES, ...enabledOptions];
    // a big file has ~30 reads for each of thousands of jails: the [DEFAULT] side of each read is looked up once
    const firstPass = withDefaults(config, FIRST_PASS_NAMES);
    const both = withDefaults(config, bothPasses);
    for (const jail of context.jailNameList()) {
      if (context.isEnabled(jail)) readSection(log, jail, bothPasses, both, FIRST_PASS_NAMES.length);
      else readSection(log, jail, FIRST_PASS_NAMES, firstPass, FIRST_PASS_NAMES.length);
    }
  } else {
    if (config.sections.has(SERVER_DEFINITION_SECTION)) {
      const options = namesOf(SERVER_DEFINITION_OPTIONS);
      readSection(log, SERVER_DEFINITION_SECTION, options, withDefaults(config, options));
    }
    if (config.sections.has(SERVER_THREAD_SECTION)) {
      const options = namesOf(SERVER_THREAD_OPTIONS);
      readSection(log, SERVER_THREAD_SECTION, options, withDefaults(config, options));
    }
  }
  return log;
}

/** [DEFAULT]'s raw value of each option name (undefined where [DEFAULT] has none). */
function withDefaults(config: MergedConfig, options: readonly string[]): (RawValue | undefined)[] {
  return options.map((option) => config.defaults.get(option));
}

function record(log: ReadLog, read: ReadRecord): void {
  if (read.result.error) log.errors.push(read);
  for (const raw of read.result.visited) log.percentVisited.add(raw.option);
}

/**
 * Logs the reads of `options` in `section`; interpolates those whose raw value has a '%'. The results of the first
 * `keptFirst` options (a jail's enabled/backend/filter) are kept in the context's memo.
 */
function readSection(log: ReadLog, section: string, options: readonly string[], defaults: readonly (RawValue | undefined)[], keptFirst = 0): void {
  log.sections.push({ section, options });
  const own = log.config.sections.get(section);
  for (let i = 0; i < options.length; i++) {
    const raw = own?.get(options[i]) ?? defaults[i];
    if (raw === undefined || !raw.raw.includes('%')) continue;
    // kept: a user value's result (the rules check each jail's value of it again), and enabled/backend/filter (the
    // context and the rules ask for them per jail); at most one per user value and jail, or three per jail
    const kept = raw.layer.origin === 'user' || i < keptFirst;
    const result = kept ? log.interpolateKept(section, options[i]) : log.interpolate(section, options[i]);
    record(log, { section, option: options[i], result });
  }
}

/** The result a read of a raw value without '%' has (what interpolateDetailed returns for it). */
function plainResult(raw: RawValue): DetailedInterpolation {
  return { value: raw.raw, raw, visited: [raw] };
}

/** Every read in fail2ban's order (options set nowhere left out). */
function* allReads(log: ReadLog): Generator<ReadRecord> {
  yield* log.includes;
  for (const { section, options } of log.sections) {
    const own = log.config.sections.get(section);
    for (const option of options) {
      const raw = own?.get(option) ?? log.config.defaults.get(option);
      if (!raw) continue;
      yield { section, option, result: raw.raw.includes('%') ? log.interpolate(section, option) : plainResult(raw) };
    }
  }
}

/** Calls `visit` with every raw value each read visited and the section it was read in. */
function forEachVisited(log: ReadLog, visit: (raw: RawValue, section: string) => void, withPercent = true): void {
  if (withPercent) for (const record of log.includes) for (const raw of record.result.visited) visit(raw, record.section);
  for (const { section, options } of log.sections) {
    const own = log.config.sections.get(section);
    for (const option of options) {
      const raw = own?.get(option) ?? log.config.defaults.get(option);
      if (!raw) continue;
      if (!raw.raw.includes('%')) visit(raw, section);
      else if (withPercent) for (const visited of log.interpolate(section, option).visited) visit(visited, section);
    }
  }
}

/** Memoized per context; the lookup tables are built on first use. */
export function readAnalysis(context: ConfigContext): ReadAnalysis {
  const cached = analyses.get(context);
  if (cached) return cached;
  const log = collect(context);
  const errors = log?.errors ?? [];
  let reads: ReadRecord[] | undefined;
  let sectionsByRaw: Map<RawValue, Set<string>> | undefined;
  let readOptions: Set<OptionNode> | undefined;
  const sectionsOf = (): Map<RawValue, Set<string>> => {
    if (!sectionsByRaw) {
      const map = new Map<RawValue, Set<string>>();
      if (log) forEachVisited(log, (raw, section) => {
        let sections = map.get(raw);
        if (!sections) map.set(raw, (sections = new Set()));
        sections.add(section);
      });
      sectionsByRaw = map;
    }
    return sectionsByRaw;
  };
  const analysis: ReadAnalysis = {
    get reads(): ReadRecord[] {
      reads ??= log ? [...allReads(log)] : [];
      return reads;
    },
    errors,
    isRead: (raw) => sectionsOf().has(raw),
    readIn: (raw) => [...(sectionsOf().get(raw) ?? [])],
    isOptionRead: (option) => {
      // a value with '%' is only ever visited by reads that interpolate: no need to look at the plain ones
      if (!log) return false;
      if (log.percentVisited.has(option)) return true;
      if (option.value.includes('%')) return false;
      if (!readOptions) {
        const set = new Set<OptionNode>();
        forEachVisited(log, (raw) => set.add(raw.option), false);
        readOptions = set;
      }
      return readOptions.has(option);
    },
  };
  analyses.set(context, analysis);
  return analysis;
}
