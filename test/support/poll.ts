// Waiting for something asynchronous in a test by polling, with a deadline and a useful failure message.

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
