// What docker-mailserver (DMS) lays around the user's files, per DMS version.
// source: dms-fail2ban.md §1 (versions), §3.1 and §3.4 (copy, read order), §3.5 (image build:
// log symlinks), §4.1 (target/fail2ban/jail.local per version), §4.2 (fail2ban.d/fixes.local),
// §4.3 (files generated at start), §5 (fail2ban version per image); fail2ban-config.md §1.4.
import { DEFAULT_DMS_VERSION, type DmsVersion, type Fail2banVersion } from '../types';

export interface DmsRelease {
  version: DmsVersion;
  /** Human range of releases this entry stands for. */
  releases: string;
  fail2ban: Fail2banVersion;
  /** How fail2ban is installed. */
  fail2banPackage: 'upstream .deb' | 'Debian 12 package';
  baseImage: string;
  /** Jails DMS's jail.local enables. */
  enabledJails: readonly string[];
  bantime: string;
  findtime: string;
  maxretry: string;
  /** `[postfix] mode` set by DMS (undefined: not set, stock `more` applies). */
  postfixMode?: string;
  /** Where fail2ban-server writes its log in the container (what `setup fail2ban log` prints from v12.1.0 on). */
  fail2banLog: DmsFail2banLog;
}

export interface DmsFail2banLog {
  path: string;
  /** Primary source of the fact (DMS file and tag). */
  source: string;
}

/**
 * v12.1.0 moved fail2ban's log into the mail log folder and left `/var/log/fail2ban.log` (upstream's
 * `logtarget`) as a symlink to it (Dockerfile of v12.1.0, `ln -sf /var/log/mail/fail2ban.log /var/log/fail2ban.log`).
 */
const MAIL_FOLDER_LOG: DmsFail2banLog = {
  path: '/var/log/mail/fail2ban.log',
  source: 'DMS v12.1.0 Dockerfile (symlink /var/log/fail2ban.log → /var/log/mail/fail2ban.log), target/bin/fail2ban `log`',
};
/** v12.0.0's Dockerfile leaves upstream's `logtarget = /var/log/fail2ban.log` alone: a plain file, no mail/ copy. */
const UPSTREAM_LOG: DmsFail2banLog = {
  path: '/var/log/fail2ban.log',
  source: 'DMS v12.0.0 Dockerfile (no fail2ban log symlink) + fail2ban 1.0.2 fail2ban.conf logtarget',
};

export const DMS_RELEASES: readonly DmsRelease[] = [
  {
    version: 'v15.1.0',
    releases: 'v15.1.0 (latest)',
    fail2ban: '1.1.0',
    fail2banPackage: 'upstream .deb',
    baseImage: 'debian:12-slim',
    enabledJails: ['dovecot', 'postfix', 'custom'],
    bantime: '1w',
    findtime: '1w',
    maxretry: '6',
    postfixMode: 'extra',
    fail2banLog: MAIL_FOLDER_LOG,
  },
  {
    version: 'edge',
    releases: 'edge (unreleased master)',
    fail2ban: '1.1.0',
    fail2banPackage: 'upstream .deb',
    baseImage: 'debian:13-slim',
    enabledJails: ['dovecot', 'postfix', 'custom'],
    bantime: '1w',
    findtime: '1w',
    maxretry: '6',
    postfixMode: 'extra',
    fail2banLog: MAIL_FOLDER_LOG,
  },
  {
    version: 'v15.0',
    releases: 'v15.0.x',
    fail2ban: '1.1.0',
    fail2banPackage: 'upstream .deb',
    baseImage: 'debian:12-slim',
    enabledJails: ['dovecot', 'postfix', 'postfix-sasl', 'custom'],
    bantime: '1w',
    findtime: '1w',
    maxretry: '6',
    postfixMode: 'extra',
    fail2banLog: MAIL_FOLDER_LOG,
  },
  {
    version: 'v14',
    releases: 'v14.x',
    fail2ban: '1.0.2',
    fail2banPackage: 'Debian 12 package',
    baseImage: 'debian:12-slim',
    enabledJails: ['dovecot', 'postfix', 'postfix-sasl', 'custom'],
    bantime: '1w',
    findtime: '1w',
    maxretry: '6',
    postfixMode: 'extra',
    fail2banLog: MAIL_FOLDER_LOG,
  },
  {
    version: 'v13',
    releases: 'v12.1.0 – v13.x',
    fail2ban: '1.0.2',
    fail2banPackage: 'upstream .deb',
    baseImage: 'debian:11-slim',
    enabledJails: ['dovecot', 'postfix', 'postfix-sasl', 'custom'],
    bantime: '1w',
    findtime: '1w',
    maxretry: '6',
    postfixMode: 'extra',
    fail2banLog: MAIL_FOLDER_LOG,
  },
  {
    version: 'v12.0',
    releases: 'v12.0.0',
    fail2ban: '1.0.2',
    fail2banPackage: 'upstream .deb',
    baseImage: 'debian:11-slim',
    enabledJails: ['dovecot', 'postfix', 'postfix-sasl', 'custom'],
    bantime: '3h',
    findtime: '10m',
    maxretry: '3',
    fail2banLog: UPSTREAM_LOG,
  },
];

