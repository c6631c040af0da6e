// Completion: section names, option keys, and values (enums, booleans, filter modes, filters, actions
// with parameter snippets, backends, durations, %(variables)s, log levels/targets, suppression codes).
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type Range as LspRange,
} from 'vscode-languageserver-types';
import { buildContext, userFilePath } from '../context';
import { parseDocument } from '../parser/parse';
import type { ConfigContext } from '../context/types';
import {
  actionHover,
  actionInfo,
  actionParamNames,
  actionsFor,
  backendHover,
  backendsFor,
  dmsEnabledJails,
  DMS_LOG_FILES,
  DMS_SERVICE_FILTERS,
  dmsJailMode,
  dmsLogPathExists,
  filterHover,
  filterInfo,
  filterModes,
  filterModeText,
  filterNames,
  filterFileOf,
  filterParamNames,
  interpolationVar,
  interpolationVarHover,
  isIncludeOnlyFilter,
  interpolationVarNames,
  jailOption,
  jailOptionHover,
  jailOptionNames,
  LOG_LEVELS,
  LOGTARGET_PARAMS,
  LOGTARGET_RESERVED,
  MAIL_JAILS,
  serverOption,
  serverOptionHover,
  serverOptionNames,
  stockJail,
  stockJailHover,
  stockJailNames,
  SYSLOG_FACILITIES,
  backend as backendInfo,
} from '../knowledge';
import type { ConfigDocument, OptionNode, SectionNode } from '../parser/model';
import { allRuleMeta } from '../rules';
import { resolveVersions } from '../context';
import type { DmsVersion, Fail2banVersion, FileKind, Position, Range } from '../types';
import { TIME_UNITS } from '../values/duration';
import { dmsDefault } from './knowledgeText';
import { containerNames } from '../context/container';
import type { ContainerContext } from '../shared/protocol';
import { sameRange, sharedEditRangeForm, withOwnTextEdits, type SharedRangeItems } from './clientCompat';
import { offeredSnippets, snippetItemsOf } from './snippets';
import { cursorContext, isDmsKind, isJailKind, type FeatureOptions } from './shared';
import { serverLanguage, t } from '../l10n';

const SPECIAL_JAIL_SECTIONS = ['DEFAULT', 'INCLUDES'] as const;
const SERVER_SECTIONS = ['Definition', 'Thread', 'DEFAULT', 'INCLUDES'] as const;
const INCLUDES_KEYS = ['before', 'after'] as const;
const AUTOMATIC_VARS = new Set(['__name__', 'fail2ban_version', 'fail2ban_confpath']);
const BOOLEAN_VALUES = ['true', 'false'] as const;
/** Parameter values worth offering inside `name[param=…]`. source: fail2ban 1.1.0 action.d/nftables.conf, iptables.conf. */
const PARAM_VALUES: Readonly<Record<string, readonly string[]>> = {
  blocktype: ['reject', 'drop', 'REJECT --reject-with icmp-port-unreachable', 'DROP'],
  protocol: ['tcp', 'udp', 'icmp', 'all'],
  type: ['multiport', 'allports', 'custom'],
  table_family: ['inet', 'ip', 'ip6'],
  chain_hook: ['prerouting', 'input', 'forward', 'output', 'postrouting'],
  chain_type: ['filter', 'route', 'nat'],
  datetime: ['true', 'false'],
  padding: ['true', 'false'],
  facility: SYSLOG_FACILITIES,
};
/** Parameters shown in an action's "with parameters" snippet, in this order when the action has them. */
const SNIPPET_PARAMS = ['port', 'protocol', 'blocktype', 'chain', 'dest', 'sender'];
const COMMON_DURATIONS = ['10m', '1h', '1d', '1w', '4w', '-1'];
/**
 * Characters that open the list by themselves. Never a space or `=`: a list the user did not ask for takes the
 * Enter that ends the line (`findtime = 10m`, space, Enter wrote `findtime = 10m 10m`).
 */
export const COMPLETION_TRIGGER_CHARACTERS: readonly string[] = ['[', '(', '/', ','];
/** Options whose value is a list of words on one line: after a finished word another one may follow. */
const WORD_LIST_OPTIONS = new Set(['ignoreip', 'action', 'logpath']);

function markdown(value: string | undefined): CompletionItem['documentation'] {
  return value ? { kind: MarkupKind.Markdown, value } : undefined;
}

function toLspRange(range: Range): LspRange {
  return { start: { ...range.start }, end: { ...range.end } };
}

function safeContext(doc: ConfigDocument, options: FeatureOptions): ConfigContext | undefined {
  try {
    return buildContext(doc, options);
  } catch {
    return undefined;
  }
}

/** The document's context, built on the first ask only: most lists never need it, and a new version of a big file costs a build. */
type LazyContext = () => ConfigContext | undefined;

function lazyContext(doc: ConfigDocument, options: FeatureOptions): LazyContext {
  let built = false;
  let context: ConfigContext | undefined;
  return () => {
    if (!built) {
      context = safeContext(doc, options);
      built = true;
    }
    return context;
  };
}

