// Where the time of one check goes: parse, context, then each rule (in engine order, sharing one context
// as the engine does). `node --import tsx bench/profile.ts [bytes|lines] [kind] [lines]` — a tool for finding hot spots.
import { buildContext, resolveVersions, userFilePath } from '../server/src/context';
import { readAnalysis } from '../server/src/context/reads';
import { checkDocument } from '../server/src/engine';
import { parseDocument } from '../server/src/parser/parse';
import { allRules } from '../server/src/rules';
import type { RuleReport } from '../server/src/rules/rule';
import type { FileKind } from '../server/src/types';
import { generateJailFile, generateJailLines } from './generate';

const bytes = Number(process.argv[2] ?? 1_000_000);
const kind = (process.argv[3] ?? 'dms-jail') as FileKind;
const text = process.argv[4] === 'lines' ? generateJailLines(bytes) : generateJailFile(bytes);

/** CPU time (user + system) in ms: robust on a loaded machine, unlike wall time. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function time<T>(label: string, run: () => T): T {
  const start = cpuMs();
  const result = run();
  console.log(`${label.padEnd(28)} ${(cpuMs() - start).toFixed(1).padStart(9)} ms cpu`);
  return result;
}

const rounds = Number(process.env.ROUNDS ?? 3);
for (let round = 0; round < rounds; round++) {
  console.log(`--- round ${round + 1} (${(text.length / 1e6).toFixed(2)} MB, ${kind})`);
  const doc = time('parse', () => parseDocument(text, { fail2banPath: userFilePath(kind) }));
  const context = time('context', () => buildContext(doc, { kind }));
  time('readAnalysis', () => readAnalysis(context));
  const { fail2banVersion, dmsVersion } = resolveVersions({ kind });
  let reports = 0;
  const byCode = new Map<string, number>();
  for (const rule of allRules) {
    const start = cpuMs();
    const found: RuleReport[] = [];
    rule.check({ doc, options: { kind, fail2banVersion, dmsVersion }, context, report: (r) => void found.push(r) });
    byCode.set(rule.name, (byCode.get(rule.name) ?? 0) + cpuMs() - start);
    reports += found.length;
  }
  for (const [code, ms] of [...byCode].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`  rule ${code.padEnd(23)} ${ms.toFixed(1).padStart(9)} ms`);
  }
  console.log(`  (${reports} reports)`);
  time('checkDocument (whole)', () => checkDocument(text, { kind }));
}
