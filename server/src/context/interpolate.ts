// `%(...)s` interpolation exactly as fail2ban's BasicInterpolationWithName does it
// (source: fail2ban 1.1.0 client/configparserinc.py on CPython 3.11 configparser.BasicInterpolation;
// unchanged in 1.0.2 and 1.1.1). Port notes:
//  - lookups go through a chain: per-call vars (here: `%(__name__)s` and mapped `sect/opt` keys) →
//    the section's own options → [DEFAULT]; keys are lower-cased before the lookup;
//  - at every nesting level `%(sect/opt)s`, `%(known/opt)s`, `%(default/opt)s` found in the text being
//    expanded are mapped to RAW values (case kept, so `%(B/x)s` for section [b] fails, as in fail2ban);
//    the mapped value is then expanded in the context of the section being read;
//  - recursion deeper than 10 levels raises the depth error; messages are configparser's own.
import { DEFAULT_SECTION, knownSection, needsInterpolation, OptionTable, type MergedConfig, type OptionMap } from './merge';
import { pyRepr } from './pyRepr';
import type { InterpolationError, Interpolated, RawValue } from './types';
import { asciiOrUnicode, lazyRegex } from '../lazyRegex';

export const MAX_INTERPOLATION_DEPTH = 10;

/**
 * configparser BasicInterpolation._KEYCRE `%\(([^)]+)\)s` matched at `pos` (a '%(' there): the offset of its ')',
 * or -1. A scan instead of a sticky regex: no match array for each of the many references of a big file.
 */
