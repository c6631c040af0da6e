// Pass/fail bookkeeping for the three parts of the VS Code run (extension-host suite, UI tests, VSIX).
// A run cannot pass on nothing: a part whose suite ran no test, left tests pending, or ran fewer tests than it
// declared is a failure, and so is a whole run with 0 passed and 0 failed.

/** What test/vscode/suite/index.ts writes to $DMS_VSCODE_RESULTS. */
export interface SuiteResults {
  passed: number;
  failed: number;
  failures: { title: string; error: string }[];
  tests: { title: string; state: 'passed' | 'failed'; ms: number }[];
  /** Tests Mocha registered and was going to run (after DMS_VSCODE_GREP), counted before the run started. */
  declared?: number;
  /** Tests that ran to a verdict (passed or failed; failing hooks are not tests). */
  ran?: number;
  /** Titles of pending tests (it.skip, it without a body, this.skip()). */
  pending?: string[];
}

/** Why a suite's results cannot count as a pass, even with no failed test (empty when they can). */
export function suiteProblems(results: SuiteResults): string[] {
  const problems: string[] = [];
  const pending = results.pending ?? [];
  if (typeof results.declared !== 'number' || typeof results.ran !== 'number') {
    problems.push('the suite did not report how many tests it declared and ran (an old or broken test/vscode/suite/index.ts)');
  }
  if (results.passed + results.failed === 0) problems.push('no test ran (0 passed, 0 failed): the suite loaded nothing, or the grep matched nothing');
  if (pending.length > 0) problems.push(`${pending.length} test(s) pending, i.e. not run:\n${pending.map((t) => `  - ${t}`).join('\n')}`);
  if (typeof results.declared === 'number' && typeof results.ran === 'number' && results.ran < results.declared) {
    problems.push(`only ${results.ran} of the ${results.declared} tests the suite declares ran to a verdict`);
  }
  return problems;
}

export class Tally {
  passed = 0;
  failed = 0;
  private readonly failures: string[] = [];

  pass(part: string, title: string, ms?: number): void {
    this.passed++;
    console.log(`  ✔ [${part}] ${title}${ms !== undefined ? ` (${ms} ms)` : ''}`);
  }

  fail(part: string, title: string, error: unknown): void {
    this.failed++;
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.failures.push(`[${part}] ${title}\n${indent(text)}`);
    console.log(`  ✘ [${part}] ${title}\n${indent(firstLines(text, 6))}`);
  }

  /** Runs one check, recording it; returns whether it passed. */
  async check(part: string, title: string, body: () => Promise<void> | void): Promise<boolean> {
    const started = Date.now();
    try {
      await body();
      this.pass(part, title, Date.now() - started);
      return true;
    } catch (error) {
      this.fail(part, title, error);
      return false;
    }
  }

  /** Records a suite's tests, plus one failure per reason its results cannot count as a pass. */
  addSuite(part: string, results: SuiteResults): void {
    for (const test of results.tests) if (test.state === 'passed') this.pass(part, test.title, test.ms);
    for (const failure of results.failures) this.fail(part, failure.title, failure.error);
    for (const problem of suiteProblems(results)) this.fail(part, 'extension-host suite ran every declared test', problem);
  }

  /** The run's totals; a run in which nothing passed or failed is itself one failure. */
  totals(): { passed: number; failed: number } {
    if (this.passed + this.failed === 0) this.fail('run', 'some test ran', 'the run recorded no test at all (0 passed, 0 failed)');
    return { passed: this.passed, failed: this.failed };
  }

  summary(): string {
    return this.failures.length === 0 ? '' : `\nFailures:\n\n${this.failures.join('\n\n')}\n`;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}

function firstLines(text: string, count: number): string {
  return text.split('\n').slice(0, count).join('\n');
}
