// Runs fail2ban-regex for a jail — inside the mail server container (`docker exec CONTAINER fail2ban-regex …`,
// an argument array, never a shell; every name validated first) or a local fail2ban-regex — streams its
// output through RegexOutputReader and builds the report. Memory depends on the number of failures, never
// on the size of the log (the log is read by fail2ban-regex where it lives).
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { ConfigContext } from '../context';
import { FailureTally } from './analyze';
import { lockoutWarnings, parseInspectNetworks, type ContainerNetwork } from './lockout';
import { buildJailTestPlan, fail2banRegexArguments } from './plan';
import { LineSplitter, RegexOutputReader } from './regexOutput';
import type { JailTestReport, LabWarning } from './types';
import { readFail2banLog, removeFromContainer, uploadLog, type UploadSource } from './container';
import { actualBansBetween } from './fail2banLog';
import { parseWallTime } from './regexOutput';

export interface DockerTarget {
  /** `docker`, `podman` or an absolute path. */
  runtime: string;
  container: string;
  context?: string;
  host?: string;
}

export type LabTarget =
  | { kind: 'container'; docker: DockerTarget; /** a log in the container; default: the jail's logpath */ logPath?: string }
  /** A local log file or an editor's text, streamed into the container (temporary file, removed afterwards). */
  | { kind: 'upload'; docker: DockerTarget; source: UploadSource; /** shown as the log's name */ label: string }
  | { kind: 'local'; logPath: string; /** default: `fail2ban-regex` on PATH */ fail2banRegex?: string; /** default /etc/fail2ban */ configDir?: string };

export interface JailTestRequest {
  context: ConfigContext;
  jail: string;
  target: LabTarget;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Called now and then with the number of failures read so far. */
  onProgress?: (failures: number) => void;
}

export type JailTestOutcome =
  | { ok: true; report: JailTestReport }
  /** usage: bad input (exit 2); unavailable: no fail2ban-regex/docker, or it failed (exit 3); cancelled */
  | { ok: false; kind: 'usage' | 'unavailable' | 'cancelled'; message: string };

const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;
const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,254}$/;
const DOCKER_HOST = /^(?:unix|tcp|ssh|npipe|fd):\/\/[^\s'"`;|&$<>\\]+$/;
const MAX_STDERR_LINES = 20;

/** Why a docker target is unsafe to use, or undefined when it is fine. */
export function validateDockerTarget(target: DockerTarget): string | undefined {
  if (!(target.runtime === 'docker' || target.runtime === 'podman' || (isAbsolute(target.runtime) && !/[\0\n]/.test(target.runtime)))) {
    return `container runtime '${target.runtime}' must be docker, podman or an absolute path`;
  }
  if (!CONTAINER_NAME.test(target.container)) return `'${target.container}' is not a valid container name or id`;
  if (target.context !== undefined && !CONTEXT_NAME.test(target.context)) return `'${target.context}' is not a valid docker context name`;
  if (target.host !== undefined && !DOCKER_HOST.test(target.host)) return `'${target.host}' is not a docker host (unix://, tcp://, ssh://…)`;
  if (target.context !== undefined && target.host !== undefined) return 'give a docker context or a host, not both';
  return undefined;
}

export function validateContainerPath(path: string): string | undefined {
  if (!path.startsWith('/') || /[\0\n\r]/.test(path)) return `'${path}' is not an absolute path in the container`;
  return undefined;
}

export function globalDockerArgs(target: DockerTarget): string[] {
  if (target.context !== undefined) return ['--context', target.context];
  if (target.host !== undefined) return ['-H', target.host];
  return [];
}

/** The docker argv of the test run (exported for tests and the "show command" of the report). */
export function dockerExecArgs(target: DockerTarget, regexArgs: readonly string[]): string[] {
  return [...globalDockerArgs(target), 'exec', target.container, 'fail2ban-regex', ...regexArgs];
}

export function findOnPath(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface StreamResult {
  exitCode: number | null;
  spawnError?: NodeJS.ErrnoException;
  cancelled: boolean;
}

export function streamProcess(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv | undefined,
  onLine: (line: string, stream: 'out' | 'err') => void,
  signal?: AbortSignal,
  /** Fed to the process's standard input (then closed); without it stdin is closed at once. */
  input?: NodeJS.ReadableStream,
): Promise<StreamResult> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ exitCode: null, cancelled: true });
    const child = spawn(command, args, { env: env ?? process.env, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'], shell: false });
    if (input && child.stdin) {
      child.stdin.on('error', () => undefined); // the process ended early: its exit code says why
      input.pipe(child.stdin);
    }
    const out = new LineSplitter((line) => onLine(line, 'out'));
    const err = new LineSplitter((line) => onLine(line, 'err'));
    let cancelled = false;
    let spawnError: NodeJS.ErrnoException | undefined;
    const abort = () => {
      cancelled = true;
      child.kill('SIGTERM');
    };
    signal?.addEventListener('abort', abort, { once: true });
    child.stdout?.on('data', (chunk: Buffer) => out.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.write(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', abort);
      out.end();
      err.end();
      resolve({ exitCode: code, cancelled, ...(spawnError ? { spawnError } : {}) });
    });
  });
}

