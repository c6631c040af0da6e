// Merging of files the way fail2ban's SafeConfigParserWithIncludes.read does it
// (source: fail2ban 1.1.0 client/configparserinc.py, identical in 1.0.2 and 1.1.1):
// every file is parsed by its own parser, then [DEFAULT] is dict-updated and every other section is
// updated option by option; before an option is overwritten its previous raw value is saved into the
// hidden section `KNOWN/<section>` (what `%(known/opt)s` reads). Conditional sections `[word?cond]`
// are folded into `[word]` with keys renamed `key?cond`.
import type { Layer, RawValue } from './types';
import { lazyRegex } from '../lazyRegex';

export const DEFAULT_SECTION = 'DEFAULT';
export const INCLUDES_SECTION = 'INCLUDES';
export const KNOWN_PREFIX = 'KNOWN/';

export type OptionMap = Map<string, RawValue>;

/** The merged state of fail2ban's parser: `_defaults` and `_sections` (incl. `KNOWN/*`). */
export interface MergedConfig {
  defaults: OptionMap;
  sections: Map<string, OptionMap>;
  /** Section maps still shared with the config this one was cloned from: copied before mergeFile writes them. */
  shared?: Set<OptionMap>;
}

/** Python `^(\w+)(\?.+)$` (source: configparserinc.py CONDITIONAL_RE); \w is Unicode-aware in Python. */
const conditionalSection = lazyRegex(() => /^([\p{L}\p{N}_]+)(\?.+)$/u);

export function emptyConfig(): MergedConfig {
  return { defaults: new Map(), sections: new Map() };
}

/** A copy that mergeFile may change without touching `config` (section maps are copied on first write). */
export function cloneConfig(config: MergedConfig): MergedConfig {
  return { defaults: new Map(config.defaults), sections: new Map(config.sections), shared: new Set(config.sections.values()) };
}

/** The section map of `into` that mergeFile may write (a private copy if it is still shared). */
function writableSection(into: MergedConfig, name: string, options: OptionMap): OptionMap {
  if (!into.shared?.has(options)) return options;
  const copy = new Map(options);
  into.sections.set(name, copy);
  return copy;
}

/** What one parser instance holds after reading a single file (configparser, later duplicates win). */
export function singleFileConfig(layer: Layer): MergedConfig {
  const config = emptyConfig();
  for (const section of layer.doc.sections) {
    const isDefault = section.name === DEFAULT_SECTION;
    let target = isDefault ? config.defaults : config.sections.get(section.name);
    if (!target) {
      target = new Map();
      config.sections.set(section.name, target);
    }
    for (const option of section.options) {
      target.set(option.name, { raw: option.value, section: section.name, layer, option });
    }
  }
  return config;
}

/**
 * Merges one file's parser state into the accumulated one (mutates `into`). `adopt`: `file` is a fresh
 * singleFileConfig used nowhere else, so its section maps may become `into`'s own instead of being copied.
 */
export function mergeFile(into: MergedConfig, file: MergedConfig, adopt = false): void {
  for (const [name, value] of file.defaults) into.defaults.set(name, value);
  for (const [rawName, options] of file.sections) {
    let name = rawName;
    let incoming = options;
    // only a name with a '?' can match (most have none: the regex is then never made)
    const conditional = rawName.includes('?') ? conditionalSection().exec(rawName) : null;
    if (conditional) {
      name = conditional[1];
      incoming = new Map([...options].map(([key, value]) => [key + conditional[2], value]));
    }
    const current = into.sections.get(name);
    if (current) {
      const existing = writableSection(into, name, current);
      const currentKnown = into.sections.get(KNOWN_PREFIX + name);
      let known = currentKnown ? writableSection(into, KNOWN_PREFIX + name, currentKnown) : undefined;
      if (!known) {
        known = new Map();
        into.sections.set(KNOWN_PREFIX + name, known);
      }
      for (const [key, value] of existing) if (incoming.has(key)) known.set(key, value);
      for (const [key, value] of incoming) existing.set(key, value);
    } else {
      into.sections.set(name, adopt && incoming === options ? incoming : new Map(incoming));
    }
  }
}

/**
 * mergeFile(into, singleFileConfig(layer), true) without the file's own map of sections in between (a big user file
 * has thousands): sections new to `into` are filled in place, in file order; those `into` already has are gathered
 * per name first (a file's duplicates are one section to configparser) and merged as mergeFile does. Files with
 * conditional `[x?cond]` or `[KNOWN/x]` sections, whose merge order matters, go the long way.
 */
export function mergeLayer(into: MergedConfig, layer: Layer): void {
  const sections = layer.doc.sections;
  if (sections.some((section) => section.name.includes('?') || section.name.startsWith(KNOWN_PREFIX))) {
    mergeFile(into, singleFileConfig(layer), true);
    return;
  }
  const existing = new Set(into.sections.keys());
  let gathered: Map<string, OptionMap> | undefined;
  for (const section of sections) {
    const name = section.name;
    let target: OptionMap | undefined;
    if (name === DEFAULT_SECTION) {
      target = into.defaults; // dict-updated: the same as through the file's own map
    } else if (existing.has(name)) {
      gathered ??= new Map();
      target = gathered.get(name);
      if (!target) gathered.set(name, (target = new Map()));
    } else {
      target = into.sections.get(name);
      if (!target) into.sections.set(name, (target = new Map()));
    }
    for (const option of section.options) target.set(option.name, { raw: option.value, section: name, layer, option });
  }
  if (gathered) mergeFile(into, { defaults: new Map(), sections: gathered }, true);
}

/**
 * Section names as ConfigReader.sections() lists them (KNOWN/* hidden), in first-seen order; `except`: a name left
 * out too (one list of a big file's 100k names, not a copy filtered again).
 */
export function visibleSections(config: MergedConfig, except?: string): string[] {
  const names: string[] = [];
  for (const name of config.sections.keys()) if (name !== except && !name.startsWith(KNOWN_PREFIX)) names.push(name);
  return names;
}
