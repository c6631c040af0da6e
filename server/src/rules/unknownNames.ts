// Names fail2ban does not know: option keys, sections, jails (fail2ban 1.1.0 client/jailsreader.py,
// client/jailreader.py _configOpts, client/fail2banreader.py: unknown keys are read by nobody, silently).
// Jail files: every section is a jail and unknown keys are legal interpolation variables (information);
// server files: unknown keys and sections are never read (warning).
import { dmsEnabledJails } from '../knowledge/dms';
import { filterNames } from '../knowledge/filters';
import { interpolationVarNames } from '../knowledge/interpolationVars';
import { JAIL_OPTIONS, jailOptionNames, jailOptionOutsideVersion } from '../knowledge/jailOptions';
import { serverOption, serverOptionNames, SERVER_SECTIONS } from '../knowledge/serverOptions';
import { filterFileOf, stockJail, stockJailNames } from '../knowledge/stockJails';
import { FAIL2BAN_VERSIONS, type Fail2banVersion } from '../types';
import type { ConfigDocument, SectionNode } from '../parser/model';
import type { CodeTable, Rule, RuleContext } from './rule';
import { jailOptionType } from './jailOptionTypes';
import { SHARED_CODES } from './sharedCodes';
import { interpolated, isDmsKind, isEnabled, isJailKind, isJailSectionName, isProvided, lookupRaw, memoizeText, sitesNamed, sitesWithMarker, userOptions, userOptionsNamed } from './ruleKit';
import { didYouMean, editDistance, flattened, isLikelyTypo, lowerCased, replacementFixes, suggest, suggester, type SuggestOptions } from './suggest';
import { t } from '../l10n';

/** Stock and DMS documents are shared between checks: what the rules need from each is computed once. */
const referencesByDocument = new WeakMap<ConfigDocument, readonly string[]>();
const jailSectionsByDocument = new WeakMap<ConfigDocument, readonly string[]>();

function referencesIn(doc: ConfigDocument): readonly string[] {
  let names = referencesByDocument.get(doc);
  if (!names) {
    const found = new Set<string>();
    for (const { option } of sitesWithMarker(doc, '%(')) for (const name of referencesOfValue(option.value)) found.add(name);
    names = [...found];
    referencesByDocument.set(doc, names);
  }
  return names;
}

/**
 * The names `%\(([^)]*)\)s` matches in `value` (lower-cased, without a `sect/` part) go to `found`: a scan (no match objects
 * for the references of each value of a big file). A `%(` whose first `)` is not followed by `s` is no match there.
 */
function addReferences(value: string, found: Set<string>): void {
  for (let at = value.indexOf('%('); at >= 0; ) {
    const close = value.indexOf(')', at + 2);
    if (close < 0) return;
    if (value.charCodeAt(close + 1) !== 0x73 /* s */) {
      at = value.indexOf('%(', at + 1);
      continue;
    }
    const slash = value.lastIndexOf('/', close - 1); // the name after a `sect/` or `known/` part (one copy, not two)
    found.add(value.slice(slash >= at + 2 ? slash + 1 : at + 2, close).toLowerCase());
    at = value.indexOf('%(', close + 2);
  }
}

/** addReferences per value text: a big file repeats its values (shared results: read only). */
const referencesOfValue = memoizeText((value: string): readonly string[] => {
  const found = new Set<string>();
  addReferences(value, found);
  return [...found];
});

function jailSectionsIn(doc: ConfigDocument): readonly string[] {
  let names = jailSectionsByDocument.get(doc);
  if (!names) {
    names = doc.sections.map((section) => section.name).filter(isJailSectionName);
    jailSectionsByDocument.set(doc, names);
  }
  return names;
}

/** Lower-cased option names referenced as `%(name)s`, `%(known/name)s`, `%(sect/name)s` in any layer. */
function referencedNames(ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  for (const layer of ctx.context.layers) for (const name of referencesIn(layer.doc)) names.add(name);
  return names;
}

const TAG = /<([^<>\s]+)>/g;

/** Lower-cased names used as `<name>` tags in the user's values (action/filter parameters may refer to a key so). */
function taggedNames(doc: ConfigDocument): Set<string> {
  const names = new Set<string>();
  if (!doc.text.includes('<')) return names; // (values are parts of the text: no walk through them)
  const sections = doc.sections;
  for (let i = 0; i < sections.length; i++) {
    const options = sections[i].options;
    for (let j = 0; j < options.length; j++) {
      const value = options[j].value;
      if (!value.includes('<')) continue;
      for (const match of value.matchAll(TAG)) names.add(match[1].toLowerCase());
    }
  }
  return names;
}

