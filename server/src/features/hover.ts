// Hover: option docs with fail2ban's and DMS's defaults, durations in words, jail headers (stock filter,
// ports, log path, backend, whether DMS enables it), %(var)s resolved with where it is defined,
// filter/action/backend names, modes and log levels.
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import { buildContext, resolveVersions } from '../context';
import type { ConfigContext } from '../context/types';
import {
  actionHover,
  backendHover,
  filterFileOf,
  filterHover,
  filterInfo,
  filterModeText,
  dmsJailMode,
  interpolationVarHover,
  jailOptionHover,
  logLevelValue,
  serverOptionHover,
  stockJailHover,
} from '../knowledge';
import type { ConfigDocument, OptionNode, SectionNode } from '../parser/model';
import type { Fail2banVersion, Position, Range } from '../types';
import { containerSummary } from '../context/container';
import { describeDuration, isDurationOption, layerFacts, originLabel, valueInLayer } from './knowledgeText';
import { isDmsKind, isJailKind, optionAtLine, type FeatureOptions } from './shared';
import { deferred, t } from '../l10n';

const code = (s: string): string => '`' + s.replace(/`/g, "'") + '`';

const SPECIAL_SECTION_DOCS: Readonly<Record<string, string>> = {
  DEFAULT: deferred('**[DEFAULT]** — every option here is visible in every other section unless that section sets its own.'),
  INCLUDES: deferred('**[INCLUDES]** — `before` / `after`: files read before/after this one (one per line; missing files are ignored).'),
  Definition: deferred('**[Definition]** — the server settings fail2ban reads (`loglevel`, `logtarget`, `dbfile`, …).'),
  Thread: deferred('**[Thread]** — `stacksize` only.'),
};

function hoverAt(value: string, range: Range): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: { start: { ...range.start }, end: { ...range.end } } };
}

/** A live container context is in force: every hover says which one (the modelled release is the default). */
function withContextLine(hover: Hover | null, options: FeatureOptions): Hover | null {
  if (!hover || !options.container || typeof hover.contents !== 'object' || !('kind' in hover.contents) || hover.contents.value === '') return hover;
  return { ...hover, contents: { ...hover.contents, value: `${hover.contents.value}\n\n---\n*${t('Context: {0}', containerSummary(options.container))}*` } };
}

function within(position: Position, range: Range): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

function safeContext(doc: ConfigDocument, options: FeatureOptions): ConfigContext | undefined {
  try {
    return buildContext(doc, options);
  } catch {
    return undefined;
  }
}

/** Jail header: the stock jail (if any), DMS status, and the effective settings after all layers. */
function headerHover(section: SectionNode, context: ConfigContext | undefined, options: FeatureOptions, version: Fail2banVersion): string {
  const special = SPECIAL_SECTION_DOCS[section.name];
  if (special) return t(special);
  if (!isJailKind(options.kind)) {
    return t('**[{0}]** — fail2ban reads only [Definition] and [Thread] from this file: this section is ignored.', section.name);
  }
  const { dmsVersion } = resolveVersions(options);
  const parts = [stockJailHover(section.name, version, dmsVersion) ?? t('**[{0}]** — not a stock jail: it needs its own `filter` (and `logpath`).', section.name)];
  if (context) {
    const enabled = context.isEnabled(section.name);
    const shown = ['filter', 'port', 'logpath', 'backend', 'bantime', 'findtime', 'maxretry'].map((name) => {
      const result = context.interpolate(section.name, name);
      if (!result.raw) return undefined;
      const value = result.value ?? result.raw.raw;
      const duration = isDurationOption(options.kind, name, section.name, version) ? describeDuration(value) : undefined;
      return `- ${name}: ${code(value.replace(/\n/g, ' ⏎ ').trim())}${duration ? ` (${duration})` : ''} — ${originLabel(result.raw)}`;
    });
    parts.push(
      (isDmsKind(options.kind) ? t('**Effective** (all files merged, DMS {0}): {1}', dmsVersion, enabled ? t('**enabled**') : t('disabled')) : t('**Effective** (all files merged): {0}', enabled ? t('**enabled**') : t('disabled'))) +
        '\n\n' +
        shown.filter(Boolean).join('\n'),
    );
  }
  return parts.join('\n\n---\n\n');
}

