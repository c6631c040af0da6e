// Shared helpers for the rules: which user options fail2ban actually reads, value offsets → ranges,
// and reporting with the "error only if fail2ban reads it" severity policy (fail2ban 1.1.0 client/configreader.py
// ConfigReaderUnshared.getOptions: only the options a reader `get`s are interpolated and converted).
import type { ConfigContext, Interpolated, RawValue } from '../context/types';
import { jailOption, type JailOptionView } from '../knowledge/jailOptions';
import type { ConfigDocument, OptionNode, SectionNode } from '../parser/model';
import { OptionNodeImpl, VALUE_HAS_HASH, VALUE_HAS_REFERENCE, VALUE_HAS_SEMICOLON, valueHasPercent } from '../parser/parse';
import { valueSpanRange, wholeValueRange } from '../context/locate';
import type { DmsVersion, Fail2banVersion, FileKind, Fix, Range, Severity } from '../types';
import type { RuleContext } from './rule';
import { containerHas } from '../context/container';
import { serverLanguage, t } from '../l10n';

export function isJailKind(kind: FileKind): boolean {
  return kind === 'dms-jail' || kind === 'jail';
}

export function isDmsKind(kind: FileKind): boolean {
  return kind === 'dms-jail' || kind === 'dms-server';
}

/** Every section of a jail file is a jail except these (fail2ban `JailsReader.getOptions`). */
export function isJailSectionName(name: string): boolean {
  return name !== 'DEFAULT' && name !== 'INCLUDES' && !name.startsWith('KNOWN/');
}

export interface OptionSite {
  section: SectionNode;
  option: OptionNode;
}

/**
 * Answers about the sites for one context (verdicts and jailsUsing), by site. Maps: the rules decide most values
 * without them, so few sites of a big file are asked about.
 */
interface SiteAnswers {
  context: ConfigContext;
  verdicts: Map<OptionSite, Readonly<ReadVerdict>>;
  usingEnabled: Map<OptionSite, readonly string[]>;
  usingAll: Map<OptionSite, readonly string[]>;
  disabledNotes: Map<string, string>;
}

/** Text in values that some rule looks for (references, and what looks like an inline comment). */
export type ValueMarker = '%(' | '#' | ';';

/**
 * The options of one name: where the first and last are in `all`, and how many (the others are chained through
 * SiteIndex.nextOfName). The list itself is made when a rule first asks for the name.
 */
interface NameEntry {
  first: number;
  last: number;
  count: number;
  sites: readonly OptionSite[] | undefined;
}

interface SiteIndex {
  all: readonly OptionSite[];
  byName: Map<string, NameEntry>;
  /** Position in `all` of the next option of the same name (-1 after the last). */
  nextOfName: Int32Array;
  /** sites whose value contains the marker (found while indexing: one walk through a big file's options, not one per rule) */
  withMarker: Readonly<Record<ValueMarker, readonly OptionSite[]>>;
  /** for the context last asked about (one document is checked in one context at a time) */
  answers?: SiteAnswers;
}

/** A site made by the index for an option node that is not its own site (documents not made by the parser). */
class IndexedSite implements OptionSite {
  constructor(
    readonly section: SectionNode,
    readonly option: OptionNode,
  ) {}
}

/** Every rule walks the user's options: list and index them once per document. */
const sitesByDocument = new WeakMap<ConfigDocument, SiteIndex>();

function siteIndex(doc: ConfigDocument): SiteIndex {
  let index = sitesByDocument.get(doc);
  if (!index) {
    const sections = doc.sections;
    let count = 0;
    for (let i = 0; i < sections.length; i++) count += sections[i].options.length;
    const all = new Array<OptionSite>(count); // (sized once: no copies while it grows)
    const nextOfName = new Int32Array(count);
    const byName = new Map<string, NameEntry>();
    const withMarker: Record<ValueMarker, OptionSite[]> = { '%(': [], '#': [], ';': [] };
    let at = 0;
    for (let i = 0; i < sections.length; i++) {
      const section = sections[i];
      const options = section.options;
      for (let j = 0; j < options.length; j++) {
        const option = options[j];
        // the parser's option nodes are their own sites (they know their section): no object made for each; and they
        // know what their values contain
        const site = option instanceof OptionNodeImpl && option.section === section ? option : new IndexedSite(section, option);
        all[at] = site;
        const markers = option instanceof OptionNodeImpl ? option.valueMarkers : markersOf(option.value);
        if (markers !== 0) {
          if ((markers & VALUE_HAS_REFERENCE) !== 0) withMarker['%('].push(site);
          if ((markers & VALUE_HAS_HASH) !== 0) withMarker['#'].push(site);
          if ((markers & VALUE_HAS_SEMICOLON) !== 0) withMarker[';'].push(site);
        }
        nextOfName[at] = -1;
        const named = byName.get(option.name);
        if (named === undefined) byName.set(option.name, { first: at, last: at, count: 1, sites: undefined });
        else {
          nextOfName[named.last] = at;
          named.last = at;
          named.count++;
        }
        at++;
      }
    }
    index = { all, byName, nextOfName, withMarker };
    sitesByDocument.set(doc, index);
  }
  return index;
}