function keyReferenceClose(text: string, pos: number): number {
  const close = text.indexOf(')', pos + 2);
  return close > pos + 2 && text.charCodeAt(close + 1) === 0x73 /* s */ ? close : -1;
}
/** SafeConfigParserWithIncludes.SECTION_OPTSUBST_CRE (\w Unicode-aware as in Python) */
const sectionOptionReference = asciiOrUnicode(/%\(([A-Za-z0-9_-]+\/([^)]+))\)s/g, () => /%\(([\p{L}\p{N}_-]+\/([^)]+))\)s/gu);
/** SafeConfigParserWithIncludes.SECTION_OPTNAME_CRE without the `>` exclusion subtleties of get_ex */
const sectionPart = lazyRegex(() => /^([\p{L}\p{N}_-]+)\//u);

interface Entry {
  text: string;
  raw?: RawValue;
}

/**
 * The per-call vars of a nesting level (mapped `sect/opt` keys) as a chain of the keys each level added, the
 * innermost first: a level adds few keys (usually one `known/x`) and most add none, so no Map copied per level.
 * undefined: no vars.
 */
interface MappedKey extends Entry {
  key: string;
  text: string;
  raw: RawValue;
  outer: MappedKey | undefined;
}

function mappedEntry(vars: MappedKey | undefined, key: string): MappedKey | undefined {
  for (let at = vars; at !== undefined; at = at.outer) if (at.key === key) return at;
  return undefined;
}

export interface InterpolationEnv {
  config: MergedConfig;
  /**
   * Sections whose filter has been read (enabled jails with a filter, second read pass): fail2ban then
   * adds every filter option as `known/<option>`. We do not know the filter's values, so such a key
   * resolves to '' when nothing else defines it, and is listed in `fromFilter`.
   */
  filterKnownSections?: ReadonlySet<string>;
  /**
   * For a section of `filterKnownSections`: the option names its filter really has (what fail2ban adds
   * as `known/<name>`), or undefined when the filter is not a stock one (anything may be defined there).
   * Without it every `known/<x>` of such a section resolves to ''.
   */
  filterKnownOptions?: (section: string) => ReadonlySet<string> | undefined;
  /** Results of [DEFAULT] values shared between the sections that see the same raw values (see interpolateRaw). */
  shared?: Map<RawValue, SharedResult>;
  /** Results of other values by their text, shared the same way (see interpolateRawIn). */
  sharedText?: Map<string, SharedResult>;
  /** The texts of other values interpolated so far (a text is shared from its second reading on). */
  textsRead?: Set<string>;
}

/** A value's result shared between sections and what it depends on: the raw value each key it looked up resolved to. */
interface SharedResult {
  /** key, found raw value, key, found raw value, … */
  dependencies: readonly (string | RawValue)[];
  result: DetailedInterpolation;
  /** how to build the result in another section */
  template: ResultTemplate;
  /** the deepest nesting level the expansion entered (1: the value itself): it fits where it starts at most 10 - depth deeper */
  depth: number;
  /** what a read of it visits besides the section's own values, made on first use (see sharedVisits) */
  visits?: SharedVisits;
}

/** What a read whose result is a shared one visits (see sharedVisits). */
export interface SharedVisits {
  /** the visited values every section the result fits visits (all but the section's own ones) */
  common: readonly RawValue[];
  /** the keys of the section's own values with a '%' the read visits (expanded in place: the same text in each section) */
  ownWithPercent: readonly string[];
}

/**
 * A shared result as a pattern: jail.conf's `filter = %(__name__)s[mode=%(mode)s]` takes each jail's name, and
 * `action_ = %(banaction)s[port="%(port)s", …]` each jail's own `port`. Another section whose keys resolve to the same
 * [DEFAULT] values, and to values of its own where these were its own (without '%', or with the same text where the
 * own value had a '%' and was expanded in place), gets the same text with its name and its own plain texts in their
 * places, and the same visited values with its own ones in their places.
 */
interface ResultTemplate {
  /** the value's text around the slots (one more than the slots) */
  parts: string[];
  /** per slot: the index in `dependencies` of the key whose own value's text goes there, or -1 for the section name */
  slots: number[];
  /** visited index, dependency index, visited index, …: where the section's own values are in `visited` */
  ownVisited: number[];
  /** per dependency (key, raw pair): did the key resolve to a value of the section's own */
  ownDependencies: boolean[];
  usesName: boolean;
}

/** Where in a raw value (the last one of `stack`) the problem sits: UTF-16 offsets into `raw.raw`. */
export interface ErrorSpan {
  start: number;
  end: number;
}

export interface DetailedInterpolation extends Interpolated {
  /** Every raw value read, the option's own first. */
  visited: RawValue[];
  /** On error: the chain of raw values from the option read down to the one holding the bad text. */
  errorStack?: RawValue[];
  errorSpan?: ErrorSpan;
  /** `known/<opt>` keys that fail2ban would take from the jail's filter (value unknown here). */
  fromFilter?: string[];
}

class InterpolationFailure {
  constructor(
    readonly error: InterpolationError,
    readonly stack: RawValue[],
    readonly span: ErrorSpan | undefined,
  ) {}
}

interface Run {
  env: InterpolationEnv;
  section: string;
  option: string;
  /** raw value of the option being read, as configparser quotes it in its messages */
  rawValue: string;
  sectionOptions: OptionMap | undefined;
  /**
   * The values read so far: the run's own list, reused (a result gets a copy of its exact length: a big file's
   * results live through the whole check, and most visit two values).
   */
  visited: RawValue[];
  /** allocated on the first `known/<opt>` taken from the filter (rare) */
  fromFilter: string[] | undefined;
  /** key and raw value of each lookup (for sharing the result), or undefined when not recorded */
  dependencies: (string | RawValue)[] | undefined;
  /** false once the result depends on more than the raw values looked up and the section name (`known/`, `sect/opt`) */
  shareable: boolean;
  /** did the last lookup find a value of the section's own (recorded with the dependencies) */
  ownFound: boolean;
  /** per dependency: a value of the section's own? (recorded with the dependencies) */
  ownDependencies: boolean[] | undefined;
  /** the value expanded so far */
  value: string;
  /** offset in `value`, dependency index (-1: the section name), …: the texts a template leaves out (allocated on the first) */
  slots: number[] | undefined;
  /** visited index, dependency index, …: the section's own values in `visited` */
  ownVisited: number[] | undefined;
  usesName: boolean;
  /** the deepest nesting level expand entered */
  maxDepth: number;
  /** the raw values from the one read down to the one being expanded: the first `stackSize` (pushed and popped, kept with the run) */
  stack: (RawValue | undefined)[];
  stackSize: number;
}

/**
 * The runs in progress, by nesting (a read may interpolate another on the way: a shared [DEFAULT] value, a jail's
 * filter): reused, not an object made for each of a big file's thousands of reads.
 */
const runs: Run[] = [];
let runsInProgress = 0;

/** A run of a read of `raw`, all else reset (see endRun). */
function startRun(env: InterpolationEnv, section: string, sectionOptions: OptionMap | undefined, option: string, raw: RawValue, recording: boolean): Run {
  let run = runs[runsInProgress];
  if (run === undefined) {
    run = {
      env,
      section,
      option,
      rawValue: raw.raw,
      sectionOptions,
      visited: listWithRoom(raw),
      fromFilter: undefined,
      dependencies: undefined,
      shareable: true,
      ownFound: false,
      ownDependencies: undefined,
      value: '',
      slots: undefined,
      ownVisited: undefined,
      usesName: false,
      maxDepth: 0,
      stack: [],
      stackSize: 0,
    };
    runs[runsInProgress] = run;
  }
  runsInProgress++;
  run.env = env;
  run.section = section;
  run.option = option;
  run.rawValue = raw.raw;
  run.sectionOptions = sectionOptions;
  run.visited.length = 1;
  run.visited[0] = raw;
  run.fromFilter = undefined;
  run.dependencies = recording ? [] : undefined;
  run.shareable = true;
  run.ownFound = false;
  run.ownDependencies = recording ? [] : undefined;
  run.value = '';
  run.slots = undefined;
  run.ownVisited = undefined;
  run.usesName = false;
  run.maxDepth = 0;
  run.stack[0] = raw;
  run.stackSize = 1;
  return run;
}

/** The run is over: it lets go of what it read (a kept run must not keep a closed document alive). */
function endRun(run: Run): void {
  runsInProgress--;
  run.env = IDLE_ENV;
  run.section = run.option = run.rawValue = run.value = '';
  run.sectionOptions = run.fromFilter = run.dependencies = run.ownDependencies = run.slots = run.ownVisited = undefined;
  // (shortened to one entry its list keeps its room: see listWithRoom)
  run.visited.length = 1;
  (run.visited as unknown[])[0] = undefined;
  run.stack.fill(undefined);
  run.stackSize = 0;
}

/** What an idle run holds (never read or written). */
const IDLE_ENV: InterpolationEnv = { config: { defaults: new OptionTable(), sections: new Map() } };

/** The text of a lookup that found no raw value: `__name__`'s section name, or '' for a `known/<opt>` from the filter. */
const FROM_FILTER: Entry = { text: '' };

/** A raw value found by a lookup (RawValue) or a text without one (Entry); undefined when the key is defined nowhere. */
function lookup(run: Run, vars: MappedKey | undefined, key: string): RawValue | Entry | undefined {
  // `__name__` sits in the per-call vars, which come first in configparser's lookup chain
  run.ownFound = false;
  if (key === '__name__') {
    if (run.section.includes('%')) run.shareable = false; // the name itself is expanded: more than a text to insert
    run.usesName = true;
    return { text: run.section };
  }
  if (vars !== undefined) {
    const fromVars = mappedEntry(vars, key);
    if (fromVars) return fromVars;
  }
  // the raw values themselves: no wrapper object per lookup (interpolation runs for every read of big files)
  const fromSection = run.sectionOptions?.get(key);
  const own = fromSection ?? run.env.config.defaults.get(key);
  if (own) {
    if (run.dependencies !== undefined) {
      run.dependencies.push(key, own);
      run.ownDependencies?.push(fromSection !== undefined);
      run.ownFound = fromSection !== undefined;
    }
    return own;
  }
  run.shareable = false;
  if (key.startsWith('known/') && run.env.filterKnownSections?.has(run.section)) {
    const filterOptions = run.env.filterKnownOptions?.(run.section);
    if (filterOptions && !filterOptions.has(key.slice('known/'.length))) return undefined; // fail2ban: Bad value substitution
    (run.fromFilter ??= []).push(key);
    return FROM_FILTER;
  }
  return undefined;
}

function isEntry(found: RawValue | Entry): found is Entry {
  return (found as Entry).text !== undefined;
}

/**
 * SafeConfigParserWithIncludes._map_section_options: returns the vars for this nesting level — the
 * parent's, or the parent's with the `sect/opt` keys found in `rest` in front (most values have none).
 */
function mapSectionOptions(run: Run, rest: string, parentVars: MappedKey | undefined): MappedKey | undefined {
  if (!rest.includes('/') || !rest.includes('%(')) return parentVars;
  run.shareable = false; // `sect/opt` and `known/opt` mappings: not worth modelling as dependencies
  let own = parentVars;
  // SECTION_OPTSUBST_CRE's matches, left to right, without a match object each (every jail's `%(known/x)s …` value)
  let from = 0;
  for (;;) {
    const start = rest.indexOf('%(', from);
    if (start < 0) break;
    from = start + 1;
    let slash = start + 2;
    let code = rest.charCodeAt(slash);
    while (isAsciiWordOrDash(code)) code = rest.charCodeAt(++slash);
    // \w is Unicode-aware: a name with other letters is left to the regex (mapping has no side effects: start over)
    if (code >= 0x80) return mapSectionOptionsByRegex(run, rest, parentVars);
    if (slash === start + 2 || code !== 0x2f /* / */) continue;
    const close = rest.indexOf(')', slash + 1);
    if (close < 0) break; // no ')' left: no match further on either
    if (close === slash + 1 || rest.charCodeAt(close + 1) !== 0x73 /* s */) continue;
    own = mapSectionOption(run, rest.slice(start + 2, close), rest.slice(slash + 1, close), own);
    from = close + 2;
  }
  return own;
}

function mapSectionOptionsByRegex(run: Run, rest: string, parentVars: MappedKey | undefined): MappedKey | undefined {
  let own = parentVars;
  for (const match of rest.matchAll(sectionOptionReference(rest))) own = mapSectionOption(run, match[1], match[2], own);
  return own;
}

/** [A-Za-z0-9_-]: Python's \w (and '-') on ASCII text. */
function isAsciiWordOrDash(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f || code === 0x2d;
}

/** One `sect/opt` reference of mapSectionOptions: `own`, the level's vars so far; returns them with the key added if it maps. */
function mapSectionOption(run: Run, sectionOption: string, option: string, own: MappedKey | undefined): MappedKey | undefined {
  const { config } = run.env;
  if (mappedEntry(own, sectionOption) !== undefined) return own;
  if (run.sectionOptions?.has(sectionOption) || config.defaults.has(sectionOption)) return own;
  const sectionName = sectionOption.slice(0, sectionOption.length - option.length - 1);
  const sectionLower = lowerCased(sectionName);
  let value: RawValue | undefined;
  let useDefault = false;
  if (sectionLower === 'default') {
    useDefault = true;
  } else if (sectionLower === 'known') {
    value = knownSection(config, run.section)?.get(option);
    useDefault = value === undefined;
  } else {
    const target = config.sections.get(sectionName);
    if (!target) return own;
    value = target.get(option);
    useDefault = value === undefined;
  }
  if (useDefault) value = config.defaults.get(option);
  if (value === undefined) return own;
  return { key: sectionOption, text: value.raw, raw: value, outer: own };
}

/** `written` is the key as written (before lower-casing), e.g. "Dovecot/port". */
function missingKeyCode(run: Run, written: string): InterpolationError['code'] {
  const reference = sectionPart().exec(written);
  if (!reference) return 'undefined-variable';
  const section = reference[1];
  const sectionLower = section.toLowerCase();
  if (sectionLower === 'known' || sectionLower === 'default') return 'undefined-variable';
  // fail2ban maps `section/opt` with the case as written but looks the key up lower-cased, so a
  // reference only works when the section exists and is written in lower case
  const works = section === sectionLower && run.env.config.sections.has(section);
  return works ? 'undefined-variable' : 'unknown-section-reference';
}

/** Fails the run with the chain being expanded (copied: the run's stack is reused). */
function fail(run: Run, code: InterpolationError['code'], message: string, span?: ErrorSpan): never {
  const stack = run.stack.slice(0, run.stackSize) as RawValue[];
  const source = stack.length > 0 ? stack[stack.length - 1] : undefined;
  throw new InterpolationFailure({ code, message, source }, stack, span);
}

/** BasicInterpolationWithName._interpolate_some + BasicInterpolation._interpolate_some. */
function expand(run: Run, text: string, parentVars: MappedKey | undefined, depth: number): void {
  const vars = mapSectionOptions(run, text, parentVars);
  if (depth > run.maxDepth) run.maxDepth = depth;
  if (depth > MAX_INTERPOLATION_DEPTH) {
    fail(
      run,
      'interpolation-recursion',
      `Recursion limit exceeded in value substitution: option ${pyRepr(run.option)} in section ${pyRepr(run.section)} ` +
        `contains an interpolation key which cannot be substituted in ${MAX_INTERPOLATION_DEPTH} steps. ` +
        `Raw value: ${pyRepr(run.rawValue)}`,
      { start: 0, end: text.length },
    );
  }
  let pos = 0;
  while (pos < text.length) {
    const percent = text.indexOf('%', pos);
    if (percent < 0) {
      run.value += pos === 0 ? text : text.slice(pos);
      return;
    }
    if (percent > pos) run.value += text.slice(pos, percent);
    pos = percent;
    const next = text.charAt(pos + 1);
    if (next === '%') {
      run.value += '%';
      pos += 2;
    } else if (next === '(') {
      const close = keyReferenceClose(text, pos);
      if (close < 0) {
        fail(run, 'invalid-interpolation', `bad interpolation variable reference ${pyRepr(text.slice(pos))}`, {
          start: pos,
          end: lineEnd(text, pos),
        });
      }
      const written = text.slice(pos + 2, close);
      const key = lowerCased(written);
      const referenceStart = pos;
      pos = close + 2;
      const found = lookup(run, vars, key);
      if (!found) {
        fail(
          run,
          missingKeyCode(run, written),
          `Bad value substitution: option ${pyRepr(run.option)} in section ${pyRepr(run.section)} contains an ` +
            `interpolation key ${pyRepr(key)} which is not a valid option name. Raw value: ${pyRepr(run.rawValue)}`,
          { start: referenceStart, end: pos },
        );
      }
      const foundRaw = isEntry(found) ? found.raw : found;
      const foundText = isEntry(found) ? found.text : found.raw;
      // the dependency just recorded, when the section's own value was found (a template's slot)
      const ownAt = run.ownFound && run.dependencies !== undefined ? run.dependencies.length - 2 : -1;
      if (foundRaw) {
        if (ownAt >= 0) (run.ownVisited ??= []).push(run.visited.length, ownAt);
        run.visited.push(foundRaw);
      }
      // (a mapped key's text is its raw value's)
      if (foundRaw !== undefined ? needsInterpolation(foundRaw) : foundText.includes('%')) {
        if (foundRaw && vars === undefined && run.dependencies === undefined && foundRaw === found && expandShared(run, foundRaw, key, depth + 1)) continue;
        if (foundRaw) run.stack[run.stackSize++] = foundRaw;
        expand(run, foundText, vars, depth + 1);
        if (foundRaw) run.stackSize--;
      } else {
        if (key === '__name__') (run.slots ??= []).push(run.value.length, -1);
        else if (ownAt >= 0) (run.slots ??= []).push(run.value.length, ownAt);
        run.value += foundText;
      }
    } else {
      fail(run, 'invalid-interpolation', `'%' must be followed by '%' or '(', found: ${pyRepr(text.slice(pos))}`, {
        start: pos,
        end: pos + 1,
      });
    }
  }
}

/** `key.toLowerCase()`, without a new string when it has no upper-case letter (most keys; a two-byte text's always copies). */
export function lowerCased(key: string): string {
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if ((code >= 0x41 && code <= 0x5a) || code >= 0x80) return key.toLowerCase();
  }
  return key;
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}

