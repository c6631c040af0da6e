// "Never ban this address" (request dmsFail2ban/addToIgnoreIp): a pure text edit that adds an IP/CIDR to `ignoreip` in [DEFAULT] of a
// fail2ban-jail.cf, keeping the user's formatting and comments. Positions come from the project parser.
// DMS's own jail.local sets `ignoreip = 127.0.0.1/8` in [DEFAULT] (target/fail2ban/jail.local,
// every release v11.0.0–v16.0.0); a user [DEFAULT] ignoreip REPLACES it, so a first-time ignoreip keeps it.
import { BlockList } from 'node:net';
import { parseDocument } from '../parser/parse';
import type { OptionNode, SectionNode } from '../parser/model';
import type { AddToIgnoreIpResult } from '../shared/protocol';
import type { FileKind, Position, TextReplacement } from '../types';
import { validateAddress, type ValidAddress } from '../shared/address';

/** Entries DMS's [DEFAULT] ignoreip holds that a user's first ignoreip would otherwise drop. */
export const DMS_DEFAULT_IGNOREIP: readonly string[] = ['127.0.0.1/8'];

export interface IgnoreIpOptions {
  /** The file's kind; only `dms-jail` (the default) keeps DMS's entries when ignoreip is created. */
  kind?: FileKind;
}

export type IgnoreIpEdit = AddToIgnoreIpResult;

export function addToIgnoreIp(text: string, input: string, options: IgnoreIpOptions = {}): IgnoreIpEdit {
  const checked = validateAddress(input);
  if (!checked.ok) return { status: 'invalid-address', edits: [], message: checked.reason, notes: [] };
  const address = checked.address;
  const doc = parseDocument(text);
  const eol = lineEnding(text);
  const defaults = doc.sections.filter((section) => section.name === 'DEFAULT');
  const notes = jailsWithOwnIgnoreip(doc.sections).map(
    (name) => `[${name}] sets its own ignoreip, which replaces [DEFAULT]'s for that jail; add the address there too if needed.`,
  );

  // configparser lets the last definition win; with duplicate [DEFAULT]s the last ignoreip is the live one.
  const existing = lastOption(defaults, 'ignoreip');
  if (existing) {
    const covering = entries(existing.value).find((entry) => covers(entry, checked));
    if (covering !== undefined) {
      const how = covering.toLowerCase() === address ? 'is already' : `is already covered by ${covering}`;
      return { status: 'already-present', edits: [], message: `${address} ${how} in ignoreip.`, notes };
    }
    return { status: 'added', edits: [appendToValue(doc.lines, existing, address)], message: `Added ${address} to ignoreip in [DEFAULT].`, notes };
  }

  const keep = (options.kind ?? 'dms-jail') === 'dms-jail' ? DMS_DEFAULT_IGNOREIP.filter((entry) => entry !== address) : [];
  const value = [...keep, address].join(' ');
  const kept = keep.length > 0 ? ` (keeping DMS's ${keep.join(' ')})` : '';
  if (defaults.length > 0) {
    const edit = insertOptionInto(doc.lines, defaults[0], `ignoreip${delimiterStyle(doc.lines, defaults[0])}${value}`, eol);
    return { status: 'added', edits: [edit], message: `Added ignoreip = ${value} to [DEFAULT]${kept}.`, notes };
  }
  const start: Position = { line: 0, character: text.startsWith('\uFEFF') ? 1 : 0 };
  const separator = text.trim() === '' ? '' : eol;
  const edit = { range: { start, end: start }, newText: `[DEFAULT]${eol}ignoreip = ${value}${eol}${separator}` };
  return { status: 'added', edits: [edit], message: `Added a [DEFAULT] section with ignoreip = ${value}${kept}.`, notes };
}

/**
 * The file's own line ending: the most frequent of CRLF, CR and LF (the first seen on a tie; LF in a file
 * without one). fail2ban reads all three (Python universal newlines), and an inserted line must match the rest.
 */