/** The sites named `name` in file order, or undefined when the document has none (the list shared: do not modify). */
function namedSites(index: SiteIndex, name: string): readonly OptionSite[] | undefined {
  const entry = index.byName.get(name);
  if (entry === undefined) return undefined;
  if (entry.sites) return entry.sites;
  const sites = new Array<OptionSite>(entry.count);
  for (let at = entry.first, i = 0; at !== -1; at = index.nextOfName[at]) sites[i++] = index.all[at];
  return (entry.sites = sites);
}

/** The key line of a site's option: file order (one option per line). */
function keyLine(site: OptionSite): number {
  const option = site.option as OptionNode & { line?: number };
  return option.line ?? option.keyRange.start.line;
}

/**
 * User options, in file order, optionally only those with one of `names` (lower-cased keys). Shared between
 * the rules (a big file has tens of thousands): do not modify.
 */
export function userOptions(ctx: RuleContext, names?: ReadonlySet<string> | readonly string[]): readonly OptionSite[] {
  const index = siteIndex(ctx.doc);
  if (!names) return index.all;
  const found: string[] = [];
  let count = 0;
  for (const name of new Set(names)) {
    const entry = index.byName.get(name);
    if (entry === undefined) continue;
    found.push(name);
    count += entry.count;
  }
  if (found.length === 0) return [];
  if (found.length === 1) return namedSites(index, found[0])!;
  // a few names (the usual ask): their chains merged by position, in file order each
  if (found.length <= 8) return mergedInFileOrder(index, found, count);
  if (count * 8 < index.all.length) {
    // one option per line: the key line gives file order
    return found.flatMap((name) => namedSites(index, name)!).sort((a, b) => keyLine(a) - keyLine(b));
  }
  // most of the file: one pass in file order beats sorting
  const wanted = new Set(names);
  return index.all.filter((site) => wanted.has(site.option.name));
}

/** The sites of a few names, merged in file order: their chains walked by position in `all` (no sort, no walk over every option). */
function mergedInFileOrder(index: SiteIndex, names: readonly string[], count: number): readonly OptionSite[] {
  const merged = new Array<OptionSite>(count); // (sized once: no copies while it grows)
  const { all, nextOfName } = index;
  // each chain's next position (-1 when it is done)
  const heads = names.map((name) => index.byName.get(name)!.first);
  for (let at = 0; at < count; at++) {
    let pick = -1;
    for (let i = 0; i < heads.length; i++) {
      if (heads[i] >= 0 && (pick < 0 || heads[i] < heads[pick])) pick = i;
    }
    const position = heads[pick];
    merged[at] = all[position];
    heads[pick] = nextOfName[position];
  }
  return merged;
}

/** The options of any document whose value contains `marker`, in file order (shared: do not modify). */
export function sitesWithMarker(doc: ConfigDocument, marker: ValueMarker): readonly OptionSite[] {
  return siteIndex(doc).withMarker[marker];
}

/** Does the option's value have a '%' (so interpolation may change it)? The parser noted it for its nodes. */
export const hasPercent = valueHasPercent;

/** VALUE_HAS_… flags of a value (for option nodes not made by the parser, which notes them while parsing). */
function markersOf(value: string): number {
  return (value.includes('%(') ? VALUE_HAS_REFERENCE : 0) | (value.includes('#') ? VALUE_HAS_HASH : 0) | (value.includes(';') ? VALUE_HAS_SEMICOLON : 0);
}

/** The options named `name` (lower-cased) of any document, in file order (shared: do not modify). */
export function sitesNamed(doc: ConfigDocument, name: string): readonly OptionSite[] {
  return namedSites(siteIndex(doc), name) ?? [];
}

/**
 * The per-context answers, or undefined for a site the index did not hand out (one a rule made itself: not kept,
 * a new object each time).
 */
function answersFor(ctx: RuleContext, site: OptionSite): SiteAnswers | undefined {
  if (!(site instanceof OptionNodeImpl || site instanceof IndexedSite)) return undefined;
  const index = siteIndex(ctx.doc);
  if (index.answers?.context !== ctx.context) {
    index.answers = { context: ctx.context, verdicts: new Map(), usingEnabled: new Map(), usingAll: new Map(), disabledNotes: new Map() };
  }
  return index.answers;
}

