import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  comparePositions,
  emptyRange,
  isEmptyRange,
  lineRange,
  offsetAt,
  positionAt,
  rangeContains,
  splitLines,
} from '../../../server/src/parser/text';
import { isPythonSpace, skipSpace, trimSpaceEnd } from '../../../server/src/parser/tokenize';
import { PYTHON } from '../../support/fail2banInstalls';

describe('splitLines', () => {
  it('splits on \\n, \\r\\n and lone \\r, like Python universal newlines', () => {
    const { lines, lineStarts } = splitLines('a\nb\r\nc\rd');
    assert.deepEqual(lines, ['a', 'b', 'c', 'd']);
    assert.deepEqual(lineStarts, [0, 2, 5, 7]);
  });

  it('keeps a final empty line after a trailing terminator and handles empty text', () => {
    assert.deepEqual(splitLines('a\n').lines, ['a', '']);
    assert.deepEqual(splitLines('').lines, ['']);
    assert.deepEqual(splitLines('\r\r\n\n').lines, ['', '', '', '']);
  });

  it('does not split on characters Python text files do not treat as line ends', () => {
    const text = 'a\u2028b\u0085c\u000bd\u000ce\u001cf';
    assert.deepEqual(splitLines(text).lines, [text]);
  });
});

describe('positionAt / offsetAt', () => {
  const doc = { text: 'ab\r\ncd\ref\n' };

  it('converts offsets to positions across every terminator', () => {
    assert.deepEqual(positionAt(doc, 0), { line: 0, character: 0 });
    assert.deepEqual(positionAt(doc, 2), { line: 0, character: 2 });
    assert.deepEqual(positionAt(doc, 4), { line: 1, character: 0 });
    assert.deepEqual(positionAt(doc, 7), { line: 2, character: 0 });
    assert.deepEqual(positionAt(doc, 10), { line: 3, character: 0 });
  });

  it('clamps out-of-range offsets', () => {
    assert.deepEqual(positionAt(doc, -5), { line: 0, character: 0 });
    assert.deepEqual(positionAt(doc, 999), { line: 3, character: 0 });
  });

  it('round-trips every offset that is not inside a \\r\\n pair', () => {
    for (let offset = 0; offset <= doc.text.length; offset++) {
      if (offset === 3) continue; // between \r and \n: maps to the end of line 0
      assert.equal(offsetAt(doc, positionAt(doc, offset)), offset, `offset ${offset}`);
    }
  });

  it('clamps characters to the line content and lines to the document', () => {
    assert.equal(offsetAt(doc, { line: 0, character: 50 }), 2);
    assert.equal(offsetAt(doc, { line: 1, character: 50 }), 6);
    assert.equal(offsetAt(doc, { line: 9, character: 0 }), doc.text.length);
    assert.equal(offsetAt(doc, { line: -1, character: 3 }), 0);
  });

  it('uses the lineStarts a document carries', () => {
    const withStarts = { text: 'x\ny', lineStarts: [0, 2] };
    assert.deepEqual(positionAt(withStarts, 2), { line: 1, character: 0 });
  });
});

describe('range helpers', () => {
  it('builds, compares and tests ranges', () => {
    const range = lineRange(2, 3, 7);
    assert.ok(rangeContains(range, { line: 2, character: 3 }));
    assert.ok(rangeContains(range, { line: 2, character: 7 }));
    assert.ok(!rangeContains(range, { line: 2, character: 8 }));
    assert.ok(!rangeContains(range, { line: 1, character: 5 }));
    assert.ok(isEmptyRange(emptyRange(1, 4)));
    assert.ok(!isEmptyRange(range));
    assert.ok(comparePositions({ line: 1, character: 9 }, { line: 2, character: 0 }) < 0);
  });
});

describe('Python whitespace', () => {
  it('matches Python 3 str.isspace() for every BMP code point', () => {
    const run = spawnSync(PYTHON, ['-c', 'print(",".join(str(c) for c in range(0x10000) if chr(c).isspace()))'], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const pythonSpaces = run.stdout.trim().split(',').map(Number);
    const ours: number[] = [];
    for (let code = 0; code < 0x10000; code++) if (isPythonSpace(code)) ours.push(code);
    assert.deepEqual(ours, pythonSpaces);
  });

  it('never treats a BOM as whitespace (JavaScript trim() would)', () => {
    assert.equal(isPythonSpace(0xfeff), false);
    assert.equal(skipSpace('\ufeffx', 0, 2), 0);
  });

  it('skips and trims Python whitespace including \\x1c and \\x85', () => {
    const text = '\x1c\x85 ab \x0c\x1f';
    assert.equal(skipSpace(text, 0, text.length), 3);
    assert.equal(trimSpaceEnd(text, 0, text.length), 5);
  });
});
