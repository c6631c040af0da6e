// The live container context inside the language server: what the client last read from the selected container
// (checked here: it crossed a process boundary), which context is in force, and what to say about it once.
import { containerSummary, containerVersions } from '../context/container';
import { userFilePath } from '../context/sources';
import type { ContainerContext, ContainerFile, ContextStatusResult, LiveContextParams } from '../shared/protocol';
import { DEFAULT_DMS_VERSION, type CheckOptions, type DmsVersion, type FileKind } from '../types';

const MAX_FILES = 2000;
const MAX_TEXT = 4 * 1024 * 1024;

function strings(value: unknown, limit = MAX_FILES): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string').slice(0, limit) : [];
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 200 ? value : undefined;
}

/** A ContainerContext built only from well-formed parts of `raw` (undefined when it is not one at all). */
export function sanitizeContainerContext(raw: unknown): ContainerContext | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const value = raw as Record<string, unknown>;
  const container = optionalString(value.container);
  if (!container || !Array.isArray(value.files)) return undefined;
  let budget = MAX_TEXT;
  const files: ContainerFile[] = [];
  for (const file of value.files.slice(0, MAX_FILES)) {
    const entry = file as Partial<ContainerFile> | null;
    if (!entry || typeof entry.path !== 'string' || typeof entry.text !== 'string' || !entry.path.startsWith('/etc/fail2ban/')) continue;
    budget -= entry.text.length;
    if (budget < 0) break;
    files.push({ path: entry.path, text: entry.text });
  }
  const startedAt = optionalString(value.startedAt);
  const dmsRelease = optionalString(value.dmsRelease);
  const fail2banVersion = optionalString(value.fail2banVersion);
  return {
    container,
    ...(startedAt ? { startedAt } : {}),
    ...(dmsRelease ? { dmsRelease } : {}),
    ...(fail2banVersion ? { fail2banVersion } : {}),
    files,
    filterFiles: strings(value.filterFiles),
    actionFiles: strings(value.actionFiles),
    logFiles: strings(value.logFiles).filter((path) => path.startsWith('/')),
  };
}

/** "modelled: DMS v16 — no container reachable". */
export function modelledSummary(dmsVersion: DmsVersion | undefined, reason: string | undefined): string {
  return `modelled: DMS ${dmsVersion ?? DEFAULT_DMS_VERSION}${reason ? ` — ${reason}` : ''}`;
}

/** Line endings and a final newline aside, is the container's copy of the user's file the text being edited? */
function sameConfigText(a: string, b: string): boolean {
  const normal = (text: string) => text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  return normal(a) === normal(b);
}

/** The running config is not what the user edits: the container's copy of the file differs (undefined when equal or absent). */
export function runningCopyDiffers(container: ContainerContext, kind: FileKind, editedText: string): string | undefined {
  const path = userFilePath(kind);
  const running = container.files.find((file) => file.path === path);
  if (!running || sameConfigText(running.text, editedText)) return undefined;
  return (
    `The container ${container.container} runs a different ${path} than the file you are editing: fail2ban there uses its own copy ` +
    'until you apply this file (Fail2Ban: Apply Config to Running Container).'
  );
}

export class LiveContextStore {
  private context: ContainerContext | undefined;
  private reason: string | undefined = 'no container reachable';
  /** Bumped on every change, so cached diagnostics (pull result ids) change with the context. */
  generation = 0;

  /** Takes the client's notification; true when the context in force changed. */
  update(params: LiveContextParams | undefined): boolean {
    const next = params?.context ? sanitizeContainerContext(params.context) : undefined;
    const reason = next ? undefined : (optionalString(params?.reason) ?? 'no container reachable');
    if (next === undefined && this.context === undefined && reason === this.reason) return false;
    this.context = next;
    this.reason = reason;
    this.generation++;
    return true;
  }

  current(): ContainerContext | undefined {
    return this.context;
  }

  /** The live context when it belongs to `container`. */
  forContainer(container: string | undefined): ContainerContext | undefined {
    return this.context && container !== undefined && container === this.context.container ? this.context : undefined;
  }

  /** The options with the live context in force (unchanged when there is none). */
  apply<T extends CheckOptions>(options: T): T {
    return this.context ? { ...options, container: this.context } : options;
  }

  status(kind: FileKind, dmsVersion: DmsVersion | undefined, editedText?: string): ContextStatusResult {
    const context = this.context;
    if (!context) return { source: 'modelled', summary: modelledSummary(dmsVersion, this.reason), notes: [] };
    const notes: string[] = [];
    const { unmodelled } = containerVersions(context);
    if (unmodelled.length > 0) {
      notes.push(`The container ${context.container} runs ${unmodelled.join(' and ')}, which this extension does not model: its own files are used anyway, version rules follow the nearest modelled release.`);
    }
    const differs = editedText !== undefined && (kind === 'dms-jail' || kind === 'dms-server') ? runningCopyDiffers(context, kind, editedText) : undefined;
    if (differs) notes.push(differs);
    return { source: 'container', summary: containerSummary(context), notes };
  }
}
