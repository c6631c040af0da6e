// What the extension takes from dist/server.js for the jail lab (it requires that bundle at first use,
// as for "apply config"): the document's text in, the report out. Keeps the engine out of dist/client.js.
import { buildContextFromText } from '../context';
import type { DmsVersion, Fail2banVersion, FileKind } from '../types';
import { runJailTest, type JailTestOutcome, type LabTarget } from './run';

export interface TextJailTestRequest {
  /** The user's jail file as edited (unsaved text included); '' = DMS's jails as shipped. */
  text: string;
  kind: FileKind;
  fail2banVersion?: Fail2banVersion;
  dmsVersion?: DmsVersion;
  jail: string;
  target: LabTarget;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  onProgress?: (failures: number) => void;
}

function context(text: string, kind: FileKind, fail2banVersion?: Fail2banVersion, dmsVersion?: DmsVersion) {
  return buildContextFromText(text, { kind, ...(fail2banVersion ? { fail2banVersion } : {}), ...(dmsVersion ? { dmsVersion } : {}) });
}

export function runJailTestOnText(request: TextJailTestRequest): Promise<JailTestOutcome> {
  const { text, kind, fail2banVersion, dmsVersion, ...rest } = request;
  return runJailTest({ ...rest, context: context(text, kind, fail2banVersion, dmsVersion) });
}

/** Enabled jails (all layers) and the jail's own log, for the pickers. */
export function labJails(text: string, kind: FileKind, fail2banVersion?: Fail2banVersion, dmsVersion?: DmsVersion): string[] {
  const ctx = context(text, kind, fail2banVersion, dmsVersion);
  return ctx.jailNames().filter((name) => ctx.isEnabled(name));
}

export type LabApi = { runJailTestOnText: typeof runJailTestOnText; labJails: typeof labJails };
