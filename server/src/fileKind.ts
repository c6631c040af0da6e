// Which fail2ban file a path is, from its name alone (fail2ban 1.1.0 client/configreader.py read order:
// NAME.conf, NAME.d/*.conf, NAME.local, NAME.d/*.local):
// DMS's two user files, and the stock jail/server files a plain fail2ban install reads.
import type { FileKind } from './types';

/** Exact file names (case-sensitive, as on Linux where fail2ban runs). */
const KIND_BY_BASENAME: Readonly<Record<string, FileKind>> = {
  'fail2ban-jail.cf': 'dms-jail',
  'fail2ban-fail2ban.cf': 'dms-server',
  'jail.conf': 'jail',
  'jail.local': 'jail',
  'fail2ban.conf': 'server',
  'fail2ban.local': 'server',
};

/** Drop-in folders: fail2ban reads `<dir>/*.conf` and `<dir>/*.local` only. */
const KIND_BY_DROP_IN_FOLDER: Readonly<Record<string, FileKind>> = {
  'jail.d': 'jail',
  'fail2ban.d': 'server',
};

// Python's glob('*.conf') skips names starting with '.', so fail2ban never reads `jail.d/.x.local`.
const DROP_IN_NAME = /^[^.].*\.(conf|local)$/;

/** Accepts POSIX or Windows paths and file: URI paths; undefined for anything fail2ban would not read as one of these. */
export function detectFileKind(path: string): FileKind | undefined {
  const parts = path.split(/[\\/]+/).filter((part) => part !== '');
  const basename = parts[parts.length - 1];
  if (basename === undefined) return undefined;
  if (Object.hasOwn(KIND_BY_BASENAME, basename)) return KIND_BY_BASENAME[basename];
  const folder = parts[parts.length - 2];
  if (folder === undefined || !Object.hasOwn(KIND_BY_DROP_IN_FOLDER, folder)) return undefined;
  return DROP_IN_NAME.test(basename) ? KIND_BY_DROP_IN_FOLDER[folder] : undefined;
}
