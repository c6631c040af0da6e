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

export type Fail2banVersion = '1.0.2' | '1.1.0' | '1.1.1';
export const FAIL2BAN_VERSIONS: readonly Fail2banVersion[] = ['1.0.2', '1.1.0', '1.1.1'];
/** The version DMS ships (v15.0.0 and later). */
export const DEFAULT_FAIL2BAN_VERSION: Fail2banVersion = '1.1.0';

/** DMS releases whose fail2ban layers differ (see knowledge/dms.ts). */
export type DmsVersion = 'v15.1.0' | 'edge' | 'v15.0' | 'v14' | 'v13' | 'v12.0';
export const DEFAULT_DMS_VERSION: DmsVersion = 'v15.1.0';

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
}

export interface CheckOptions {
  kind: FileKind;
  fail2banVersion?: Fail2banVersion;
  dmsVersion?: DmsVersion;
  /** Per-rule severity overrides: code → severity | 'off'. */
  rules?: Record<string, SeveritySetting>;
  /** Filter and action files the user's workspace adds to the container (see server/src/workspace/provided.ts). */
  provided?: ProvidedFiles;
}

/** Names of `filter.d/NAME.conf|.local` and `action.d/NAME.conf|.local` files the user adds to /etc/fail2ban. */
export interface ProvidedFiles {
  filters: readonly string[];
  actions: readonly string[];
}
