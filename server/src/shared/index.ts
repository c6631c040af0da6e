// Everything the extension (client/) may import from server/src: message types, vocabulary and the small pure
// helpers both sides need. eslint.config.mjs forbids client imports of any other server/src module.
export * from './protocol';
export * from './address';
export * from './lab';
/** The lab API the extension takes from dist/server.js (required at first use) and the shapes it returns. */
export type { LabApi, TextJailTestRequest } from '../lab/api';
export type { DockerTarget, JailTestOutcome, LabTarget } from '../lab/run';
export type { WhyBannedReport } from '../lab/whyBanned';
export type { LogView, LogViewMatch } from '../lab/logView';
/** The lock-out guard's verdict (pure; the extension reads the container's networks itself). */
export { lockoutWarnings, parseInspectNetworks, type ContainerNetwork } from '../lab/lockout';
export {
  DEFAULT_DMS_VERSION,
  DEFAULT_FAIL2BAN_VERSION,
  DMS_VERSIONS,
  FAIL2BAN_VERSIONS,
  FILE_KINDS,
  type DmsVersion,
  type EngineDiagnostic,
  type Fail2banVersion,
  type FileKind,
  type Position,
  type Range,
  type Severity,
  type SeveritySetting,
  type TextReplacement,
} from '../types';
export { detectFileKind } from '../fileKind';
export { dmsFail2banVersion, dmsRelease, dmsVersionOfImage } from '../knowledge/dms';
export { LANGUAGE_SERVER_NODE_FLAGS } from '../runtimeFlags';
