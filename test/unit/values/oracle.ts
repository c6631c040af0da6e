// Runs test/unit/values/oracle.py once per batch with the real fail2ban 1.1.0 package on
// PYTHONPATH and the system python3 (3.11, like DMS v15.1.0). Fails loudly when it cannot run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const FAIL2BAN_110_DIR = join(ROOT, '.cache', 'fail2ban-1.1.0');
const ORACLE = join(__dirname, 'oracle.py');
const PYTHON = '/usr/bin/python3';
let depsChecked = false;

export type OracleQuestion = { q: string } & Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OracleAnswer = { ok: boolean; type?: string; message?: string } & Record<string, any>;

export function askPython(questions: OracleQuestion[]): OracleAnswer[] {
  if (!depsChecked) {
    // scripts/system-deps.mjs installs fail2ban 1.1.0 (and the rest) or fails loudly; never skip.
    const deps = spawnSync(process.execPath, [join(ROOT, 'scripts', 'system-deps.mjs')], { encoding: 'utf8' });
    if (deps.status !== 0) throw new Error(`scripts/system-deps.mjs failed: ${deps.stdout}\n${deps.stderr}`);
    depsChecked = true;
  }
  const sitePackages = join(FAIL2BAN_110_DIR, 'usr', 'lib', 'python3', 'dist-packages');
  if (!existsSync(join(sitePackages, 'fail2ban'))) throw new Error(`fail2ban 1.1.0 missing at ${sitePackages}`);
  const input = questions.map((q) => JSON.stringify(q)).join('\n') + '\n';
  const run = spawnSync(PYTHON, [ORACLE], {
    input,
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: sitePackages, PYTHONIOENCODING: 'utf-8' },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`oracle failed (${run.status}): ${run.stderr}`);
  const answers = run.stdout.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as OracleAnswer);
  if (answers.length !== questions.length) {
    throw new Error(`oracle answered ${answers.length} of ${questions.length} questions: ${run.stderr}`);
  }
  return answers;
}

/** Deterministic PRNG (mulberry32) so fuzz inputs are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
