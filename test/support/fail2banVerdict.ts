// What REAL fail2ban does with one user file, laid out exactly as docker-mailserver (or a plain install) lays
// it out: `fail2ban-client -t` (the client half) and a real `fail2ban-server -xf start` (what DMS's supervisord
// runs), both on the same private copy of the container's files.
//
// The container's absolute paths: a mount namespace, not a chroot.
//   Stock logpaths (`/var/log/mail.log` via `%(syslog_mail)s`, `/var/log/auth.log` for sshd …), the user's own
//   absolute `logpath`/`logtarget`/`socket`/`pidfile`/`dbfile` values, and `fail2ban_confpath` must resolve as
//   they would inside the container. Rewriting paths in the config texts would change the very values under
//   test, so instead each fail2ban process runs under `unshare --mount` (we are root) with private bind mounts:
//     shared stock(+DMS) tree → /etc/fail2ban, and the user's file over its empty placeholder in it
//     <tmp>/var-log → /var/log      <tmp>/run → /run (= /var/run)      <tmp>/var-lib-fail2ban → /var/lib/fail2ban
//     <tmp>/dev → /dev (host null/zero/urandom/tty… plus room for /dev/log, which rsyslog provides in DMS and
//                       serverProbe.py stands in for)
//   Nothing is rewritten and nothing is masked: no `-c`, `-s`, `-p`, `--logtarget` flags, no extra config files;
//   every path the user may set (socket, pidfile, dbfile, logtarget, logpath) lands in the temp dir if DMS
//   has that directory, and fails like in DMS if it does not (e.g. `/var/log/fail2ban/x.log`). The host's
//   /var/log stays invisible, so only the container's log files exist:
//     DMS kinds:   /var/log/mail/{mail,fail2ban}.log, /var/log/supervisor/fail2ban.log and DMS's symlinks
//                  /var/log/mail.log → mail/mail.log, /var/log/fail2ban.log → mail/fail2ban.log
//                  (the same list as knowledge/dms.ts DMS_LOG_FILES).
//     plain kinds: a Debian host with rsyslog (auth.log, syslog, mail.log, messages, daemon.log, user.log,
//                  kern.log, fail2ban.log) — our assumption; the engine does not report missing logs for plain kinds.
//   Stock trees: 1.1.1 = .cache/fail2ban-1.1.1/etc/fail2ban (Debian unstable) and 1.1.0 = .cache/fail2ban-1.1.0/etc/fail2ban
//   (Debian 13), each with Debian's packaging changes to jail.conf/paths-*.conf undone (scripts/debian-patches.json:
//   the upstream .deb that DMS v15/v16 install has none); 1.0.2 = Debian 12's /etc/fail2ban (= DMS v14). All without
//   jail.d/defaults-debian.conf. DMS kinds add jail.local (of the newest DMS release shipping that fail2ban: v16,
//   v15.1.0, v14), fail2ban.d/fixes.local, filter.d/custom.conf, action.d/nftables-common.local.
//   The mounts disappear with the process; they never touch the host.
//
// Firewalls: no banaction is forced to `dummy` (that would mask `banaction` mistakes under test). Instead every
// firewall/mail tool an action could call is a stub that only logs its arguments: first on PATH, and bind-mounted
// over the host binary where one exists. Actions thus start exactly as in DMS.
//
// The server run is observed by test/differential/serverProbe.py: the real fail2ban-server entry point with two
// read-only hooks that report the command stream (jails added / skipped with `config-error`) and, once the
// stream is applied, the server's own `status`; then it ends the process. A fatal stream error makes the server
// exit 255 by itself, as in DMS. (Replaying the stream through Configurator + Transmitter in-process was the
// alternative; the real entry point is more faithful — same threads, socket, log target and exit path — and,
// with ~12 runs in flight, fast enough: ~1 minute for 270 runs on 2 cores.)
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { newestDmsReleaseWith } from '../../server/src/knowledge/dms';
import type { DmsVersion, Fail2banVersion, FileKind } from '../../server/src/types';
import { readIfExists, writeDmsFiles } from './fail2banServer';
import { DEBIAN_PATCHED_FILES, FAIL2BAN_INSTALLS, PROJECT_ROOT, PYTHON, upstreamStockText, type Fail2banInstall } from './fail2banInstalls';

/** Every registry version has a real install (test/support/fail2banInstalls.ts). */
export type RealFail2banVersion = Fail2banVersion;

