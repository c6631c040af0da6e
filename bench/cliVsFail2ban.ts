// Whole-process time of `node dist/cli.js check` vs real `fail2ban-client -t` (1.1.0) on the same user file,
// laid out as DMS lays it out (DMS Dockerfile, target/scripts/startup/setup.d/security/misc.sh): the stock 1.1.0 tree, DMS's jail.local,
// fail2ban.d/fixes.local and filter.d/custom.conf, the user file as jail.d/user-jail.local.
// fail2ban-client -t only reads the configuration: it starts no server (socket/pid still point into the temp dir).
// It does look for each enabled jail's log files, so both programs run in a private mount namespace where a temp
// dir holding DMS's log files is bind-mounted over /var/log (the host's /var/log is never touched).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dmsFixesLocal, dmsJailLocal } from '../server/src/knowledge/dms';
import { atLeast, line, median, ms } from './stats';

const ROOT = resolve(__dirname, '..');
const FAIL2BAN_110 = join(ROOT, '.cache', 'fail2ban-1.1.0');
/** Debian 13 packaging, not what DMS's upstream .deb ships (same cut as scripts/gen-knowledge.mjs). */
const DEBIAN_JOURNAL_MARKER = '# In Debian, these services will log to the journal';

interface Layout {
  dir: string;
  configDir: string;
  userFile: string;
  /** mounted over /var/log */
  varLog: string;
}

/** DMS's log files (knowledge/dms.ts DMS_LOG_FILES). */
function dmsLogs(varLog: string): void {
  mkdirSync(join(varLog, 'mail'), { recursive: true });
  mkdirSync(join(varLog, 'supervisor'), { recursive: true });
  for (const file of ['mail/mail.log', 'mail/fail2ban.log', 'supervisor/fail2ban.log']) writeFileSync(join(varLog, file), '');
  symlinkSync('/var/log/mail/mail.log', join(varLog, 'mail.log'));
  symlinkSync('/var/log/mail/fail2ban.log', join(varLog, 'fail2ban.log'));
}

function layOutLikeDms(userText: string): Layout {
  const dir = mkdtempSync(join(tmpdir(), 'dms-f2b-bench-'));
  const configDir = join(dir, 'fail2ban');
  cpSync(join(FAIL2BAN_110, 'etc', 'fail2ban'), configDir, { recursive: true });
  rmSync(join(configDir, 'jail.d', 'defaults-debian.conf'), { force: true });
  const pathsDebian = join(configDir, 'paths-debian.conf');
  const paths = readFileSync(pathsDebian, 'utf8');
  const cut = paths.indexOf(DEBIAN_JOURNAL_MARKER);
  if (cut >= 0) writeFileSync(pathsDebian, paths.slice(0, cut));
  writeFileSync(join(configDir, 'jail.local'), dmsJailLocal('v15.1.0'));
  writeFileSync(join(configDir, 'fail2ban.d', 'fixes.local'), dmsFixesLocal('v15.1.0') ?? '');
  writeFileSync(join(configDir, 'filter.d', 'custom.conf'), '[Definition]\n');
  writeFileSync(join(configDir, 'jail.d', 'user-jail.local'), userText);
  // the file as the user edits it (its name tells the CLI the kind)
  const userFile = join(dir, 'fail2ban-jail.cf');
  writeFileSync(userFile, userText);
  const varLog = join(dir, 'var-log');
  dmsLogs(varLog);
  return { dir, configDir, userFile, varLog };
}

interface Run {
  ms: number;
  status: number | null;
  output: string;
}

/** Runs `command` with the layout's /var/log (same wrapper for both programs, so the comparison stays fair). */
function run(layout: Layout, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const wrapper = ['--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$0" /var/log && exec "$@"', layout.varLog, command, ...args];
  const start = performance.now();
  const result = spawnSync('unshare', wrapper, { encoding: 'utf8', env, timeout: 120_000 });
  const elapsed = performance.now() - start;
  if (result.error) throw result.error;
  return { ms: elapsed, status: result.status, output: `${result.stdout}${result.stderr}` };
}

function fail2banTest(layout: Layout): Run {
  const env = { ...process.env, PYTHONPATH: join(FAIL2BAN_110, 'usr', 'lib', 'python3', 'dist-packages') };
  const client = join(FAIL2BAN_110, 'usr', 'bin', 'fail2ban-client');
  const args = [client, '-c', layout.configDir, '-s', join(layout.dir, 'socket'), '-p', join(layout.dir, 'pid'), '-t'];
  return run(layout, '/usr/bin/python3', args, env);
}

function cliCheck(layout: Layout, env: NodeJS.ProcessEnv = process.env): Run {
  return run(layout, process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', layout.userFile], env);
}


/**
 * Median whole-process times of both on `userText`; fail2ban must accept it (else the comparison is void).
 * `minSpeedUp`: the goal for fail2ban's time / the CLI's (issue 12: 5× on a big file; on DMS's default file, where
 * both times are mostly process start-up, the CLI is to be faster at all).
 */
export function cliFigures(label: string, userText: string, { runs = 9, minSpeedUp = 5 }: { runs?: number; minSpeedUp?: number } = {}): string[] {
  const layout = layOutLikeDms(userText);
  try {
    // fail2ban (Python) pays nothing for NODE_EXTRA_CA_CERTS; node loads those certificates first (~40 ms). The goal
    // compares the two as a user's shell runs them, without it; this environment's figure follows when it is set.
    const { NODE_EXTRA_CA_CERTS: certificates, ...plainEnv } = process.env;
    const fail2ban: number[] = [];
    const cli: number[] = [];
    const cliWithCertificates: number[] = [];
    const ourCheck = (env?: NodeJS.ProcessEnv): number => {
      const ours = cliCheck(layout, env);
      if (ours.status !== 0 && ours.status !== 1) throw new Error(`dist/cli.js check crashed (exit ${ours.status}):\n${ours.output}`);
      return ours.ms;
    };
    for (let i = 0; i < runs; i++) {
      const real = fail2banTest(layout);
      if (real.status !== 0) throw new Error(`fail2ban-client -t rejected the benchmark config (exit ${real.status}):\n${real.output}`);
      fail2ban.push(real.ms);
      cli.push(ourCheck(plainEnv));
      if (certificates) cliWithCertificates.push(ourCheck());
    }
    const ratio = median(fail2ban) / median(cli);
    const figures = [
      line(`${label}: CLI 'node dist/cli.js check' (median of ${runs} processes)`, ms(median(cli))),
      line(`${label}: 'fail2ban-client -t' 1.1.0, DMS layout (median of ${runs} processes)`, ms(median(fail2ban))),
      line(`${label}: CLI speed-up over fail2ban-client -t`, `${ratio.toFixed(2)}×`, atLeast(ratio, minSpeedUp, '×')),
    ];
    if (certificates) {
      figures.push(
        line(`${label}: CLI with this environment's NODE_EXTRA_CA_CERTS (median of ${runs})`, ms(median(cliWithCertificates))),
        line(`${label}: CLI speed-up with NODE_EXTRA_CA_CERTS`, `${(median(fail2ban) / median(cliWithCertificates)).toFixed(2)}×`),
      );
    }
    return figures;
  } finally {
    rmSync(layout.dir, { recursive: true, force: true });
  }
}