function sortKey(group: number, label: string): string {
  return `${group}_${label}`;
}

// ---------------------------------------------------------------- answers

/**
 * What completion answers: the items and, when they all replace one range, that range (`editRange`; the items then
 * carry no text edit, only `textEditText` when the text is not the label), else items with their own text edits.
 */
export type CompletionAnswer = SharedRangeItems;

const NOTHING: CompletionAnswer = { items: [] };

/**
 * Lists that depend on the knowledge tables and little else (option names, filters, actions) are built once and
 * their items reused: every request built a hundred items with their documentation again, the garbage of which
 * made the slowest completions (issue 12). A few dozen lists are kept, the least recently used goes first.
 */
const LISTS_KEPT = 32;
const keptLists = new Map<string, readonly CompletionItem[]>();

/** The list `key` names, replacing `replace`: the kept one, else `build()`'s (then kept when all its items replace `replace`). */
function cachedAnswer(key: string, replace: Range, build: () => CompletionItem[]): CompletionAnswer {
  const fullKey = `${serverLanguage()}\u0000${key}`;
  const kept = keptLists.get(fullKey);
  if (kept) {
    keptLists.delete(fullKey);
    keptLists.set(fullKey, kept);
    return { items: kept, editRange: replace };
  }
  const answer = sharedEditRangeForm(build());
  if (answer.editRange && sameRange(answer.editRange, replace)) {
    if (keptLists.size >= LISTS_KEPT) keptLists.delete(keptLists.keys().next().value as string);
    keptLists.set(fullKey, Object.freeze(answer.items.map((item) => Object.freeze(item))));
  }
  return answer;
}

// ---------------------------------------------------------------- section names

function sectionItems(doc: ConfigDocument, options: FeatureOptions, version: Fail2banVersion, replace: Range, addClose: boolean, current?: SectionNode): CompletionItem[] {
  const existing = new Set(doc.sections.filter((s) => s !== current && s.name !== 'DEFAULT').map((s) => s.name));
  const make = (name: string, kind: CompletionItemKind, group: number, detail: string, doc?: string): CompletionItem => ({
    label: name,
    kind,
    detail,
    documentation: markdown(doc),
    sortText: sortKey(group, name),
    textEdit: { range: toLspRange(replace), newText: addClose ? `${name}]` : name },
  });
  if (!isJailKind(options.kind)) {
    const details: Record<(typeof SERVER_SECTIONS)[number], string> = {
      Definition: 'server settings (loglevel, logtarget, dbfile, …)',
      Thread: 'thread settings (stacksize)',
      DEFAULT: 'defaults visible in every section',
      INCLUDES: 'before/after include files',
    };
    return SERVER_SECTIONS.filter((n) => !existing.has(n)).map((n, i) => make(n, CompletionItemKind.Module, i, details[n]));
  }
  const { dmsVersion } = resolveVersions(options);
  const dmsJails = isDmsKind(options.kind) ? dmsEnabledJails(dmsVersion) : [];
  const items: CompletionItem[] = [];
  for (const name of SPECIAL_JAIL_SECTIONS) {
    if (existing.has(name)) continue;
    items.push(make(name, CompletionItemKind.Module, 0, name === 'DEFAULT' ? 'defaults for every jail' : 'before/after include files'));
  }
  // a live container's own jails (its jail.conf, jail.local, jail.d/*) are offered too
  const liveJails = options.container ? (safeContext(doc, options)?.jailNames() ?? []) : [];
  const names = new Set([...dmsJails, ...stockJailNames(version), ...liveJails]);
  for (const name of names) {
    if (existing.has(name)) continue;
    const ranked = jailRank(name, version, dmsVersion, dmsJails, isDmsKind(options.kind));
    const own = options.container && liveJails.includes(name) && !dmsJails.includes(name) && !stockJail(name, version);
    const { group, detail } = own ? { group: ranked.group, detail: t('jail in container {0}', options.container!.container) } : ranked;
    items.push(make(name, CompletionItemKind.Class, group, detail, stockJailHover(name, version, dmsVersion)));
  }
  return items;
}

/**
 * Where a jail goes in the list and what it says: in a DMS file the jails DMS enables first, then stock jails
 * that work in DMS (a DMS service writes their log: recidive, postfix-sasl, …), then stock jails on a service
 * DMS does not run, then those whose log DMS does not have at all.
 */
function jailRank(name: string, version: Fail2banVersion, dmsVersion: DmsVersion, dmsJails: readonly string[], dms: boolean): { group: number; detail: string } {
  if (dmsJails.includes(name)) return { group: 1, detail: t('jail enabled by DMS {0}', dmsVersion) };
  const stock = stockJail(name, version);
  if (!stock) return { group: 1, detail: t('DMS jail') };
  const plain = t('stock jail — filter {0}, port {1}', stock.filter, stock.port);
  if (!dms) return { group: MAIL_JAILS.includes(name) ? 2 : 3, detail: plain };
  const missingLog = stock.logpath.length > 0 && !stock.logpath.some((path) => dmsLogPathExists(path, dmsVersion)) ? stock.logpath[0] : undefined;
  if (missingLog) return { group: 5, detail: t('DMS has no {0} — stock jail, filter {1}', missingLog, stock.filter) };
  const filter = filterFileOf(stock.filter);
  // fail2ban 1.1.1's paths-debian.conf puts postfix jails on the systemd journal, which DMS does not have
  if (DMS_SERVICE_FILTERS.includes(filter)) {
    return { group: 2, detail: stock.backend === 'systemd' ? t('works in DMS with backend = auto — {0}', plain) : t('works in DMS — {0}', plain) };
  }
  return { group: 4, detail: t('DMS runs no {0} service — {1}', filter, plain) };
}

