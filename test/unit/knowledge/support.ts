// Helpers for the knowledge tests: where the real fail2ban installations are, and a runner for probe.py.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { GeneratedVersion } from '../../../server/src/knowledge/types';
import { FAIL2BAN_VERSIONS } from '../../../server/src/types';
import { ensureFail2banInstalled, FAIL2BAN_INSTALLS, PROJECT_ROOT, PYTHON } from '../../support/fail2banInstalls';
import { runPython } from '../../support/python';

export const ROOT = PROJECT_ROOT;

export interface Installation {
  version: GeneratedVersion;
  configDir: string;
  pythonPath: string;
  client: string;
}

export const INSTALLATIONS: readonly Installation[] = FAIL2BAN_VERSIONS.map((version) => ({
  version,
  configDir: FAIL2BAN_INSTALLS[version].configTree,
  pythonPath: FAIL2BAN_INSTALLS[version].packagesDir,
  client: FAIL2BAN_INSTALLS[version].client,
}));

/** Installs every real fail2ban version and python3 if missing, or fails loudly (never skips). */
export async function ensureRealFail2ban(): Promise<void> {
  ensureFail2banInstalled();
}

/** Runs test/unit/knowledge/probe.py with the Python packages of `inst`; returns its JSON answer. */
export function probe<T>(inst: Installation, command: string, args: object): T {
  const { stdout } = runPython({
    args: [join(__dirname, 'probe.py'), command, JSON.stringify(args)],
    pythonPath: inst.pythonPath,
    what: `probe.py ${command}`,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as T;
}

/** Runs the real `fail2ban-client` of `inst` (with its own Python packages). */
export function fail2banClient(inst: Installation, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(PYTHON, [inst.client, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: inst.pythonPath },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** What configparser of `inst` reads from a text (probe.py parse-sections). */
export interface ParsedSections {
  sections: string[];
  defaults: Record<string, string>;
  own: Record<string, Record<string, string>>;
}

export function parseSections(inst: Installation, text: string): ParsedSections {
  return probe<ParsedSections>(inst, 'parse-sections', { text });
}