/**
 * User options whose (lower-cased) name `accepts`, in file order: `accepts` is asked once per distinct name, so a
 * rule about a few option kinds does not look at every option of a big file.
 */
export function userOptionsNamed(ctx: RuleContext, accepts: (name: string) => boolean): readonly OptionSite[] {
  const index = siteIndex(ctx.doc);
  const names: string[] = [];
  for (const name of index.byName.keys()) if (accepts(name)) names.push(name);
  return names.length === index.byName.size ? index.all : userOptions(ctx, names);
}

/** Is `raw` the very option node of the user document? (Context layers may hold their own node objects.) */
export function isSameOption(raw: RawValue | undefined, option: OptionNode): boolean {
  if (!raw) return false;
  if (raw.option === option) return true;
  return (
    raw.layer.origin === 'user' &&
    raw.option.name === option.name &&
    raw.option.keyRange.start.line === option.keyRange.start.line &&
    raw.option.keyRange.start.character === option.keyRange.start.character
  );
}

function safeJailNames(ctx: RuleContext): readonly string[] {
  try {
    return ctx.context.jailNameList();
  } catch {
    return [];
  }
}

function safeEnabledJails(ctx: RuleContext): readonly string[] {
  try {
    return ctx.context.enabledJailNames();
  } catch {
    return [];
  }
}

function safeIsEnabled(ctx: RuleContext, jail: string): boolean {
  try {
    return ctx.context.isEnabled(jail);
  } catch {
    return false;
  }
}

function safeLookup(ctx: RuleContext, section: string, option: string): RawValue | undefined {
  try {
    return ctx.context.lookup(section, option);
  } catch {
    return undefined;
  }
}

/** Options read for every jail section, enabled or not (`JailReader._configOpts1st`). */
export const ALWAYS_READ_JAIL_OPTIONS: ReadonlySet<string> = new Set(['enabled', 'backend', 'filter']);

/**
 * Jails whose effective value of `site.option` is this very user option.
 * `enabledOnly` false: every jail section (for enabled/backend/filter, read for all jails).
 */
export function jailsUsing(ctx: RuleContext, site: OptionSite, enabledOnly = true): readonly string[] {
  // many rules ask about the same [DEFAULT] option, whose answer needs a lookup in every jail
  const answers = answersFor(ctx, site);
  if (!answers) return computeJailsUsing(ctx, site, enabledOnly);
  const known = enabledOnly ? answers.usingEnabled : answers.usingAll;
  let jails = known.get(site);
  if (jails === undefined) known.set(site, (jails = computeJailsUsing(ctx, site, enabledOnly))); // shared: a [DEFAULT] option's list names every jail
  return jails;
}

function computeJailsUsing(ctx: RuleContext, site: OptionSite, enabledOnly: boolean): readonly string[] {
  const { section, option } = site;
  if (!isJailKind(ctx.options.kind) || !isJailSectionName(section.name)) {
    if (section.name !== 'DEFAULT' || !isJailKind(ctx.options.kind)) return [];
    // a jail reads a [DEFAULT] value only through the effective [DEFAULT] one: every jail that does not set it itself
    if (!isSameOption(safeLookup(ctx, 'DEFAULT', option.name), option)) return [];
    try {
      return ctx.context.jailsInheriting(option.name, enabledOnly);
    } catch {
      return [];
    }
  }
  if (enabledOnly && !safeIsEnabled(ctx, section.name)) return [];
  return isSameOption(safeLookup(ctx, section.name, option.name), option) ? jailAlone(section.name) : [];
}

/** The last one-jail list handed out: a jail's options, asked about one after another, share it (lists are read only). */
let lastJailAlone: readonly string[] = [];

function jailAlone(jail: string): readonly string[] {
  if (lastJailAlone[0] !== jail) lastJailAlone = [jail];
  return lastJailAlone;
}

export interface ReadVerdict {
  /** fail2ban reads this value (so a bad value has its full effect). */
  read: boolean;
  /** Enabled jails that read it (jail kinds). Shared between callers: never modify it. */
  jails: readonly string[];
  /** Appended to messages of values that are not read, e.g. " (not read while jail 'x' is disabled)". */
  note: string;
  /** 'DEFAULT' for a [DEFAULT] value: its problems are reported there, naming the jails that use it. */
  section?: string;
}

/** Does fail2ban read this user option (jail kinds: what client/jailreader.py and filterreader.py `get`; server kinds: always)? */
export function readVerdict(ctx: RuleContext, site: OptionSite): ReadVerdict {
  // most rules ask this for the same options: answer each once per context (the answer is shared: read only)
  const answers = answersFor(ctx, site);
  if (!answers) return computeReadVerdict(ctx, site);
  let verdict = answers.verdicts.get(site);
  if (verdict === undefined) answers.verdicts.set(site, (verdict = computeReadVerdict(ctx, site, answers.disabledNotes)));
  return verdict;
}

