// Reads the running mail server's fail2ban context with four read-only calls every DMS image supports (no shell,
// nothing written), in two round trips: `docker inspect` (running? started when? DMS_RELEASE from the image's
// environment), `fail2ban-client -V` and one `ls` over the folders in parallel, then one `grep -H` that prints every
// config file fail2ban reads. Every file name docker prints is checked before it becomes an argument.
import type { ContainerContext, ContainerFile } from '../../../server/src/shared';
import { classifyRun, type DockerFailure } from './errors';
import { t } from '../l10n';
import { isValidContainerName, quoteForNote, skippedNameNote } from './names';
import { runInContainer, runRuntime, type OutputSink, type RunResult, type RuntimeTarget } from './runner';

const CONFIG_DIR = '/etc/fail2ban';
const CONFIG_SUBDIRS = ['filter.d', 'action.d', 'jail.d', 'fail2ban.d'] as const;
const LOG_DIRS = ['/var/log', '/var/log/mail', '/var/log/supervisor'] as const;
/** A file name that may become a docker argument: no leading '-', no space, ':', '/', quote or control character. */
const SAFE_FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$/;
const MAX_NAME_LENGTH = 200;
/** More config files than any real tree holds (a hostile listing must not grow the command line without bound). */
const MAX_CONFIG_FILES = 400;
/** fail2ban reads NAME.conf and NAME.local only. */
const CONFIG_FILE = /\.(conf|local)$/;
/** Root files fail2ban's readers open (jail.conf's [INCLUDES] names paths-*.conf; fail2ban.conf, fail2ban.local). */
const ROOT_FILE = /^(jail|fail2ban)\.(conf|local)$|^paths-[^/]+\.(conf|local)$/;

export interface LiveContextReadOptions {
  timeoutMs: number;
  env?: Record<string, string | undefined>;
  /** Command lines and short results go here; file contents are not logged (they would flood the channel). */
  sink?: OutputSink;
}

export type LiveContextRead =
  | { ok: true; context: ContainerContext; notes: string[] }
  /** `reason`: why the modelled context stays in force, for the status bar and the CLI. */
  | { ok: false; reason: string; failure?: DockerFailure };

interface Listing {
  /** folder → entries (directories end with '/') */
  folders: Map<string, string[]>;
  skipped: string[];
}

/** Parses `ls -1pA DIR…` (several folders: a `DIR:` header before each block); unsafe names are skipped with a note. */
export function parseListing(stdout: string, folders: readonly string[]): Listing {
  const result: Listing = { folders: new Map(), skipped: [] };
  let current: string[] | undefined;
  for (const line of stdout.split('\n')) {
    const header = /^(\/[^:]*):$/.exec(line);
    if (header && folders.includes(header[1])) {
      current = [];
      result.folders.set(header[1], current);
      continue;
    }
    if (line === '' || !current) continue;
    const name = line.endsWith('/') ? line.slice(0, -1) : line;
    if (name.length > MAX_NAME_LENGTH || !SAFE_FILE_NAME.test(name)) result.skipped.push(skippedFileNote(line));
    else current.push(line);
  }
  return result;
}

function skippedFileNote(name: string): string {
  return t('Skipped the container name {0} from {1}: not a plain file name, so it is never passed to docker.', quoteForNote(name), t('the container listing'));
}

/** Splits `grep -H -e '' FILE…` output back into files: each line is `PATH:text`, PATH one of those asked for. */
export function parseGrepOutput(stdout: string, paths: readonly string[]): ContainerFile[] {
  const lines = new Map<string, string[]>(paths.map((path) => [path, []]));
  // longest first: no asked path is a prefix of another followed by ':' (names hold no ':'), but keep it exact
  const byLength = [...paths].sort((a, b) => b.length - a.length);
  const body = stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout;
  if (body !== '') {
    for (const line of body.split('\n')) {
      const path = byLength.find((candidate) => line.startsWith(`${candidate}:`));
      if (path) lines.get(path)?.push(line.slice(path.length + 1));
    }
  }
  // an empty file prints nothing: it is still there, and empty
  return paths.map((path) => ({ path, text: (lines.get(path) ?? []).map((line) => `${line}\n`).join('') }));
}

/** `1.1.1` from `fail2ban-client -V` (newer clients may add a line; the first version-looking word counts). */
export function parseFail2banVersion(stdout: string): string | undefined {
  return /(?:^|\s|v)(\d+\.\d+(?:\.\d+)?(?:\.dev\d*)?)\b/.exec(stdout)?.[1];
}

/** `v16.0.0` / `edge` from the DMS_RELEASE value, or undefined when unset or not a release name. */
export function parseDmsRelease(value: string | undefined): string | undefined {
  const text = (value ?? '').trim();
  return /^(v?\d+\.\d+\.\d+[\w.-]*|edge|latest)$/.test(text) ? text : undefined;
}

/** DMS's Dockerfile sets ENV DMS_RELEASE: its value from inspect's `{{json .Config.Env}}` (undefined when absent). */
export function releaseFromEnv(json: string | undefined): string | undefined {
  try {
    const env: unknown = JSON.parse(json ?? '');
    if (!Array.isArray(env)) return undefined;
    const entry = env.find((item): item is string => typeof item === 'string' && item.startsWith('DMS_RELEASE='));
    return parseDmsRelease(entry?.slice('DMS_RELEASE='.length));
  } catch {
    return undefined;
  }
}

