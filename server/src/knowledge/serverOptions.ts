// Options of the server config (fail2ban.conf / fail2ban.local / DMS fail2ban-fail2ban.cf).
// source: fail2ban 1.1.0 fail2ban/client/fail2banreader.py (getEarlyOptions, getOptions, [Thread]),
// fail2ban/helpers.py (str2LogLevel, log levels), config/fail2ban.conf; identical in 1.0.2 and 1.1.1
// (DMS notes: target/fail2ban/fail2ban.d/fixes.local, config-examples/fail2ban-fail2ban.cf).
import type { BadValueOutcome, OptionValueType } from './types';

export type ServerSection = 'Definition' | 'Thread';

export interface ServerOptionInfo {
  name: string;
  section: ServerSection;
  type: OptionValueType;
  clientType: 'int' | 'string';
  /** Default of the reader when nothing sets it (getOptions; early default in `earlyDefault`). */
  readerDefault: string | null;
  earlyDefault?: string;
  /** Value in the stock fail2ban.conf (null: commented out there). */
  stockValue: string | null;
  enumValues?: readonly string[];
  badValue: BadValueOutcome;
  /** Read before everything else (CLI flags override it). */
  early: boolean;
  doc: string;
}

/** Log level names accepted by `loglevel` (case-insensitive) with their numbers. source: fail2ban 1.1.0 helpers.py. */
export const LOG_LEVELS: readonly { name: string; value: number }[] = [
  { name: 'CRITICAL', value: 50 },
  { name: 'FATAL', value: 50 },
  { name: 'ERROR', value: 40 },
  { name: 'WARNING', value: 30 },
  { name: 'WARN', value: 30 },
  { name: 'NOTICE', value: 25 },
  { name: 'INFO', value: 20 },
  { name: 'MSG', value: 18 },
  { name: 'DEBUG', value: 10 },
  { name: 'TRACEDEBUG', value: 7 },
  { name: 'HEAVYDEBUG', value: 5 },
  { name: 'NOTSET', value: 0 },
];
/** Display-only names that `loglevel` rejects (`Invalid log level`). */
export const REJECTED_LOG_LEVEL_NAMES: readonly string[] = ['TRACE', 'HEAVY', 'VERBOSE'];

/** Reserved words of `logtarget` (case-insensitive); anything else is a file path. */
export const LOGTARGET_RESERVED: readonly string[] = ['STDOUT', 'STDERR', 'SYSOUT', 'SYSLOG', 'SYSTEMD-JOURNAL'];
/** Options of `logtarget = TARGET[…]`. */
export const LOGTARGET_PARAMS: readonly string[] = ['format', 'datetime', 'padding', 'facility'];

