// Differential test: our Python-3.11 `re` syntax checker against the real `re.compile`
// (one batched python3 process), on curated patterns and a bounded fixed-seed fuzz.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPythonRegex } from '../../../server/src/values/pyRegex';
import { askPython } from './oracle';
import { seededRandom } from '../../support/random';
import { expandRegexTags } from '../../../server/src/values/failregex';

const CURATED = [
  // valid
  '^foo <HOST>$', '(?P<host>\\S+)', '(?P<n>a)(?P=n)', '(?i)abc', '(?i:abc)', '(?#comment)a', '(?<=ab)c',
  '(?<!a|b)c', '\\d\\w\\s\\b\\A\\Z\\D\\W\\S\\B', 'a{1,3}', 'a{,3}', 'a{2}', 'a{,}', 'x{', 'x{a}', 'x{1,a}',
  '(?>a+)b', 'a*+', 'a++', 'a?+', 'a{1,2}+', '[a-z0-9_.-]', '[]a]', '[^]a]', '[a-]', '[\\]]', '\\x41\\u0041\\U00000041',
  '\\0', '\\012', '\\1(a)', '(a)\\1', '(?(1)a|b)', '(a)(?(1)b|c)', '(?P<x>a)(?(x)b)', '(?x) a b # comment\n c',
  '(?s).', '(?m)^$', '(?a)\\w', '(?u)\\w', '(?aimsx)a', '(?i-s:a)', '(?-i:a)', '(?=a)*', '(?i:a)*', '[\\b]', '\\.',
  '\\-', '\\ ', 'a|', '|', '', '()', '(?:)', 'a{0}', '(?<=a{3})', '(?<=\\d{2}:)x', '(?<=(?P<q>a))b',
  // invalid
  '(', ')', 'a)', '((a)', '*', '+a', '?', 'a**', 'a*{2}', 'a{2}*', 'a*??', '^*', '$+', '\\b*', '\\A?',
  '\\q', '\\g<1>', '\\e', '\\', 'a\\', '(\\', '[', '[a', '[]', '[^]', '[a-', '[z-a]', '[\\d-z]', '[a-\\d]',
  '\\x4', '\\xg', '\\u12', '\\U0011ffff', '\\400', '\\8', '\\11', '(a)\\2', '(a\\1)', '(?P<1>a)', '(?P<a-b>x)',
  '(?P<>x)', '(?P<a', '(?P=a)', '(?P<a>x)(?P=b)', '(?P<a>x)(?P<a>y)', '(?P', '(?Px)', '(?', '(?<', '(?<x)',
  '(?<=a+)b', '(?<=a|bc)d', '(?<!a*)', '(?<=\\1)(a)', '(a)(?<=\\1)', '(?<=(a)\\1)', 'a(?i)b', '(?i)(?m)a(?s)',
  'b|(?i)a', '(?L)', '(?au)', '(?a)(?u)', '(?i', '(?i-', '(?i-:a)', '(?-i)', '(?i-i:a)', '(?t:a)', '(?-t:a)',
  '(?z)', '(?i1)', '(?#x', '(?(0)a)', '(?(-1)a)', '(?(1)a)', '(?(a)b)', '(?(1)a|b|c)(x)', 'a{2,1}',
  'x{4294967295}', 'x{4294967294}', 'x{1,4294967296}', '(?<=a{4294967294}b)', 'a\nb(', 'a\n\nb)', '\\N{EM DASH}',
  '\\N', '\\N{', '\\N{}', '[\\N{EM DASH}]', '(?x)[ ]#]\n(', '(?x)\\', '(?x)(?#', 'é(', '😀)', '[😀-a]',
  '(?P<😀>a)', '(?P<é>a)(?P=é)', '(?( 1 )a)(b)', '(?(1_0)a)', '(?(+1)a)(b)',
];

