// The one declared face between the extension (client/) and the language server: request and notification
// names with their parameter and result types. The client imports nothing else from server/src (lint rule in
// eslint.config.mjs); the engine runs in the language server only.
import type { DmsVersion, EngineDiagnostic, Fail2banVersion, FileKind, SeveritySetting, TextReplacement } from '../types';

/** Every enabled jail (or the server sections) as fail2ban will run it, for the open document `uri`. */
export const EFFECTIVE_CONFIG_REQUEST = 'dmsFail2ban/effectiveConfig';

export interface EffectiveConfigParams {
  uri: string;
}

export interface EffectiveConfigResult {
  text: string;
}

/** Checks a text that need not be open (Apply Config validates what it is about to copy into the container). */
export const CHECK_TEXT_REQUEST = 'dmsFail2ban/checkText';

export interface CheckTextParams {
  text: string;
  kind: FileKind;
  fail2banVersion?: Fail2banVersion;
  dmsVersion?: DmsVersion;
  rules?: Record<string, SeveritySetting>;
  /** Check against this container's live context when the server holds one for it (else the modelled context). */
  container?: string;
}

export interface CheckTextResult {
  diagnostics: EngineDiagnostic[];
}

/** "Never ban this address": the edit that adds an address to [DEFAULT] ignoreip of a jail file's text. */
export const ADD_TO_IGNORE_IP_REQUEST = 'dmsFail2ban/addToIgnoreIp';

export interface AddToIgnoreIpParams {
  text: string;
  address: string;
  /** Only `dms-jail` (the default) keeps DMS's own ignoreip entries when ignoreip is created. */
  kind?: FileKind;
}

export interface AddToIgnoreIpResult {
  status: 'added' | 'already-present' | 'invalid-address';
  /** LSP-style edits against the given text (empty unless status is 'added'). */
  edits: TextReplacement[];
  message: string;
  /** Things the user should know, e.g. a jail with its own ignoreip that [DEFAULT] does not reach. */
  notes: string[];
}

/** A file of the container's /etc/fail2ban as read by the client (read-only docker exec). */
export interface ContainerFile {
  /** Absolute path in the container, e.g. /etc/fail2ban/jail.d/00-custom.conf. */
  path: string;
  text: string;
}

/**
 * What the client read from the running mail server container: the ground truth the engine checks against
 * instead of the modelled DMS release. The user's own file is never taken from here (the editor has it).
 */
export interface ContainerContext {
  /** Container name, as selected in the Fail2Ban view or given to `check --container`. */
  container: string;
  /** `docker inspect` .State.StartedAt: a new value means the container restarted. */
  startedAt?: string;
  /** `DMS_RELEASE` of the image, e.g. `v16.0.0` (undefined when the image does not set it). */
  dmsRelease?: string;
  /** `fail2ban-client -V`, e.g. `1.1.1`. */
  fail2banVersion?: string;
  /** jail.conf, jail.local, jail.d/*, fail2ban.conf, fail2ban.d/*, paths-*.conf — except the user's own files. */
  files: ContainerFile[];
  /** The container's copies of the user's files (jail.d/user-jail.local, fail2ban.local), to tell when they differ. */
  userFiles: ContainerFile[];
  /** File names in /etc/fail2ban/filter.d and action.d (e.g. `postfix.conf`, `my-filter.local`). */
  filterFiles: string[];
  actionFiles: string[];
  /** Log files that exist (absolute paths under /var/log, /var/log/mail, /var/log/supervisor). */
  logFiles: string[];
}

/** Client → server: the live context of the selected container (or `null`: back to the modelled context). */
export const LIVE_CONTEXT_NOTIFICATION = 'dmsFail2ban/liveContext';

export interface LiveContextParams {
  context: ContainerContext | null;
  /** Why there is no live context (shown in hovers and `contextStatus`), e.g. "no container reachable". */
  reason?: string;
}

/** Which context is in force, in words for the status bar and hovers. */
export const CONTEXT_STATUS_REQUEST = 'dmsFail2ban/contextStatus';

export interface ContextStatusParams {
  /** The document the question is about (its kind decides the user-file comparison). */
  uri?: string;
}

export interface ContextStatusResult {
  source: 'container' | 'modelled';
  /** e.g. "container mailserver: DMS v16.0.0, fail2ban 1.1.1" / "modelled: DMS v16.0 — no container reachable". */
  summary: string;
  /** Things said once: versions not modelled, the container's user file differing from the edited one. */
  notes: string[];
}
