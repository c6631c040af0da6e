// Runs python3 scripts against a real fail2ban's Python package (the tests' oracles): one place for the
// interpreter, the PYTHONPATH of each installation, the install check and the error on a failed run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureFail2banInstalled, FAIL2BAN_INSTALLS, PYTHON } from './fail2banInstalls';

export interface PythonRun {
  /** Script path (or `-c`, code) and its arguments. */
  args: readonly string[];
  /** Written to the script's stdin. */
  input?: string;
  /** Where the `fail2ban` package is imported from; default fail2ban 1.1.0. */
  pythonPath?: string;
  /** Names the run in the error thrown when it fails. */
  what: string;
  maxBuffer?: number;
}

/**
 * Runs python3 with `pythonPath` first on PYTHONPATH and UTF-8 stdio; returns its output. Installs fail2ban
 * (scripts/system-deps.mjs) if missing or throws: an oracle that cannot run never skips a test.
 */
export function runPython(run: PythonRun): { stdout: string; stderr: string } {
  ensureFail2banInstalled();
  const pythonPath = run.pythonPath ?? FAIL2BAN_INSTALLS['1.1.0'].packagesDir;
  if (!existsSync(join(pythonPath, 'fail2ban'))) throw new Error(`fail2ban package missing at ${pythonPath}`);
  const result = spawnSync(PYTHON, run.args, {
    input: run.input,
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: pythonPath, PYTHONIOENCODING: 'utf-8' },
    maxBuffer: run.maxBuffer ?? 256 * 1024 * 1024,
  });
  if (result.error) throw new Error(`${run.what} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${run.what} failed (${result.status}): ${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}