export function lineEnding(text: string): '\r\n' | '\r' | '\n' {
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/\r\n|\r|\n/g)) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  let best: string = '\n';
  let bestCount = 0;
  for (const [ending, count] of counts) {
    if (count > bestCount) {
      best = ending;
      bestCount = count;
    }
  }
  return best as '\r\n' | '\r' | '\n';
}

/** ignoreip takes space- and/or comma-separated entries (fail2ban `Filter.setIgnoreIP` splits on both). */
function entries(value: string): string[] {
  return value.split(/[\s,]+/).filter((entry) => entry !== '');
}

function lastOption(sections: SectionNode[], name: string): OptionNode | undefined {
  let found: OptionNode | undefined;
  for (const section of sections) for (const option of section.options) if (option.name === name) found = option;
  return found;
}

function jailsWithOwnIgnoreip(sections: SectionNode[]): string[] {
  const special = new Set(['DEFAULT', 'INCLUDES', 'Definition', 'Init']);
  return sections.filter((section) => !special.has(section.name) && section.options.some((option) => option.name === 'ignoreip')).map((section) => section.name);
}

/** True when `entry` (an ignoreip item) equals or contains the new address or network. */
function covers(entry: string, address: ValidAddress): boolean {
  if (entry.toLowerCase() === address.address) return true;
  const parsed = validateAddress(entry);
  if (!parsed.ok || parsed.family !== address.family) return false;
  const family = address.family === 4 ? 'ipv4' : 'ipv6';
  const max = address.family === 4 ? 32 : 128;
  const entryPrefix = parsed.prefix ?? max;
  const newPrefix = address.prefix ?? max;
  if (newPrefix < entryPrefix) return false;
  const list = new BlockList();
  try {
    list.addSubnet(hostPart(parsed.address), entryPrefix, family);
    return list.check(hostPart(address.address), family);
  } catch {
    return false;
  }
}

function hostPart(address: string): string {
  return address.split('/')[0];
}

/** Appends ` <address>` after the last non-empty value line (before any inline comment). */
function appendToValue(lines: string[], option: OptionNode, address: string): TextReplacement {
  const valueLines = option.lines.filter((line) => line.text !== '');
  const last = valueLines[valueLines.length - 1];
  if (last) return { range: { start: last.range.end, end: last.range.end }, newText: ` ${address}` };
  // Empty value (`ignoreip =`): put the address right after the delimiter.
  const first = option.lines[0];
  const at = first.inlineComment ? first.inlineComment.range.start : first.range.start;
  const before = at.character > 0 ? lines[at.line][at.character - 1] : '';
  const lead = before === '=' || before === ':' ? ' ' : '';
  const trail = first.inlineComment ? ' ' : '';
  return { range: { start: at, end: at }, newText: `${lead}${address}${trail}` };
}

/** Inserts a new option line after the section's last option (or after its header). */
function insertOptionInto(lines: string[], section: SectionNode, optionText: string, eol: string): TextReplacement {
  const lastLine = section.options.length > 0 ? section.options[section.options.length - 1].range.end.line : section.headerRange.end.line;
  if (lastLine + 1 < lines.length) {
    const at = { line: lastLine + 1, character: 0 };
    return { range: { start: at, end: at }, newText: `${optionText}${eol}` };
  }
  const at = { line: lastLine, character: lines[lastLine].length };
  return { range: { start: at, end: at }, newText: `${eol}${optionText}` };
}

/** `key = value` or `key=value`, as the section's options are written. */
function delimiterStyle(lines: string[], section: SectionNode): string {
  const sample = section.options[section.options.length - 1];
  if (!sample) return ' = ';
  const line = lines[sample.delimiterRange.start.line];
  const spaced = /\s/.test(line[sample.delimiterRange.start.character - 1] ?? ' ');
  return spaced ? ` ${sample.delimiter} ` : sample.delimiter;
}
