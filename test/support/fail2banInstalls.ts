// Where each real fail2ban lives on this machine (scripts/system-deps.mjs installs all three), and the one check
// that they are there: tests never skip, a missing install is installed or the test fails loudly.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Fail2banVersion } from '../../server/src/types';
import debianPatches from '../../scripts/debian-patches.json';

/** The repository root: found by walking up, so this file also works when bundled into another folder. */
function findProjectRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && /"name":\s*"dms-fail2ban"/.test(readFileSync(manifest, 'utf8'))) return dir;
    if (dirname(dir) === dir) return resolve(__dirname, '..', '..');
  }
}
export const PROJECT_ROOT = findProjectRoot();

/** The system python3 (3.11, like DMS v15.1.0); runs every fail2ban version. */
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

/** A Debian `_all.deb` unpacked into .cache/fail2ban-<version> by scripts/system-deps.mjs. */
function unpackedDebian(version: Fail2banVersion): Fail2banInstall {
  const dir = join(PROJECT_ROOT, '.cache', `fail2ban-${version}`);
  const packagesDir = join(dir, 'usr', 'lib', 'python3', 'dist-packages');
  return {
    configTree: join(dir, 'etc', 'fail2ban'),
    binDir: join(dir, 'usr', 'bin'),
    client: join(dir, 'usr', 'bin', 'fail2ban-client'),
    packagesDir,
    pythonPath: packagesDir,
  };
}

export const FAIL2BAN_INSTALLS: Readonly<Record<Fail2banVersion, Fail2banInstall>> = {
  // Debian unstable's pure-Python package (the version DMS v16 ships), unpacked
  '1.1.1': unpackedDebian('1.1.1'),
  // Debian 13's pure-Python package (the version DMS v15 ships), unpacked
  '1.1.0': unpackedDebian('1.1.0'),
  // Debian 12's package (apt)
  '1.0.2': {
    configTree: '/etc/fail2ban',
    binDir: '/usr/bin',
    client: '/usr/bin/fail2ban-client',
    packagesDir: '/usr/lib/python3/dist-packages',
  },
};

interface DebianPatch {
  version: string;
  file: string;
  why: string;
  find: string;
  replace: string;
}

/**
 * `text` of stock file `file` (relative to /etc/fail2ban) with the Debian package's changes undone, i.e. what
 * the upstream .deb DMS installs carries (scripts/debian-patches.json; scripts/gen-knowledge.mjs undoes the
 * same). A change not found exactly once throws: a new Debian revision must be looked at, not guessed.
 */
export function upstreamStockText(version: Fail2banVersion, file: string, text: string): string {
  let out = text;
  for (const patch of (debianPatches.patches as DebianPatch[]).filter((p) => p.version === version && p.file === file)) {
    const count = out.split(patch.find).length - 1;
    if (count !== 1) throw new Error(`Debian change to ${file} (fail2ban ${version}) found ${count} times, expected once: ${patch.why}`);
    out = out.replace(patch.find, () => patch.replace);
  }
  return out;
}

/** Stock files some Debian package changes (and upstreamStockText() undoes). */
export const DEBIAN_PATCHED_FILES: readonly string[] = [...new Set((debianPatches.patches as DebianPatch[]).map((p) => p.file))];

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