/** The raw value configparser's `get(section, option, raw=True)` returns, or undefined (no section/option). */
export function rawLookup(config: MergedConfig, section: string, option: string): RawValue | undefined {
  const key = option.toLowerCase();
  if (section === DEFAULT_SECTION) return config.defaults.get(key);
  const sectionOptions = config.sections.get(section);
  if (!sectionOptions) return undefined;
  return sectionOptions.get(key) ?? config.defaults.get(key);
}

/** configparser `get(section, option)` with fail2ban's interpolation; never throws. */
export function interpolateDetailed(env: InterpolationEnv, section: string, option: string): DetailedInterpolation {
  const raw = rawLookup(env.config, section, option);
  if (!raw) return { visited: [] };
  return interpolateRaw(env, section, option.toLowerCase(), raw);
}

/** The template of a result: the run's value cut at its slots (each the section's name or the text of an own value). */
function templateOf(run: Run): ResultTemplate {
  const slots = run.slots ?? [];
  const value = run.value;
  const parts: string[] = [];
  const dependencySlots: number[] = [];
  let from = 0;
  for (let i = 0; i < slots.length; i += 2) {
    parts.push(value.slice(from, slots[i]));
    const dependency = slots[i + 1];
    dependencySlots.push(dependency);
    const slotText = dependency < 0 ? run.section : (run.dependencies?.[dependency + 1] as RawValue).raw;
    from = slots[i] + slotText.length;
  }
  parts.push(value.slice(from));
  return { parts, slots: dependencySlots, ownVisited: run.ownVisited ?? [], ownDependencies: run.ownDependencies ?? [], usesName: run.usesName };
}