/**
 * The release entry of a running image, from its `org.opencontainers.image.version` label (DMS's Dockerfile
 * sets it from the build's VCS_VERSION: `15.1.0`, `edge`, sometimes with a leading `v`).
 */
const IMAGE_VERSION_PATTERNS: ReadonlyArray<readonly [RegExp, DmsVersion]> = [
  [/^v?12\.0\./, 'v12.0'],
  [/^v?(?:12\.[1-9]\d*|13)\./, 'v13'],
  [/^v?14\./, 'v14'],
  [/^v?15\.0\./, 'v15.0'],
  [/^v?15\.[1-9]\d*\./, 'v15.1.0'],
  [/^edge$/, 'edge'],
];

export function dmsVersionOfImage(label: string | undefined): DmsVersion | undefined {
  const text = (label ?? '').trim();
  return IMAGE_VERSION_PATTERNS.find(([pattern]) => pattern.test(text))?.[1];
}

export function dmsRelease(version: DmsVersion = DEFAULT_DMS_VERSION): DmsRelease {
  return DMS_RELEASES.find((r) => r.version === version) ?? DMS_RELEASES[0];
}

/** The fail2ban version a DMS image runs. */
export function dmsFail2banVersion(version: DmsVersion = DEFAULT_DMS_VERSION): Fail2banVersion {
  return dmsRelease(version).fail2ban;
}

/** Jails DMS's jail.local enables (before the user's file changes anything). */
export function dmsEnabledJails(version: DmsVersion = DEFAULT_DMS_VERSION): readonly string[] {
  return dmsRelease(version).enabledJails;
}

/** DMS `target/fail2ban/jail.local` (= config-examples/fail2ban-jail.cf) of a release, as installed. */
export function dmsJailLocal(version: DmsVersion = DEFAULT_DMS_VERSION): string {
  const r = dmsRelease(version);
  const postfixMode = r.postfixMode
    ? '# For a reference on why this mode was chose, see\n' +
      '# https://github.com/docker-mailserver/docker-mailserver/issues/3256#issuecomment-1511188760\n' +
      `mode = ${r.postfixMode}\n`
    : '';
  const postfixSasl = r.enabledJails.includes('postfix-sasl') ? '[postfix-sasl]\nenabled = true\n\n' : '';
  return `[DEFAULT]

# "bantime" is the number of seconds that a host is banned.
bantime = ${r.bantime}

# A host is banned if it has generated "maxretry" during the last "findtime"
# seconds.
findtime = ${r.findtime}

# "maxretry" is the number of failures before a host get banned.
maxretry = ${r.maxretry}

# "ignoreip" can be a list of IP addresses, CIDR masks or DNS hosts. Fail2ban
# will not ban a host which matches an address in this list. Several addresses
# can be defined using space (and/or comma) separator.
ignoreip = 127.0.0.1/8

# default ban action
# nftables-multiport: block IP only on affected port
# nftables-allports:  block IP on all ports
banaction = nftables-allports

[dovecot]
enabled = true

[postfix]
enabled = true
${postfixMode}
${postfixSasl}# This jail is used for manual bans.
# To ban an IP address use: setup.sh fail2ban ban <IP>
[custom]
enabled = true
bantime = 180d
port = smtp,pop3,pop3s,imap,imaps,submission,submissions,sieve
`;
}

/**
 * DMS `fail2ban.d/fixes.local` (all modelled releases, since v12.0.0). Its `allowipv6 = auto;` is the
 * string "auto;" (no space before `;`), i.e. IPv6 off, and it is read after the user's fail2ban.local.
 */