const NO_JAILS: readonly string[] = [];

/** The last "read by these jails" verdict: the options of one jail, asked about one after another, share it (read only). */
let lastReadBy: Readonly<ReadVerdict> = { read: true, jails: NO_JAILS, note: '', section: '' };

function readBy(jails: readonly string[], section: string): ReadVerdict {
  if (lastReadBy.jails !== jails || lastReadBy.section !== section) lastReadBy = { read: true, jails, note: '', section };
  return lastReadBy;
}

/** `disabledNotes`: the note of each disabled jail, formatted once (a disabled jail has several options). */
function computeReadVerdict(ctx: RuleContext, site: OptionSite, disabledNotes?: Map<string, string>): ReadVerdict {
  const section = site.section.name;
  if (!isJailKind(ctx.options.kind)) return { read: true, jails: [], note: '', section };
  const always = ALWAYS_READ_JAIL_OPTIONS.has(site.option.name);
  const jails = jailsUsing(ctx, site, true);
  if (jails.length > 0) return readBy(jails, section);
  if (always && isJailSectionName(section)) return { read: true, jails: NO_JAILS, note: '', section };
  if (section === 'DEFAULT') {
    return {
      read: always,
      jails,
      note: always ? '' : t(' (no enabled jail uses this [DEFAULT] value yet, so fail2ban does not read it now)'),
      section,
    };
  }
  if (!isJailSectionName(section)) return { read: false, jails, note: t(' (section [{0}] is not a jail)', section), section };
  let note = disabledNotes?.get(section);
  if (note === undefined) {
    note = t(" (not read while jail '{0}' is disabled)", section);
    disabledNotes?.set(section, note);
  }
  return { read: false, jails, note, section };
}

/** Full severity when read, else at most a warning. */
export function severityFor(verdict: ReadVerdict, whenRead: Severity): Severity {
  if (verdict.read) return whenRead;
  return whenRead === 'error' ? 'warning' : whenRead;
}

/** Map a [start, end) offset range inside `option.value` to a document range (cut at the start line's end). */
export function valueRange(option: OptionNode, start: number, end: number = start): Range {
  return valueSpanRange(option, start, end);
}

export { wholeValueRange };

export interface CheckedValue {
  text: string;
  /** true when offsets in `text` are offsets in `option.value` (no interpolation happened). */
  precise: boolean;
}

/**
 * The text fail2ban would see for this option: the raw value when it has no `%`, else the interpolated
 * value in the first jail that uses it (undefined when interpolation fails: the interpolation rules report that).
 */
export function valueToCheck(ctx: RuleContext, site: OptionSite, jails?: readonly string[]): CheckedValue | undefined {
  const raw = site.option.value;
  if (!hasPercent(site.option)) return { text: raw, precise: true };
  const sections = jails && jails.length > 0 ? jails : [site.section.name];
  try {
    const result = interpolateQuietly(ctx, sections[0], site.option.name);
    if (result.error || result.value === undefined) return undefined;
    return { text: result.value, precise: false };
  } catch {
    return undefined;
  }
}

/** oneValue's answer for a [DEFAULT] value with `%`: each jail that inherits it may see another text. */
export const PER_JAIL = 'per-jail';

/**
 * The one text fail2ban sees for a site: its raw value, or its interpolation in its own section — what jailValues
 * gives for the jail that reads it, and valueToCheck when no jail does. So a rule can find a value clean without asking
 * which jails read it. Undefined when the interpolation fails (no rule checks such a value); PER_JAIL for a [DEFAULT]
 * value with `%`.
 *
 * The answer is one object used again by the next call (rules ask for tens of thousands of values, and a result object
 * for each was a good part of a check's garbage): read it at once, and copy it to keep it.
 */
export function oneValue(ctx: RuleContext, site: OptionSite): Readonly<CheckedValue> | undefined | typeof PER_JAIL {
  return fillOneValue(ctx, site, oneValueAnswer);
}

/** oneValue's answer (see there), and checkPerJail's own (a check it runs may ask oneValue about other sites). */
const oneValueAnswer: CheckedValue = { text: '', precise: true };
const perJailAnswer: CheckedValue = { text: '', precise: true };

