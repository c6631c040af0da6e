// `npm run package`: production build (minified bundles, no source maps), then `vsce package` →
// dms-fail2ban-<version>.vsix in the project root. The bundles hold every dependency, so vsce runs with
// --no-dependencies and .vscodeignore keeps only what the extension needs. With a `code` CLI on PATH the
// VSIX is also installed into that VS Code.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
}

function hasCodeCli() {
  const probe = spawnSync('code', ['--version'], { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
}

/** Builds and packages the extension; returns the VSIX path. */
export function packageVsix({ install = true } = {}) {
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = join(root, `${name}-${version}.vsix`);
  run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production']);
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix]);
  console.log(`${vsix} (${(statSync(vsix).size / 1024).toFixed(0)} KB)`);
  if (install && hasCodeCli()) run('code', ['--install-extension', vsix, '--force']);
  return vsix;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    packageVsix({ install: !process.argv.includes('--no-install') });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
