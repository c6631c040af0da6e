// Entry of the Mocha suite that runs inside VS Code's extension host (bundled to out/test/vscode/index.js).
// Both runners load it: test/vscode/run.mjs (VS Code server + Chromium) and test/vscode/run-electron.mjs.
// The runner process cannot see the extension host's console reliably, so the totals and failures are also
// written as JSON to $DMS_VSCODE_RESULTS when that is set.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import { suiteProblems } from '../runner/tally';
import { runAndCollect } from './collect';

/** Which tests to run: `all` (development extension) or `smoke` (the installed VSIX). */
function selectedPart(): 'all' | 'smoke' {
  return process.env.DMS_VSCODE_SUITE === 'smoke' ? 'smoke' : 'all';
}

async function loadSuites(mocha: Mocha): Promise<void> {
  // The bundle holds every file, so Mocha's globals must exist before each module body runs.
  mocha.suite.emit('pre-require', globalThis, 'bundle', mocha);
  await import('./smoke.suite');
  if (selectedPart() === 'all') {
    await import('./language.suite');
    await import('./commands.suite');
    await import('./lab.suite');
    await import('./liveContext.suite');
  }
}

export async function run(): Promise<void> {
  // DMS_VSCODE_GREP runs only the matching tests (for working on one test; see docs/TESTING.md).
  // failZero: Mocha itself fails a run of no test (the runner checks that too, see runner/tally.ts)
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', grep: process.env.DMS_VSCODE_GREP, failZero: true });
  await loadSuites(mocha);
  const { results, failures } = await runAndCollect(mocha);
  if (process.env.DMS_VSCODE_RESULTS) writeFileSync(process.env.DMS_VSCODE_RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
  const problems = suiteProblems(results);
  if (problems.length > 0) throw new Error(problems.join('\n'));
}