// ---------------------------------------------------------------- option keys

/**
 * An option's documentation, one object per option and version however many kept lists show it (the lists of
 * different sections differ in a few details only).
 */
const keyDocumentation = new Map<string, CompletionItem['documentation']>();

function sharedDocumentation(key: string, text: () => string | undefined): CompletionItem['documentation'] {
  const fullKey = `${serverLanguage()}\u0000${key}`;
  if (!keyDocumentation.has(fullKey)) keyDocumentation.set(fullKey, markdown(text()));
  return keyDocumentation.get(fullKey);
}

function keyItem(name: string, detail: string, documentation: CompletionItem['documentation'], group: number, replace: Range, kind: CompletionItemKind = CompletionItemKind.Property): CompletionItem {
  return {
    label: name,
    kind,
    detail,
    documentation,
    sortText: sortKey(group, name),
    filterText: name,
    textEdit: { range: toLspRange(replace), newText: `${name} = ` },
    command: { title: 'Suggest values', command: 'editor.action.triggerSuggest' },
  };
}

function defaultsDetail(stock: string | undefined | null, dms: string | undefined): string {
  const parts: string[] = [];
  if (stock !== undefined && stock !== null) parts.push(`fail2ban: ${stock === '' ? '(empty)' : stock}`);
  if (dms !== undefined) parts.push(`DMS: ${dms}`);
  return parts.length ? ` — ${parts.join(' · ')}` : '';
}

/** Keys already set in the section (or being edited: that one stays). */
function setKeys(section: SectionNode | undefined, editing: OptionNode | undefined): Set<string> {
  return new Set((section?.options ?? []).filter((o) => o !== editing).map((o) => o.name));
}

function keyItems(context: LazyContext, options: FeatureOptions, version: Fail2banVersion, section: SectionNode | undefined, taken: ReadonlySet<string>, replace: Range): CompletionItem[] {
  const sectionName = section?.name ?? 'DEFAULT';
  const items: CompletionItem[] = [];
  if (sectionName === 'INCLUDES') {
    for (const name of INCLUDES_KEYS) {
      if (!taken.has(name)) items.push(keyItem(name, `files read ${name} this one (one per line)`, undefined, 0, replace));
    }
    return items;
  }
  const dms = (name: string): string | undefined => {
    const known = isDmsKind(options.kind) ? context() : undefined;
    return known ? dmsDefault(known, sectionName, name)?.raw : undefined;
  };
  if (!isJailKind(options.kind)) {
    const serverSection = sectionName === 'Thread' ? 'Thread' : 'Definition';
    for (const name of serverOptionNames(serverSection)) {
      if (taken.has(name)) continue;
      const info = serverOption(name, serverSection);
      items.push(keyItem(name, `${info?.type ?? 'option'}${defaultsDetail(info?.stockValue, dms(name))}`, sharedDocumentation(`server\u0000${serverSection}\u0000${name}`, () => serverOptionHover(name, serverSection)), 0, replace));
    }
    return items;
  }
  const readerOptions = jailOptionNames(version);
  for (const name of readerOptions) {
    if (taken.has(name)) continue;
    const info = jailOption(name, version);
    const group = info?.kind === 'filter' ? 1 : 0;
    items.push(keyItem(name, `${info?.type ?? 'option'}${defaultsDetail(info?.stockDefault, dms(name))}`, sharedDocumentation(`jail\u0000${version}\u0000${name}`, () => jailOptionHover(name, version)), group, replace));
  }
  for (const name of interpolationVarNames(version)) {
    if (taken.has(name) || AUTOMATIC_VARS.has(name) || readerOptions.includes(name)) continue;
    const info = interpolationVar(name, version);
    items.push(
      keyItem(name, `variable for %(${name})s${defaultsDetail(info?.defaults[version], dms(name))}`, sharedDocumentation(`variable\u0000${version}\u0000${name}`, () => interpolationVarHover(name, version)), 2, replace, CompletionItemKind.Variable),
    );
  }
  return items;
}

/**
 * Option names (and, on a line being typed, snippets). The whole list is kept per kind of section (one for all
 * jails DMS does not configure) and the keys the section already has are left out of it per request.
 */
