// What docker-mailserver (DMS) lays around the user's files, per DMS version.
// source: docker-mailserver per release tag: target/scripts/startup/setup.d/security/misc.sh (copies, files
// generated at start), Dockerfile (log symlinks), target/fail2ban/jail.local, target/fail2ban/fail2ban.d/fixes.local,
// target/scripts/build/packages.sh (fail2ban version per image); fail2ban 1.1.0 client/configreader.py (read order).
import { DEFAULT_DMS_VERSION, DMS_RELEASES, newestRelease, type DmsRelease, type DmsVersion, type Fail2banVersion } from './releases';

export type { DmsRelease } from './releases';

/** The registry entry of a DMS release (unknown names fall back to the default release). */
export function dmsRelease(version: DmsVersion = DEFAULT_DMS_VERSION): DmsRelease {
  const releases: readonly DmsRelease[] = DMS_RELEASES;
  return releases.find((r) => r.name === version) ?? releases.find((r) => r.name === DEFAULT_DMS_VERSION) ?? releases[0];
}

/** The newest DMS release that ships fail2ban `version` (undefined when none does). */
export function newestDmsReleaseWith(version: Fail2banVersion): DmsVersion | undefined {
  const releases: readonly DmsRelease[] = DMS_RELEASES.filter((r) => r.fail2ban === version);
  return releases.some((r) => r.date !== undefined) ? newestRelease(releases).name : undefined;
}

/** The fail2ban version a DMS image runs. */
export function dmsFail2banVersion(version: DmsVersion = DEFAULT_DMS_VERSION): Fail2banVersion {
  return dmsRelease(version).fail2ban;
}

/** Jails DMS's jail.local enables (before the user's file changes anything). */
export function dmsEnabledJails(version: DmsVersion = DEFAULT_DMS_VERSION): readonly string[] {
  return dmsRelease(version).jailLocal.enabledJails;
}

/**
 * Stock filters whose log lines DMS's own services write: Postfix, Dovecot and fail2ban itself (recidive). A stock
 * jail on another filter finds nothing to match in DMS even where its log file exists (`sieve` matches Cyrus's
 * timsieved, not Dovecot's ManageSieve). source: DMS target/supervisor/conf.d/dms-services.conf (the programs
 * supervisord runs) and fail2ban 1.1.1 config/filter.d/sieve.conf.
 */
export const DMS_SERVICE_FILTERS: readonly string[] = ['postfix', 'dovecot', 'recidive'];

/** DMS `target/fail2ban/jail.local` (= config-examples/fail2ban-jail.cf) of a release, as installed. */
export function dmsJailLocal(version: DmsVersion = DEFAULT_DMS_VERSION): string {
  const r = dmsRelease(version).jailLocal;
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

import type { DmsLogFile } from './dmsLogFiles';

export { DMS_LOG_FILES, type DmsLogFile, type DmsLogSet } from './dmsLogFiles';

/** Log files of a DMS release's container (the release entry's list). */
export function dmsLogFiles(version: DmsVersion = DEFAULT_DMS_VERSION): readonly DmsLogFile[] {
  return dmsRelease(version).logFiles.files;
}

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
  return logPathMatchesIn(globOrPath, dmsLogFiles(version).map((f) => f.path));
}

/** The paths (a `*` in one stands for any name part) that a `logpath` glob or plain path matches. */
export function logPathMatchesIn(globOrPath: string, paths: readonly string[]): string[] {
  const pattern = normalizePath(globOrPath.trim());
  if (!pattern.startsWith('/')) return [];
  const regex = globToRegex(pattern);
  return paths.filter((path) => regex.test(sampleOf(path)) || (path.includes('*') && globToRegex(path).test(pattern)));
}

/** true when the glob/path matches at least one log file that exists in the DMS container. */
export function dmsLogPathExists(globOrPath: string, version: DmsVersion = DEFAULT_DMS_VERSION): boolean {
  return dmsLogPathMatches(globOrPath, version).length > 0;
}

/** true when the path names one of the container's log directories (not a file fail2ban can watch). */
export function isDmsLogDirectory(path: string): boolean {
  return DMS_LOG_DIRS.includes(normalizePath(path.trim()).replace(/\/$/, ''));
}

function versionParts(text: string): number[] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text);
  return match ? match.slice(1, 4).map(Number) : undefined;
}

function compareParts(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * The release entry of a running image, from its `org.opencontainers.image.version` label (DMS's Dockerfile
 * sets it from the build's VCS_VERSION: `15.1.0`, `edge`, sometimes with a leading `v`): the entry whose line
 * began last at or before that version. A major release newer than every entry is not guessed (undefined).
 */
export function dmsVersionOfImage(label: string | undefined): DmsVersion | undefined {
  const text = (label ?? '').trim();
  const releases: readonly DmsRelease[] = DMS_RELEASES;
  if (text === 'edge') return releases.find((r) => r.firstTag === 'edge')?.name;
  const parts = versionParts(text);
  if (!parts) return undefined;
  const lines = releases
    .map((release) => ({ release, first: versionParts(release.firstTag) }))
    .filter((line): line is { release: DmsRelease; first: number[] } => line.first !== undefined)
    .sort((a, b) => compareParts(b.first, a.first));
  if (lines.length === 0 || parts[0] > lines[0].first[0]) return undefined;
  return lines.find((line) => compareParts(line.first, parts) <= 0)?.release.name;
}