export interface VerdictRequest {
  version: RealFail2banVersion;
  kind: FileKind;
  /** The user's file: fail2ban-jail.cf / jail.local (jail kinds) or fail2ban-fail2ban.cf / fail2ban.local. */
  text: string | Uint8Array;
  /** DMS release whose jail.local is laid out (DMS kinds); default v15.1.0 for 1.1.0, v14 for 1.0.2. */
  dmsVersion?: DmsVersion;
  /** Per process; default 60 s. */
  timeoutMs?: number;
}

export interface Fail2banVerdict {
  /** `fail2ban-client -t` exited 0. */
  clientOk: boolean;
  /** `fail2ban-server -xf start` applied the whole configuration stream and kept running. */
  serverOk: boolean;
  /** Jails the running server listed in `status` (empty when the server died). */
  jailsStarted: string[];
  /** Jails fail2ban dropped: `Jail 'x' skipped, because of wrong configuration`, or added but not running. */
  jailsSkipped: string[];
  /** fail2ban's own words: client -t output, server errors/warnings, skip reasons. */
  messages: string[];
  /** Processes still running at the limit and killed ('client -t', 'server'): then there is no verdict at all. */
  hung: string[];
}

/** fail2ban refuses the file: it will not start, or it drops a jail. (A hang is no refusal: see fail2banOutcome.) */
export function fail2banFails(verdict: Fail2banVerdict): boolean {
  return !verdict.clientOk || !verdict.serverOk || verdict.jailsSkipped.length > 0;
}

/**
 * What fail2ban did: runs everything, dies, runs without some jails — or hangs. A process killed at the limit
 * has said nothing about the file, so a hang is its own outcome and never matches a fixture's "dies".
 */
export type Fail2banOutcome = { kind: 'ok' } | { kind: 'dies' } | { kind: 'skips'; jails: string[] } | { kind: 'hangs'; processes: string[] };

export function fail2banOutcome(verdict: Fail2banVerdict): Fail2banOutcome {
  if (verdict.hung.length > 0) return { kind: 'hangs', processes: [...verdict.hung] };
  if (!verdict.serverOk) return { kind: 'dies' };
  if (verdict.jailsSkipped.length > 0) return { kind: 'skips', jails: [...verdict.jailsSkipped].sort() };
  if (!verdict.clientOk) return { kind: 'dies' }; // client-only failure with nothing skipped (not expected to happen)
  return { kind: 'ok' };
}

/** One comparable line per outcome ('skips a,b' with the jails sorted). */
export function describeOutcome(outcome: Fail2banOutcome): string {
  switch (outcome.kind) {
    case 'skips':
      return `skips ${[...outcome.jails].sort().join(',')}`;
    case 'hangs':
      return `hangs (${outcome.processes.join(' and ')} killed at the time limit: no verdict)`;
    default:
      return outcome.kind;
  }
}

const PROBE = join(PROJECT_ROOT, 'test', 'differential', 'serverProbe.py');

/** jail.d/defaults-debian.conf (enables sshd) is Debian packaging: DMS v11–v14 delete it, v15's .deb has none. */
const SKIPPED_STOCK_FILES = new Set([join('jail.d', 'defaults-debian.conf')]);

/** The DMS release laid out when a request names none. */
function defaultDmsVersionOf(version: RealFail2banVersion): DmsVersion {
  const release = newestDmsReleaseWith(version);
  if (!release) throw new Error(`no DMS release ships fail2ban ${version}: name a dmsVersion`);
  return release;
}

interface LogEntry {
  path: string;
  linksTo?: string;
}

/** Files below /var/log (relative); the DMS list mirrors knowledge/dms.ts DMS_LOG_FILES. */
const DMS_LOGS: readonly LogEntry[] = [
  { path: 'mail/mail.log' },
  { path: 'mail/fail2ban.log' },
  { path: 'supervisor/fail2ban.log' },
  { path: 'mail.log', linksTo: '/var/log/mail/mail.log' },
  { path: 'fail2ban.log', linksTo: '/var/log/mail/fail2ban.log' },
];
const PLAIN_LOGS: readonly LogEntry[] = [
  'auth.log', 'syslog', 'mail.log', 'messages', 'daemon.log', 'user.log', 'kern.log', 'fail2ban.log',
].map((path) => ({ path }));

/** Tools an action may run to change the host or send mail/HTTP; stubbed (see the file comment). */
const STUBBED_TOOLS = [
  'nft', 'iptables', 'ip6tables', 'iptables-save', 'ip6tables-save', 'iptables-restore', 'ip6tables-restore',
  'iptables-legacy', 'iptables-nft', 'ipset', 'firewall-cmd', 'ufw', 'route', 'ip', 'pfctl', 'ipfw', 'shorewall',
  'npfctl', 'ipf', 'sendmail', 'mail', 'whois', 'curl', 'wget',
];
const HOST_BIN_DIRS = ['/usr/sbin', '/usr/bin'];

