// In-process figures: checking DMS's default fail2ban-jail.cf (warm), and parse / whole-check throughput on
// a generated ~1 MB realistic jail file (issue 12: whole check ≥ 20 MB/s, stretch 50). The engine timed is the
// bundle bench/shippedEngine.ts builds, as the CLI and the language server run it.
import { generateJailFile } from './generate';
import { engine } from './shippedEngine';
import { atLeast, below, line, median, ms, timeRuns } from './stats';

const { checkDocument, dmsJailLocal, parseDocument, userFilePath } = engine;

/** config-examples/fail2ban-jail.cf is byte-identical to DMS's own jail.local (target/fail2ban/jail.local). */
export const DMS_DEFAULT_JAIL_FILE = dmsJailLocal('v15.1.0');

export function dmsDefaultFigures(): string[] {
  const options = { kind: 'dms-jail' as const };
  const diagnostics = checkDocument(DMS_DEFAULT_JAIL_FILE, options);
  const samples = timeRuns(() => checkDocument(DMS_DEFAULT_JAIL_FILE, options), 3000, 300);
  return [
    line(
      `DMS default fail2ban-jail.cf: in-process check (median of ${samples.length} warm runs, ${diagnostics.length} diagnostics)`,
      ms(median(samples)),
      below(median(samples), 1, 'ms'),
    ),
  ];
}

export function throughputFigures(): string[] {
  const text = generateJailFile(1_000_000);
  const megabytes = Buffer.byteLength(text) / 1e6;
  const kind = 'dms-jail' as const;
  const path = userFilePath(kind);
  const parse = median(timeRuns(() => parseDocument(text, { fail2banPath: path }), 15, 3));
  const diagnostics = checkDocument(text, { kind });
  const check = median(timeRuns(() => checkDocument(text, { kind }), 15, 3));
  const lines = text.split('\n').length;
  const label = `generated ${megabytes.toFixed(2)} MB jail file (${lines} lines, ${diagnostics.length} diagnostics)`;
  return [
    line(`${label}: parse only (median ${ms(parse)})`, `${(megabytes / (parse / 1000)).toFixed(1)} MB/s`),
    line(`${label}: whole check (median ${ms(check)})`, `${(megabytes / (check / 1000)).toFixed(1)} MB/s`, atLeast(megabytes / (check / 1000), 20, ' MB/s', 50)),
  ];
}
