// Which options fail2ban's readers `get` (and therefore interpolate) — the only ones whose
// interpolation errors are fatal. Data, with source versions.
import { inVersion } from '../knowledge/versions';
import type { Fail2banVersion } from '../types';

export interface ReaderOption {
  name: string;
  /** client-side conversion (configreader.py CONVERTER) */
  type: 'bool' | 'int' | 'string';
  /** value the reader uses when the option is set nowhere (undefined: not sent) */
  readerDefault?: string;
  /** first fail2ban version that reads it (absent: all) */
  since?: Fail2banVersion;
}

/** source: fail2ban 1.1.0 client/jailreader.py JailReader._configOpts1st (same in 1.0.2, 1.1.1) — read for every jail */
export const JAIL_FIRST_PASS: readonly ReaderOption[] = [
  { name: 'enabled', type: 'bool', readerDefault: 'false' },
  { name: 'backend', type: 'string', readerDefault: 'auto' },
  { name: 'filter', type: 'string', readerDefault: '' },
];

/** source: fail2ban 1.1.0 client/filterreader.py FilterReader._configOpts (same in 1.0.2, 1.1.1) */
const FILTER_OPTIONS: readonly ReaderOption[] = [
  { name: 'usedns', type: 'string' },
  { name: 'prefregex', type: 'string' },
  { name: 'ignoreregex', type: 'string' },
  { name: 'failregex', type: 'string' },
  { name: 'maxlines', type: 'int' },
  { name: 'datepattern', type: 'string' },
  { name: 'journalmatch', type: 'string' },
];

/** source: fail2ban 1.1.0 and 1.1.1 client/jailreader.py JailReader._configOpts (1.0.2 = 1.1.0) — read for enabled jails */
const JAIL_OPTIONS: readonly ReaderOption[] = [
  { name: 'enabled', type: 'bool', readerDefault: 'false' },
  { name: 'backend', type: 'string', readerDefault: 'auto' },
  { name: 'maxretry', type: 'int' },
  { name: 'maxmatches', type: 'int' },
  { name: 'findtime', type: 'string' },
  { name: 'bantime', type: 'string' },
  { name: 'bantime.increment', type: 'bool' },
  { name: 'bantime.factor', type: 'string' },
  { name: 'bantime.formula', type: 'string' },
  { name: 'bantime.multipliers', type: 'string' },
  { name: 'bantime.maxtime', type: 'string' },
  { name: 'bantime.rndtime', type: 'string' },
  { name: 'bantime.overalljails', type: 'bool' },
  { name: 'ignorecommand', type: 'string' },
  { name: 'ignoreself', type: 'bool' },
  { name: 'ignoreip', type: 'string' },
  { name: 'ignorecache', type: 'string' },
  { name: 'filter', type: 'string', readerDefault: '' },
  { name: 'logtimezone', type: 'string' },
  { name: 'logencoding', type: 'string' },
  { name: 'logpath', type: 'string' },
  { name: 'skip_if_nologs', type: 'bool', readerDefault: 'false', since: '1.1.1' },
  { name: 'systemd_if_nologs', type: 'bool', readerDefault: 'true', since: '1.1.1' },
  { name: 'action', type: 'string', readerDefault: '' },
  ...FILTER_OPTIONS,
];

const JAIL_OPTIONS_BY_VERSION = new Map<Fail2banVersion, readonly ReaderOption[]>();

export function jailReaderOptions(version: Fail2banVersion): readonly ReaderOption[] {
  let list = JAIL_OPTIONS_BY_VERSION.get(version);
  if (!list) {
    list = JAIL_OPTIONS.filter((o) => inVersion(o, version));
    JAIL_OPTIONS_BY_VERSION.set(version, list);
  }
  return list;
}

/** Whether `version`'s jail reader reads option `name` for enabled jails. */
export function jailReaderReads(version: Fail2banVersion, name: string): boolean {
  return jailReaderOptions(version).some((o) => o.name === name);
}

/**
 * source: fail2ban 1.1.0 client/fail2banreader.py getEarlyOptions + getOptions (same in 1.0.2, 1.1.1):
 * section [Definition]; defaults as in getOptions (logtarget's early default is /var/log/fail2ban.log).
 */
export const SERVER_DEFINITION_OPTIONS: readonly ReaderOption[] = [
  { name: 'socket', type: 'string', readerDefault: '/var/run/fail2ban/fail2ban.sock' },
  { name: 'pidfile', type: 'string', readerDefault: '/var/run/fail2ban/fail2ban.pid' },
  { name: 'loglevel', type: 'string', readerDefault: 'INFO' },
  { name: 'logtarget', type: 'string', readerDefault: 'STDERR' },
  { name: 'syslogsocket', type: 'string', readerDefault: 'auto' },
  { name: 'allowipv6', type: 'string', readerDefault: 'auto' },
  { name: 'dbfile', type: 'string', readerDefault: '/var/lib/fail2ban/fail2ban.sqlite3' },
  { name: 'dbmaxmatches', type: 'int' },
  { name: 'dbpurgeage', type: 'string', readerDefault: '1d' },
];

/** source: fail2ban 1.1.0 client/fail2banreader.py getOptions — read only when a [Thread] section exists */
export const SERVER_THREAD_OPTIONS: readonly ReaderOption[] = [{ name: 'stacksize', type: 'int' }];

export const SERVER_DEFINITION_SECTION = 'Definition';
export const SERVER_THREAD_SECTION = 'Thread';

const TRUE_WORDS: ReadonlySet<string> = new Set(['1', 'on', 'true', 'yes']);

/** fail2ban helpers._as_bool (source: fail2ban 1.1.0 helpers.py) */
export function pyAsBool(value: string): boolean {
  // asked for every jail's `enabled`: a longer text is no true word, lower-cased or not (lower-casing never shortens)
  return value.length <= 4 && (TRUE_WORDS.has(value) || TRUE_WORDS.has(value.toLowerCase()));
}