/**
 * One slip away from a real option: a single edit (or swap) in a name of 4+ characters, two in a long name
 * (`bantme`, `findtme`, `bantime.incremnt`). Farther names may be the user's own variables.
 */
export function isNearMiss(name: string, option: string): boolean {
  if (name.length < 4) return false;
  // `action_mine`, `banaction_old`: a variable of the user's own, named after the option on purpose
  if (name.startsWith(option) && (option.endsWith('_') || name[option.length] === '_')) return false;
  return editDistance(name, option, 2) <= (name.length >= 10 ? 2 : 1);
}

let optionNamesOfAnyVersion: ReadonlySet<string> | undefined;

/** The names of every jail option any modelled fail2ban version reads (what jailOptionOutsideVersion looks up). */
function anyVersionOptionNames(): ReadonlySet<string> {
  return (optionNamesOfAnyVersion ??= new Set(JAIL_OPTIONS.map((option) => option.name)));
}

const variableNamesByVersion = new Map<Fail2banVersion, ReadonlySet<string>>();

/** The names interpolationVar(name, version) knows (lower case): a set lookup, no lower-case copy of each of 20k keys. */
function interpolationVariableNames(version: Fail2banVersion): ReadonlySet<string> {
  let names = variableNamesByVersion.get(version);
  if (!names) variableNamesByVersion.set(version, (names = new Set(interpolationVarNames(version))));
  return names;
}

const optionSuggesters = new Map<Fail2banVersion, ReturnType<typeof suggester>>();

/** Suggestions among the options and stock variables of `version` (prepared once per version, not per check). */
function optionSuggester(version: Fail2banVersion): ReturnType<typeof suggester> {
  let suggestOption = optionSuggesters.get(version);
  if (!suggestOption) optionSuggesters.set(version, (suggestOption = suggester([...jailOptionNames(version), ...interpolationVarNames(version)])));
  return suggestOption;
}

/** How many unknown keys checkJailOptions remembers the suggestions of. */
const SIMILAR_NAMES_KEPT = 1_000;

/** The first of `candidates` that `name` is a near miss of (isNearMiss). */
function nearMissAmong(name: string, candidates: readonly string[]): string | undefined {
  for (let i = 0; i < candidates.length; i++) if (isNearMiss(name, candidates[i])) return candidates[i];
  return undefined;
}

/** What checkJails compares names against: the same for every check with the same versions and other layers. */
interface JailNameTables {
  version: Fail2banVersion;
  dms: boolean;
  dmsVersion: string | undefined;
  /** the documents of the layers other than the user's (stock and DMS documents are shared between checks) */
  docs: readonly ConfigDocument[];
  known: ReadonlySet<string>;
  suggestJail: ReturnType<typeof suggester>;
  filterFiles: ReadonlySet<string>;
}

let lastJailNameTables: JailNameTables | undefined;

/** The tables of the last check, when its versions and other layers' documents are this check's (else new ones). */
function jailNameTables(ctx: RuleContext): JailNameTables {
  const version = ctx.options.fail2banVersion;
  const dms = isDmsKind(ctx.options.kind);
  const dmsVersion = dms ? ctx.options.dmsVersion : undefined;
  const docs: ConfigDocument[] = [];
  for (const layer of ctx.context.layers) if (layer.origin !== 'user') docs.push(layer.doc);
  const last = lastJailNameTables;
  if (last && last.version === version && last.dms === dms && last.dmsVersion === dmsVersion && last.docs.length === docs.length && last.docs.every((doc, i) => doc === docs[i])) {
    return last;
  }
  const known = knownJailNames(ctx);
  // the names filterInfo(name, version, dms) knows: a set lookup per jail instead of a walk over the filter list
  const tables = { version, dms, dmsVersion, docs, known, suggestJail: suggester(known), filterFiles: new Set(filterNames(version, dms)) };
  lastJailNameTables = tables;
  return tables;
}