function keyAnswer(doc: ConfigDocument, context: LazyContext, options: FeatureOptions, version: Fail2banVersion, section: SectionNode | undefined, editing: OptionNode | undefined, replace: Range): CompletionAnswer {
  // snippets only on a line being typed, never over an existing key
  const snippets = editing ? [] : offeredSnippets(doc, options.kind, section, replace.start.line, replace.start.character);
  const taken = setKeys(section, editing);
  // a live container's files may change DMS's defaults shown in the details: not kept
  if (options.container) {
    const keys = keyItems(context, options, version, section, taken, replace);
    return sharedEditRangeForm([...keys, ...snippetItemsOf(snippets, replace, 8)]);
  }
  const { dmsVersion } = resolveVersions(options);
  const offered = snippets.map((snippet) => snippet.label).join('\u0001');
  const key = `key\u0000${options.kind}\u0000${version}\u0000${dmsVersion}\u0000${keySectionName(section, options.kind, version, dmsVersion)}\u0000${offered}`;
  const all = cachedAnswer(key, replace, () => {
    // DMS's defaults come from DMS's own files, the same around any document: no context of this one is built
    const keys = keyItems(() => dmsContext(options.kind, version, dmsVersion), options, version, section, NO_KEYS, replace);
    return [...keys, ...snippetItemsOf(snippets, replace, 8)];
  });
  if (taken.size === 0) return all;
  // option names come first, then the snippets (whose labels are no option names)
  const optionCount = all.items.length - snippets.length;
  return { ...all, items: all.items.filter((item, index) => index >= optionCount || !taken.has(item.label)) };
}

const NO_KEYS: ReadonlySet<string> = new Set();

/** The context of an empty document of a kind and versions, per kind and versions (for what DMS's files say). */
const dmsContexts = new Map<string, ConfigContext | undefined>();

function dmsContext(kind: FileKind, fail2banVersion: Fail2banVersion, dmsVersion: DmsVersion): ConfigContext | undefined {
  const key = `${kind}\u0000${fail2banVersion}\u0000${dmsVersion}`;
  if (!dmsContexts.has(key)) dmsContexts.set(key, safeContext(parseDocument('', { fail2banPath: userFilePath(kind) }), { kind, fail2banVersion, dmsVersion }));
  return dmsContexts.get(key);
}

/** Names of the sections DMS's own files have, per kind and versions (undefined: not known, every name counts). */
const dmsSectionsByVersions = new Map<string, ReadonlySet<string> | undefined>();

function dmsSectionNames(kind: FileKind, fail2banVersion: Fail2banVersion, dmsVersion: DmsVersion): ReadonlySet<string> | undefined {
  const key = `${kind}\u0000${fail2banVersion}\u0000${dmsVersion}`;
  if (!dmsSectionsByVersions.has(key)) {
    const names = dmsContext(kind, fail2banVersion, dmsVersion)?.layers.filter((layer) => layer.origin === 'dms').flatMap((layer) => layer.doc.sections.map((s) => s.name));
    dmsSectionsByVersions.set(key, names && new Set(names));
  }
  return dmsSectionsByVersions.get(key);
}

/**
 * The section as far as its option names' list goes: the names whose list is their own (DMS sets defaults in it, or
 * it reads other keys), and one for every other jail, whose details come from DMS's [DEFAULT] (a big file's
 * thousand jails share one list).
 */
function keySectionName(section: SectionNode | undefined, kind: FileKind, fail2banVersion: Fail2banVersion, dmsVersion: DmsVersion): string {
  if (!section) return '';
  const name = section.name;
  if (name === 'DEFAULT' || name === 'INCLUDES' || name === 'Thread' || name === 'Definition') return `[${name}]`;
  if (!isDmsKind(kind)) return '[*]';
  const dmsSections = dmsSectionNames(kind, fail2banVersion, dmsVersion);
  return !dmsSections || dmsSections.has(name) ? `[${name}]` : '[*]';
}

// ---------------------------------------------------------------- values

interface ValueSpot {
  /** Range the completion replaces (the word at the cursor). */
  replace: Range;
  word: string;
}

function wordSpot(before: string, after: string, position: Position, pattern = /[\w.\-/]*$/): ValueSpot {
  const word = pattern.exec(before)?.[0] ?? '';
  const tail = /^[\w.\-/]*/.exec(after)?.[0] ?? '';
  return {
    word,
    replace: { start: { line: position.line, character: position.character - word.length }, end: { line: position.line, character: position.character + tail.length } },
  };
}

