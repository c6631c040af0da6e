// Stock config texts fail2ban reads before DMS's and the user's files, per fail2ban version.
// source: generated/stockConfigs.ts (fail2ban 1.0.2 and 1.1.0 config trees, comments stripped);
// 1.1.1 = the 1.1.0 texts plus the documented 1.1.1 changes (fail2ban-config.md §8.1, §4.2, §10):
// banaction/banaction_allports moved from jail.conf to paths-*.conf (Debian: nftables), Debian
// paths set sshd_backend/postfix_backend = systemd, new jails openvpn, proxmox, vaultwarden, xrdp,
// froxlor-auth reads /var/log/user.log. Not reproduced: the 5-line mysqld-auth logpath of 1.1.1
// (not documented in the reference) and master's cowrie jail.
import { DEFAULT_FAIL2BAN_VERSION, type Fail2banVersion } from '../types';
import { GENERATED_JAIL_DEFAULTS, GENERATED_STOCK_TEXTS } from './generated/stockConfigs';
import type { GeneratedVersion, StockConfigTexts } from './types';

export const FAIL2BAN_CONFIG_DIR = '/etc/fail2ban';

export interface StockFile {
  /** Path inside the container, e.g. "/etc/fail2ban/paths-debian.conf". */
  path: string;
  text: string;
}

/** Replaces the `[DEFAULT]` option line `key = …` (or appends it to [DEFAULT]) in a stripped text. */
function setDefault(text: string, key: string, value: string | undefined): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === '[DEFAULT]');
  if (start < 0) throw new Error(`stock text without [DEFAULT] (setting ${key})`);
  let end = lines.findIndex((l, i) => i > start && l.startsWith('['));
  if (end < 0) end = lines.length;
  const keyLine = new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[=:]`);
  const at = lines.findIndex((l, i) => i > start && i < end && keyLine.test(l));
  if (at >= 0) {
    // drop continuation lines of the old value too
    let stop = at + 1;
    while (stop < end && /^\s/.test(lines[stop])) stop++;
    lines.splice(at, stop - at, ...(value === undefined ? [] : [`${key} = ${value}`]));
  } else if (value !== undefined) {
    lines.splice(end, 0, `${key} = ${value}`);
  }
  return lines.join('\n');
}

/** Replaces `key` inside section `[section]` of a stripped text. */
function setInSection(text: string, section: string, key: string, value: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `[${section}]`);
  if (start < 0) throw new Error(`stock text without [${section}]`);
  let end = lines.findIndex((l, i) => i > start && l.startsWith('['));
  if (end < 0) end = lines.length;
  const at = lines.findIndex((l, i) => i > start && i < end && new RegExp(`^${key}\\s*[=:]`).test(l));
  if (at < 0) throw new Error(`[${section}] has no ${key}`);
  lines[at] = `${key} = ${value}`;
  return lines.join('\n');
}

/** Jails new in 1.1.1 (fail2ban-config.md §8.1), written with their effective values. */
const JAILS_NEW_IN_1_1_1 = `[openvpn]
port = 443
logpath = /var/log/syslog
[proxmox]
port = https,http,8006
logpath = /var/log/daemon.log
[vaultwarden]
port = http,https
logpath = /var/log/vaultwarden.log
[xrdp]
port = 3389
logpath = /var/log/xrdp-sesman.log
`;

function texts111(): StockConfigTexts {
  const base = GENERATED_STOCK_TEXTS['1.1.0'];
  let jailConf = setDefault(base.jailConf, 'banaction', undefined);
  jailConf = setDefault(jailConf, 'banaction_allports', undefined);
  jailConf = setInSection(jailConf, 'froxlor-auth', 'logpath', '%(syslog_user)s');
  jailConf = jailConf.replace(/\n?$/, '\n') + JAILS_NEW_IN_1_1_1;
  let pathsCommon = setDefault(base.pathsCommon, 'banaction', 'iptables-multiport');
  pathsCommon = setDefault(pathsCommon, 'banaction_allports', 'iptables-allports');
  let pathsDebian = setDefault(base.pathsDebian, 'banaction', 'nftables');
  pathsDebian = setDefault(pathsDebian, 'banaction_allports', 'nftables[type=allports]');
  pathsDebian = setDefault(pathsDebian, 'sshd_backend', 'systemd');
  pathsDebian = setDefault(pathsDebian, 'postfix_backend', 'systemd');
  return { jailConf, pathsCommon, pathsDebian, fail2banConf: base.fail2banConf };
}

let cached111: StockConfigTexts | undefined;
function textsFor(version: Fail2banVersion): StockConfigTexts {
  if (version === '1.1.1') return (cached111 ??= texts111());
  return GENERATED_STOCK_TEXTS[version as GeneratedVersion];
}

/** `config/jail.conf` of `version`, comment and blank lines removed. */
export function stockJailConf(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): string {
  return textsFor(version).jailConf;
}

/**
 * The paths files jail.conf includes, in the order fail2ban reads them: jail.conf has
 * `before = paths-debian.conf`, which has `before = paths-common.conf`; so paths-common.conf,
 * then paths-debian.conf, then jail.conf (later files win per option).
 */
export function stockPathsConfs(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): StockFile[] {
  const t = textsFor(version);
  return [
    { path: `${FAIL2BAN_CONFIG_DIR}/paths-common.conf`, text: t.pathsCommon },
    { path: `${FAIL2BAN_CONFIG_DIR}/paths-debian.conf`, text: t.pathsDebian },
  ];
}

/** `config/fail2ban.conf` of `version`, comment and blank lines removed. */
export function stockFail2banConf(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): string {
  return textsFor(version).fail2banConf;
}

/** The stock jail chain as StockFiles in read order: paths-common.conf, paths-debian.conf, jail.conf. */
export function stockJailFiles(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): StockFile[] {
  return [...stockPathsConfs(version), { path: `${FAIL2BAN_CONFIG_DIR}/jail.conf`, text: stockJailConf(version) }];
}

const DEFAULTS_1_1_1_CHANGES: Readonly<Record<string, string>> = {
  banaction: 'nftables',
  banaction_allports: 'nftables[type=allports]',
  sshd_backend: 'systemd',
  postfix_backend: 'systemd',
};

/** Raw merged `[DEFAULT]` of the stock jail chain (paths-common → paths-debian → jail.conf). */
export function stockJailDefaults(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): Readonly<Record<string, string>> {
  if (version === '1.1.1') return { ...GENERATED_JAIL_DEFAULTS['1.1.0'], ...DEFAULTS_1_1_1_CHANGES };
  return GENERATED_JAIL_DEFAULTS[version];
}