/** oneValue, written into `answer`. */
function fillOneValue(ctx: RuleContext, site: OptionSite, answer: CheckedValue): CheckedValue | undefined | typeof PER_JAIL {
  const option = site.option;
  if (!hasPercent(option)) {
    answer.text = option.value;
    answer.precise = true;
    return answer;
  }
  const section = site.section.name;
  if (section === 'DEFAULT') return PER_JAIL;
  const text = interpolatedAsIs(ctx, section, option.name); // (its own value has '%': no lookup first)
  if (text === undefined) return undefined;
  answer.text = text;
  answer.precise = false;
  return answer;
}

/** Range of an in-value problem: precise when we checked the raw text, else the whole value. */
export function checkedRange(site: OptionSite, checked: CheckedValue, start: number, end: number): Range {
  return checked.precise ? valueSpanRange(site.option, start, end) : wholeValueRange(site.option);
}

/** No problems (shared: do not modify). */
export const NO_PROBLEMS: readonly ValueProblem[] = [];

export interface ValueProblem {
  code: string;
  range: Range;
  message: string;
  /** Severity when fail2ban reads the value. */
  severity: Severity;
  fixes?: Fix[];
  /** Technical detail (Python's own error text): LSP related information, CLI details. */
  details?: string;
}

/** Report a bad value with the read-policy applied (full severity only when read). */
export function reportValue(ctx: RuleContext, verdict: ReadVerdict, problem: ValueProblem): void {
  // a [DEFAULT] value is the [DEFAULT]'s problem: name every jail that inherits it rather than blaming one
  const usedBy =
    verdict.section === 'DEFAULT' && verdict.jails.length > 0 && !namesJails(problem.message) // unless it names them already
      ? t(' This [DEFAULT] value is used by {0}.', jailList(verdict.jails))
      : '';
  ctx.report({
    code: problem.code,
    range: problem.range,
    message: problem.message + usedBy + verdict.note,
    severity: severityFor(verdict, problem.severity),
    fixes: problem.fixes,
    ...(problem.details ? { details: problem.details } : {}),
  });
}

/** Does the message name jails itself (jailList's words: German capitalises its nouns)? */
function namesJails(message: string): boolean {
  return (serverLanguage() === 'de' ? /\bJails? '/ : /\bjails? '/).test(message);
}

/** "jail 'x'" / "jails 'x', 'y'" / "the jail" for messages. */
export function jailList(jails: readonly string[]): string {
  if (jails.length === 0) return t('the jail');
  const shown = jails.slice(0, 3).map((j) => `'${j}'`).join(', ');
  if (jails.length === 1) return t('jail {0}', shown);
  return jails.length > 3 ? t('jails {0} and {1} more', shown, jails.length - 3) : t('jails {0}', shown);
}

/** context.interpolate without the copy it makes of the (memoized) result: rules ask for thousands of values. */
function interpolateQuietly(ctx: RuleContext, section: string, option: string): Readonly<Interpolated> {
  return ctx.context.interpolateDetailed(section, option);
}

/** Effective value (raw, uninterpolated) helper that never throws. */
export function lookupRaw(ctx: RuleContext, section: string, option: string): RawValue | undefined {
  return safeLookup(ctx, section, option);
}

export function interpolated(ctx: RuleContext, section: string, option: string): string | undefined {
  // a value without '%' is its own interpolation: no result object for each of thousands of jails
  const raw = safeLookup(ctx, section, option);
  if (raw === undefined) return undefined;
  if (!raw.raw.includes('%')) return raw.raw;
  return interpolatedAsIs(ctx, section, option);
}

/** interpolated() straight from the context (for a value that most likely has a '%'). */
function interpolatedAsIs(ctx: RuleContext, section: string, option: string): string | undefined {
  try {
    const result = interpolateQuietly(ctx, section, option);
    return result.error ? undefined : result.value;
  } catch {
    return undefined;
  }
}

/** Shared: do not modify. */
export function enabledJails(ctx: RuleContext): readonly string[] {
  return safeEnabledJails(ctx);
}

export function isEnabled(ctx: RuleContext, jail: string): boolean {
  return safeIsEnabled(ctx, jail);
}

/** Shared: do not modify. */
export function allJails(ctx: RuleContext): readonly string[] {
  return safeJailNames(ctx);
}

/** Server options that are not used when the ban database is off (`dbfile = None`; fail2ban 1.1.0 server/server.py setDatabase). */
const DATABASE_OPTIONS: ReadonlySet<string> = new Set(['dbpurgeage', 'dbmaxmatches']);

/** readVerdict, plus: server database options are not used while `dbfile = None`. */
export function optionVerdict(ctx: RuleContext, site: OptionSite): ReadVerdict {
  if (!isJailKind(ctx.options.kind) && DATABASE_OPTIONS.has(site.option.name)) {
    const dbfile = interpolated(ctx, 'Definition', 'dbfile');
    if (dbfile !== undefined && dbfile.trim().toLowerCase() === 'none') {
      return { read: false, jails: [], note: t(' (not used while dbfile = None)') };
    }
  }
  return readVerdict(ctx, site);
}

