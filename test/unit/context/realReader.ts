// Runs the REAL fail2ban 1.1.0 readers (python3 + the unpacked 1.1.0 package) over the same file tree our
// context builds, in ONE python process for many cases, and compares effective values.
import { resolveVersions } from '../../../server/src/context/build';
import { join } from 'node:path';
import { contextInternals } from '../../../server/src/context/build';
import { interpolateDetailed } from '../../../server/src/context/interpolate';
import { readerBaseName, surroundingFiles, userFilePath } from '../../../server/src/context/sources';
import type { ConfigContext } from '../../../server/src/context/types';
import { DEFAULT_DMS_VERSION, type CheckOptions } from '../../../server/src/types';
import { runPython } from '../../support/python';

const ORACLE = join(__dirname, 'layered_reader.py');
const CONFIG_DIR = '/etc/fail2ban/';

export type Outcome = { value: string } | { missing: true } | { error: string; message: string };

export interface OracleCase {
  files: Record<string, string>;
  base: 'jail' | 'fail2ban';
  inject: boolean;
  /** fail2ban_version to inject (the merge/interpolation code is the same in 1.0.2–1.1.1) */
  version?: string;
  queries: [string, string][];
}

export interface OracleResult {
  readError?: string;
  sections?: string[];
  results?: Outcome[];
}

/** The file tree (paths relative to /etc/fail2ban) our context lays around `userText`. */
export function treeFor(
  userText: string,
  options: CheckOptions,
  resolvedFail2ban: NonNullable<CheckOptions['fail2banVersion']> = resolveVersions(options).fail2banVersion,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of surroundingFiles(options.kind, resolvedFail2ban, options.dmsVersion ?? DEFAULT_DMS_VERSION)) {
    files[file.path.slice(CONFIG_DIR.length)] = file.text;
  }
  files[userFilePath(options.kind).slice(CONFIG_DIR.length)] = userText;
  return files;
}

export function oracleCase(userText: string, options: CheckOptions, queries: [string, string][], resolvedFail2ban?: string): OracleCase {
  const base = readerBaseName(options.kind);
  const fail2banVersion = (resolvedFail2ban ?? '1.1.0') as NonNullable<CheckOptions['fail2banVersion']>;
  return { files: treeFor(userText, options, fail2banVersion), base, inject: base === 'jail', version: fail2banVersion, queries };
}

/** Real fail2ban 1.1.0's answers (its package is runPython's default) for every case, in one python3 run. */
export function runOracle(cases: OracleCase[]): OracleResult[] {
  const { stdout } = runPython({ args: [ORACLE], input: JSON.stringify(cases), what: 'python3 layered reader', maxBuffer: 512 * 1024 * 1024 });
  return JSON.parse(stdout) as OracleResult[];
}

const ERROR_CLASS_BY_CODE: Readonly<Record<string, string>> = {
  'undefined-variable': 'InterpolationMissingOptionError',
  'unknown-section-reference': 'InterpolationMissingOptionError',
  'invalid-interpolation': 'InterpolationSyntaxError',
  'interpolation-recursion': 'InterpolationDepthError',
};

/** Our answer to configparser's `get(section, option)` (no filter merged: the raw configparser view). */
export function ourOutcome(context: ConfigContext, section: string, option: string): Outcome {
  const internals = contextInternals(context);
  if (!internals) throw new Error('context without internals');
  const result = interpolateDetailed(internals.firstPassEnv, section, option);
  if (result.error) return { error: ERROR_CLASS_BY_CODE[result.error.code], message: result.error.message };
  if (result.value === undefined) return { missing: true };
  return { value: result.value };
}
