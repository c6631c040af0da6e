// Apply Config's two checks around the write (pure, no `vscode` import):
// before asking — the file is validated and refused with its problems listed;
// after success — the compose file says whether the applied file is the one DMS reads from its config volume
// (`/tmp/docker-mailserver/`, copied into /etc/fail2ban at every start), so the message can say whether the
// change survives the container being recreated.
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import type { EngineDiagnostic } from '../../../server/src/shared';
import { t } from '../l10n';
import { findMailService, parseComposeFile, parseComposeYaml } from './composeFacts';

/** Where DMS's compose.yaml mounts its config folder (docker-mailserver docs, "Configuration volume"). */
export const DMS_CONFIG_MOUNT = '/tmp/docker-mailserver';
/** How many problems the refusal lists; the Problems panel has all of them. */
const LISTED_PROBLEMS = 3;

/**
 * The refusal shown instead of the confirmation when `name` has errors (fail2ban would refuse the file or drop
 * a jail); undefined when it may be applied.
 */
export function preflightRefusal(name: string, diagnostics: readonly EngineDiagnostic[]): string | undefined {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length === 0) return undefined;
  const listed = errors.slice(0, LISTED_PROBLEMS).map((error) => t('line {0}: {1}', error.range.start.line + 1, error.message)).join('; ');
  const more = errors.length > LISTED_PROBLEMS ? t(' (and {0} more in Problems)', errors.length - LISTED_PROBLEMS) : '';
  return errors.length === 1
    ? t('Not applied: {0} has an error that fail2ban would refuse or that drop a jail — fix it first. {1}{2}.', name, listed, more)
    : t('Not applied: {0} has {1} errors that fail2ban would refuse or that drop a jail — fix them first. {2}{3}.', name, errors.length, listed, more);
}

/** The host folder the mail service mounts at /tmp/docker-mailserver, as written in the compose file. */
export function configVolumeSource(composeText: string, container?: string): string | undefined {
  const service = findMailService(parseComposeFile(composeText), container);
  if (!service) return undefined;
  let document: unknown;
  try {
    document = parseComposeYaml(composeText);
  } catch {
    return undefined;
  }
  const services = (document as { services?: Record<string, { volumes?: unknown }> } | null)?.services;
  const volumes = services?.[service.name]?.volumes;
  if (!Array.isArray(volumes)) return undefined;
  const trimSlash = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') : path);
  for (const volume of volumes) {
    if (typeof volume === 'string') {
      // short syntax SOURCE:TARGET[:MODE]; a named volume has no path and is not in the workspace
      const [source, target] = volume.split(':');
      if (target !== undefined && trimSlash(target) === DMS_CONFIG_MOUNT && /^[.~/]/.test(source)) return source;
    } else if (volume && typeof volume === 'object') {
      const { type, source, target } = volume as { type?: unknown; source?: unknown; target?: unknown };
      if (type === 'bind' && typeof source === 'string' && typeof target === 'string' && trimSlash(target) === DMS_CONFIG_MOUNT) return source;
    }
  }
  return undefined;
}

export interface VolumeVerdict {
  /** true: the applied file is the one DMS copies at start-up. */
  inVolume: boolean;
  message: string;
}

/**
 * Whether `appliedFile` (absolute path, named fail2ban-jail.cf or fail2ban-fail2ban.cf) lies at the root of the
 * config volume `composeFile` mounts; undefined when the compose file mounts no bind folder there.
 * `show` turns an absolute path into what the user sees (workspace-relative).
 */
export function volumeVerdict(
  composeFile: string,
  composeText: string,
  container: string | undefined,
  appliedFile: string,
  show: (path: string) => string = (path) => path,
): VolumeVerdict | undefined {
  const source = configVolumeSource(composeText, container);
  if (source === undefined || source.startsWith('~')) return undefined;
  const volumeDir = resolve(dirname(composeFile), source);
  const name = appliedFile.slice(Math.max(appliedFile.lastIndexOf('/'), appliedFile.lastIndexOf('\\')) + 1);
  const expected = join(volumeDir, name);
  const fromVolume = relative(volumeDir, appliedFile);
  const mount = t('{0} mounts {1} as {2}/', show(composeFile), source, DMS_CONFIG_MOUNT);
  if (fromVolume === name) {
    return { inVolume: true, message: t('{0} is in the config volume ({1}), so the change survives restarting or recreating the container.', show(appliedFile), mount) };
  }
  return {
    inVolume: false,
    message:
      fromVolume.startsWith('..') || isAbsolute(fromVolume)
        ? t('{0} is not in the config volume ({1}): only the running container has the change. Save it as {2}, or it is lost when the container is recreated.', show(appliedFile), mount, show(expected))
        : t('{0} is in a subfolder of the config volume, where DMS does not look ({1}): only the running container has the change. Save it as {2}, or it is lost when the container is recreated.', show(appliedFile), mount, show(expected)),
  };
}
