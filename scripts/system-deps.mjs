// Makes sure the system packages the tests need are present. As root with apt it installs them;
// otherwise it stops with the exact command to run. Never skips: a missing part fails the run.
//
//  - fail2ban 1.0.2 (Debian 12 package; DMS v12–v14) → /usr/bin/fail2ban-client, fail2ban-server
//  - fail2ban 1.1.0 (the version DMS v15 ships): Debian 13's fail2ban_1.1.0 .deb, pure Python,
//    unpacked into .cache/fail2ban-1.1.0 and run with the system python3 (3.11, like DMS v15.1.0)
//  - fail2ban 1.1.1 (the version DMS v16 ships): Debian unstable's fail2ban_1.1.1 .deb, the same way,
//    unpacked into .cache/fail2ban-1.1.1
//  - chromium, ripgrep and the headers VS Code server's native modules build against
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FAIL2BAN_110_DIR = join(root, '.cache', 'fail2ban-1.1.0');
export const FAIL2BAN_111_DIR = join(root, '.cache', 'fail2ban-1.1.1');

const APT_PACKAGES = [
  'fail2ban', 'python3-pyinotify', 'python3-systemd',
  'chromium', 'ripgrep',
  'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config',
];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

function missingAptPackages() {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...APT_PACKAGES], { encoding: 'utf8' });
  const installed = new Set(
    (r.stdout || '').split('\n').filter((l) => l.endsWith(' installed')).map((l) => l.split(' ')[0]),
  );
  return APT_PACKAGES.filter((p) => !installed.has(p));
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');

export function ensureSystemDeps({ quiet = false } = {}) {
  const missing = missingAptPackages();
  if (missing.length > 0) {
    const cmd = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
    if (!isRoot || !hasApt) {
      console.error(`Missing system packages: ${missing.join(', ')}.\nRun as root:\n  ${cmd}`);
      process.exit(1);
    }
    if (!quiet) console.log(`Installing system packages: ${missing.join(', ')}`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  for (const pkg of DEBIAN_FAIL2BAN_PACKAGES) ensureDebianFail2ban(pkg, { quiet });
}

/**
 * fail2ban versions taken from a Debian suite as the pure-Python `_all.deb`, unpacked into .cache and run
 * with the system python3. Each suite has its own apt lists folder so one never disturbs the other.
 */
export const DEBIAN_FAIL2BAN_PACKAGES = [
  // the version DMS v15 ships
  { version: '1.1.0', suite: 'trixie', dir: FAIL2BAN_110_DIR },
  // the version DMS v16 ships (docker-mailserver#4755); Debian unstable carries 1.1.1-1
  { version: '1.1.1', suite: 'sid', dir: FAIL2BAN_111_DIR },
];

function ensureDebianFail2ban({ version, suite, dir }, { quiet }) {
  const client = join(dir, 'usr', 'bin', 'fail2ban-client');
  if (existsSync(client)) return;
  const work = join(root, '.cache', `apt-${suite}`);
  const sources = join(work, `${suite}.sources`);
  const cmdHint =
    `fail2ban ${version} comes from Debian ${suite}: the test set-up downloads fail2ban_${version}-*_all.deb with apt-get and unpacks it into .cache/fail2ban-${version}`;
  if (!hasApt) {
    console.error(`${cmdHint}, which needs apt-get.`);
    process.exit(1);
  }
  if (!quiet) console.log(`Fetching fail2ban ${version} (Debian ${suite} package) into .cache/fail2ban-${version}`);
  mkdirSync(join(work, 'lists', 'partial'), { recursive: true });
  mkdirSync(join(work, 'cache', 'archives', 'partial'), { recursive: true });
  writeFileSync(
    sources,
    `Types: deb\nURIs: http://deb.debian.org/debian\nSuites: ${suite}\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
  );
  const aptOpts = [
    '-o', `Dir::Etc::sourcelist=${sources}`, '-o', 'Dir::Etc::sourceparts=-',
    '-o', `Dir::State::Lists=${join(work, 'lists')}`, '-o', `Dir::Cache=${join(work, 'cache')}`,
    '-o', 'APT::Sandbox::User=root', '-qq',
  ];
  run('apt-get', [...aptOpts, 'update']);
  run('apt-get', [...aptOpts, 'download', `fail2ban=${version}*`], { cwd: work });
  const debName = new RegExp(`^fail2ban_${version.replace(/\./g, '\\.')}.*_all\\.deb$`);
  const deb = readdirSync(work).find((f) => debName.test(f));
  if (!deb) throw new Error(`fail2ban ${version} .deb was not downloaded`);
  mkdirSync(dir, { recursive: true });
  run('dpkg-deb', ['-x', join(work, deb), dir]);
  if (!existsSync(client)) throw new Error(`fail2ban ${version} unpacked but ${client} is missing`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureSystemDeps();
  console.log('System dependencies are present.');
}
