// Options a user copied unchanged from the stock jail.conf (jail files) or fail2ban.conf (server files) of the
// fail2ban version in force: the user did nothing wrong there, so advice about those lines is left out.
import type { ConfigDocument } from '../parser/model';
import { readerBaseName } from './sources';
import type { ConfigContext } from './types';

const STOCK_FILE = { jail: '/jail.conf', server: '/fail2ban.conf' } as const;

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
 * 0-based lines of the user's options whose key and value equal the stock file's, in the same section (or, where the
 * stock file's section does not set that key, or has no such section, its [DEFAULT]).
 */
export function stockCopyLines(doc: ConfigDocument, context: ConfigContext): Set<number> {
  const lines = new Set<number>();
  const suffix = STOCK_FILE[readerBaseName(context.kind) === 'jail' ? 'jail' : 'server'];
  const stock = context.layers.find((layer) => layer.origin === 'stock' && layer.path.endsWith(suffix));
  if (!stock) return lines;
  let values = stockValuesMemo.get(stock.doc);
  if (!values) stockValuesMemo.set(stock.doc, (values = valuesOf(stock.doc)));
  const defaults = values.get('DEFAULT');
  for (const section of doc.sections) {
    const own = values.get(section.name);
    for (const option of section.options) {
      const stockValue = own?.has(option.name) ? own.get(option.name) : defaults?.get(option.name);
      if (stockValue === undefined || stockValue !== option.value) continue;
      for (let line = option.range.start.line; line <= option.range.end.line; line++) lines.add(line);
    }
  }
  return lines;
}
