// Effective values as fail2ban will use them: every option a reader reads, merged over all layers and
// interpolated, with the layer each raw value came from (hover, "Show Effective Configuration").
import { contextInternals } from './build';
import type { DetailedInterpolation } from './interpolate';
import {
  jailReaderOptions,
  SERVER_DEFINITION_OPTIONS,
  SERVER_DEFINITION_SECTION,
  SERVER_THREAD_OPTIONS,
  SERVER_THREAD_SECTION,
  type ReaderOption,
} from './readerOptions';
import { readerBaseName } from './sources';
import type { ConfigContext, InterpolationError, RawValue } from './types';
import type { Severity } from '../types';

/** A problem the engine found, placed on a section (and option) of the report. */
export interface ReportProblem {
  section: string;
  /** The option it is about; absent for the section as a whole (a missing filter, a dropped jail). */
  option?: string;
  severity: Severity;
  code: string;
  message: string;
  /** fail2ban drops this jail (it does not run) because of it. */
  dropsJail: boolean;
  /** fail2ban refuses the whole configuration because of it. */
  fatal: boolean;
}

/** What Show Effective Configuration marks: problems per value and jail, and the jails the user's file names. */
export interface ReportAnnotations {
  problems: readonly ReportProblem[];
  /** Sections of the user's file, to say why one of them does not run. */
  userSections: readonly string[];
}

export interface EffectiveOption {
  name: string;
  /** Interpolated value; for unset options the reader's default (see `isReaderDefault`). */
  value?: string;
  error?: InterpolationError;
  /** The raw value used and where it came from (absent for reader defaults). */
  raw?: RawValue;
  isReaderDefault?: boolean;
  /** `known/<opt>` parts fail2ban takes from the jail's filter (shown as empty here). */
  fromFilter?: string[];
}

export interface EffectiveSection {
  name: string;
  enabled: boolean;
  options: EffectiveOption[];
}

/** "fail2ban-jail.cf [DEFAULT]", "jail.conf (fail2ban 1.1.0) [postfix]" … */
export function describeOrigin(raw: RawValue): string {
  return `${raw.layer.label} [${raw.section}]`;
}

function effectiveOption(result: DetailedInterpolation, option: ReaderOption): EffectiveOption | undefined {
  if (!result.raw) {
    return option.readerDefault === undefined
      ? undefined
      : { name: option.name, value: option.readerDefault, isReaderDefault: true };
  }
  return {
    name: option.name,
    ...(result.value !== undefined ? { value: result.value } : {}),
    ...(result.error ? { error: result.error } : {}),
    raw: result.raw,
    ...(result.fromFilter ? { fromFilter: result.fromFilter } : {}),
  };
}

function effectiveSection(context: ConfigContext, section: string, options: readonly ReaderOption[]): EffectiveSection {
  const internals = contextInternals(context);
  const effective: EffectiveOption[] = [];
  for (const option of options) {
    const result = internals ? internals.interpolateDetailed(section, option.name) : { visited: [] };
    const entry = effectiveOption(result, option);
    if (entry) effective.push(entry);
  }
  return { name: section, enabled: context.isEnabled(section), options: effective };
}

/** The options fail2ban reads for jail `name` (all reader options, whether or not it is enabled). */
export function effectiveJail(context: ConfigContext, name: string): EffectiveSection {
  return effectiveSection(context, name, jailReaderOptions(context.fail2banVersion));
}

/** [Definition] and (if present) [Thread] of a server-kind context. */
export function effectiveServer(context: ConfigContext): EffectiveSection[] {
  const sections = [effectiveSection(context, SERVER_DEFINITION_SECTION, SERVER_DEFINITION_OPTIONS)];
  if (hasSection(context, SERVER_THREAD_SECTION)) {
    sections.push(effectiveSection(context, SERVER_THREAD_SECTION, SERVER_THREAD_OPTIONS));
  }
  return sections.map((s) => ({ ...s, enabled: true }));
}

function hasSection(context: ConfigContext, name: string): boolean {
  return contextInternals(context)?.config.sections.has(name) ?? false;
}

function formatValue(value: string): string[] {
  const lines = value.split('\n');
  return lines.map((line, index) => (index === 0 ? line : `    ${line}`));
}

/** `; ✗ ERROR (code): message` under the value or section it is about. */
function problemLines(problems: readonly ReportProblem[], indent: string): string[] {
  return problems.map((problem) => {
    const mark = problem.severity === 'error' ? '✗ ERROR' : problem.severity === 'warning' ? '⚠ WARNING' : 'ℹ NOTE';
    return `${indent}; ${mark} (${problem.code}): ${problem.message.split('\n')[0]}`;
  });
}

