// Pass/fail bookkeeping for the three parts of the VS Code run (extension-host suite, UI tests, VSIX).

export interface SuiteResults {
  passed: number;
  failed: number;
  failures: { title: string; error: string }[];
  tests: { title: string; state: 'passed' | 'failed'; ms: number }[];
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

  addSuite(part: string, results: SuiteResults): void {
    for (const test of results.tests) if (test.state === 'passed') this.pass(part, test.title, test.ms);
    for (const failure of results.failures) this.fail(part, failure.title, failure.error);
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