export interface JailValue {
  checked: CheckedValue;
  /** Jails (of those asked about) that see exactly this text; empty when no enabled jail uses the option. Read only. */
  jails: readonly string[];
}

/**
 * The texts fail2ban sees for this option in EACH of `jails` (grouped by text): a `[DEFAULT]` value
 * with `%(port)s` may only break in the jails whose `port` is `http,https`. Without `%` there is one
 * precise text; jails whose interpolation fails are left out (the interpolation rules report them).
 */
export function jailValues(ctx: RuleContext, site: OptionSite, jails: readonly string[]): JailValue[] {
  const raw = site.option.value;
  if (!hasPercent(site.option)) return [{ checked: { text: raw, precise: true }, jails }]; // not copied: may name every jail
  if (jails.length === 0) {
    const checked = valueToCheck(ctx, site);
    return checked ? [{ checked, jails: [] }] : [];
  }
  if (jails.length === 1) {
    // a jail's own value: no grouping needed
    const text = interpolated(ctx, jails[0], site.option.name);
    return text === undefined ? [] : [{ checked: { text, precise: false }, jails }];
  }
  const byText = new Map<string, string[]>();
  for (const jail of jails) {
    const text = interpolated(ctx, jail, site.option.name);
    if (text === undefined) continue;
    const group = byText.get(text);
    if (group) group.push(jail);
    else byText.set(text, [jail]);
  }
  return [...byText].map(([text, group]) => ({ checked: { text, precise: false }, jails: group }));
}

/**
 * Problems found while checking one option for several jails, reported once per key with every jail
 * concerned: `build` is called again with the union of jails so that the message can name them all.
 */
export class JailProblems {
  /** created on the first problem: most values have none */
  private found: Map<string, { jails: string[]; named: Set<string>; build: (jails: string[]) => ValueProblem }> | undefined;

  add(key: string, jails: readonly string[], build: (jails: string[]) => ValueProblem): void {
    this.found ??= new Map();
    const entry = this.found.get(key);
    if (entry) {
      // a Set beside the list: a [DEFAULT] value can concern thousands of jails
      for (const jail of jails) {
        if (entry.named.has(jail)) continue;
        entry.named.add(jail);
        entry.jails.push(jail);
      }
    } else this.found.set(key, { jails: [...jails], named: new Set(jails), build });
  }

  /** Was any problem added? */
  any(): boolean {
    return this.found !== undefined;
  }

  report(ctx: RuleContext, verdict: ReadVerdict): void {
    if (!this.found) return;
    for (const { jails, build } of this.found.values()) reportValue(ctx, verdict, build(jails));
  }
}