/**
 * Does the template fit this section: each key resolves to the same [DEFAULT] value, or (where it was the section's
 * own) to a value of this section's own: without '%' (a slot's text), or with the very text the template expanded;
 * and a name that goes in has no '%'.
 */
function templateHolds(section: string, sectionOptions: OptionMap | undefined, shared: SharedResult): boolean {
  const template = shared.template;
  if (template.usesName && section.includes('%')) return false;
  const { dependencies } = shared;
  for (let i = 0; i < dependencies.length; i += 2) {
    const key = dependencies[i] as string;
    const own = sectionOptions?.get(key);
    if (template.ownDependencies[i >> 1]) {
      if (own === undefined) return false;
      const expanded = dependencies[i + 1] as RawValue;
      if (needsInterpolation(expanded) ? own.raw !== expanded.raw : needsInterpolation(own)) return false;
    } else if (own !== undefined) {
      // the key resolved to [DEFAULT]'s value, which never changes once merged: it still does unless the section has its own
      return false;
    }
  }
  return true;
}

/** The section's own value of the shared result's `dependency`-th key (templateHolds saw that it has one). */
function ownValueOf(sectionOptions: OptionMap | undefined, shared: SharedResult, dependency: number): RawValue {
  return sectionOptions?.get(shared.dependencies[dependency] as string) as RawValue;
}

