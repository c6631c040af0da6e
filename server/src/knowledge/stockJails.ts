// Stock jails of config/jail.conf per fail2ban version.
// source: generated/stockJails.ts (fail2ban 1.0.2, 1.1.0 and 1.1.1 config trees, read with fail2ban's
// ConfigReader; values interpolated with paths-debian.conf, Debian's packaging changes undone).
import { DEFAULT_FAIL2BAN_VERSION, type Fail2banVersion } from '../types';
import type * as GeneratedStockJails from './generated/stockJails';
import type { GeneratedStockJail, GeneratedVersion } from './types';
import { lazy } from '../lazyRegex';

export type StockJail = Omit<GeneratedStockJail, 'versions'>;

function strip({ versions: _versions, ...jail }: GeneratedStockJail): StockJail {
  return jail;
}

/** The generated tables, evaluated when first asked for (a JSON.parse in the CLI bundle; see actions.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generatedStockJails = lazy(() => require('./generated/stockJails') as typeof GeneratedStockJails);

function generatedJails(version: GeneratedVersion): StockJail[] {
  const { GENERATED_STOCK_JAILS, GENERATED_STOCK_JAIL_ORDER } = generatedStockJails();
  // one pass over the table (first entry per name, as a search would find), not a search per name: this runs in
  // every CLI check, where a hundred searches of a few hundred entries in cold code were half a millisecond
  const ofVersion = new Map<string, GeneratedStockJail>();
  for (const jail of GENERATED_STOCK_JAILS) {
    if (!ofVersion.has(jail.name) && jail.versions.includes(version)) ofVersion.set(jail.name, jail);
  }
  return GENERATED_STOCK_JAIL_ORDER[version].map((name) => {
    const jail = ofVersion.get(name);
    if (!jail) throw new Error(`generated stock jails lack ${name} (${version})`);
    return strip(jail);
  });
}

const CACHE = new Map<Fail2banVersion, readonly StockJail[]>();

/** All stock jails of `version`, in jail.conf order. */
export function stockJails(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): readonly StockJail[] {
  let list = CACHE.get(version);
  if (!list) {
    list = generatedJails(version);
    CACHE.set(version, list);
  }
  return list;
}

/** The stock jail `name` (section names are case-sensitive) of `version`. */
export function stockJail(name: string, version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): StockJail | undefined {
  // asked for every section (and unknown option) of big files: by name, not a walk over the list
  let byName = BY_NAME.get(version);
  if (!byName) {
    byName = new Map();
    for (const jail of stockJails(version)) if (!byName.has(jail.name)) byName.set(jail.name, jail);
    BY_NAME.set(version, byName);
  }
  return byName.get(name);
}

const BY_NAME = new Map<Fail2banVersion, Map<string, StockJail>>();

export function stockJailNames(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): string[] {
  return stockJails(version).map((j) => j.name);
}

/** The filter file name of an effective `filter` value ("postfix[mode=more]" → "postfix"). */
export function filterFileOf(filterValue: string): string {
  const at = filterValue.indexOf('[');
  return at < 0 ? filterValue : filterValue.slice(0, at);
}

/** Mail-related stock jails worth suggesting to DMS users (fail2ban 1.1.0 config/jail.conf). */
export const MAIL_JAILS: readonly string[] = [
  'postfix', 'postfix-rbl', 'postfix-sasl', 'dovecot', 'sieve', 'courier-smtp', 'courier-auth', 'sendmail-auth',
  'sendmail-reject', 'exim', 'exim-spam', 'cyrus-imap', 'uwimap-auth', 'perdition', 'squirrelmail', 'roundcube-auth',
  'kerio', 'assp', 'qmail-rbl', 'solid-pop3d', 'recidive',
];
