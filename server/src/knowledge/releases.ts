// The release registry: every fail2ban version and every docker-mailserver (DMS) release the validator models is
// ONE entry here. Everything else derives from it: the `Fail2banVersion` / `DmsVersion` types, the defaults, the
// CLI's and the language server's lists, the stand-in docker's table (test/support/dmsReleases.ts) and the
// settings enum in package.json (test/unit/knowledge/releases.test.ts fails when they disagree).
// Adding a release is one entry below (plus, for a new fail2ban version, its install and generated tables).
//
// source (fail2ban): tags 1.0.2, 1.1.0, 1.1.1 of fail2ban/fail2ban (tag commit dates; ChangeLog); the facts
// were checked against the real packages the tests run (Debian 12's 1.0.2, Debian 13's 1.1.0, Debian
// unstable's 1.1.1-1, with Debian's packaging changes undone: scripts/debian-patches.json).
// source (DMS): docker-mailserver/docker-mailserver tags v12.0.0 … v15.1.0 and master as of 2026-08-19
// (c9b015ddc): Dockerfile (FROM, DMS_RELEASE), target/scripts/build/packages.sh (_install_fail2ban),
// target/fail2ban/jail.local, target/fail2ban/fail2ban.d/fixes.local, target/bin/fail2ban,
// target/scripts/helpers/log.sh; release dates are the tag commits' dates.
import { V12_0_LOGS, V13_LOGS, V14_LOGS, V15_LOGS, type DmsLogSet } from './dmsLogFiles';

// ---------------------------------------------------------------- fail2ban

/** What differs between fail2ban versions in how they read a file; the grammars and rules take these as parameters. */
export interface Fail2banFacts {
  /** Characters `ignoreip` is split on (client `splitwords`): 1.0.2 space/comma/newline; later commas and any whitespace. */
  ignoreIpSeparators: 'space-comma-newline' | 'comma-any-whitespace';
  /** `ignoreip` accepts `file:<path>` entries (addresses read from a file). */
  ignoreIpFiles: boolean;
  /** `name[key?family=inet6=value]` conditional parameters are accepted in action/filter/backend definitions. */
  conditionalParams: boolean;
  /** The client's warning when a jail has no log file; `{jail}` is the jail name (1.1.1 quotes it). */
  noLogFoundMessage: string;
}

export interface Fail2banReleaseEntry {
  version: string;
  /** Date of the release tag's commit. */
  date: string;
  /** The real install the tests and the knowledge generator read. */
  testedWith: string;
  facts: Fail2banFacts;
}

export const FAIL2BAN_RELEASES = [
  {
    version: '1.0.2',
    date: '2022-11-09',
    testedWith: 'Debian 12 package (/usr/bin, /etc/fail2ban)',
    facts: {
      ignoreIpSeparators: 'space-comma-newline',
      ignoreIpFiles: false,
      conditionalParams: false,
      noLogFoundMessage: 'Have not found any log file for {jail} jail',
    },
  },
  {
    version: '1.1.0',
    date: '2024-04-25',
    testedWith: 'Debian 13 package, unpacked into .cache/fail2ban-1.1.0',
    facts: {
      ignoreIpSeparators: 'comma-any-whitespace',
      ignoreIpFiles: false,
      conditionalParams: false,
      noLogFoundMessage: 'Have not found any log file for {jail} jail',
    },
  },
  {
    version: '1.1.1',
    date: '2026-08-15',
    testedWith: 'Debian unstable package 1.1.1-1, unpacked into .cache/fail2ban-1.1.1',
    facts: {
      ignoreIpSeparators: 'comma-any-whitespace',
      ignoreIpFiles: true,
      conditionalParams: true,
      noLogFoundMessage: "Have not found any log file for '{jail}' jail.",
    },
  },
] as const satisfies readonly Fail2banReleaseEntry[];

export type Fail2banVersion = (typeof FAIL2BAN_RELEASES)[number]['version'];
/** Oldest first (VersionBounds compare by this order). */
export const FAIL2BAN_VERSIONS: readonly Fail2banVersion[] = FAIL2BAN_RELEASES.map((r) => r.version);

/** fail2ban versions where `has(facts)` holds, oldest first (e.g. for "needs fail2ban 1.1.1"). */
export function fail2banVersionsWith(has: (facts: Fail2banFacts) => boolean): Fail2banVersion[] {
  return FAIL2BAN_RELEASES.filter((r) => has(r.facts)).map((r) => r.version);
}

