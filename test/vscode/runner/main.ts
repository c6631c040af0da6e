// The VS Code test run (test/vscode/run.mjs loads this): build, start the stand-in mail server, then
//   suite — the Mocha suite (test/vscode/suite) inside a real extension host, development extension
//   ui    — Playwright on the workbench: squiggles, Problems, completion, hover, palette, tree; screenshots
//   vsix  — package the VSIX, install it into the VS Code server, run the smoke tests on the installed copy
// Nothing is skipped: a part that cannot run counts as a failure.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser } from 'playwright-core';
import { startMailServer, type MailServer } from './standin';
import { suiteProblems, Tally, type SuiteResults } from './tally';
import { runGermanUiTests, runUiTests } from './ui';
import { runVsixPart } from './vsix';
import { launchChromium, openWorkbench, startVscodeServer, type VscodeServer } from './workbench';

export const PARTS = ['suite', 'ui', 'vsix'] as const;
export type Part = (typeof PARTS)[number];

export interface RunOptions {
  root: string;
  serverMain: string;
  parts: readonly Part[];
}

/** Longest a whole extension-host suite may take before the run gives up on it. */
const SUITE_TIMEOUT_MS = 5 * 60_000;

export interface RunContext extends RunOptions {
  tally: Tally;
  browser: Browser;
  mail: MailServer;
  /** out/test/vscode/index.js */
  suiteBundle: string;
  /** a fresh copy of test/vscode/workspace */
  freshWorkspace(label: string): string;
  /** Runs the bundled suite in a server and records its tests under `part`. */
  runSuite(part: string, server: VscodeServer, workspace: string, resultsFile: string): Promise<void>;
}

function buildExtension(root: string): void {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`node scripts/build.mjs failed with exit code ${result.status}`);
  for (const file of ['dist/client.js', 'dist/server.js']) if (!existsSync(join(root, file))) throw new Error(`${file} was not built`);
}

export async function bundleSuite(root: string): Promise<string> {
  const outfile = join(root, 'out', 'test', 'vscode', 'index.js');
  await esbuild.build({
    entryPoints: [join(root, 'test', 'vscode', 'suite', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return outfile;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runSuite(ctx: Omit<RunContext, 'runSuite'>, part: string, server: VscodeServer, workspace: string, resultsFile: string): Promise<void> {
  const workbench = await openWorkbench(ctx.browser, server, workspace);
  try {
    let exitCode: number | undefined;
    try {
      exitCode = await withTimeout(workbench.exitCode, SUITE_TIMEOUT_MS, `the ${part} suite`);
    } catch (error) {
      ctx.tally.fail(part, 'extension-host suite finished', error);
    }
    if (!existsSync(resultsFile)) {
      const tail = workbench.consoleLines.slice(-40).join('\n');
      ctx.tally.fail(part, 'extension-host suite reported results', `No results file (exit code ${exitCode}). Last console lines:\n${tail}\nServer log tail:\n${server.log().slice(-3000)}`);
      return;
    }
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults;
    ctx.tally.addSuite(part, results);
    // the suite's run() fails on a failed test, a pending one, or fewer tests than declared (as addSuite does)
    const clean = results.failed === 0 && suiteProblems(results).length === 0;
    if (exitCode !== undefined && (exitCode === 0) !== clean) {
      ctx.tally.fail(part, 'workbench exit code agrees with the results', `exit code ${exitCode}, ${results.failed} failed, ${suiteProblems(results).length} other problem(s)`);
    }
  } finally {
    await workbench.close();
  }
}

async function suitePart(ctx: RunContext): Promise<void> {
  const workspace = ctx.freshWorkspace('suite');
  const resultsFile = join(workspace, '..', 'suite-results.json');
  const server = await startVscodeServer({
    serverMain: ctx.serverMain,
    label: 'suite',
    env: { ...ctx.mail.env, DMS_VSCODE_RESULTS: resultsFile },
    extensionDevelopmentPath: ctx.root,
    extensionTestsPath: ctx.suiteBundle,
  });
  try {
    await ctx.runSuite('suite', server, workspace, resultsFile);
  } finally {
    await server.stop();
  }
}

export async function run(options: RunOptions): Promise<Tally> {
  const tally = new Tally();
  const temp: string[] = [];
  let suiteBundle = '';
  const built = await tally.check('setup', 'extension and test bundles build', async () => {
    buildExtension(options.root);
    suiteBundle = await bundleSuite(options.root);
  });
  if (!built) return tally;

  let mail: MailServer | undefined;
  let browser: Browser | undefined;
  try {
    const ready = await tally.check('setup', 'stand-in mail server and Chromium start', async () => {
      mail = await startMailServer();
      browser = await launchChromium();
    });
    if (!ready || !mail || !browser) return tally;
    const base: Omit<RunContext, 'runSuite'> = {
      ...options,
      tally,
      browser,
      mail,
      suiteBundle,
      freshWorkspace(label) {
        const dir = mkdtempSync(join(tmpdir(), `dms-vscode-ws-${label}-`));
        temp.push(dir);
        const workspace = join(dir, 'workspace');
        cpSync(join(options.root, 'test', 'vscode', 'workspace'), workspace, { recursive: true });
        return workspace;
      },
    };
    const ctx: RunContext = { ...base, runSuite: (part, server, workspace, resultsFile) => runSuite(base, part, server, workspace, resultsFile) };
    const uiPart = async (ctx: RunContext) => {
      await runUiTests(ctx);
      await runGermanUiTests(ctx);
    };
    const parts: Record<Part, (ctx: RunContext) => Promise<void>> = { suite: suitePart, ui: uiPart, vsix: runVsixPart };
    for (const part of options.parts) {
      console.log(`\n--- ${part} ---`);
      const started = Date.now();
      try {
        await mail.reseed();
        await parts[part](ctx);
      } catch (error) {
        tally.fail(part, `${part} part ran to the end`, error);
      }
      console.log(`--- ${part}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await mail?.stop().catch((error: unknown) => console.error(`stopping the stand-in: ${String(error)}`));
    for (const dir of temp) rmSync(dir, { recursive: true, force: true });
  }
  return tally;
}
