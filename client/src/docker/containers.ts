// Finds running docker-mailserver containers: by the image label DMS sets
// (`org.opencontainers.image.title=docker-mailserver`, dms-fail2ban.md §6), then by the
// conventional name `mailserver` from DMS's compose.yaml.
import { runRuntime, type OutputSink, type RuntimeTarget } from './runner';
import { classifyRun, type DockerFailure } from './errors';

export const DMS_LABEL_FILTER = 'label=org.opencontainers.image.title=docker-mailserver';
export const DEFAULT_CONTAINER_NAME = 'mailserver';
const PS_FORMAT = '{{.Names}}\t{{.Image}}\t{{.Status}}';

export interface ContainerInfo {
  name: string;
  image: string;
  status: string;
}

export type ListOutcome = { ok: true; containers: ContainerInfo[] } | { ok: false; failure: DockerFailure };

export interface ListOptions {
  timeoutMs: number;
  env?: Record<string, string | undefined>;
  sink?: OutputSink;
}

/** Parses `docker ps --format '{{.Names}}\t{{.Image}}\t{{.Status}}'`. */
export function parsePsOutput(stdout: string): ContainerInfo[] {
  const containers: ContainerInfo[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const [names = '', image = '', status = ''] = line.split('\t');
    // `.Names` may list several comma-separated names; the first is the one `exec` accepts.
    const name = names.split(',')[0].trim();
    if (name !== '') containers.push({ name, image: image.trim(), status: status.trim() });
  }
  return containers;
}

async function listRunning(target: RuntimeTarget, filters: string[], options: ListOptions): Promise<ListOutcome> {
  const args = ['ps', ...filters.flatMap((filter) => ['--filter', filter]), '--format', PS_FORMAT];
  const result = await runRuntime(target, args, options);
  const failure = classifyRun(result, { runtime: target.runtime, timeoutMs: options.timeoutMs });
  if (failure) return { ok: false, failure };
  return { ok: true, containers: parsePsOutput(result.stdout) };
}

/** Running containers that carry the DMS image label. */
export function listDmsContainers(target: RuntimeTarget, options: ListOptions): Promise<ListOutcome> {
  return listRunning(target, [DMS_LABEL_FILTER], options);
}

export type Detection =
  | { kind: 'found'; container: ContainerInfo; how: 'label' | 'name' }
  /** Several DMS containers: the user must choose. */
  | { kind: 'several'; containers: ContainerInfo[] }
  | { kind: 'none' }
  | { kind: 'failed'; failure: DockerFailure };

/** Label first (one match wins, several ask), then a running container named `mailserver`. */
export async function detectDmsContainer(target: RuntimeTarget, options: ListOptions): Promise<Detection> {
  const labelled = await listDmsContainers(target, options);
  if (!labelled.ok) return { kind: 'failed', failure: labelled.failure };
  if (labelled.containers.length === 1) return { kind: 'found', container: labelled.containers[0], how: 'label' };
  if (labelled.containers.length > 1) return { kind: 'several', containers: labelled.containers };
  const all = await listRunning(target, [], options);
  if (!all.ok) return { kind: 'failed', failure: all.failure };
  const byName = all.containers.find((container) => container.name === DEFAULT_CONTAINER_NAME);
  return byName ? { kind: 'found', container: byName, how: 'name' } : { kind: 'none' };
}
