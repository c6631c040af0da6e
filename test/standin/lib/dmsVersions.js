'use strict';
// What differs between docker-mailserver releases in the parts the stand-in emulates.
// Source: /work/shared/reference/dms-fail2ban.md §1, §2.2, §2.6, §4.1, §5 (DMS v12.0.0 … edge, 2025-09).

/** `setup fail2ban` usage text (§2.2); v12.0.0 printed only the first line, v12.1.0 the first two. */
const USAGE_LINES = [
  'Usage: ./setup.sh fail2ban [<ban|unban> <IP>]',
  '       ./setup.sh fail2ban log',
  '       ./setup.sh fail2ban status',
];

/**
 * One row per DMS release line.
 *  - fail2ban: the fail2ban version the image ships (§5)
 *  - jailLayout: which DMS jail.local the image carries (§4.1)
 *  - logStyle: `bracketed` = `[   INF   ]  msg` (≤ v13), `rfc3339` = `<ts> LEVEL fail2ban: msg` (v14+)
 *  - infoStream: where `_log info` lines go (edge moved every level to stderr, DMS PR #4586)
 *  - subcommands: what `setup fail2ban <sub>` knows besides the no-argument listing
 *  - fail2banLog: where fail2ban-server logs. v12.0.0's Dockerfile keeps upstream's /var/log/fail2ban.log as a
 *    plain file; v12.1.0's Dockerfile moved it to /var/log/mail/fail2ban.log and made /var/log/fail2ban.log a symlink
 */
const DMS_VERSIONS = {
  'v12.0': {
    release: '12.0.0', image: 'docker.io/mailserver/docker-mailserver:12.0.0', fail2ban: '1.0.2',
    jailLayout: 'v11-v12.0', logStyle: 'bracketed', infoStream: 'stdout', usageLineCount: 1,
    subcommands: ['ban', 'unban', 'help'], fail2banLog: '/var/log/fail2ban.log',
  },
  'v12.1': {
    release: '12.1.0', image: 'docker.io/mailserver/docker-mailserver:12.1.0', fail2ban: '1.0.2',
    jailLayout: 'v12.1-v15.0', logStyle: 'bracketed', infoStream: 'stdout', usageLineCount: 2,
    subcommands: ['ban', 'unban', 'help', 'log'], fail2banLog: '/var/log/mail/fail2ban.log',
  },
  v13: {
    release: '13.3.1', image: 'ghcr.io/docker-mailserver/docker-mailserver:13.3.1', fail2ban: '1.0.2',
    jailLayout: 'v12.1-v15.0', logStyle: 'bracketed', infoStream: 'stdout', usageLineCount: 3,
    subcommands: ['ban', 'unban', 'help', 'log', 'status'], fail2banLog: '/var/log/mail/fail2ban.log',
  },
  v14: {
    release: '14.0.0', image: 'ghcr.io/docker-mailserver/docker-mailserver:14.0.0', fail2ban: '1.0.2',
    jailLayout: 'v12.1-v15.0', logStyle: 'rfc3339', infoStream: 'stdout', usageLineCount: 3,
    subcommands: ['ban', 'unban', 'help', 'log', 'status'], fail2banLog: '/var/log/mail/fail2ban.log',
  },
  'v15.0': {
    release: '15.0.2', image: 'ghcr.io/docker-mailserver/docker-mailserver:15.0.2', fail2ban: '1.1.0',
    jailLayout: 'v12.1-v15.0', logStyle: 'rfc3339', infoStream: 'stdout', usageLineCount: 3,
    subcommands: ['ban', 'unban', 'help', 'log', 'status'], fail2banLog: '/var/log/mail/fail2ban.log',
  },
  'v15.1': {
    release: '15.1.0', image: 'ghcr.io/docker-mailserver/docker-mailserver:latest', fail2ban: '1.1.0',
    jailLayout: 'v15.1', logStyle: 'rfc3339', infoStream: 'stdout', usageLineCount: 3,
    subcommands: ['ban', 'unban', 'help', 'log', 'status'], fail2banLog: '/var/log/mail/fail2ban.log',
  },
  edge: {
    release: 'edge', image: 'ghcr.io/docker-mailserver/docker-mailserver:edge', fail2ban: '1.1.0',
    jailLayout: 'v15.1', logStyle: 'rfc3339', infoStream: 'stderr', usageLineCount: 3,
    subcommands: ['ban', 'unban', 'help', 'log', 'status'], fail2banLog: '/var/log/mail/fail2ban.log',
  },
};

/** Short names tests may use. */
const DMS_VERSION_ALIASES = { v12: 'v12.0', v15: 'v15.1', latest: 'v15.1' };

/** @param {string} name */
function resolveDmsVersion(name) {
  const key = DMS_VERSION_ALIASES[name] ?? name;
  const info = DMS_VERSIONS[key];
  if (!info) {
    throw new Error(`Unknown DMS version '${name}'. Known: ${[...Object.keys(DMS_VERSIONS), ...Object.keys(DMS_VERSION_ALIASES)].join(', ')}`);
  }
  return { key, ...info };
}

module.exports = { USAGE_LINES, DMS_VERSIONS, DMS_VERSION_ALIASES, resolveDmsVersion };
