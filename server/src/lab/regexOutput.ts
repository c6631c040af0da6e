// Reads fail2ban-regex's verbose report line by line (fail2ban 1.0.2 and 1.1.0, client/fail2banregex.py
// printStats): the "Lines:" totals, the "Failregex: N total" count, each failure as "<id>  <ctime>" under
// its regex (-v), the missed-line sample and error lines. Nothing is kept but counts and a small sample;
// every failure goes straight to `onFailure`, so the output of a huge log streams through.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `time.strftime("%a %b %d %H:%M:%S %Y")` in the C locale, as fail2ban-regex prints a failure's time. */
const FAILURE_LINE = /^\|\s+(\S+)\s{2}(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) (\d{4,})( \(multiple regex matched\))?$/;
const LINES_TOTAL = /^Lines: (\d+) lines, (\d+) ignored, (\d+) matched, (\d+) missed/;
const REGEX_TOTAL = /^(Failregex|Ignoreregex|Prefregex): (\d+) total$/;
const ERROR_LINE = /^(?:ERROR:|Wrong config file|Error:|No section|.*Error: )/;
const MAX_SAMPLE_LINES = 25;
const MAX_ERROR_LINES = 20;

export interface RegexTotals {
  lines: number;
  ignored: number;
  matched: number;
  missed: number;
}

/** Seconds since 1970 of a container-local wall-clock time read as if it were UTC (for differences only). */
export type WallSeconds = number;

export function formatWallTime(seconds: WallSeconds): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** `YYYY-MM-DD HH:MM:SS` (formatWallTime's form) back to wall seconds. */
export function parseWallTime(text: string): WallSeconds {
  const [date, time] = text.split(' ');
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm, ss] = time.split(':').map(Number);
  return Date.UTC(y, m - 1, d, hh, mm, ss) / 1000;
}

export class RegexOutputReader {
  totals?: RegexTotals;
  failregexTotal?: number;
  ignoreregexTotal?: number;
  readonly missedSamples: string[] = [];
  readonly errors: string[] = [];
  private section: 'none' | 'failregex' | 'ignoreregex' | 'other' = 'none';
  private listing: 'missed' | 'other' | undefined;

  constructor(private readonly onFailure: (id: string, time: WallSeconds) => void) {}

  /** One line of fail2ban-regex's stdout or stderr, without its line break. */
  push(line: string): void {
    if (this.listing) {
      if (line.startsWith('`-')) this.listing = undefined;
      else if (this.listing === 'missed' && line.startsWith('|  ') && this.missedSamples.length < MAX_SAMPLE_LINES) {
        this.missedSamples.push(line.slice(3));
      }
      return;
    }
    const regexTotal = REGEX_TOTAL.exec(line);
    if (regexTotal) {
      const count = Number(regexTotal[2]);
      if (regexTotal[1] === 'Failregex') {
        this.section = 'failregex';
        this.failregexTotal = count;
      } else if (regexTotal[1] === 'Ignoreregex') {
        this.section = 'ignoreregex';
        this.ignoreregexTotal = count;
      } else this.section = 'other';
      return;
    }
    if (this.section === 'failregex') {
      const failure = FAILURE_LINE.exec(line);
      if (failure) {
        const [, id, month, day, hour, minute, second, year] = failure;
        const time = Date.UTC(Number(year), MONTHS.indexOf(month), Number(day), Number(hour), Number(minute), Number(second)) / 1000;
        this.onFailure(id, time);
        return;
      }
    }
    if (line.startsWith('Date template hits:')) {
      this.section = 'other';
      return;
    }
    const totals = LINES_TOTAL.exec(line);
    if (totals) {
      this.totals = { lines: Number(totals[1]), ignored: Number(totals[2]), matched: Number(totals[3]), missed: Number(totals[4]) };
      return;
    }
    if (line.startsWith('|- Missed line(s):')) {
      this.listing = 'missed';
      return;
    }
    if (/^\|- (?:Ignored|Matched) line\(s\):/.test(line)) {
      this.listing = 'other';
      return;
    }
    if (ERROR_LINE.test(line) && this.errors.length < MAX_ERROR_LINES) this.errors.push(line);
  }
}

/** Splits a byte stream into lines without holding more than one partial line. */
export class LineSplitter {
  private pending = '';
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly onLine: (line: string) => void, private readonly maxLineLength = 64 * 1024) {}

  write(chunk: Uint8Array | string): void {
    const text = this.pending + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    const parts = text.split('\n');
    this.pending = parts.pop() ?? '';
    // a runaway line (no line breaks) is cut, never held whole
    if (this.pending.length > this.maxLineLength) this.pending = this.pending.slice(0, this.maxLineLength);
    for (const part of parts) this.onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
  }

  end(): void {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    if (rest) this.onLine(rest);
  }
}
