// A stand-in docker host for tests: a state file + a bin dir holding test/standin/docker, and "containers"
// whose fail2ban is a real fail2ban-server (test/support/fail2banServer.ts).
//
//   const dms = await startDmsContainer({ name: 'mailserver', dmsVersion: 'v15.1' });
//   spawnSync('docker', ['exec', 'mailserver', 'setup', 'fail2ban'], { env: dms.env });
//   await dms.setFailure('daemon-unreachable');   // next docker call fails like a stopped dockerd
//   await dms.stop();
//
// Several containers (the multi-server setting): `const host = await createDockerStandin();` then
// `host.startDmsContainer(…)` as often as needed, all sharing `host.env`.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { resolveDmsVersion, type DmsVersionName } from './dmsReleases';
import { pollUntil } from './poll';
import {
  PROJECT_ROOT, startFail2banServer, type DmsJailLayout, type Fail2banServer, type Fail2banServerDescription, type Fail2banVersion,
} from './fail2banServer';

export type { DmsVersionName } from './dmsReleases';

/** Failures of one container (or of what runs in it). */
export type ContainerFailure =
  | 'no-such-container' // docker does not know the name
  | 'not-running' // container exited
  | 'paused' // container paused
  | 'not-dms' // image without DMS's setup/fail2ban (exec → OCI "executable file not found", 127)
  | 'fail2ban-not-running' // the real fail2ban-server is stopped
  | 'fail2ban-hung' // the real fail2ban-server is SIGSTOPped: process and socket there, no answer
  | 'fail2ban-crashed' // the real fail2ban-server was SIGKILLed: its socket and pid file stay behind
  | 'timeout' // docker exec hangs until killed
  | 'garbage' // docker exec prints unexpected output, exit 0
  | 'cp-partial' // docker cp into the container writes the first half of the file, then fails (exit 1)
  | 'reload-timeout' // `fail2ban-client reload` completes in the container, but docker exec never answers
  | 'stops-after-reload'; // the container stops right after a `fail2ban-client reload` (answered normally)
/** Failures of the docker daemon the container lives on (every docker command that needs it). */
export type DaemonFailure = 'daemon-unreachable' | 'permission-denied' | 'daemon-timeout';
/** Everything a test can simulate; 'docker-not-installed' removes the stand-in from `env.PATH`. */
export type StandinFailure = ContainerFailure | DaemonFailure | 'docker-not-installed';

export const CONTAINER_FAILURES: readonly ContainerFailure[] = [
  'no-such-container', 'not-running', 'paused', 'not-dms', 'fail2ban-not-running', 'fail2ban-hung', 'fail2ban-crashed', 'timeout',
  'garbage', 'cp-partial', 'reload-timeout', 'stops-after-reload',
];
export const DAEMON_FAILURES: readonly DaemonFailure[] = ['daemon-unreachable', 'permission-denied', 'daemon-timeout'];

export const DEFAULT_ENDPOINT = 'unix:///var/run/docker.sock';
export const DMS_IMAGE_TITLE_LABEL = 'org.opencontainers.image.title';
/** The stand-in executable (env DMS_STANDIN_DOCKER overrides, e.g. for a bundled test build). */
const STANDIN_DOCKER = process.env.DMS_STANDIN_DOCKER ?? join(PROJECT_ROOT, 'test', 'standin', 'docker');

/** One stand-in docker invocation, as logged by the stand-in. */
export interface Invocation {
  time: string;
  pid: number;
  /** argv after `docker`, exactly as received */
  argv: string[];
  cwd: string;
  /** the process that ran docker; `comm` is e.g. `node` (no shell) or `sh`/`bash` (a shell was used) */
  parent: { pid: number; comm: string; argv: string[] };
}

interface ContainerRecord {
  name: string;
  id: string;
  image: string;
  imageId: string;
  labels: Record<string, string>;
  status: 'running' | 'exited' | 'paused' | 'created';
  health?: string;
  endpoint: string;
  createdAt: string;
  startedAt: string;
  command: string;
  env: Record<string, string>;
  mounts: { source: string; destination: string }[];
  dms: { version: string } | null;
  rootDir: string;
  pathMap: [string, string][];
  fail2ban: Fail2banServerDescription | null;
  /** network names (docker ps) and, when set, `docker inspect`'s NetworkSettings.Networks */
  networks?: string[];
  networkSettings?: Record<string, ContainerEndpoint>;
  failure: ContainerFailure | null;
  hidden: boolean;
  /** `docker inspect` HostConfig.CapAdd */
  capAdd?: string[];
  /** The jail a `fail2ban-client reload` takes away between the jail list and its status (see setReloadingJail). */
  reloadingJail?: string;
  /** Where fail2ban-server logs in this release (container path). */
  fail2banLog?: string;
}

