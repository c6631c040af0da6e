// Runs the container CLI (docker, podman or a configured path) the Container Tools way:
// argument arrays, never a shell, never `-t` (a pseudo-TTY merges stdout and stderr
// and turns \n into \r\n), a timeout that kills the process, escape sequences and control characters
// removed (controlText.ts), and every command line plus its output written to an output sink so failures
// can be diagnosed.
import { spawn, type ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import { cleanOutput } from './controlText';
import { t } from '../l10n';
import { isValidContainerName, skippedNameNote } from './names';

/** Where the container CLI should connect. */
export interface RuntimeTarget {
  /** `docker`, `podman`, or a path to either. */
  runtime: string;
  /** A docker context (podman: a system connection). */
  context?: string;
  /** A daemon address such as `ssh://user@host` or `tcp://host:2376` (docker `-H`, podman `--url`). */
  host?: string;
}

/** Anything with appendLine: a VS Code OutputChannel, or an array-backed sink in tests. */
export interface OutputSink {
  appendLine(line: string): void;
}

export interface RunOptions {
  timeoutMs: number;
  /** Extra environment variables, merged over the extension host's own. */
  env?: Record<string, string | undefined>;
  /** Text written to the process's standard input. */
  input?: string;
  sink?: OutputSink;
  /** Aborting it kills the process. */
  signal?: AbortSignal;
  /** Also return stdout as received (for checks that must see control characters, e.g. container names). */
  keepRawStdout?: boolean;
}

export interface RunResult {
  /** The executable followed by its arguments, exactly as passed to the OS. */
  argv: string[];
  /** undefined when the process did not start or was killed. */
  exitCode: number | undefined;
  /** Output without escape sequences or control characters (TAB and LF kept); CRLF and CR turned into LF. */
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Node's error code when the process could not start (ENOENT, EACCES, …). */
  spawnErrorCode?: string;
  /** A short message for a failure (start error, exit status, signal, timeout, cancel). */
  failureMessage?: string;
  /** stdout as received (only with keepRawStdout). */
  rawStdout?: string;
  /** Set when the command was not run because an argument failed validation (nothing was started). */
  refused?: string;
  durationMs: number;
}

/** Grace period between SIGTERM and SIGKILL once the timeout has passed. */
const FORCE_KILL_DELAY_MS = 2000;

/** What every run's stdout and stderr go through before anyone parses or shows them. */
export function normaliseOutput(text: string): string {
  return cleanOutput(text);
}

export function isPodman(runtime: string): boolean {
  return /podman/i.test(basename(runtime));
}

/** Global flags that select the daemon: docker `--context`/`-H`, podman `--connection`/`--url`. */
export function connectionArgs(target: RuntimeTarget): string[] {
  const podman = isPodman(target.runtime);
  // docker refuses both at once; an explicit context is the more specific choice.
  if (target.context) return [podman ? '--connection' : '--context', target.context];
  if (target.host) return [podman ? '--url' : '-H', target.host];
  return [];
}

/** `<runtime> [connection] exec [-i] <container> <command…>` as an argument array. */
export function execArgs(target: RuntimeTarget, container: string, command: string[], withStdin = false): string[] {
  return [...connectionArgs(target), 'exec', ...(withStdin ? ['-i'] : []), container, ...command];
}

/** Renders an argv for the log, quoting only where a reader would otherwise misread it. */
export function formatCommandLine(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Runs `<runtime> <connection flags> <args…>`. Never throws: every failure is in the result. */
export async function runRuntime(target: RuntimeTarget, args: string[], options: RunOptions): Promise<RunResult> {
  const argv = [target.runtime, ...connectionArgs(target), ...args];
  return runArgv(argv, options);
}

/** Runs `<runtime> … exec <container> <command…>`. */
export async function runInContainer(
  target: RuntimeTarget,
  container: string,
  command: string[],
  options: RunOptions,
): Promise<RunResult> {
  const argv = [target.runtime, ...execArgs(target, container, command, options.input !== undefined)];
  if (!isValidContainerName(container)) return refuse(argv, skippedNameNote(container, t('the caller')), options);
  return runArgv(argv, options);
}

/** Runs `<runtime> … exec <container> setup fail2ban <args…>`. */
export async function runSetupFail2ban(
  target: RuntimeTarget,
  container: string,
  args: string[],
  options: RunOptions,
): Promise<RunResult> {
  return runInContainer(target, container, ['setup', 'fail2ban', ...args], options);
}

/** The last guard: a command with an invalid container name is logged as refused and never started. */
function refuse(argv: string[], reason: string, options: RunOptions): RunResult {
  options.sink?.appendLine(t('Not run: {0}', reason));
  return { argv, exitCode: undefined, stdout: '', stderr: '', timedOut: false, refused: reason, durationMs: 0 };
}

async function runArgv(argv: string[], options: RunOptions): Promise<RunResult> {
  options.sink?.appendLine(`$ ${formatCommandLine(argv)}`);
  const result = await spawnAndCollect(argv, options);
  logResult(options.sink, result);
  return result;
}

/** Why a run ended without an exit status of 0, in the words of a log line. */
function failureText(commandLine: string, ending: { exitCode?: number; signal?: string; timedOut: boolean; cancelled: boolean; spawnError?: Error }, timeoutMs: number): string | undefined {
  if (ending.spawnError) return `Command failed to start: ${commandLine}\n${ending.spawnError.message}`;
  if (ending.timedOut) return `Command timed out after ${timeoutMs} milliseconds: ${commandLine}`;
  if (ending.cancelled) return `Command was cancelled: ${commandLine}`;
  if (ending.signal) return `Command was killed with ${ending.signal}: ${commandLine}`;
  if (ending.exitCode !== undefined && ending.exitCode !== 0) return `Command failed with exit code ${ending.exitCode}: ${commandLine}`;
  return undefined;
}

/**
 * One process, no shell: output collected as UTF-8 (split characters joined by the decoder), standard input written
 * and closed (or none at all), SIGTERM at the timeout or on abort and SIGKILL if it is still alive after a grace
 * period. Resolves once the process and its output streams are closed; never rejects.
 */
function spawnAndCollect(argv: string[], options: RunOptions): Promise<RunResult> {
  const [file, ...args] = argv;
  const started = performance.now();
  const commandLine = formatCommandLine(argv);
  return new Promise<RunResult>((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let cancelled = false;
    let spawnError: (Error & { code?: string }) | undefined;
    let forceKill: NodeJS.Timeout | undefined;
    let child: ChildProcess;
    let settled = false;
    const finish = (exitCode: number | undefined, signal?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(forceKill);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({
        argv,
        exitCode,
        stdout: normaliseOutput(stdout),
        ...(options.keepRawStdout ? { rawStdout: stdout } : {}),
        stderr: normaliseOutput(stderr),
        timedOut,
        spawnErrorCode: typeof spawnError?.code === 'string' ? spawnError.code : undefined,
        failureMessage: failureText(commandLine, { exitCode, signal, timedOut, cancelled, spawnError }, options.timeoutMs),
        durationMs: performance.now() - started,
      });
    };
    const stop = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      forceKill = setTimeout(() => child.kill('SIGKILL'), FORCE_KILL_DELAY_MS);
    };
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    if (options.signal?.aborted) {
      // nothing starts for a caller that has already given up
      cancelled = true;
      finish(undefined);
      return;
    }
    try {
      child = spawn(file, args, {
        shell: false,
        windowsHide: true,
        env: { ...process.env, ...options.env },
        stdio: [options.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      // spawn() throws only for bad arguments (e.g. a NUL byte); keep the promise of never throwing
      spawnError = error instanceof Error ? error : new Error(String(error));
      finish(undefined);
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // a process that exits without reading its input: EPIPE is not our failure
      child.stdin.end(options.input);
    }
    child.on('error', (error) => {
      spawnError = error;
      // a process that never started emits no 'close' with streams of its own in every Node version
      if (child.pid === undefined) finish(undefined);
    });
    child.on('close', (code, signal) => {
      if (child.pid === undefined) return; // reported by 'error'
      finish(code ?? undefined, signal ?? undefined);
    });
  });
}

function logResult(sink: OutputSink | undefined, result: RunResult): void {
  if (!sink) return;
  for (const line of trimTrailingNewline(result.stdout).split('\n')) if (line !== '') sink.appendLine(`  stdout: ${line}`);
  for (const line of trimTrailingNewline(result.stderr).split('\n')) if (line !== '') sink.appendLine(`  stderr: ${line}`);
  const status = result.timedOut
    ? 'timed out, process killed'
    : result.exitCode !== undefined
      ? `exit ${result.exitCode}`
      : (result.failureMessage ?? 'did not run');
  sink.appendLine(`  → ${status} (${Math.round(result.durationMs)} ms)`);
}

function trimTrailingNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