test('curated patterns: same verdict and same message as Python 3.11 re.compile', () => {
  const answers = askPython(CURATED.map((pattern) => ({ q: 're', pattern })));
  const mismatches: string[] = [];
  CURATED.forEach((pattern, i) => {
    const ours = checkPythonRegex(pattern);
    const py = answers[i];
    if (ours.ok !== py.ok) mismatches.push(`${JSON.stringify(pattern)}: ours ${ours.ok ? 'OK' : ours.message} / python ${py.ok ? 'OK' : py.message}`);
    else if (!ours.ok && ours.message !== py.message) mismatches.push(`${JSON.stringify(pattern)}: message ${ours.message} / python ${py.message}`);
    else if (!ours.ok && ours.errorType !== 're.error' && ours.errorType !== py.type) mismatches.push(`${JSON.stringify(pattern)}: type ${ours.errorType} / ${py.type}`);
    else if (ours.ok && py.ok && ours.groups !== py.groups) mismatches.push(`${JSON.stringify(pattern)}: groups ${ours.groups} / ${py.groups}`);
  });
  assert.deepEqual(mismatches, []);
});

const SEEDS = [
  '^%(__prefix_line)s(?:error: )?authentication failure for "?<F-USER>.*?</F-USER>"? from <HOST>( via \\S+)?\\s*$',
  '^\\s*(?P<host>\\S+)\\s+-\\s+(?:\\[[^\\]]*\\]\\s+)?"(?:GET|POST) [^"]*" 40[134] \\d+$',
  '(?<=user=)(?P<user>[^,]+),\\s*rip=(?P<ip>[0-9a-f:.]+)',
  '(?i)^(?:\\S+ )?(?:auth|login)\\[\\d+\\]: (?:(?!ok).)*? from \\[?(?P<h>[\\w.-]+)\\]?(?::\\d+)?$',
  '^(?P<a>x)(?(a)y|z){2,5}?[^\\W\\d_]+\\b(?#c)(?>q+)r*+$',
];
const ALPHABET = [
  'a', 'b', 'x', '0', '1', '2', '9', ' ', '-', ',', '_', '(', ')', '[', ']', '{', '}', '*', '+', '?', '|', '^', '$',
  '.', '\\', '<', '>', '=', '!', ':', '#', 'P', 'i', 's', 'm', 'L', 'u', 'd', 'w', 'x', 'g', '\n', 'é',
  '(?', '(?P<', '(?P=', '(?<=', '(?<!', '(?=', '(?:', '(?i)', '(?#', '(?(', '(?>', '\\d', '\\1', '\\x4', '{1,2}',
  '[^', '\\b', '\\w+', 'a-z',
];

function fuzzPatterns(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  const out: string[] = [];
  while (out.length < count) {
    if (random() < 0.5) {
      // random pattern from the alphabet
      const length = 1 + Math.floor(random() * 12);
      let pattern = '';
      for (let k = 0; k < length; k++) pattern += pick(ALPHABET);
      out.push(pattern);
    } else {
      // mutate a realistic fail2ban regex: delete, insert or replace a few characters
      const chars = Array.from(pick(SEEDS));
      const edits = 1 + Math.floor(random() * 3);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(random() * (chars.length + 1));
        const kind = random();
        if (kind < 0.34) chars.splice(at, 1);
        else if (kind < 0.67) chars.splice(at, 0, pick(ALPHABET));
        else chars.splice(at, 1, pick(ALPHABET));
      }
      out.push(chars.join(''));
    }
  }
  return out;
}

