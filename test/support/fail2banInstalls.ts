// Where each real fail2ban lives on this machine (scripts/system-deps.mjs installs both), and the one check
// that they are there: tests never skip, a missing install is installed or the test fails loudly.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Fail2banVersion } from '../standin/lib/dmsVersions';

/** The repository root: found by walking up, so this file also works when bundled into another folder. */
function findProjectRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && /"name":\s*"dms-fail2ban"/.test(readFileSync(manifest, 'utf8'))) return dir;
    if (dirname(dir) === dir) return resolve(__dirname, '..', '..');
  }
}
export const PROJECT_ROOT = findProjectRoot();

/** The system python3 (3.11, like DMS v15.1.0); runs both fail2ban versions. */
export const PYTHON = '/usr/bin/python3';

export interface Fail2banInstall {
  /** Its stock /etc/fail2ban. */
  configTree: string;
  /** Holds fail2ban-client, fail2ban-server, fail2ban-regex. */
  binDir: string;
  client: string;
  /** The folder holding its `fail2ban` Python package. */
  packagesDir: string;
  /** PYTHONPATH to run it with; undefined = none (Debian 12's 1.0.2 is on python3's own path). */
  pythonPath?: string;
}

const FAIL2BAN_110_DIR = join(PROJECT_ROOT, '.cache', 'fail2ban-1.1.0');
const FAIL2BAN_110_PACKAGES = join(FAIL2BAN_110_DIR, 'usr', 'lib', 'python3', 'dist-packages');

export const FAIL2BAN_INSTALLS: Readonly<Record<Fail2banVersion, Fail2banInstall>> = {
  // Debian 13's pure-Python package, unpacked
  '1.1.0': {
    configTree: join(FAIL2BAN_110_DIR, 'etc', 'fail2ban'),
    binDir: join(FAIL2BAN_110_DIR, 'usr', 'bin'),
    client: join(FAIL2BAN_110_DIR, 'usr', 'bin', 'fail2ban-client'),
    packagesDir: FAIL2BAN_110_PACKAGES,
    pythonPath: FAIL2BAN_110_PACKAGES,
  },
  // Debian 12's package (apt)
  '1.0.2': {
    configTree: '/etc/fail2ban',
    binDir: '/usr/bin',
    client: '/usr/bin/fail2ban-client',
    packagesDir: '/usr/lib/python3/dist-packages',
  },
};

let systemDepsChecked = false;

/** Same guarantee as scripts/system-deps.mjs ensureSystemDeps(): install what is missing or fail loudly. */
export function ensureFail2banInstalled(): void {
  if (systemDepsChecked) return;
  const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'system-deps.mjs')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) {
    throw new Error(`scripts/system-deps.mjs failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  for (const [version, install] of Object.entries(FAIL2BAN_INSTALLS)) {
    if (!existsSync(install.client)) throw new Error(`fail2ban ${version} is missing: ${install.client}`);
    if (!existsSync(join(install.packagesDir, 'fail2ban'))) throw new Error(`fail2ban ${version} package missing in ${install.packagesDir}`);
  }
  systemDepsChecked = true;
}
