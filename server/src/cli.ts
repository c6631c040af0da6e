// Command line: `dms-fail2ban check …` (lint files/folders as the modelled fail2ban reads them),
// `dms-fail2ban rules` (list rule codes), `dms-fail2ban lsp --stdio` (language server).
// Exit codes: 0 = no errors, 1 = at least one error diagnostic, 2 = usage error or unreadable file.
import { statSync, writeSync } from 'node:fs';
import { isDirectory, isFile, listFolder } from './fsProbe';
import { join, resolve } from 'node:path';
import { MAX_CONFIG_FILE_LABEL, readConfigFile } from './cli/readConfigFile';
import { readStockDocuments } from './cli/stockDocuments';
import { usePrebuiltStockDocuments } from './context/sources';
import { escapeForTerminal, escapeJsonForTerminal } from './cli/terminalText';
import { checkBytes } from './engine';
import { fileTooLarge } from './sizeCap';
import { detectFileKind } from './fileKind';
import { allRuleMeta, ruleMeta } from './rules';
import { providedFiles } from './workspace/provided';
import { dmsFail2banVersion } from './knowledge/dms';
import {
  DEFAULT_DMS_VERSION,
  DEFAULT_FAIL2BAN_VERSION,
  DMS_VERSIONS,
  FAIL2BAN_VERSIONS,
  FILE_KINDS,
  type CheckOptions,
  type DmsVersion,
  type EngineDiagnostic,
  type Fail2banVersion,
  type FileKind,
  type SeveritySetting,
} from './types';
// only the version: esbuild then leaves the rest of package.json out of the bundle
import { version as packageVersion } from '../../package.json';
import { TEST_JAIL_HELP, TEST_JAIL_USAGE } from './lab/cliHelp';
import type * as LabCliModule from './lab/cli';
import type * as ServerModule from './server';
import { localeFromEnvironment, setServerLocale } from './l10n';
import { containerSummary, containerVersions } from './context/container';
import type { ContainerContext } from './shared/protocol';
import { modelledSummary } from './workspace/liveContext';
import type * as ContainerReaderModule from '../../client/src/docker/liveContext';

// Loaded on demand (esbuild keeps them in the bundle but evaluates them only when required): `check` of a file
// stays free of the lab's child_process/crypto/stream modules, the docker reader and the LSP libraries.
/* eslint-disable @typescript-eslint/no-require-imports */
const labCli = (): typeof LabCliModule => require('./lab/cli') as typeof LabCliModule;
const languageServer = (): typeof ServerModule => require('./server') as typeof ServerModule;
// the CLI reads a live container as the extension does (same reader: read-only docker calls, no shell)
const containerReader = (): typeof ContainerReaderModule => require('../../client/src/docker/liveContext') as typeof ContainerReaderModule;
/* eslint-enable @typescript-eslint/no-require-imports */

/** Seconds each docker call of a container context read may take. */
const CONTAINER_TIMEOUT_MS = 30_000;

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'error', 'warning', 'information', 'hint'];
const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

const HELP = `dms-fail2ban ${packageVersion} — validate docker-mailserver's Fail2Ban config exactly as fail2ban reads it

Usage:
  dms-fail2ban check [options] PATH...
  dms-fail2ban rules
${TEST_JAIL_USAGE}
  dms-fail2ban lsp --stdio
  dms-fail2ban --help | --version

PATH is a file, or a folder: its fail2ban-jail.cf and fail2ban-fail2ban.cf (docker-mailserver's
config folder) and plain fail2ban files (jail.local, jail.d/*.conf|*.local, fail2ban.local,
fail2ban.d/*.conf|*.local) are checked.

Options for check:
  --kind dms-jail|dms-server|jail|server   file kind (default: from the file name; unknown names: jail)
  --format text|json                       text: "path:line:column: severity code: message" (default)
  --fail2ban-version ${FAIL2BAN_VERSIONS.join('|')}     fail2ban to check against (default: what the DMS release
                                           ships; ${DEFAULT_FAIL2BAN_VERSION} for ${DEFAULT_DMS_VERSION} and for plain fail2ban files)
  --dms-version ${DMS_VERSIONS.join('|')}   docker-mailserver release (default: ${DEFAULT_DMS_VERSION}, fail2ban ${dmsFail2banVersion(DEFAULT_DMS_VERSION)})
  --rule CODE=off|error|warning|information|hint   change a rule's severity (repeatable)
  --extra-config-dir DIR                   a folder with your own filter.d/ and action.d/ files (or such a folder
                                           itself) that you add to the container (repeatable); compose files
                                           (compose.yaml, docker-compose.yml …) next to or above each checked file
                                           are read for volumes mounted into /etc/fail2ban/filter.d|action.d
  --container NAME                         check against the running mail server container NAME: its fail2ban
                                           version, DMS release, /etc/fail2ban files, filters, actions and log
                                           files (read-only docker exec calls); unreachable: the modelled release.
                                           The context used is printed on stderr (JSON: the "context" field)
  --runtime docker|podman|PATH             container CLI for --container (default: docker)
  --context NAME | --host URL              docker context / daemon address for --container

Only regular files of at most ${MAX_CONFIG_FILE_LABEL} are read: a device, FIFO or larger file is refused
(exit status 2). Control characters in file names and messages are shown escaped (\x1b).

Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable file.

${TEST_JAIL_HELP}`;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** One line on stderr; names and values in it come from outside, so controls are shown escaped. */
function complain(io: Io, message: string): void {
  io.err(`dms-fail2ban: ${escapeForTerminal(message)}\n`);
}

