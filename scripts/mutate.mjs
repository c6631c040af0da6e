#!/usr/bin/env node
// `npm run mutate`: targeted mutation testing. Applies each mutation of scripts/mutants.mjs on its own, runs
// only the unit test files named for it, and counts it KILLED (some test failed) or SURVIVED (all passed).
// A survivor is a gap in the tests — unless the mutant is marked `equivalent` (no test can tell it from the
// original; the reason is listed in docs/TESTING.md). Not part of `npm test`.
//
//   npm run mutate                   every mutant (a few minutes)
//   npm run mutate -- ip address     only mutants whose id contains one of the words
//   npm run mutate -- --check        only check that every mutant still applies (text found exactly once)
//
// The mutated file is ALWAYS restored: after each run, on an exception, on Ctrl-C/SIGTERM, and — should this
// process be killed outright — on the next run, from the backup written before each mutation.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTANTS } from './mutants.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BACKUP = join(ROOT, '.mutate-backup.json'); // in .gitignore
/** A mutant whose tests run longer than this is counted as killed (a hang is a detected change). */
const MUTANT_TIMEOUT_MS = 5 * 60_000;

const args = process.argv.slice(2);
const checkOnly = args.includes('--check');
const words = args.filter((a) => !a.startsWith('--'));
const selected = MUTANTS.filter((m) => words.length === 0 || words.some((w) => m.id.includes(w)));

/** The one mutation applied right now: { file, original } (original = the text to write back). */
let applied;

function restore() {
  if (!applied) return;
  writeFileSync(join(ROOT, applied.file), applied.original);
  applied = undefined;
  rmSync(BACKUP, { force: true });
}

function restoreLeftover() {
  if (!existsSync(BACKUP)) return;
  const leftover = JSON.parse(readFileSync(BACKUP, 'utf8'));
  writeFileSync(join(ROOT, leftover.file), leftover.original);
  rmSync(BACKUP, { force: true });
  console.log(`restored ${leftover.file} left mutated by an interrupted run`);
}

function occurrences(text, find) {
  let count = 0;
  for (let at = text.indexOf(find); at !== -1; at = text.indexOf(find, at + 1)) count++;
  return count;
}

function apply(mutant) {
  const path = join(ROOT, mutant.file);
  const original = readFileSync(path, 'utf8');
  const count = occurrences(original, mutant.find);
  if (count !== 1) throw new Error(`mutant '${mutant.id}': its text occurs ${count} times in ${mutant.file} (must be once) — update scripts/mutants.mjs`);
  writeFileSync(BACKUP, JSON.stringify({ file: mutant.file, original }));
  applied = { file: mutant.file, original };
  writeFileSync(path, original.replace(mutant.find, () => mutant.replace));
}

let running;

/** Kills the test run with every process it started (its own process group): no test file's child outlives it. */
function killRun(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Runs node:test on `files`; resolves { passed, output }. */
function runTests(files, timeoutMs = MUTANT_TIMEOUT_MS) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=dot', ...files], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // a process group of its own, so that killRun reaches the test files' processes too
    });
    running = child;
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killRun(child);
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      running = undefined;
      resolve({ passed: code === 0 && !timedOut, timedOut, output });
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (running) killRun(running);
    restore();
    console.log(`\n${signal}: stopped; ${applied ? 'could not restore' : 'every file restored'}`);
    process.exit(130);
  });
}
process.on('exit', restore);

async function main() {
  restoreLeftover();
  if (selected.length === 0) throw new Error(`no mutant matches ${words.join(', ')}`);
  for (const mutant of selected) {
    apply(mutant); // checks that the text is found exactly once
    restore();
  }
  if (checkOnly) {
    console.log(`${selected.length} mutants apply cleanly`);
    return 0;
  }

  // the unmutated code must pass every test file used, or no verdict means anything
  const allFiles = [...new Set(selected.flatMap((m) => m.tests))].sort();
  const baseline = await runTests(allFiles);
  if (!baseline.passed) {
    console.log(baseline.output);
    throw new Error('the tests fail without any mutation: fix them first');
  }

  const started = Date.now();
  const results = [];
  for (const [index, mutant] of selected.entries()) {
    const t0 = Date.now();
    let outcome;
    try {
      apply(mutant);
      outcome = await runTests(mutant.tests, mutant.timeoutMs);
    } finally {
      restore();
    }
    const verdict = !outcome.passed ? 'killed' : mutant.equivalent ? 'equivalent' : 'SURVIVED';
    results.push({ mutant, verdict });
    const note = outcome.timedOut ? ' (tests hung: counted as killed)' : '';
    console.log(`${String(index + 1).padStart(3)}/${selected.length} ${verdict.padEnd(10)} ${mutant.id}  [${((Date.now() - t0) / 1000).toFixed(1)} s]${note}`);
  }

  const count = (verdict) => results.filter((r) => r.verdict === verdict).length;
  const killed = count('killed');
  const survived = results.filter((r) => r.verdict === 'SURVIVED');
  const equivalent = results.filter((r) => r.verdict === 'equivalent');
  const score = (killed / Math.max(1, results.length - equivalent.length)) * 100;
  console.log(`\n${results.length} mutants: ${killed} killed, ${survived.length} survived, ${equivalent.length} equivalent ` + `(${((Date.now() - started) / 1000).toFixed(0)} s)`);
  console.log(`mutation score: ${score.toFixed(1)}% (killed / non-equivalent mutants); ${((killed / results.length) * 100).toFixed(1)}% of all`);
  for (const { mutant } of equivalent) console.log(`  equivalent: ${mutant.id} — ${mutant.equivalent}`);
  for (const { mutant } of survived) console.log(`  SURVIVED:   ${mutant.id} (${mutant.file}) — add a test that notices it, or explain why it is equivalent`);
  return survived.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    restore();
    console.error(`mutate: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
