// Merging of files the way fail2ban's SafeConfigParserWithIncludes.read does it
// (source: fail2ban 1.1.0 client/configparserinc.py, identical in 1.0.2 and 1.1.1):
// every file is parsed by its own parser, then [DEFAULT] is dict-updated and every other section is
// updated option by option; before an option is overwritten its previous raw value is saved into the
// hidden section `KNOWN/<section>` (what `%(known/opt)s` reads). Conditional sections `[word?cond]`
// are folded into `[word]` with keys renamed `key?cond`.
import type { ConfigDocument, OptionNode, SectionNode } from '../parser/model';
import type { Layer, RawValue } from './types';
import { lazyRegex } from '../lazyRegex';
import { valueHasPercent } from '../parser/parse';

export const DEFAULT_SECTION = 'DEFAULT';
export const INCLUDES_SECTION = 'INCLUDES';
export const KNOWN_PREFIX = 'KNOWN/';

/** Entries past which an OptionTable looks keys up through a Map (below, a scan of a few keys is as fast). */
const SCANNED_ENTRIES = 8;

/**
 * A section's options by key, in insertion order (configparser's dict of a section; setting a key again keeps its
 * place). Most sections have a handful of options and a big file has thousands of sections: the values in one array
 * sized for the section, searched in order, instead of a Map each (its hash table, grown as it fills, was most of a
 * big file's merge). A value's key is nearly always its option's name, so keys are kept apart only once one is not
 * (a conditional section's `key?cond`): the table lives through the whole check. A Map from key to position is kept
 * beside it once there are more than SCANNED_ENTRIES.
 */
export class OptionTable {
  /** The values in insertion order (the first `count` are in use). */
  private values: RawValue[];
  /** The keys by position, made when a key is not its value's option name; undefined while every key is. */
  private keyList: string[] | undefined = undefined;
  private count = 0;
  private positions: Map<string, number> | undefined = undefined;
  /**
   * A number the user of the merged config keeps with the section (the context: where its state is), -1: none; below
   * -1 while a mergeLayer call that made the table runs (see lastMergeMarker).
   */
  slot = -1;