export async function readNetworks(target: DockerTarget, env: NodeJS.ProcessEnv | undefined, signal?: AbortSignal): Promise<ContainerNetwork[] | undefined> {
  const lines: string[] = [];
  const result = await streamProcess(
    target.runtime,
    [...globalDockerArgs(target), 'inspect', '--format', '{{json .NetworkSettings.Networks}}', target.container],
    env,
    (line, stream) => {
      if (stream === 'out' && lines.length < 1000) lines.push(line);
    },
    signal,
  );
  if (result.exitCode !== 0) return undefined;
  return parseInspectNetworks(lines.join('\n'));
}

export async function runJailTest(request: JailTestRequest): Promise<JailTestOutcome> {
  const { target } = request;
  if (target.kind !== 'upload') return runJailTestOn(request, target);
  const invalid = validateDockerTarget(target.docker);
  if (invalid) return { ok: false, kind: 'usage', message: invalid };
  const upload = await uploadLog(target.docker, target.source, request.env, request.signal);
  if (!upload.ok) return { ok: false, kind: upload.cancelled ? 'cancelled' : 'unavailable', message: upload.message };
  try {
    const outcome = await runJailTestOn(request, { kind: 'container', docker: target.docker, logPath: upload.path });
    if (outcome.ok) {
      outcome.report.source = { ...outcome.report.source, logPath: target.label, uploaded: upload.path };
      if (upload.truncated) outcome.report.warnings.push({ code: 'log-truncated', message: `Only the first ${upload.bytes} bytes of ${target.label} were tested.` });
    }
    return outcome;
  } finally {
    await removeFromContainer(target.docker, upload.path, request.env);
  }
}

type DirectTarget = Exclude<LabTarget, { kind: 'upload' }>;

