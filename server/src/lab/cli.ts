// `dms-fail2ban test-jail JAIL …`: test a jail of the user's files (all layers) with the real fail2ban-regex,
// in the mail server container or locally. Exit: 0 tested, 1 tested and an address would be banned that
// locks clients out (gateway/own network/private), 2 usage error or bad configuration, 3 fail2ban-regex or
// docker could not run (or failed).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildContextFromText } from '../context';
import { detectFileKind } from '../fileKind';
import { formatDuration } from '../values/duration';
import { FAIL2BAN_VERSIONS, type DmsVersion, type Fail2banVersion, type FileKind } from '../types';
import { runJailTest, type LabTarget } from './run';
import type { JailTestReport } from './types';

export { TEST_JAIL_HELP, TEST_JAIL_USAGE } from './cliHelp';

const DMS_VERSIONS: readonly DmsVersion[] = ['v15.1.0', 'edge', 'v15.0', 'v14', 'v13', 'v12.0'];

interface Io {
  out(text: string): void;
  err(text: string): void;
}

class UsageError extends Error {}

interface TestJailArgs {
  jail?: string;
  container?: string;
  runtime: string;
  context?: string;
  host?: string;
  logPath?: string;
  log?: string;
  configDir?: string;
  format: 'text' | 'json';
  fail2banVersion?: Fail2banVersion;
  dmsVersion?: DmsVersion;
  files: string[];
}