function failureReason(result: RunResult, runtime: string, container: string, timeoutMs: number): DockerFailure | undefined {
  return classifyRun(result, { runtime, container, timeoutMs });
}

export async function readContainerContext(target: RuntimeTarget, container: string, options: LiveContextReadOptions): Promise<LiveContextRead> {
  if (!isValidContainerName(container)) return { ok: false, reason: skippedNameNote(container, t('the settings')) };
  const run = { timeoutMs: options.timeoutMs, env: options.env, sink: options.sink };
  const folders = [CONFIG_DIR, ...CONFIG_SUBDIRS.map((dir) => `${CONFIG_DIR}/${dir}`), ...LOG_DIRS];
  // one round trip: the exec calls are read-only, so they may run before inspect has said the container runs
  const [inspect, version, listing] = await Promise.all([
    runRuntime(target, ['inspect', '--format', '{{.State.Running}}\t{{.State.StartedAt}}\t{{json .Config.Env}}', container], run),
    runInContainer(target, container, ['fail2ban-client', '-V'], run),
    // ls exits 2 when a folder is missing (e.g. /var/log/supervisor): the others are still listed
    runInContainer(target, container, ['ls', '-1pA', '--', ...folders], run),
  ]);
  const inspectFailure = failureReason(inspect, target.runtime, container, options.timeoutMs);
  if (inspectFailure) return { ok: false, reason: inspectFailure.message, failure: inspectFailure };
  const [running, startedAt, env] = inspect.stdout.trim().split('\t');
  if (running === 'false') return { ok: false, reason: t("The container '{0}' is not running.", container) };
  if (running !== 'true' || !startedAt || !/^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(startedAt)) {
    return { ok: false, reason: t("Unexpected output from {0} inspect for '{1}'.", target.runtime, container) };
  }
  for (const result of [version, listing]) {
    const failure = failureReason(result, target.runtime, container, options.timeoutMs);
    // ls exits 2 for a missing folder: only docker's own failures count here
    if (failure && failure.kind !== 'unexpected-output') return { ok: false, reason: failure.message, failure };
  }
  const listed = parseListing(listing.stdout, folders);
  const root = listed.folders.get(CONFIG_DIR);
  if (!root || !root.some((name) => name === 'jail.conf' || name === 'fail2ban.conf')) {
    return { ok: false, reason: t("No fail2ban configuration found in '{0}' ({1} could not be listed).", container, CONFIG_DIR) };
  }
  const files = (folder: string) => (listed.folders.get(folder) ?? []).filter((name) => !name.endsWith('/'));
  const configPaths = [
    ...files(CONFIG_DIR).filter((name) => ROOT_FILE.test(name)).map((name) => `${CONFIG_DIR}/${name}`),
    ...['jail.d', 'fail2ban.d'].flatMap((dir) => files(`${CONFIG_DIR}/${dir}`).filter((name) => CONFIG_FILE.test(name)).map((name) => `${CONFIG_DIR}/${dir}/${name}`)),
  ].slice(0, MAX_CONFIG_FILES);
  const notes = [...listed.skipped];
  // one call prints every file, each line prefixed with its path; file contents are not logged
  const grep = await runInContainer(target, container, ['grep', '-aH', '-e', '', '--', ...configPaths], { ...run, sink: undefined });
  options.sink?.appendLine(`$ ${target.runtime} exec ${container} grep -aH -e '' -- <${configPaths.length} files> → ${grep.timedOut ? 'timed out' : `exit ${grep.exitCode}`}`);
  const grepFailure = failureReason(grep, target.runtime, container, options.timeoutMs);
  if (grepFailure && grepFailure.kind !== 'unexpected-output') return { ok: false, reason: grepFailure.message, failure: grepFailure };
  if (grep.exitCode !== 0 && grep.exitCode !== 1) {
    return { ok: false, reason: t("The fail2ban configuration files of '{0}' could not be read (grep exited with {1}).", container, String(grep.exitCode)) };
  }

  const fail2banVersion = parseFail2banVersion(version.stdout);
  if (!fail2banVersion) notes.push(t("fail2ban-client -V in '{0}' printed no version.", container));
  const dmsRelease = releaseFromEnv(env);
  const logFiles = LOG_DIRS.flatMap((dir) => files(dir).map((name) => `${dir}/${name}`));
  return {
    ok: true,
    context: {
      container,
      startedAt,
      ...(dmsRelease ? { dmsRelease } : {}),
      ...(fail2banVersion ? { fail2banVersion } : {}),
      files: parseGrepOutput(grep.stdout, configPaths),
      filterFiles: files(`${CONFIG_DIR}/filter.d`),
      actionFiles: files(`${CONFIG_DIR}/action.d`),
      logFiles,
    },
    notes,
  };
}

/** `docker inspect` .State.StartedAt alone: the cheap check whether a cached context is still the container's. */
export async function containerStartedAt(target: RuntimeTarget, container: string, options: LiveContextReadOptions): Promise<string | undefined> {
  if (!isValidContainerName(container)) return undefined;
  const result = await runRuntime(target, ['inspect', '--format', '{{.State.StartedAt}}', container], options);
  if (failureReason(result, target.runtime, container, options.timeoutMs)) return undefined;
  const value = result.stdout.trim();
  return /^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(value) ? value : undefined;
}