/** The shared result with this section's name and own values in the template's places. */
function fillTemplate(section: string, sectionOptions: OptionMap | undefined, raw: RawValue, shared: SharedResult): DetailedInterpolation {
  const { parts, slots, ownVisited } = shared.template;
  if (slots.length === 0 && ownVisited.length === 0) return shared.result;
  let value = parts[0];
  for (let i = 0; i < slots.length; i++) value += (slots[i] < 0 ? section : ownValueOf(sectionOptions, shared, slots[i]).raw) + parts[i + 1];
  let visited = shared.result.visited;
  if (ownVisited.length > 0) {
    visited = visited.slice();
    for (let i = 0; i < ownVisited.length; i += 2) visited[ownVisited[i]] = ownValueOf(sectionOptions, shared, ownVisited[i + 1]);
  }
  return { value, raw, visited };
}

/** The shared result of `raw` (a [DEFAULT] value read in `section`, not [DEFAULT]) that fits the section, if any. */
function fittingShared(env: InterpolationEnv, section: string, sectionOptions: OptionMap | undefined, raw: RawValue): SharedResult | undefined {
  const known = env.shared?.get(raw);
  return known !== undefined && templateHolds(section, sectionOptions, known) ? known : undefined;
}


/** A result shared by text, as read in this section: its value, `raw` (the section's own) first in visited. */
function fillTextResult(section: string, sectionOptions: OptionMap | undefined, raw: RawValue, shared: SharedResult): DetailedInterpolation {
  const filled = fillTemplate(section, sectionOptions, raw, shared);
  const visited = filled.visited === shared.result.visited ? filled.visited.slice() : filled.visited;
  visited[0] = raw;
  return { value: filled.value, raw, visited };
}

