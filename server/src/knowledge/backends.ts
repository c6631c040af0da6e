// Backends a jail may use, per fail2ban version.
// source: fail2ban 1.1.0 fail2ban/server/jail.py (_BACKENDS / backend init) and filtersystemd.py;
// 1.0.2 also has gamin; 1.1.1 adds systemd's `rotated` (server/filtersystemd.py of 1.1.1).
import { DEFAULT_FAIL2BAN_VERSION, type Fail2banVersion } from '../types';
import type { VersionBounds } from './types';
import { inVersion } from './versions';

export interface BackendParam extends VersionBounds {
  name: string;
  type: 'path' | 'path-list' | 'int' | 'string' | 'bool';
  doc: string;
}

export interface BackendInfo extends VersionBounds {
  name: string;
  /** Parameters accepted as `name[param=value]`; any other parameter is a TypeError (fatal at server start). */
  params: readonly BackendParam[];
  /** With this backend `logpath` is ignored (the client checks `startswith('systemd')`). */
  ignoresLogpath: boolean;
  doc: string;
}

export const BACKENDS: readonly BackendInfo[] = [
  {
    name: 'auto',
    params: [],
    ignoresLogpath: false,
    doc: 'Tries `pyinotify`, then `polling` (stock and DMS default).',
  },
  {
    name: 'pyinotify',
    params: [],
    ignoresLogpath: false,
    doc: 'Watches log files with inotify (DMS installs python3-pyinotify). Falls back to `polling` with a warning if the module is missing.',
  },
  {
    name: 'gamin',
    params: [],
    ignoresLogpath: false,
    until: '1.0.2',
    doc: 'Gamin file alteration monitor — **removed in fail2ban 1.1.0** (`Unknown backend gamin`, fatal).',
  },
  {
    name: 'polling',
    params: [],
    ignoresLogpath: false,
    doc: 'Checks the log files for changes periodically; no extra module needed.',
  },
  {
    name: 'systemd',
    params: [
      { name: 'journalpath', type: 'path', doc: 'Read this journal file/directory instead of the system journal.' },
      { name: 'journalfiles', type: 'path-list', doc: 'Journal files (comma/space separated, globbed).' },
      { name: 'journalflags', type: 'int', doc: 'Integer flags for the journal reader (e.g. `1` = local only).' },
      { name: 'namespace', type: 'string', doc: 'Journal namespace to read.' },
      { name: 'rotated', type: 'bool', since: '1.1.1', doc: 'Also read rotated journal files (fail2ban 1.1.1+).' },
    ],
    ignoresLogpath: true,
    doc:
      'Reads the systemd journal (`journalmatch` selects the entries; `logpath` is ignored). DMS has python3-systemd but **no journald**: ' +
      'a jail on this backend sees nothing in DMS.',
  },
];

/** Backends known to `version`. */
export function backendsFor(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): BackendInfo[] {
  return BACKENDS.filter((b) => inVersion(b, version)).map((b) => ({ ...b, params: b.params.filter((p) => inVersion(p, version)) }));
}

/** Backend `name` as the server looks it up (lower-cased) in `version`; undefined when unknown there. */
export function backend(name: string, version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): BackendInfo | undefined {
  const key = name.trim().toLowerCase();
  return backendsFor(version).find((b) => b.name === key);
}
