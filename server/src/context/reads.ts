// What fail2ban actually reads (and so interpolates) from the merged configuration, replayed in the
// readers' order: JailsReader/JailReader.getOptions (every jail: enabled, backend, filter; enabled
// jails: every option of JailReader._configOpts), Fail2banReader (early + normal [Definition] options,
// [Thread] stacksize when the section exists), and the [INCLUDES] before/after of every file.
// Only interpolation errors met on this path stop fail2ban.
import { contextInternals } from './build';
import { sharedResultsVersion, sharedVisits, type DetailedInterpolation, type InterpolationEnv, type SharedVisits } from './interpolate';
import { INCLUDES_SECTION, KNOWN_PREFIX, needsInterpolation, type MergedConfig, type OptionMap } from './merge';
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
  /** sections in read order (for jail kinds the context's jailNameList: shared, not modified) */
  sections: readonly string[];
  /** the option names read in each section (not for jail kinds: see jailOptions) */
  optionsRead: (readonly string[])[];
  /**
   * For jail kinds: the option names read in an enabled jail and in the others (no list of a big file's 100k jails
   * kept through the check).
   */
  jailOptions?: { enabled: readonly string[]; disabled: readonly string[]; isEnabled(jail: string): boolean };
  includes: ReadRecord[];
  /** the reads with '%' (and the includes) that failed interpolation, in read order */
  errors: ReadRecord[];
  /**
   * option nodes with a '%' in their value visited by any read (such a value is only ever visited by reads that
   * interpolate): what unread-value checks ask about. The plain ones are collected on demand.
   */
  percentVisited: Set<OptionNode>;
  interpolate(section: string, option: string): DetailedInterpolation;
  /** interpolate, kept in the context's memo: for reads of the user's values, which the rules ask for again */
  interpolateKept(section: string, option: string): DetailedInterpolation;
  /** the visited list last recorded (its values are in percentVisited already) */
  lastVisited?: readonly RawValue[];
  /** the shared reads whose common values are recorded already */
  sharedRecorded: Set<SharedVisits>;
  /** what the last section's reads came to, for a next one like it (see readSection); one object, rewritten */
  repeat: RepeatableReads;
}

/**
 * The reads of a section whose name and own values have no '%', for the next section with the same plan and own
 * option names: where such a section reads a [DEFAULT] value with a shared result, whether the result fits depends on
 * those names alone (see templateHolds), and a shared read records nothing new once recorded; so the next section only
 * does the other reads (kept ones, and those without a fitting shared result). Valid while no shared result changes.
 */
interface RepeatableReads {
  /** undefined: no section to repeat */
  plan: ReadPlan | undefined;
  /** the section (its name is looked at only when another is like it) */
  section: string;
  /** the section's own options (their names are compared) */
  own: OptionMap | undefined;
  /** sharedResultsVersion() while the section was read */
  version: number;
  /** indices of the reads the next such section does itself, ascending: the first `mustReadCount` (a list reused for each section) */
  mustRead: number[];
  mustReadCount: number;
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
    optionsRead: [],
    includes: [],
    errors: [],
    percentVisited: new Set(),
    interpolate: internals.interpolateUncached,
    interpolateKept: internals.interpolateDetailed,
    sharedRecorded: new Set(),
    repeat: { plan: undefined, section: '', own: undefined, version: -1, mustRead: [], mustReadCount: 0 },
  };
  for (const include of internals.includeReads) {
    const read = { section: 'INCLUDES', option: include.option, result: include.result };
    log.includes.push(read);
    record(log, read.section, read.option, read.result);
  }
  if (readerBaseName(context.kind) === 'jail') {
    const enabledOptions = namesOf(jailReaderOptions(context.fail2banVersion));
    const bothPasses = [...FIRST_PASS_NAMES, ...enabledOptions];
    // a big file has ~30 reads for each of thousands of jails: planned once (see ReadPlan)
    const firstPass = readPlan(config, internals.firstPassEnv, FIRST_PASS_NAMES, FIRST_PASS_NAMES.length, internals.firstPassEnv);
    const both = readPlan(config, internals.fullEnv, bothPasses, FIRST_PASS_NAMES.length, internals.firstPassEnv);
    // the jails in the merged config's order, each with its options at hand: jailNameList's order (the same walk)
    config.sections.forEach((own, jail) => {
      if (jail === INCLUDES_SECTION || jail.startsWith(KNOWN_PREFIX)) return;
      readSection(log, jail, context.isEnabled(jail) ? both : firstPass, own);
    });
    log.sections = context.jailNameList();
    log.jailOptions = { enabled: both.options, disabled: firstPass.options, isEnabled: context.isEnabled };
  } else {
    for (const [section, options] of [
      [SERVER_DEFINITION_SECTION, SERVER_DEFINITION_OPTIONS],
      [SERVER_THREAD_SECTION, SERVER_THREAD_OPTIONS],
    ] as const) {
      if (!config.sections.has(section)) continue;
      (log.sections as string[]).push(section);
      log.optionsRead.push(readSection(log, section, readPlan(config, internals.firstPassEnv, namesOf(options))));
    }
  }
  return log;
}