/**
 * For walks over many reads that only need what each one visits: when the read of `raw` (a [DEFAULT] value) in
 * `section` has a shared result, what it visits (besides the section's own values: their keys), without building the
 * section's copy of the result; else undefined (then interpolate it). Kept with the shared result: the same object
 * for every section it fits.
 */
export function sharedVisits(env: InterpolationEnv, section: string, sectionOptions: OptionMap | undefined, raw: RawValue): SharedVisits | undefined {
  if (raw.section !== DEFAULT_SECTION || section === DEFAULT_SECTION || !needsInterpolation(raw)) return undefined;
  const known = fittingShared(env, section, sectionOptions, raw);
  if (known === undefined) return undefined;
  if (known.visits === undefined) {
    const { ownVisited } = known.template;
    const ownAt = new Set<number>();
    const ownWithPercent: string[] = [];
    for (let i = 0; i < ownVisited.length; i += 2) {
      ownAt.add(ownVisited[i]);
      const key = known.dependencies[ownVisited[i + 1]] as string;
      if (needsInterpolation(known.dependencies[ownVisited[i + 1] + 1] as RawValue)) ownWithPercent.push(key);
    }
    known.visits = { common: known.result.visited.filter((_, index) => !ownAt.has(index)), ownWithPercent };
  }
  return known.visits;
}