interface StateFile {
  schema: 1;
  invocationLog: string;
  dockerVersion: string;
  currentContext: string;
  contexts: { name: string; description: string; endpoint: string }[];
  daemons: { endpoint: string; failure: DaemonFailure | null; version?: string }[];
  containers: ContainerRecord[];
}

/** One entry of `docker inspect`'s NetworkSettings.Networks (the fields the extension reads). */
export interface ContainerEndpoint {
  Gateway: string;
  IPAddress: string;
  IPPrefixLen: number;
  IPv6Gateway?: string;
  GlobalIPv6Address?: string;
  GlobalIPv6PrefixLen?: number;
}

export interface DmsContainerOptions {
  name: string;
  /** default 'v15.1' (latest); decides output formats, subcommands, and by default fail2ban version and jails */
  dmsVersion?: DmsVersionName;
  failure?: StandinFailure;
  /** reuse a running server (one per test file); it is not stopped by `stop()` */
  server?: Fail2banServer;
  /** override what dmsVersion implies */
  fail2banVersion?: Fail2banVersion;
  jailLayout?: DmsJailLayout;
  /** the user's fail2ban-jail.cf, installed as /etc/fail2ban/jail.d/user-jail.local (own server only) */
  userJailLocal?: string;
  image?: string;
  labels?: Record<string, string>;
  /** container environment (e.g. LOG_LEVEL) */
  env?: Record<string, string>;
  /** a context added with addContext(); default: the default context */
  context?: string;
  /** host dir mounted at /tmp/docker-mailserver (DMS config volume); default: an empty temp dir */
  configVolume?: string;
  /** networks as `docker inspect` shows them; default: the bridge (gateway 172.17.0.1, 172.17.0.2/16) */
  networks?: Record<string, ContainerEndpoint>;
  /** the container's open-file limit (soft = hard), as `/proc/1/limits` shows it; default 1048576 (Docker 25+) */
  nofile?: number;
  /** `cap_add` of the container (docker inspect HostConfig.CapAdd); default ['NET_ADMIN'] */
  capAdd?: string[];
  /** what nft/iptables answer (own server only); see Fail2banServerOptions.firewallError */
  firewallError?: string;
}

export interface ForeignContainerOptions {
  name: string;
  image?: string;
  labels?: Record<string, string>;
  status?: ContainerRecord['status'];
  context?: string;
}

export interface DmsContainer {
  readonly name: string;
  readonly id: string;
  readonly dmsVersion: string;
  readonly server: Fail2banServer;
  readonly standin: DockerStandin;
  /** env for the code under test: PATH with the stand-in first, DMS_STANDIN_STATE (same object as standin.env) */
  readonly env: NodeJS.ProcessEnv;
  readonly binDir: string;
  /** the container's / on the host */
  readonly rootDir: string;
  /** host path of a path inside the container (e.g. '/etc/fail2ban/jail.d/user-jail.local') */
  hostPath(containerPath: string): string;
  /** switch to one failure mode (replacing the previous one); `undefined` = healthy again */
  setFailure(failure?: StandinFailure): Promise<void>;
  /** set (or with undefined remove) a container environment variable, e.g. LOG_LEVEL */
  setEnv(key: string, value?: string): void;
  /**
   * Simulates a `fail2ban-client reload` racing a listing: the next `setup fail2ban [status]` gets the jail list,
   * then this jail is stopped for real before its status is asked (so fail2ban answers as for a missing jail).
   * `undefined` turns it off; the test restores the jail with `server.client(['reload'])`.
   */
  setReloadingJail(jail: string | undefined): void;
  invocations(): Invocation[];
  /** Resolves when every reload the 'reload-timeout' mode left running in the background has finished. */
  waitForBackgroundReloads(): Promise<void>;
  stop(): Promise<void>;
}

