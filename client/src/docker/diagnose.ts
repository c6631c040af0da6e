// "Why is fail2ban down?" — read-only checks run when `setup fail2ban` says `Fail2ban not running` (or hangs).
// DMS's issue tracker shows the causes, most of them outside the two config files (docker-mailserver #4567,
// #3307, #3201, #3425, #2977, #3202, #2781). They are checked in this order and the first one found is shown,
// in words, with its fix:
//   1. ENABLE_FAIL2BAN is not 1 in the container's environment (DMS's default is 0: fail2ban never starts);
//   2. fail2ban answers again (it was restarting);
//   3. a huge open-file limit (`ulimit -n`), with which fail2ban-server hangs or spins (#2977);
//   4. fail2ban-server runs but does not answer its socket: hung (#3202) → offer `supervisorctl restart fail2ban`;
//   5. a stale socket left by a crashed server (#2781) → the same restart (DMS starts it with `-x`, which removes it);
//   6. an enabled jail whose log file is missing (`Have not found any log file for <jail> jail`);
//   7. errors in the user's files (our engine), then the last error fail2ban wrote.
// Every docker call is an argument array, never a shell, and nothing here changes the container except
// restartFail2ban(), which the UI runs only after the user confirms it.
import { DEFAULT_DMS_VERSION, type DmsVersion } from '../../../server/src/shared';
import { dmsRelease, dmsVersionOfImage } from '../../../server/src/shared';
import { t } from '../l10n';
import { isValidContainerName } from '../targets';
import type { ComposeFacts } from './composeFacts';
import { classifyRun, simpleFailure, type DockerFailure, type SuggestedAction } from './errors';
import { runInContainer, runRuntime, type OutputSink, type RunResult, type RuntimeTarget } from './runner';

/** supervisord program and files of DMS (target/supervisor/conf.d/dms-services.conf, v12.1.0 … v15.1.0). */
export const SUPERVISOR_FAIL2BAN_LOG = '/var/log/supervisor/fail2ban.log';
/** fail2ban's default socket, which DMS keeps (fail2ban.conf `socket`). */
export const FAIL2BAN_SOCKET = '/var/run/fail2ban/fail2ban.sock';
/** The open-file limit of the container's init (supervisord), which fail2ban-server inherits. */
const LIMITS_FILE = '/proc/1/limits';
/**
 * Above Linux's default `fs.nr_open` (1048576) a limit comes from "infinity" (1073741816 with systemd's
 * LimitNOFILE=infinity in older Docker/containerd units). DMS issue #2977 traced "Fail2ban not running" with
 * a running process but no socket to that; DMS's own tests pin `--ulimit nofile=<host soft>:<host hard>`.
 */
export const HUGE_NOFILE = 1048576;
/** Seconds `fail2ban-client ping <timeout>` waits for an answer (fail2ban's own ping timeout argument). */
const PING_TIMEOUT_SECONDS = '3';
const LOG_LINES = '300';

export interface ProbeContext {
  target: RuntimeTarget;
  container: string;
  timeoutMs: number;
  env?: Record<string, string | undefined>;
  sink?: OutputSink;
  /** Aborting it stops the probe's docker command (Cancel in a progress notification). */
  signal?: AbortSignal;
}

/** What `docker inspect` says about the container. */
export interface ContainerFacts {
  env: Record<string, string>;
  labels: Record<string, string>;
  capAdd: string[];
  /** The DMS release of the image (label `org.opencontainers.image.version`), when recognised. */
  dmsVersion?: DmsVersion;
  /** Where this release's fail2ban writes its log (server/src/knowledge/dms.ts). */
  fail2banLog: string;
}

function record(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) if (typeof item === 'string') out[key] = item;
  }
  return out;
}

