// Whole-check cost per byte on the shapes that once cost more than the realistic file: many sections, one long
// failregex continuation, many [DEFAULT] options, many %(…)s references. Each shape's µs/byte is printed as a
// ratio to the realistic generated 1 MB file's (goal ≤ 3×).
// `node --import tsx bench/shapes.ts` prints the table; `--shape <name>` checks one shape once (for --cpu-prof).
import type { FileKind } from '../server/src/types';
import { generateJailFile, generateJailLines } from './generate';
import { engine } from './shippedEngine';
import { below, line, median, ms } from './stats';

const { checkDocument, checkParsed, IncrementalChecker, parseDocument, reparse, userFilePath } = engine;

export interface Shape {
  name: string;
  title: string;
  make: () => string;
}

function repeatLines(count: number, lineOf: (index: number) => string): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(lineOf(i));
  return parts.join('');
}

export const SHAPES: readonly Shape[] = [
  { name: 'realistic', title: 'generated realistic 1 MB jail file', make: () => generateJailFile(1_000_000) },
  {
    name: 'sections30k',
    title: '30k sections (5 options each)',
    make: () => repeatLines(30_000, (i) => `[jail-${i}]\nenabled = true\nport = smtp\nfilter = postfix\nmaxretry = 3\nbantime = 1h\n\n`),
  },
  { name: 'twoLine100k', title: '100k two-line sections (2.4 MB)', make: () => repeatLines(100_000, (i) => `[s${String(i).padStart(6, '0')}]\nenabled = true\n`) },
  {
    name: 'continuation20k',
    title: 'one failregex with 20k continuation lines',
    make: () => '[custom]\nenabled = true\nfailregex = ^auth failed from <HOST>$\n' + repeatLines(20_000, (i) => `            ^user u${i} rejected from <HOST>$\n`),
  },
  { name: 'default20k', title: '20k options in [DEFAULT]', make: () => '[DEFAULT]\n' + repeatLines(20_000, (i) => `option${i} = value ${i}\n`) + '[sshd]\nenabled = true\n' },
  {
    name: 'references10k',
    title: '10k jails with %(…)s references',
    make: () =>
      '[DEFAULT]\nmyports = smtp,submission\nmytime = 1h\n' +
      repeatLines(10_000, (i) => `[ref-${i}]\nenabled = true\nport = %(myports)s\nbantime = %(mytime)s\nlogpath = %(postfix_log)s\n\n`),
  },
];

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const KIND: FileKind = 'dms-jail';

/**
 * CPU ms of one whole check: the median of `trials`, after one warm-up. A median, not the best: a 1 MB check may
 * fall between two young-generation collections or not (the realistic file's best of three swung 42–85 ms CPU from
 * run to run), and bigger shapes always pay theirs, so best-of ratios mostly measured that luck.
 */
export function checkCpuMs(text: string, trials = 5): number {
  checkDocument(text, { kind: KIND });
  const samples: number[] = [];
  for (let i = 0; i < trials; i++) {
    const start = cpuMs();
    checkDocument(text, { kind: KIND });
    samples.push(cpuMs() - start);
  }
  return median(samples);
}

export function shapeFigures(): string[] {
  const figures: string[] = [];
  const texts = SHAPES.map((shape) => shape.make());
  // Every shape once before any is timed: the JIT state the first shape runs in otherwise differs from the later
  // shapes', and the realistic file is the denominator of every ratio (its figure swung 200–316 ms cold vs warm).
  for (const text of texts) checkDocument(text, { kind: KIND });
  let realisticUsPerByte = 0;
  for (const [index, shape] of SHAPES.entries()) {
    const text = texts[index];
    // the realistic file is every ratio's denominator: more trials
    const ms = checkCpuMs(text, shape.name === 'realistic' ? 11 : 5);
    const usPerByte = (ms * 1000) / text.length;
    if (shape.name === 'realistic') {
      realisticUsPerByte = usPerByte;
      // the ratios' denominator; the goal is judged on the in-process figure (bench/inProcess.ts, elapsed time). CPU
      // time also counts V8's garbage-collector threads, which work beside the check on a second core.
      figures.push(line(`ratio denominator: ${shape.title}, median CPU time (GC threads included)`, `${ms.toFixed(1)} ms cpu`));
    } else {
      const ratio = usPerByte / realisticUsPerByte;
      figures.push(line(`per-byte cost vs realistic: ${shape.title}`, `${ratio.toFixed(2)}× (${ms.toFixed(0)} ms cpu, ${(text.length / 1e6).toFixed(2)} MB)`, below(ratio, 3, '×', true)));
    }
  }
  return figures;
}

/** In process, parse included: one digit edited in the middle of the 12k-line file, full check vs incremental (re-parse included). */
export function incrementalFigures(edits = 20): string[] {
  const text = generateJailLines(12_000);
  const lines = text.split('\n');
  const at = lines.findIndex((l, index) => index > lines.length / 2 && /^maxretry = \d$/.test(l));
  const parse = (source: string) => parseDocument(source, { fail2banPath: userFilePath(KIND) });
  const checker = new IncrementalChecker();
  // as the language server does: the previous version's parse is reused where the edit did not reach
  let previous = parse(text);
  checker.check(previous, { kind: KIND });
  const full: number[] = [];
  const incremental: number[] = [];
  let rechecked = 0;
  for (let i = 0; i < edits; i++) {
    lines[at] = `maxretry = ${(i % 9) + 1}`;
    const edited = lines.join('\n');
    let start = cpuMs();
    checkParsed(parse(edited), { kind: KIND });
    full.push(cpuMs() - start);
    start = cpuMs();
    previous = reparse(previous, edited, { fail2banPath: userFilePath(KIND) }).doc;
    checker.check(previous, { kind: KIND });
    incremental.push(cpuMs() - start);
    rechecked = checker.lastRechecked;
  }
  return [
    line(`in process: edit → findings of the ${lines.length}-line file, full check (median cpu)`, ms(median(full))),
    line(`in process: edit → findings, incremental (${rechecked} of ${parse(text).sections.length} sections re-checked)`, ms(median(incremental)), below(median(incremental), 50, 'ms', true)),
  ];
}

if (require.main === module) {
  const at = process.argv.indexOf('--shape');
  if (at >= 0) {
    const shape = SHAPES.find((s) => s.name === process.argv[at + 1]);
    if (!shape) throw new Error(`unknown shape; one of ${SHAPES.map((s) => s.name).join(', ')}`);
    const text = shape.make();
    const start = cpuMs();
    const found = checkDocument(text, { kind: KIND }).length;
    console.log(`${shape.name}: ${text.length} bytes, ${found} findings, ${(cpuMs() - start).toFixed(0)} ms cpu`);
  } else {
    for (const figure of shapeFigures()) console.log(figure);
    for (const figure of incrementalFigures()) console.log(figure);
  }
}