/** A stable key for a range (for JailProblems). */
export function rangeKey(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/**
 * Checks the text each enabled jail sees (see jailValues) and reports every distinct problem once. When a
 * substituted value breaks only in some of the jails that read it, the message names them. `check` must not keep the
 * `checked` it is given (the first one is used again for the next value).
 */
export function checkPerJail(
  ctx: RuleContext,
  site: OptionSite,
  verdictOf: (ctx: RuleContext, site: OptionSite) => ReadVerdict,
  check: (ctx: RuleContext, site: OptionSite, checked: CheckedValue, jails: readonly string[]) => readonly ValueProblem[],
): void {
  // most values are fine: decided on the one text, without asking which jails read it (`check` must find the same
  // problems whichever jails it is given: they only go into messages)
  const one = fillOneValue(ctx, site, perJailAnswer);
  if (one !== PER_JAIL && (one === undefined || check(ctx, site, one, NO_JAILS).length === 0)) return;
  reportPerJail(ctx, site, verdictOf(ctx, site), check);
}

/** checkPerJail for a value with problems (apart: its closures would make every call allocate their context). */
function reportPerJail(
  ctx: RuleContext,
  site: OptionSite,
  verdict: ReadVerdict,
  check: (ctx: RuleContext, site: OptionSite, checked: CheckedValue, jails: readonly string[]) => readonly ValueProblem[],
): void {
  const problems = new JailProblems();
  for (const { checked, jails } of jailValues(ctx, site, verdict.jails)) {
    for (const problem of check(ctx, site, checked, jails)) {
      const key = `${problem.code}|${rangeKey(problem.range)}|${problem.message}`;
      problems.add(key, jails, (all) =>
        !checked.precise && all.length > 0 && all.length < verdict.jails.length ? { ...problem, message: t('{0} (in {1})', problem.message, jailList(all)) } : problem,
      );
    }
  }
  problems.report(ctx, verdict);
}

const jailOptionMemo = new Map<Fail2banVersion, Map<string, JailOptionView | undefined>>();

/** knowledge's jailOption, looked up once per (version, name): rules ask for every option of big files. Do not mutate. */
export function knownJailOption(name: string, version: Fail2banVersion): Readonly<JailOptionView> | undefined {
  let byName = jailOptionMemo.get(version);
  if (!byName) jailOptionMemo.set(version, (byName = new Map()));
  if (byName.has(name)) return byName.get(name);
  if (byName.size > 10_000) byName.clear(); // names come from user files: keep the memo bounded
  const info = jailOption(name, version);
  byName.set(detached(name), info);
  return info;
}

/**
 * `compute` remembered per text: big files repeat the same values ('1h', 'postfix[mode=extra]', '127.0.0.1/8')
 * across thousands of jails. For pure functions only; the results are shared, so callers must not mutate them.
 */
export function memoizeText<T>(compute: (text: string) => T, limit = 10_000): (text: string) => T {
  const cache = new Map<string, T>();
  let language = serverLanguage();
  return (text) => {
    if (language !== serverLanguage()) {
      cache.clear(); // results may hold messages in the old language
      language = serverLanguage();
    }
    const known = cache.get(text); // one lookup for a hit (each value a rule checks is asked for by several)
    if (known !== undefined || cache.has(text)) return known as T;
    if (cache.size >= limit) cache.clear(); // keep memory bounded in a long-running language server
    const key = detached(text);
    const result = compute(key);
    cache.set(key, result);
    return result;
  };
}

/**
 * A copy of `text` that does not point into a bigger string. Values are slices of the document's text: kept as a
 * key of a long-lived memo, a slice would keep that whole version of the document alive after the next edit.
 * The copy keeps the text's width (V8 stores a string in one or two bytes per character, and a slice of a text with
 * one non-Latin-1 character anywhere is two-byte): the next check's slices then compare with the key without V8's
 * slow mixed-width path (~60 ns less per lookup of a long value).
 */
function detached(text: string): string {
  // V8 copies strings this short instead of slicing them; a longer one is joined to ' ' (its width), flattened into
  // one new string when sliced, and sliced from that
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/** memoizeText for functions that also take the fail2ban version. */
export function memoizeTextPerVersion<T>(compute: (text: string, version: Fail2banVersion) => T): (text: string, version: Fail2banVersion) => T {
  const byVersion = new Map<Fail2banVersion, (text: string) => T>();
  return (text, version) => {
    let memo = byVersion.get(version);
    if (!memo) byVersion.set(version, (memo = memoizeText((value) => compute(value, version))));
    return memo(text);
  };
}

interface CheckMemo<T> {
  provided: RuleContext['options']['provided'];
  container: RuleContext['options']['container'];
  answers: Map<string, T>;
}

/**
 * `decide` remembered per key: for answers that depend on a value's text and the check's options (versions, kind,
 * container, provided files) only (`arg` must not change the answer, nor the language). A big file repeats its values
 * across thousands of jails, and the next check of it asks again: without a live container or workspace files the
 * answers are kept per kind and versions (bounded), else for one check (its context and those options).
 */
export function memoizePerOptions<T, A>(decide: (ctx: RuleContext, key: string, arg: A) => T, limit = 10_000): (ctx: RuleContext, key: string, arg: A) => T {
  const byContext = new WeakMap<ConfigContext, CheckMemo<T>>();
  const byOptions = new Map<string, Map<string, T>>();
  // the answers of the options asked last (no key built for each of a big file's values)
  let last: { kind: FileKind; fail2banVersion: Fail2banVersion; dmsVersion: DmsVersion; answers: Map<string, T> } | undefined;
  return (ctx, key, arg) => {
    const { kind, fail2banVersion, dmsVersion, provided, container } = ctx.options;
    let answers: Map<string, T>;
    if (provided === undefined && container === undefined) {
      if (last?.kind !== kind || last.fail2banVersion !== fail2banVersion || last.dmsVersion !== dmsVersion) {
        const options = `${kind}\u0000${fail2banVersion}\u0000${dmsVersion}`;
        let kept = byOptions.get(options);
        if (!kept) byOptions.set(options, (kept = new Map()));
        last = { kind, fail2banVersion, dmsVersion, answers: kept };
      }
      answers = last.answers;
    } else {
      let memo = byContext.get(ctx.context);
      if (!memo || memo.provided !== provided || memo.container !== container) {
        memo = { provided, container, answers: new Map() };
        byContext.set(ctx.context, memo);
      }
      answers = memo.answers;
    }
    const known = answers.get(key);
    if (known !== undefined || answers.has(key)) return known as T;
    if (answers.size >= limit) answers.clear(); // keep memory bounded in a long-running language server
    const answer = decide(ctx, key, arg);
    answers.set(detached(key), answer);
    return answer;
  };
}

/**
 * A rule context whose reports are only counted, and a sink for a rule's problems: for finding out whether a value
 * has any problem by running the rule's own check on it (the messages are built only when reported). One per rule
 * context, used again for each value.
 */
export class ProblemProbe {
  private count = 0;
  problems = new JailProblems();
  readonly ctx: RuleContext;

  private constructor(base: RuleContext) {
    this.ctx = { ...base, report: () => void this.count++ };
  }

  /** weak: a probe must not keep an old document alive in a long-running language server */
  private static readonly byContext = new WeakMap<RuleContext, ProblemProbe>();

  /** An empty probe for `ctx`. */
  static for(ctx: RuleContext): ProblemProbe {
    let probe = ProblemProbe.byContext.get(ctx);
    if (!probe) ProblemProbe.byContext.set(ctx, (probe = new ProblemProbe(ctx)));
    probe.count = 0;
    if (probe.problems.any()) probe.problems = new JailProblems();
    return probe;
  }

  /** Did the check add or report anything? */
  found(): boolean {
    return this.count > 0 || this.problems.any();
  }
}

/**
 * Does the container have filter.d/NAME or action.d/NAME: the live container lists it, or the user's workspace adds
 * it (compose mounts, extra folders)?
 */
export function isProvided(ctx: RuleContext, folder: 'filter' | 'action', name: string): boolean {
  if (ctx.options.container && containerHas(ctx.options.container, folder, name)) return true;
  const provided = ctx.options.provided;
  if (!provided) return false;
  return (folder === 'filter' ? provided.filters : provided.actions).includes(name);
}

/**
 * The live container has no filter.d/NAME (action.d/NAME) although the modelled release ships one: fail2ban in that
 * container cannot read it. Undefined without a live context or when the container has it; else the container name.
 */
export function containerLacks(ctx: RuleContext, folder: 'filter' | 'action', name: string): string | undefined {
  const container = ctx.options.container;
  if (!container || (folder === 'filter' ? container.filterFiles : container.actionFiles).length === 0) return undefined;
  return containerHas(container, folder, name) ? undefined : container.container;
}

/** DMS's manual bans go through jail 'custom': when it is dropped, `setup fail2ban ban` fails too. */
export function customJailNote(jails: readonly string[], dms: boolean): string {
  return dms && jails.includes('custom') ? t(" Without jail 'custom', 'setup fail2ban ban <IP>' fails too.") : '';
}

const REFERENCE_NAME = /%\(([^)]+)\)s/g;

/** The lower-cased names a raw value refers to as %(name)s, in order (per text: jails share their values). */
const referencedNamesOf = memoizeText((raw: string): readonly string[] => [...raw.matchAll(REFERENCE_NAME)].map((match) => match[1].toLowerCase()));

/**
 * Does `jail` read the variable `name` through the options it reads (`from`, e.g. 'action')? fail2ban reads a
 * mere variable such as `banaction` only where a value it reads refers to it, directly or through other variables.
 */
export function jailReadsVariable(ctx: RuleContext, jail: string, name: string, from: readonly string[]): boolean {
  const seen = new Set<string>();
  const pending = [...from];
  while (pending.length > 0 && seen.size < 100) {
    const option = pending.pop() as string;
    if (seen.has(option)) continue;
    seen.add(option);
    const raw = safeLookup(ctx, jail, option);
    if (!raw || !raw.raw.includes('%(')) continue;
    for (const referenced of referencedNamesOf(raw.raw)) {
      if (referenced.includes('/')) continue; // known/x, default/x and sect/x refer to other layers' values: not followed
      if (referenced === name) return true;
      pending.push(referenced);
    }
  }
  return false;
}

/** readVerdict for a mere variable (not an option fail2ban reads itself): read by the enabled jails whose `from` options refer to it. */
export function variableVerdict(ctx: RuleContext, site: OptionSite, from: readonly string[]): ReadVerdict {
  const verdict = readVerdict(ctx, site);
  const readers = verdict.jails.filter((jail) => jailReadsVariable(ctx, jail, site.option.name, from));
  if (readers.length > 0) return { read: true, jails: readers, note: '' };
  return {
    read: false,
    jails: [],
    note:
      site.section.name === 'DEFAULT'
        ? t(" (no enabled jail's {0} refers to %({1})s, so fail2ban does not read it now)", from.join('/'), site.option.name)
        : verdict.note || t(" (jail '{0}' has no {1} that refers to %({2})s)", site.section.name, from.join('/'), site.option.name),
  };
}
