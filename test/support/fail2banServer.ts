// Starts a REAL fail2ban-server (1.1.0 from .cache, or Debian 12's 1.0.2) on a temp config dir laid out
// like docker-mailserver's /etc/fail2ban, for tests. Never touches the default socket/pid/db/log:
// every path lives in the temp dir and is passed on the command line as well as in the config.
//
// Layout of `dir`:
//   etc/fail2ban/          the container's /etc/fail2ban (stock tree of that version + DMS files + stand-in files)
//   run/fail2ban.sock|pid  socket and pidfile        lib/fail2ban.sqlite3   database
//   log/fail2ban.log       the container's /var/log/mail/fail2ban.log (logtarget)
//   log/mail.log           the container's /var/log/mail/mail.log (logpath of dovecot/postfix), empty
//   firewall-bin/          stubs for nft/iptables/… first on the server's PATH, so no action can touch the host
//   firewall.log           what those stubs were asked to do      dummy/fail2ban.dummy   the dummy action's file
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import {
  chmodSync, closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DMS_CUSTOM_FILTER_TEXT, DMS_NFTABLES_COMMON_LOCAL_TEXT, dmsFixesLocal, dmsJailLocal,
} from '../../server/src/knowledge/dms';
import type { DmsVersion, Fail2banVersion } from '../../server/src/types';
import { ensureFail2banInstalled, FAIL2BAN_INSTALLS, PYTHON } from './fail2banInstalls';

export type { Fail2banVersion } from '../../server/src/types';
/** The DMS release whose jail.local/fixes.local a server carries. */
export type DmsJailLayout = DmsVersion;
export { ensureFail2banInstalled, PROJECT_ROOT } from './fail2banInstalls';

/** Stock files copied from the version's config tree. jail.d is left out: DMS v11–v14 delete Debian's
 *  defaults-debian.conf and the upstream 1.1.0 .deb that v15 installs has none. */
const STOCK_ENTRIES = [
  'fail2ban.conf', 'jail.conf', 'paths-common.conf', 'paths-debian.conf', 'paths-arch.conf', 'paths-opensuse.conf',
  'filter.d', 'action.d',
];

/** Debian 13's fail2ban 1.1.0 package patches paths-debian.conf to read these services from the journal;
 *  upstream 1.1.0 (what DMS v15 installs) keeps `%(default_backend)s` = auto. Removed to match DMS. */
const DEBIAN_JOURNAL_BLOCK = /\n# In Debian, these services will log to the journal[^\n]*\n(#[^\n]*\n)*((syslog|sshd|dropbear|proftpd|pureftpd|wuftpd|postfix|dovecot)_backend = systemd\n)+/;

/** DMS image files and what DMS writes at container start (DMS Dockerfile, target/scripts/startup/setup.d/security/misc.sh), from the engine's
 *  knowledge tables so tests and the validator lay out the same container. */
export function writeDmsFiles(etcFail2ban: string, dmsVersion: DmsVersion): void {
  writeFileSync(join(etcFail2ban, 'jail.local'), dmsJailLocal(dmsVersion));
  writeFileSync(join(etcFail2ban, 'fail2ban.d', 'fixes.local'), dmsFixesLocal(dmsVersion) ?? '');
  writeFileSync(join(etcFail2ban, 'filter.d', 'custom.conf'), DMS_CUSTOM_FILTER_TEXT);
  writeFileSync(join(etcFail2ban, 'action.d', 'nftables-common.local'), DMS_NFTABLES_COMMON_LOCAL_TEXT);
}

/** Firewall and mail tools an action may call; stubbed so a user's banaction can never change the host. */
/** The tools that talk to the kernel's packet filter (what `firewallError` makes fail). */
const FIREWALL_TOOLS = ['nft', 'iptables', 'ip6tables', 'iptables-restore', 'ip6tables-restore', 'ipset'];
const STUBBED_TOOLS = [
  'nft', 'iptables', 'ip6tables', 'iptables-save', 'ip6tables-save', 'iptables-restore', 'ip6tables-restore',
  'ipset', 'firewall-cmd', 'ufw', 'route', 'ip', 'pfctl', 'ipfw', 'shorewall', 'sendmail', 'mail', 'whois', 'curl', 'wget',
];