/** Jails known in this context: stock jails of the version, DMS's own jails, and jails defined by earlier layers. */
function knownJailNames(ctx: RuleContext): Set<string> {
  const names = new Set(stockJailNames(ctx.options.fail2banVersion));
  if (isDmsKind(ctx.options.kind)) for (const jail of dmsEnabledJails(ctx.options.dmsVersion)) names.add(jail);
  for (const layer of ctx.context.layers) {
    if (layer.origin === 'user') continue;
    for (const name of jailSectionsIn(layer.doc)) names.add(name);
  }
  return names;
}

let jailNamesOfAnyVersion: ReadonlySet<string> | undefined;

/** The stock jail names of every modelled fail2ban version. */
function anyVersionJailNames(): ReadonlySet<string> {
  return (jailNamesOfAnyVersion ??= new Set(FAIL2BAN_VERSIONS.flatMap((version) => stockJailNames(version))));
}

const NO_VERSIONS: readonly Fail2banVersion[] = [];

/** The version(s) that do have a stock jail of this name, when the target version does not. */
function versionsWithJail(name: string, target: Fail2banVersion): readonly Fail2banVersion[] {
  if (!anyVersionJailNames().has(name)) return NO_VERSIONS; // one lookup for each of 100k unknown jails, not one per version
  let versions: Fail2banVersion[] | undefined; // allocated only for a hit: asked for each of 100k unknown jails
  for (const version of FAIL2BAN_VERSIONS) if (version !== target && stockJail(name, version) !== undefined) (versions ??= []).push(version);
  return versions ?? NO_VERSIONS;
}

// ---------------------------------------------------------------------------------------------- options

function checkJailOptions(ctx: RuleContext): void {
  const version = ctx.options.fail2banVersion;
  const referenced = referencedNames(ctx);
  let tagged: Set<string> | undefined;
  let suggestOption: ReturnType<typeof suggester> | undefined; // prepared once: a big file has thousands of unknown keys
  const similarByName = new Map<string, string[]>();
  for (const section of ctx.doc.sections) {
    if (section.name !== 'INCLUDES') continue;
    for (const option of section.options) {
      const name = option.name;
      if (name === 'before' || name === 'after') continue;
      ctx.report({
        code: 'unknown-option',
        range: option.keyRange,
        severity: 'warning',
        message: t("fail2ban ignores '{0}' in [INCLUDES]: only 'before' and 'after' are read there.", option.key),
        fixes: replacementFixes(option.keyRange, suggest(name, ['before', 'after'])),
      });
    }
  }
  // known names depend on the name only: asked once per distinct name, not per option of a big file
  const variables = interpolationVariableNames(version);
  const unknown = userOptionsNamed(ctx, (name) => !(jailOptionType(name, version) !== undefined || variables.has(lowerCased(name)) || referenced.has(name)));
  for (let i = 0; i < unknown.length; i++) {
    const { section, option } = unknown[i];
    const name = option.name;
    if (section.name === 'INCLUDES') continue; // reported above
    if (isJailSectionName(section.name) && stockJail(section.name, version)?.options[name] !== undefined) continue;
    const outside = anyVersionOptionNames().has(lowerCased(name)) ? jailOptionOutsideVersion(name, version) : undefined; // (no lower-case copy of each of 20k unknown keys)
    if (outside) {
      ctx.report({
        code: 'version-feature',
        range: option.keyRange,
        severity: 'warning',
        message: outside.since
          ? t("fail2ban {0} does not know '{1}' (it exists in fail2ban {2}+) and silently ignores it.", version, name, outside.since)
          : t("fail2ban {0} does not know '{1}' (it exists in fail2ban up to {2}) and silently ignores it.", version, name, String(outside.until)),
      });
      continue;
    }
    tagged ??= taggedNames(ctx.doc);
    if (tagged.has(name)) continue; // a <name> tag in an action/filter parameter may mean this key
    suggestOption ??= optionSuggester(version);
    // the same unknown key may repeat across jails (only read below); bounded: a file may have 20k distinct keys
    let similar = similarByName.get(name);
    if (!similar) {
      similar = suggestOption(name);
      if (similarByName.size < SIMILAR_NAMES_KEPT) similarByName.set(name, similar);
    }
    const nearMiss = nearMissAmong(name, similar);
    if (nearMiss) {
      // nothing refers to it and it is one slip away from a real option: the user meant that option, and lost it
      ctx.report({
        code: 'unknown-option',
        range: option.keyRange,
        severity: 'warning',
        message: t("'{0}' is not a fail2ban option: did you mean '{1}'? fail2ban silently ignores this setting.", option.key, nearMiss),
        fixes: replacementFixes(option.keyRange, [nearMiss, ...similar.filter((c) => c !== nearMiss)]).map((fix, index) =>
          index === 0 ? { ...fix, preferred: true } : fix,
        ),
      });
      continue;
    }
    ctx.report({
      code: 'unknown-option',
      range: option.keyRange,
      severity: similar.length > 0 ? 'information' : 'hint',
      message: flattened(
        t("fail2ban does not read '{0}' in a jail section; it only matters where a value refers to it as %({1})s.", option.key, name) + didYouMean(similar),
      ),
      fixes: similar.length > 0 ? replacementFixes(option.keyRange, similar) : undefined, // (most of 20k keys have none)
    });
  }
}

