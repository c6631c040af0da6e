// Pathological inputs stay linear. Instead of wall-clock thresholds (flaky), each case compares the CPU
// time of parsing one big input against parsing an 8× smaller one 8 times: the same number of
// characters, so a linear parser gives a ratio near 1 and a quadratic one a ratio near 8.
//
// The timing runs in a child process with a large young generation (--max-semi-space-size): with Node's
// default one, the big document outlives several scavenges and gets copied each time while the small ones die
// young, which alone made a linear parse of 20k duplicate lines measure a ratio of 4.6–5 (measured: 1.2 µs per
// line at 20k, 40k and 80k lines, i.e. linear; ratio 0.5–0.7 once no scavenge runs).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { decodeConfigBytes } from '../../../server/src/parser/encoding';
import { parseDocument } from '../../../server/src/parser/parse';

const FACTOR = 8;
const MAX_RATIO = 4;
const CHILD_ENV = 'DMS_FAIL2BAN_PATHOLOGICAL_TIMING';
const YOUNG_GENERATION_FLAG = '--max-semi-space-size=128';

interface LinearityCase {
  title: string;
  name: string;
  makeInput: (size: number) => string;
  baseSize: number;
}

function realisticJailFile(lineCount: number): string {
  const block = '[jail]\nenabled = true\nmode = extra ; note\nfailregex = ^a <HOST>\n            ^b <HOST>\n\n# c\nmaxretry = 3\n';
  const blockLines = 8;
  let text = '';
  for (let i = 0; i * blockLines < lineCount; i++) text += block.replace('[jail]', `[jail${i}]`);
  return text;
}

const LINEARITY_CASES: LinearityCase[] = [
  { title: '1 MB of [', name: '[ x n', makeInput: (n) => '['.repeat(n), baseSize: 1_000_000 / FACTOR },
  {
    title: 'a 100k-character line of ;-separated values (no inline comment)',
    name: 'a; x n',
    makeInput: (n) => '[a]\nx = ' + 'a;'.repeat(n / 2),
    baseSize: 100_000 / FACTOR,
  },
  { title: 'a 100k-character header that never closes', name: '[x…', makeInput: (n) => '[' + 'x'.repeat(n), baseSize: 100_000 / FACTOR },
  { title: 'a 100k-character line of ] after [', name: '[]]]…', makeInput: (n) => '[a]\n[' + ']'.repeat(n), baseSize: 100_000 / FACTOR },
  { title: 'a key followed by 100k spaces', name: 'key    = v', makeInput: (n) => '[a]\nk' + ' '.repeat(n) + '= v', baseSize: 100_000 / FACTOR },
  { title: '100k delimiters', name: '====', makeInput: (n) => '[a]\nk' + '='.repeat(n), baseSize: 100_000 / FACTOR },
  { title: 'a 12k-line realistic file', name: '12k lines', makeInput: realisticJailFile, baseSize: 12_000 / FACTOR },
  { title: 'one value with 50k continuation lines', name: 'continuations', makeInput: (n) => '[a]\nx = 1\n' + '  y\n'.repeat(n), baseSize: 50_000 / FACTOR },
  { title: '50k blank lines inside a value', name: 'blanks', makeInput: (n) => '[a]\nx = 1\n' + '\n'.repeat(n) + '  y\n', baseSize: 50_000 / FACTOR },
  { title: '20k invalid lines (one problem each)', name: 'invalid', makeInput: (n) => '[a]\n' + 'bad line\n'.repeat(n), baseSize: 20_000 / FACTOR },
  { title: '20k duplicate options and sections', name: 'duplicates', makeInput: (n) => '[a]\n' + 'x = 1\n[a]\n'.repeat(n / 2), baseSize: 20_000 / FACTOR },
];

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

/** Runs in the child: the verdict text (empty when linear) of one case. */
function measureLinearity({ name, makeInput, baseSize }: LinearityCase): string {
  const small = makeInput(baseSize);
  const large = makeInput(baseSize * FACTOR);
  parseDocument(small); // warm up the JIT on both shapes
  parseDocument(large);
  const smallTime = bestOf(5, () => {
    for (let i = 0; i < FACTOR; i++) parseDocument(small);
  });
  const largeTime = bestOf(5, () => parseDocument(large));
  const ratio = largeTime / Math.max(smallTime, 0.5);
  if (ratio < MAX_RATIO) return '';
  return `${name}: 1 × ${large.length} chars took ${largeTime.toFixed(1)} ms, ${FACTOR} × ${small.length} chars took ${smallTime.toFixed(1)} ms (ratio ${ratio.toFixed(2)})`;
}

function measureAllInChildProcess(): Record<string, string> {
  const child = spawnSync(process.execPath, [YOUNG_GENERATION_FLAG, '--import', 'tsx', __filename], {
    cwd: resolve(__dirname, '../../..'),
    env: { ...process.env, [CHILD_ENV]: '1' },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  assert.equal(child.status, 0, `timing child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as Record<string, string>;
}

if (process.env[CHILD_ENV]) {
  const verdicts: Record<string, string> = {};
  for (const linearityCase of LINEARITY_CASES) verdicts[linearityCase.title] = measureLinearity(linearityCase);
  process.stdout.write(JSON.stringify(verdicts));
} else {
  describe('pathological input stays linear', () => {
    let verdicts: Record<string, string> = {};
    before(() => {
      verdicts = measureAllInChildProcess();
    });
    for (const linearityCase of LINEARITY_CASES) {
      it(linearityCase.title, () => {
        assert.equal(typeof verdicts[linearityCase.title], 'string', 'the child measured this case');
        assert.equal(verdicts[linearityCase.title], '');
      });
    }
  });
}

if (!process.env[CHILD_ENV]) describe('pathological input: results', () => {
  it('reports 1 MB of [ once, with a short message', () => {
    const doc = parseDocument('['.repeat(1_000_000));
    assert.deepEqual(doc.problems.map((p) => p.code), ['missing-section-header']);
    assert.ok(doc.problems[0].message.length < 400, `message of ${doc.problems[0].message.length} chars`);
  });

  it('keeps every line of a 100k-character value', () => {
    const value = 'a;'.repeat(50_000);
    const doc = parseDocument('[a]\nx = ' + value);
    assert.equal(doc.sections[0].options[0].value, value);
  });

  it('decodes 1 MB with a bad byte at the very end', () => {
    const bytes = Buffer.concat([Buffer.from('[a]\n' + 'x = 1\n'.repeat(170_000)), Buffer.from([0xff])]);
    const decoded = decodeConfigBytes(bytes);
    assert.equal(decoded.problems.length, 1);
    assert.deepEqual(decoded.problems[0].range.start, { line: 170_001, character: 0 });
    assert.doesNotMatch(decoded.problems[0].message, /in position/, 'beyond the first 8 KiB Python reports chunk-relative positions');
  });
});
