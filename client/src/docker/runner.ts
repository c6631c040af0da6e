// Runs the container CLI (docker, podman or a configured path) the Container Tools way:
// argument arrays, never a shell, never `-t` (a pseudo-TTY merges stdout and stderr
// and turns \n into \r\n), a timeout that kills the process, escape sequences and control characters
// removed (controlText.ts), and every command line plus its output written to an output sink so failures
// can be diagnosed.
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
  /** execa's short message for a failure (start error, signal, timeout). */
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
  const [file, ...args] = argv;
  const sink = options.sink;
  sink?.appendLine(`$ ${formatCommandLine(argv)}`);
  const started = Date.now();
  let result: RunResult;
  try {
    // execa 9 is ESM-only: a dynamic import keeps this module loadable from CommonJS (tests, bundle).
    const { execa } = await import('execa');
    const outcome = await execa(file, args, {
      reject: false,
      shell: false,
      timeout: options.timeoutMs,
      forceKillAfterDelay: FORCE_KILL_DELAY_MS,
      env: options.env,
      extendEnv: true,
      stripFinalNewline: false,
      windowsHide: true,
      ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
      ...(options.signal ? { cancelSignal: options.signal } : {}),
    });
    const spawnErrorCode = typeof outcome.code === 'string' && outcome.exitCode === undefined ? outcome.code : undefined;
    result = {
      argv,
      exitCode: outcome.exitCode,
      stdout: normaliseOutput(String(outcome.stdout ?? '')),
      ...(options.keepRawStdout ? { rawStdout: String(outcome.stdout ?? '') } : {}),
      stderr: normaliseOutput(String(outcome.stderr ?? '')),
      timedOut: outcome.timedOut,
      spawnErrorCode,
      failureMessage: outcome.failed ? outcome.shortMessage : undefined,
      durationMs: outcome.durationMs,
    };
  } catch (error) {
    // Only reached when execa itself misbehaves (bad options); keep the promise of never throwing.
    result = {
      argv,
      exitCode: undefined,
      stdout: '',
      stderr: '',
      timedOut: false,
      failureMessage: error instanceof Error ? error.message : String(error),
      durationMs: Date.now() - started,
    };
  }
  logResult(sink, result);
  return result;
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
