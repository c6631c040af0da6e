// "Follow" for Show Log: re-reads the end of fail2ban's log every few seconds while the log tab is open, keeping
// at most FOLLOW_MAX_LINES lines (an editor never grows without bound). Polling `tail -n`, not `tail -f`: one short
// docker exec per tick that the runner's timeout and abort cover, and nothing left running in the container.
// No `vscode` import: the extension hands in where the text goes (tested in Node against the stand-in docker).
import type { Fail2banService } from '../docker/fail2banService';
import type { DockerFailure } from '../docker/errors';

export const FOLLOW_MAX_LINES = 5000;
export const FOLLOW_INTERVAL_MS = 3000;

export interface FollowSink {
  /** The log's last lines (at most FOLLOW_MAX_LINES), each time they changed. */
  text(text: string): void | Promise<void>;
  /** A tick failed (the follower stops). */
  failed(failure: DockerFailure): void;
}

export class LogFollower {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last: string | undefined;
  private busy = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly service: Fail2banService,
    private readonly logPath: string,
    private readonly sink: FollowSink,
    private readonly maxLines = FOLLOW_MAX_LINES,
  ) {}

  get following(): boolean {
    return this.timer !== undefined;
  }

  start(intervalMs = FOLLOW_INTERVAL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), intervalMs);
  }

  /** One read; skipped while the previous one still runs (a slow daemon never piles up docker processes). */
  async tick(): Promise<boolean> {
    if (this.busy || this.abort.signal.aborted) return false;
    this.busy = true;
    try {
      const read = await this.service.withSignal(this.abort.signal).readLogFiles(this.logPath, { lines: this.maxLines, onlyFail2banLog: true });
      if (this.abort.signal.aborted) return false;
      if (!read.ok) {
        this.stop();
        this.sink.failed(read.failure);
        return false;
      }
      const text = boundLines(read.value.text, this.maxLines);
      if (text === this.last) return false;
      this.last = text;
      await this.sink.text(text);
      return true;
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
  }
}

/** The last `maxLines` lines of `text` (a final newline kept). */
export function boundLines(text: string, maxLines: number): string {
  const lines = text.split('\n');
  const trailing = lines.at(-1) === '' ? 1 : 0;
  if (lines.length - trailing <= maxLines) return text;
  return lines.slice(lines.length - trailing - maxLines).join('\n');
}
