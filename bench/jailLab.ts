// Jail lab bench: `test-jail postfix` over a generated 100 MB DMS mail log through the stand-in container
// (real fail2ban-regex 1.1.0). The extension side (our process: spawn, stream, tally) runs in a child
// process so its peak memory (maxRSS) is its own. Figures only; goals are printed next to them.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { below, line, ms } from './stats';

const ROOT = resolve(__dirname, '..');
const LOG_BYTES = 100 * 1024 * 1024;

interface ChildFigures {
  wallMs: number;
  maxRssMiB: number;
  lines: number;
  failures: number;
  expectedLines: number;
  expectedFailures: number;
  /** The same log as a local file streamed in (docker exec -i … tee), tested, removed. */
  streamedWallMs: number;
  streamedLines: number;
  streamedMaxRssMiB: number;
}

/** Runs in the child: start the stand-in, write the log, run the jail test, print figures as JSON. */
async function child(): Promise<void> {
  const { startDmsContainer } = await import('../test/support/dmsContainer');
  const { writeLargeMailLog } = await import('../test/support/mailLog');
  const { buildContextFromText } = await import('../server/src/context');
  const { runJailTest } = await import('../server/src/lab');
  const dms = await startDmsContainer({ name: 'mailserver', dmsVersion: 'v15.1' });
  try {
    const written = await writeLargeMailLog(dms.hostPath('/var/log/mail/big.log'), LOG_BYTES);
    const baseline = process.resourceUsage().maxRSS;
    const start = performance.now();
    const outcome = await runJailTest({
      context: buildContextFromText('', { kind: 'dms-jail' }),
      jail: 'postfix',
      target: { kind: 'container', docker: { runtime: 'docker', container: 'mailserver' }, logPath: '/var/log/mail/big.log' },
      env: dms.env,
    });
    const wallMs = performance.now() - start;
    if (!outcome.ok) throw new Error(outcome.message);
    const afterFirst = process.resourceUsage().maxRSS;
    const streamStart = performance.now();
    const streamed = await runJailTest({
      context: buildContextFromText('', { kind: 'dms-jail' }),
      jail: 'postfix',
      target: { kind: 'upload', docker: { runtime: 'docker', container: 'mailserver' }, source: { file: dms.hostPath('/var/log/mail/big.log') }, label: 'big.log' },
      env: dms.env,
    });
    const streamedWallMs = performance.now() - streamStart;
    if (!streamed.ok) throw new Error(streamed.message);
    const figures: ChildFigures = {
      wallMs,
      maxRssMiB: Math.max(baseline, afterFirst) / 1024,
      streamedWallMs,
      streamedLines: streamed.report.lines,
      streamedMaxRssMiB: process.resourceUsage().maxRSS / 1024,
      lines: outcome.report.lines,
      failures: outcome.report.failures,
      expectedLines: written.lines,
      expectedFailures: written.failures,
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await dms.stop();
  }
}

export function jailLabFigures(): string[] {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'jailLab.ts'), '--child'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`jail lab bench failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  const figures = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as ChildFigures;
  const counted = figures.lines === figures.expectedLines && figures.failures === figures.expectedFailures;
  return [
    line(`test-jail postfix, 100 MB log via stand-in (${figures.lines} lines, ${figures.failures} failures${counted ? '' : ' — COUNT MISMATCH'})`, ms(figures.wallMs), below(figures.wallMs / 1000, 180, 's')),
    line('test-jail peak memory of our process (maxRSS, 100 MB log)', `${figures.maxRssMiB.toFixed(0)} MiB`, below(figures.maxRssMiB, 200, 'MiB')),
    line(`test-jail --container --log: 100 MB local log streamed in (${figures.streamedLines === figures.expectedLines ? 'all lines' : 'LINE COUNT MISMATCH'})`, ms(figures.streamedWallMs), below(figures.streamedWallMs / 1000, 180, 's')),
    line('peak memory of our process including the streamed run (maxRSS)', `${figures.streamedMaxRssMiB.toFixed(0)} MiB`, below(figures.streamedMaxRssMiB, 200, 'MiB')),
  ];
}

if (process.argv.includes('--child')) {
  child().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
} else if (require.main === module) {
  for (const figure of jailLabFigures()) console.log(figure);
}
