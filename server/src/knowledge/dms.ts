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
}

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
  },
];

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
  /** Absolute path; a `*` stands for a name part the user chooses (e.g. getmail's per-account logs). */
  path: string;
  /** Set for symlinks: the file it points to. */
  linksTo?: string;
  doc: string;
}

/** Log files of one DMS release, with the files they were read from. */
export interface DmsLogSet {
  /** DMS tag(s) and files the list was read from. */
  source: string;
  files: readonly DmsLogFile[];
}

const MAIL_LOG: DmsLogFile = { path: '/var/log/mail/mail.log', doc: "rsyslog's `mail.*` file: Postfix, Dovecot, Postgrey, Fetchmail and other mail services." };
const MAIL_LOG_LINK: DmsLogFile = { path: '/var/log/mail.log', linksTo: '/var/log/mail/mail.log', doc: "Symlink made by DMS's image so Debian's `syslog_mail` resolves." };
const CLAMAV_LOGS: readonly DmsLogFile[] = [
  { path: '/var/log/mail/clamav.log', doc: 'ClamAV daemon log (created by the image; written while ENABLE_CLAMAV=1).' },
  { path: '/var/log/mail/freshclam.log', doc: 'ClamAV signature updates (created by the image).' },
];
/** Debian 11's stock rsyslog.conf splits mail by priority (mail.info/mail.warn/mail.err); DMS's sed moves them to /var/log/mail/. */
const DEBIAN_11_MAIL_SPLIT: readonly DmsLogFile[] = ['info', 'warn', 'err'].map((level) => ({
  path: `/var/log/mail/mail.${level}`,
  doc: `rsyslog's \`mail.${level}\` file (Debian 11 images only: Debian 12's rsyslog.conf no longer splits mail logs).`,
}));
const FAIL2BAN_IN_MAIL_DIR: readonly DmsLogFile[] = [
  { path: '/var/log/mail/fail2ban.log', doc: "fail2ban's own log (`setup fail2ban log` prints it)." },
  { path: '/var/log/fail2ban.log', linksTo: '/var/log/mail/fail2ban.log', doc: "Symlink made by DMS's image (fail2ban's stock `logtarget`)." },
];
const FAIL2BAN_STOCK_LOG: DmsLogFile = { path: '/var/log/fail2ban.log', doc: "fail2ban's own log (stock `logtarget`; DMS v12.0 did not move it)." };
const RSPAMD_IN_MAIL_DIR: DmsLogFile = { path: '/var/log/mail/rspamd.log', doc: 'Rspamd (supervisord output, while ENABLE_RSPAMD=1).' };
const GETMAIL_MESSAGE_LOGS: DmsLogFile = {
  path: '/var/log/mail/getmail-*.log',
  doc: "getmail's `message_log`, one per getmail config file (while ENABLE_GETMAIL=1; since v15 getmail logs to syslog).",
};

/** supervisord's own log and its capture of each program's output (`stdout_logfile`), written once the program runs. */
function supervisorLogs(programs: readonly string[]): DmsLogFile[] {
  return [
    { path: '/var/log/supervisor/supervisord.log', doc: "supervisord's own log." },
    ...programs.map((program) => ({ path: `/var/log/supervisor/${program}.log`, doc: `supervisord's capture of the ${program} program's output.` })),
  ];
}

/** supervisord programs that log to /var/log/supervisor/<program>.log in every modelled release. */
const SUPERVISED_ALWAYS = [
  'amavis', 'changedetector', 'clamav', 'cron', 'dovecot', 'fail2ban', 'fetchmail', 'opendkim', 'opendmarc', 'postfix',
  'postsrsd', 'rspamd-redis', 'rsyslog', 'saslauthd_ldap', 'saslauthd_rimap', 'update-check',
];
const SASLAUTHD_UNTIL_V14 = ['saslauthd_mysql', 'saslauthd_pam', 'saslauthd_shadow'];

const V15_LOGS: DmsLogSet = {
  source:
    'docker-mailserver v15.0.0, v15.1.0 and master (2026-08-19): Dockerfile (rsyslog.conf, clamd.conf and freshclam.conf seds, touch, ' +
    'symlinks), target/supervisor/{supervisord.conf,conf.d/dms-services.conf,conf.d/saslauth.conf}; Debian 12 rsyslog 8.2302 /etc/rsyslog.conf',
  files: [
    MAIL_LOG, MAIL_LOG_LINK, ...CLAMAV_LOGS, ...FAIL2BAN_IN_MAIL_DIR, RSPAMD_IN_MAIL_DIR,
    ...supervisorLogs([...SUPERVISED_ALWAYS, 'getmail', 'mta-sts-daemon', 'postgrey']),
  ],
};