export interface Fail2banServerOptions {
  /** fail2ban version to run; default 1.1.0 (DMS v15+). */
  version?: Fail2banVersion;
  /** Which DMS release's jail.local to install; default 'v15.1.0' (jails custom, dovecot, postfix). */
  jailLayout?: DmsJailLayout;
  /** Content of the user's fail2ban-jail.cf (→ /etc/fail2ban/jail.d/user-jail.local); none by default. */
  userJailLocal?: string;
  /** Content of the user's fail2ban-fail2ban.cf (→ /etc/fail2ban/fail2ban.local); none by default. */
  userFail2banLocal?: string;
  /** Give up waiting for `ping` after this long (ms); default START_TIMEOUT_MS. */
  startTimeoutMs?: number;
  /**
   * What the firewall tools (nft, iptables, ipset…) answer, as a kernel that refuses them would: printed on
   * stderr with exit 1, e.g. `Error: Could not process rule: Operation not supported` (no nftables in the host
   * kernel) or `… Operation not permitted` (no NET_ADMIN). Default: they succeed (and only log).
   */
  firewallError?: string;
}

/** Limits that only a broken server reaches, even on a loaded 2-core machine (they decide nothing about timing). */
const START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 30_000;

export interface ClientResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** What the stand-in `docker` needs to talk to this server (JSON, stored in its state file). */
export interface Fail2banServerDescription {
  version: Fail2banVersion;
  dir: string;
  configDir: string;
  socket: string;
  pidFile: string;
  dbFile: string;
  logFile: string;
  mailLog: string;
  /** argv prefix that runs this version's fail2ban-client on this server */
  clientCommand: string[];
  /** environment additions for clientCommand (PYTHONPATH for 1.1.0) */
  clientEnv: Record<string, string>;
  /** argv and environment that start this server (`fail2ban-server -xf start`, as DMS's supervisor does) */
  serverCommand: string[];
  serverEnv: Record<string, string>;
  /** the server's own stdout/stderr (what supervisord keeps in /var/log/supervisor/fail2ban.log) */
  serverOutput: string;
}

export interface Fail2banServer extends Fail2banServerDescription {
  firewallLog: string;
  dummyTarget: string;
  /** Runs fail2ban-client against this server (no shell). */
  client(args: readonly string[]): Promise<ClientResult>;
  isRunning(): boolean;
  /** Stops the server (graceful, then SIGKILL); the temp dir and the database stay. */
  stop(): Promise<void>;
  /** SIGSTOP: the process and its socket stay, but it answers nothing (a hung fail2ban-server). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** SIGKILL without clean-up: the socket and the pid file stay behind, as after a crash. */
  crash(): Promise<void>;
  /** Starts the server again on the same dir (bans in the database are restored, as after a DMS restart). */
  restart(): Promise<void>;
  /** Removes every ban (`fail2ban-client unban --all`), for test isolation. */
  resetBans(): Promise<void>;
  /** Writes (or with `undefined` removes) /etc/fail2ban/jail.d/user-jail.local; call `client(['reload'])` after. */
  setUserJailLocal(text: string | undefined): void;
  /** Stops the server and deletes the temp dir. */
  dispose(): Promise<void>;
  describe(): Fail2banServerDescription;
}

// Servers still alive are killed when the test process exits, even on an uncaught error.
const liveServers = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveServers) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

// Kills the server if this process dies without running its exit hook (SIGKILL of the test runner).
// It also removes the orphan's temp dir, which nobody else would.
const WATCHDOG_SOURCE = `
const [parentPid, serverPid] = process.argv.slice(1, 3).map(Number);
const dir = process.argv[3];
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const timer = setInterval(() => {
  if (!alive(serverPid)) { clearInterval(timer); return; }
  if (!alive(parentPid)) {
    try { process.kill(serverPid, 'SIGKILL'); } catch {}
    clearInterval(timer);
    setTimeout(() => require('node:fs').rmSync(dir, { recursive: true, force: true }), 500);
  }
}, 500);
`;

function startWatchdog(serverPid: number, dir: string): ChildProcess {
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, String(process.pid), String(serverPid), dir], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  return watchdog;
}

function writeFile(path: string, text: string): void {
  writeFileSync(path, text);
}