/** DMS runs rsyslog (it writes /var/log/mail/mail.log), so /dev/log exists there, as on a plain Debian host with
 *  rsyslog. The probe stands in for rsyslog's socket (this host has none), so `logtarget = SYSLOG` works as there. */
const SYSLOG_SOCKET = '/dev/log';

interface Layout {
  dir: string;
  /** the shared stock(+DMS) tree for this version, with empty placeholders where user files go */
  etc: string;
  /** the user's file, bind-mounted over its placeholder at /etc/fail2ban/<userTarget> */
  userFile: string;
  userTarget: string;
  varLog: string;
  run: string;
  varLib: string;
  stubs: string;
  /** host binaries to hide behind a stub: [stub, host path] */
  stubMounts: [string, string][];
  /** the namespace's /dev: the host's basic device nodes, and room for the syslog socket /dev/log */
  dev: string;
}

function isDmsKind(kind: FileKind): boolean {
  return kind === 'dms-jail' || kind === 'dms-server';
}

function copyStockTree(install: Fail2banInstall, version: RealFail2banVersion, etc: string): void {
  cpSync(install.configTree, etc, {
    recursive: true,
    filter: (source) => !SKIPPED_STOCK_FILES.has(source.slice(install.configTree.length + 1)),
  });
  for (const file of DEBIAN_PATCHED_FILES) {
    const path = join(etc, file);
    writeFileSync(path, upstreamStockText(version, file, readFileSync(path, 'utf8')));
  }
  mkdirSync(join(etc, 'jail.d'), { recursive: true });
  mkdirSync(join(etc, 'fail2ban.d'), { recursive: true });
}

function userFileTarget(kind: FileKind): string {
  switch (kind) {
    case 'dms-jail':
      return join('jail.d', 'user-jail.local');
    case 'jail':
      return 'jail.local';
    case 'dms-server':
    case 'server':
      return 'fail2ban.local';
  }
}

// One config tree per (version, DMS release | plain) for this process: copying ~300 stock files for every
// fixture would cost more than fail2ban itself. The tree is never written to while in use; each run mounts it
// at /etc/fail2ban and binds its own user file over an EMPTY placeholder (an empty .local file is read by
// configparser as nothing at all, so it equals "no user file", as when DMS finds no .cf to copy).
let treesRoot: string | undefined;
const trees = new Map<string, string>();

function sharedTree(version: RealFail2banVersion, dmsVersion: DmsVersion | undefined): string {
  const key = `${version}-${dmsVersion ?? 'plain'}`;
  const existing = trees.get(key);
  if (existing) return existing;
  if (!treesRoot) {
    const root = mkdtempSync(join(tmpdir(), 'f2b-verdict-trees-'));
    treesRoot = root;
    process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  }
  const etc = join(treesRoot, key);
  copyStockTree(FAIL2BAN_INSTALLS[version], version, etc);
  if (dmsVersion) writeDmsFiles(etc, dmsVersion); // DMS Dockerfile + setup.d/security/misc.sh
  const placeholders: FileKind[] = dmsVersion ? ['dms-jail', 'dms-server'] : ['jail', 'server'];
  for (const kind of placeholders) writeFileSync(join(etc, userFileTarget(kind)), '');
  trees.set(key, etc);
  return etc;
}

function createLogs(varLog: string, entries: readonly LogEntry[]): void {
  for (const entry of entries) {
    const target = join(varLog, entry.path);
    mkdirSync(resolve(target, '..'), { recursive: true });
    if (entry.linksTo) symlinkSync(entry.linksTo, target);
    else writeFileSync(target, '');
  }
}

function createStubs(stubs: string): [string, string][] {
  mkdirSync(stubs, { recursive: true });
  const mounts: [string, string][] = [];
  for (const tool of STUBBED_TOOLS) {
    const stub = join(stubs, tool);
    writeFileSync(stub, `#!/bin/sh\necho "${tool} $*" >> /run/firewall-stub.log\nexit 0\n`);
    chmodSync(stub, 0o755);
    for (const binDir of HOST_BIN_DIRS) {
      if (existsSync(join(binDir, tool))) mounts.push([stub, join(binDir, tool)]);
    }
  }
  return mounts;
}

/** Device nodes a shell, Python or an action needs; bound from the host into the namespace's own /dev. */
const DEVICE_NODES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];

