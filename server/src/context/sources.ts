// The files around the user's document, per file kind (fail2ban 1.1.0 client/configreader.py
// read order; DMS target/scripts/startup/setup.d/security/misc.sh): a virtual /etc/fail2ban tree holding the stock, DMS and user layers.
import { parseDocument } from '../parser/parse';
import type { ConfigDocument } from '../parser/model';
import { FAIL2BAN_CONFIG_DIR, stockFail2banConf, stockJailFiles } from '../knowledge/stockConfigs';
import { dmsJailLocal, dmsFixesLocal } from '../knowledge/dms';
import type { ContainerContext } from '../shared/protocol';
import type { DmsVersion, Fail2banVersion, FileKind } from '../types';
import { containerTreeFiles } from './container';
import type { Layer } from './types';

export { FAIL2BAN_CONFIG_DIR };

export interface TreeFile {
  path: string;
  label: string;
  origin: Layer['origin'];
  text: string;
}

/** Where fail2ban finds the user's file. */
export function userFilePath(kind: FileKind): string {
  switch (kind) {
    case 'dms-jail':
      return `${FAIL2BAN_CONFIG_DIR}/jail.d/user-jail.local`;
    case 'jail':
      return `${FAIL2BAN_CONFIG_DIR}/jail.local`;
    case 'dms-server':
    case 'server':
      return `${FAIL2BAN_CONFIG_DIR}/fail2ban.local`;
  }
}

export function userFileLabel(kind: FileKind): string {
  switch (kind) {
    case 'dms-jail':
      return 'fail2ban-jail.cf';
    case 'dms-server':
      return 'fail2ban-fail2ban.cf';
    case 'jail':
      return 'jail.local';
    case 'server':
      return 'fail2ban.local';
  }
}

/** The base name ConfigReader.read() gets: "jail" or "fail2ban". */
export function readerBaseName(kind: FileKind): 'jail' | 'fail2ban' {
  return kind === 'dms-jail' || kind === 'jail' ? 'jail' : 'fail2ban';
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Stock and DMS files (not the user's) of a kind and versions; a live container's own files replace the modelled ones. */
export function surroundingFiles(kind: FileKind, fail2banVersion: Fail2banVersion, dmsVersion: DmsVersion, container?: ContainerContext): TreeFile[] {
  if (container) return containerTreeFiles(container, kind, userFilePath(kind));
  const stockLabel = (path: string) => `${baseName(path)} (fail2ban ${fail2banVersion})`;
  const files: TreeFile[] = [];
  if (readerBaseName(kind) === 'jail') {
    for (const file of stockJailFiles(fail2banVersion)) {
      files.push({ path: file.path, text: file.text, origin: 'stock', label: stockLabel(file.path) });
    }
    if (kind === 'dms-jail') {
      const path = `${FAIL2BAN_CONFIG_DIR}/jail.local`;
      files.push({ path, text: dmsJailLocal(dmsVersion), origin: 'dms', label: `DMS jail.local (${dmsVersion})` });
    }
  } else {
    const path = `${FAIL2BAN_CONFIG_DIR}/fail2ban.conf`;
    files.push({ path, text: stockFail2banConf(fail2banVersion), origin: 'stock', label: stockLabel(path) });
    const fixes = kind === 'dms-server' ? dmsFixesLocal(dmsVersion) : undefined;
    if (fixes !== undefined) {
      const fixesPath = `${FAIL2BAN_CONFIG_DIR}/fail2ban.d/fixes.local`;
      files.push({ path: fixesPath, text: fixes, origin: 'dms', label: `DMS fail2ban.d/fixes.local (${dmsVersion})` });
    }
  }
  return files;
}

/**
 * Stock/DMS documents never change: parse each text once. Keyed by path, then text: a key joining both would be a
 * new string of the whole text (jail.conf: ~30 KB) to build, flatten and compare in every check, while the texts of
 * one process are mostly the very same strings (an identity comparison).
 */
const parsedCache = new Map<string, { text: string; doc: ConfigDocument }[]>();

/** Documents parsed ahead of time (the CLI's build-time file), asked before parsing; each is parseDocument's own result. */
let prebuiltDocument: ((path: string, text: string) => ConfigDocument | undefined) | undefined;

export function usePrebuiltStockDocuments(lookup: ((path: string, text: string) => ConfigDocument | undefined) | undefined): void {
  prebuiltDocument = lookup;
}

export function parsedStockDocument(path: string, text: string): ConfigDocument {
  let ofPath = parsedCache.get(path);
  if (!ofPath) {
    ofPath = [];
    parsedCache.set(path, ofPath);
  }
  for (const parsed of ofPath) if (parsed.text === text) return parsed.doc;
  const doc = prebuiltDocument?.(path, text) ?? parseDocument(text, { fail2banPath: path });
  ofPath.push({ text, doc });
  return doc;
}
