// Differential test: tag expansion and regex checks against fail2ban 1.1.0's Regex / FailRegex.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFailRegex, expandRegexTags, splitRegexLines } from '../../../server/src/values/failregex';
import { askPython } from './oracle';
import { seededRandom } from '../../support/random';

const CASES: { regex: string; kind?: 'fail' | 'ignore'; usedns?: string; prefregex?: string }[] = [
  { regex: '^foo <HOST>$' }, { regex: '^foo <HOST>$', usedns: 'no' }, { regex: '^(unclosed <HOST>' }, { regex: '^no host group here$' },
  { regex: '<ADDR>' }, { regex: '<IP4> <IP6>' }, { regex: '<DNS>' }, { regex: '<CIDR>' }, { regex: '<SUBNET>' }, { regex: '<ADDR>/<CIDR>' },
  { regex: '<F-ID>\\S+</F-ID>' }, { regex: 'user <F-USER>\\S+</F-USER> from <HOST>' }, { regex: '<F-USER>x' }, { regex: '</F-USER> <HOST>' },
  { regex: '<F-MLFID>\\d+</F-MLFID>' }, { regex: '<F-NOFAIL><HOST></F-NOFAIL>' }, { regex: '<F-ALT_USER1>a</F-ALT_USER1> <HOST>' },
  { regex: '<F-ID/>' }, { regex: '<F-PORT/> <HOST>' }, { regex: '<F-IP4/>' }, { regex: '<HOST> <HOST>' }, { regex: '<mdre-bogus>' },
  { regex: '<F-user>x</F-user> <HOST>' }, { regex: '<F-A-B>x</F-A-B> <HOST>' }, { regex: '^<SKIPLINES>foo <HOST>' },
  { regex: '((?i)abc) <HOST>' }, { regex: '(?:(?i)abc) <HOST>' }, { regex: '^x(?i) <HOST>' }, { regex: '   ' },
  { regex: '^(?P<host>\\S+) <HOST>' }, { regex: 'a <HOST>', kind: 'ignore' }, { regex: '^(x', kind: 'ignore' }, { regex: 'no id', kind: 'ignore' },
  { regex: 'only msg', prefregex: '^<HOST> <F-CONTENT>.+</F-CONTENT>$' }, { regex: 'x <F-CONTENT>y</F-CONTENT>' },
  { regex: '<HOST' }, { regex: '<HOST>>' }, { regex: '<<HOST>>' }, { regex: '[<HOST>]' }, { regex: '\\<HOST>' },
  { regex: 'é <HOST> (' }, { regex: 'a\\' }, { regex: '<F-ID>x</F-ID></F-ID>' }, { regex: '<F-ID>x<F-ID>y</F-ID></F-ID>' },
];

function compare(cases: typeof CASES): string[] {
  const answers = askPython(cases.map((c) => ({ q: 'failregex', regex: c.regex, kind: c.kind ?? 'fail', usedns: c.usedns ?? 'warn', prefregex: c.prefregex ?? '' })));
  const problems: string[] = [];
  cases.forEach((c, i) => {
    const pref = c.prefregex ? checkFailRegex(c.prefregex, { kind: 'pref' }) : null;
    const ours = checkFailRegex(c.regex, { kind: c.kind ?? 'fail', useDns: c.usedns, prefRegexHasFailureId: pref?.hasFailureId });
    const py = answers[i];
    if (expandRegexTags(c.regex, c.usedns ?? 'warn').text !== py.expanded) problems.push(`${JSON.stringify(c.regex)}: expanded differs`);
    const a = ours.ok ? 'OK' : ours.message;
    const b = py.ok ? 'OK' : py.message;
    if (a !== b) problems.push(`${JSON.stringify(c.regex)}: ours ${a} / python ${b}`);
  });
  return problems;
}

test('curated regexes: expansion and verdict/message equal to fail2ban 1.1.0', () => {
  assert.deepEqual(compare(CASES), []);
});

test('fuzzed regexes with tags agree with fail2ban 1.1.0', () => {
  const random = seededRandom(31);
  const pieces = ['<HOST>', '<ADDR>', '<F-ID>', '</F-ID>', '<F-USER>', '</F-USER>', '<IP4>', '<CIDR>', '<SKIPLINES>', '(', ')', '(?i)', '((?i)', '\\S+', ' ', 'x', '[', ']', '*', '?', '|', '<F-ID/>', '<bad>'];
  const cases: typeof CASES = [];
  while (cases.length < 800) {
    let r = '';
    const n = 1 + Math.floor(random() * 7);
    for (let k = 0; k < n; k++) r += pieces[Math.floor(random() * pieces.length)];
    cases.push({ regex: r, kind: random() < 0.2 ? 'ignore' : 'fail', usedns: random() < 0.3 ? 'no' : 'warn' });
  }
  assert.deepEqual(compare(cases), []);
});

test('errors point back into the text the user wrote', () => {
  const r = checkFailRegex('^(unclosed <HOST>');
  assert.equal(r.ok, false);
  assert.equal(r.reError, 'missing ), unterminated subpattern at position 1');
  assert.equal('^(unclosed <HOST>'.slice(r.start, r.end), '(');
  const inTag = checkFailRegex('<HOST> <HOST>');
  assert.equal(inTag.ok, false);
  assert.match(inTag.reError ?? '', /redefinition of group name 'ip4'/);
  assert.equal('<HOST> <HOST>'.slice(inTag.start, inTag.end), '<HOST>');
  assert.equal(inTag.start, 7);
  const noId = checkFailRegex('^no host group here$');
  assert.equal(noId.message, "No failure-id group in '^no host group here$'");
  assert.deepEqual(checkFailRegex('<mdre-bogus>').literalTags.map((t) => t.tag), ['<mdre-bogus>']);
});

test('expansion and line split', () => {
  assert.equal(expandRegexTags('<F-ID>x</F-ID>').text, '(?P<fid>x)');
  assert.equal(expandRegexTags('<SKIPLINES>').skipLines, 1);
  assert.deepEqual(splitRegexLines('\n^a <HOST>\n\n^b <HOST>').map((l) => l.text), ['^a <HOST>', '^b <HOST>']);
});