function formatOption(option: EffectiveOption, problems: readonly ReportProblem[] = []): string[] {
  const origin = option.isReaderDefault ? "fail2ban's built-in default" : option.raw ? describeOrigin(option.raw) : '';
  const marks = problemLines(problems, '    ');
  if (option.error) {
    return [`${option.name} = ${option.raw?.raw.split('\n')[0] ?? ''}    ; ← ${origin}`, `    ; ERROR: ${option.error.message}`, ...marks];
  }
  const [first, ...rest] = formatValue(option.value ?? '');
  const filterNote = option.fromFilter ? ` (+ ${option.fromFilter.join(', ')} from the filter)` : '';
  return [`${option.name} = ${first}    ; ← ${origin}${filterNote}`, ...rest, ...marks];
}

/** A problem is about this value when it is on the jail's own line, or on the user's [DEFAULT] line the jail inherits. */
function isAbout(problem: ReportProblem, section: string, option: EffectiveOption): boolean {
  if (problem.section === section) return true;
  return option.raw?.layer.origin === 'user' && option.raw.section === problem.section;
}

function formatSection(section: EffectiveSection, problems: readonly ReportProblem[] = []): string[] {
  const own = problems.filter((problem) => problem.section === section.name);
  const dropped = own.filter((problem) => problem.dropsJail);
  const header = dropped.length > 0 ? `[${section.name}]    ; ✗ DROPPED: fail2ban does not start this jail` : `[${section.name}]`;
  const known = new Set(section.options.map((option) => option.name));
  const sectionLevel = own.filter((problem) => problem.option === undefined || !known.has(problem.option));
  return [
    header,
    ...problemLines(sectionLevel, ''),
    ...section.options.flatMap((option) => formatOption(option, problems.filter((problem) => problem.option === option.name && isAbout(problem, section.name, option)))),
    '',
  ];
}

/** Why each jail the user's file names does not run: switched off, or dropped by fail2ban (and for what). */
function notRunning(context: ConfigContext, annotations: ReportAnnotations, enabled: readonly string[]): string[] {
  const lines: string[] = [];
  const jails = new Set(context.jailNames());
  for (const name of annotations.userSections) {
    if (!jails.has(name) || enabled.includes(name)) continue;
    const switch_ = effectiveJail(context, name).options.find((option) => option.name === 'enabled');
    const why = switch_?.raw
      ? `enabled = ${switch_.raw.raw.split('\n')[0].trim()} (${describeOrigin(switch_.raw)})`
      : "no enabled = true anywhere (fail2ban's default is false)";
    const said = annotations.problems.find((problem) => problem.section === name && problem.option === 'enabled');
    lines.push(`;   [${name}] is switched off: ${why}.${said ? ` ${said.message.split('\n')[0]}` : ''}`);
  }
  for (const name of enabled) {
    const dropped = annotations.problems.filter((problem) => problem.section === name && problem.dropsJail);
    if (dropped.length > 0) lines.push(`;   [${name}] is enabled but dropped by fail2ban: ${dropped.map((problem) => problem.message.split('\n')[0]).join(' ')}`);
  }
  return lines.length > 0 ? ['; Jails of your file that will not run:', ...lines, ''] : [];
}

/**
 * Text for "Show Effective Configuration": the layers in read order, then every enabled jail (jail kinds)
 * or the server sections, each value interpolated and marked with the layer it came from.
 */
export function effectiveConfigReport(context: ConfigContext, annotations?: ReportAnnotations): string {
  const header = [
    `; Effective fail2ban configuration (${context.kind}, fail2ban ${context.fail2banVersion}` +
      (context.kind.startsWith('dms-') ? `, DMS ${context.dmsVersion})` : ')'),
    '; Files in the order fail2ban reads them (later files win per option):',
    ...context.layers.map((layer, index) => `;   ${index + 1}. ${layer.path} — ${layer.label}`),
    '',
  ];
  const problems = annotations?.problems ?? [];
  const fatal = problems.filter((problem) => problem.fatal && problem.severity === 'error');
  if (fatal.length > 0) {
    header.push(`; ✗ fail2ban refuses this configuration and does not start (${fatal.length} error(s), marked below; first: ${fatal[0].message.split('\n')[0]})`, '');
  }
  if (readerBaseName(context.kind) !== 'jail') {
    return [...header, ...effectiveServer(context).flatMap((section) => formatSection(section, problems))].join('\n');
  }
  const enabled = context.jailNames().filter((name) => context.isEnabled(name));
  const running = enabled.filter((name) => !problems.some((problem) => problem.section === name && problem.dropsJail));
  const skipped = annotations ? notRunning(context, annotations, enabled) : [];
  const body =
    enabled.length === 0
      ? ['; No jail is enabled.', '', ...skipped]
      : [
          `; ${enabled.length} enabled jail(s): ${enabled.join(', ')}` + (running.length < enabled.length ? ` — ${running.length} will run` : ''),
          '',
          ...skipped,
          ...enabled.flatMap((name) => formatSection(effectiveJail(context, name), problems)),
        ];
  return [...header, ...body].join('\n').replace(/\n+$/, '\n');
}