class UsageError extends Error {}

interface CheckArgs {
  kind?: FileKind;
  format: Format;
  fail2banVersion?: Fail2banVersion;
  dmsVersion?: DmsVersion;
  rules: Record<string, SeveritySetting>;
  extraConfigDirs: string[];
  paths: string[];
  container?: string;
  runtime: string;
  dockerContext?: string;
  dockerHost?: string;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`invalid value '${value}' for ${flag} (expected ${allowed.join(', ')})`);
}

function parseRule(spec: string, rules: Record<string, SeveritySetting>): void {
  const equals = spec.lastIndexOf('=');
  if (equals <= 0) throw new UsageError(`invalid --rule '${spec}' (expected CODE=SEVERITY)`);
  const code = spec.slice(0, equals);
  if (!ruleMeta(code)) throw new UsageError(`unknown rule code '${code}' (see: dms-fail2ban rules)`);
  rules[code] = oneOf(spec.slice(equals + 1), SEVERITY_SETTINGS, '--rule');
}

/** Accepts `--flag value` and `--flag=value`. */
function parseCheckArgs(argv: string[]): CheckArgs {
  const args: CheckArgs = { format: 'text', rules: {}, extraConfigDirs: [], paths: [], runtime: 'docker' };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (!arg.startsWith('--') || arg === '--') {
      if (arg === '--') args.paths.push(...argv.slice(index + 1));
      else args.paths.push(arg);
      if (arg === '--') break;
      continue;
    }
    const equals = arg.indexOf('=');
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const takeValue = (): string => {
      if (equals > 0) return arg.slice(equals + 1);
      const value = argv[++index];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      return value;
    };
    switch (flag) {
      case '--kind':
        args.kind = oneOf(takeValue(), FILE_KINDS, flag);
        break;
      case '--format':
        args.format = oneOf(takeValue(), FORMATS, flag);
        break;
      case '--fail2ban-version':
        args.fail2banVersion = oneOf(takeValue(), FAIL2BAN_VERSIONS, flag);
        break;
      case '--dms-version':
        args.dmsVersion = oneOf(takeValue(), DMS_VERSIONS, flag);
        break;
      case '--rule':
        parseRule(takeValue(), args.rules);
        break;
      case '--extra-config-dir': {
        const dir = resolve(takeValue());
        if (!isDirectory(dir)) throw new UsageError(`--extra-config-dir '${dir}' is not a folder`);
        args.extraConfigDirs.push(dir);
        break;
      }
      case '--container':
        args.container = takeValue();
        break;
      case '--runtime':
        args.runtime = takeValue();
        break;
      case '--context':
        args.dockerContext = takeValue();
        break;
      case '--host':
        args.dockerHost = takeValue();
        break;
      default:
        throw new UsageError(`unknown option '${flag}'`);
    }
  }
  if (args.paths.length === 0) throw new UsageError('check needs at least one PATH');
  if (!args.container && (args.dockerContext !== undefined || args.dockerHost !== undefined)) throw new UsageError('--context and --host need --container');
  return args;
}

interface Target {
  path: string;
  kind: FileKind;
}

/** The files of a folder fail2ban (or DMS) would read, DMS files first. */
function folderTargets(folder: string): string[] {
  const direct = ['fail2ban-jail.cf', 'fail2ban-fail2ban.cf', 'jail.local'].map((name) => join(folder, name));
  const dropIns = (sub: string) => listFolder(join(folder, sub)).map((name) => join(folder, sub, name));
  return [
    ...direct,
    ...dropIns('jail.d'),
    join(folder, 'fail2ban.local'),
    ...dropIns('fail2ban.d'),
  ].filter((path) => isFile(path) && detectFileKind(path) !== undefined);
}