/** The facts of one fail2ban version. */
export function fail2banFacts(version: Fail2banVersion): Fail2banFacts {
  const entry = FAIL2BAN_RELEASES.find((r) => r.version === version);
  if (!entry) throw new Error(`unknown fail2ban version ${version}`);
  return entry.facts;
}

// ---------------------------------------------------------------- DMS

/** How `setup fail2ban` (target/bin/fail2ban + helpers/log.sh) talks, per image. */
export interface SetupDialect {
  /** `bracketed` = `[   INF   ]  msg` (≤ v13), `rfc3339` = `<ts> LEVEL fail2ban: msg` (v14+). */
  logStyle: 'bracketed' | 'rfc3339';
  /** Where `_log info` lines go (every level on stderr since DMS PR #4586, in edge and v16). */
  infoStream: 'stdout' | 'stderr';
  /** Lines of the usage text printed (v12.0.0 printed one, v12.1.0 two, later three). */
  usageLineCount: 1 | 2 | 3;
  /** What `setup fail2ban <sub>` knows besides the no-argument listing. */
  subcommands: readonly string[];
}

/** One image the stand-in docker can run for this release line. */
export interface DmsImage {
  /** Name tests use (`startDmsContainer({ dmsVersion: 'v12.1' })`). */
  key: string;
  /** `DMS_RELEASE` / image label of that image. */
  tag: string;
  image: string;
  dialect: SetupDialect;
}

/** What DMS's `target/fail2ban/jail.local` (= config-examples/fail2ban-jail.cf) sets. */
export interface DmsJailLocal {
  /** Jails it enables. */
  enabledJails: readonly string[];
  bantime: string;
  findtime: string;
  maxretry: string;
  /** `[postfix] mode` (undefined: not set, the stock mode applies). */
  postfixMode?: string;
}

