// Which container names may become a docker argument. A name reaches docker from the settings, from
// `docker ps` (a hostile or remote daemon chooses it), from a remembered choice or from an input box; every
// one is checked here, so `--env-file=/etc/passwd` can never turn into `docker exec --env-file=/etc/passwd …`.
import { t } from '../l10n';

/**
 * docker's rule for container names (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`, moby daemon/names.go, also podman's);
 * hex IDs and ID prefixes fit too. Never starts with '-', never holds a space, ':' or a control character.
 */
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** Longer than any real name or 64-hex ID; keeps a megabyte of junk out of messages. */
const MAX_NAME_LENGTH = 255;

export function isValidContainerName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && CONTAINER_NAME.test(name);
}

/** The name as it can be shown in a note: quoted, control characters escaped, long junk cut. */
export function quoteForNote(name: string): string {
  const shown = name.length > 80 ? `${name.slice(0, 80)}…` : name;
  // JSON escapes C0 controls; DEL and C1 controls are escaped here too.
  return JSON.stringify(shown).replace(/[\x7f-\x9f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The note written to the output channel when a name is skipped. */
export function skippedNameNote(name: string, source: string): string {
  return t('Skipped the container name {0} from {1}: not a valid container name (letters, digits, _ . - only, starting with a letter or digit), so it is never passed to docker.', quoteForNote(name), source);
}
