// Options the jail reader reads from a jail section.
// source: fail2ban 1.1.0 fail2ban/client/jailreader.py (JailReader._configOpts, _configOpts1st) and
// filterreader.py (FilterReader._configOpts) — identical in 1.0.2; 1.1.1 adds skip_if_nologs,
// systemd_if_nologs (observed in the 1.1.1 package). Behaviour of bad values: observed with the real fail2ban of each version.
import { DEFAULT_FAIL2BAN_VERSION, type Fail2banVersion } from '../types';
import { stockJailDefaults } from './stockConfigs';
import type { BadValueOutcome, OptionValueType, VersionBounds } from './types';
import { inVersion } from './versions';

export interface JailOptionInfo extends VersionBounds {
  name: string;
  /** What the value means (drives validation and completion). */
  type: OptionValueType;
  /** How the client converts it: `_as_bool`, `int()` or none. */
  clientType: 'bool' | 'int' | 'string';
  /** Default of the reader when no layer sets it (null = not sent). Python False → 'false'. */
  readerDefault: string | null;
  /** Values for enums (backend names live in backends.ts). */
  enumValues?: readonly string[];
  /** 'jail' = jailreader option; 'filter' = filter option that a jail may override. */
  kind: 'jail' | 'filter';
  /** 'always': read for every section (enabled or not); 'enabled': only for enabled jails. */
  readWhen: 'always' | 'enabled';
  badValue: BadValueOutcome;
  /** Markdown hover text. */
  doc: string;
}

/** A JailOptionInfo together with the stock jail.conf/paths [DEFAULT] value of the chosen version. */
export interface JailOptionView extends JailOptionInfo {
  stockDefault?: string;
}

const TIME_SYNTAX =
  'Time: seconds or `<n><unit>` with units `s`, `m` (minutes), `h`, `d`, `w`, `mo`, `y` (e.g. `10m`, `1d12h`, `2 weeks`); ' +
  '`mins`, `hrs`, `wk`, `yr` are **not** accepted. The value is evaluated as a Python expression.';
const FATAL_SERVER = 'A bad value passes `fail2ban-client -t` but stops the server at start (fail2ban does not run in DMS).';
const BOOL_COERCE =
  'Only `1`, `on`, `true`, `yes` (any case) mean true; **anything else, typos included, silently means false**.';
const FILTER_REPLACES =
  'Set in a jail it **replaces** the filter\'s value (not appended); extend with `%(known/OPTION)s` on the first line.';

