// Parser linearity in CPU time, next to its goal: parsing one input of size N against 8 inputs of size N/8 (same
// number of characters; linear ≈ 1, quadratic ≈ 8) for each pathological shape of test/support/pathologicalInputs.ts.
// `npm test` checks the same shapes by counting work (test/unit/parser/pathological.test.ts); times live here.
//
// Measured in a child process with a large young generation (--max-semi-space-size): with Node's default one the
// big document outlives several scavenges and gets copied each time while the small ones die young, which alone
// made a linear parse of 20k duplicate lines measure a ratio of 4.6–5.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseDocument } from '../server/src/parser/parse';
import { PATHOLOGICAL_SHAPES } from '../test/support/pathologicalInputs';
import { below, line } from './stats';

const FACTOR = 8;
const GOAL_RATIO = 2;
const CHILD_FLAG = '--linearity-child';
const YOUNG_GENERATION_FLAG = '--max-semi-space-size=128';

function cpuMilliseconds(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Best of several trials, to keep other processes' noise out. */
function bestOf(trials: number, work: () => void): number {
  let best = Infinity;
  for (let i = 0; i < trials; i++) best = Math.min(best, cpuMilliseconds(work));
  return best;
}

interface Measured {
  title: string;
  largeChars: number;
  largeMs: number;
  smallMs: number;
}

function measure(): Measured[] {
  return PATHOLOGICAL_SHAPES.map(({ title, makeInput, size }) => {
    const small = makeInput(size / FACTOR);
    const large = makeInput(size);
    parseDocument(small); // warm up the JIT on both shapes
    parseDocument(large);
    const smallMs = bestOf(5, () => {
      for (let i = 0; i < FACTOR; i++) parseDocument(small);
    });
    const largeMs = bestOf(5, () => parseDocument(large));
    return { title, largeChars: large.length, largeMs, smallMs };
  });
}

/** One line per shape: the CPU-time ratio, next to the goal. */
export function linearityFigures(): string[] {
  const child = spawnSync(process.execPath, [YOUNG_GENERATION_FLAG, '--import', 'tsx', __filename, CHILD_FLAG], {
    cwd: resolve(__dirname, '..'),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`linearity child failed (exit ${child.status}): ${child.stderr}`);
  return (JSON.parse(child.stdout) as Measured[]).map(({ title, largeMs, smallMs }) => {
    const ratio = largeMs / Math.max(smallMs, 0.5);
    return line(`linearity (1×N vs ${FACTOR}×N/8 CPU): ${title}`, `${ratio.toFixed(2)}×`, below(ratio, GOAL_RATIO, '×'));
  });
}

if (process.argv.includes(CHILD_FLAG)) process.stdout.write(JSON.stringify(measure()));