function checkServerOptions(ctx: RuleContext): void {
  for (const { section, option } of userOptions(ctx)) {
    const sectionName = section.name;
    if (!['Definition', 'Thread', 'DEFAULT'].includes(sectionName)) continue; // unknown sections are reported once
    if (serverOption(option.name, sectionName)) continue;
    const candidates =
      sectionName === 'DEFAULT'
        ? [...serverOptionNames('Definition'), ...serverOptionNames('Thread')]
        : serverOptionNames(sectionName as 'Definition' | 'Thread');
    const elsewhere = sectionName !== 'DEFAULT' ? serverOption(option.name, 'DEFAULT') : undefined;
    const similar = suggest(option.name, candidates);
    ctx.report({
      code: 'unknown-option',
      range: option.keyRange,
      severity: 'warning',
      message: elsewhere
        ? t("fail2ban reads '{0}' from [{1}], not from [{2}]: it is ignored here.", option.name, elsewhere.section, sectionName)
        : t("fail2ban does not know '{0}' in [{1}] and silently ignores it.", option.key, sectionName) + didYouMean(similar),
      fixes: replacementFixes(option.keyRange, similar),
    });
  }
}

// ---------------------------------------------------------------------------------------------- sections

function checkServerSections(ctx: RuleContext): void {
  const known = ['DEFAULT', 'INCLUDES', ...SERVER_SECTIONS];
  for (const section of ctx.doc.sections) {
    if (known.includes(section.name)) continue;
    const similar = suggest(section.name.trim(), known, { maxDistance: 3 });
    ctx.report({
      code: 'unknown-section',
      range: section.nameRange,
      severity: 'warning',
      message:
        t('fail2ban reads only [Definition] and [Thread] (and [DEFAULT]) here; section [{0}] and its options are silently ignored.', section.name) +
        didYouMean(similar),
      fixes: replacementFixes(section.nameRange, similar),
    });
  }
}

/** Jail files: [default]/[includes]/[ DEFAULT ] look special but are ordinary jails. */
function checkJailSpecialLookalikes(ctx: RuleContext): void {
  const sections = ctx.doc.sections;
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i];
    if (!looksLikeSpecialSection(section.name) || !isJailSectionName(section.name)) continue; // (no copies of every name)
    const lower = section.name.trim().toLowerCase();
    const special = lower === 'default' ? 'DEFAULT' : lower === 'includes' ? 'INCLUDES' : undefined;
    if (!special) continue;
    ctx.report({
      code: 'unknown-section',
      range: section.nameRange,
      severity: 'warning',
      message:
        t(
          "Section names are case-sensitive: [{0}] is an ordinary jail named '{0}', not [{1}]; its options do not apply to other jails and fail2ban silently ignores them.",
          section.name,
          special,
        ),
      fixes: replacementFixes(section.nameRange, [special]),
    });
  }
}

/** Names of the user's sections that set `filter` themselves (any section of that name), per user document. */
const ownFilterSectionsByDocument = new WeakMap<ConfigDocument, ReadonlySet<string>>();

function sectionsWithOwnFilter(ctx: RuleContext): ReadonlySet<string> {
  // the whole user document (the context's), not the checked view: a section may repeat outside the view
  const doc = ctx.context.userLayer.doc;
  let names = ownFilterSectionsByDocument.get(doc);
  if (!names) {
    const found = new Set<string>();
    const sites = sitesNamed(doc, 'filter');
    for (let i = 0; i < sites.length; i++) found.add(sites[i].section.name);
    names = found;
    ownFilterSectionsByDocument.set(doc, names);
  }
  return names;
}

