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

function formatOption(option: EffectiveOption): string[] {
  const origin = option.isReaderDefault ? "fail2ban's built-in default" : option.raw ? describeOrigin(option.raw) : '';
  if (option.error) {
    return [`${option.name} = ${option.raw?.raw.split('\n')[0] ?? ''}    ; ← ${origin}`, `    ; ERROR: ${option.error.message}`];
  }
  const [first, ...rest] = formatValue(option.value ?? '');
  const filterNote = option.fromFilter ? ` (+ ${option.fromFilter.join(', ')} from the filter)` : '';
  return [`${option.name} = ${first}    ; ← ${origin}${filterNote}`, ...rest];
}

function formatSection(section: EffectiveSection): string[] {
  return [`[${section.name}]`, ...section.options.flatMap(formatOption), ''];
}

/**
 * Text for "Show Effective Configuration": the layers in read order, then every enabled jail (jail kinds)
 * or the server sections, each value interpolated and marked with the layer it came from.
 */
export function effectiveConfigReport(context: ConfigContext): string {
  const header = [
    `; Effective fail2ban configuration (${context.kind}, fail2ban ${context.fail2banVersion}` +
      (context.kind.startsWith('dms-') ? `, DMS ${context.dmsVersion})` : ')'),
    '; Files in the order fail2ban reads them (later files win per option):',
    ...context.layers.map((layer, index) => `;   ${index + 1}. ${layer.path} — ${layer.label}`),
    '',
  ];
  if (readerBaseName(context.kind) !== 'jail') {
    return [...header, ...effectiveServer(context).flatMap(formatSection)].join('\n');
  }
  const enabled = context.jailNames().filter((name) => context.isEnabled(name));
  const body =
    enabled.length === 0
      ? ['; No jail is enabled.']
      : [`; ${enabled.length} enabled jail(s): ${enabled.join(', ')}`, '', ...enabled.flatMap((name) => formatSection(effectiveJail(context, name)))];
  return [...header, ...body].join('\n').replace(/\n+$/, '\n');
}