/**
 * `[first]` with room for sixteen more, a run's list of values read (a read visits a few: a jail's
 * `%(known/ignoreip)s …` 2, its `action = %(action_)s …` 7). Shortening a packed array to one entry keeps room up to
 * 17 (V8 trims it from 18 on).
 */
function listWithRoom(first: RawValue): RawValue[] {
  const list = [first, first, first, first, first, first, first, first, first, first, first, first, first, first, first, first, first];
  list.length = 1;
  return list;
}

/** Does `text` have a `%(…/…)s`-like key (a '/' between a '%(' and the next ')')? */
function hasSectionOptionKey(text: string): boolean {
  for (let start = text.indexOf('%('); start >= 0; start = text.indexOf('%(', start + 2)) {
    const close = text.indexOf(')', start + 2);
    if (close < 0) return false;
    const slash = text.indexOf('/', start + 2);
    if (slash >= 0 && slash < close) return true;
  }
  return false;
}

/** How many times a [DEFAULT] value's shared result was set (in any env): what sharedVisits answers may change with. */
let sharedResultsChanges = 0;

/** A number that changes whenever sharedVisits may answer differently for the same section options (see readSection). */
export function sharedResultsVersion(): number {
  return sharedResultsChanges;
}

/** The deepest nesting level of the last successful interpolateRawIn (no object per result to carry it). */
let lastDepth = 0;

/**
 * Expands a [DEFAULT] value met at `depth` of a run that records nothing for sharing, where no `sect/opt` key is
 * mapped (so the value's expansion is what a read of it alone in the section would give): through its shared result
 * when there is one (a jail's `action = %(action_)s …` takes jail.conf's `action_` as every other jail does). false
 * when it fails, takes filter `known/` keys or nests too deep from here: then the caller expands it itself (and
 * reports the error with the whole chain).
 */
function expandShared(run: Run, raw: RawValue, key: string, depth: number): boolean {
  if (raw.section !== DEFAULT_SECTION || run.section === DEFAULT_SECTION) return false;
  const known = fittingShared(run.env, run.section, run.sectionOptions, raw);
  if (known !== undefined) {
    if (known.depth + depth - 1 > MAX_INTERPOLATION_DEPTH) return false;
    appendShared(run, known);
    if (known.depth + depth - 1 > run.maxDepth) run.maxDepth = known.depth + depth - 1;
    return true;
  }
  const result = interpolateRawIn(run.env, run.section, run.sectionOptions, key, raw);
  if (result.error !== undefined || result.fromFilter !== undefined || lastDepth + depth - 1 > MAX_INTERPOLATION_DEPTH) return false;
  if (lastDepth + depth - 1 > run.maxDepth) run.maxDepth = lastDepth + depth - 1;
  run.value += result.value as string;
  const visited = result.visited;
  for (let i = 1; i < visited.length; i++) run.visited.push(visited[i]);
  return true;
}

