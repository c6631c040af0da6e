// False errors on a real-world corpus: `node --import tsx bench/corpus.ts <corpus-dir> [--verbose]`.
// The corpus folder holds `dms-jail/`, `jail/`, `server/` and a MANIFEST.tsv whose `verdict_raw` /
// `verdict_neutral` columns say whether fail2ban 1.1.0 accepts each file (as is / with missing logs,
// filters and actions stubbed). An error diagnostic on a file fail2ban accepts is a false error, except
// the missing log/filter/action the neutral run had to stub (those are real for the file as published).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkBytes } from '../server/src/engine';
import type { EngineDiagnostic, FileKind } from '../server/src/types';

/** Codes that report exactly what the neutral run stubbed (a missing log file, filter or action). */
const STUBBED_CODES: Readonly<Record<string, RegExp>> = {
  'missing-log': /logs_neutralised=/,
  'unknown-filter': /needs_filters=/,
  'unknown-action': /needs_actions=/,
  'version-feature': /needs_(filters|actions)=/,
};

/**
 * Errors that are true on a file fail2ban accepts: fail2ban starts (`-t` passes) but silently runs without the jail
 * (an `enabled` that is not a yes/no word; proved with real fail2ban by the differential fixtures' `drops`). Counted
 * apart from false errors, and listed.
 */
const SILENT_DROP_CODES: ReadonlySet<string> = new Set(['invalid-boolean']);

function kindOf(path: string): FileKind {
  if (path.startsWith('dms-jail/')) return 'dms-jail';
  if (path.startsWith('server/')) return path.endsWith('.cf') ? 'dms-server' : 'server';
  return 'jail';
}

function main(): void {
  const [dir, ...flags] = process.argv.slice(2);
  if (!dir) throw new Error('usage: node --import tsx bench/corpus.ts <corpus-dir> [--verbose]');
  const verbose = flags.includes('--verbose');
  const rows = readFileSync(join(dir, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t'));
  let files = 0;
  let accepted = 0;
  let falseErrors = 0;
  let filesWithFalseErrors = 0;
  let silentDrops = 0;
  const bySeverity: Record<string, number> = {};
  for (const [path, , , , , , verdictRaw, verdictNeutral, , notes = ''] of rows) {
    files++;
    const kind = kindOf(path);
    const diagnostics: EngineDiagnostic[] = checkBytes(readFileSync(join(dir, path)), { kind });
    for (const d of diagnostics) bySeverity[d.severity] = (bySeverity[d.severity] ?? 0) + 1;
    if (verdictNeutral !== 'OK') continue;
    accepted++;
    const drops = diagnostics.filter((d) => d.severity === 'error' && SILENT_DROP_CODES.has(d.code));
    silentDrops += drops.length;
    for (const d of verbose ? [] : drops) console.log(`${path}:${d.range.start.line + 1}: jail silently dropped (true error): ${d.message.slice(0, 160)}`);
    const wrong = diagnostics.filter(
      (d) => d.severity === 'error' && !SILENT_DROP_CODES.has(d.code) && !(verdictRaw === 'FAIL' && STUBBED_CODES[d.code]?.test(notes)),
    );
    falseErrors += wrong.length;
    if (wrong.length > 0) filesWithFalseErrors++;
    if (verbose || wrong.length > 0) {
      for (const d of verbose ? diagnostics : wrong) {
        console.log(`${path}:${d.range.start.line + 1}: ${d.severity} ${d.code}: ${d.message.slice(0, 160)}`);
      }
    }
  }
  console.log(
    `files ${files}, accepted by fail2ban ${accepted}; false errors ${falseErrors} in ${filesWithFalseErrors} files; ` +
      `jails fail2ban silently drops (true errors) ${silentDrops}; ` +
      `all diagnostics: ${Object.entries(bySeverity).map(([s, n]) => `${s} ${n}`).join(', ')}`,
  );
}

main();