/** Log files that exist in a running DMS container, per release (only files the release's own config writes). */
export const DMS_LOG_FILES_BY_RELEASE: Readonly<Record<DmsVersion, DmsLogSet>> = {
  'v15.1.0': V15_LOGS,
  edge: V15_LOGS,
  'v15.0': V15_LOGS,
  v14: {
    source:
      'docker-mailserver v14.0.0: Dockerfile, target/supervisor/conf.d/dms-services.conf, target/scripts/startup/setup.d/getmail.sh ' +
      '(message_log); Debian 12 rsyslog 8.2302 /etc/rsyslog.conf',
    files: [
      MAIL_LOG, MAIL_LOG_LINK, ...CLAMAV_LOGS, ...FAIL2BAN_IN_MAIL_DIR, RSPAMD_IN_MAIL_DIR, GETMAIL_MESSAGE_LOGS,
      ...supervisorLogs([...SUPERVISED_ALWAYS, ...SASLAUTHD_UNTIL_V14, 'mta-sts-daemon', 'postgrey']),
    ],
  },
  // one entry for v12.1.0 – v13.x: the union (rspamd moved to /var/log/mail/ in v13.0.0, postgrey to supervisor/ in 13.x)
  v13: {
    source:
      'docker-mailserver v12.1.0, v13.0.0 and v13.3.1: Dockerfile, target/supervisor/conf.d/supervisor-app.conf, ' +
      'target/scripts/startup/setup.d/getmail.sh; Debian 11 rsyslog.conf mail.info/warn/err rules (not re-read here)',
    files: [
      MAIL_LOG, MAIL_LOG_LINK, ...DEBIAN_11_MAIL_SPLIT, ...CLAMAV_LOGS, ...FAIL2BAN_IN_MAIL_DIR, RSPAMD_IN_MAIL_DIR, GETMAIL_MESSAGE_LOGS,
      ...supervisorLogs([...SUPERVISED_ALWAYS, ...SASLAUTHD_UNTIL_V14, 'mta-sts-daemon', 'postgrey', 'rspamd']),
    ],
  },
  'v12.0': {
    source:
      'docker-mailserver v12.0.0: Dockerfile, target/supervisor/conf.d/supervisor-app.conf (postgrey output into mail.log); ' +
      'Debian 11 rsyslog.conf mail.info/warn/err rules (not re-read here)',
    files: [
      MAIL_LOG, MAIL_LOG_LINK, ...DEBIAN_11_MAIL_SPLIT, ...CLAMAV_LOGS, FAIL2BAN_STOCK_LOG,
      ...supervisorLogs([...SUPERVISED_ALWAYS, ...SASLAUTHD_UNTIL_V14, 'rspamd']),
    ],
  },
};

/** Log files of a DMS release's container. */
export function dmsLogFiles(version: DmsVersion = DEFAULT_DMS_VERSION): readonly DmsLogFile[] {
  return (DMS_LOG_FILES_BY_RELEASE[version] ?? DMS_LOG_FILES_BY_RELEASE[DEFAULT_DMS_VERSION]).files;
}

/** The newest release's log files (completion lists them; the rules use dmsLogFiles(version)). */
export const DMS_LOG_FILES: readonly DmsLogFile[] = dmsLogFiles(DEFAULT_DMS_VERSION);

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

function globToRegex(glob: string): RegExp {
  return new RegExp(`^${glob.split('/').map(globSegmentToRegex).join('/')}$`);
}

/** A concrete name for a `*` in a known log path, to test the user's glob against. */
function sampleOf(path: string): string {
  return path.replace(/\*/g, 'example');
}

/** Log files of the DMS container that a `logpath` glob (or plain path) matches, as fail2ban's glob would. */
export function dmsLogPathMatches(globOrPath: string, version: DmsVersion = DEFAULT_DMS_VERSION): string[] {
  const pattern = normalizePath(globOrPath.trim());
  if (!pattern.startsWith('/')) return [];
  const regex = globToRegex(pattern);
  return dmsLogFiles(version)
    .filter((f) => regex.test(sampleOf(f.path)) || (f.path.includes('*') && globToRegex(f.path).test(pattern)))
    .map((f) => f.path);
}

/** true when the glob/path matches at least one log file that exists in the DMS container. */
export function dmsLogPathExists(globOrPath: string, version: DmsVersion = DEFAULT_DMS_VERSION): boolean {
  return dmsLogPathMatches(globOrPath, version).length > 0;
}

/** true when the path names one of the container's log directories (not a file fail2ban can watch). */
export function isDmsLogDirectory(path: string): boolean {
  return DMS_LOG_DIRS.includes(normalizePath(path.trim()).replace(/\/$/, ''));
}
