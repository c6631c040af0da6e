// Turns the extension settings into the list of mail servers the Fail2Ban view shows.
// Pure (no `vscode` import): names that reach the container CLI are validated here, so a setting can
// never smuggle an option (`--privileged`, `-v…`) or a second command into an argument array.
import { isValidContainerName } from './docker/names';
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
  servers: ServerSetting[];
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
  const runtime = settings.containerRuntime.trim() || 'docker';
  if (runtime.startsWith('-') || /[\r\n]/.test(runtime)) {
    return { servers: [], problems: [`dmsFail2ban.containerRuntime '${runtime}' is not an executable name or path.`] };
  }
  const entries: Array<{ setting: ServerSetting; where: string }> =
    settings.servers.length > 0
      ? settings.servers.map((setting, index) => ({ setting, where: `dmsFail2ban.servers[${index}]` }))
      : [{ setting: { context: settings.dockerContext, host: settings.dockerHost, container: settings.container }, where: 'dmsFail2ban' }];

  const servers: ServerTarget[] = [];
  for (const { setting, where } of entries) {
    const context = clean(setting.context);
    const host = clean(setting.host);
    const container = clean(setting.container);
    if (context && !CONTEXT_NAME.test(context)) {
      problems.push(`${where}: context '${context}' is not a valid context name.`);
      continue;
    }
    if (host && !HOST_ADDRESS.test(host)) {
      problems.push(`${where}: host '${host}' is not a daemon address such as ssh://user@host or tcp://host:2376.`);
      continue;
    }
    if (container && !isValidContainerName(container)) {
      problems.push(`${where}: container '${container}' is not a valid container name.`);
      continue;
    }
    const id = context ? `context:${context}` : host ? `host:${host}` : 'local';
    if (servers.some((server) => server.id === id)) {
      problems.push(`${where}: a server with the same ${context ? 'context' : host ? 'host' : 'local daemon'} is already listed.`);
      continue;
    }
    const label = clean(setting.name) ?? context ?? host ?? 'Local';
    servers.push({ id, label, target: { runtime, context, host }, container });
  }
  return { servers, problems };
}

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