export interface DockerStandin {
  readonly stateDir: string;
  readonly stateFile: string;
  readonly binDir: string;
  readonly invocationLog: string;
  /** live object: PATH (stand-in first) and DMS_STANDIN_STATE; setFailure('docker-not-installed') edits PATH */
  readonly env: NodeJS.ProcessEnv;
  startDmsContainer(options: DmsContainerOptions): Promise<DmsContainer>;
  /** a non-DMS container (e.g. nginx) for auto-detection tests */
  addContainer(options: ForeignContainerOptions): void;
  /** another docker host (context), e.g. { name: 'remote', endpoint: 'ssh://admin@mail.example.com' } */
  addContext(context: { name: string; endpoint: string; description?: string }): void;
  /** what `docker context use` would store as current */
  useContext(name: string): void;
  setDaemonFailure(failure: DaemonFailure | undefined, endpoint?: string): void;
  invocations(): Invocation[];
  clearInvocations(): void;
  dispose(): Promise<void>;
}

function completeEndpoints(networks: Record<string, ContainerEndpoint>): Record<string, ContainerEndpoint & Record<string, unknown>> {
  return Object.fromEntries(Object.entries(networks).map(([name, endpoint], index) => [name, {
    IPAMConfig: null, Links: null, Aliases: null, MacAddress: `02:42:ac:12:00:${String(index + 2).padStart(2, '0')}`, DriverOpts: null,
    NetworkID: containerId(name, 'network'), EndpointID: containerId(name, 'endpoint'),
    IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, DNSNames: null, ...endpoint,
  }]));
}

/** PATH without any directory holding a `docker` executable (the stand-in's or a real one). */
export function envWithoutDocker(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const path = (env.PATH ?? '').split(delimiter).filter((dir) => dir && !existsSync(join(dir, 'docker')));
  return { ...env, PATH: path.join(delimiter) };
}

function containerId(name: string, salt: string): string {
  return createHash('sha256').update(`${salt}/${name}`).digest('hex');
}

function parseInvocations(path: string): Invocation[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Invocation);
}

function dmsLabels(release: string): Record<string, string> {
  return {
    [DMS_IMAGE_TITLE_LABEL]: 'docker-mailserver',
    'org.opencontainers.image.version': release,
    'org.opencontainers.image.vendor': 'The Docker Mailserver Organization',
    'org.opencontainers.image.source': 'https://github.com/docker-mailserver/docker-mailserver',
    'org.opencontainers.image.description': 'A fullstack but simple mail-server (SMTP, IMAP, LDAP, Antispam, Antivirus, etc.). Only configuration files, no SQL database.',
  };
}

/** The container's / : symlinks into the fail2ban server dir where DMS has those files. */
function buildContainerRoot(
  rootDir: string,
  server: Fail2banServer,
  options: { configVolume?: string; env: Record<string, string>; fail2banLog: string; nofile: number },
): [string, string][] {
  const { configVolume, env, fail2banLog } = options;
  const link = (target: string, path: string) => {
    mkdirSync(dirname(join(rootDir, path)), { recursive: true });
    symlinkSync(target, join(rootDir, path));
  };
  link(server.configDir, '/etc/fail2ban');
  link(server.logFile, fail2banLog);
  link(server.mailLog, '/var/log/mail/mail.log');
  // v12.1.0+ Dockerfile: /var/log/fail2ban.log → mail/fail2ban.log; v12.0.0 logs to /var/log/fail2ban.log itself
  if (fail2banLog !== '/var/log/fail2ban.log') link('mail/fail2ban.log', '/var/log/fail2ban.log');
  link('mail/mail.log', '/var/log/mail.log');
  link(server.serverOutput, '/var/log/supervisor/fail2ban.log'); // supervisord's capture of the server's output
  link(dirname(server.socket), '/var/run/fail2ban'); // fail2ban.sock and fail2ban.pid, as in DMS
  // what `cat /proc/1/limits` shows (the format of Linux's fs/proc/base.c, only the open-files row matters here)
  mkdirSync(join(rootDir, 'proc', '1'), { recursive: true });
  writeFileSync(
    join(rootDir, 'proc', '1', 'limits'),
    'Limit                     Soft Limit           Hard Limit           Units     \n' +
      `Max processes             unlimited            unlimited            processes \n` +
      `Max open files            ${String(options.nofile).padEnd(21)}${String(options.nofile).padEnd(21)}files     \n`,
  );
  if (configVolume) link(configVolume, '/tmp/docker-mailserver');
  else mkdirSync(join(rootDir, 'tmp', 'docker-mailserver'), { recursive: true });
  const settings = Object.entries({ ENABLE_FAIL2BAN: '1', ...env }).map(([k, v]) => `${k}='${v}'`).join('\n');
  writeFileSync(join(rootDir, 'etc', 'dms-settings'), `${settings}\n`);
  const pathMap: [string, string][] = [
    [server.configDir, '/etc/fail2ban'],
    [server.logFile, fail2banLog],
    [server.serverOutput, '/var/log/supervisor/fail2ban.log'],
    [server.mailLog, '/var/log/mail.log'],
    [server.socket, '/var/run/fail2ban/fail2ban.sock'],
    [server.pidFile, '/var/run/fail2ban/fail2ban.pid'],
    [server.dbFile, '/var/lib/fail2ban/fail2ban.sqlite3'],
    [server.dummyTarget, '/var/run/fail2ban/fail2ban.dummy'],
  ];
  if (configVolume) pathMap.push([configVolume, '/tmp/docker-mailserver']);
  return pathMap;
}