function parseArgs(argv: string[]): TestJailArgs {
  const args: TestJailArgs = { runtime: 'docker', format: 'text', files: [] };
  const positional: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--') {
      positional.push(...argv.slice(index + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const value = (): string => {
      if (equals > 0) return arg.slice(equals + 1);
      const next = argv[++index];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--container': args.container = value(); break;
      case '--runtime': args.runtime = value(); break;
      case '--context': args.context = value(); break;
      case '--host': args.host = value(); break;
      case '--log-path': args.logPath = value(); break;
      case '--log': args.log = value(); break;
      case '--fail2ban-config': args.configDir = value(); break;
      case '--format': {
        const format = value();
        if (format !== 'text' && format !== 'json') throw new UsageError(`invalid value '${format}' for --format (expected text, json)`);
        args.format = format;
        break;
      }
      case '--fail2ban-version': {
        const version = value();
        if (!(FAIL2BAN_VERSIONS as readonly string[]).includes(version)) throw new UsageError(`invalid value '${version}' for --fail2ban-version (expected ${FAIL2BAN_VERSIONS.join(', ')})`);
        args.fail2banVersion = version as Fail2banVersion;
        break;
      }
      case '--dms-version': {
        const version = value();
        if (!(DMS_VERSIONS as readonly string[]).includes(version)) throw new UsageError(`invalid value '${version}' for --dms-version (expected ${DMS_VERSIONS.join(', ')})`);
        args.dmsVersion = version as DmsVersion;
        break;
      }
      default:
        throw new UsageError(`unknown option '${flag}'`);
    }
  }
  [args.jail, ...args.files] = positional;
  if (!args.jail) throw new UsageError('test-jail needs a JAIL name');
  if (args.container !== undefined && args.log !== undefined && args.logPath !== undefined) {
    throw new UsageError('give --log FILE (a local file streamed in) or --log-path PATH (in the container), not both');
  }
  if (args.container === undefined && args.log === undefined) throw new UsageError('test-jail needs --container NAME or --log FILE');
  if (args.container === undefined && (args.logPath !== undefined || args.context !== undefined || args.host !== undefined)) {
    throw new UsageError('--log-path, --context and --host only apply with --container');
  }
  return args;
}

/** The user's jail file among FILE…: a file, or a folder holding fail2ban-jail.cf / jail.local. */
function userJailFile(files: string[]): { path: string; kind: FileKind } | undefined {
  const candidates: { path: string; kind: FileKind }[] = [];
  for (const file of files) {
    let isFolder = false;
    try {
      isFolder = statSync(file).isDirectory();
    } catch (error) {
      throw new UsageError(`cannot read '${file}': ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const paths = isFolder ? ['fail2ban-jail.cf', 'jail.local'].map((name) => join(file, name)).filter((path) => { try { return statSync(path).isFile(); } catch { return false; } }) : [file];
    for (const path of paths) {
      const kind = detectFileKind(path) ?? 'jail';
      if (kind === 'dms-jail' || kind === 'jail') candidates.push({ path, kind });
    }
  }
  if (candidates.length > 1) throw new UsageError(`give one jail file, not ${candidates.map((c) => c.path).join(', ')}`);
  return candidates[0];
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text + ' '.repeat(width - text.length);
}

const MAX_TEXT_ROWS = 50;

export function formatReportText(report: JailTestReport): string {
  const where = report.source.uploaded ? `${report.source.logPath} (streamed into ${report.source.container}, fail2ban-regex in the container)` : report.source.where === 'container' ? `${report.source.container}:${report.source.logPath} (fail2ban-regex in the container)` : `${report.source.logPath} (local fail2ban-regex)`;
  const out: string[] = [];
  out.push(`[${report.jail}] tested against ${where}`);
  out.push(`Lines: ${report.lines} read, ${report.matched} matched, ${report.ignored} ignored, ${report.missed} missed; ${report.failures} failure(s) from ${report.ips.length} address(es)`);
  out.push(`Bans after ${report.maxretry} failure(s) within findtime ${formatDuration(report.findtimeSeconds)} (${report.findtimeSeconds} s); ignoreip: ${report.ignoreip.join(' ') || '(none)'}`);
  out.push(report.wouldBan.length ? `Would ban ${report.wouldBan.length}: ${report.wouldBan.join(', ')}` : 'Would ban: nobody');
  if (report.actualBans) {
    out.push(report.actualBans.length
      ? `fail2ban banned ${report.actualBans.length} in that period: ${report.actualBans.map((ban) => `${ban.ip} (${ban.at})`).join(', ')}`
      : `fail2ban banned nobody in [${report.jail}] in that period (${report.fail2banLog?.path ?? 'its log'})`);
  }
  if (report.ips.length > 0) {
    out.push('');
    out.push(`${pad('address', 40)}${pad('failures', 10)}${pad('first', 21)}${pad('last', 21)}would ban`);
    for (const ip of report.ips.slice(0, MAX_TEXT_ROWS)) {
      const verdict = ip.ignoredBy ? `no (ignoreip ${ip.ignoredBy})` : ip.wouldBan ? `yes, at ${ip.wouldBanAt}` : 'no';
      out.push(`${pad(ip.ip, 40)}${pad(String(ip.failures), 10)}${pad(ip.first, 21)}${pad(ip.last, 21)}${verdict}`);
    }
    if (report.ips.length > MAX_TEXT_ROWS) out.push(`… ${report.ips.length - MAX_TEXT_ROWS} more (--format json lists all)`);
  }
  if (report.missedSamples.length > 0 && report.matched === 0) {
    out.push('', 'Some missed lines:', ...report.missedSamples.slice(0, 5).map((line) => `  ${line}`));
  }
  if (report.warnings.length > 0) {
    out.push('', 'Warnings:', ...report.warnings.map((w) => `  ! ${w.message}`));
  }
  return `${out.join('\n')}\n`;
}

export function formatReportJson(report: JailTestReport): string {
  // the timeline is for the VS Code chart; the CLI's JSON stays small and stable
  const { timeline: _timeline, ...rest } = report;
  return `${JSON.stringify(rest, null, 2)}\n`;
}

export async function runTestJail(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: TestJailArgs;
  let text = '';
  let kind: FileKind = 'dms-jail';
  try {
    args = parseArgs(argv);
    const file = userJailFile(args.files);
    if (file) {
      text = readFileSync(file.path, 'utf8');
      kind = file.kind;
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`dms-fail2ban: ${error.message}\nRun 'dms-fail2ban --help' for usage.\n`);
    return 2;
  }
  const context = buildContextFromText(text, {
    kind,
    ...(args.fail2banVersion ? { fail2banVersion: args.fail2banVersion } : {}),
    ...(args.dmsVersion ? { dmsVersion: args.dmsVersion } : {}),
  });
  const docker = args.container !== undefined
    ? { runtime: args.runtime, container: args.container, ...(args.context ? { context: args.context } : {}), ...(args.host ? { host: args.host } : {}) }
    : undefined;
  const target: LabTarget = docker && args.log !== undefined
    ? { kind: 'upload', docker, source: { file: args.log }, label: args.log }
    : docker
    ? {
        kind: 'container',
        docker,
        ...(args.logPath ? { logPath: args.logPath } : {}),
      }
    : { kind: 'local', logPath: args.log ?? '', ...(args.configDir ? { configDir: args.configDir } : {}) };
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    const outcome = await runJailTest({ context, jail: args.jail ?? '', target, env, signal: controller.signal });
    if (!outcome.ok) {
      io.err(`dms-fail2ban: ${outcome.message}\n`);
      return outcome.kind === 'usage' ? 2 : outcome.kind === 'cancelled' ? 130 : 3;
    }
    io.out(args.format === 'json' ? formatReportJson(outcome.report) : formatReportText(outcome.report));
    return outcome.report.warnings.some((w) => w.code.startsWith('lockout-')) ? 1 : 0;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}