function buildConfigDir(describe: Fail2banServerDescription, dir: string, options: Required<Pick<Fail2banServerOptions, 'version' | 'jailLayout'>> & Fail2banServerOptions): void {
  const install = FAIL2BAN_INSTALLS[options.version];
  const configDir = describe.configDir;
  mkdirSync(configDir, { recursive: true });
  for (const entry of STOCK_ENTRIES) {
    const source = join(install.configTree, entry);
    if (existsSync(source)) cpSync(source, join(configDir, entry), { recursive: true });
  }
  mkdirSync(join(configDir, 'jail.d'), { recursive: true });
  mkdirSync(join(configDir, 'fail2ban.d'), { recursive: true });

  const pathsDebian = join(configDir, 'paths-debian.conf');
  writeFile(pathsDebian, readFileSync(pathsDebian, 'utf8').replace(DEBIAN_JOURNAL_BLOCK, '\n'));

  writeDmsFiles(configDir, options.jailLayout);
  if (options.userJailLocal !== undefined) writeFile(join(configDir, 'jail.d', 'user-jail.local'), options.userJailLocal);
  if (options.userFail2banLocal !== undefined) writeFile(join(configDir, 'fail2ban.local'), options.userFail2banLocal);

  // Stand-in files. fail2ban.d/*.local is read after fail2ban.local, so a user fail2ban.local can never move
  // the server onto the default socket/db; jail.d/00-*.local sorts before user-jail.local, so a user banaction wins.
  writeFile(
    join(configDir, 'fail2ban.d', 'zz-standin.local'),
    `# Test stand-in: keep every runtime file in the temp dir.\n[Definition]\nsocket = ${describe.socket}\npidfile = ${describe.pidFile}\ndbfile = ${describe.dbFile}\nlogtarget = ${describe.logFile}\n`,
  );
  writeFile(
    join(configDir, 'jail.d', '00-standin.local'),
    '# Test stand-in: ban with the dummy action (no firewall here).\n[DEFAULT]\nbanaction = dummy\nbanaction_allports = dummy\n',
  );
  writeFile(
    join(configDir, 'paths-overrides.local'),
    `# Test stand-in: the container's /var/log/mail.log lives in the temp dir.\n[DEFAULT]\nsyslog_mail = ${describe.mailLog}\n`,
  );
  writeFile(join(configDir, 'action.d', 'dummy.local'), `[Init]\ntarget = ${join(dir, 'dummy', 'fail2ban.dummy')}\n`);

  mkdirSync(join(dir, 'run'), { recursive: true });
  mkdirSync(join(dir, 'lib'), { recursive: true });
  mkdirSync(join(dir, 'log'), { recursive: true });
  mkdirSync(join(dir, 'dummy'), { recursive: true });
  writeFile(describe.mailLog, '');
  const stubDir = join(dir, 'firewall-bin');
  mkdirSync(stubDir, { recursive: true });
  for (const tool of STUBBED_TOOLS) {
    const stub = join(stubDir, tool);
    const refuses = options.firewallError !== undefined && FIREWALL_TOOLS.includes(tool);
    const answer = refuses ? `printf '%s\\n' '${options.firewallError?.replace(/'/g, `'\\''`)}' >&2\nexit 1\n` : 'exit 0\n';
    writeFile(stub, `#!/bin/sh\necho "${tool} $*" >> '${join(dir, 'firewall.log')}'\n${answer}`);
    chmodSync(stub, 0o755);
  }
}

