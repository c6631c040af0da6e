// Actions of config/action.d per fail2ban version, with DMS notes.
// source: generated/actions.ts (fail2ban 1.0.2, 1.1.0 and 1.1.1 trees; .conf read with fail2ban's
// ConfigReader, smtp.py constructor via Python ast). DMS notes:
// DMS target/scripts/build/packages.sh (nftables.conf gets `flags interval`); iptables rules land only inside the
// container (its own network namespace).
import { DEFAULT_FAIL2BAN_VERSION, type Fail2banVersion } from '../types';
import type * as GeneratedActions from './generated/actions';
import type { GeneratedAction } from './types';
import { lazy } from '../lazyRegex';

export type DmsActionNote = 'dms-default' | 'dms-nftables' | 'iptables-in-container';

export interface ActionInfo extends Omit<GeneratedAction, 'versions'> {
  dmsNote?: DmsActionNote;
}

/** Markdown for each DMS note (hover text). */
export const DMS_ACTION_NOTES: Readonly<Record<DmsActionNote, string>> = {
  'dms-default':
    "DMS's default `banaction` (block the address on all ports). DMS patches `nftables.conf` so the sets use `flags interval` (CIDR bans work). " +
    'Needs `cap_add: NET_ADMIN`; check bans with `nft list ruleset` inside the container.',
  'dms-nftables': 'nftables action, the family DMS uses (table `inet f2b-table`, chain `f2b-chain`, sets `addr-set-<jail>`).',
  'iptables-in-container':
    'DMS expects nftables. An iptables action only adds rules **inside the container** (not on the host) and needs legacy iptables support; ' +
    'use it only on old kernels/NAS systems without nftables.',
};

/** Hand-written descriptions where the file header says little. source: the action files' comments. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  nftables: 'Ban with nftables; `type` = `multiport` (default), `allports` or `custom`.',
  'nftables-allports': 'nftables on all ports (same as `nftables[type=allports]`).',
  'nftables-multiport': 'nftables on the jail\'s `port` list (same as `nftables[type=multiport]`).',
  iptables: 'Ban with iptables; `type` = `oneport` (default), `multiport` or `allports`.',
  'iptables-allports': 'iptables on all ports (same as `iptables[type=allports]`).',
  'iptables-multiport': 'iptables on the jail\'s `port` list (same as `iptables[type=multiport]`).',
  dummy: 'Writes ban/unban lines to a file; does not block anything (for tests).',
  hostsdeny: 'Adds banned addresses to /etc/hosts.deny (TCP wrappers).',
  mail: 'Sends a mail on ban (uses `mail`).',
  'mail-whois': 'Sends a mail with whois information on ban.',
  'mail-whois-lines': 'Sends a mail with whois information and the matched log lines.',
  sendmail: 'Sends a mail on ban (uses sendmail).',
  'sendmail-whois': 'Sends a mail with whois information on ban (uses sendmail).',
  'sendmail-whois-lines': 'Sends a mail with whois information and the log lines (uses sendmail).',
  'sendmail-whois-matches': 'Sends a mail with whois information and the matches (uses sendmail).',
  'sendmail-whois-ipmatches': 'Sends a mail with whois information and all matches of the address (uses sendmail).',
  'sendmail-whois-ipjailmatches': 'Sends a mail with whois information and the matches of the address in this jail (uses sendmail).',
  'sendmail-buffered': 'Sends one mail per N bans (uses sendmail).',
  'mail-buffered': 'Sends one mail per N bans (uses mail).',
  'sendmail-geoip-lines': 'Sends a mail with GeoIP information and the log lines (uses sendmail).',
  blocklist_de: 'Reports the address to blocklist.de (needs an API key).',
  apprise: 'Sends a notification with apprise.',
  ipfw: 'Ban with FreeBSD ipfw.',
  'smtp.py': 'Python action that mails ban/unban and jail start/stop notices over SMTP.',
};

function noteFor(name: string): DmsActionNote | undefined {
  if (name === 'nftables-allports') return 'dms-default';
  if (name.startsWith('nftables')) return 'dms-nftables';
  if (name.startsWith('iptables')) return 'iptables-in-container';
  return undefined;
}

function decorate({ versions: _versions, ...a }: GeneratedAction): ActionInfo {
  const dmsNote = noteFor(a.name);
  const description = DESCRIPTIONS[a.name] ?? a.description;
  return dmsNote ? { ...a, description, dmsNote } : { ...a, description };
}

const CACHE = new Map<Fail2banVersion, readonly ActionInfo[]>();

/**
 * The generated table, evaluated when first asked for: in the CLI bundle each table is a JSON.parse that a process
 * not needing it (`--version`, a file without actions) would otherwise pay for at load.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generatedActions = lazy(() => require('./generated/actions') as typeof GeneratedActions);

/** Stock actions of `version` (.conf actions by file name without extension, Python ones as `name.py`). */
export function actionsFor(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): readonly ActionInfo[] {
  let list = CACHE.get(version);
  if (!list) {
    list = generatedActions().GENERATED_ACTIONS.filter((a) => a.versions.includes(version)).map(decorate);
    CACHE.set(version, list);
  }
  return list;
}

/** Action `name` as written in `action =` / `banaction =` (case-sensitive file name). */
export function actionInfo(name: string, version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): ActionInfo | undefined {
  return actionsFor(version).find((a) => a.name === name);
}

export function actionNames(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): string[] {
  return actionsFor(version).map((a) => a.name);
}

/** Include helpers (`*-common`) are not meant to be used as actions on their own. */
export function isIncludeOnlyAction(name: string): boolean {
  return /-common$/.test(name);
}

/**
 * Parameters an action accepts as `name[param=value]`: its [Init] keys (conditional `?family=` variants
 * folded to their base name), its [Definition] keys, and the reserved `name`/`actname`.
 * fail2ban accepts unknown parameters silently (except Python actions, whose constructor rejects them).
 */
export function actionParamNames(name: string, version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): string[] {
  const a = actionInfo(name, version);
  if (!a) return [];
  const init = Object.keys(a.init).map((k) => k.replace(/\?.*$/, ''));
  return [...new Set([...init, ...a.definitionKeys, 'name', 'actname'])];
}
