// What the extension takes from dist/server.js for the jail lab (it requires that bundle at first use,
// as for "apply config"): the document's text in, the report out. Keeps the engine out of dist/client.js.
// The client sees these only as types, through server/src/shared/lab.ts.
import { buildContextFromText } from '../context';
import type { DmsVersion, Fail2banVersion, FileKind } from '../types';
import { readBanActivity } from './container';
import { lockoutWarnings } from './lockout';
import { buildLogView } from './logView';
import { readNetworks, runJailTest, type DockerTarget, type JailTestOutcome, type LabTarget } from './run';
import { formatWhyBanned, whyBanned, whyBannedLinks } from './whyBanned';

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

/** The log document: a window of a container log with the jail's matches (see logView.ts). */
export function logViewOnText(request: { text: string; kind: FileKind; fail2banVersion?: Fail2banVersion; dmsVersion?: DmsVersion; jail: string; docker: DockerTarget; logPath: string; fromLine?: number; nearAddress?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal }) {
  const { text, kind, fail2banVersion, dmsVersion, ...rest } = request;
  return buildLogView({ ...rest, context: context(text, kind, fail2banVersion, dmsVersion) });
}

/** Lock-out guard for addresses about to be banned / banned in a container (reads its networks). */
export async function lockoutCheck(docker: DockerTarget, addresses: string[], env?: NodeJS.ProcessEnv) {
  const networks = (await readNetworks(docker, env)) ?? [];
  return lockoutWarnings(addresses, networks, docker.container);
}

export { formatWhyBanned, readBanActivity, whyBanned, whyBannedLinks };

/** What dist/server.js hands the extension for the lab (server/src/main.ts exports exactly these). */
export interface LabApi {
  runJailTestOnText: typeof runJailTestOnText;
  labJails: typeof labJails;
  logViewOnText: typeof logViewOnText;
  lockoutCheck: typeof lockoutCheck;
  whyBanned: typeof whyBanned;
  formatWhyBanned: typeof formatWhyBanned;
  whyBannedLinks: typeof whyBannedLinks;
  readBanActivity: typeof readBanActivity;
}