function valueItem(label: string, spot: ValueSpot, group: number, extra: Partial<CompletionItem> = {}): CompletionItem {
  return {
    label,
    kind: CompletionItemKind.Value,
    sortText: sortKey(group, label),
    textEdit: { range: toLspRange(spot.replace), newText: label },
    ...extra,
  };
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** `nftables-multiport[port="${1:ssh}", protocol="${2:tcp}"]` from the action's own [Init] defaults. */
function actionSnippet(name: string, version: Fail2banVersion, portValue: string): string | undefined {
  const info = actionInfo(name, version);
  if (!info || info.python) return undefined;
  const params = SNIPPET_PARAMS.filter((p) => Object.hasOwn(info.init, p)).slice(0, 3);
  if (params.length === 0) return undefined;
  const parts = params.map((p, i) => {
    const fallback = p === 'port' ? portValue : (info.init[p] ?? '');
    return `${p}="\${${i + 1}:${escapeSnippet(fallback)}}"`;
  });
  return `${name}[${parts.join(', ')}]`;
}

function actionItems(spot: ValueSpot, version: Fail2banVersion, withVariables: boolean, portValue: string): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const action of actionsFor(version)) {
    if (/-common$/.test(action.name)) continue;
    const group = action.name.startsWith('nftables') ? 0 : action.name.startsWith('iptables') ? 2 : 1;
    const documentation = markdown(actionHover(action.name, version));
    items.push(valueItem(action.name, spot, group, { kind: CompletionItemKind.Function, detail: 'action.d/' + action.name, documentation }));
    const snippet = actionSnippet(action.name, version, portValue);
    if (snippet) {
      items.push({
        label: `${action.name}[…]`,
        kind: CompletionItemKind.Snippet,
        detail: t('with parameters'),
        documentation,
        sortText: sortKey(group, `${action.name}~`),
        filterText: action.name,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range: toLspRange(spot.replace), newText: snippet },
      });
    }
  }
  if (withVariables) {
    for (const name of interpolationVarNames(version).filter((n) => n.startsWith('action_'))) {
      items.push(
        valueItem(`%(${name})s`, spot, 0, {
          kind: CompletionItemKind.Variable,
          filterText: name,
          documentation: markdown(interpolationVarHover(name, version)),
        }),
      );
    }
  }
  return items;
}

/** Short unit spellings in the order users think of them. source: fail2ban 1.1.0 MyTime.str2seconds. */
const UNIT_ORDER: readonly { name: string; short: string }[] = [
  { name: 'second', short: 's' },
  { name: 'minute', short: 'm' },
  { name: 'hour', short: 'h' },
  { name: 'day', short: 'd' },
  { name: 'week', short: 'w' },
  { name: 'month', short: 'mo' },
  { name: 'year', short: 'y' },
];

function durationItems(spot: ValueSpot): CompletionItem[] {
  if (/\d$/.test(spot.word)) {
    // right after a number: offer the units, inserted at the cursor
    const number = /[\d.]+$/.exec(spot.word)?.[0] ?? '';
    const at = { line: spot.replace.start.line, character: spot.replace.start.character + spot.word.length };
    const unitSpot: ValueSpot = { word: '', replace: { start: at, end: at } };
    return UNIT_ORDER.map(({ name, short }, index) => {
      const unit = TIME_UNITS.find((u) => u.name === name);
      return valueItem(short, unitSpot, index, {
        kind: CompletionItemKind.Unit,
        detail: `${number}${short}: ${name}s (1 ${name} = ${unit?.seconds ?? '?'} s)`,
        documentation: markdown(unit ? `Accepted spellings: ${unit.spellings.map((x) => '`' + x + '`').join(', ')}` : undefined),
      });
    });
  }
  return COMMON_DURATIONS.map((value, index) =>
    valueItem(value, spot, index, { kind: CompletionItemKind.Constant, detail: value === '-1' ? t('permanent ban (bantime only)') : undefined }),
  );
}

function modeItems(context: ConfigContext | undefined, section: SectionNode, spot: ValueSpot, version: Fail2banVersion, dmsMode: string | undefined): CompletionItem[] {
  if (!context || section.name === 'DEFAULT') return [];
  const filterRaw = context.lookup(section.name, 'filter');
  // a filter value that hard-codes its parameters ignores the jail's `mode` (e.g. [postfix-sasl])
  if (filterRaw && !/%\(mode\)s/i.test(filterRaw.raw)) return [];
  const filterValue = context.interpolate(section.name, 'filter').value;
  if (!filterValue) return [];
  const filter = filterFileOf(filterValue.trim());
  return filterModeItems(filter, spot, version, dmsMode);
}

/** The filter's modes, each with what it catches; DMS's own choice (`extra` for [postfix]) first, then fail2ban's default. */
function filterModeItems(filter: string, spot: ValueSpot, version: Fail2banVersion, dmsMode?: string): CompletionItem[] {
  const modes = filterModes(filter, version);
  if (!modes) return [];
  const stockMode = filterInfo(filter, version)?.defaultMode;
  return modes.map((mode) => {
    const marks = [mode === dmsMode ? t('DMS default') : '', mode === stockMode ? t('fail2ban default') : ''].filter(Boolean);
    const text = filterModeText(filter, mode);
    return valueItem(mode, spot, mode === dmsMode ? 0 : mode === stockMode ? 1 : 2, {
      kind: CompletionItemKind.EnumMember,
      detail: marks.length ? t('{0} — mode of filter {1}', marks.join(' · '), filter) : t('mode of filter {0}', filter),
      documentation: markdown(
        [
          text?.catches,
          mode === dmsMode ? `DMS's jail.local sets \`mode = ${mode}\` for this jail.` : undefined,
          mode === stockMode ? `fail2ban's own default for ${filter}.` : undefined,
          `source: fail2ban ${version} filter.d/${filter}.conf`,
        ].filter(Boolean).join('\n\n'),
      ),
    });
  });
}

