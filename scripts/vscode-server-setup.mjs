// Installs a real VS Code server (from the code-server npm package) into .vscode-test/code-server, cached.
// Recipe: docs/TESTING.md. VS Code itself cannot be
// downloaded here; code-server 4.100.3 ships VS Code 1.100.3's server and runs on Node 20.
import { existsSync, mkdirSync, symlinkSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const CACHE_DIR = join(root, '.vscode-test', 'code-server');
export const VSCODE_DIR = join(CACHE_DIR, 'node_modules', 'code-server', 'lib', 'vscode');
export const SERVER_MAIN = join(VSCODE_DIR, 'out', 'server-main.js');
const MARKER = join(CACHE_DIR, '.installed');

function run(cmd, args, cwd, env = {}) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed with exit code ${r.status}`);
}

export function ensureVscodeServer() {
  if (existsSync(MARKER) && readFileSync(MARKER, 'utf8').trim() === CODE_SERVER_VERSION && existsSync(SERVER_MAIN)) {
    return SERVER_MAIN;
  }
  console.log(`Installing VS Code server (code-server ${CODE_SERVER_VERSION}) into .vscode-test/ — about 5 minutes, once.`);
  rmSync(CACHE_DIR, { recursive: true, force: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(join(CACHE_DIR, 'package.json'), '{ "name": "vscode-server-cache", "private": true }\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  run(npm, ['install', '--ignore-scripts', ...quiet, `code-server@${CODE_SERVER_VERSION}`], CACHE_DIR);
  run(npm, ['install', '--omit=dev', '--ignore-scripts', ...quiet], VSCODE_DIR);
  run(
    npm,
    ['rebuild', ...quiet, 'kerberos', '@parcel/watcher', '@vscode/spdlog', 'node-pty', 'native-watchdog', '@vscode/deviceid'],
    VSCODE_DIR,
    { npm_config_yes: 'true' },
  );
  // @vscode/ripgrep's post-install downloads rg from GitHub; use Debian's instead.
  const rgBin = join(VSCODE_DIR, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgBin, { recursive: true });
  rmSync(join(rgBin, 'rg'), { force: true });
  symlinkSync('/usr/bin/rg', join(rgBin, 'rg'));
  if (!existsSync(SERVER_MAIN)) throw new Error(`VS Code server install incomplete: ${SERVER_MAIN} missing`);
  writeFileSync(MARKER, `${CODE_SERVER_VERSION}\n`);
  return SERVER_MAIN;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(ensureVscodeServer());
}
