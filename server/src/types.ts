// Shared vocabulary of the whole pipeline (parser → context → rules → LSP adapters, CLI, client).
// Positions are LSP-style: 0-based line, 0-based character in UTF-16 code units.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Which file the user is editing; decides the context fail2ban/DMS lays around it. */
export type FileKind = 'dms-jail' | 'dms-server' | 'jail' | 'server';
export const FILE_KINDS: readonly FileKind[] = ['dms-jail', 'dms-server', 'jail', 'server'];

import type { DmsVersion, Fail2banVersion } from './knowledge/releases';
import type { ContainerContext } from './shared/protocol';

/** fail2ban versions and DMS releases, their lists and defaults: derived from the release registry. */
export {
  DEFAULT_DMS_VERSION,
  DEFAULT_FAIL2BAN_VERSION,
  DMS_VERSIONS,
  FAIL2BAN_VERSIONS,
  type DmsVersion,
  type Fail2banVersion,
} from './knowledge/releases';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

/** A suggested replacement of a range (a quick fix carried in the diagnostic). */
export interface TextReplacement {
  range: Range;
  newText: string;
}

export interface Fix {
  /** Short title for a code action, e.g. "Change to 'maxretry'". */
  title: string;
  edits: TextReplacement[];
  /** true for the fix an editor should prefer (did-you-mean with one clear candidate). */
  preferred?: boolean;
}

export interface EngineDiagnostic {
  range: Range;
  severity: Severity;
  /** Stable rule code, e.g. 'invalid-duration'. */
  code: string;
  /** Says what fail2ban will do with the mistake. */
  message: string;
  /** "Did you mean" candidates and other quick fixes. */
  fixes?: Fix[];
  /** Technical detail for those who want it (Python's own error text): LSP relatedInformation, CLI "details:". */
  details?: string;
}

export interface CheckOptions {
  kind: FileKind;
  fail2banVersion?: Fail2banVersion;
  dmsVersion?: DmsVersion;
  /** Per-rule severity overrides: code → severity | 'off'. */
  rules?: Record<string, SeveritySetting>;
  /** Filter and action files the user's workspace adds to the container (see server/src/workspace/provided.ts). */
  provided?: ProvidedFiles;
  /** The running container's files, names and logs: they replace the modelled release (workspace/liveContext.ts). */
  container?: ContainerContext;
  /** The document being checked (URI or path), named when a rule misbehaves. */
  documentUri?: string;
  /** Where a rule that throws or reports an undeclared code is logged (default: console.error). */
  log?: (message: string) => void;
}

/** Names of `filter.d/NAME.conf|.local` and `action.d/NAME.conf|.local` files the user adds to /etc/fail2ban. */
export interface ProvidedFiles {
  filters: readonly string[];
  actions: readonly string[];
}