/** Parses `docker inspect --format '{{json .}}'` of one container. */
export function parseInspect(stdout: string, fallbackVersion: DmsVersion = DEFAULT_DMS_VERSION): ContainerFacts | undefined {
  let object: { Config?: { Env?: unknown; Labels?: unknown }; HostConfig?: { CapAdd?: unknown } };
  try {
    object = JSON.parse(stdout.trim().split('\n')[0]) as typeof object;
  } catch {
    return undefined;
  }
  const env: Record<string, string> = {};
  for (const entry of Array.isArray(object.Config?.Env) ? object.Config.Env : []) {
    if (typeof entry !== 'string') continue;
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  const labels = record(object.Config?.Labels);
  const capAdd = (Array.isArray(object.HostConfig?.CapAdd) ? object.HostConfig.CapAdd : []).filter((cap): cap is string => typeof cap === 'string');
  const dmsVersion = dmsVersionOfImage(labels['org.opencontainers.image.version']);
  return { env, labels, capAdd, dmsVersion, fail2banLog: dmsRelease(dmsVersion ?? fallbackVersion).fail2banLog.path };
}

function checkedName(context: ProbeContext): DockerFailure | undefined {
  return isValidContainerName(context.container)
    ? undefined
    : simpleFailure('no-such-container', t("'{0}' is not a valid container name.", context.container), ['select-container']);
}

/**
 * The probes run after something already failed, often while the container is busy: they get at least this
 * long each, whatever the command timeout (a hung fail2ban is bounded by ping's own timeout, not by this).
 */
const PROBE_TIMEOUT_FLOOR_MS = 20_000;

function runOptions(context: ProbeContext, factor = 1) {
  return { timeoutMs: Math.max(context.timeoutMs, PROBE_TIMEOUT_FLOOR_MS) * factor, env: context.env, sink: context.sink, signal: context.signal };
}

function exec(context: ProbeContext, command: string[], factor = 1): Promise<RunResult> {
  return runInContainer(context.target, context.container, command, runOptions(context, factor));
}

/** `docker inspect --format '{{json .}}' <container>` (read-only). */
export async function inspectContainer(context: ProbeContext, fallbackVersion?: DmsVersion): Promise<{ facts: ContainerFacts } | { failure: DockerFailure }> {
  const invalid = checkedName(context);
  if (invalid) return { failure: invalid };
  const run = await runRuntime(context.target, ['inspect', '--format', '{{json .}}', context.container], runOptions(context));
  const failure = classifyRun(run, { runtime: context.target.runtime, container: context.container, timeoutMs: context.timeoutMs });
  if (failure) return { failure };
  const facts = parseInspect(run.stdout, fallbackVersion);
  return facts ? { facts } : { failure: simpleFailure('unexpected-output', t('Unexpected output from {0} inspect.', context.target.runtime), ['show-output']) };
}

export type SupervisorState = 'RUNNING' | 'STARTING' | 'BACKOFF' | 'STOPPING' | 'STOPPED' | 'EXITED' | 'FATAL' | 'UNKNOWN';

/** `fail2ban   RUNNING   pid 760, uptime 1:06:35` → state and description. */
export function parseSupervisorStatus(stdout: string): { state: SupervisorState; description: string } | undefined {
  const match = /^fail2ban\s+([A-Z]+)\s*(.*)$/m.exec(stdout);
  if (!match) return undefined;
  const known: SupervisorState[] = ['RUNNING', 'STARTING', 'BACKOFF', 'STOPPING', 'STOPPED', 'EXITED', 'FATAL'];
  return { state: (known as string[]).includes(match[1]) ? (match[1] as SupervisorState) : 'UNKNOWN', description: match[2].trim() };
}

/** The soft "Max open files" limit from /proc/<pid>/limits (`unlimited` → Infinity). */
export function parseNofile(limits: string): number | undefined {
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  if (!match) return undefined;
  return match[1] === 'unlimited' ? Infinity : Number(match[1]);
}

/** fail2ban's and fail2ban-server's error lines (both logs), newest last, since the server last started. */
export function lastErrors(logText: string): string[] {
  const lines = logText.split(/\r?\n/).filter((line) => !/^==> .* <==$/.test(line));
  let start = 0;
  lines.forEach((line, index) => {
    if (/INFO\s+Starting Fail2ban v/.test(line)) start = index;
  });
  return lines
    .slice(start)
    .filter((line) => /\b(?:ERROR|CRITICAL)\b|Failed during configuration|Have not found any log file|Could not start server/.test(line))
    .map((line) => line.trim());
}

export type Cause =
  | 'disabled'
  | 'running-again'
  | 'huge-ulimit'
  | 'hung'
  | 'stale-socket'
  | 'missing-log-file'
  | 'config-error'
  | 'unknown';

export interface Diagnosis {
  cause: Cause;
  /** What is wrong and the fix, for a mail admin. */
  message: string;
  actions: SuggestedAction[];
  /** fail2ban's and docker's own words behind the diagnosis (shown as detail). */
  evidence: string[];
}

/** One validated user file (error-level findings of our engine), as the UI's "Validate Config Files" gives them. */
export interface UserFileErrors {
  name: string;
  errors: Array<{ line: number; code: string; message: string }>;
}

export interface DiagnoseInputs {
  /** The workspace's compose file, when there is one (for "where to set it"). */
  compose?: ComposeFacts;
  /** The user's fail2ban-jail.cf / fail2ban-fail2ban.cf checked by our engine. */
  userFiles?: () => Promise<UserFileErrors[]>;
  /** The release to assume when the image label says nothing (the dmsVersion setting). */
  dmsVersion?: DmsVersion;
}

/** The raw answers of the read-only probes; `decide` turns them into a diagnosis (pure, unit-tested). */
export interface Probes {
  facts?: ContainerFacts;
  ping: RunResult;
  supervisor?: { state: SupervisorState; description: string };
  socketExists: boolean;
  nofile?: number;
  /** supervisord's capture of fail2ban-server's output, then fail2ban's own log (each since its last start). */
  logTexts: string[];
  userFiles: UserFileErrors[];
  compose?: ComposeFacts;
}

export async function runProbes(context: ProbeContext, inputs: DiagnoseInputs = {}): Promise<{ probes: Probes } | { failure: DockerFailure }> {
  const inspected = await inspectContainer(context, inputs.dmsVersion);
  if ('failure' in inspected) return inspected;
  const { facts } = inspected;
  const [ping, supervisor, socket, limits, supervisorLog, fail2banLog] = await Promise.all([
    exec(context, ['fail2ban-client', 'ping', PING_TIMEOUT_SECONDS], 2),
    exec(context, ['supervisorctl', 'status', 'fail2ban']),
    exec(context, ['test', '-S', FAIL2BAN_SOCKET]),
    exec(context, ['cat', LIMITS_FILE]),
    exec(context, ['tail', '-n', LOG_LINES, SUPERVISOR_FAIL2BAN_LOG]),
    exec(context, ['tail', '-n', LOG_LINES, facts.fail2banLog]),
  ]);
  const userFiles = inputs.userFiles ? await inputs.userFiles().catch(() => []) : [];
  return {
    probes: {
      facts,
      ping,
      supervisor: parseSupervisorStatus(supervisor.stdout),
      socketExists: socket.exitCode === 0,
      nofile: limits.exitCode === 0 ? parseNofile(limits.stdout) : undefined,
      logTexts: [supervisorLog.stdout, fail2banLog.stdout],
      userFiles,
      compose: inputs.compose,
    },
  };
}

function pingAnswered(ping: RunResult): boolean {
  return ping.exitCode === 0 && /\bpong\b/.test(ping.stdout);
}


/** The first cause found, in the order of the module comment. */
export function decide(container: string, probes: Probes): Diagnosis {
  const evidence: string[] = [];
  const enable = probes.facts?.env.ENABLE_FAIL2BAN;
  if (probes.facts && enable !== '1') {
    const configured = probes.compose?.enableFail2ban;
    const where = !configured
      ? ''
      : configured.value === '1'
        ? t(' although {0} sets ENABLE_FAIL2BAN=1: the container was created before that change', configured.where)
        : t(' ({0} sets ENABLE_FAIL2BAN={1})', configured.where, configured.value);
    const value = enable === undefined ? t("not set (DMS's default is 0)") : `'${enable}'`;
    return {
      cause: 'disabled',
      message: t(
        "Fail2ban is switched off in '{0}': ENABLE_FAIL2BAN is {1} in the container's environment{2}. Set ENABLE_FAIL2BAN=1 in mailserver.env (or the compose file's environment), make sure the service has `cap_add: - NET_ADMIN`, and recreate the container (`docker compose up -d`).",
        container,
        value,
        where,
      ),
      actions: ['show-output'],
      evidence: [t('container environment: ENABLE_FAIL2BAN={0}', enable ?? t('(unset)'))],
    };
  }
  if (pingAnswered(probes.ping)) {
    return {
      cause: 'running-again',
      message: t("Fail2ban in '{0}' answers again: it was starting or reloading. Refresh the view.", container),
      actions: [],
      evidence: [probes.ping.stdout.trim()],
    };
  }
  const pingWords = (probes.ping.stderr || probes.ping.stdout).trim();
  if (pingWords) evidence.push(`fail2ban-client ping: ${pingWords}`);
  if (probes.supervisor) evidence.push(`supervisorctl status fail2ban: ${probes.supervisor.state} ${probes.supervisor.description}`.trim());
  const errors = probes.logTexts.flatMap((text) => lastErrors(text));
  evidence.push(...errors.slice(-5));

  if (probes.nofile !== undefined && probes.nofile > HUGE_NOFILE) {
    return {
      cause: 'huge-ulimit',
      message: t(
        "The container's open-file limit is {0} (`ulimit -n`): with such a limit fail2ban-server hangs or spins at start (docker-mailserver #2977). Give the mail server service a normal limit in the compose file, e.g. `ulimits: { nofile: { soft: 65536, hard: 65536 } }` (or `--ulimit nofile=65536:65536`), then recreate the container.",
        probes.nofile === Infinity ? t('unlimited') : probes.nofile,
      ),
      actions: ['show-log', 'show-output'],
      evidence: [`${LIMITS_FILE}: Max open files ${probes.nofile}`, ...evidence],
    };
  }
  const serverRuns = probes.supervisor?.state === 'RUNNING';
  // a running process whose socket does not answer: ping times out, or (once the backlog of waiting clients is
  // full) connect fails with `[Errno 11] Resource temporarily unavailable`
  if (serverRuns && probes.socketExists) {
    return {
      cause: 'hung',
      message: t(
        "fail2ban-server runs in '{0}' ({1}) but does not answer on its socket: it hangs, so `setup fail2ban` refuses or waits on every command, unban included (docker-mailserver #3202). Restart it with `supervisorctl restart fail2ban`; bans are kept in its database and restored.",
        container,
        probes.supervisor?.description ?? 'supervisor: RUNNING',
      ),
      actions: ['restart-fail2ban', 'show-log', 'show-output'],
      evidence,
    };
  }
  if (probes.socketExists && !serverRuns) {
    return {
      cause: 'stale-socket',
      message: t(
        "fail2ban-server is not running in '{0}', but its socket {1} is still there: it crashed and left the socket (and pid file) behind (docker-mailserver #2781). Restart it with `supervisorctl restart fail2ban` (DMS starts it with -x, which removes the stale socket), or restart the container.",
        container,
        FAIL2BAN_SOCKET,
      ),
      actions: ['restart-fail2ban', 'show-log', 'show-output'],
      evidence,
    };
  }
  const missingLog = errors.map((line) => /Have not found any log file for (\S+) jail/.exec(line)).find((match) => match !== null);
  if (missingLog) {
    return {
      cause: 'missing-log-file',
      message: t(
        "The jail [{0}] watches a log file that does not exist in '{1}', so fail2ban stops at start-up and supervisord restarts it in a loop (docker-mailserver #4567). Fix `logpath` of [{0}] in fail2ban-jail.cf, or set `enabled = false` there, then restart the container.",
        missingLog[1],
        container,
      ),
      actions: ['edit-jail-file', 'validate-config', 'show-log'],
      evidence,
    };
  }
  const fileErrors = probes.userFiles.flatMap((file) => file.errors.map((error) => ({ file: file.name, ...error })));
  if (fileErrors.length > 0) {
    const first = fileErrors[0];
    return {
      cause: 'config-error',
      message:
        fileErrors.length === 1
          ? t("1 error in your fail2ban files stop fail2ban in '{0}'. First: {1} line {2} ({3}): {4} Fix it, then restart the container (DMS copies the files at start-up).", container, first.file, first.line, first.code, first.message)
          : t("{0} errors in your fail2ban files stop fail2ban in '{1}'. First: {2} line {3} ({4}): {5} Fix it, then restart the container (DMS copies the files at start-up).", fileErrors.length, container, first.file, first.line, first.code, first.message),
      actions: ['validate-config', 'show-log'],
      evidence,
    };
  }
  const lastError = errors[errors.length - 1];
  if (lastError) {
    return {
      cause: 'config-error',
      message: t("Fail2ban is not running in '{0}'. Its last error: {1}", container, lastError.replace(/^.*?(?:ERROR|CRITICAL)\s+/, '')),
      actions: ['validate-config', 'show-log', 'show-output'],
      evidence,
    };
  }
  return {
    cause: 'unknown',
    message: t(
      "Fail2ban is not running in '{0}' and none of the usual causes was found (ENABLE_FAIL2BAN is 1, normal open-file limit, no stale socket, no error in its logs or your files). Restart the container and check the fail2ban log.",
      container,
    ),
    actions: ['show-log', 'show-output'],
    evidence,
  };
}

/** Runs the probes and decides; a docker failure during the probes is returned as it is. */
export async function diagnoseFail2ban(context: ProbeContext, inputs: DiagnoseInputs = {}): Promise<Diagnosis | { failure: DockerFailure }> {
  const probed = await runProbes(context, inputs);
  if ('failure' in probed) return probed;
  return decide(context.container, probed.probes);
}

/** The diagnosis as the failure the UI shows (message and buttons replaced, fail2ban's words in the detail). */
export function explainFailure(failure: DockerFailure, diagnosis: Diagnosis): DockerFailure {
  const detail = [...diagnosis.evidence, failure.detail].filter((part) => part.trim() !== '').join('\n');
  return { ...failure, message: diagnosis.message, actions: diagnosis.actions, detail };
}

/**
 * `supervisorctl restart fail2ban` — the one write here, run only after the user confirmed it. Resolves with
 * an error message, or undefined when fail2ban answers ping afterwards.
 */
export async function restartFail2ban(context: ProbeContext): Promise<{ ok: true; output: string } | { ok: false; failure: DockerFailure }> {
  const invalid = checkedName(context);
  if (invalid) return { ok: false, failure: invalid };
  // supervisord waits up to stopwaitsecs (55 s in DMS) for a hung server to stop
  const run = await exec(context, ['supervisorctl', 'restart', 'fail2ban'], 4);
  const output = [run.stdout.trim(), run.stderr.trim()].filter(Boolean).join('\n');
  const failure = classifyRun(run, { runtime: context.target.runtime, container: context.container, timeoutMs: context.timeoutMs * 4 });
  if (failure) return { ok: false, failure };
  const ping = await exec(context, ['fail2ban-client', 'ping', PING_TIMEOUT_SECONDS], 2);
  if (!pingAnswered(ping)) {
    return {
      ok: false,
      failure: simpleFailure(
        'fail2ban-not-running',
        t("supervisorctl restarted fail2ban in '{0}', but it does not answer yet. Check the fail2ban log.", context.container),
        ['show-log', 'show-output'],
        [output, ping.stderr.trim()].filter(Boolean).join('\n'),
      ),
    };
  }
  return { ok: true, output };
}
