// Small measuring helpers: percentiles, timing loops, and the one-line report format with goals.
import { performance } from 'node:perf_hooks';

export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index];
}

export const median = (samples: readonly number[]): number => percentile(samples, 0.5);

/** Wall-clock milliseconds of each of `runs` calls of `work` (after `warmup` untimed calls). */
export function timeRuns(work: () => unknown, runs: number, warmup = Math.min(20, runs)): number[] {
  for (let i = 0; i < warmup; i++) work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  return samples;
}

export interface Goal {
  /** e.g. '< 1 ms', '>= 50 MB/s' */
  text: string;
  met: boolean;
}

export function below(value: number, limit: number, unit: string, inclusive = false): Goal {
  return { text: `${inclusive ? '≤' : '<'} ${limit} ${unit}`, met: inclusive ? value <= limit : value < limit };
}

/** `stretch`: a higher figure the goal also names ("≥ 20 MB/s, stretch 50"); met is decided by `limit`. */
export function atLeast(value: number, limit: number, unit: string, stretch?: number): Goal {
  const stretchText = stretch === undefined ? '' : ` (stretch ${stretch}${unit}: ${value >= stretch ? 'met' : 'not yet'})`;
  return { text: `≥ ${limit}${unit}${stretchText}`, met: value >= limit };
}

/** "label ........ figure   (goal …: met/MISSED)" */
export function line(label: string, figure: string, goal?: Goal): string {
  const goalText = goal ? `   goal ${goal.text}: ${goal.met ? 'met' : 'MISSED'}` : '';
  return `${label.padEnd(66, ' ')} ${figure.padStart(14)}${goalText}`;
}

export function ms(value: number): string {
  return value < 10 ? `${value.toFixed(3)} ms` : `${value.toFixed(1)} ms`;
}
