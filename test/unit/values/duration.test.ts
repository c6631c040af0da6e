// Differential test: parseDuration against fail2ban 1.1.0's own MyTime.str2seconds (python3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration, rewriteDuration, TIME_UNITS } from '../../../server/src/values/duration';
import { askPython } from './oracle';
import { seededRandom } from '../../support/random';

const CURATED = [
  '600', '10m', '10 m', '10min', '1 hour', '1hours', '2 hours 30 minutes', '1d12h', '1d 3h 2m', '1w', '2weeks', '1mo',
  '6 months', '1y', '2 years', '1D', '1H', '1MO', '  1d  ', '1hr', 'mins', '1 mins', '1secs', '1wk', '1yr', '1yrs',
  '1mn', '1e3', '0x10', '1h+30m', '2*3600+30*60', '(1h+1m)*2', '1year-6mo', '1/2d', '1.5h', '-1', '-1h', '1_000',
  '1h30', '1h 30', '1h # one hour', '1h;comment', '1h,30m', '1h and 30m', '1h or 2h', 'True', 'False', 'None', '',
  '   ', 'abc', '1 2 3', '1d w', '1 2', '5 m 3', '1h\n 30m', '1h\n+30m', '1h\n30m', '\n1h', '\n 1h', '1mİn', '1ſ',
  '1ı', 'Kd', '1.5.2', '.5h', '1_h', '1__0', '01', '00', '0', '0m', '-0', '1//2', '7%3', '2**10', '1/0', '1%0',
  '1//0', '1.0/0', '1 if 1 else 2', 'not 1', '1<2', '"1h"', "'1h'", '1j', 'val', 'time', 'MyTime', '1 time', '(1,)',
  '()', '1h)', '(1h', '[1h]', '{1h}', '1h.real', 'abs(-5)', 'max(1h, 2h)', 'int(1.5h)', 'round(2.5)', '1d-',
  '1 - - 2', '~1h', '1d12', '12 h 30 m', '1Y2MO', '1 week 2 days', '1weeK', '1m30s', '5 hous', '5hou', 'h 1',
  '1h1', '1 1h', '3 * 1h', '1h*3', '1h**2', '1h//7', '1h%7', '1e', '1.e5', '1h\t30m', '\t1h', '1 h\\\n+1', '1h\\',
  '2**-1', '0**-1', '(-8)**0.5', '1<<3', '1>>1', '1<<-1', '1.5<<1', '3&1', '1|2', '1^3', '~1.5', '1@2', '"a"+"b"',
  '"a"*2', '1+"a"', '1<"a"', 'None<1', 'None==None', '1 < 2 < 3', '3 > 2 > 2', '1_000_000d', '1e-3', '1 000',
  '10 minutes 30 seconds', '1 day, 2 hours', 'one hour', '1 hours and 30 mins', '7d # week', '7d; week', '１h',
  '١h', '1hours2', '2h30', '1:30', '1h30m15s', '1d.5', '5 .5', '2*(3+4)h', '(2)h', '1 (2)', '1h(2)', '1000000000000000000000000',
  '99999999999999999999*1d', '10**400', '10.0**400', '1e308*10', 'inf', 'nan',
];

function generated(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const numbers = ['0', '1', '2', '10', '15', '1.5', '.5', '1_000', '007', '3600', '-1', '1e2'];
  const units = [...TIME_UNITS.flatMap((u) => u.spellings), 'hr', 'hrs', 'mins', 'secs', 'wk', 'yr', 'mn', 'ms', 'x', ''];
  const cases = (u: string): string => (random() < 0.2 ? u.toUpperCase() : random() < 0.1 ? u[0]?.toUpperCase() + u.slice(1) : u);
  const seps = [' ', '', '', '+', '-', '*', '/', ',', ' and ', '\t', '\n ', '  '];
  const out: string[] = [];
  while (out.length < count) {
    const parts = 1 + Math.floor(random() * 3);
    let text = random() < 0.1 ? ' ' : '';
    for (let k = 0; k < parts; k++) {
      if (k > 0) text += pick(seps);
      text += pick(numbers) + (random() < 0.3 ? ' ' : '') + cases(pick(units));
    }
    if (random() < 0.08) text = `(${text})`;
    if (random() < 0.08) text += pick([' # comment', ';x', ' ;x', ')', '(']);
    out.push(text);
  }
  return out;
}

