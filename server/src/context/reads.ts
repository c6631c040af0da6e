// What fail2ban actually reads (and so interpolates) from the merged configuration, replayed in the
// readers' order: JailsReader/JailReader.getOptions (every jail: enabled, backend, filter; enabled
// jails: every option of JailReader._configOpts), Fail2banReader (early + normal [Definition] options,
// [Thread] stacksize when the section exists), and the [INCLUDES] before/after of every file.
// Only interpolation errors met on this path stop fail2ban.
import { contextInternals } from './build';
import { rawLookup, type DetailedInterpolation } from './interpolate';
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
 * Every (section, option) fail2ban reads whose option is set somewhere, in fail2ban's order, as parallel
 * arrays (a big file has ~30 reads per enabled jail: no object per read). A raw value without '%' cannot
 * fail and visits only itself, so only values with '%' are interpolated here.
 */
interface ReadLog {
  sections: string[];
  options: string[];
  raws: RawValue[];
  /** index → interpolation result, for the reads whose raw value has a '%' */
  interpolated: Map<number, DetailedInterpolation>;
  includes: ReadRecord[];
}

function collect(context: ConfigContext): ReadLog {
  const log: ReadLog = { sections: [], options: [], raws: [], interpolated: new Map(), includes: [] };
  const internals = contextInternals(context);
  if (!internals) return log;
  for (const include of internals.includeReads) {
    log.includes.push({ section: 'INCLUDES', option: include.option, result: include.result });
  }
  const { config } = internals;
  const read = (section: string, option: string) => {
    const raw = rawLookup(config, section, option);
    if (!raw) return;
    if (raw.raw.includes('%')) log.interpolated.set(log.raws.length, internals.interpolateDetailed(section, option));
    log.sections.push(section);
    log.options.push(option);
    log.raws.push(raw);
  };
  if (readerBaseName(context.kind) === 'jail') {
    const enabledOptions = jailReaderOptions(context.fail2banVersion);
    for (const jail of context.jailNames()) {
      for (const option of JAIL_FIRST_PASS) read(jail, option.name);
      if (!context.isEnabled(jail)) continue;
      for (const option of enabledOptions) read(jail, option.name);
    }
  } else {
    if (config.sections.has(SERVER_DEFINITION_SECTION)) {
      for (const option of SERVER_DEFINITION_OPTIONS) read(SERVER_DEFINITION_SECTION, option.name);
    }
    if (config.sections.has(SERVER_THREAD_SECTION)) {
      for (const option of SERVER_THREAD_OPTIONS) read(SERVER_THREAD_SECTION, option.name);
    }
  }
  return log;
}

/** The result a read of a raw value without '%' has (what interpolateDetailed returns for it). */
function plainResult(raw: RawValue): DetailedInterpolation {
  return { value: raw.raw, raw, visited: [raw] };
}

/** Calls `visit` with every raw value each read visited and the section it was read in. */
function forEachVisited(log: ReadLog, visit: (raw: RawValue, section: string) => void): void {
  for (const record of log.includes) for (const raw of record.result.visited) visit(raw, record.section);
  for (let index = 0; index < log.raws.length; index++) {
    const section = log.sections[index];
    const result = log.interpolated.get(index);
    if (result) for (const raw of result.visited) visit(raw, section);
    else visit(log.raws[index], section);
  }
}

/** Memoized per context; the lookup tables are built on first use. */
export function readAnalysis(context: ConfigContext): ReadAnalysis {
  const cached = analyses.get(context);
  if (cached) return cached;
  const log = collect(context);
  const errors = log.includes.filter((record) => record.result.error);
  for (const [index, result] of log.interpolated) {
    if (result.error) errors.push({ section: log.sections[index], option: log.options[index], result });
  }
  let reads: ReadRecord[] | undefined;
  let sectionsByRaw: Map<RawValue, Set<string>> | undefined;
  let readOptions: Set<OptionNode> | undefined;
  const sectionsOf = (): Map<RawValue, Set<string>> => {
    if (!sectionsByRaw) {
      const map = new Map<RawValue, Set<string>>();
      forEachVisited(log, (raw, section) => {
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
      reads ??= [
        ...log.includes,
        ...log.raws.map((raw, index) => ({
          section: log.sections[index],
          option: log.options[index],
          result: log.interpolated.get(index) ?? plainResult(raw),
        })),
      ];
      return reads;
    },
    errors,
    isRead: (raw) => sectionsOf().has(raw),
    readIn: (raw) => [...(sectionsOf().get(raw) ?? [])],
    isOptionRead: (option) => {
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