/** Valid `facility` values for `logtarget = SYSLOG[facility=…]` (Python SysLogHandler.LOG_<NAME>). */
export const SYSLOG_FACILITIES: readonly string[] = [
  'KERN', 'USER', 'MAIL', 'DAEMON', 'AUTH', 'SYSLOG', 'LPR', 'NEWS', 'UUCP', 'CRON', 'AUTHPRIV', 'FTP', 'NTP',
  'SECURITY', 'CONSOLE', 'SOLCRON', 'LOCAL0', 'LOCAL1', 'LOCAL2', 'LOCAL3', 'LOCAL4', 'LOCAL5', 'LOCAL6', 'LOCAL7',
];
/** Priority names the facility lookup also accepts although they are not facilities. */
export const SYSLOG_PRIORITY_NAMES: readonly string[] = ['EMERG', 'ALERT', 'CRIT', 'ERR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

export const SERVER_OPTIONS: readonly ServerOptionInfo[] = [
  {
    name: 'socket',
    section: 'Definition',
    type: 'path',
    clientType: 'string',
    readerDefault: '/var/run/fail2ban/fail2ban.sock',
    stockValue: '/var/run/fail2ban/fail2ban.sock',
    badValue: 'fatal',
    early: true,
    doc: 'Control socket of the server (`fail2ban-client` talks to it). Do not change it in DMS: `setup fail2ban` uses the default.',
  },
  {
    name: 'pidfile',
    section: 'Definition',
    type: 'path',
    clientType: 'string',
    readerDefault: '/var/run/fail2ban/fail2ban.pid',
    stockValue: '/var/run/fail2ban/fail2ban.pid',
    badValue: 'fatal',
    early: true,
    doc: 'PID file of the server.',
  },
  {
    name: 'loglevel',
    section: 'Definition',
    type: 'loglevel',
    clientType: 'string',
    readerDefault: 'INFO',
    stockValue: 'INFO',
    enumValues: LOG_LEVELS.map((l) => l.name),
    badValue: 'fatal',
    early: true,
    doc:
      'Log verbosity: `CRITICAL`, `ERROR`, `WARNING`, `NOTICE`, `INFO` (default), `DEBUG`, also `FATAL`, `WARN`, `MSG`, `TRACEDEBUG`, `HEAVYDEBUG`, `NOTSET` ' +
      '(any case) or a non-negative number. `TRACE`, `HEAVY`, `VERBOSE`, `-1` are rejected: `Invalid log level` — fail2ban does not start.',
  },
  {
    name: 'logtarget',
    section: 'Definition',
    type: 'logtarget',
    clientType: 'string',
    readerDefault: 'STDERR',
    earlyDefault: '/var/log/fail2ban.log',
    stockValue: '/var/log/fail2ban.log',
    enumValues: LOGTARGET_RESERVED,
    badValue: 'fatal',
    early: true,
    doc:
      'Where fail2ban logs: a file, `STDOUT`, `STDERR`, `SYSOUT`, `SYSLOG`, `SYSTEMD-JOURNAL`; options `[format=…, datetime=…, padding=…, facility=…]`. ' +
      'In DMS `/var/log/fail2ban.log` is a link to `/var/log/mail/fail2ban.log`, which `setup fail2ban log` shows. ' +
      'A file that cannot be written stops the server (`Unable to log to …`).',
  },
  {
    name: 'syslogsocket',
    section: 'Definition',
    type: 'path',
    clientType: 'string',
    readerDefault: 'auto',
    stockValue: 'auto',
    badValue: 'fatal',
    early: true,
    doc: 'Syslog socket, only used with `logtarget = SYSLOG`: `auto` (Linux `/dev/log`) or a socket path.',
  },
  {
    name: 'allowipv6',
    section: 'Definition',
    type: 'string',
    clientType: 'string',
    readerDefault: 'auto',
    stockValue: null,
    enumValues: ['auto', 'yes', 'no', 'true', 'false', 'on', 'off', '1', '0'],
    badValue: 'coerced',
    early: false,
    doc:
      'IPv6 support: exactly `auto` (case-sensitive) auto-detects; otherwise `1`/`on`/`true`/`yes` = on and **anything else silently = off** (`Auto`, `auto;`).\n\n' +
      '**In DMS it has no effect**: DMS\'s `fail2ban.d/fixes.local` (read after your file) sets `allowipv6 = auto;`, which means off.',
  },
  {
    name: 'dbfile',
    section: 'Definition',
    type: 'path',
    clientType: 'string',
    readerDefault: '/var/lib/fail2ban/fail2ban.sqlite3',
    stockValue: '/var/lib/fail2ban/fail2ban.sqlite3',
    badValue: 'fatal',
    early: false,
    doc:
      'Ban database: a file, `:memory:` or `None` (no database: bans are not restored after a restart, `bantime.increment` has no effect). ' +
      'DMS keeps it in `/var/mail-state` when that volume is mounted.',
  },
  {
    name: 'dbmaxmatches',
    section: 'Definition',
    type: 'int',
    clientType: 'int',
    readerDefault: null,
    stockValue: '10',
    badValue: 'fatal',
    early: false,
    doc: 'Matches stored per ticket in the database (for `<ipmatches>`/`<ipjailmatches>`). Integer; anything else stops the server (unless `dbfile = None`).',
  },
  {
    name: 'dbpurgeage',
    section: 'Definition',
    type: 'duration',
    clientType: 'string',
    readerDefault: '1d',
    stockValue: '1d',
    badValue: 'fatal',
    early: false,
    doc:
      'Age after which bans are removed from the database (time syntax as `bantime`). Default `1d` is shorter than DMS\'s bantimes (`1w`, `180d`), ' +
      'so long bans may not be restored after a restart. A bad time stops the server (unless `dbfile = None`).',
  },
  {
    name: 'stacksize',
    section: 'Thread',
    type: 'int',
    clientType: 'int',
    readerDefault: null,
    stockValue: null,
    badValue: 'fatal',
    early: false,
    doc: 'Thread stack size in KiB: `0` (platform default) or at least `32`. `16` → `size not valid: 16384 bytes`; non-integer also stops the server.',
  },
];

/** Sections fail2ban reads from the server config; any other section is ignored. */
export const SERVER_SECTIONS: readonly ServerSection[] = ['Definition', 'Thread'];

/** The option `name` (case-insensitive) of `section`; options of [Definition] may also be set in [DEFAULT]. */
export function serverOption(name: string, section: string = 'Definition'): ServerOptionInfo | undefined {
  const key = name.toLowerCase();
  const wanted = section === 'DEFAULT' ? undefined : section;
  return SERVER_OPTIONS.find((o) => o.name === key && (wanted === undefined || o.section === wanted));
}

export function serverOptionNames(section: ServerSection): string[] {
  return SERVER_OPTIONS.filter((o) => o.section === section).map((o) => o.name);
}

/** Number of a log level name or digit string as `str2LogLevel` reads it; undefined when rejected. */
export function logLevelValue(value: string): number | undefined {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  return LOG_LEVELS.find((l) => l.name === v.toUpperCase())?.value;
}
