// Facts about options that completion and hover both show: defaults per layer, effective values,
// duration readings. Pure functions over the context and the knowledge tables.
import type { ConfigContext, Layer, RawValue } from '../context/types';
import { jailOption, serverOption } from '../knowledge';
import { parseDuration, formatDuration } from '../values/duration';
import type { Fail2banVersion, FileKind } from '../types';
import { isJailKind } from './shared';
import { t } from '../l10n';

const code = (s: string): string => '`' + s.replace(/`/g, "'") + '`';

/** Raw value of `option` in `section` (else its [DEFAULT]) within one layer's own document. */
export function valueInLayer(layer: Layer, section: string, option: string): RawValue | undefined {
  const wanted = option.toLowerCase();
  for (const name of section === 'DEFAULT' ? ['DEFAULT'] : [section, 'DEFAULT']) {
    for (const node of layer.doc.sections) {
      if (node.name !== name) continue;
      const found = [...node.options].reverse().find((o) => o.name === wanted);
      if (found) return { raw: found.value, section: name, layer, option: found };
    }
  }
  return undefined;
}

/** The value DMS's own files give `option` for `section` (latest DMS layer wins), if any. */
export function dmsDefault(context: ConfigContext, section: string, option: string): RawValue | undefined {
  let found: RawValue | undefined;
  for (const layer of context.layers) {
    if (layer.origin !== 'dms') continue;
    found = valueInLayer(layer, section, option) ?? found;
  }
  return found;
}

/** Whether `name` is read as a time by fail2ban (jail or server option). */
export function isDurationOption(kind: FileKind, name: string, section: string, version: Fail2banVersion): boolean {
  if (isJailKind(kind)) return jailOption(name, version)?.type === 'duration';
  return serverOption(name, section === 'DEFAULT' ? 'Definition' : section)?.type === 'duration';
}

/** "604800 s = 7 days" for a value fail2ban reads as a time; undefined when it cannot be read. */
export function describeDuration(value: string): string | undefined {
  const result = parseDuration(value);
  if (!result.ok) return undefined;
  const seconds = Number.isInteger(result.seconds) ? String(result.seconds) : result.seconds.toFixed(3);
  return `${seconds} s = ${formatDuration(result.seconds)}`;
}

export function originLabel(raw: RawValue): string {
  return `${raw.layer.label} [${raw.section}]`;
}

/** Markdown lines: DMS default and the effective value at this place, with where it comes from. */
export function layerFacts(context: ConfigContext, section: string, option: string): string[] {
  const facts: string[] = [];
  if (context.kind === 'dms-jail' || context.kind === 'dms-server') {
    const dms = dmsDefault(context, section, option);
    facts.push(
      dms
        ? t('DMS {0} sets {1} ({2})', context.dmsVersion, code(dms.raw), originLabel(dms))
        : t('DMS {0} does not set it', context.dmsVersion),
    );
  }
  const effective = context.interpolate(section, option);
  if (effective.raw) {
    const shown = effective.value ?? effective.raw.raw;
    const duration = isDurationOption(context.kind, option, section, context.fail2banVersion) ? describeDuration(shown) : undefined;
    facts.push(
      t(
        'Effective in [{0}]: {1} — from {2}',
        section,
        `${code(shown.split('\n')[0])}${shown.includes('\n') ? ' …' : ''}${duration ? ` (${duration})` : ''}`,
        originLabel(effective.raw),
      ) +
        (effective.error ? `\n\n  ⚠ ${effective.error.message}` : ''),
    );
  }
  return facts;
}
