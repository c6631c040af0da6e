// Finds running docker-mailserver containers: by the image label DMS sets
// (`org.opencontainers.image.title=docker-mailserver`, DMS Dockerfile), then by the
// conventional name `mailserver` from DMS's compose.yaml.
import { runRuntime, type OutputSink, type RuntimeTarget } from './runner';
import { classifyRun, type DockerFailure } from './errors';
import { cleanLabel } from './controlText';
import { t } from '../l10n';
import { isValidContainerName, skippedNameNote } from './names';

export const DMS_LABEL_FILTER = 'label=org.opencontainers.image.title=docker-mailserver';
export const DEFAULT_CONTAINER_NAME = 'mailserver';
const PS_FORMAT = '{{.Names}}\t{{.Image}}\t{{.Status}}';

export interface ContainerInfo {
  name: string;
  image: string;
  status: string;
}

/** `skipped`: notes about names that are not valid container names (never used, never passed to docker). */
export type ListOutcome = { ok: true; containers: ContainerInfo[]; skipped: string[] } | { ok: false; failure: DockerFailure };

export interface ListOptions {
  timeoutMs: number;
  env?: Record<string, string | undefined>;
  sink?: OutputSink;
  /** Aborting it kills the running docker command (Cancel). */
  signal?: AbortSignal;
}

/**
 * Parses `docker ps --format '{{.Names}}\t{{.Image}}\t{{.Status}}'`. A name docker would not allow (a hostile
 * or broken daemon can print `--env-file=/etc/passwd`) is skipped with a note, so it can never become an argument.
 */
export function parsePsOutput(stdout: string): { containers: ContainerInfo[]; skipped: string[] } {
  const containers: ContainerInfo[] = [];
  const skipped: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const [names = '', image = '', status = ''] = line.split('\t');
    // `.Names` may list several comma-separated names; the first is the one `exec` accepts.
    const name = names.split(',')[0].trim();
    if (name === '') continue;
    if (!isValidContainerName(name)) skipped.push(skippedNameNote(name, 'docker ps'));
    else containers.push({ name, image: cleanLabel(image).trim(), status: cleanLabel(status).trim() });
  }
  return { containers, skipped };
}

async function listRunning(target: RuntimeTarget, filters: string[], options: ListOptions, includeStopped = false): Promise<ListOutcome> {
  const args = ['ps', ...(includeStopped ? ['--all'] : []), ...filters.flatMap((filter) => ['--filter', filter]), '--format', PS_FORMAT];
  // Names are checked as docker printed them: cleaning first would turn `mail<ESC>]0;x<BEL>` into a valid `mail`.
  const result = await runRuntime(target, args, { ...options, keepRawStdout: true });
  const failure = classifyRun(result, { runtime: target.runtime, timeoutMs: options.timeoutMs });
  if (failure) return { ok: false, failure };
  return { ok: true, ...parsePsOutput(result.rawStdout ?? result.stdout) };
}

/** Running containers that carry the DMS image label. */
export function listDmsContainers(target: RuntimeTarget, options: ListOptions): Promise<ListOutcome> {
  return listRunning(target, [DMS_LABEL_FILTER], options);
}

/** `skipped`: notes about invalid names `docker ps` printed (for the output channel). */
export type Detection = (
  | { kind: 'found'; container: ContainerInfo; how: 'label' | 'name' }
  /** Several DMS containers: the user must choose. */
  | { kind: 'several'; containers: ContainerInfo[] }
  | { kind: 'none' }
  | { kind: 'failed'; failure: DockerFailure }
) & { skipped?: string[] };

/**
 * Label first (one match wins, several ask), then a running container named `mailserver`; failing both, a stopped
 * one found the same way (`ps --all`), so the view can say "stopped" and offer Start instead of "not found".
 */
export async function detectDmsContainer(target: RuntimeTarget, options: ListOptions): Promise<Detection> {
  const labelled = await listDmsContainers(target, options);
  if (!labelled.ok) return { kind: 'failed', failure: labelled.failure };
  const skipped = labelled.skipped;
  if (labelled.containers.length === 1) return { kind: 'found', container: labelled.containers[0], how: 'label', skipped };
  if (labelled.containers.length > 1) return { kind: 'several', containers: labelled.containers, skipped };
  const all = await listRunning(target, [], options);
  if (!all.ok) return { kind: 'failed', failure: all.failure, skipped };
  const byName = all.containers.find((container) => container.name === DEFAULT_CONTAINER_NAME);
  const allSkipped = [...skipped, ...all.skipped.filter((note) => !skipped.includes(note))];
  if (byName) return { kind: 'found', container: byName, how: 'name', skipped: allSkipped };
  // nothing running: a stopped (or created) DMS container, so the view can offer to start it
  const labelledStopped = await listRunning(target, [DMS_LABEL_FILTER], options, true);
  if (labelledStopped.ok && labelledStopped.containers.length === 1) return { kind: 'found', container: labelledStopped.containers[0], how: 'label', skipped: allSkipped };
  if (labelledStopped.ok && labelledStopped.containers.length > 1) return { kind: 'several', containers: labelledStopped.containers, skipped: allSkipped };
  const everything = await listRunning(target, [], options, true);
  const stoppedByName = everything.ok ? everything.containers.find((container) => container.name === DEFAULT_CONTAINER_NAME) : undefined;
  return stoppedByName ? { kind: 'found', container: stoppedByName, how: 'name', skipped: allSkipped } : { kind: 'none', skipped: allSkipped };
}

/** True for a `docker ps` status that is not "Up …" (Exited, Created, Dead) — the container must be started. */
export function isStoppedStatus(status: string): boolean {
  return !/^Up\b/i.test(status.trim());
}

/**
 * `docker start NAME` (or `docker unpause NAME` for a paused container): the one write to the daemon the view
 * makes, only after the user confirmed it. The name was validated when it was detected or chosen.
 */
export async function startContainer(
  target: RuntimeTarget,
  name: string,
  paused: boolean,
  options: ListOptions,
): Promise<{ ok: true } | { ok: false; failure: DockerFailure }> {
  if (!isValidContainerName(name)) return { ok: false, failure: { kind: 'invalid-container-name', message: skippedNameNote(name, t('the start request')), actions: ['select-container'], detail: '' } };
  const result = await runRuntime(target, [paused ? 'unpause' : 'start', name], options);
  const failure = classifyRun(result, { runtime: target.runtime, container: name, timeoutMs: options.timeoutMs });
  if (failure) return { ok: false, failure };
  if (result.exitCode !== 0) {
    const said = result.stderr.trim().split('\n')[0] ?? '';
    const message = paused ? t("{0} could not resume '{1}': {2}", target.runtime, name, said) : t("{0} could not start '{1}': {2}", target.runtime, name, said);
    return { ok: false, failure: { kind: 'unexpected-output', message, actions: ['show-output'], detail: result.stderr } };
  }
  return { ok: true };
}
