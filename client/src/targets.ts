// Turns the extension settings into the list of mail servers the Fail2Ban view shows.
// Pure (no `vscode` import): names that reach the container CLI are validated here, so a setting can
// never smuggle an option (`--privileged`, `-v…`) or a second command into an argument array.
import { cleanLabel } from './docker/controlText';
import { t } from './l10n';
import { isValidContainerName, quoteForNote } from './docker/names';
import type { RuntimeTarget } from './docker/runner';

export interface ServerSetting {
  name?: string;
  context?: string;
  host?: string;
  container?: string;
}

export interface ClientSettings {
  containerRuntime: string;
  container: string;
  dockerContext: string;
  dockerHost: string;
  /** dmsFail2ban.servers as found in the settings: each entry is checked by resolveServers. */
  servers: readonly unknown[];
  commandTimeoutSeconds: number;
  confirmActions: boolean;
  autoRefreshSeconds: number;
}

export const DEFAULT_SETTINGS: ClientSettings = {
  containerRuntime: 'docker',
  container: '',
  dockerContext: '',
  dockerHost: '',
  servers: [],
  commandTimeoutSeconds: 30,
  confirmActions: true,
  autoRefreshSeconds: 60,
};

export interface ServerTarget {
  /** Stable key for remembered choices: derived from the connection, not the label. */
  id: string;
  label: string;
  target: RuntimeTarget;
  /** Configured container; undefined = detect. */
  container?: string;
}

const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;
/** A daemon address: a scheme URL or a socket path; no whitespace, never an option. */
const HOST_ADDRESS = /^(?:[a-z][a-z0-9+.-]*:\/\/\S+|\/\S+)$/i;

export { isValidContainerName };

export interface ResolvedServers {
  servers: ServerTarget[];
  /** Settings that were ignored, with the reason. */
  problems: string[];
}

export function resolveServers(settings: ClientSettings): ResolvedServers {
  const problems: string[] = [];
  const runtimeSetting: unknown = settings.containerRuntime;
  if (typeof runtimeSetting !== 'string') {
    return { servers: [], problems: [t('dmsFail2ban.containerRuntime is {0}, not an executable name or path.', describeValue(runtimeSetting))] };
  }
  const runtime = runtimeSetting.trim() || 'docker';
  if (runtime.startsWith('-') || /[\x00-\x1f\x7f-\x9f]/.test(runtime)) {
    return { servers: [], problems: [t('dmsFail2ban.containerRuntime {0} is not an executable name or path.', quoteForNote(runtime))] };
  }
  const list: readonly unknown[] = Array.isArray(settings.servers) ? settings.servers : [];
  const entries: Array<{ setting: unknown; where: string }> =
    list.length > 0
      ? list.map((setting, index) => ({ setting, where: `dmsFail2ban.servers[${index}]` }))
      : [{ setting: { context: settings.dockerContext, host: settings.dockerHost, container: settings.container }, where: 'dmsFail2ban' }];

  const servers: ServerTarget[] = [];
  for (const { setting: raw, where } of entries) {
    const setting = checkEntry(raw, where, problems);
    if (!setting) continue;
    const context = clean(setting.context);
    const host = clean(setting.host);
    const container = clean(setting.container);
    if (context && !CONTEXT_NAME.test(context)) {
      problems.push(t('{0}: context {1} is not a valid context name.', where, quoteForNote(context)));
      continue;
    }
    if (host && !HOST_ADDRESS.test(host)) {
      problems.push(t('{0}: host {1} is not a daemon address such as ssh://user@host or tcp://host:2376.', where, quoteForNote(host)));
      continue;
    }
    if (container && !isValidContainerName(container)) {
      problems.push(t('{0}: container {1} is not a valid container name.', where, quoteForNote(container)));
      continue;
    }
    const id = context ? `context:${context}` : host ? `host:${host}` : 'local';
    if (servers.some((server) => server.id === id)) {
      problems.push(
        context
          ? t('{0}: a server with the same context is already listed.', where)
          : host
            ? t('{0}: a server with the same host is already listed.', where)
            : t('{0}: a server with the same local daemon is already listed.', where),
      );
      continue;
    }
    const label = cleanLabel(clean(setting.name) ?? context ?? host ?? 'Local');
    servers.push({ id, label, target: { runtime, context, host }, container });
  }
  return { servers, problems };
}

/** How a value looks, for a message: `the number 5`, `a list`, `the text "30"`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return t('a list');
  switch (typeof value) {
    case 'string':
      return t('the text {0}', JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value));
    case 'number':
      return t('the number {0}', String(value));
    case 'boolean':
      return t('the boolean {0}', String(value));
    case 'object':
      return t('an object');
    default:
      return typeof value;
  }
}

const SERVER_FIELDS = ['name', 'context', 'host', 'container'] as const;

/** An entry of dmsFail2ban.servers as a ServerSetting, or undefined (with a problem) when it is not one. */
function checkEntry(raw: unknown, where: string, problems: string[]): ServerSetting | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(t('{0} is {1}, not an object with name, context, host and container; skipped.', where, describeValue(raw)));
    return undefined;
  }
  const entry = raw as Record<string, unknown>;
  for (const field of SERVER_FIELDS) {
    const value = entry[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      problems.push(t('{0}.{1} is {2}, not a text; this server is skipped.', where, field, describeValue(value)));
      return undefined;
    }
  }
  const text = (field: (typeof SERVER_FIELDS)[number]) => (typeof entry[field] === 'string' ? (entry[field] as string) : undefined);
  return { name: text('name'), context: text('context'), host: text('host'), container: text('container') };
}

function clean(value: unknown): string | undefined {
  const trimmed = typeof value === 'string' ? value.trim() : undefined;
  return trimmed ? trimmed : undefined;
}
