// package.json with its %key% placeholders resolved from package.nls.json (or a translation such as
// package.nls.de.json), as VS Code shows it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './fail2banInstalls';

export type NlsTable = Record<string, string>;

export function readNls(locale?: string): NlsTable {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, locale ? `package.nls.${locale}.json` : 'package.nls.json'), 'utf8')) as NlsTable;
}

export function rawManifest(): unknown {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
}

/** Every "%key%" string in the manifest, in document order. */
export function manifestKeys(node: unknown = rawManifest()): string[] {
  if (typeof node === 'string') return /^%([\w.-]+)%$/.exec(node) ? [node.slice(1, -1)] : [];
  if (Array.isArray(node)) return node.flatMap((item) => manifestKeys(item));
  if (node && typeof node === 'object') return Object.values(node).flatMap((value) => manifestKeys(value));
  return [];
}

function resolve(node: unknown, table: NlsTable): unknown {
  if (typeof node === 'string') {
    const key = /^%([\w.-]+)%$/.exec(node)?.[1];
    if (key === undefined) return node;
    if (!(key in table)) throw new Error(`package.json names %${key}% but the nls file has no such key`);
    return table[key];
  }
  if (Array.isArray(node)) return node.map((item) => resolve(item, table));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value, table)]));
  return node;
}

/** The manifest as a user with `locale` (English when omitted) sees it. */
export function localizedManifest<T>(locale?: string): T {
  const table = locale ? { ...readNls(), ...readNls(locale) } : readNls();
  return resolve(rawManifest(), table) as T;
}
