// What the workspace's compose file says about fail2ban: `cap_add: NET_ADMIN` and `ENABLE_FAIL2BAN` (in
// `environment`, or in an `env_file` such as DMS's mailserver.env). Read with a real YAML parser (eemeli/yaml),
// so anchors, flow lists and both `environment` forms work. Pure: texts in, facts out, never throws.
import type * as YamlModule from 'yaml';

/**
 * A compose file as YAML (merge keys on); throws on bad YAML. The parser is loaded on first use: activating the
 * extension never evaluates it, only reading a compose file does.
 */
export function parseComposeYaml(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('yaml') as typeof YamlModule).parse(text, { merge: true });
}

/** The compose file names `docker compose` looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;

export interface ComposeService {
  /** The service key, e.g. `mailserver`. */
  name: string;
  containerName?: string;
  image?: string;
  capAdd: string[];
  /** `environment` entries (list `K=V` or map form); values as strings. */
  environment: Record<string, string>;
  /** `env_file` paths as written (relative to the compose file). */
  envFiles: string[];
}

export interface ComposeFile {
  services: ComposeService[];
  /** Set when the YAML could not be read. */
  error?: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function environmentOf(value: unknown): Record<string, string> {
  const environment: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = scalar(item);
      if (text === undefined) continue;
      const eq = text.indexOf('=');
      if (eq > 0) environment[text.slice(0, eq).trim()] = text.slice(eq + 1);
    }
  } else {
    for (const [key, raw] of Object.entries(asRecord(value) ?? {})) environment[key] = scalar(raw) ?? '';
  }
  return environment;
}

function envFilesOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items
    .map((item) => scalar(item) ?? scalar(asRecord(item)?.path))
    .filter((path): path is string => path !== undefined && path.trim() !== '');
}

export function parseComposeFile(text: string): ComposeFile {
  let document: unknown;
  try {
    document = parseComposeYaml(text);
  } catch (error) {
    return { services: [], error: error instanceof Error ? error.message : String(error) };
  }
  const services = asRecord(asRecord(document)?.services) ?? {};
  return {
    services: Object.entries(services).map(([name, raw]) => {
      const service = asRecord(raw) ?? {};
      return {
        name,
        containerName: scalar(service.container_name),
        image: scalar(service.image),
        capAdd: (Array.isArray(service.cap_add) ? service.cap_add : []).map((cap) => scalar(cap) ?? '').filter((cap) => cap !== ''),
        environment: environmentOf(service.environment),
        envFiles: envFilesOf(service.env_file),
      };
    }),
  };
}

/** The docker-mailserver service: the one named like the container, else the one running DMS's image. */
export function findMailService(file: ComposeFile, container?: string): ComposeService | undefined {
  return (
    file.services.find((service) => container !== undefined && (service.containerName ?? service.name) === container) ??
    file.services.find((service) => /docker-mailserver/.test(service.image ?? '')) ??
    file.services.find((service) => service.name === 'mailserver')
  );
}

/** `KEY=VALUE` lines of an env file (docker's rules: `#` comments, no quotes removed except one matching pair). */
export function parseEnvFile(text: string): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) continue;
    const value = trimmed.slice(eq + 1);
    environment[trimmed.slice(0, eq).trim()] = /^(['"]).*\1$/.test(value) ? value.slice(1, -1) : value;
  }
  return environment;
}

/** docker: `cap_add` accepts NET_ADMIN, CAP_NET_ADMIN or ALL, in any case. */
export function grantsNetAdmin(capAdd: readonly string[]): boolean {
  return capAdd.some((cap) => /^(?:CAP_)?NET_ADMIN$|^ALL$/i.test(cap.trim()));
}

/** What the workspace says, for the messages: where each fact was found. */
export interface ComposeFacts {
  /** Workspace-relative path of the compose file. */
  file: string;
  service: string;
  netAdmin: boolean;
  /** ENABLE_FAIL2BAN as configured (environment wins over env_file, as in compose), and where. */
  enableFail2ban?: { value: string; where: string };
}

/**
 * Facts from a compose file and the env files it names (`readEnvFile` returns undefined for a file that is
 * not there).
 */
export function composeFacts(
  fileName: string,
  text: string,
  container: string | undefined,
  readEnvFile: (path: string) => string | undefined,
): ComposeFacts | undefined {
  const service = findMailService(parseComposeFile(text), container);
  if (!service) return undefined;
  let enableFail2ban: ComposeFacts['enableFail2ban'];
  for (const envFile of service.envFiles) {
    const content = readEnvFile(envFile);
    const value = content === undefined ? undefined : parseEnvFile(content).ENABLE_FAIL2BAN;
    if (value !== undefined) enableFail2ban = { value, where: envFile };
  }
  if (service.environment.ENABLE_FAIL2BAN !== undefined) {
    enableFail2ban = { value: service.environment.ENABLE_FAIL2BAN, where: `${fileName} (environment)` };
  }
  return { file: fileName, service: service.name, netAdmin: grantsNetAdmin(service.capAdd), enableFail2ban };
}