function createDev(dev: string): void {
  mkdirSync(join(dev, 'shm'), { recursive: true });
  for (const node of DEVICE_NODES) writeFileSync(join(dev, node), '');
  symlinkSync('/proc/self/fd', join(dev, 'fd'));
  ['stdin', 'stdout', 'stderr'].forEach((name, fd) => symlinkSync(`/proc/self/fd/${fd}`, join(dev, name)));
}

function buildLayout(request: VerdictRequest): Layout {
  const dms = isDmsKind(request.kind);
  const dir = mkdtempSync(join(tmpdir(), `f2b-verdict-${request.version}-`));
  const layout: Layout = {
    dir,
    etc: sharedTree(request.version, dms ? (request.dmsVersion ?? defaultDmsVersionOf(request.version)) : undefined),
    userFile: join(dir, 'user-file.local'),
    userTarget: join('/etc/fail2ban', userFileTarget(request.kind)),
    varLog: join(dir, 'var-log'),
    run: join(dir, 'run'),
    varLib: join(dir, 'var-lib-fail2ban'),
    stubs: join(dir, 'stubs'),
    stubMounts: [],
    dev: join(dir, 'dev'),
  };
  writeFileSync(layout.userFile, request.text);
  createLogs(layout.varLog, dms ? DMS_LOGS : PLAIN_LOGS);
  mkdirSync(join(layout.run, 'fail2ban'), { recursive: true });
  mkdirSync(layout.varLib, { recursive: true });
  layout.stubMounts = createStubs(layout.stubs);
  createDev(layout.dev);
  return layout;
}

/** Shell run as root inside a fresh mount namespace: private mounts, then exec the fail2ban command ("$@"). */
function namespaceScript(layout: Layout): string {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const binds: [string, string][] = [
    [layout.etc, '/etc/fail2ban'],
    [layout.userFile, layout.userTarget],
    [layout.varLog, '/var/log'],
    [layout.run, '/run'],
    [layout.varLib, '/var/lib/fail2ban'],
    ...layout.stubMounts,
  ];
  const devices = DEVICE_NODES.map((node) => `mount --bind /dev/${node} ${quote(join(layout.dev, node))}`);
  return [
    'set -e',
    ...binds.map(([from, to]) => `mount --bind ${quote(from)} ${quote(to)}`),
    ...devices,
    `mount --rbind ${quote(layout.dev)} /dev`,
    'exec "$@"',
  ].join('\n');
}

interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  report: string;
  timedOut: boolean;
}

/** Runs `argv` inside the layout's mount namespace; its own process group, killed on timeout. */
function runInNamespace(layout: Layout, install: Fail2banInstall, argv: string[], timeoutMs: number): Promise<ProcessResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: `${layout.stubs}:/usr/sbin:/usr/bin:/sbin:/bin`,
    LANG: 'C.UTF-8',
    HOME: '/root',
    ...(install.pythonPath ? { PYTHONPATH: install.pythonPath } : {}),
    F2B_PROBE_SYSLOG_SOCKET: SYSLOG_SOCKET,
  };
  const child = spawn('unshare', ['--mount', '--propagation', 'private', '/bin/sh', '-c', namespaceScript(layout), 'f2b-ns', ...argv], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const chunks: Record<'stdout' | 'stderr' | 'report', Buffer[]> = { stdout: [], stderr: [], report: [] };
  child.stdout?.on('data', (c: Buffer) => chunks.stdout.push(c));
  child.stderr?.on('data', (c: Buffer) => chunks.stderr.push(c));
  const reportStream = child.stdio[3];
  if (reportStream && 'on' in reportStream) reportStream.on('data', (c: Buffer) => chunks.report.push(c));
  let timedOut = false;
  const killGroup = (): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, timeoutMs);
  return new Promise((resolvePromise, reject) => {
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run unshare (needs root and util-linux): ${error.message}`));
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      killGroup(); // an action's helper process may linger in the group
      resolvePromise({
        exitCode,
        signal,
        timedOut,
        stdout: Buffer.concat(chunks.stdout).toString('utf8'),
        stderr: Buffer.concat(chunks.stderr).toString('utf8'),
        report: Buffer.concat(chunks.report).toString('utf8'),
      });
    });
  });
}

interface ProbeReport {
  configured: boolean;
  configErrors: string[];
  jailsAdded: string[];
  status?: [string, unknown][] | null;
  statusError?: string | null;
}

function parseProbeReport(text: string): ProbeReport | undefined {
  const line = text.split('\n').find((l) => l.trim().startsWith('{'));
  if (!line) return undefined;
  try {
    return JSON.parse(line) as ProbeReport;
  } catch {
    return undefined;
  }
}

/** `status` answers [["Number of jail", n], ["Jail list", "a, b"]]. */
function jailListOf(status: ProbeReport['status']): string[] {
  const list = status?.find(([key]) => key === 'Jail list')?.[1];
  return typeof list === 'string' ? list.split(',').map((s) => s.trim()).filter((s) => s.length > 0) : [];
}

// 1.1.1 also skips a jail with skip_if_nologs: "Jail 'x' skipped, because of missing log files."
const SKIPPED_JAIL = /^Jail '(.*)' skipped, because of (?:wrong configuration|missing log files)/;

/** Lines that say nothing about the user's file (a fresh database in every temp dir). */
const NOISE = [/New database created/];
const LOG_PREFIX = /^\d{4}-\d\d-\d\d [\d:,]+ (\S+)\s*\[\d+\]: (\w+)\s+/;
const MAX_MESSAGE_LENGTH = 400;

/** fail2ban's WARNING/ERROR lines, shortened: no date/pid prefix, no echo of the whole command stream. */
function importantLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => /\b(WARNING|ERROR|CRITICAL)\b|^\w*Error\b/.test(l) && !NOISE.some((n) => n.test(l)))
    .map((l) => l.replace(LOG_PREFIX, '$2 $1: ').replace(/Command \[.*\] has failed\./s, 'Command has failed.'))
    .map((l) => (l.length > MAX_MESSAGE_LENGTH ? `${l.slice(0, MAX_MESSAGE_LENGTH)}…` : l));
}

let unshareChecked = false;
function ensureUnshare(): void {
  if (unshareChecked) return;
  const probe = spawnSync('unshare', ['--mount', '--propagation', 'private', '/bin/true'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `fail2banVerdict needs 'unshare --mount' (root, util-linux) to give fail2ban the container's paths: ` +
        `${probe.error?.message ?? probe.stderr}`,
    );
  }
  unshareChecked = true;
}

