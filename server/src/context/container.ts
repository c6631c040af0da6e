// The running container as the context's source: its /etc/fail2ban files replace the modelled release's, its
// fail2ban version (when modelled) decides the version rules, its filter.d/action.d names and log files decide what
// exists. The user's own file never comes from here (the editor has the text being edited).
import { dmsVersionOfImage } from '../knowledge/dms';
import { FAIL2BAN_VERSIONS, type DmsVersion, type Fail2banVersion, type FileKind } from '../types';
import type { ContainerContext } from '../shared/protocol';
import type { Layer } from './types';

const CONFIG_DIR = '/etc/fail2ban';

export interface ContainerVersions {
  /** The container's fail2ban version when it is one we model. */
  fail2banVersion?: Fail2banVersion;
  /** The modelled DMS release line the container's DMS_RELEASE belongs to. */
  dmsVersion?: DmsVersion;
  /** What the container runs that we do not model (said once; its files are used anyway). */
  unmodelled: string[];
}

export function containerVersions(container: ContainerContext): ContainerVersions {
  const unmodelled: string[] = [];
  const f2b = container.fail2banVersion?.trim();
  const fail2banVersion = FAIL2BAN_VERSIONS.find((version) => version === f2b);
  if (f2b && !fail2banVersion) unmodelled.push(`fail2ban ${f2b}`);
  const release = container.dmsRelease?.trim();
  const dmsVersion = release ? dmsVersionOfImage(release) : undefined;
  if (release && !dmsVersion) unmodelled.push(`DMS ${release}`);
  return { ...(fail2banVersion ? { fail2banVersion } : {}), ...(dmsVersion ? { dmsVersion } : {}), unmodelled };
}

/** "container mailserver: DMS v16.0.0, fail2ban 1.1.1". */
export function containerSummary(container: ContainerContext): string {
  const parts = [container.dmsRelease ? `DMS ${container.dmsRelease}` : 'DMS release unknown', `fail2ban ${container.fail2banVersion ?? 'version unknown'}`];
  return `container ${container.container}: ${parts.join(', ')}`;
}

const serials = new WeakMap<ContainerContext, number>();
let nextSerial = 1;

/** A cache key part that changes with the container context object (the server replaces it on every new read). */
export function containerKey(container: ContainerContext | undefined): string {
  if (!container) return '';
  let serial = serials.get(container);
  if (serial === undefined) serials.set(container, (serial = nextSerial++));
  return `container#${serial}`;
}

function isJailFile(relative: string): boolean {
  return relative === 'jail.conf' || relative === 'jail.local' || /^jail\.d\/[^/]+$/.test(relative) || /^paths-[^/]+\.(conf|local)$/.test(relative);
}

function isServerFile(relative: string): boolean {
  return relative === 'fail2ban.conf' || relative === 'fail2ban.local' || /^fail2ban\.d\/[^/]+$/.test(relative);
}

/** fail2ban's own files (origin 'stock'); everything else in the tree is DMS's or the admin's ('dms'). */
function originOf(relative: string): Layer['origin'] {
  return relative === 'jail.conf' || relative === 'fail2ban.conf' || /^paths-[^/]+\.conf$/.test(relative) ? 'stock' : 'dms';
}

export interface ContainerTreeFile {
  path: string;
  label: string;
  origin: Layer['origin'];
  text: string;
}

/** The container's files a reader of this kind may read, without the user's own file (`userPath`). */
export function containerTreeFiles(container: ContainerContext, kind: FileKind, userPath: string): ContainerTreeFile[] {
  const jail = kind === 'dms-jail' || kind === 'jail';
  const files: ContainerTreeFile[] = [];
  for (const file of container.files) {
    if (file.path === userPath || !file.path.startsWith(`${CONFIG_DIR}/`)) continue;
    const relative = file.path.slice(CONFIG_DIR.length + 1);
    if (!(jail ? isJailFile(relative) : isServerFile(relative))) continue;
    files.push({ path: file.path, text: file.text, origin: originOf(relative), label: `${relative} (container ${container.container})` });
  }
  return files;
}

/** Names fail2ban finds in filter.d/ or action.d/ (NAME.conf or NAME.local; Python actions keep their `.py`). */
export function containerNames(container: ContainerContext, folder: 'filter' | 'action'): Set<string> {
  const names = new Set<string>();
  for (const file of folder === 'filter' ? container.filterFiles : container.actionFiles) {
    const conf = /^([^.][^/]*)\.(conf|local)$/.exec(file);
    if (conf) names.add(conf[1]);
    else if (folder === 'action' && /^[^.][^/]*\.py$/.test(file)) names.add(file);
  }
  return names;
}

const namesMemo = new WeakMap<ContainerContext, { filter: Set<string>; action: Set<string> }>();

/** containerNames, computed once per container context. */
export function containerHas(container: ContainerContext, folder: 'filter' | 'action', name: string): boolean {
  let memo = namesMemo.get(container);
  if (!memo) namesMemo.set(container, (memo = { filter: containerNames(container, 'filter'), action: containerNames(container, 'action') }));
  return memo[folder].has(name);
}
