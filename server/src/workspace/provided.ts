// Filter and action files the user's workspace adds to DMS's /etc/fail2ban: a compose file's volumes that mount a
// host file or folder into /etc/fail2ban/{filter.d,action.d} (or all of /etc/fail2ban) of the mail server service,
// and folders the user names (setting `dmsFail2ban.extraConfigDirs`, CLI `--extra-config-dir`). Used by the language
// server and the CLI; the engine only receives the names (ProvidedFiles). Only reads files, never runs anything.
import { readFileSync } from 'node:fs';
import { isDirectory, isFile, listFolder } from '../fsProbe';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type * as YamlModule from 'yaml';
import type { ProvidedFiles } from '../types';

/** The YAML library, loaded on the first compose file: a check of a file with no compose file nearby (most CLI runs) never evaluates it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parseYaml = (text: string): unknown => (require('yaml') as typeof YamlModule).parse(text);

/** File names Docker Compose looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES: readonly string[] = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** fail2ban's configuration folder in the DMS image. */
const FAIL2BAN_DIR = '/etc/fail2ban';
type Folder = 'filter.d' | 'action.d';
const FOLDERS: readonly Folder[] = ['filter.d', 'action.d'];

/** Config files fail2ban reads for a filter/action NAME (`.py` only for Python actions, whose name keeps the suffix). */
const CONF_FILE = /^([^.].*)\.(conf|local)$/;

export interface ProvidedOptions {
  /** Folders the search for compose files stops at (workspace folders); default: the file system root. */
  roots?: readonly string[];
  /** Folders laid out like /etc/fail2ban (with filter.d/, action.d/), or a filter.d/ or action.d/ folder itself. */
  extraConfigDirs?: readonly string[];
}

interface Found {
  filters: Set<string>;
  actions: Set<string>;
}

/** NAME of `NAME.conf`/`NAME.local` (and `NAME.py` for actions: fail2ban's Python actions are named with `.py`). */
function nameOf(fileName: string, folder: Folder): string | undefined {
  const conf = CONF_FILE.exec(fileName);
  if (conf) return conf[1];
  return folder === 'action.d' && /^[^.].*\.py$/.test(fileName) ? fileName : undefined;
}

function add(found: Found, folder: Folder, name: string): void {
  (folder === 'filter.d' ? found.filters : found.actions).add(name);
}

/** Names provided by a host folder mounted as `folder` (filter.d or action.d). */
function addFolder(found: Found, hostFolder: string, folder: Folder): void {
  for (const entry of listFolder(hostFolder)) {
    const name = nameOf(entry, folder);
    if (name !== undefined && isFile(join(hostFolder, entry))) add(found, folder, name);
  }
}

/** A host path mounted at `target` inside the container: what it adds to filter.d/action.d. */
function addMount(found: Found, hostPath: string, target: string): void {
  const normalized = target.replace(/\/+$/, '').replace(/\/+/g, '/');
  if (normalized === FAIL2BAN_DIR) {
    for (const folder of FOLDERS) addFolder(found, join(hostPath, folder), folder);
    return;
  }
  for (const folder of FOLDERS) {
    const folderPath = `${FAIL2BAN_DIR}/${folder}`;
    if (normalized === folderPath) addFolder(found, hostPath, folder);
    else if (dirname(normalized) === folderPath) {
      const name = nameOf(basename(normalized), folder);
      if (name !== undefined && isFile(hostPath)) add(found, folder, name);
    }
  }
}

/** A folder named by the user: laid out like /etc/fail2ban, or itself a filter.d/ or action.d/ folder. */
function addExtraDir(found: Found, dir: string): void {
  const own = basename(dir.replace(/\/+$/, '')) as Folder;
  if (FOLDERS.includes(own)) addFolder(found, dir, own);
  for (const folder of FOLDERS) addFolder(found, join(dir, folder), folder);
}

/** Compose files next to `start` or in a folder above it, up to (and including) the nearest root. */
export function findComposeFiles(start: string, roots: readonly string[] = []): string[] {
  const resolvedRoots = roots.map((root) => resolve(root));
  const files: string[] = [];
  let folder = resolve(start);
  for (;;) {
    for (const name of COMPOSE_FILE_NAMES) {
      const path = join(folder, name);
      if (isFile(path)) files.push(path);
    }
    const parent = dirname(folder);
    if (parent === folder || resolvedRoots.includes(folder)) break;
    folder = parent;
  }
  return files;
}

interface Volume {
  source: string;
  target: string;
}

/** Bind mounts of a service's `volumes` (short `src:dst[:mode]` and long `{type: bind, source, target}` syntax). */
function bindMounts(volumes: unknown): Volume[] {
  if (!Array.isArray(volumes)) return [];
  const mounts: Volume[] = [];
  for (const volume of volumes) {
    if (typeof volume === 'string') {
      const [source, target] = volume.split(':');
      if (source && target) mounts.push({ source, target });
    } else if (volume !== null && typeof volume === 'object') {
      const { type, source, target } = volume as Record<string, unknown>;
      if ((type === undefined || type === 'bind') && typeof source === 'string' && typeof target === 'string') mounts.push({ source, target });
    }
  }
  // named volumes (no path) and variables Compose would substitute cannot be followed
  return mounts.filter((m) => /^[./~]/.test(m.source) && !m.source.includes('$'));
}

/** Is this compose service docker-mailserver? Its image, or DMS's config mount point. */
function isMailServer(service: Record<string, unknown>): boolean {
  if (typeof service.image === 'string' && /docker-mailserver/i.test(service.image)) return true;
  return bindMounts(service.volumes).some((m) => m.target.replace(/\/+$/, '') === '/tmp/docker-mailserver');
}

function hostPathOf(source: string, composeDir: string): string {
  if (source.startsWith('~/') && process.env.HOME) return join(process.env.HOME, source.slice(2));
  return isAbsolute(source) ? source : resolve(composeDir, source);
}

/** Reads one compose file (unreadable or invalid YAML: nothing). */
function addCompose(found: Found, composeFile: string): void {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(composeFile, 'utf8'));
  } catch {
    return;
  }
  const services = (document as { services?: unknown } | null)?.services;
  if (services === null || typeof services !== 'object') return;
  for (const service of Object.values(services as Record<string, unknown>)) {
    if (service === null || typeof service !== 'object' || !isMailServer(service as Record<string, unknown>)) continue;
    for (const mount of bindMounts((service as Record<string, unknown>).volumes)) {
      if (!mount.target.startsWith(FAIL2BAN_DIR)) continue;
      addMount(found, hostPathOf(mount.source, dirname(composeFile)), mount.target);
    }
  }
}

/**
 * Filters and actions the workspace provides for the config file at `filePath` (DMS's config folder holds it):
 * compose files next to or above it, and the extra folders.
 */
export function providedFiles(filePath: string, options: ProvidedOptions = {}): ProvidedFiles {
  const found: Found = { filters: new Set(), actions: new Set() };
  for (const composeFile of findComposeFiles(dirname(filePath), options.roots)) addCompose(found, composeFile);
  for (const dir of options.extraConfigDirs ?? []) if (isDirectory(dir)) addExtraDir(found, dir);
  return { filters: [...found.filters].sort(), actions: [...found.actions].sort() };
}
