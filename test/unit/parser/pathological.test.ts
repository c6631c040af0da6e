// Pathological inputs stay linear. Instead of wall-clock thresholds (flaky), each case compares the CPU
// time of parsing one big input against parsing an 8× smaller one 8 times: the same number of
// characters, so a linear parser gives a ratio near 1 and a quadratic one a ratio near 8.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decodeConfigBytes } from '../../../server/src/parser/encoding';
import { parseDocument } from '../../../server/src/parser/parse';

const FACTOR = 8;
const MAX_RATIO = 4;

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

function assertLinear(name: string, makeInput: (size: number) => string, baseSize: number): void {
  const small = makeInput(baseSize);
  const large = makeInput(baseSize * FACTOR);
  parseDocument(small); // warm up the JIT on both shapes
  parseDocument(large);
  const smallTime = bestOf(5, () => {
    for (let i = 0; i < FACTOR; i++) parseDocument(small);
  });
  const largeTime = bestOf(5, () => parseDocument(large));
  const ratio = largeTime / Math.max(smallTime, 0.5);
  assert.ok(ratio < MAX_RATIO, `${name}: 1 × ${large.length} chars took ${largeTime.toFixed(1)} ms, ${FACTOR} × ${small.length} chars took ${smallTime.toFixed(1)} ms (ratio ${ratio.toFixed(2)})`);
}

describe('pathological input stays linear', () => {
  it('1 MB of [', () => assertLinear('[ x n', (n) => '['.repeat(n), 1_000_000 / FACTOR));
  it('a 100k-character line of ;-separated values (no inline comment)', () =>
    assertLinear('a; x n', (n) => '[a]\nx = ' + 'a;'.repeat(n / 2), 100_000 / FACTOR));
  it('a 100k-character header that never closes', () => assertLinear('[x…', (n) => '[' + 'x'.repeat(n), 100_000 / FACTOR));
  it('a 100k-character line of ] after [', () => assertLinear('[]]]…', (n) => '[a]\n[' + ']'.repeat(n), 100_000 / FACTOR));
  it('a key followed by 100k spaces', () => assertLinear('key    = v', (n) => '[a]\nk' + ' '.repeat(n) + '= v', 100_000 / FACTOR));
  it('100k delimiters', () => assertLinear('====', (n) => '[a]\nk' + '='.repeat(n), 100_000 / FACTOR));
  it('a 12k-line realistic file', () =>
    assertLinear(
      '12k lines',
      (n) => {
        const block = '[jail]\nenabled = true\nmode = extra ; note\nfailregex = ^a <HOST>\n            ^b <HOST>\n\n# c\nmaxretry = 3\n';
        const blockLines = 8;
        let text = '';
        for (let i = 0; i * blockLines < n; i++) text += block.replace('[jail]', `[jail${i}]`);
        return text;
      },
      12_000 / FACTOR,
    ));
  it('one value with 50k continuation lines', () => assertLinear('continuations', (n) => '[a]\nx = 1\n' + '  y\n'.repeat(n), 50_000 / FACTOR));
  it('50k blank lines inside a value', () => assertLinear('blanks', (n) => '[a]\nx = 1\n' + '\n'.repeat(n) + '  y\n', 50_000 / FACTOR));
  it('20k invalid lines (one problem each)', () => assertLinear('invalid', (n) => '[a]\n' + 'bad line\n'.repeat(n), 20_000 / FACTOR));
  it('20k duplicate options and sections', () =>
    assertLinear('duplicates', (n) => '[a]\n' + 'x = 1\n[a]\n'.repeat(n / 2), 20_000 / FACTOR));
});

describe('pathological input: results', () => {
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
