import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { decodeConfigBytes, findUtf8Error } from '../../../server/src/parser/encoding';
import { PYTHON } from '../../support/fail2banInstalls';

/** Python's own error text for decoding these bytes as a text file (what fail2ban logs), or '' when they decode. */
function pythonDecodeErrors(samples: Uint8Array[]): string[] {
  const script = [
    'import json, sys, tempfile, os, base64',
    'out = []',
    'folder = tempfile.mkdtemp()',
    'path = os.path.join(folder, "f.local")',
    'for item in json.load(sys.stdin):',
    '    open(path, "wb").write(base64.b64decode(item))',
    '    try:',
    '        open(path, encoding="utf-8").read(); out.append("")',
    '    except UnicodeDecodeError as e:',
    '        out.append(str(e))',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script], {
    input: JSON.stringify(samples.map((s) => Buffer.from(s).toString('base64'))),
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as string[];
}

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

describe('decodeConfigBytes', () => {
  it('decodes valid UTF-8 and keeps a BOM in the text', () => {
    const decoded = decodeConfigBytes(bytes([0xef, 0xbb, 0xbf], '[a]\nx = é\n'));
    assert.equal(decoded.text, '\ufeff[a]\nx = é\n');
    assert.deepEqual(decoded.problems, []);
  });

  it('points at the first invalid byte by line and UTF-16 column', () => {
    const decoded = decodeConfigBytes(bytes('[a]\n# 😀 ok\nx = caf', [0xe9], ' au lait\n'));
    assert.equal(decoded.problems.length, 1);
    const problem = decoded.problems[0];
    assert.equal(problem.code, 'invalid-encoding');
    assert.deepEqual(problem.range, { start: { line: 2, character: 7 }, end: { line: 2, character: 8 } });
    assert.equal(decoded.text.split('\n')[2], 'x = caf\ufffd au lait');
    assert.match(problem.message, /fail2ban 1\.1\.0 logs "Error decoding config file '<file>'/);
    assert.match(problem.message, /ignores this WHOLE file/);
    assert.match(problem.message, /1\.1\.1 refuses to start/);
  });

  it('quotes exactly the error Python raises for each kind of bad sequence', () => {
    const samples = [
      bytes('[a]\nx = caf', [0xe9], ' x\n'), // invalid continuation byte
      bytes('x', [0x80], 'y'), // invalid start byte
      bytes('x', [0xc0, 0xaf]), // overlong lead byte
      bytes('ab', [0xe2, 0x82], 'x'), // two valid bytes, then a bad one
      bytes('ab', [0xed, 0xa0, 0x80]), // surrogate
      bytes('ab', [0xf4, 0x90, 0x80, 0x80]), // above U+10FFFF
      bytes('ab', [0xf0, 0x9f, 0x98]), // truncated at end of file
      bytes('ab', [0xff]),
    ];
    const python = pythonDecodeErrors(samples);
    samples.forEach((sample, index) => {
      const problem = decodeConfigBytes(sample, '/etc/fail2ban/fail2ban.local').problems[0];
      assert.ok(problem, `sample ${index} must be rejected`);
      assert.ok(python[index] !== '', `python must reject sample ${index}`);
      assert.ok(
        problem.message.includes(`Error decoding config file '/etc/fail2ban/fail2ban.local': ${python[index]}"`),
        `sample ${index}: ${problem.message}\n  python: ${python[index]}`,
      );
    });
  });

  it('agrees with Python on which byte strings are valid', () => {
    const samples = [bytes([0xf4, 0x8f, 0xbf, 0xbf]), bytes([0xe0, 0xa0, 0x80]), bytes([0xe0, 0x9f, 0x80]), bytes([0xef, 0xbf, 0xbe])];
    const python = pythonDecodeErrors(samples);
    samples.forEach((sample, index) => {
      assert.equal(decodeConfigBytes(sample).problems.length > 0, python[index] !== '', `sample ${index}`);
      assert.equal(findUtf8Error(sample) !== undefined, python[index] !== '', `sample ${index}`);
    });
  });
});
