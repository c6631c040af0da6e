// Bundles the extension client, the language server and the CLI with esbuild (CommonJS, Node 20).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  mainFields: ['module', 'main'],
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' }),
  // dist/cli.js is a small loader that runs dist/cli-main.js with a V8 code cache (faster start-up)
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli-main.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cliLoader.ts'], outfile: 'dist/cli.js' }),
  // the jail report's webview script with uPlot (and its CSS → dist/labWebview.css), for the browser
  esbuild.build({ ...common, platform: 'browser', target: 'es2022', format: 'iife', minify: true, entryPoints: ['client/src/lab/webview/main.ts'], outfile: 'dist/labWebview.js' }),
]);

// the CLI's stock documents, parsed by the engine just built (server/src/cli/stockDocuments.ts)
const generatorDir = mkdtempSync(join(tmpdir(), 'dms-fail2ban-build-'));
try {
  const generator = join(generatorDir, 'writeStockDocuments.js');
  await esbuild.build({ ...common, sourcemap: false, minify: false, entryPoints: ['server/src/cli/writeStockDocuments.ts'], outfile: generator });
  const run = spawnSync(process.execPath, [generator, 'dist/stock-documents.json'], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`writing dist/stock-documents.json failed (exit ${run.status})`);
} finally {
  rmSync(generatorDir, { recursive: true, force: true });
}

// esbuild escapes non-ASCII characters in code but keeps them in the comments it preserves; the CLI loader reads an
// ASCII bundle without UTF-8 decoding (V8's one-byte string), so comments get the same escapes (their meaning is kept).
const cliBundle = 'dist/cli-main.js';
const cliSource = readFileSync(cliBundle, 'utf8');
const asciiSource = cliSource.replace(/[^\0-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
if (asciiSource !== cliSource) writeFileSync(cliBundle, asciiSource);
