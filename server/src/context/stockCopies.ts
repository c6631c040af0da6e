// Options a user copied unchanged from the stock jail.conf (jail files) or fail2ban.conf (server files) of the
// fail2ban version in force: a user who pastes the stock file did nothing wrong, so advice about those lines is left out.
import type { ConfigDocument } from '../parser/model';
import { readerBaseName } from './sources';
import type { ConfigContext } from './types';

const STOCK_FILE = { jail: '/jail.conf', server: '/fail2ban.conf' } as const;
/** A file counts as pasted from the stock file when at least this many options, and half of all, are copies. */
const PASTE_MIN_OPTIONS = 10;

/** section → option name → raw value of one document (later duplicates win, as in configparser). */
function valuesOf(doc: ConfigDocument): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  for (const section of doc.sections) {
    let options = sections.get(section.name);
    if (!options) sections.set(section.name, (options = new Map()));
    for (const option of section.options) options.set(option.name, option.value);
  }
  return sections;
}

const stockValuesMemo = new WeakMap<ConfigDocument, Map<string, Map<string, string>>>();

/**
 * 0-based lines of the user's options whose key and value equal the stock file's, in the same stock section (or, where
 * that section does not set the key, the stock [DEFAULT]) — only when the file is a paste of the stock file: at least
 * PASTE_MIN_OPTIONS such options, and at least half of the file's options.
 */
export function stockCopyLines(doc: ConfigDocument, context: ConfigContext): Set<number> {
  const lines = new Set<number>();
  const suffix = STOCK_FILE[readerBaseName(context.kind) === 'jail' ? 'jail' : 'server'];
  const stock = context.layers.find((layer) => layer.origin === 'stock' && layer.path.endsWith(suffix));
  if (!stock) return lines;
  let values = stockValuesMemo.get(stock.doc);
  if (!values) stockValuesMemo.set(stock.doc, (values = valuesOf(stock.doc)));
  const defaults = values.get('DEFAULT');
  let options = 0;
  const copied: { start: number; end: number }[] = [];
  // (indexed loops: in code run once per check, for…of makes an object per step)
  const sections = doc.sections;
  for (let at = 0; at < sections.length; at++) {
    const section = sections[at];
    const own = values.get(section.name);
    if (!own) {
      options += section.options.length; // not a stock section: the user's own jail, nothing copied
      continue;
    }
    for (let i = 0; i < section.options.length; i++) {
      const option = section.options[i];
      options++;
      const stockValue = own.has(option.name) ? own.get(option.name) : defaults?.get(option.name);
      if (stockValue !== undefined && stockValue === option.value) copied.push({ start: option.range.start.line, end: option.range.end.line });
    }
  }
  // a pasted stock file (or a large part of it), not one deliberate line such as `banaction = iptables-multiport`
  if (copied.length < PASTE_MIN_OPTIONS || copied.length * 2 < options) return lines;
  for (const { start, end } of copied) for (let line = start; line <= end; line++) lines.add(line);
  return lines;
}