function expandTargets(args: CheckArgs, io: Io): { targets: Target[]; unreadable: boolean } {
  const targets: Target[] = [];
  let unreadable = false;
  for (const path of args.paths) {
    let isFolder = false;
    try {
      isFolder = statSync(path).isDirectory();
    } catch (error) {
      complain(io, `cannot read '${path}': ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      unreadable = true;
      continue;
    }
    const files = isFolder ? folderTargets(path) : [path];
    if (isFolder && files.length === 0) {
      complain(io, `no fail2ban config files in folder '${path}'`);
      unreadable = true;
    }
    for (const file of files) targets.push({ path: file, kind: args.kind ?? detectFileKind(file) ?? 'jail' });
  }
  return { targets, unreadable };
}

interface FileResult {
  file: string;
  kind: FileKind;
  diagnostics: EngineDiagnostic[];
}

/** Which context a `check --container` used (JSON field `context`; one stderr line in text mode). */
interface UsedContext {
  source: 'container' | 'modelled';
  summary: string;
  container?: string;
  dmsRelease?: string;
  fail2banVersion?: string;
  /** Why the modelled release was used instead of the container. */
  reason?: string;
  notes: string[];
}

function usedContext(args: CheckArgs, live: ContainerContext | undefined, reason: string | undefined, notes: string[]): UsedContext {
  if (!live) return { source: 'modelled', summary: modelledSummary(args.dmsVersion, reason), reason, notes };
  const unmodelled = containerVersions(live).unmodelled;
  const said = unmodelled.length > 0 ? [`${unmodelled.join(' and ')} is not modelled: the container's own files are used anyway.`] : [];
  return {
    source: 'container',
    summary: containerSummary(live),
    container: live.container,
    ...(live.dmsRelease ? { dmsRelease: live.dmsRelease } : {}),
    ...(live.fail2banVersion ? { fail2banVersion: live.fail2banVersion } : {}),
    notes: [...said, ...notes],
  };
}

function singleLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ');
}

function formatText(results: FileResult[]): string {
  return results
    .flatMap((result) =>
      result.diagnostics.map(
        (d) =>
          `${escapeForTerminal(result.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${escapeForTerminal(singleLine(d.message))}\n` +
          (d.details ? `    details: ${escapeForTerminal(singleLine(d.details))}\n` : ''),
      ),
    )
    .join('');
}

function formatJson(results: FileResult[], context?: UsedContext): string {
  const entries = results.map((result) => ({
    file: result.file,
    kind: result.kind,
    ...(context ? { context } : {}),
    diagnostics: result.diagnostics.map((d) => ({
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
      severity: d.severity,
      code: d.code,
      message: d.message,
      ...(d.details ? { details: d.details } : {}),
    })),
  }));
  return escapeJsonForTerminal(JSON.stringify(entries, null, 2)) + '\n';
}

function runCheck(argv: string[], io: Io): number | Promise<number> {
  const args = parseCheckArgs(argv);
  if (!args.container) return checkTargets(args, io);
  const container = args.container;
  const target = { runtime: args.runtime, ...(args.dockerContext ? { context: args.dockerContext } : {}), ...(args.dockerHost ? { host: args.dockerHost } : {}) };
  return containerReader().readContainerContext(target, container, { timeoutMs: CONTAINER_TIMEOUT_MS }).then((read) => {
    const context = read.ok
      ? usedContext(args, read.context, undefined, read.notes)
      : usedContext(args, undefined, `container ${container} not used: ${read.reason}`, []);
    if (args.format === 'text') {
      io.err(`dms-fail2ban: context: ${escapeForTerminal(context.summary)}\n`);
      for (const note of context.notes) complain(io, note);
    }
    return checkTargets(args, io, read.ok ? read.context : undefined, context);
  });
}

/** Written next to the bundle by scripts/build.mjs; absent when the CLI runs from source (then all is parsed). */
const STOCK_DOCUMENTS_FILE = join(__dirname, 'stock-documents.json');

function checkTargets(args: CheckArgs, io: Io, live?: ContainerContext, context?: UsedContext): number {
  usePrebuiltStockDocuments(readStockDocuments(STOCK_DOCUMENTS_FILE));
  const { targets, unreadable: missing } = expandTargets(args, io);
  let unreadable = missing;
  const results: FileResult[] = [];
  for (const target of targets) {
    const read = readConfigFile(target.path);
    if (!read.ok) {
      complain(io, `cannot read '${target.path}': ${read.reason}`);
      unreadable = true;
      continue;
    }
    const bytes = read.bytes;
    const options: CheckOptions = {
      kind: target.kind,
      ...(args.fail2banVersion ? { fail2banVersion: args.fail2banVersion } : {}),
      ...(args.dmsVersion ? { dmsVersion: args.dmsVersion } : {}),
      rules: args.rules,
      provided: providedFiles(resolve(target.path), { extraConfigDirs: args.extraConfigDirs }),
      ...(live ? { container: live } : {}),
      documentUri: target.path,
      log: (message) => complain(io, message),
    };
    // the editor's line cap as well: a file of 200k+ lines is reported, not checked (memory grows with lines)
    const tooLarge = fileTooLarge(new TextDecoder().decode(bytes));
    results.push({ file: target.path, kind: target.kind, diagnostics: tooLarge ? [tooLarge] : checkBytes(bytes, options) });
  }
  io.out(args.format === 'json' ? formatJson(results, context) : formatText(results));
  if (unreadable) return 2;
  return results.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

function listRules(io: Io): number {
  for (const meta of allRuleMeta()) io.out(`${meta.code}\t${meta.defaultSeverity}\t${meta.description}\n`);
  return 0;
}

/** Runs the CLI; the exit code (a promise for test-jail), or undefined when the language server keeps running. */
export function main(argv: string[], io: Io): number | Promise<number> | undefined {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case '--help':
      case '-h':
      case 'help':
        io.out(HELP);
        return 0;
      case '--version':
      case '-v':
        io.out(`${packageVersion}\n`);
        return 0;
      case 'check':
        return runCheck(rest, io);
      case 'rules':
        return listRules(io);
      case 'test-jail':
        return labCli().runTestJail(rest, io);
      case 'lsp':
        if (rest.some((arg) => !['--stdio', '--node-ipc'].includes(arg) && !arg.startsWith('--clientProcessId'))) {
          throw new UsageError(`unknown lsp option(s): ${rest.join(' ')}`);
        }
        if (!rest.includes('--stdio') && !rest.includes('--node-ipc')) process.argv.push('--stdio');
        languageServer().startServer();
        return undefined;
      case undefined:
        throw new UsageError('missing command');
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    complain(io, error.message);
    io.err("Run 'dms-fail2ban --help' for usage.\n");
    return 2;
  }
}

/**
 * `dms-fail2ban check … | head` closes the pipe early: that is not an error. The process ends as node ends it when
 * its stdout stream fails: at the next tick, with the exit status the command has set by then (1 if it found errors).
 */
function exitOnClosedPipe(error: NodeJS.ErrnoException): boolean {
  if (error.code !== 'EPIPE') return false;
  stdoutClosed = true;
  process.nextTick(() => process.exit(process.exitCode ?? 0));
  return true;
}

let stdoutGuarded = false;
function guardStdoutPipe(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (!exitOnClosedPipe(error)) throw error;
  });
}

