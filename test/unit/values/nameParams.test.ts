// Differential test: parseNameParams / splitWithOptions against fail2ban 1.1.0's own
// extractOptions / splitWithOptions (python3), curated cases and a fixed-seed fuzz.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNameParams, splitActions, splitWithOptions } from '../../../server/src/values/nameParams';
import { askPython } from './oracle';
import { seededRandom } from '../../support/random';

const CURATED = [
  'postfix', 'postfix[mode=aggressive]', 'postfix[mode=aggressive', 'postfix [mode=aggressive]', 'nftables[port="25"x]',
  'nftables[port="25", protocol=tcp]', "a[x='1, 2', y=\"a]b\"]", 'a[x=1][y=2]', 'a[x=1] [y=2]', 'a[x=1]junk]', 'a[x=1] junk',
  'a[x=1, y]', 'a[]', 'a[,]', 'a[x=1,]', 'a[x=1,,]', 'a[x=1,,,]', 'a[ x = 1 , y = a b ]', 'a[port=a b]', '[x=1]', '',
  ' ', 'a]', 'a[x=1]]', 'a[x="1]', 'a[x=\'1]', 'a[blocktype?family=inet6=drop]', 'a[x-y.z_1=2]', 'a[x=1]\n', 'a[x=1\n]',
  'a[x=1, y="2"\n]', 'a[x=1]  \n', 'ä[ö=ü]', 'a[é=1]', 'a[x=😀, y=1z]', 'a[x="1"y]', "a[x='1' , y=2]", 'a[x="1" ]',
  'a[x="1"] ', 'a\n[x=1]', 'name\t[x=1]', 'a[x=1][', 'a[x=[1]]', 'a[=1]', 'a[x==1]', 'a[x=1=2]', 'cache[key="<ip>", max-count=100, max-time=5m]',
  'polling[x=1]', 'systemd[journalflags=1, journalfiles="/a /b"]', 'STDERR[format="%(message)s", datetime=off]',
];
const SPLIT_CURATED = [
  'a b', 'a\nb', 'nftables[port="25", protocol=tcp]\n  sendmail-whois[name=x, dest=root]', 'a[x=1] b[y=2]', 'a [x=1]',
  'a[x=1 b', 'a[x="1 2"] b', '  a  ', '', '\n\n a \n', 'a[x=1]b c', 'a[x=1,\n y=2]', 'a[x="1]"] b', "a[x='1 ]' ] b",
  '%(action_)s', 'a[x=1][y=2] c', 'a[x=1]  [y=2]', 'a[x=1 y=2] z', 'a[x=1 x=1 x=1', 'a[x="] y', 'a[ ] b', 'a[] b',
];

function describeOurs(v: string): string {
  const r = parseNameParams(v);
  if (!r.ok) return 'ERR ' + r.message;
  return JSON.stringify([r.name, [...r.options]]);
}
function describePython(a: { ok: boolean; message?: string; name?: string; opts?: [string, string][] }): string {
  if (!a.ok) return 'ERR ' + a.message;
  return JSON.stringify([a.name, a.opts]);
}

function compareExtract(values: string[]): string[] {
  const answers = askPython(values.map((value) => ({ q: 'extract', value })));
  const problems: string[] = [];
  values.forEach((v, i) => {
    const ours = describeOurs(v);
    const py = describePython(answers[i] as never);
    if (ours !== py) problems.push(`${JSON.stringify(v)}: ours ${ours} / python ${py}`);
  });
  return problems;
}

function compareSplit(values: string[]): string[] {
  const answers = askPython(values.map((value) => ({ q: 'split', value })));
  const problems: string[] = [];
  values.forEach((v, i) => {
    const ours = JSON.stringify(splitWithOptions(v));
    const py = JSON.stringify(answers[i].parts);
    if (ours !== py) problems.push(`${JSON.stringify(v)}: ours ${ours} / python ${py}`);
  });
  return problems;
}