/** Real fail2ban's verdict on one user file (client -t and a real server start, in parallel). */
export async function fail2banVerdict(request: VerdictRequest): Promise<Fail2banVerdict> {
  ensureUnshare();
  const install = FAIL2BAN_INSTALLS[request.version];
  if (!existsSync(install.client)) throw new Error(`fail2ban ${request.version} is missing: ${install.client}`);
  const timeoutMs = request.timeoutMs ?? 60_000;
  const layout = buildLayout(request);
  try {
    const [client, server] = await Promise.all([
      runInNamespace(layout, install, [PYTHON, install.client, '-t'], timeoutMs),
      runInNamespace(layout, install, [PYTHON, PROBE], timeoutMs),
    ]);
    const report = parseProbeReport(server.report);
    // The probe reports only once the running server has applied the whole stream and answered `status`.
    const serverOk = !server.timedOut && report?.configured === true && report.status != null;
    const jailsStarted = serverOk ? jailListOf(report?.status) : [];
    const skippedByConfig = (report?.configErrors ?? []).map((m) => SKIPPED_JAIL.exec(m)?.[1] ?? m);
    const notRunning = serverOk ? (report?.jailsAdded ?? []).filter((j) => !jailsStarted.includes(j)) : [];
    const logs = [
      ...DMS_LOGS.filter((l) => !l.linksTo).map((l) => l.path),
      ...PLAIN_LOGS.map((l) => l.path),
    ].map((p) => readIfExists(join(layout.varLog, p)));
    const messages = [
      ...(client.exitCode === 0 ? [] : [`client -t exit ${client.exitCode}${client.timedOut ? ' (timed out)' : ''}`]),
      ...importantLines(client.stdout + client.stderr),
      ...(serverOk ? [] : [`server exit ${server.exitCode}${server.timedOut ? ' (timed out)' : ''}`]),
      ...(report?.statusError ? [`status failed: ${report.statusError}`] : []),
      ...(report?.configErrors ?? []),
      ...importantLines([server.stdout, server.stderr, ...logs].join('\n')),
    ];
    return {
      hung: [...(client.timedOut ? ['client -t'] : []), ...(server.timedOut ? ['server'] : [])],
      clientOk: client.exitCode === 0 && !client.timedOut,
      serverOk,
      jailsStarted,
      jailsSkipped: [...new Set([...skippedByConfig, ...notRunning])],
      messages: [...new Set(messages)],
    };
  } finally {
    rmSync(layout.dir, { recursive: true, force: true });
  }
}

/** Runs `work` over `items` with at most `limit` in flight; results in input order. */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
