// What the jail lab reads from (or briefly puts into) the mail server container, always with argument
// arrays through `docker exec` (run.ts's streamProcess, never a shell): fail2ban's own log, the ban times
// fail2ban reports, the lines of a log that mention an address, and a local log streamed in with
// `docker exec -i … tee` as a temporary file that is removed afterwards.
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { BanLogReader, banActivity, parseBanTimes, type BanActivity, type BanTime } from './fail2banLog';
import { globalDockerArgs, streamProcess, validateContainerPath, validateDockerTarget, type DockerTarget } from './run';

/** Where DMS's fail2ban writes its log: v12.1.0 and later, then the stock path (DMS v12.0; a symlink later). */
export const FAIL2BAN_LOG_PATHS = ['/var/log/mail/fail2ban.log', '/var/log/fail2ban.log'] as const;

/** A local log streamed into the container is cut here (the container's /tmp is no place for more). */
export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

const JAIL_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const ADDRESS = /^[0-9A-Fa-f:.]{2,45}(?:\/\d{1,3})?$/;

function exec(target: DockerTarget, command: string[]): string[] {
  return [...globalDockerArgs(target), 'exec', target.container, ...command];
}

export interface Fail2banLogRead {
  reader: BanLogReader;
  path: string;
}

/** Streams fail2ban's log out of the container; undefined when no known log file can be read. */
export async function readFail2banLog(target: DockerTarget, env: NodeJS.ProcessEnv | undefined, signal?: AbortSignal, focusIp?: string): Promise<Fail2banLogRead | undefined> {
  if (validateDockerTarget(target)) return undefined;
  for (const path of FAIL2BAN_LOG_PATHS) {
    const reader = new BanLogReader(focusIp);
    const result = await streamProcess(target.runtime, exec(target, ['cat', path]), env, (line, stream) => {
      if (stream === 'out') reader.push(line);
    }, signal);
    if (result.cancelled) return undefined;
    if (result.exitCode === 0) return { reader, path };
  }
  return undefined;
}

/** `fail2ban-client get JAIL banip --with-time` (fail2ban 0.11 and later). */
export async function readBanTimes(target: DockerTarget, jail: string, env: NodeJS.ProcessEnv | undefined, signal?: AbortSignal): Promise<BanTime[] | undefined> {
  if (validateDockerTarget(target) || !JAIL_NAME.test(jail)) return undefined;
  const out: string[] = [];
  const result = await streamProcess(target.runtime, exec(target, ['fail2ban-client', 'get', jail, 'banip', '--with-time']), env, (line, stream) => {
    if (stream === 'out' && out.length < 100_000) out.push(line);
  }, signal);
  return result.exitCode === 0 ? parseBanTimes(out.join('\n')) : undefined;
}

export interface LogLineHit {
  /** 1-based line number in the log. */
  line: number;
  text: string;
}

/** Lines of a container log that mention the address (as a whole word), with their numbers; at most `max`. */
export async function grepAddress(target: DockerTarget, logPath: string, address: string, max: number, env: NodeJS.ProcessEnv | undefined, signal?: AbortSignal): Promise<LogLineHit[] | undefined> {
  if (validateDockerTarget(target) || validateContainerPath(logPath) || !ADDRESS.test(address)) return undefined;
  const hits: LogLineHit[] = [];
  const result = await streamProcess(target.runtime, exec(target, ['grep', '-n', '-F', '-w', '-m', String(max), '--', address, logPath]), env, (line, stream) => {
    const match = stream === 'out' ? /^(\d+):(.*)$/.exec(line) : null;
    if (match && hits.length < max) hits.push({ line: Number(match[1]), text: match[2] });
  }, signal);
  // grep: 1 = no line matched
  return result.exitCode === 0 || result.exitCode === 1 ? hits : undefined;
}

