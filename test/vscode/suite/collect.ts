// Runs a loaded Mocha instance and collects what the VS Code runner needs to judge the run (runner/tally.ts):
// passes and failures, the number of tests declared before the run, how many ran to a verdict, and pending ones.
// Kept free of `vscode` so that test/unit can check it with real Mocha.
import type Mocha from 'mocha';
import type { SuiteResults } from '../runner/tally';

export interface Collected {
  results: SuiteResults;
  /** Mocha's own failure count (failZero makes a run of no test one failure). */
  failures: number;
}

export function runAndCollect(mocha: Mocha): Promise<Collected> {
  const results: SuiteResults = { passed: 0, failed: 0, failures: [], tests: [] };
  const pending: string[] = [];
  let ran = 0;
  let declared = 0;
  return new Promise<Collected>((resolve) => {
    const runner = mocha.run((failures) => resolve({ results: { ...results, declared, ran, pending }, failures }));
    // counted before any test runs: the tests registered by the loaded files that match the grep
    declared = runner.total;
    runner.on('pass', (test) => {
      ran++;
      results.passed++;
      results.tests.push({ title: test.fullTitle(), state: 'passed', ms: test.duration ?? 0 });
    });
    runner.on('fail', (test, error: Error) => {
      // A failing hook counts as one failure too (Mocha then skips the tests it guards: `ran` shows that).
      if (test.type === 'test') ran++;
      results.failed++;
      results.failures.push({ title: test.fullTitle(), error: error?.stack ?? String(error) });
      results.tests.push({ title: test.fullTitle(), state: 'failed', ms: test.duration ?? 0 });
    });
    runner.on('pending', (test) => pending.push(test.fullTitle()));
  });
}
