// Waiting for something asynchronous in a test: on the event when there is one (a file changing), else by
// polling — always with a GENEROUS limit that only a broken run reaches, however busy the machine. The test
// then asserts the outcome (the condition held), never how long it took.
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';

/** The limit for anything a test waits for: far beyond any normal run, even on a loaded 2-core machine. */
export const GENEROUS_WAIT_MS = 120_000;

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  /** The error message when the deadline passes (called then, so it can include late output). */
  timeoutMessage: () => string;
}

/** Resolves with the first value `predicate` returns that is not undefined; rejects after the deadline. */
export async function pollUntil<T>(predicate: () => T | undefined, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = predicate();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(options.timeoutMessage());
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}

export interface UntilOptions {
  /** A file whose changes (in its directory, so it may not exist yet) wake the check at once. */
  watchFile?: string;
  /** Fallback re-check interval. */
  intervalMs?: number;
  timeoutMs?: number;
}

/** Resolves once `condition` holds; rejects, naming `what`, only after the generous limit. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, options: UntilOptions = {}): Promise<void> {
  const { watchFile, intervalMs = 100, timeoutMs = GENEROUS_WAIT_MS } = options;
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  if (watchFile) {
    try {
      watcher = watch(dirname(watchFile), () => wake?.());
    } catch {
      // no such directory (yet): the interval re-check still sees the file appear
    }
  }
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (await condition()) return;
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    watcher?.close();
  }
}