/** Does this very section set `filter`? (Else another section of its name may.) */
function hasOwnFilter(section: SectionNode): boolean {
  const options = section.options;
  for (let i = 0; i < options.length; i++) if (options[i].name === 'filter') return true;
  return false;
}

/** [default], [ Includes ]…: reported as unknown-section (a name shorter than 'default' is neither: no copies made). */
function looksLikeSpecialSection(name: string): boolean {
  if (name.length < 'default'.length) return false;
  // an ASCII first character that is neither whitespace nor d/i cannot start either (no copies of every jail's name)
  const first = name.charCodeAt(0);
  if (first > 0x20 && first < 0x80 && (first | 0x20) !== 0x64 && (first | 0x20) !== 0x69) return false;
  const lower = name.trim().toLowerCase();
  return lower === 'default' || lower === 'includes';
}

/** How jail.conf's `filter = %(__name__)s[mode=%(mode)s]` starts. */
const NAME_REFERENCE = '%(__name__)s';

/**
 * The filter file fail2ban looks for in `jail`: the part of its interpolated `filter` before any `[`, or the jail's
 * name when it has no filter or the interpolation fails. A value that starts with `%(__name__)s` and then `[` gives
 * the jail's name either way (a name without '%' is inserted as it is): not interpolated for each of 100k jails.
 */
function jailFilterFile(ctx: RuleContext, jail: string): string {
  const raw = lookupRaw(ctx, jail, 'filter');
  if (raw === undefined) return jail;
  const text = raw.raw;
  if (text !== lastFilterText) {
    // most jails read the same [DEFAULT] text: its shape is decided once, not for each of 100k jails
    lastFilterText = text;
    lastFilterShape = !text.includes('%') ? 'plain' : startsWithNameReference(text) ? 'name' : 'other';
  }
  if (lastFilterShape === 'plain') return filterFileOf(text); // its own interpolation
  if (lastFilterShape === 'name' && !jail.includes('%') && !jail.includes('[')) return jail;
  const value = interpolated(ctx, jail, 'filter');
  return value !== undefined ? filterFileOf(value) : jail;
}

let lastFilterText: string | undefined;
let lastFilterShape: 'plain' | 'name' | 'other' = 'other';

/** `%(__name__)s`, alone or followed by `[` (the filter file is then the jail's name). */
function startsWithNameReference(text: string): boolean {
  const afterName = NAME_REFERENCE.length;
  return text.startsWith(NAME_REFERENCE) && (text.length === afterName || text.charCodeAt(afterName) === 0x5b /* [ */);
}

/** The distances checkJails suggests jail names within (one options object each, not one per jail). */
const WITHIN_TWO: SuggestOptions = { maxDistance: 2 };
const WITHIN_THREE: SuggestOptions = { maxDistance: 3 };