/** `%(` … completion: variables visible from this section, plus known/ and default/ forms. */
function variableItems(doc: ConfigDocument, context: ConfigContext | undefined, section: SectionNode, typed: string, replace: Range, closeNeeded: boolean, version: Fail2banVersion, jail: boolean): CompletionItem[] {
  const names = new Map<string, string | undefined>();
  const add = (name: string, documentation?: string): void => {
    if (!names.has(name)) names.set(name, documentation);
  };
  for (const s of doc.sections) {
    if (s.name !== section.name && s.name !== 'DEFAULT') continue;
    for (const o of s.options) add(o.name, `Defined in this file, [${s.name}]: \`${o.value.split('\n')[0]}\``);
  }
  if (context) {
    for (const layer of context.layers) {
      for (const s of layer.doc.sections) {
        if (s.name !== 'DEFAULT' && s.name !== section.name) continue;
        for (const o of s.options) add(o.name, `Defined in ${layer.label} [${s.name}]`);
      }
    }
  }
  if (jail) for (const name of interpolationVarNames(version)) add(name, interpolationVarHover(name, version));
  add('__name__', 'The section name (the jail name).');
  const items: CompletionItem[] = [];
  const prefix = typed.includes('/') ? typed.slice(0, typed.indexOf('/') + 1) : '';
  const forms = prefix ? [prefix] : ['', ...(jail ? ['known/', 'default/'] : ['default/'])];
  for (const form of forms) {
    if (!prefix && form) {
      items.push({ label: form, kind: CompletionItemKind.Folder, sortText: sortKey(5, form), textEdit: { range: toLspRange(replace), newText: form }, command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } });
      continue;
    }
    for (const [name, documentation] of names) {
      if (form && name === '__name__') continue;
      const label = `${form}${name}`;
      items.push({
        label,
        kind: CompletionItemKind.Variable,
        documentation: markdown(
          form === 'known/'
            ? `The value \`${name}\` had before this file changed it (or [DEFAULT]'s). ${documentation ?? ''}`
            : form === 'default/'
              ? `The final [DEFAULT] value of \`${name}\`.`
              : documentation,
        ),
        sortText: sortKey(form ? 3 : 1, label),
        textEdit: { range: toLspRange(replace), newText: closeNeeded ? `${label})s` : label },
      });
    }
  }
  // known/<filter option> (e.g. %(known/failregex)s extends the filter's list)
  if (jail && prefix === 'known/' && context && section.name !== 'DEFAULT') {
    const filterValue = context.interpolate(section.name, 'filter').value;
    if (filterValue) {
      for (const param of filterParamNames(filterFileOf(filterValue.trim()), version)) {
        if (names.has(param)) continue;
        items.push({
          label: `known/${param}`,
          kind: CompletionItemKind.Field,
          detail: t('from filter {0}', filterFileOf(filterValue.trim())),
          sortText: sortKey(2, param),
          textEdit: { range: toLspRange(replace), newText: closeNeeded ? `known/${param})s` : `known/${param}` },
        });
      }
    }
  }
  return items;
}

/** Innermost unclosed `name[` before the cursor on this line: the name and the text after it. */
function openBracket(before: string): { name: string; inside: string } | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = before.length - 1; i >= 0; i--) {
    const c = before[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === ']') depth++;
    else if (c === '[') {
      if (depth === 0) {
        const name = /([\w.\-%()]+)$/.exec(before.slice(0, i))?.[1] ?? '';
        return { name, inside: before.slice(i + 1) };
      }
      depth--;
    }
  }
  return undefined;
}