/**
 * The reads of one option list, prepared for many sections: a read can only need interpolation where [DEFAULT]'s
 * value has a '%' or where the section sets the option itself, so a section is not asked about every option.
 */
interface ReadPlan {
  options: readonly string[];
  /** [DEFAULT]'s raw value of each option (undefined where [DEFAULT] has none) */
  defaults: readonly (RawValue | undefined)[];
  /** indices of the options whose [DEFAULT] value has a '%', ascending */
  defaultsWithPercent: readonly number[];
  /** indices of each option name (an option may be read twice, e.g. filter in both passes) */
  indicesOf: ReadonlyMap<string, readonly number[]>;
  /**
   * the results of the first `keptFirst` reads (a jail's enabled/backend/filter) are kept in the context's memo, unless
   * a shared result fits (then a rule that asks has it made again from that)
   */
  keptFirst: number;
  /**
   * the env each read is interpolated in (the context's: first-pass options in the first pass's, the others of a jail
   * in the full one, as they are only read in enabled jails)
   */
  envs: readonly InterpolationEnv[];
}

function readPlan(config: MergedConfig, env: InterpolationEnv, options: readonly string[], keptFirst = 0, firstPassEnv = env): ReadPlan {
  const defaults = options.map((option) => config.defaults.get(option));
  const defaultsWithPercent: number[] = [];
  const indicesOf = new Map<string, number[]>();
  options.forEach((option, index) => {
    const raw = defaults[index];
    if (raw !== undefined && needsInterpolation(raw)) defaultsWithPercent.push(index);
    const indices = indicesOf.get(option);
    if (indices) indices.push(index);
    else indicesOf.set(option, [index]);
  });
  const envs = options.map((option) => (FIRST_PASS_NAMES.includes(option) ? firstPassEnv : env));
  return { options, defaults, defaultsWithPercent, indicesOf, keptFirst, envs };
}

function record(log: ReadLog, section: string, option: string, result: DetailedInterpolation): void {
  if (result.error) log.errors.push({ section, option, result });
  if (result.visited === log.lastVisited) return; // a [DEFAULT] value's result shared by consecutive jails
  log.lastVisited = result.visited;
  recordVisited(log, result.visited);
}

function recordVisited(log: ReadLog, visited: readonly RawValue[]): void {
  for (let i = 0; i < visited.length; i++) if (needsInterpolation(visited[i])) log.percentVisited.add(visited[i].option);
}

/** record() for a read whose result is a shared one (it cannot fail): the common values once, the section's own ones with '%' each time. */
function recordShared(log: ReadLog, own: OptionMap | undefined, visits: SharedVisits): void {
  if (!log.sharedRecorded.has(visits)) {
    log.sharedRecorded.add(visits);
    recordVisited(log, visits.common);
  }
  const { ownWithPercent } = visits;
  for (let i = 0; i < ownWithPercent.length; i++) log.percentVisited.add((own?.get(ownWithPercent[i]) as RawValue).option);
}

/**
 * One array for every section, its first `candidateCount` entries in use: no allocation per jail (setting `length`
 * to 0 would drop the backing store, to be grown again for the next jail).
 */
const CANDIDATES: number[] = [];
let candidateCount = 0;

/** Insertion sort of the first `count` values, in place: a handful of indices per section (Array.prototype.sort allocates a work array). */
function sortSmall(values: number[], count: number): void {
  for (let i = 1; i < count; i++) {
    const value = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > value) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = value;
  }
}

/**
 * Interpolates the reads of `plan` in `section` whose raw value has a '%', in read order, and returns the option names
 * read (the caller logs them with the section).
 */