  /** `capacity`: the entries expected (more may be set). */
  constructor(capacity = 0) {
    this.values = new Array<RawValue>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** The position of `key`'s entry, or -1. */
  private find(key: string): number {
    if (this.positions !== undefined) return this.positions.get(key) ?? -1;
    const end = this.count;
    const keyList = this.keyList;
    if (keyList !== undefined) {
      for (let i = 0; i < end; i++) if (keyList[i] === key) return i;
      return -1;
    }
    const values = this.values;
    for (let i = 0; i < end; i++) if (values[i].option.name === key) return i;
    return -1;
  }

  get(key: string): RawValue | undefined {
    const at = this.find(key);
    return at < 0 ? undefined : this.values[at];
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  set(key: string, value: RawValue): this {
    const at = this.find(key);
    if (at >= 0) {
      if (this.keyList === undefined && key !== value.option.name) this.keyList = this.keysUpTo(this.count);
      this.values[at] = value;
      return this;
    }
    const end = this.count++;
    if (this.keyList === undefined && key !== value.option.name) this.keyList = this.keysUpTo(end);
    this.values[end] = value;
    if (this.keyList !== undefined) this.keyList[end] = key;
    if (this.positions !== undefined) this.positions.set(key, end);
    else if (this.count > SCANNED_ENTRIES) {
      this.positions = new Map();
      for (let i = 0; i <= end; i++) this.positions.set(this.keyAt(i), i);
    }
    return this;
  }

  /** The keys of the first `end` entries (each its value's option name while there is no keyList). */
  private keysUpTo(end: number): string[] {
    const keyList = new Array<string>(end);
    for (let i = 0; i < end; i++) keyList[i] = this.values[i].option.name;
    return keyList;
  }

  /** The key of the entry at `position` (0 ≤ position < size, in insertion order): a walk without a callback. */
  keyAt(position: number): string {
    return this.keyList !== undefined ? this.keyList[position] : this.values[position].option.name;
  }

  /** The value of the entry at `position` (see keyAt). */
  valueAt(position: number): RawValue {
    return this.values[position];
  }

  /** Map.prototype.forEach's order of arguments: value, key. */
  forEach(visit: (value: RawValue, key: string) => void): void {
    // entries set while visiting are visited too, as a Map's forEach does
    for (let i = 0; i < this.count; i++) visit(this.values[i], this.keyAt(i));
  }

  *keys(): IterableIterator<string> {
    for (let i = 0; i < this.count; i++) yield this.keyAt(i);
  }

  *[Symbol.iterator](): IterableIterator<[string, RawValue]> {
    for (let i = 0; i < this.count; i++) yield [this.keyAt(i), this.values[i]];
  }

  /** A table with the same entries that can be changed on its own. */
  copy(): OptionTable {
    const copy = new OptionTable();
    copy.values = this.values.slice(0, this.count);
    copy.keyList = this.keyList?.slice(0, this.count);
    copy.count = this.count;
    if (this.positions !== undefined) copy.positions = new Map(this.positions);
    return copy;
  }
}

export type OptionMap = OptionTable;

/** The merged state of fail2ban's parser: `_defaults` and `_sections` (incl. `KNOWN/*`). */
export interface MergedConfig {
  defaults: OptionMap;
  sections: Map<string, OptionMap>;
  /** Section maps still shared with the config this one was cloned from: copied before mergeFile writes them. */
  shared?: Set<OptionMap>;
  /** The `KNOWN/<section>` sections by `<section>`, kept by setSection (made on the first ask when absent: knownSection). */
  knownIndex?: Map<string, OptionMap>;
}

/** Python `^(\w+)(\?.+)$` (source: configparserinc.py CONDITIONAL_RE); \w is Unicode-aware in Python. */
const conditionalSection = lazyRegex(() => /^([\p{L}\p{N}_]+)(\?.+)$/u);

export function emptyConfig(): MergedConfig {
  return { defaults: new OptionTable(), sections: new Map(), knownIndex: new Map() };
}

/** A copy that mergeFile may change without touching `config` (section maps are copied on first write). */
export function cloneConfig(config: MergedConfig): MergedConfig {
  return {
    defaults: config.defaults.copy(),
    sections: new Map(config.sections),
    shared: new Set(config.sections.values()),
    knownIndex: config.knownIndex && new Map(config.knownIndex),
  };
}

/** The section map of `into` that mergeFile may write (a private copy if it is still shared). */
function writableSection(into: MergedConfig, name: string, options: OptionMap): OptionMap {
  if (!into.shared?.has(options)) return options;
  const copy = options.copy();
  setSection(into, name, copy);
  return copy;
}

/** Sets section `name` of `config` (the only way merging adds or replaces a section: it keeps the KNOWN/ index). */
function setSection(config: MergedConfig, name: string, options: OptionMap): void {
  config.sections.set(name, options);
  if (config.knownIndex !== undefined && name.startsWith(KNOWN_PREFIX)) config.knownIndex.set(name.slice(KNOWN_PREFIX.length), options);
}

/**
 * The section `KNOWN/<section>` (the values `section` had before a later file set them), without making the name
 * `KNOWN/<section>` for each of thousands of `%(known/x)s` read (a new string to hash in a map of all sections).
 */
export function knownSection(config: MergedConfig, section: string): OptionMap | undefined {
  let index = config.knownIndex;
  if (index === undefined) {
    const found = new Map<string, OptionMap>();
    // (forEach: no entry pair made for each of thousands of sections)
    config.sections.forEach((options, name) => {
      if (name.startsWith(KNOWN_PREFIX)) found.set(name.slice(KNOWN_PREFIX.length), options);
    });
    config.knownIndex = index = found;
  }
  return index.get(section);
}

/** Does reading `raw` interpolate (is there a '%' in it)? */
export function needsInterpolation(raw: RawValue): boolean {
  return raw.hasPercent ?? raw.raw.includes('%');
}

/**
 * A value of the merged configuration: the option node, and where it was found. One per option of every file read
 * and they live through the whole check, so only three fields: its text and '%' flag are the node's (read on ask).
 */
class MergedValue implements RawValue {
  constructor(
    readonly option: OptionNode,
    readonly section: string,
    readonly layer: Layer,
  ) {}

  get raw(): string {
    return this.option.value;
  }

  get hasPercent(): boolean {
    return valueHasPercent(this.option);
  }
}

/** The merged configuration's value of `option`, found in `section` of `layer`. */
function rawValueOf(option: OptionNode, section: string, layer: Layer): RawValue {
  return new MergedValue(option, section, layer);
}

/** What one parser instance holds after reading a single file (configparser, later duplicates win). */
export function singleFileConfig(layer: Layer): MergedConfig {
  const config = emptyConfig();
  // (indexed loops: in code run once per check, for…of makes an object per step)
  const sections = layer.doc.sections;
  for (let at = 0; at < sections.length; at++) {
    const section = sections[at];
    const isDefault = section.name === DEFAULT_SECTION;
    let target = isDefault ? config.defaults : config.sections.get(section.name);
    if (!target) {
      target = new OptionTable(section.options.length);
      setSection(config, section.name, target);
    }
    const options = section.options;
    for (let i = 0; i < options.length; i++) target.set(options[i].name, rawValueOf(options[i], section.name, layer));
  }
  return config;
}

/**
 * Merges one file's parser state into the accumulated one (mutates `into`). `adopt`: `file` is a fresh
 * singleFileConfig used nowhere else, so its section maps may become `into`'s own instead of being copied.
 */
export function mergeFile(into: MergedConfig, file: MergedConfig, adopt = false): void {
  file.defaults.forEach((value, name) => into.defaults.set(name, value));
  for (const [rawName, options] of file.sections) {
    let name = rawName;
    let incoming = options;
    // only a name with a '?' can match (most have none: the regex is then never made)
    const conditional = rawName.includes('?') ? conditionalSection().exec(rawName) : null;
    if (conditional) {
      name = conditional[1];
      const renamed = new OptionTable(options.size);
      const condition = conditional[2];
      options.forEach((value, key) => renamed.set(key + condition, value));
      incoming = renamed;
    }
    const current = into.sections.get(name);
    if (current) {
      const existing = writableSection(into, name, current);
      const currentKnown = into.sections.get(KNOWN_PREFIX + name);
      let known = currentKnown ? writableSection(into, KNOWN_PREFIX + name, currentKnown) : undefined;
      if (!known) {
        known = new OptionTable();
        setSection(into, KNOWN_PREFIX + name, known);
      }
      const knownOptions = known;
      existing.forEach((value, key) => {
        if (incoming.has(key)) knownOptions.set(key, value);
      });
      incoming.forEach((value, key) => existing.set(key, value));
    } else {
      setSection(into, name, adopt && incoming === options ? incoming : incoming.copy());
    }
  }
}

/** The options of a document whose value has a '%', with their sections (two lists: no object per option), in document order. */
export interface OptionsWithPercent {
  sections: SectionNode[];
  options: OptionNode[];
}

const percentOptionsByDocument = new WeakMap<ConfigDocument, OptionsWithPercent>();

/**
 * The options of `doc` whose value has a '%' (all that can fail interpolation), as mergeLayer noted them, or found
 * now. Shared: do not modify.
 */
export function optionsWithPercent(doc: ConfigDocument): Readonly<OptionsWithPercent> {
  let found = percentOptionsByDocument.get(doc);
  if (found === undefined) {
    found = { sections: [], options: [] };
    const sections = doc.sections;
    for (let at = 0; at < sections.length; at++) {
      const options = sections[at].options;
      for (let i = 0; i < options.length; i++) {
        if (!options[i].value.includes('%')) continue;
        found.sections.push(sections[at]);
        found.options.push(options[i]);
      }
    }
    percentOptionsByDocument.set(doc, found);
  }
  return found;
}

/**
 * Does any section of `doc` need mergeLayer's long way (a conditional `[x?cond]` or a `[KNOWN/x]`)? A caller that
 * walks the sections anyway may find out on its way and tell mergeLayer.
 */
export function isSpecialSectionName(name: string): boolean {
  return name.includes('?') || name.startsWith(KNOWN_PREFIX);
}

/**
 * The marker mergeLayer puts in the `slot` of the tables it makes (a new one each call, below -1): a name whose table
 * has another was in `into` before (the context sets every slot to its own index once the config is built).
 */
let lastMergeMarker = -1;

/**
 * mergeFile(into, singleFileConfig(layer), true) without the file's own map of sections in between (a big user file
 * has thousands): sections new to `into` are filled in place, in file order; those `into` already has are gathered
 * per name first (a file's duplicates are one section to configparser) and merged as mergeFile does. Files with
 * conditional `[x?cond]` or `[KNOWN/x]` sections, whose merge order matters, go the long way.
 */
export function mergeLayer(into: MergedConfig, layer: Layer, hasSpecialNames?: boolean): void {
  const sections = layer.doc.sections;
  if (hasSpecialNames ?? sections.some((section) => isSpecialSectionName(section.name))) {
    mergeFile(into, singleFileConfig(layer), true);
    return;
  }
  // (no set of the names `into` had: one lookup per section tells a new name, one of this file, or an earlier one)
  const marker = --lastMergeMarker;
  // noted on the way: the values are looked at here anyway
  const withPercent: OptionsWithPercent | undefined = percentOptionsByDocument.has(layer.doc) ? undefined : { sections: [], options: [] };
  let gathered: Map<string, OptionMap> | undefined;
  for (let at = 0; at < sections.length; at++) {
    const section = sections[at];
    const name = section.name;
    let target: OptionMap | undefined;
    if (name === DEFAULT_SECTION) {
      target = into.defaults; // dict-updated: the same as through the file's own map
    } else {
      target = into.sections.get(name);
      if (target === undefined) {
        into.sections.set(name, (target = new OptionTable(section.options.length))); // (no KNOWN/ name here)
        target.slot = marker;
      } else if (target.slot !== marker) {
        // a section of an earlier file: this file's sections of that name are gathered first
        gathered ??= new Map();
        target = gathered.get(name);
        if (!target) gathered.set(name, (target = new OptionTable(section.options.length)));
      }
    }
    const options = section.options;
    for (let i = 0; i < options.length; i++) {
      const option = options[i];
      target.set(option.name, rawValueOf(option, name, layer));
      if (withPercent !== undefined && valueHasPercent(option)) {
        withPercent.sections.push(section);
        withPercent.options.push(option);
      }
    }
  }
  if (withPercent !== undefined) percentOptionsByDocument.set(layer.doc, withPercent);
  if (gathered) mergeFile(into, { defaults: new OptionTable(), sections: gathered }, true);
}

/**
 * Section names as ConfigReader.sections() lists them (KNOWN/* hidden), in first-seen order; `except`: a name left
 * out too (one list of a big file's 100k names, not a copy filtered again).
 */
export function visibleSections(config: MergedConfig, except?: string): string[] {
  const names: string[] = [];
  config.sections.forEach((_options, name) => {
    if (name !== except && !name.startsWith(KNOWN_PREFIX)) names.push(name);
  });
  return names;
}