function paramItems(owner: string, optionName: string, inside: string, position: Position, after: string, version: Fail2banVersion, context: LazyContext, section: SectionNode): CompletionItem[] {
  const current = inside.slice(Math.max(inside.lastIndexOf(','), -1) + 1);
  const assignment = /^\s*([\w.\-?]+)\s*=\s*["']?([^"',\]]*)$/.exec(current);
  if (assignment) {
    const param = assignment[1].toLowerCase();
    const spot = wordSpot(current, after, position, /[^"'=,[\]\s]*$/);
    if (param === 'mode' && optionName === 'filter') return filterModeItems(filterFileOf(owner), spot, version);
    const values = PARAM_VALUES[param];
    return values ? values.map((v, i) => valueItem(v, spot, i, { kind: CompletionItemKind.EnumMember })) : [];
  }
  const spot = wordSpot(current, after, position, /[\w.-]*$/);
  let names: string[] = [];
  if (optionName === 'filter') names = filterParamNames(filterFileOf(owner), version).filter((n) => !/regex|^before$|^after$/.test(n));
  else if (optionName === 'backend') names = backendInfo(owner, version)?.params.map((p) => p.name) ?? [];
  else if (optionName === 'logtarget') names = [...LOGTARGET_PARAMS];
  else {
    let actionName = owner;
    const known = owner.startsWith('%(') ? context() : undefined;
    if (known) actionName = known.interpolate(section.name, owner.slice(2, -2)).value?.trim() ?? owner;
    names = actionParamNames(filterFileOf(actionName), version);
  }
  if (optionName === 'filter' && !names.includes('mode') && filterModes(filterFileOf(owner), version)) names.unshift('mode');
  return names.map((name) =>
    valueItem(name, spot, name === 'mode' || name === 'port' ? 0 : 1, {
      kind: CompletionItemKind.Field,
      textEdit: { range: toLspRange(spot.replace), newText: `${name}=` },
      command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
    }),
  );
}

/** filter, action and logpath values from what the live container has (its own filters, actions and log files). */
function liveValueItems(name: string, container: ContainerContext, spot: ValueSpot, version: Fail2banVersion): CompletionItem[] | undefined {
  const where = t('in container {0}', container.container);
  if (name === 'filter') {
    return [...containerNames(container, 'filter')].filter((f) => !isIncludeOnlyFilter(f)).sort().map((f) =>
      valueItem(f, spot, MAIL_JAILS.includes(f) || f === 'custom' ? 0 : 1, { kind: CompletionItemKind.Function, detail: `filter.d/${f} ${where}`, documentation: markdown(filterHover(f, version)) }),
    );
  }
  if (name === 'action' || name.startsWith('action_') || name === 'banaction' || name === 'banaction_allports') {
    return [...containerNames(container, 'action')].filter((a) => !/-common$/.test(a)).sort().map((a) =>
      valueItem(a, spot, a.startsWith('nftables') ? 0 : 1, { kind: CompletionItemKind.Function, detail: `action.d/${a} ${where}`, documentation: markdown(actionHover(a, version)) }),
    );
  }
  if (name === 'logpath') {
    return container.logFiles.filter((path) => !path.endsWith('/')).map((path, i) => valueItem(path, spot, i, { kind: CompletionItemKind.File, detail: t('exists {0}', where) }));
  }
  return undefined;
}

function valueAnswer(doc: ConfigDocument, context: LazyContext, options: FeatureOptions, version: Fail2banVersion, section: SectionNode, option: OptionNode, textBefore: string, position: Position): CompletionAnswer {
  const lineText = doc.lines[position.line] ?? '';
  const after = lineText.slice(position.character);
  const jail = isJailKind(options.kind);
  // %( variable
  const variable = /%\(([^()%]*)$/.exec(textBefore);
  if (variable) {
    const typed = variable[1];
    const tail = /^[^()%\s]*(\)s?)?/.exec(after)?.[0] ?? '';
    const replace: Range = { start: { line: position.line, character: position.character - typed.length }, end: { line: position.line, character: position.character + tail.length } };
    return sharedEditRangeForm(variableItems(doc, context(), section, typed, replace, true, version, jail));
  }
  const name = option.name;
  const bracket = openBracket(textBefore.slice(Math.max(0, textBefore.length - 400)));
  if (bracket && bracket.name) return sharedEditRangeForm(paramItems(bracket.name, name, bracket.inside, position, after, version, context, section));
  const spot = wordSpot(textBefore, after, position);
  if (section.name === 'INCLUDES') return NOTHING;
  if (finishedWord(option, textBefore, position) && !WORD_LIST_OPTIONS.has(name) && !name.startsWith('action_')) return NOTHING;
  if (!jail) return sharedEditRangeForm(serverValueItems(name, section.name, spot));
  const info = jailOption(name, version);
  if (name === 'mode') return sharedEditRangeForm(modeItems(context(), section, spot, version, isDmsKind(options.kind) ? dmsJailMode(section.name, resolveVersions(options).dmsVersion) : undefined));
  const live = options.container ? liveValueItems(name, options.container, spot, version) : undefined;
  if (live) return sharedEditRangeForm(live);
  if (name === 'filter') {
    // include helpers (common, apache-common, …) are read by other filters, never a jail's filter
    return cachedAnswer(`filter\u0000${version}`, spot.replace, () =>
      filterNames(version).filter((f) => !isIncludeOnlyFilter(f)).map((f) =>
        valueItem(f, spot, MAIL_JAILS.includes(f) || f === 'custom' ? 0 : 1, { kind: CompletionItemKind.Function, documentation: markdown(filterHover(f, version)) }),
      ),
    );
  }
  if (name === 'action' || name.startsWith('action_')) {
    const port = '%(port)s';
    const withVariables = name === 'action';
    return cachedAnswer(`action\u0000${version}\u0000${withVariables}`, spot.replace, () => actionItems(spot, version, withVariables, port));
  }
  if (name === 'banaction' || name === 'banaction_allports') return cachedAnswer(`banaction\u0000${version}`, spot.replace, () => actionItems(spot, version, false, 'ssh'));
  if (name === 'backend') {
    return cachedAnswer(`backend\u0000${version}`, spot.replace, () =>
      backendsFor(version).map((b) => valueItem(b.name, spot, b.name === 'auto' ? 0 : 1, { kind: CompletionItemKind.EnumMember, documentation: markdown(backendHover(b.name, version)) })),
    );
  }
  if (name === 'logpath') {
    // supervisord's captures of every program exist too, but only fail2ban's is worth offering
    const dms = isDmsKind(options.kind);
    return cachedAnswer(`logpath\u0000${dms}`, spot.replace, () =>
      DMS_LOG_FILES.filter((f) => !f.path.startsWith('/var/log/supervisor/') || f.path.endsWith('/fail2ban.log')).map((f, i) =>
        valueItem(f.path, spot, i, { kind: CompletionItemKind.File, documentation: markdown(f.doc), detail: dms ? 'exists in the DMS container' : undefined }),
      ),
    );
  }
  if (name === 'ignoreip') {
    return sharedEditRangeForm(
      ['%(known/ignoreip)s', '127.0.0.1/8', '::1', '192.168.0.0/16', '10.0.0.0/8', '172.16.0.0/12'].map((v, i) => valueItem(v, spot, i, { kind: CompletionItemKind.Constant })),
    );
  }
  if (name === 'failregex' || name === 'ignoreregex') {
    return name === 'failregex' && option.lines[0]?.range.start.line === position.line
      ? sharedEditRangeForm([valueItem('%(known/failregex)s', spot, 0, { kind: CompletionItemKind.Variable, detail: "keep the filter's regexes", filterText: 'known/failregex' })])
      : NOTHING;
  }
  if (info?.type === 'bool' || info?.clientType === 'bool') return sharedEditRangeForm(BOOLEAN_VALUES.map((v, i) => valueItem(v, spot, i, { kind: CompletionItemKind.Keyword })));
  if (info?.enumValues) return sharedEditRangeForm(info.enumValues.map((v, i) => valueItem(v, spot, i, { kind: CompletionItemKind.EnumMember })));
  if (info?.type === 'duration') return sharedEditRangeForm(durationItems(spot));
  return NOTHING;
}

/** A word of the value already ends before the cursor (`findtime = 10m |`): the value is complete. */
function finishedWord(option: OptionNode, textBefore: string, position: Position): boolean {
  const valueStart = option.keyRange.start.line === position.line ? option.delimiterRange.end.character : 0;
  return /\S\s+$/.test(textBefore.slice(valueStart));
}

function serverValueItems(name: string, sectionName: string, spot: ValueSpot): CompletionItem[] {
  const info = serverOption(name, sectionName === 'Thread' ? 'Thread' : 'Definition');
  if (!info) return [];
  if (name === 'loglevel') {
    return LOG_LEVELS.map((l, i) => valueItem(l.name, spot, i, { kind: CompletionItemKind.EnumMember, detail: `level ${l.value}` }));
  }
  if (name === 'logtarget') {
    return [
      ...LOGTARGET_RESERVED.map((t, i) => valueItem(t, spot, i, { kind: CompletionItemKind.EnumMember })),
      valueItem('/var/log/mail/fail2ban.log', spot, 9, { kind: CompletionItemKind.File, detail: "DMS's fail2ban log" }),
    ];
  }
  if (info.enumValues) return info.enumValues.map((v, i) => valueItem(v, spot, i, { kind: CompletionItemKind.EnumMember }));
  if (info.type === 'duration') return durationItems(spot);
  return [];
}

function suppressionItems(textBefore: string, position: Position): CompletionItem[] {
  const match = /^\s*[#;]\s*dms-fail2ban-disable-next-line\b[\s\w,-]*?([\w-]*)$/.exec(textBefore);
  if (!match) return [];
  const word = match[1];
  const replace: Range = { start: { line: position.line, character: position.character - word.length }, end: position };
  return allRuleMeta().map((meta) => ({
    label: meta.code,
    kind: CompletionItemKind.EnumMember,
    detail: meta.description,
    textEdit: { range: toLspRange(replace), newText: meta.code },
  }));
}

/** Completion items at `position` (never throws; an empty list when nothing fits), each with its own text edit. */
export function computeCompletion(doc: ConfigDocument, position: Position, options: FeatureOptions): CompletionItem[] {
  return withOwnTextEdits(completionAnswer(doc, position, options));
}

/**
 * Completion at `position` as the language server sends it (never throws; no items when nothing fits). The items
 * may be shared with earlier and later answers: never change them.
 */
export function completionAnswer(doc: ConfigDocument, position: Position, options: FeatureOptions): CompletionAnswer {
  try {
    const { fail2banVersion } = resolveVersions(options);
    const where = cursorContext(doc, position);
    switch (where.kind) {
      case 'header': {
        const text = doc.lines[position.line] ?? '';
        return sharedEditRangeForm(sectionItems(doc, options, fail2banVersion, where.replace, !text.slice(where.replace.end.character).startsWith(']'), where.section));
      }
      case 'key':
        return keyAnswer(doc, lazyContext(doc, options), options, fail2banVersion, where.section, where.option, where.replace);
      case 'value':
        return valueAnswer(doc, lazyContext(doc, options), options, fail2banVersion, where.section, where.option, where.before, position);
      case 'comment':
        return sharedEditRangeForm(suppressionItems(where.before, position));
      default:
        return NOTHING;
    }
  } catch {
    return NOTHING;
  }
}