export async function createDockerStandin(options: { dockerVersion?: string } = {}): Promise<DockerStandin> {
  const stateDir = mkdtempSync(join(tmpdir(), 'dms-standin-'));
  const binDir = join(stateDir, 'bin');
  mkdirSync(binDir);
  // a small launcher with an absolute node, so the stand-in runs whatever PATH the code under test passes;
  // inside VS Code's extension host execPath is Electron, which runs as plain node with ELECTRON_RUN_AS_NODE
  const launcher = join(binDir, 'docker');
  const runAsNode = process.versions.electron ? 'ELECTRON_RUN_AS_NODE=1 ' : '';
  writeFileSync(launcher, `#!/bin/sh\n${runAsNode}exec "${process.execPath}" "${STANDIN_DOCKER}" "$@"\n`);
  chmodSync(launcher, 0o755);
  const stateFile = join(stateDir, 'state.json');
  const invocationLog = join(stateDir, 'invocations.jsonl');
  const state: StateFile = {
    schema: 1,
    invocationLog,
    dockerVersion: options.dockerVersion ?? '27.3.1',
    currentContext: 'default',
    contexts: [{ name: 'default', description: 'Current DOCKER_HOST based configuration', endpoint: DEFAULT_ENDPOINT }],
    daemons: [{ endpoint: DEFAULT_ENDPOINT, failure: null }],
    containers: [],
  };
  const save = () => {
    const tmp = `${stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(tmp, stateFile);
  };
  save();
  const pathWithStandin = `${binDir}${delimiter}${process.env.PATH ?? ''}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathWithStandin, DMS_STANDIN_STATE: stateFile };
  const ownedServers: Fail2banServer[] = [];
  const endpointOf = (contextName: string | undefined) => {
    if (!contextName) return DEFAULT_ENDPOINT;
    const context = state.contexts.find((c) => c.name === contextName);
    if (!context) throw new Error(`Unknown context '${contextName}': call addContext() first`);
    return context.endpoint;
  };
  const daemonOf = (endpoint: string) => {
    const daemon = state.daemons.find((d) => d.endpoint === endpoint);
    if (!daemon) throw new Error(`No daemon at ${endpoint}`);
    return daemon;
  };
  const now = Date.now();
  const containerRoot = (name: string) => {
    const rootDir = join(stateDir, 'containers', name, 'root');
    mkdirSync(rootDir, { recursive: true });
    return rootDir;
  };

  const standin: DockerStandin = {
    stateDir,
    stateFile,
    binDir,
    invocationLog,
    env,

    addContext({ name, endpoint, description }) {
      state.contexts.push({ name, endpoint, description: description ?? '' });
      if (!state.daemons.some((d) => d.endpoint === endpoint)) state.daemons.push({ endpoint, failure: null });
      save();
    },
    useContext(name) {
      endpointOf(name);
      state.currentContext = name;
      save();
    },
    setDaemonFailure(failure, endpoint = DEFAULT_ENDPOINT) {
      daemonOf(endpoint).failure = failure ?? null;
      save();
    },
    addContainer({ name, image = 'nginx:1.27', labels = {}, status = 'running', context }) {
      state.containers.push({
        name, id: containerId(name, stateDir), image, imageId: `sha256:${containerId(image, 'image')}`, labels, status,
        endpoint: endpointOf(context), createdAt: new Date(now - 3 * 86400e3).toISOString(),
        startedAt: new Date(now - 3 * 86400e3).toISOString(), command: '/docker-entrypoint.sh nginx -g daemon off;', env: {},
        mounts: [], dms: null, rootDir: containerRoot(name),
        pathMap: [], fail2ban: null, failure: null, hidden: false,
      });
      save();
    },

    async startDmsContainer(opts) {
      const dms = resolveDmsVersion(opts.dmsVersion ?? 'v15.1');
      if (state.containers.some((c) => c.name === opts.name)) throw new Error(`Container name '${opts.name}' is already in use`);
      const endpoint = endpointOf(opts.context);
      const server = opts.server ?? (await startFail2banServer({
        version: opts.fail2banVersion ?? dms.fail2ban,
        jailLayout: opts.jailLayout ?? dms.dmsVersion,
        userJailLocal: opts.userJailLocal,
        firewallError: opts.firewallError,
      }));
      if (!opts.server) ownedServers.push(server);
      const rootDir = containerRoot(opts.name);
      // DMS's Dockerfile: ENV DMS_RELEASE=${DMS_RELEASE} (the release tag, e.g. v15.1.0, or edge)
      const containerEnv = { DMS_RELEASE: /^\d/.test(dms.release) ? `v${dms.release}` : dms.release, ENABLE_FAIL2BAN: '1', ...(opts.env ?? {}) };
      const pathMap = buildContainerRoot(rootDir, server, {
        configVolume: opts.configVolume,
        env: opts.env ?? {},
        fail2banLog: dms.fail2banLog,
        nofile: opts.nofile ?? 1048576,
      });
      const image = opts.image ?? dms.image;
      const record: ContainerRecord = {
        name: opts.name,
        id: containerId(opts.name, stateDir),
        image,
        imageId: `sha256:${containerId(image, 'image')}`,
        labels: { ...dmsLabels(dms.release), ...(opts.labels ?? {}) },
        status: 'running',
        health: 'healthy',
        endpoint,
        createdAt: new Date(now - 2 * 3600e3 - 300e3).toISOString(),
        startedAt: new Date(now - 2 * 3600e3).toISOString(),
        command: '/usr/bin/dumb-init -- supervisord -c /etc/supervisor/supervisord.conf',
        env: containerEnv,
        mounts: [{ source: opts.configVolume ?? join(rootDir, 'tmp', 'docker-mailserver'), destination: '/tmp/docker-mailserver' }],
        // the stand-in answers `setup fail2ban` in this image's dialect (from the release registry)
        dms: { version: dms.key, ...dms.dialect },
        rootDir,
        pathMap,
        fail2ban: server.describe(),
        ...(opts.networks ? { networks: Object.keys(opts.networks), networkSettings: completeEndpoints(opts.networks) } : {}),
        failure: null,
        hidden: false,
        capAdd: opts.capAdd ?? ['NET_ADMIN'],
        fail2banLog: dms.fail2banLog,
      };
      state.containers.push(record);
      save();

      let stoppedServerForFailure = false;
      let activeFailure: StandinFailure | undefined;

      const clearFailure = async () => {
        if (activeFailure === undefined) return;
        const previous = activeFailure;
        activeFailure = undefined;
        record.failure = null;
        record.hidden = false;
        record.status = 'running';
        if ((DAEMON_FAILURES as readonly string[]).includes(previous)) daemonOf(endpoint).failure = null;
        if (previous === 'docker-not-installed') env.PATH = pathWithStandin;
        if (previous === 'fail2ban-hung') server.resume();
        if (stoppedServerForFailure) {
          stoppedServerForFailure = false;
          await server.restart();
        }
      };

      const container: DmsContainer = {
        name: record.name,
        id: record.id,
        dmsVersion: dms.key,
        server,
        standin,
        env,
        binDir,
        rootDir,
        hostPath: (containerPath) => join(rootDir, resolve('/', containerPath)),
        async setFailure(failure) {
          await clearFailure();
          activeFailure = failure;
          switch (failure) {
            case undefined:
              break;
            case 'no-such-container':
              record.hidden = true;
              break;
            case 'not-running':
              record.status = 'exited';
              break;
            case 'paused':
              record.status = 'paused';
              break;
            case 'fail2ban-not-running':
              await server.stop();
              stoppedServerForFailure = true;
              break;
            case 'fail2ban-hung':
              server.pause();
              break;
            case 'fail2ban-crashed':
              await server.crash();
              stoppedServerForFailure = true;
              break;
            case 'docker-not-installed':
              env.PATH = envWithoutDocker(env).PATH;
              break;
            case 'daemon-unreachable':
            case 'permission-denied':
            case 'daemon-timeout':
              daemonOf(endpoint).failure = failure;
              break;
            case 'not-dms':
            case 'timeout':
            case 'garbage':
            case 'cp-partial':
            case 'reload-timeout':
            case 'stops-after-reload':
              break;
          }
          if ((CONTAINER_FAILURES as readonly string[]).includes(failure ?? '')) record.failure = failure as ContainerFailure;
          save();
        },
        setEnv(key, value) {
          if (value === undefined) delete record.env[key];
          else record.env[key] = value;
          save();
        },
        setReloadingJail(jail) {
          record.reloadingJail = jail;
          save();
        },
        invocations: () => parseInvocations(invocationLog),
        async waitForBackgroundReloads() {
          const dir = join(stateDir, 'background');
          // An event-driven wait has nothing to listen to across processes; the deadline only stops a lost reload.
          await pollUntil(() => (!existsSync(dir) || readdirSync(dir).length === 0 ? true : undefined), {
            timeoutMs: 120_000,
            intervalMs: 100,
            timeoutMessage: () => `background reloads still running: ${readdirSync(dir).join(', ')}`,
          });
        },
        async stop() {
          await clearFailure();
          state.containers = state.containers.filter((c) => c !== record);
          save();
          if (!opts.server) {
            await server.dispose();
            ownedServers.splice(ownedServers.indexOf(server), 1);
          }
        },
      };
      if (opts.failure) await container.setFailure(opts.failure);
      return container;
    },

    invocations: () => parseInvocations(invocationLog),
    clearInvocations: () => rmSync(invocationLog, { force: true }),
    async dispose() {
      for (const server of ownedServers.splice(0)) await server.dispose();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return standin;
}

/** One DMS container on its own stand-in docker host; `stop()` disposes the host too. */
export async function startDmsContainer(options: DmsContainerOptions): Promise<DmsContainer> {
  const standin = await createDockerStandin();
  try {
    const container = await standin.startDmsContainer(options);
    return {
      ...container,
      async stop() {
        await container.stop();
        await standin.dispose();
      },
    };
  } catch (err) {
    await standin.dispose();
    throw err;
  }
}

/** Writes a file into the container (what `docker cp` does), for test set-up. */
export function putFileInContainer(container: DmsContainer, containerPath: string, content: string): void {
  const target = container.hostPath(containerPath);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
}

/** Copies a host file into the container, for test set-up. */
export function copyFileIntoContainer(container: DmsContainer, hostFile: string, containerPath: string): void {
  const target = container.hostPath(containerPath);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(hostFile, target);
}

/** A random documentation-range IPv4 (RFC 5737 TEST-NET-3) so parallel tests do not collide. */
export function randomTestIp(): string {
  return `203.0.113.${1 + (randomBytes(1)[0] % 254)}`;
}

export interface DockerRun {
  stdout: string;
  stderr: string;
  /** null when killed by a signal */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Runs `docker <args>` by name from env.PATH, with an argument array and no shell (as the extension must).
 * `timeoutMs` kills it with SIGTERM (for the hanging failure modes).
 */
export function runDocker(env: NodeJS.ProcessEnv, args: readonly string[], options: { timeoutMs?: number; input?: string } = {}): Promise<DockerRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('docker', [...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGTERM'), options.timeoutMs);
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on('close', (exitCode, signal) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ stdout, stderr, exitCode, signal });
    });
    child.stdin.end(options.input ?? '');
  });
}