export const JAIL_OPTIONS: readonly JailOptionInfo[] = [
  {
    name: 'enabled',
    type: 'bool',
    clientType: 'bool',
    readerDefault: 'false',
    kind: 'jail',
    readWhen: 'always',
    badValue: 'coerced',
    doc:
      'Whether the jail runs. ' + BOOL_COERCE + ' (`enabled = ture` disables the jail without any message.)\n\n' +
      'Stock `jail.conf`: `false`. DMS enables `dovecot`, `postfix`, `custom` (and `postfix-sasl` before v15.1.0).\n\n' +
      'An enabled jail whose `logpath` matches no file stops the whole fail2ban.',
  },
  {
    name: 'backend',
    type: 'backend',
    clientType: 'string',
    readerDefault: 'auto',
    kind: 'jail',
    readWhen: 'always',
    badValue: 'fatal',
    doc:
      'How log changes are detected: `auto` (pyinotify, then polling), `pyinotify`, `polling`, `systemd[journalpath=…, journalfiles=…, journalflags=…, namespace=…]`. ' +
      'Write it in lower case. With `systemd` the `logpath` is ignored (DMS has no journald).\n\n' +
      'Unknown backend → `Unknown backend <x>. Must be among [\'pyinotify\', \'polling\', \'systemd\'] or \'auto\'`. ' + FATAL_SERVER,
  },
  {
    name: 'filter',
    type: 'filter',
    clientType: 'string',
    readerDefault: '',
    kind: 'jail',
    readWhen: 'always',
    badValue: 'jail-dropped',
    doc:
      'Filter file `filter.d/<name>.conf` with optional parameters: `name[param=value, …]` (e.g. `postfix[mode=aggressive]`). ' +
      'No space before `[`.\n\nStock: `%(__name__)s[mode=%(mode)s]` (the jail name with the jail\'s `mode`).\n\n' +
      'Missing file → `Unable to read the filter \'<name>\'` and the jail is skipped; malformed value → `Invalid filter definition`.',
  },
  {
    name: 'maxretry',
    type: 'int',
    clientType: 'int',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc:
      'Number of failures within `findtime` before an address is banned. Integer literal only (no quotes, no `3.5`).\n\n' +
      'Stock: `5`; DMS: `6`.\n\nNon-integer → `WARNING Wrong value for \'maxretry\' …` and then the server fails to start.',
  },
  {
    name: 'maxmatches',
    type: 'int',
    clientType: 'int',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc:
      'How many matched log lines are kept per ticket (for `<matches>` in actions). Stock: `%(maxretry)s`, so it inherits a bad `maxretry`.\n\n' +
      'Non-integer is fatal at server start.',
  },
  {
    name: 'findtime',
    type: 'duration',
    clientType: 'string',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc: 'Window in which `maxretry` failures lead to a ban. Stock: `10m`; DMS: `1w`.\n\n' + TIME_SYNTAX + '\n\n' + FATAL_SERVER,
  },
  {
    name: 'bantime',
    type: 'duration',
    clientType: 'string',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc:
      'How long an address stays banned; a negative value (`-1`) bans permanently. Stock: `10m`; DMS: `1w` (`[custom]`: `180d`).\n\n' +
      TIME_SYNTAX + '\n\n' + FATAL_SERVER,
  },
  {
    name: 'bantime.increment',
    type: 'bool',
    clientType: 'bool',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'coerced',
    doc:
      'Grow the ban time for repeat offenders (uses the database; with `dbfile = None` it has no effect). ' + BOOL_COERCE,
  },
  {
    name: 'bantime.factor',
    type: 'expression',
    clientType: 'string',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc: 'Factor for `bantime.formula`, evaluated as a Python expression (e.g. `1`, `2.0 / 2.885385`). ' + FATAL_SERVER,
  },
  {
    name: 'bantime.formula',
    type: 'expression',
    clientType: 'string',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc:
      'Python expression for the increased ban time, with `ban.Time`, `ban.Count`, `banFactor`, `math` available. ' +
      'Example: `ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor`. A syntax error is fatal at server start.',
  },
  {
    name: 'bantime.multipliers',
    type: 'int-list',
    clientType: 'string',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc:
      'Multipliers for successive bans instead of the formula, e.g. `1 2 4 8 16 32 64`. Separated by **single spaces**; ' +
      'a double space, tab or comma gives `invalid literal for int()` at server start (fatal).',
  },
  {
    name: 'bantime.maxtime',
    type: 'duration',
    clientType: 'string',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc: 'Upper limit of the increased ban time; empty = no limit. ' + TIME_SYNTAX,
  },
  {
    name: 'bantime.rndtime',
    type: 'duration',
    clientType: 'string',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc: 'Random extra time added to increased bans (against bots timing their retries); empty = none. ' + TIME_SYNTAX,
  },
  {
    name: 'bantime.overalljails',
    type: 'bool',
    clientType: 'bool',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'coerced',
    doc: 'Count earlier bans of the address in all jails (not only this one) for the increment. ' + BOOL_COERCE,
  },
  {
    name: 'ignorecommand',
    type: 'command',
    clientType: 'string',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'ignored',
    doc:
      'Shell command run for each failure; exit code 0 means "ignore this address". Tags such as `<ip>`, `<F-USER>` are replaced. ' +
      'Not validated by fail2ban. Stock: empty.',
  },
  {
    name: 'ignoreself',
    type: 'bool',
    clientType: 'bool',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'coerced',
    doc: 'Never ban the addresses of this machine (default true). ' + BOOL_COERCE + ' A typo therefore stops ignoring own addresses.',
  },
  {
    name: 'ignoreip',
    type: 'ip-list',
    clientType: 'string',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc:
      'Addresses never banned: IPs, CIDR ranges (`10.0.0.0/8`), DNS names; separated by spaces and/or commas. ' +
      'DMS sets `127.0.0.1/8`. To add to it in one jail write `ignoreip = %(known/ignoreip)s 192.0.2.0/24`.\n\n' +
      '`#` is not a comment here. Invalid entries (e.g. `300.1.1.1`) silently become DNS names; a non-contiguous mask ' +
      '(`/255.0.255.0`) is fatal at server start. `file:` entries need fail2ban 1.1.1.',
  },
  {
    name: 'ignorecache',
    type: 'cache',
    clientType: 'string',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc:
      'Cache for `ignorecommand` results: `key="<ip>", max-count=100, max-time=5m`. `key` is required (`KeyError(\'key\')`, fatal). Empty = no cache.',
  },
  {
    name: 'logtimezone',
    type: 'timezone',
    clientType: 'string',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc:
      'Time zone of log lines without one: a fixed offset `[ABBR][+-]hh[[:]mm]`, e.g. `UTC`, `UTC+0200`, `+0130`. ' +
      'Region names like `Europe/Berlin` and lower case are rejected: `Unknown or unsupported time zone` (fatal at server start).',
  },
  {
    name: 'logencoding',
    type: 'encoding',
    clientType: 'string',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc: 'Encoding of the log files: `auto` (locale) or a Python codec name (`utf-8`, `latin-1`, …). Stock: `auto`. Unknown → `unknown encoding` (fatal).',
  },
  {
    name: 'logpath',
    type: 'logpath-list',
    clientType: 'string',
    readerDefault: null,
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc:
      'Log files to watch, **one per line** (commas are not separators), shell globs allowed; optional ` head`/` tail` after a single space.\n\n' +
      'In DMS the mail log is `/var/log/mail.log` (→ `/var/log/mail/mail.log`). If no line matches an existing file, ' +
      '`Have not found any log file for <jail> jail` stops the whole fail2ban. Ignored with `backend = systemd`.',
  },
  {
    name: 'action',
    type: 'action-list',
    clientType: 'string',
    readerDefault: '',
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'jail-dropped',
    doc:
      'Actions run on ban/unban: one or more `name[param=value, …]` from `action.d/` (or `name.py`), separated by newlines/whitespace. ' +
      'Stock: `%(action_)s` = `%(banaction)s[port=…, protocol=…, chain=…]`; shortcuts `%(action_mw)s`, `%(action_mwl)s` add mails.\n\n' +
      'Missing action file → `Unable to read action` and the jail is skipped; the same action twice → `Action … already exists` (fatal).',
  },
  {
    name: 'usedns',
    type: 'enum',
    clientType: 'string',
    readerDefault: null,
    enumValues: ['yes', 'warn', 'no', 'raw'],
    kind: 'filter',
    readWhen: 'enabled',
    badValue: 'coerced',
    doc:
      'Whether host names in logs are resolved: `yes`, `warn` (resolve and warn; stock), `no` (only addresses), `raw`. ' +
      'Other values log `Incorrect value … specified for usedns. Using safe \'no\'`.',
  },
  {
    name: 'prefregex',
    type: 'regex',
    clientType: 'string',
    readerDefault: null,
    kind: 'filter',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc: 'Regex every line must match before `failregex` is tried; `<F-CONTENT>…</F-CONTENT>` marks the part passed on. ' + FILTER_REPLACES.replace('OPTION', 'prefregex') + ' A compile error is fatal at server start.',
  },
  {
    name: 'failregex',
    type: 'regex-list',
    clientType: 'string',
    readerDefault: null,
    kind: 'filter',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc:
      'Regexes (one per line) that detect failures; each needs a failure-id group such as `<HOST>` (or `<ADDR>`, `<IP4>`, `<IP6>`, `<DNS>`, `<SUBNET>`, `<F-ID>`) unless the filter\'s `prefregex` has one. ' +
      FILTER_REPLACES.replace('OPTION', 'failregex') + ' `failregex =` (empty) silently removes all regexes.\n\n' +
      'Compile error or missing host group (`No failure-id group in …`) is fatal at server start.',
  },
  {
    name: 'ignoreregex',
    type: 'regex-list',
    clientType: 'string',
    readerDefault: null,
    kind: 'filter',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc: 'Regexes (one per line) for lines that must never count as failures. ' + FILTER_REPLACES.replace('OPTION', 'ignoreregex') + ' A compile error is fatal.',
  },
  {
    name: 'maxlines',
    type: 'int',
    clientType: 'int',
    readerDefault: null,
    kind: 'filter',
    readWhen: 'enabled',
    badValue: 'fatal',
    doc: 'Number of lines buffered for multi-line regexes. Must be an integer > 0: `0` → `maxlines must be integer greater than zero` (fatal); a non-integer is dropped with a warning.',
  },
  {
    name: 'datepattern',
    type: 'datepattern-list',
    clientType: 'string',
    readerDefault: null,
    kind: 'filter',
    readWhen: 'enabled',
    badValue: 'ignored',
    doc:
      'Custom date patterns (one per line); write strptime directives as `%%Y` because of interpolation. ' +
      'Special values: `{^LN-BEG}`, `{DEFAULT}`, `{DATE}`, `{UNB}`, `{NONE}`, `EPOCH`, `TAI64N`, `ISO8601`. The server accepts practically anything.',
  },
  {
    name: 'journalmatch',
    type: 'journalmatch-list',
    clientType: 'string',
    readerDefault: null,
    kind: 'filter',
    readWhen: 'enabled',
    badValue: 'ignored',
    doc: 'systemd journal match expressions (one per line, e.g. `_SYSTEMD_UNIT=postfix.service`). Only used with `backend = systemd`.',
  },
  {
    name: 'skip_if_nologs',
    type: 'bool',
    clientType: 'bool',
    readerDefault: 'false',
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'coerced',
    since: '1.1.1',
    doc:
      '**fail2ban 1.1.1+** (ignored by 1.1.0, the version DMS ships): skip a jail whose `logpath` matches nothing instead of failing the whole configuration. ' +
      BOOL_COERCE,
  },
  {
    name: 'systemd_if_nologs',
    type: 'bool',
    clientType: 'bool',
    readerDefault: 'true',
    kind: 'jail',
    readWhen: 'enabled',
    badValue: 'coerced',
    since: '1.1.1',
    doc:
      '**fail2ban 1.1.1+** (ignored by 1.1.0): with `backend = auto`, no log files and a jail-level `journalmatch`, switch the jail to the systemd journal. ' +
      BOOL_COERCE,
  },
];

const BY_NAME = new Map(JAIL_OPTIONS.map((o) => [o.name, o]));

/** Options the jail reader of `version` reads (names are lower case, as configparser stores them). */
export function jailOptionNames(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): string[] {
  return JAIL_OPTIONS.filter((o) => inVersion(o, version)).map((o) => o.name);
}

/** The option `name` (case-insensitive) as read by `version`, with its stock default; undefined if not read. */
export function jailOption(name: string, version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): JailOptionView | undefined {
  const info = BY_NAME.get(name.toLowerCase());
  if (!info || !inVersion(info, version)) return undefined;
  const stockDefault = stockJailDefaults(version)[info.name];
  return stockDefault === undefined ? { ...info } : { ...info, stockDefault };
}

/** Known to some fail2ban version but not to `version` (e.g. skip_if_nologs on 1.1.0). */
export function jailOptionOutsideVersion(name: string, version: Fail2banVersion): JailOptionInfo | undefined {
  const info = BY_NAME.get(name.toLowerCase());
  return info && !inVersion(info, version) ? info : undefined;
}