function keyHover(section: SectionNode, option: OptionNode, context: ConfigContext | undefined, options: FeatureOptions, version: Fail2banVersion): string | undefined {
  let doc: string | undefined;
  if (section.name === 'INCLUDES') doc = option.name === 'before' ? t('**before** — files read before this file, one per line.') : option.name === 'after' ? t('**after** — files read after this file, one per line.') : `**${option.name}** — files read ${option.name} this file, one per line.`;
  else if (isJailKind(options.kind)) doc = jailOptionHover(option.name, version) ?? interpolationVarHover(option.name, version);
  else doc = serverOptionHover(option.name, section.name === 'DEFAULT' ? 'Definition' : section.name);
  if (!doc) {
    doc = isJailKind(options.kind)
      ? t('**{0}** — fail2ban does not read this key itself; it only matters where a value refers to it as `%({0})s`.', option.name)
      : t('**{0}** — fail2ban does not read this key.', option.name);
  }
  const facts = context && section.name !== 'INCLUDES' ? layerFacts(context, section.name, option.name) : [];
  return [doc, ...(facts.length ? ['---', facts.map((f) => `- ${f}`).join('\n')] : [])].join('\n\n');
}

interface Spot {
  text: string;
  /** offsets in the line */
  start: number;
  end: number;
}