/**
 * Once a write would block, the rest goes through process.stdout (it queues), to keep the order. On Windows always:
 * a console there needs node's own writer (WriteConsoleW), and pipes are asynchronous.
 */
let stdoutStream = process.platform === 'win32';
/** The reader went away: the rest of the output is dropped. */
let stdoutClosed = false;

/**
 * Writes to file descriptor 1 directly, as process.stdout does for files, pipes and terminals on Linux and macOS
 * (synchronously), without creating process.stdout: that loads node's stream, net and tty modules, a tenth of a
 * `check` run.
 */
function writeStdout(text: string): void {
  if (stdoutClosed) return;
  if (stdoutStream) {
    guardStdoutPipe();
    process.stdout.write(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    if (exitOnClosedPipe(failure)) return;
    if (failure.code !== 'EAGAIN') throw error;
    // a non-blocking pipe that is full: node's stream waits for it
    stdoutStream = true;
    guardStdoutPipe();
    process.stdout.write(bytes.subarray(written));
  }
}

// run when executed (directly or through bin/dms-fail2ban, which requires the bundle)
const entry = require.main?.filename ?? '';
if (require.main === module || /dms-fail2ban$/.test(entry)) {
  const command = process.argv[2];
  // the language server writes to process.stdout itself; every other command writes through writeStdout
  if (command === 'lsp') guardStdoutPipe();
  // rule messages follow LC_ALL / LC_MESSAGES / LANG where l10n/ has a bundle (de); the CLI's own texts stay English
  setServerLocale(localeFromEnvironment(process.env));
  let stderrUsed = false;
  const code = main(process.argv.slice(2), {
    out: writeStdout,
    err: (text) => {
      stderrUsed = true;
      process.stderr.write(text);
    },
  });
  if (typeof code === 'number') {
    process.exitCode = code;
    // A finished command ends here when all its output has been written: the event loop's last turn would only run
    // V8's pending garbage collection tasks (a tenth of a `check` run's own time). Output still queued in a stream
    // (a full pipe, Windows) is left to the normal exit, which waits for it.
    const queued = (stdoutStream && process.stdout.writableLength > 0) || (stderrUsed && process.stderr.writableLength > 0);
    if (!queued) process.exit(code);
  } else if (code) void code.then((exit) => (process.exitCode = exit));
}