function checkJails(ctx: RuleContext): void {
  const version = ctx.options.fail2banVersion;
  // prepared once, and kept for the next check: a big file has thousands of unknown jails
  const { known, suggestJail, filterFiles: knownFilterFiles } = jailNameTables(ctx);
  const dms = isDmsKind(ctx.options.kind);
  let sectionsWithFilter: ReadonlySet<string> | undefined; // only for sections without a filter of their own
  const ownFilter = () => (sectionsWithFilter ??= sectionsWithOwnFilter(ctx));
  const sections = ctx.doc.sections;
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i];
    const name = section.name;
    if (!isJailSectionName(name) || known.has(name)) continue;
    if (looksLikeSpecialSection(name)) continue; // reported as unknown-section
    if (hasOwnFilter(section) || ownFilter().has(name)) continue; // a custom jail with its own filter: the filter rules check it
    const enabled = isEnabled(ctx, name);
    const filterFile = jailFilterFile(ctx, name);
    if (knownFilterFiles.has(filterFile)) continue; // e.g. a jail named like an existing filter
    if (isProvided(ctx, 'filter', filterFile)) continue; // the workspace mounts filter.d/<name>.conf|.local
    const otherVersions = versionsWithJail(name, version);
    if (otherVersions.length > 0) {
      ctx.report({
        code: 'version-feature',
        range: section.nameRange,
        // enabled in DMS: the filter file is missing for sure (unless mounted); a plain install may have its own copy
        severity: enabled && dms ? 'error' : 'warning',
        message:
          t("fail2ban {0} has no stock jail or filter '{1}' (it comes with fail2ban {2}).", version, name, otherVersions.join(', ')) +
          (enabled ? t(" fail2ban skips this jail: Unable to read the filter '{0}'.", filterFile) : ''),
      });
      continue;
    }
    const similar = suggestJail(name, name.length >= 9 ? WITHIN_THREE : WITHIN_TWO); // max(2, min(3, ⌊length / 3⌋)) edits
    // enabled without a similar known jail: probably the user's own jail with its own filter.d file
    // in DMS the filter file is missing for sure (the workspace does not mount it): the jail is dropped
    const enabledSeverity = dms || similar.some((c) => isLikelyTypo(name, c)) ? 'error' : similar.length > 0 ? 'warning' : 'information';
    ctx.report({
      code: 'unknown-jail',
      range: section.nameRange,
      severity: enabled ? enabledSeverity : similar.length > 0 ? 'warning' : 'information',
      message: flattened(
        enabled
          ? t(
              "[{0}] is not a known jail and has no 'filter', so fail2ban looks for filter.d/{1}.conf; unless that file exists, fail2ban skips the jail ({2}).",
              name,
              filterFile,
              `Unable to read the filter '${filterFile}'`,
            ) + (similar.length > 0 ? didYouMean(similar) : '')
          : t('[{0}] is not a known jail (section names are case-sensitive); as a new, disabled jail its options have no effect.', name) +
              (similar.length > 0 ? didYouMean(similar) : ''),
      ),
      fixes: similar.length > 0 ? replacementFixes(section.nameRange, similar) : undefined, // (most of 100k have none)
    });
  }
}

const UNKNOWN_NAME_CODES: CodeTable = {
  'unknown-option': {
    defaultSeverity: 'information',
    outcome: 'silently-ignored',
    description: 'An option fail2ban does not read (typo or unused variable).',
    docs:
      'fail2ban never warns about unknown option names. In a jail file a key the jail reader does not know is only an ' +
      'interpolation variable: it has an effect only where a value refers to it as `%(name)s` (e.g. `port`, `mode`, ' +
      '`banaction` are such variables in `jail.conf`). So `maxretyr = 3` is silently ignored: a key one slip away from a real ' +
      'option (`bantme`, `findtme`, `bantime.incremnt`) that no value refers to is a **warning** with the fix, other unknown ' +
      'keys are information.\n\n' +
      'In `fail2ban-fail2ban.cf` an unknown key is never read by anything (warning).',
  },
  'unknown-section': {
    defaultSeverity: 'warning',
    outcome: 'silently-ignored',
    description: 'A section fail2ban does not read, or one that only looks like [DEFAULT]/[INCLUDES].',
    docs:
      'Section names are case-sensitive. In `fail2ban-fail2ban.cf` only `[Definition]`, `[Thread]` and `[DEFAULT]` are read: ' +
      '`[Definitions]` or `[definition]` is silently ignored. In a jail file `[default]` is an ordinary jail named ' +
      '"default" — its options do **not** become defaults.',
  },
  'unknown-jail': {
    defaultSeverity: 'warning',
    outcome: 'jail-dropped',
    description: 'A jail section that is neither a stock/DMS jail nor has its own filter.',
    docs:
      'Every section of a jail file is a jail. A section that is not a stock jail (`[Postfix]`, `[ postfix ]`, `[postfx]`) ' +
      'creates a new jail whose filter defaults to its own name. While disabled it is harmless but its options do ' +
      'nothing; with `enabled = true` fail2ban skips it: `Unable to read the filter \'postfx\'`. ' +
      'Fix the name, or give the jail its own `filter`.',
  },
  'version-feature': SHARED_CODES['version-feature'],
};

export const rules: Rule[] = [
  {
    name: 'unknown-names',
    codes: UNKNOWN_NAME_CODES,
    check(ctx) {
      if (isJailKind(ctx.options.kind)) {
        checkJailOptions(ctx);
        checkJailSpecialLookalikes(ctx);
        checkJails(ctx);
      } else {
        checkServerOptions(ctx);
        checkServerSections(ctx);
      }
    },
  },
];