function readSection(log: ReadLog, section: string, plan: ReadPlan, own = log.config.sections.get(section)): readonly string[] {
  const { options, defaults } = plan;
  // the reads to look at: [DEFAULT] values with '%', and the options the section sets itself with '%' (few), ascending
  let candidates: readonly number[] = plan.defaultsWithPercent;
  let count = candidates.length;
  /** no '%' in any value of the section's own (see RepeatableReads) */
  let plain = true;
  if (own !== undefined && own.size > 0) {
    candidateCount = 0;
    for (let k = 0; k < own.size; k++) {
      if (!needsInterpolation(own.valueAt(k))) continue; // a value of its own without '%' reads as it is
      plain = false;
      const indices = plan.indicesOf.get(own.keyAt(k));
      if (indices !== undefined) for (let i = 0; i < indices.length; i++) CANDIDATES[candidateCount++] = indices[i];
    }
    if (candidateCount > 0) {
      for (let i = 0; i < plan.defaultsWithPercent.length; i++) CANDIDATES[candidateCount++] = plan.defaultsWithPercent[i];
      sortSmall(CANDIDATES, candidateCount);
      candidates = CANDIDATES;
      count = candidateCount;
    }
  }
  const version = sharedResultsVersion();
  const repeat = log.repeat;
  let mustRead: number[] | undefined;
  if (plain && repeat.plan === plan && repeat.version === version && sameNames(repeat.own, own) && !section.includes('%') && !repeat.section.includes('%')) {
    candidates = repeat.mustRead;
    count = repeat.mustReadCount;
  } else {
    repeat.plan = undefined;
    if (plain) {
      mustRead = repeat.mustRead;
      repeat.mustReadCount = 0;
    }
  }
  let previous = -1;
  for (let at = 0; at < count; at++) {
    const i = candidates[at];
    if (i === previous) continue; // both a [DEFAULT] value with '%' and set by the section
    previous = i;
    const raw = own?.get(options[i]) ?? defaults[i];
    if (raw === undefined || !needsInterpolation(raw)) continue;
    // a user value's result is kept (the rules check each jail's value of it again)
    const userValue = raw.layer.origin === 'user';
    // a [DEFAULT] value read as in many other jails: what it visits is known without this jail's copy of the result
    const visits = userValue ? undefined : sharedVisits(plan.envs[i], section, own, raw);
    if (visits !== undefined) {
      recordShared(log, own, visits);
      continue;
    }
    if (mustRead !== undefined) mustRead[repeat.mustReadCount++] = i;
    // kept too: enabled/backend/filter without a shared result (the context and the rules ask for them per jail); at
    // most one per user value and jail, or three per jail
    const kept = userValue || i < plan.keptFirst;
    const result = kept ? log.interpolateKept(section, options[i]) : log.interpolate(section, options[i]);
    record(log, section, options[i], result);
  }
  // a section read from its own list of reads is a model for the next one only if no shared result changed meanwhile
  if (mustRead !== undefined && sharedResultsVersion() === version) {
    repeat.plan = plan;
    repeat.section = section;
    repeat.own = own;
    repeat.version = version;
  }
  return options;
}

/** Do two sections' own options have the same names in the same order (both none: undefined or empty)? */
function sameNames(a: OptionMap | undefined, b: OptionMap | undefined): boolean {
  const size = a?.size ?? 0;
  if ((b?.size ?? 0) !== size) return false;
  for (let k = 0; k < size; k++) if ((a as OptionMap).keyAt(k) !== (b as OptionMap).keyAt(k)) return false;
  return true;
}

/** The option names read in the section at `at` of log.sections. */
function optionsReadAt(log: ReadLog, at: number): readonly string[] {
  const jails = log.jailOptions;
  if (jails === undefined) return log.optionsRead[at];
  return jails.isEnabled(log.sections[at]) ? jails.enabled : jails.disabled;
}

/** The result a read of a raw value without '%' has (what interpolateDetailed returns for it). */
function plainResult(raw: RawValue): DetailedInterpolation {
  return { value: raw.raw, raw, visited: [raw] };
}

/** Every read in fail2ban's order (options set nowhere left out). */
function* allReads(log: ReadLog): Generator<ReadRecord> {
  yield* log.includes;
  for (let at = 0; at < log.sections.length; at++) {
    const section = log.sections[at];
    const options = optionsReadAt(log, at);
    const own = log.config.sections.get(section);
    for (const option of options) {
      const raw = own?.get(option) ?? log.config.defaults.get(option);
      if (!raw) continue;
      yield { section, option, result: needsInterpolation(raw) ? log.interpolate(section, option) : plainResult(raw) };
    }
  }
}

/** Calls `visit` with every raw value each read visited and the section it was read in. */
function forEachVisited(log: ReadLog, visit: (raw: RawValue, section: string) => void): void {
  for (const record of log.includes) for (const raw of record.result.visited) visit(raw, record.section);
  for (let at = 0; at < log.sections.length; at++) {
    const section = log.sections[at];
    const options = optionsReadAt(log, at);
    const own = log.config.sections.get(section);
    for (const option of options) {
      const raw = own?.get(option) ?? log.config.defaults.get(option);
      if (!raw) continue;
      if (!needsInterpolation(raw)) visit(raw, section);
      else for (const visited of log.interpolate(section, option).visited) visit(visited, section);
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
      if (!log) return false;
      if (log.percentVisited.has(option)) return true; // (values with a '%' only: no look at the text for those read)
      if (option.value.includes('%')) return false;
      if (!readOptions) {
        const set = new Set<OptionNode>();
        forEachVisited(log, (raw) => set.add(raw.option));
        readOptions = set;
      }
      return readOptions.has(option);
    },
  };
  analyses.set(context, analysis);
  return analysis;
}