test('fuzz: 3000 random and mutated patterns agree with Python 3.11 (verdict 100%, messages too)', () => {
  const patterns = fuzzPatterns(3000, 20240425);
  const answers = askPython(patterns.map((pattern) => ({ q: 're', pattern })));
  const verdictMismatches: string[] = [];
  const messageMismatches: string[] = [];
  let invalid = 0;
  patterns.forEach((pattern, i) => {
    const ours = checkPythonRegex(pattern);
    const py = answers[i];
    if (!py.ok) invalid++;
    if (ours.ok !== py.ok) verdictMismatches.push(`${JSON.stringify(pattern)}: ours ${ours.ok ? 'OK' : ours.message} / python ${py.ok ? 'OK' : py.message}`);
    else if (!ours.ok && ours.message !== py.message) messageMismatches.push(`${JSON.stringify(pattern)}: ${ours.message} / python ${py.message}`);
  });
  // The fuzz must exercise both outcomes, or it proves nothing.
  assert.ok(invalid > 500 && invalid < 2900, `invalid patterns: ${invalid}`);
  assert.deepEqual(verdictMismatches, []);
  assert.deepEqual(messageMismatches, []);
});

test('never throws and stays fast on pathological input', () => {
  const inputs = ['('.repeat(5000), ')'.repeat(5000), '['.repeat(20000), 'a|'.repeat(20000), '\\'.repeat(30001), 'a{1,2}'.repeat(5000), '(?:a*)*'.repeat(3000), 'x'.repeat(100000)];
  for (const input of inputs) {
    const result = checkPythonRegex(input);
    assert.equal(typeof result.ok, 'boolean');
  }
  assert.equal(checkPythonRegex('('.repeat(5000)).ok, false);
});

test('reports groups, named groups and global flags of a valid pattern', () => {
  const result = checkPythonRegex('(?i)(?P<host>a)(b)(?:c)(?P<F_X>d)');
  assert.ok(result.ok);
  assert.equal(result.groups, 3);
  assert.deepEqual([...result.groupNames], [['host', 1], ['F_X', 3]]);
  assert.equal(result.globalFlags, 'i');
});

test('error offsets are UTF-16 offsets for editors, positions are Python code points', () => {
  const result = checkPythonRegex('😀)');
  assert.ok(!result.ok);
  assert.equal(result.position, 1);
  assert.equal(result.offset, 2);
});

test('fragments (parsed once, spliced where they occur) give exactly what parsing them in place gives', () => {
  const host = expandRegexTags('<HOST>').text;
  const addr = expandRegexTags('<ADDR>').text;
  const either = addr.slice(3, -3); // the (?:ip4|ip6) group inside \[?…\]?
  const fragments = [host, either];
  const contexts = [
    '^a X$', 'X', 'XX', '(?P<ip4>a)X', 'X(?P<dns>a)', 'X\\1\\2\\3', 'X\\4', '(a)X(?(4)b|c)', '(?(3)a)X', 'X(?P=ip6)',
    '(?<=X)b', '(?<!X)', '(?<=a)X', '(?x) a X # c', '(?i)X', 'a(?i)X', 'X(?i)', 'X*', 'X+?', 'X{2}', '(?:X)*', '(X)\\1',
    '[X]', '\\X', 'X(', 'X)', '(?P<h>X)(?P=h)', 'é X 😀', '😀X', 'X|X', '(?:a|X)', '(' .repeat(60) + 'X' + ')'.repeat(60),
    '(?<=(?P<q>a))X', 'X\\100',
  ];
  const patterns = contexts.flatMap((c) => [c.replaceAll('X', host), c.replaceAll('X', addr), c.replaceAll('X', either)]);
  const random = seededRandom(20261206);
  for (let n = 0; n < 1500; n++) {
    let pattern = '';
    const length = 1 + Math.floor(random() * 8);
    for (let k = 0; k < length; k++) pattern += random() < 0.25 ? host : ALPHABET[Math.floor(random() * ALPHABET.length)];
    patterns.push(pattern);
  }
  const differences = patterns.filter((p) => JSON.stringify(checkPythonRegex(p, { fragments })) !== JSON.stringify(checkPythonRegex(p)));
  assert.deepEqual(differences, []);
  // the spliced groups are really opened: a back-reference to them, and a clash with their names
  assert.equal(checkPythonRegex(`${host}\\3`, { fragments }).ok, true);
  assert.equal(checkPythonRegex(`(?P<dns>a)${host}`, { fragments }).ok, false);
});
