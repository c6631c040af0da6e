// `npm test`: every test of the project, in order, on a fresh machine.
//   1. system packages (installed when root with apt, else the exact command to run is printed)
//   2. build (esbuild bundles), typecheck, lint
//   3. unit, differential (real fail2ban), LSP end-to-end and client integration tests (node:test)
//   4. grammar tests
//   5. real VS Code: extension-host suite + UI tests + packaged VSIX smoke test
// A stage that cannot run fails the run; nothing is skipped. The last line states the totals.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemDeps } from './system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);

/** Runs a command, echoing its output, and returns { code, output }. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    const forward = (stream, sink) =>
      stream.on('data', (chunk) => {
        output += chunk;
        sink.write(chunk);
      });
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    child.on('error', (err) => resolve({ code: 1, output: String(err) }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Counts from a stage's output: node:test's summary, mocha's, or our own result line. */
function countResults(output, code) {
  const num = (re) => {
    const all = [...output.matchAll(re)];
    return all.length ? Number(all[all.length - 1][1]) : undefined;
  };
  const own = [...output.matchAll(/^dms-fail2ban-results: (\{.*\})$/gm)];
  if (own.length) {
    const r = JSON.parse(own[own.length - 1][1]);
    return { passed: r.passed, failed: r.failed + (code !== 0 && r.failed === 0 ? 1 : 0) };
  }
  const passed = num(/^[#ℹ] pass (\d+)$/gm) ?? num(/^\s*(\d+) passing/gm);
  const failed = num(/^[#ℹ] fail (\d+)$/gm) ?? num(/^\s*(\d+) failing/gm) ?? 0;
  if (passed === undefined) return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  return { passed, failed: failed + (code !== 0 && failed === 0 ? 1 : 0) };
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const stages = [
  { name: 'build', cmd: npm, args: ['run', '-s', 'build'] },
  { name: 'typecheck', cmd: npm, args: ['run', '-s', 'typecheck'] },
  { name: 'lint', cmd: npm, args: ['run', '-s', 'lint'] },
  { name: 'unit', cmd: process.execPath, args: ['scripts/run-node-tests.mjs', 'test/unit'] },
  { name: 'grammar', cmd: npm, args: ['run', '-s', 'test:grammar'] },
  { name: 'vscode', cmd: process.execPath, args: ['test/vscode/run.mjs'] },
];

ensureSystemDeps();
const totals = { passed: 0, failed: 0 };
const summary = [];
for (const stage of stages) {
  if (only.length && !only.includes(stage.name)) continue;
  console.log(`\n=== ${stage.name} ===`);
  const started = Date.now();
  const { code, output } = await run(stage.cmd, stage.args);
  const r = countResults(output, code);
  totals.passed += r.passed;
  totals.failed += r.failed;
  summary.push(`${stage.name.padEnd(10)} ${code === 0 ? 'ok  ' : 'FAIL'} ${r.passed} passed, ${r.failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (stage.name === 'build' && code !== 0) break;
}
console.log('\n=== summary ===');
for (const line of summary) console.log(line);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