export interface DmsReleaseEntry<F extends string = string> {
  /** The setting value (`dmsFail2ban.dmsVersion`, `--dms-version`). */
  name: string;
  /** The releases this entry stands for, as people say it. */
  releases: string;
  /** Release date (first release of the line); undefined for `edge`. */
  date?: string;
  /** First image version of the line (`org.opencontainers.image.version` label); `edge` for the master build. */
  firstTag: string;
  baseImage: string;
  fail2ban: F;
  /** How the image installs fail2ban. */
  fail2banPackage: 'upstream .deb' | 'Debian 12 package';
  jailLocal: DmsJailLocal;
  /** Log files that exist in a running container. */
  logFiles: DmsLogSet;
  /** Where fail2ban-server writes its log in the container (what `setup fail2ban log` prints from v12.1.0 on). */
  fail2banLog: DmsFail2banLog;
  images: readonly DmsImage[];
  /** Shown in the settings UI (package.json enumDescriptions). */
  settingDescription: string;
  /** Where the facts come from, and what could not be confirmed. */
  source: string;
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

const DIALECT_V12_0: SetupDialect = { logStyle: 'bracketed', infoStream: 'stdout', usageLineCount: 1, subcommands: ['ban', 'unban', 'help'] };
const DIALECT_V12_1: SetupDialect = { logStyle: 'bracketed', infoStream: 'stdout', usageLineCount: 2, subcommands: ['ban', 'unban', 'help', 'log'] };
const DIALECT_V13: SetupDialect = { logStyle: 'bracketed', infoStream: 'stdout', usageLineCount: 3, subcommands: ['ban', 'unban', 'help', 'log', 'status'] };
const DIALECT_V14: SetupDialect = { logStyle: 'rfc3339', infoStream: 'stdout', usageLineCount: 3, subcommands: ['ban', 'unban', 'help', 'log', 'status'] };
// DMS PR #4586 ("DMS logs now all output to STDERR", in master since 2025-10 and so in v16.0.0)
const DIALECT_V16: SetupDialect = { logStyle: 'rfc3339', infoStream: 'stderr', usageLineCount: 3, subcommands: ['ban', 'unban', 'help', 'log', 'status'] };

/** jail.local of v15.1.0 (#4535 dropped postfix-sasl); unchanged on master up to 2026-08-19. */
const JAIL_LOCAL_V15_1: DmsJailLocal = { enabledJails: ['dovecot', 'postfix', 'custom'], bantime: '1w', findtime: '1w', maxretry: '6', postfixMode: 'extra' };
const JAIL_LOCAL_V12_1: DmsJailLocal = { ...JAIL_LOCAL_V15_1, enabledJails: ['dovecot', 'postfix', 'postfix-sasl', 'custom'] };

/** The newest entry first; `edge` right after the newest release. */
export const DMS_RELEASES = [
  {
    name: 'v16',
    firstTag: '16.0.0',
    releases: 'v16.0.0',
    date: '2026-08-30',
    baseImage: 'debian:13-slim',
    fail2ban: '1.1.1',
    fail2banPackage: 'upstream .deb',
    jailLocal: JAIL_LOCAL_V15_1,
    logFiles: V15_LOGS,
    fail2banLog: MAIL_FOLDER_LOG,
    images: [{ key: 'v16', tag: '16.0.0', image: 'ghcr.io/docker-mailserver/docker-mailserver:16.0.0', dialect: DIALECT_V16 }],
    settingDescription: 'v16.0.0 (Debian 13, fail2ban 1.1.1): jails dovecot, postfix (mode extra), custom; files as on master 2026-08-19 (the tag itself could not be read).',
    source:
      'Release PR docker-mailserver#4761 (merged 2026-08-30): Debian 13 base (#4536), fail2ban 1.1.0 → 1.1.1 (#4755), every DMS log on ' +
      'stderr (#4586). NOT CONFIRMED (the v16.0.0 tag and #4755\'s diff could not be read): jail.local, fixes.local, the custom ' +
      'filter/action and the `setup fail2ban` script are modelled as on master 2026-08-19 (c9b015ddc), where they equal v15.1.0; ' +
      'that #4755 installs the upstream 1.1.1 .deb the same way and keeps the nftables `flags interval` patch; that jail.local does not ' +
      "override 1.1.1's `postfix_backend = systemd` (if it does not, DMS's own [postfix] jail reads the empty journal).",
  },
  {
    name: 'edge',
    firstTag: 'edge',
    releases: 'edge (unreleased master)',
    baseImage: 'debian:13-slim',
    fail2ban: '1.1.1',
    fail2banPackage: 'upstream .deb',
    jailLocal: JAIL_LOCAL_V15_1,
    logFiles: V15_LOGS,
    fail2banLog: MAIL_FOLDER_LOG,
    images: [{ key: 'edge', tag: 'edge', image: 'ghcr.io/docker-mailserver/docker-mailserver:edge', dialect: DIALECT_V16 }],
    settingDescription: 'Unreleased master, modelled as v16 (Debian 13, fail2ban 1.1.1).',
    source: 'Follows v16 (master after the v16.0.0 release); the newest readable master is 2026-08-19 (c9b015ddc), before #4755.',
  },
  {
    name: 'v15.1.0',
    firstTag: '15.1.0',
    releases: 'v15.1.0',
    date: '2025-08-12',
    baseImage: 'debian:12-slim',
    fail2ban: '1.1.0',
    fail2banPackage: 'upstream .deb',
    jailLocal: JAIL_LOCAL_V15_1,
    logFiles: V15_LOGS,
    fail2banLog: MAIL_FOLDER_LOG,
    images: [{ key: 'v15.1', tag: '15.1.0', image: 'ghcr.io/docker-mailserver/docker-mailserver:15.1.0', dialect: DIALECT_V14 }],
    settingDescription: 'v15.1.0 (Debian 12, fail2ban 1.1.0): jails dovecot, postfix (mode extra), custom.',
    source: 'Tag v15.1.0.',
  },
  {
    name: 'v15.0',
    firstTag: '15.0.0',
    releases: 'v15.0.x',
    date: '2025-03-01',
    baseImage: 'debian:12-slim',
    fail2ban: '1.1.0',
    fail2banPackage: 'upstream .deb',
    jailLocal: JAIL_LOCAL_V12_1,
    logFiles: V15_LOGS,
    fail2banLog: MAIL_FOLDER_LOG,
    images: [{ key: 'v15.0', tag: '15.0.2', image: 'ghcr.io/docker-mailserver/docker-mailserver:15.0.2', dialect: DIALECT_V14 }],
    settingDescription: 'v15.0.x (fail2ban 1.1.0): also enables postfix-sasl.',
    source: 'Tags v15.0.0 – v15.0.2.',
  },
  {
    name: 'v14',
    firstTag: '14.0.0',
    releases: 'v14.x',
    date: '2024-06-05',
    baseImage: 'debian:12-slim',
    fail2ban: '1.0.2',
    fail2banPackage: 'Debian 12 package',
    jailLocal: JAIL_LOCAL_V12_1,
    logFiles: V14_LOGS,
    fail2banLog: MAIL_FOLDER_LOG,
    images: [{ key: 'v14', tag: '14.0.0', image: 'ghcr.io/docker-mailserver/docker-mailserver:14.0.0', dialect: DIALECT_V14 }],
    settingDescription: 'v14.x: fail2ban 1.0.2 (Debian 12), also postfix-sasl.',
    source: 'Tag v14.0.0.',
  },
  {
    name: 'v13',
    firstTag: '12.1.0',
    releases: 'v12.1.0 – v13.x',
    date: '2023-05-10',
    baseImage: 'debian:11-slim',
    fail2ban: '1.0.2',
    fail2banPackage: 'upstream .deb',
    jailLocal: JAIL_LOCAL_V12_1,
    logFiles: V13_LOGS,
    fail2banLog: MAIL_FOLDER_LOG,
    images: [
      { key: 'v12.1', tag: '12.1.0', image: 'docker.io/mailserver/docker-mailserver:12.1.0', dialect: DIALECT_V12_1 },
      { key: 'v13', tag: '13.3.1', image: 'ghcr.io/docker-mailserver/docker-mailserver:13.3.1', dialect: DIALECT_V13 },
    ],
    settingDescription: 'v12.1.0 – v13.x: fail2ban 1.0.2, also postfix-sasl.',
    source: 'Tags v12.1.0 – v13.3.1.',
  },
  {
    name: 'v12.0',
    firstTag: '12.0.0',
    releases: 'v12.0.0',
    date: '2023-04-10',
    baseImage: 'debian:11-slim',
    fail2ban: '1.0.2',
    fail2banPackage: 'upstream .deb',
    jailLocal: { enabledJails: ['dovecot', 'postfix', 'postfix-sasl', 'custom'], bantime: '3h', findtime: '10m', maxretry: '3' },
    logFiles: V12_0_LOGS,
    fail2banLog: UPSTREAM_LOG,
    images: [{ key: 'v12.0', tag: '12.0.0', image: 'docker.io/mailserver/docker-mailserver:12.0.0', dialect: DIALECT_V12_0 }],
    settingDescription: 'v12.0.0: bantime 3h, findtime 10m, maxretry 3, no postfix mode.',
    source: 'Tag v12.0.0.',
  },
] as const satisfies readonly DmsReleaseEntry<Fail2banVersion>[];

/** What the rest of the project derives from a registry (a parameter, so a test can add a release). */
export interface RegistryLists {
  dmsVersions: string[];
  defaultDmsVersion: string;
  fail2banVersions: string[];
  defaultFail2banVersion: string;
  /** package.json `dmsFail2ban.dmsVersion.enumDescriptions`. */
  dmsSettingDescriptions: string[];
  /** package.json `dmsFail2ban.fail2banVersion.enumDescriptions`. */
  fail2banSettingDescriptions: string[];
}

export function registryLists(dms: readonly DmsReleaseEntry[], fail2ban: readonly Fail2banReleaseEntry[]): RegistryLists {
  const newest = newestRelease(dms);
  return {
    dmsVersions: dms.map((r) => r.name),
    defaultDmsVersion: newest.name,
    fail2banVersions: fail2ban.map((r) => r.version),
    defaultFail2banVersion: newest.fail2ban,
    dmsSettingDescriptions: dms.map((r) => r.settingDescription),
    fail2banSettingDescriptions: fail2ban.map((f) => {
      const shipping = dms.filter((r) => r.fail2ban === f.version).map((r) => r.name);
      return `fail2ban ${f.version} (${f.date})` + (shipping.length ? `: docker-mailserver ${shipping.join(', ')}.` : ': not shipped by a modelled docker-mailserver release.');
    }),
  };
}

export type DmsVersion = (typeof DMS_RELEASES)[number]['name'];
export type DmsRelease = DmsReleaseEntry<Fail2banVersion> & { name: DmsVersion };
export const DMS_VERSIONS: readonly DmsVersion[] = DMS_RELEASES.map((r) => r.name);

/** The newest dated release: what a user who sets nothing runs (`latest`). */
export function newestRelease<R extends { date?: string }>(releases: readonly R[]): R {
  const dated = releases.filter((r) => r.date !== undefined);
  if (dated.length === 0) throw new Error('no dated DMS release in the registry');
  return dated.reduce((a, b) => ((b.date ?? '') > (a.date ?? '') ? b : a));
}

export const DEFAULT_DMS_VERSION: DmsVersion = newestRelease<DmsRelease>(DMS_RELEASES).name;
/** The fail2ban the default DMS release ships (also the default for plain, non-DMS files). */
export const DEFAULT_FAIL2BAN_VERSION: Fail2banVersion = newestRelease<DmsRelease>(DMS_RELEASES).fail2ban;