/** fillTemplate's text and visited values (but the first, the value itself, already there) added to a run's. */
function appendShared(run: Run, shared: SharedResult): void {
  const visited = shared.result.visited;
  const { parts, slots, ownVisited } = shared.template;
  let value = run.value + parts[0];
  for (let i = 0; i < slots.length; i++) value += (slots[i] < 0 ? run.section : ownValueOf(run.sectionOptions, shared, slots[i]).raw) + parts[i + 1];
  run.value = value;
  let nextOwn = 0; // ownVisited is in visited order
  for (let i = 1; i < visited.length; i++) {
    if (nextOwn < ownVisited.length && ownVisited[nextOwn] === i) {
      run.visited.push(ownValueOf(run.sectionOptions, shared, ownVisited[nextOwn + 1]));
      nextOwn += 2;
    } else {
      run.visited.push(visited[i]);
    }
  }
}

/** Interpolates a given raw value as if it were `option` read in `section`. */
export function interpolateRaw(env: InterpolationEnv, section: string, option: string, raw: RawValue): DetailedInterpolation {
  if (!needsInterpolation(raw)) return { value: raw.raw, raw, visited: [raw] };
  return interpolateRawIn(env, section, section === DEFAULT_SECTION ? undefined : env.config.sections.get(section), option, raw);
}

/**
 * interpolateRaw with the section's own options already looked up (`env.config.sections.get(section)`, undefined for
 * [DEFAULT]): the context's memo has them at hand, and a big file's jails are many lookups in a big map.
 */
export function interpolateRawIn(env: InterpolationEnv, section: string, sectionOptions: OptionMap | undefined, option: string, raw: RawValue): DetailedInterpolation {
  if (!needsInterpolation(raw)) return { value: raw.raw, raw, visited: [raw] };
  // A [DEFAULT] value read in thousands of jails: where every key it looks up resolves to the same raw value as in
  // the jail it was last read in, the result is the same (value, and visited: the same raw values in the same order);
  // with a template, the same up to the section's name and own values (see ResultTemplate).
  const sharing = raw.section === DEFAULT_SECTION && section !== DEFAULT_SECTION;
  if (sharing) {
    const known = fittingShared(env, section, sectionOptions, raw);
    if (known !== undefined) {
      lastDepth = known.depth;
      return fillTemplate(section, sectionOptions, raw, known);
    }
  }
  // The same text set in many sections (`port = %(myports)s` in each of thousands of jails): shared by its text the
  // same way, with the section's own value first in `visited`. Recorded from a text's second reading on (most texts
  // of a big file are a jail's own and read once).
  let sharingText = false;
  // a `%(sect/opt)s` key is mapped to a value of its own, which is not shared (every jail's `%(known/ignoreip)s …`)
  if (!sharing && section !== DEFAULT_SECTION && !hasSectionOptionKey(raw.raw)) {
    const known = env.sharedText?.get(raw.raw);
    if (known !== undefined && templateHolds(section, sectionOptions, known)) {
      lastDepth = known.depth;
      return fillTextResult(section, sectionOptions, raw, known);
    }
    const seen = (env.textsRead ??= new Set());
    sharingText = seen.has(raw.raw);
    if (!sharingText) seen.add(raw.raw);
  }
  const recording = sharing || sharingText;
  const run = startRun(env, section, sectionOptions, option, raw, recording);
  try {
    expand(run, raw.raw, undefined, 1);
    if (run.fromFilter === undefined) {
      const result = { value: run.value, raw, visited: run.visited.slice() };
      if (recording && run.shareable && run.dependencies) {
        const shared: SharedResult = { dependencies: run.dependencies, result, template: templateOf(run), depth: run.maxDepth };
        if (sharing) {
          (env.shared ??= new Map()).set(raw, shared);
          sharedResultsChanges++;
        }
        else (env.sharedText ??= new Map()).set(raw.raw, shared);
      }
      lastDepth = run.maxDepth;
      return result;
    }
    return { value: run.value, raw, visited: run.visited.slice(), fromFilter: [...new Set(run.fromFilter)] };
  } catch (thrown) {
    if (!(thrown instanceof InterpolationFailure)) throw thrown;
    return {
      raw,
      error: thrown.error,
      visited: run.visited.slice(),
      errorStack: thrown.stack,
      errorSpan: thrown.span,
      ...(run.fromFilter !== undefined ? { fromFilter: [...new Set(run.fromFilter)] } : {}),
    };
  } finally {
    endRun(run);
  }
}
