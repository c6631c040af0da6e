// Pathological inputs stay linear — checked by counting work, not by timing it (a busy machine made the CPU-time
// ratio this test used to assert fail). test/support/workMeter.ts counts every character the parser's string
// methods read or copy, every array element visited and every regex input: parsing one input of size N must
// cost about what parsing 8 inputs of size N/8 costs (a linear parser: ratio 1.00; quadratic: ≈ 8). The count is
// deterministic, so the limit can be tight. The CPU-time figures are in `npm run bench` (bench/linearity.ts).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decodeConfigBytes } from '../../../server/src/parser/encoding';
import { parseDocument } from '../../../server/src/parser/parse';
import { PATHOLOGICAL_SHAPES } from '../../support/pathologicalInputs';
import { countWork, WorkBudgetExceeded } from '../../support/workMeter';

const FACTOR = 8;
/** Large input's work over FACTOR small inputs' work. Measured: 0.996–1.015 on every shape. */
const MAX_RATIO = 1.25;

/** The work of parsing FACTOR inputs of size/FACTOR, and of one input of `size` (stopped past MAX_RATIO × that). */
function linearity(makeInput: (size: number) => string, size: number, parse: (text: string) => unknown = parseDocument): string {
  const small = makeInput(size / FACTOR);
  const large = makeInput(size);
  const smallWork = countWork(() => {
    for (let i = 0; i < FACTOR; i++) parse(small);
  }).total;
  const budget = Math.ceil(smallWork * MAX_RATIO);
  try {
    const largeWork = countWork(() => parse(large), budget).total;
    return `ratio ${(largeWork / smallWork).toFixed(3)} (${largeWork} vs ${FACTOR} × ${smallWork / FACTOR} operations)`;
  } catch (error) {
    if (error instanceof WorkBudgetExceeded) return `NOT LINEAR: 1 × ${large.length} chars cost more than ${MAX_RATIO} × ${FACTOR} × ${small.length} chars (${smallWork} operations)`;
    throw error;
  }
}

describe('pathological input stays linear (work counted, not timed)', () => {
  for (const shape of PATHOLOGICAL_SHAPES) {
    it(shape.title, (t) => {
      // a quarter of the bench's size: the count is exact, so a smaller input shows the same ratio
      const verdict = linearity(shape.makeInput, shape.size / 4);
      assert.match(verdict, /^ratio /, verdict);
      t.diagnostic(verdict);
    });
  }

  it('the count sees quadratic work (so the checks above can fail)', () => {
    // a parse that re-reads the whole text before each line, as a careless "what came before" lookup would
    const quadratic = (text: string) => {
      const lines = text.split('\n');
      let offset = 0;
      for (const line of lines) {
        text.slice(0, offset).lastIndexOf('[');
        offset += line.length + 1;
      }
    };
    assert.match(linearity((n) => 'x\n'.repeat(n), 4000, quadratic), /^NOT LINEAR/);
    assert.match(linearity((n) => 'x\n'.repeat(n), 4000, (text) => text.split('\n').map((l) => l.indexOf('['))), /^ratio /);
  });
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