function runClient(describe: Fail2banServerDescription, args: readonly string[]): Promise<ClientResult> {
  const [command, ...prefix] = describe.clientCommand;
  return new Promise((resolvePromise) => {
    execFile(
      command,
      [...prefix, ...args],
      { env: { ...process.env, ...describe.clientEnv }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error && typeof (error as NodeJS.ErrnoException).code === 'number' ? Number((error as NodeJS.ErrnoException).code) : error ? 1 : 0;
        resolvePromise({ stdout, stderr, exitCode: code });
      },
    );
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A file's text, or '' when it cannot be read (not written yet). */
export function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A pid from our pidfile is ours only if its command line names our socket (never kill a stranger). */
function isOurServerPid(pid: number, socket: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(socket) && processAlive(pid);
  } catch {
    return false;
  }
}

export async function startFail2banServer(options: Fail2banServerOptions = {}): Promise<Fail2banServer> {
  ensureFail2banInstalled();
  installExitHook();
  const version = options.version ?? '1.1.0';
  const jailLayout = options.jailLayout ?? 'v15.1.0';
  const startTimeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
  const install = FAIL2BAN_INSTALLS[version];
  const dir = mkdtempSync(join(tmpdir(), `dms-f2b-${version}-`));
  const socket = join(dir, 'run', 'fail2ban.sock');
  const pidFile = join(dir, 'run', 'fail2ban.pid');
  const configDir = join(dir, 'etc', 'fail2ban');
  const clientEnv: Record<string, string> = install.pythonPath ? { PYTHONPATH: install.pythonPath } : {};
  const description: Fail2banServerDescription = {
    version,
    dir,
    configDir,
    socket,
    pidFile,
    dbFile: join(dir, 'lib', 'fail2ban.sqlite3'),
    logFile: join(dir, 'log', 'fail2ban.log'),
    mailLog: join(dir, 'log', 'mail.log'),
    clientCommand: [PYTHON, install.client, '-c', configDir, '-s', socket, '-p', pidFile],
    clientEnv,
    // -f: foreground, so this process owns it; -x: remove a stale socket of a previous run in this dir
    serverCommand: [PYTHON, join(install.binDir, 'fail2ban-server'), '-c', configDir, '-s', socket, '-p', pidFile, '-xf', 'start'],
    serverEnv: { ...clientEnv, PATH: `${join(dir, 'firewall-bin')}:/usr/sbin:/usr/bin:/sbin:/bin` },
    serverOutput: join(dir, 'server.out'),
  };
  buildConfigDir(description, dir, { ...options, version, jailLayout });

  let child: ChildProcess | undefined;
  let watchdog: ChildProcess | undefined;
  let exited = true;

  async function start(): Promise<void> {
    const outPath = description.serverOutput;
    const out = openSync(outPath, 'a');
    const [serverProgram, ...serverArgs] = description.serverCommand;
    child = spawn(serverProgram, serverArgs, {
      env: { ...process.env, ...description.serverEnv },
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    exited = false;
    const started = child;
    liveServers.add(started);
    started.on('exit', () => {
      liveServers.delete(started);
      if (child === started) exited = true;
    });
    if (started.pid !== undefined) watchdog = startWatchdog(started.pid, dir);

    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (exited) {
        throw new Error(
          `fail2ban-server ${version} exited during start-up.\n--- server output ---\n${readIfExists(outPath)}\n--- fail2ban.log ---\n${readIfExists(description.logFile)}`,
        );
      }
      if (existsSync(socket)) {
        const ping = await runClient(description, ['ping']);
        if (ping.exitCode === 0) return;
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`fail2ban-server ${version} did not answer ping within ${startTimeoutMs} ms.\n${readIfExists(description.logFile)}`);
      }
      await delay(50);
    }
  }

  /** Resolves true on the child's exit event, false if it has not exited after `ms`. */
  function waitForExit(target: ChildProcess, ms: number): Promise<boolean> {
    if (target.exitCode !== null || target.signalCode !== null) return Promise.resolve(true);
    return new Promise((resolveExit) => {
      const onExit = (): void => {
        clearTimeout(timer);
        resolveExit(true);
      };
      const timer = setTimeout(() => {
        target.off('exit', onExit);
        resolveExit(false);
      }, ms);
      target.once('exit', onExit);
    });
  }

  async function stop(): Promise<void> {
    // A `fail2ban-client restart` through the stand-in would leave a server we did not spawn: kill it by pidfile.
    const pidFromFile = Number(readIfExists(pidFile).trim());
    signalServer('SIGCONT'); // a paused (hung) server must run again to handle SIGTERM
    const current = child;
    if (current && current.exitCode === null && current.signalCode === null) {
      // a generous grace: a loaded machine must not turn a clean stop (database flushed) into a SIGKILL
      current.kill('SIGTERM');
      if (!(await waitForExit(current, STOP_GRACE_MS))) {
        current.kill('SIGKILL');
        await waitForExit(current, STOP_GRACE_MS);
      }
    }
    if (pidFromFile > 0 && pidFromFile !== current?.pid && isOurServerPid(pidFromFile, socket)) {
      process.kill(pidFromFile, 'SIGKILL');
    }
    if (watchdog?.pid !== undefined && processAlive(watchdog.pid)) {
      try {
        process.kill(watchdog.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    watchdog = undefined;
    exited = true;
    rmSync(socket, { force: true });
  }

  /** Signals the server we started, or the one a stand-in `supervisorctl restart` left (by its pid file). */
  function signalServer(signal: NodeJS.Signals): void {
    const pidFromFile = Number(readIfExists(pidFile).trim());
    const pid = child && child.exitCode === null && child.signalCode === null ? child.pid : pidFromFile > 0 && isOurServerPid(pidFromFile, socket) ? pidFromFile : undefined;
    if (pid !== undefined) process.kill(pid, signal);
  }

  try {
    await start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const server: Fail2banServer = {
    ...description,
    firewallLog: join(dir, 'firewall.log'),
    dummyTarget: join(dir, 'dummy', 'fail2ban.dummy'),
    client: (args) => runClient(description, args),
    isRunning: () => !exited,
    stop,
    pause: () => signalServer('SIGSTOP'),
    resume: () => signalServer('SIGCONT'),
    async crash() {
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      current.kill('SIGKILL');
      await waitForExit(current, 5000);
    },
    async restart() {
      await stop();
      await start();
    },
    async resetBans() {
      const result = await runClient(description, ['unban', '--all']);
      if (result.exitCode !== 0) throw new Error(`unban --all failed: ${result.stdout}${result.stderr}`);
    },
    setUserJailLocal(text) {
      const path = join(configDir, 'jail.d', 'user-jail.local');
      if (text === undefined) rmSync(path, { force: true });
      else writeFile(path, text);
    },
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    describe: () => ({
      ...description,
      clientCommand: [...description.clientCommand],
      clientEnv: { ...clientEnv },
      serverCommand: [...description.serverCommand],
      serverEnv: { ...description.serverEnv },
    }),
  };
  return server;
}
