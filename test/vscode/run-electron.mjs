#!/usr/bin/env node
// The same extension-host suite in desktop VS Code, through @vscode/test-electron — for machines that can
// download VS Code (it fetches VS Code 1.100.3 into .vscode-test/) or that have one: set VSCODE_EXECUTABLE
// to its binary (e.g. /usr/share/code/code). The stand-in mail server is started first, as in run.mjs.
// On our own machines VS Code cannot be downloaded: use test/vscode/run.mjs there (see docs/TESTING.md).
//   node test/vscode/run-electron.mjs
// Prints the same last line as run.mjs: dms-fail2ban-results: {"passed":N,"failed":M}
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { register } from 'tsx/cjs/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VSCODE_VERSION = '1.100.3'; // the version run.mjs tests (code-server 4.100.3)
let totals = { passed: 0, failed: 1 };
let mail;
const temp = mkdtempSync(join(tmpdir(), 'dms-vscode-electron-'));
try {
  const { ensureSystemDeps } = await import('../../scripts/system-deps.mjs');
  ensureSystemDeps({ quiet: true });
  register();
  const require = createRequire(import.meta.url);
  const { bundleSuite } = require('./runner/main.ts');
  const { suiteProblems } = require('./runner/tally.ts');
  const { startMailServer } = require('./runner/standin.ts');
  const { spawnSync } = await import('node:child_process');
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('node scripts/build.mjs failed');
  const suiteBundle = await bundleSuite(root);
  mail = await startMailServer();
  await mail.reseed();
  const workspace = join(temp, 'workspace');
  cpSync(join(root, 'test', 'vscode', 'workspace'), workspace, { recursive: true });
  const resultsFile = join(temp, 'results.json');
  const executable = process.env.VSCODE_EXECUTABLE;
  if (executable && !existsSync(executable)) throw new Error(`VSCODE_EXECUTABLE=${executable} does not exist`);
  const exitCode = await runTests({
    ...(executable ? { vscodeExecutablePath: executable } : { version: VSCODE_VERSION }),
    extensionDevelopmentPath: root,
    extensionTestsPath: suiteBundle,
    extensionTestsEnv: { ...mail.env, DMS_VSCODE_RESULTS: resultsFile },
    // A fresh profile, no other extensions, no trust prompt, and PATH as given (not from a login shell).
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--force-disable-user-env', '--user-data-dir', join(temp, 'user-data')],
  }).catch((error) => {
    console.error(error);
    return 1;
  });
  if (!existsSync(resultsFile)) throw new Error(`The suite wrote no results (exit code ${exitCode})`);
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  for (const test of results.tests) console.log(`  ${test.state === 'passed' ? '✔' : '✘'} ${test.title}`);
  for (const failure of results.failures) console.log(`\n${failure.title}\n${failure.error}`);
  // no test, pending tests or fewer tests than declared: each is a failure, as in run.mjs (runner/tally.ts)
  const problems = suiteProblems(results);
  for (const problem of problems) console.log(`\n✘ ${problem}`);
  const failed = results.failed + problems.length;
  totals = { passed: results.passed, failed: failed + (exitCode !== 0 && failed === 0 ? 1 : 0) };
} catch (error) {
  console.error(`VS Code (electron) tests could not run: ${error instanceof Error ? error.stack : error}`);
} finally {
  await mail?.stop().catch(() => undefined);
  rmSync(temp, { recursive: true, force: true });
}
console.log(`dms-fail2ban-results: ${JSON.stringify(totals)}`);
process.exit(totals.failed > 0 ? 1 : 0);
