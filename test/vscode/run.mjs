#!/usr/bin/env node
// The VS Code tests `npm test` runs (stage "vscode"): a real VS Code server (code-server 4.100.3's, installed
// into .vscode-test/ once) with its workbench in Chromium. Parts: suite, ui, vsix (default: all, in order):
//   node test/vscode/run.mjs [suite] [ui] [vsix]
// If anything needed cannot be set up, the run FAILS; nothing is skipped. The last line is always
//   dms-fail2ban-results: {"passed":N,"failed":M}
// (totals of all parts), which scripts/test-all.mjs reads. See docs/TESTING.md.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/cjs/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const started = Date.now();
let totals = { passed: 0, failed: 1 };
try {
  const { ensureSystemDeps } = await import('../../scripts/system-deps.mjs');
  const { ensureVscodeServer } = await import('../../scripts/vscode-server-setup.mjs');
  ensureSystemDeps({ quiet: true });
  const serverMain = ensureVscodeServer();
  // The runner is TypeScript (it shares test/support with the unit tests); tsx compiles it on load.
  register();
  const { run, PARTS } = createRequire(import.meta.url)('./runner/main.ts');
  const asked = process.argv.slice(2);
  const unknown = asked.filter((part) => !PARTS.includes(part));
  if (unknown.length > 0) throw new Error(`Unknown part(s) ${unknown.join(', ')}; choose from ${PARTS.join(', ')}`);
  const tally = await run({ root, serverMain, parts: asked.length > 0 ? asked : PARTS });
  totals = tally.totals(); // a run with nothing passed and nothing failed counts as failed
  process.stdout.write(tally.summary());
} catch (error) {
  console.error(`VS Code tests could not run: ${error instanceof Error ? error.stack : error}`);
}
console.log(`\nVS Code tests: ${totals.passed} passed, ${totals.failed} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
console.log(`dms-fail2ban-results: ${JSON.stringify(totals)}`);
process.exit(totals.failed > 0 ? 1 : 0);
