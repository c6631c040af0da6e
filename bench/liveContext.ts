// Live container context bench: reading the context through the stand-in docker (real fail2ban 1.1.1 tree of the
// v16 image), and what a live context costs a re-check once it is cached, against the modelled release.
import { performance } from 'node:perf_hooks';
import { readContainerContext } from '../client/src/docker/liveContext';
import { checkDocument } from '../server/src/engine';
import type { ContainerContext } from '../server/src/shared';
import { startDmsContainer } from '../test/support/dmsContainer';
import { DMS_DEFAULT_JAIL_FILE } from './inProcess';
import { below, line, median, ms, timeRuns } from './stats';

const READS = 5;
const CHECKS = 200;

export async function liveContextFigures(): Promise<string[]> {
  const dms = await startDmsContainer({ name: 'mailserver', dmsVersion: 'v16' });
  const figures: string[] = [];
  try {
    const samples: number[] = [];
    let context: ContainerContext | undefined;
    for (let i = 0; i < READS; i++) {
      const start = performance.now();
      const read = await readContainerContext({ runtime: 'docker' }, 'mailserver', { timeoutMs: 30_000, env: dms.env });
      samples.push(performance.now() - start);
      if (!read.ok) throw new Error(read.reason);
      context = read.context;
    }
    // four docker calls in two round trips; the stand-in starts a node process per call (real docker exec: less)
    figures.push(line(`live context read through the stand-in (median of ${READS}, 4 docker calls)`, ms(median(samples)), below(median(samples), 1500, 'ms')));
    const live = context as ContainerContext;
    const text = DMS_DEFAULT_JAIL_FILE;
    const first = performance.now();
    checkDocument(text, { kind: 'dms-jail', container: live });
    figures.push(line('first check with a new live context (reads its files once)', ms(performance.now() - first)));
    const modelled = median(timeRuns(() => checkDocument(text, { kind: 'dms-jail', dmsVersion: 'v16' }), CHECKS));
    const cached = median(timeRuns(() => checkDocument(text, { kind: 'dms-jail', container: live }), CHECKS));
    figures.push(line('re-check DMS default fail2ban-jail.cf, modelled v16 (median)', ms(modelled)));
    figures.push(line('re-check DMS default fail2ban-jail.cf, cached live context (median)', ms(cached)));
    const added = cached - modelled;
    figures.push(line('cost a cached live context adds to a re-check', ms(Math.max(0, added)), below(added, 0.5, 'ms (nothing measurable)')));
  } finally {
    await dms.stop();
  }
  return figures;
}

if (require.main === module) {
  liveContextFigures().then(
    (figures) => {
      for (const figure of figures) console.log(figure);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
