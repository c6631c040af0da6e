// Helpers for the knowledge tests: where the real fail2ban installations are, and a runner for probe.py.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GeneratedVersion } from '../../../server/src/knowledge/types';
import { runPython } from '../../support/python';

export const ROOT = join(__dirname, '..', '..', '..');
const F2B_110 = join(ROOT, '.cache', 'fail2ban-1.1.0');

export interface Installation {
  version: GeneratedVersion;
  configDir: string;
  pythonPath: string;
  client: string;
}

export const INSTALLATIONS: readonly Installation[] = [
  {
    version: '1.0.2',
    configDir: '/etc/fail2ban',
    pythonPath: '/usr/lib/python3/dist-packages',
    client: '/usr/bin/fail2ban-client',
  },
  {
    version: '1.1.0',
    configDir: join(F2B_110, 'etc', 'fail2ban'),
    pythonPath: join(F2B_110, 'usr', 'lib', 'python3', 'dist-packages'),
    client: join(F2B_110, 'usr', 'bin', 'fail2ban-client'),
  },
];

/** Installs fail2ban 1.0.2/1.1.0 and python3 if missing, or fails loudly (never skips). */
export async function ensureRealFail2ban(): Promise<void> {
  const url = pathToFileURL(join(ROOT, 'scripts', 'system-deps.mjs')).href;
  const deps = (await import(url)) as { ensureSystemDeps(options?: { quiet?: boolean }): void };
  deps.ensureSystemDeps({ quiet: true });
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
  const run = spawnSync('/usr/bin/python3', [inst.client, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: inst.pythonPath },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