/** Lines `from`..`to` (1-based, inclusive) of a container log. */
export async function readLogWindow(target: DockerTarget, logPath: string, from: number, to: number, env: NodeJS.ProcessEnv | undefined, signal?: AbortSignal): Promise<string[] | undefined> {
  if (validateDockerTarget(target) || validateContainerPath(logPath) || !(from >= 1 && to >= from)) return undefined;
  const lines: string[] = [];
  const count = to - from + 1;
  // head -n TO | tail -n COUNT without a pipe: tail -n +FROM reads from there, head stops it (we stop reading)
  const result = await streamProcess(target.runtime, exec(target, ['tail', '-n', `+${from}`, logPath]), env, (line, stream) => {
    if (stream === 'out' && lines.length < count) lines.push(line);
  }, signal);
  return result.exitCode === 0 || lines.length === count ? lines : undefined;
}

export type UploadSource = { file: string } | { text: string };

export type Upload = { ok: true; path: string; bytes: number; truncated: boolean } | { ok: false; message: string; cancelled?: boolean };

/**
 * Streams a local file (or an editor's text) into the container as /tmp/dms-fail2ban-lab-<random>.log with
 * `docker exec -i CONTAINER tee PATH` (tee's copy on stdout is discarded). At most MAX_UPLOAD_BYTES.
 */
export async function uploadLog(target: DockerTarget, source: UploadSource, env: NodeJS.ProcessEnv | undefined, signal?: AbortSignal, maxBytes = MAX_UPLOAD_BYTES): Promise<Upload> {
  const invalid = validateDockerTarget(target);
  if (invalid) return { ok: false, message: invalid };
  let size: number;
  let input: NodeJS.ReadableStream;
  if ('file' in source) {
    try {
      const stat = statSync(source.file);
      if (!stat.isFile()) return { ok: false, message: `'${source.file}' is not a file.` };
      size = stat.size;
    } catch (error) {
      return { ok: false, message: `cannot read log '${source.file}': ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    }
    input = createReadStream(source.file, { end: Math.min(size, maxBytes) - 1, highWaterMark: 256 * 1024 });
    if (size === 0) input = Readable.from([]);
  } else {
    const bytes = Buffer.from(source.text, 'utf8');
    size = bytes.length;
    input = Readable.from([bytes.subarray(0, maxBytes)]);
  }
  const path = `/tmp/dms-fail2ban-lab-${randomBytes(8).toString('hex')}.log`;
  const errors: string[] = [];
  const result = await streamProcess(target.runtime, [...globalDockerArgs(target), 'exec', '-i', target.container, 'tee', path], env, (line, stream) => {
    if (stream === 'err' && errors.length < 5) errors.push(line);
  }, signal, input);
  if (result.cancelled || result.exitCode !== 0) {
    await removeFromContainer(target, path, env);
    if (result.cancelled) return { ok: false, message: 'Cancelled.', cancelled: true };
    return { ok: false, message: `Could not stream the log into ${target.container} (exit ${result.exitCode ?? 'signal'}): ${errors.join(' ') || result.spawnError?.message || 'no message'}` };
  }
  return { ok: true, path, bytes: Math.min(size, maxBytes), truncated: size > maxBytes };
}

export async function removeFromContainer(target: DockerTarget, path: string, env: NodeJS.ProcessEnv | undefined): Promise<void> {
  if (!/^\/tmp\/dms-fail2ban-lab-[0-9a-f]{16}\.log$/.test(path)) return;
  await streamProcess(target.runtime, exec(target, ['rm', '-f', path]), env, () => undefined);
}

/** Bans and unbans per jail over time, top addresses and networks, from fail2ban's log in the container. */
export async function readBanActivity(target: DockerTarget, env: NodeJS.ProcessEnv | undefined, signal?: AbortSignal): Promise<{ activity: BanActivity; path: string } | undefined> {
  const read = await readFail2banLog(target, env, signal);
  return read ? { activity: banActivity(read.reader.events, read.reader.lines), path: read.path } : undefined;
}
