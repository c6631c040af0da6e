// CLI start-up: the whole process `node dist/cli.js check <DMS's default fail2ban-jail.cf>` against a bare
// `node -e 0` (the floor any Node CLI pays), as a ratio of medians. Goal: within 1.3× (issue 12).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DMS_DEFAULT_JAIL_FILE } from './inProcess';
import { below, line, median, ms } from './stats';

const ROOT = resolve(__dirname, '..');

function wallMs(args: readonly string[]): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const elapsed = performance.now() - start;
  if (run.status !== 0 && run.status !== 1) throw new Error(`node ${args.join(' ')} failed (exit ${run.status}): ${run.stderr}`);
  return elapsed;
}

export function cliStartupFigures(runs = 15): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'dms-cli-start-')), 'fail2ban-jail.cf');
  writeFileSync(file, DMS_DEFAULT_JAIL_FILE);
  const cli = [join(ROOT, 'dist', 'cli.js'), 'check', file];
  const bare: number[] = [];
  const check: number[] = [];
  wallMs(['-e', '0']);
  wallMs(cli);
  // interleaved, so a burst of load hits both alike
  for (let i = 0; i < runs; i++) {
    bare.push(wallMs(['-e', '0']));
    check.push(wallMs(cli));
  }
  const ratio = median(check) / median(bare);
  return [
    line(`CLI: node -e 0 (median of ${runs})`, ms(median(bare))),
    line(`CLI: check of DMS's default fail2ban-jail.cf (median of ${runs})`, ms(median(check))),
    line('CLI start-up: check / node -e 0', `${ratio.toFixed(2)}×`, below(ratio, 1.3, '×', true)),
  ];
}

if (require.main === module) for (const figure of cliStartupFigures()) console.log(figure);
