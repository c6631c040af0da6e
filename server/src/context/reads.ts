// What fail2ban actually reads (and so interpolates) from the merged configuration, replayed in the
// readers' order: JailsReader/JailReader.getOptions (every jail: enabled, backend, filter; enabled
// jails: every option of JailReader._configOpts), Fail2banReader (early + normal [Definition] options,
// [Thread] stacksize when the section exists), and the [INCLUDES] before/after of every file.
// Only interpolation errors met on this path stop fail2ban.
import { contextInternals } from './build';
import type { DetailedInterpolation } from './interpolate';
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

function collect(context: ConfigContext): ReadRecord[] {
  const internals = contextInternals(context);
  if (!internals) return [];
  const reads: ReadRecord[] = [];
  for (const include of internals.includeReads) {
    reads.push({ section: 'INCLUDES', option: include.option, result: include.result });
  }
  const read = (section: string, option: string) => {
    const result = internals.interpolateDetailed(section, option);
    if (result.raw) reads.push({ section, option, result });
  };
  if (readerBaseName(context.kind) === 'jail') {
    const enabledOptions = jailReaderOptions(context.fail2banVersion);
    for (const jail of context.jailNames()) {
      for (const option of JAIL_FIRST_PASS) read(jail, option.name);
      if (!context.isEnabled(jail)) continue;
      for (const option of enabledOptions) read(jail, option.name);
    }
  } else {
    if (internals.config.sections.has(SERVER_DEFINITION_SECTION)) {
      for (const option of SERVER_DEFINITION_OPTIONS) read(SERVER_DEFINITION_SECTION, option.name);
    }
    if (internals.config.sections.has(SERVER_THREAD_SECTION)) {
      for (const option of SERVER_THREAD_OPTIONS) read(SERVER_THREAD_SECTION, option.name);
    }
  }
  return reads;
}

/** Memoized per context. */
export function readAnalysis(context: ConfigContext): ReadAnalysis {
  const cached = analyses.get(context);
  if (cached) return cached;
  const reads = collect(context);
  const sectionsByRaw = new Map<RawValue, Set<string>>();
  const readOptions = new Set<OptionNode>();
  for (const record of reads) {
    for (const raw of record.result.visited) {
      readOptions.add(raw.option);
      let sections = sectionsByRaw.get(raw);
      if (!sections) sectionsByRaw.set(raw, (sections = new Set()));
      sections.add(record.section);
    }
  }
  const analysis: ReadAnalysis = {
    reads,
    errors: reads.filter((record) => record.result.error),
    isRead: (raw) => sectionsByRaw.has(raw),
    readIn: (raw) => [...(sectionsByRaw.get(raw) ?? [])],
    isOptionRead: (option) => readOptions.has(option),
  };
  analyses.set(context, analysis);
  return analysis;
}
