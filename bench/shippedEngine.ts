// The engine as it ships: the in-process figures time an esbuild bundle of it, built the way scripts/build.mjs builds
// dist/ (CommonJS, node20, minified as in the VSIX and the CLI), not the TypeScript source run through tsx. Under tsx
// every use of an imported binding goes through two getters (its CommonJS interop), which made a whole check of the
// realistic 1 MB file ~30 % slower than the bundled code the CLI and the language server run (issue 12: median
// 52–61 vs 82–113 ms CPU, best 42–44 vs 61–65 ms, same machine, interleaved).
import { buildSync } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type * as EngineEntry from './engineEntry';

const ROOT = resolve(__dirname, '..');

function bundledEngine(): typeof EngineEntry {
  const outfile = join(mkdtempSync(join(tmpdir(), 'dms-bench-engine-')), 'engine.js');
  buildSync({
    entryPoints: [join(ROOT, 'bench', 'engineEntry.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    mainFields: ['module', 'main'],
    logLevel: 'warning',
    outfile,
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(outfile) as typeof EngineEntry;
}

export const engine: typeof EngineEntry = bundledEngine();