function fuzz(count: number, seed: number, seeds: string[]): string[] {
  const random = seededRandom(seed);
  const pieces = ['a', 'x', '=', '"', "'", '[', ']', ',', ' ', '\n', '-', '.', '?', 'é', 'port', '=1', '][', '\t', '25'];
  const out: string[] = [];
  while (out.length < count) {
    const chars = Array.from(seeds[Math.floor(random() * seeds.length)]);
    const edits = 1 + Math.floor(random() * 4);
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(random() * (chars.length + 1));
      const piece = pieces[Math.floor(random() * pieces.length)];
      const kind = random();
      if (kind < 0.3) chars.splice(at, 1);
      else if (kind < 0.7) chars.splice(at, 0, piece);
      else chars.splice(at, 1, piece);
    }
    out.push(chars.join(''));
  }
  return out;
}

test('extractOptions: curated values give fail2ban 1.1.0 name, options and error texts', () => {
  assert.deepEqual(compareExtract(CURATED), []);
});

test('extractOptions: 2000 fuzzed values agree with fail2ban 1.1.0', () => {
  const values = fuzz(2000, 77, CURATED.filter((c) => c.length > 3));
  assert.deepEqual(compareExtract(values), []);
  const errors = values.filter((v) => !parseNameParams(v).ok).length;
  assert.ok(errors > 200 && errors < 1800, `errors: ${errors}`);
});

test('splitWithOptions: curated and 1500 fuzzed values agree with fail2ban 1.1.0', () => {
  assert.deepEqual(compareSplit(SPLIT_CURATED), []);
  assert.deepEqual(compareSplit(fuzz(1500, 99, SPLIT_CURATED.filter((c) => c.length > 3))), []);
});

test('exact messages and offsets of the documented mistakes', () => {
  const missing = parseNameParams('postfix[mode=aggressive');
  assert.deepEqual(missing.ok ? null : missing.message, 'unexpected option syntax');
  const junk = parseNameParams('nftables[port="25"x]');
  assert.ok(!junk.ok);
  assert.equal(junk.message, "unexpected syntax at 9 after option 'port': x");
  assert.equal('nftables[port="25"x]'.slice(junk.start, junk.end), 'x');
  const bad = parseNameParams('a[x=1, y]');
  assert.ok(!bad.ok);
  assert.equal(bad.message, 'expected option, wrong syntax at 4:  y');
  const family = parseNameParams('nftables[blocktype?family=inet6=drop]');
  assert.ok(!family.ok);
  assert.match(family.message, /^expected option, wrong syntax at 0: blocktype\?family=inet6=dr/);
  const family111 = parseNameParams('nftables[blocktype?family=inet6=drop]', { conditionalParams: true });
  assert.ok(family111.ok);
  assert.equal(family111.params[0].condition, 'family=inet6');
  const spaced = parseNameParams('nftables [port=25]');
  assert.ok(spaced.ok);
  assert.equal(spaced.name, 'nftables ');
  assert.equal(spaced.nameHasTrailingSpace, true);
});

test('params carry offsets of keys and values', () => {
  const text = 'nftables[port="25", protocol= tcp ]';
  const r = parseNameParams(text);
  assert.ok(r.ok);
  assert.deepEqual(r.params.map((p) => [text.slice(p.keyStart, p.keyEnd), text.slice(p.valueStart, p.valueEnd), p.quote]), [
    ['port', '25', '"'],
    ['protocol', 'tcp', null],
  ]);
});

test('splitActions: entries with offsets; linear on pathological input', () => {
  const text = 'nftables[port="25 26"]\n  sendmail-whois[name=x]  other';
  assert.deepEqual(splitActions(text).map((e) => [e.text, text.slice(e.start, e.end)]), [
    ['nftables[port="25 26"]', 'nftables[port="25 26"]'],
    ['sendmail-whois[name=x]', 'sendmail-whois[name=x]'],
    ['other', 'other'],
  ]);
  const evil = 'a[x=1 '.repeat(4000);
  assert.equal(splitActions(evil).length, 4000);
  assert.equal(parseNameParams(evil).ok, false);
  // a space before '=' is not allowed by fail2ban's key syntax
  assert.equal(parseNameParams('a[x =1]').ok, false);
});