/** The `%(…)s` reference around `character` on `line`, if any. */
function interpolationAt(line: string, character: number): Spot | undefined {
  const pattern = /%\(([^)]*)\)s/g;
  for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
    if (character >= m.index && character <= m.index + m[0].length) return { text: m[1], start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

function wordAt(line: string, character: number, chars = /[\w.\-/]/): Spot | undefined {
  let start = character;
  let end = character;
  while (start > 0 && chars.test(line[start - 1])) start--;
  while (end < line.length && chars.test(line[end])) end++;
  return end > start ? { text: line.slice(start, end), start, end } : undefined;
}

/** What `%(name)s` resolves to from `section`, and where it is defined. */
function variableHover(reference: string, section: SectionNode, context: ConfigContext | undefined, version: Fail2banVersion, jail: boolean): string {
  const lines = [`**%(${reference})s**`];
  const name = reference.toLowerCase();
  if (name === '__name__') return t('{0} — the section name: {1}', lines[0], code(section.name));
  if (!context) return lines[0];
  const slash = reference.indexOf('/');
  if (slash >= 0) {
    const scope = reference.slice(0, slash);
    const option = reference.slice(slash + 1).toLowerCase();
    if (scope.toLowerCase() === 'known') {
      // the value before the user's file changed it: the latest earlier layer (section, else DEFAULT)
      let found;
      for (const layer of context.layers) if (layer !== context.userLayer) found = valueInLayer(layer, section.name, option) ?? found;
      lines.push(
        found
          ? t('The value before this file: {0} — {1}', code(found.raw), originLabel(found))
          : jail
            ? t('No earlier file sets `{0}` for [{1}]; in a jail with a filter, fail2ban takes it from the filter.', option, section.name)
            : t('No earlier file sets `{0}` for [{1}].', option, section.name),
      );
      return lines.join('\n\n');
    }
    const target = scope.toLowerCase() === 'default' ? 'DEFAULT' : scope;
    const result = context.interpolate(target, option);
    lines.push(result.raw ? `= ${code(result.value ?? result.raw.raw)} — ${originLabel(result.raw)}` : t('Not defined in [{0}].', target));
    if (result.error) lines.push(`⚠ ${result.error.message}`);
    return lines.join('\n\n');
  }
  const result = context.interpolate(section.name, name);
  if (result.raw) {
    lines.push(`= ${code((result.value ?? result.raw.raw).replace(/\n/g, ' ⏎ '))}`);
    lines.push(t('Defined in {0}; raw: {1}', originLabel(result.raw), code(result.raw.raw.replace(/\n/g, ' ⏎ '))));
    if (result.error) lines.push(`⚠ ${result.error.message}`);
  } else {
    lines.push(t('Not defined in [{0}] or [DEFAULT] of any file.', section.name));
  }
  const doc = jail ? interpolationVarHover(name, version) : undefined;
  if (doc) lines.push('---', doc);
  return lines.join('\n\n');
}

/** Hover for a name inside a value: filter, action, backend, mode, log level, boolean. */
function valueWordHover(option: OptionNode, section: SectionNode, word: Spot, line: string, context: ConfigContext | undefined, options: FeatureOptions, version: Fail2banVersion): string | undefined {
  const name = option.name;
  const textBefore = line.slice(0, word.start);
  // inside `name[…` a word after `key=` is a parameter value
  const paramKey = /\[[^\]]*$/.test(textBefore) ? /([\w.-]+)\s*=\s*["']?$/.exec(textBefore)?.[1]?.toLowerCase() : undefined;
  if (isJailKind(options.kind)) {
    if (name === 'filter' && !paramKey) return filterHover(word.text, version);
    if ((name === 'action' || name.startsWith('action_') || name === 'banaction' || name === 'banaction_allports') && !paramKey) {
      return actionHover(word.text, version);
    }
    if (name === 'backend' && !paramKey) return backendHover(word.text.toLowerCase(), version);
    if (name === 'mode' || (name === 'filter' && paramKey === 'mode')) {
      const filterName =
        name === 'mode'
          ? context?.interpolate(section.name, 'filter').value?.trim()
          : /([\w.-]+)\[[^\]]*$/.exec(line.slice(0, word.start))?.[1];
      if (!filterName) return undefined;
      const info = filterInfo(filterFileOf(filterName), version);
      if (!info) return undefined;
      if (!info.modeHasEffect || !info.modes) return t('`mode` has no effect on filter {0}.', code(info.name));
      const valid = info.modes.includes(word.text.toLowerCase());
      const catches = valid ? filterModeText(info.name, word.text)?.catches : undefined;
      const dmsMode = name === 'mode' && isDmsKind(options.kind) ? dmsJailMode(section.name, resolveVersions(options).dmsVersion) : undefined;
      return [
        t('Mode {0} of filter {1}: {2}.', code(word.text), code(info.name), valid ? t('valid') : t('**not a mode of this filter**')) + (catches ? t(' Catches: {0}', catches) : ''),
        dmsMode
          ? t('Modes: {0} (fail2ban default {1}, DMS default {2}).', info.modes.map(code).join(', '), code(info.defaultMode ?? 'normal'), code(dmsMode))
          : t('Modes: {0} (fail2ban default {1}).', info.modes.map(code).join(', '), code(info.defaultMode ?? 'normal')),
      ].join('\n\n');
    }
  } else if (name === 'loglevel') {
    const level = logLevelValue(word.text);
    return level === undefined ? t('{0} is not a log level fail2ban accepts.', code(word.text)) : t('Log level {0} = {1}.', code(word.text), level);
  }
  return undefined;
}

/** Hover at `position` (null when there is nothing to say; never throws). */
export function computeHover(doc: ConfigDocument, position: Position, options: FeatureOptions): Hover | null {
  return withContextLine(hoverOf(doc, position, options), options);
}

function hoverOf(doc: ConfigDocument, position: Position, options: FeatureOptions): Hover | null {
  try {
    const { fail2banVersion } = resolveVersions(options);
    const header = doc.sections.find((s) => s.headerRange.start.line === position.line);
    if (header && within(position, header.headerRange)) {
      return hoverAt(headerHover(header, safeContext(doc, options), options, fail2banVersion), header.nameRange);
    }
    const owner = optionAtLine(doc, position.line);
    if (!owner) return null;
    const { section, option } = owner;
    const context = safeContext(doc, options);
    if (within(position, option.keyRange)) return hoverAt(keyHover(section, option, context, options, fail2banVersion) ?? '', option.keyRange);
    const line = doc.lines[position.line] ?? '';
    const valueLine = option.lines.find((l) => l.range.start.line === position.line);
    if (!valueLine || position.character < valueLine.range.start.character || position.character > valueLine.range.end.character) return null;
    const lineRange = (s: Spot): Range => ({ start: { line: position.line, character: s.start }, end: { line: position.line, character: s.end } });
    const reference = interpolationAt(line, position.character);
    if (reference) return hoverAt(variableHover(reference.text, section, context, fail2banVersion, isJailKind(options.kind)), lineRange(reference));
    if (isDurationOption(options.kind, option.name, section.name, fail2banVersion)) {
      const described = describeDuration(option.value);
      const text = described
        ? `**${option.name}** = ${code(option.value)} → ${described}`
        : t('**{0}**: fail2ban cannot read {1} as a time.', option.name, code(option.value));
      return hoverAt(text, valueLine.range);
    }
    const word = wordAt(line, position.character);
    if (!word) return null;
    const text = valueWordHover(option, section, word, line, context, options, fail2banVersion);
    return text ? hoverAt(text, lineRange(word)) : null;
  } catch {
    return null;
  }
}