async function runJailTestOn(request: JailTestRequest, target: DirectTarget): Promise<JailTestOutcome> {
  const configDir = target.kind === 'local' ? target.configDir ?? '/etc/fail2ban' : '/etc/fail2ban';
  const planned = buildJailTestPlan(request.context, request.jail, configDir);
  if (!planned.ok) return { ok: false, kind: 'usage', message: planned.message };
  const plan = planned.plan;

  let command: string;
  let argv: string[];
  let logPath: string;
  if (target.kind === 'container') {
    const invalid = validateDockerTarget(target.docker);
    if (invalid) return { ok: false, kind: 'usage', message: invalid };
    const chosen = target.logPath ?? plan.jailLogPath;
    if (chosen === undefined) return { ok: false, kind: 'usage', message: `[${request.jail}] has no single log file; choose one with --log-path.` };
    const badPath = validateContainerPath(chosen);
    if (badPath) return { ok: false, kind: 'usage', message: badPath };
    logPath = chosen;
    command = target.docker.runtime;
    argv = dockerExecArgs(target.docker, fail2banRegexArguments(plan, logPath));
  } else {
    try {
      if (!statSync(target.logPath).isFile()) return { ok: false, kind: 'usage', message: `'${target.logPath}' is not a file.` };
    } catch (error) {
      return { ok: false, kind: 'usage', message: `cannot read log '${target.logPath}': ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    }
    const program = target.fail2banRegex ?? findOnPath('fail2ban-regex', request.env);
    if (!program) {
      return {
        ok: false,
        kind: 'unavailable',
        message: 'No local fail2ban-regex was found on PATH. Install fail2ban (e.g. `apt install fail2ban`), or test inside the mail server with --container NAME.',
      };
    }
    logPath = target.logPath;
    command = program;
    argv = fail2banRegexArguments(plan, logPath);
  }

  const tally = new FailureTally();
  let lastProgress = 0;
  const reader = new RegexOutputReader((id, time) => {
    tally.add(id, time);
    if (request.onProgress && tally.total - lastProgress >= 1000) {
      lastProgress = tally.total;
      request.onProgress(tally.total);
    }
  });
  const stderrTail: string[] = [];
  const result = await streamProcess(
    command,
    argv,
    request.env,
    (line, stream) => {
      reader.push(line);
      if (stream === 'err') {
        stderrTail.push(line);
        if (stderrTail.length > MAX_STDERR_LINES) stderrTail.shift();
      }
    },
    request.signal,
  );
  if (result.cancelled) return { ok: false, kind: 'cancelled', message: 'Cancelled.' };
  if (result.spawnError) {
    const what = target.kind === 'container' ? `container runtime '${command}'` : `fail2ban-regex '${command}'`;
    return { ok: false, kind: 'unavailable', message: `Cannot run ${what}: ${result.spawnError.code === 'ENOENT' ? 'not found' : result.spawnError.message}.` };
  }
  if (!reader.totals) {
    const detail = [...reader.errors, ...stderrTail].filter((line, index, all) => all.indexOf(line) === index).slice(-MAX_STDERR_LINES).join('\n');
    return { ok: false, kind: 'unavailable', message: `fail2ban-regex did not finish (exit ${result.exitCode ?? 'signal'}).${detail ? `\n${detail}` : ''}` };
  }

  const { ips, wouldBan, timeline } = tally.summarize(plan.maxretry, plan.findtimeSeconds, plan.ignore);
  const warnings: LabWarning[] = [...plan.warnings];
  for (const error of reader.errors) warnings.push({ code: 'regex-error', message: `fail2ban-regex: ${error}` });
  if (reader.totals.lines === 0) {
    warnings.push({ code: 'no-matches', message: `${logPath} has no log lines: nothing to test. Choose another log file.` });
  } else if (reader.totals.matched === 0) {
    warnings.push({
      code: 'no-matches',
      message: `No line of ${logPath} matched [${request.jail}]'s filter (${plan.filterArgument.replace(/^.*\/filter\.d\//, '')}): the jail would never ban from this log. Check the filter, its mode and the log (some missed lines are listed).`,
    });
  }
  let actual: Pick<JailTestReport, 'actualBans' | 'fail2banLog'> = {};
  if (target.kind === 'container' && timeline.length > 0) {
    const read = await readFail2banLog(target.docker, request.env, request.signal);
    if (read) {
      const from = parseWallTime(ips.reduce((min, ip) => (ip.first < min ? ip.first : min), ips[0].first));
      const to = parseWallTime(ips.reduce((max, ip) => (ip.last > max ? ip.last : max), ips[0].last));
      actual = {
        actualBans: actualBansBetween(read.reader.events, request.jail, from, to).map(({ ip, at, count }) => ({ ip, at, count })),
        fail2banLog: { path: read.path, lines: read.reader.lines },
      };
    } else {
      warnings.push({ code: 'fail2ban-log', message: `fail2ban's own log could not be read in ${target.docker.container}; what it actually banned is not shown.` });
    }
  }

  // the lock-out guard covers would-be bans and what fail2ban really banned (once each)
  const guarded = [...new Set([...wouldBan, ...(actual.actualBans ?? []).map((ban) => ban.ip)])];
  let networks: ContainerNetwork[] = [];
  if (target.kind === 'container' && guarded.length > 0) networks = (await readNetworks(target.docker, request.env, request.signal)) ?? [];
  warnings.unshift(...lockoutWarnings(guarded, networks, target.kind === 'container' ? target.docker.container : undefined));

  const report: JailTestReport = {
    jail: request.jail,
    source: { where: target.kind, ...(target.kind === 'container' ? { container: target.docker.container } : {}), logPath },
    lines: reader.totals.lines,
    matched: reader.totals.matched,
    ignored: reader.totals.ignored,
    missed: reader.totals.missed,
    failures: tally.total,
    maxretry: plan.maxretry,
    findtimeSeconds: plan.findtimeSeconds,
    ignoreip: plan.ignore.entries,
    ips,
    wouldBan,
    missedSamples: reader.missedSamples,
    timeline,
    ...actual,
    warnings,
    command: argv,
  };
  return { ok: true, report };
}
