// The VS Code runner must not pass on nothing: a suite that loads no test, leaves tests pending, or runs fewer
// tests than it declared is a failure (test/vscode/runner/tally.ts), and so is a run that recorded nothing.
// The suite side (test/vscode/suite/collect.ts) is run here with real Mocha, outside VS Code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Mocha from 'mocha';
import { suiteProblems, Tally, type SuiteResults } from '../../vscode/runner/tally';
import { runAndCollect } from '../../vscode/suite/collect';

/** A silent Mocha with the given tests added programmatically, as the bundled suite files register theirs. */
function mochaWith(build: (root: Mocha.Suite) => void, options: Mocha.MochaOptions = {}): Mocha {
  const mocha = new Mocha({ failZero: true, ...options });
  mocha.reporter(Mocha.reporters.Base);
  build(mocha.suite);
  return mocha;
}

function group(parent: Mocha.Suite, title: string): Mocha.Suite {
  return Mocha.Suite.create(parent, title);
}

/** Tally output goes to the console; keep the test log readable. */
function quietly<T>(body: () => T): T {
  const log = console.log;
  console.log = () => undefined;
  try {
    return body();
  } finally {
    console.log = log;
  }
}

function tallied(results: SuiteResults): Tally {
  const tally = new Tally();
  quietly(() => tally.addSuite('suite', results));
  return tally;
}

describe('VS Code runner tally', () => {
  it('a suite whose tests all pass is a pass', async () => {
    const { results, failures } = await runAndCollect(
      mochaWith((root) => {
        const g = group(root, 'g');
        g.addTest(new Mocha.Test('one', () => undefined));
        g.addTest(new Mocha.Test('two', () => undefined));
      }),
    );
    assert.equal(failures, 0);
    assert.deepEqual({ declared: results.declared, ran: results.ran, pending: results.pending }, { declared: 2, ran: 2, pending: [] });
    assert.deepEqual(suiteProblems(results), []);
    const tally = tallied(results);
    assert.deepEqual(quietly(() => tally.totals()), { passed: 2, failed: 0 });
  });

  it('a suite that loaded nothing fails (0 passed, 0 failed)', async () => {
    const { results, failures } = await runAndCollect(mochaWith(() => undefined));
    assert.equal(failures, 1, 'failZero: Mocha itself reports a failure');
    assert.equal(results.declared, 0);
    assert.match(suiteProblems(results).join('\n'), /no test ran/);
    const tally = tallied(results);
    assert.equal(tally.failed, 1);
    assert.equal(tally.passed, 0);
  });

  it('a grep that matches nothing fails the same way', async () => {
    const { results } = await runAndCollect(
      mochaWith((root) => root.addTest(new Mocha.Test('completion', () => undefined)), { grep: 'no such test' }),
    );
    assert.equal(results.declared, 0);
    assert.match(suiteProblems(results).join('\n'), /no test ran/);
  });

  it('pending tests fail the run, by name', async () => {
    const { results } = await runAndCollect(
      mochaWith((root) => {
        root.addTest(new Mocha.Test('runs', () => undefined));
        root.addTest(new Mocha.Test('has no body')); // it('…') without a function: pending
        root.addTest(
          new Mocha.Test('skips itself', function (this: Mocha.Context) {
            this.skip();
          }),
        );
      }),
    );
    assert.equal(results.failed, 0);
    assert.deepEqual(results.pending, ['has no body', 'skips itself']);
    const problems = suiteProblems(results).join('\n');
    assert.match(problems, /2 test\(s\) pending/);
    assert.match(problems, /skips itself/);
    assert.ok(tallied(results).failed > 0);
  });

  it('fewer tests than declared fail the run (a failing hook skips the tests it guards)', async () => {
    const { results } = await runAndCollect(
      mochaWith((root) => {
        const g = group(root, 'commands');
        g.beforeAll(() => {
          throw new Error('stand-in not reachable');
        });
        g.addTest(new Mocha.Test('ban', () => undefined));
        g.addTest(new Mocha.Test('unban', () => undefined));
        root.addTest(new Mocha.Test('language', () => undefined));
      }),
    );
    assert.equal(results.declared, 3);
    assert.equal(results.ran, 1);
    assert.equal(results.failed, 1, 'the hook');
    assert.match(suiteProblems(results).join('\n'), /only 1 of the 3 tests/);
  });

  it('results without the declared/ran counts (an old suite index) are not trusted', () => {
    const old: SuiteResults = { passed: 3, failed: 0, failures: [], tests: [] };
    assert.match(suiteProblems(old).join('\n'), /did not report how many tests/);
    assert.equal(tallied(old).failed, 1);
  });

  it('a whole run that recorded nothing is a failure', () => {
    const tally = new Tally();
    assert.deepEqual(quietly(() => tally.totals()), { passed: 0, failed: 1 });
    assert.match(tally.summary(), /no test at all/);
  });
});