export function dmsFixesLocal(_version: DmsVersion = DEFAULT_DMS_VERSION): string | undefined {
  return `# * Contains settings that act as fixes, mostly for tests.
# ! When adding new content, provide a comment on why the fix is necessary.

[Definition]

# Fail2Ban will complain when using \`fail2ban-client -d\` about this option
# not being set. This screws up \`assert_output\` in BATS tests. Therefore,
# the default value is explicitly set here.
allowipv6 = auto;
`;
}

/** `/etc/fail2ban/filter.d/custom.conf`, written at every container start (empty manual-ban filter). */
export const DMS_CUSTOM_FILTER_TEXT = '[Definition]\n';

/** `/etc/fail2ban/action.d/nftables-common.local`, written unless FAIL2BAN_BLOCKTYPE is exactly `reject`. */
export const DMS_NFTABLES_COMMON_LOCAL_TEXT = '[Init]\nblocktype = drop\n';

/** Where DMS copies the user's files inside the container. */
export const DMS_USER_FILES = {
  jail: { configName: 'fail2ban-jail.cf', target: '/etc/fail2ban/jail.d/user-jail.local' },
  server: { configName: 'fail2ban-fail2ban.cf', target: '/etc/fail2ban/fail2ban.local' },
} as const;

/** The order fail2ban reads the files in DMS (later files win per option). */
export const DMS_JAIL_READ_ORDER: readonly string[] = [
  '/etc/fail2ban/jail.conf',
  '/etc/fail2ban/jail.d/*.conf',
  '/etc/fail2ban/jail.local',
  '/etc/fail2ban/jail.d/user-jail.local',
];
export const DMS_SERVER_READ_ORDER: readonly string[] = [
  '/etc/fail2ban/fail2ban.conf',
  '/etc/fail2ban/fail2ban.d/*.conf',
  '/etc/fail2ban/fail2ban.local',
  '/etc/fail2ban/fail2ban.d/fixes.local',
];

export interface DmsLogFile {
  path: string;
  /** Set for symlinks: the file it points to. */
  linksTo?: string;
  doc: string;
}

/** Log files known to exist in a running DMS container (only those the reference documents). */
export const DMS_LOG_FILES: readonly DmsLogFile[] = [
  { path: '/var/log/mail/mail.log', doc: 'Postfix, Dovecot and other mail service log.' },
  { path: '/var/log/mail.log', linksTo: '/var/log/mail/mail.log', doc: "Symlink made by DMS's image so Debian's `syslog_mail` resolves." },
  { path: '/var/log/mail/fail2ban.log', doc: 'fail2ban\'s own log (`setup fail2ban log` prints it).' },
  { path: '/var/log/fail2ban.log', linksTo: '/var/log/mail/fail2ban.log', doc: "Symlink made by DMS's image (fail2ban's stock `logtarget`)." },
  { path: '/var/log/supervisor/fail2ban.log', doc: 'supervisord\'s capture of the fail2ban-server output.' },
];

/** Directories that exist (a glob may match them, but they are not log files). */
const DMS_LOG_DIRS = ['/var/log', '/var/log/mail', '/var/log/supervisor'];

/** Translates one segment of a Python `glob` pattern to a RegExp source (`*`/`?` never match `/`). */
function globSegmentToRegex(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

function normalizePath(path: string): string {
  return path.replace(/\/+/g, '/').replace(/\/(\.\/)+/g, '/').replace(/\/\.$/, '');
}

/** Log files of the DMS container that a `logpath` glob (or plain path) matches, as fail2ban's glob would. */
export function dmsLogPathMatches(globOrPath: string): string[] {
  const pattern = normalizePath(globOrPath.trim());
  if (!pattern.startsWith('/')) return [];
  const regex = new RegExp(`^${pattern.split('/').map(globSegmentToRegex).join('/')}$`);
  return DMS_LOG_FILES.map((f) => f.path).filter((p) => regex.test(p));
}

/** true when the glob/path matches at least one log file that exists in the DMS container. */
export function dmsLogPathExists(globOrPath: string): boolean {
  return dmsLogPathMatches(globOrPath).length > 0;
}

/** true when the path names one of the container's log directories (not a file fail2ban can watch). */
export function isDmsLogDirectory(path: string): boolean {
  return DMS_LOG_DIRS.includes(normalizePath(path.trim()).replace(/\/$/, ''));
}