function compare(values: string[]): string[] {
  const answers = askPython(values.map((value) => ({ q: 'str2sec', value })));
  const problems: string[] = [];
  values.forEach((value, i) => {
    const ours = parseDuration(value);
    const py = answers[i];
    const pyNumber = py.ok && py.kind !== 'other';
    if (ours.ok !== pyNumber) {
      problems.push(`${JSON.stringify(value)}: ours ${ours.ok ? ours.seconds : ours.pythonError} / python ${JSON.stringify(py)}`);
      return;
    }
    if (ours.ok) {
      const expected = Number(py.value);
      const tolerance = ours.exact ? 0 : Math.abs(expected) * 1e-12;
      if (Math.abs(ours.seconds - expected) > tolerance) problems.push(`${JSON.stringify(value)}: ${ours.seconds} / python ${py.value}`);
      if (ours.isFloat !== (py.kind === 'float')) problems.push(`${JSON.stringify(value)}: isFloat ${ours.isFloat} / python ${py.kind}`);
    } else if (!py.ok && ours.pythonError !== 'unsupported' && ours.pythonError !== (py.type === 'IndentationError' ? 'SyntaxError' : py.type)) {
      problems.push(`${JSON.stringify(value)}: ${ours.pythonError} / python ${py.type}`);
    }
  });
  return problems;
}

test('curated values: same verdict, number and exception class as fail2ban 1.1.0 str2seconds', () => {
  assert.deepEqual(compare(CURATED), []);
});

test('generated values (fixed seed, 400): same verdict and number as fail2ban 1.1.0', () => {
  const values = generated(400, 1110);
  const problems = compare(values);
  assert.deepEqual(problems, []);
  const verdicts = values.map((v) => parseDuration(v).ok);
  assert.ok(verdicts.filter(Boolean).length > 50 && verdicts.filter((v) => !v).length > 50, 'both outcomes exercised');
});

test('messages say what is wrong and the fix, then what fail2ban does; Python in details; they point at the bad word', () => {
  const hr = parseDuration('1hr');
  assert.ok(!hr.ok);
  assert.match(hr.message, /^'1hr' is not a time fail2ban can read: write h instead of hr .*fail2ban stops at start-up$/);
  assert.doesNotMatch(hr.message, /SyntaxError/);
  assert.equal(hr.details, 'Python SyntaxError: invalid decimal literal');
  assert.deepEqual([hr.start, hr.end], [1, 3]);
  const mins = parseDuration('1 hour 30 mins');
  assert.ok(!mins.ok);
  assert.equal('1 hour 30 mins'.slice(mins.start, mins.end), 'mins');
  const name = parseDuration('1h + abc');
  assert.ok(!name.ok);
  assert.equal(name.pythonError, 'NameError');
  assert.equal('1h + abc'.slice(name.start, name.end), 'abc');
  const empty = parseDuration('');
  assert.ok(!empty.ok);
  assert.equal(empty.pythonError, 'SyntaxError');
});

test('suspicious but accepted values are flagged', () => {
  const flags = (v: string): string[] => parseDuration(v).suspicious;
  assert.ok(flags('1h and 30m').includes('and-or'));
  assert.ok(flags('True').includes('name'));
  assert.ok(flags('-1').includes('negative'));
  assert.ok(flags('0').includes('zero'));
  assert.ok(flags('1h # one hour').includes('comment'));
  assert.ok(flags('1h,30m').includes('tuple'));
  assert.ok(flags('1h+30m').includes('arithmetic'));
  assert.deepEqual(flags('1d 12h'), []);
  assert.deepEqual(flags('10m'), []);
});

test('rewrite keeps the source of every character', () => {
  const r = rewriteDuration('1d12h');
  assert.equal(r.text, '1*86400+12*3600');
  assert.equal(r.from.length, r.text.length);
  assert.deepEqual([r.from[1], r.to[1]], [1, 2]);
});

test('formatDuration', () => {
  assert.equal(formatDuration(604800), '1 week');
  assert.equal(formatDuration(7 * 86400 + 86400), '1 week 1 day');
  assert.equal(formatDuration(5400), '1 hour 30 minutes');
  assert.equal(formatDuration(31557600), '1 year');
  assert.equal(formatDuration(90), '1 minute 30 seconds');
  assert.equal(formatDuration(0), '0 seconds');
  assert.match(formatDuration(-1), /permanent/);
});

test('never throws, linear on pathological input', () => {
  for (const v of ['('.repeat(20000), '1'.repeat(50000), '1 '.repeat(20000), '1h'.repeat(20000), 'a'.repeat(50000), '-'.repeat(20000) + '1']) {
    assert.equal(typeof parseDuration(v).ok, 'boolean');
  }
});

test('nesting beyond Python tokenizer limit is a SyntaxError like Python', () => {
  const values = ['('.repeat(199) + '1' + ')'.repeat(199), '('.repeat(200) + '1' + ')'.repeat(200), '('.repeat(201) + '1' + ')'.repeat(201)];
  const answers = askPython(values.map((value) => ({ q: 'str2sec', value })));
  values.forEach((v, i) => assert.equal(parseDuration(v).ok, answers[i].ok, `depth ${i}`));
  assert.deepEqual(parseDuration('-1').suspicious.sort(), ['negative']);
});
