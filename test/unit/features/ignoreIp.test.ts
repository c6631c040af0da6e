// addToIgnoreIp edits, checked as text AND by reading the edited files with fail2ban 1.1.0's own
// config parser (python3), so the edit is proven to mean what it says to fail2ban.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addToIgnoreIp, lineEnding } from '../../../server/src/features/ignoreIp';
import { runPython } from '../../support/python';
import { applyEdits } from '../../support/textEdits';

function edited(text: string, address: string, kind?: 'dms-jail' | 'jail'): string {
  const result = addToIgnoreIp(text, address, { kind });
  assert.equal(result.status, 'added', result.message);
  return applyEdits(text, result.edits);
}

const PY = `
import json, sys, tempfile, os
from fail2ban.client.configparserinc import SafeConfigParserWithIncludes
out = []
for text in json.load(sys.stdin):
    fd, path = tempfile.mkstemp(suffix='.local'); os.write(fd, text.encode()); os.close(fd)
    p = SafeConfigParserWithIncludes(); p.read(path); os.unlink(path)
    out.append({'ignoreip': p.get('DEFAULT', 'ignoreip', raw=True) if p.has_option('DEFAULT', 'ignoreip') else None,
                'sections': {s: {k: p.get(s, k, raw=True) for k in p.options(s)} for s in p.sections()}})
print(json.dumps(out))
`;

/** What fail2ban 1.1.0's configparser reads from each text. */
function readWithFail2ban(texts: string[]): Array<{ ignoreip: string | null; sections: Record<string, Record<string, string>> }> {
  return JSON.parse(runPython({ args: ['-c', PY], input: JSON.stringify(texts), what: 'fail2ban 1.1.0 configparser' }).stdout);
}

test('appends to an existing ignoreip, keeping comments and continuation lines', () => {
  const text = '# my jail\n[DEFAULT]\nbantime = 1w\nignoreip = 127.0.0.1/8 ; localhost\n    10.0.0.0/8\n\n[custom]\nenabled = true\n';
  assert.equal(
    edited(text, '192.0.2.7'),
    '# my jail\n[DEFAULT]\nbantime = 1w\nignoreip = 127.0.0.1/8 ; localhost\n    10.0.0.0/8 192.0.2.7\n\n[custom]\nenabled = true\n',
  );
  assert.equal(edited('[DEFAULT]\nignoreip = 127.0.0.1/8 ; keep me\n', '2001:db8::1'), '[DEFAULT]\nignoreip = 127.0.0.1/8 2001:db8::1 ; keep me\n');
});

test('an empty ignoreip gets the address after the delimiter', () => {
  assert.equal(edited('[DEFAULT]\nignoreip =\nbantime = 1h\n', '192.0.2.7'), '[DEFAULT]\nignoreip = 192.0.2.7\nbantime = 1h\n');
});

test("a first-time ignoreip in [DEFAULT] keeps DMS's 127.0.0.1/8", () => {
  const text = '[DEFAULT]\nbantime = 1w\n# comment after\n\n[postfix]\nmode = aggressive\n';
  assert.equal(edited(text, '198.51.100.0/24'), '[DEFAULT]\nbantime = 1w\nignoreip = 127.0.0.1/8 198.51.100.0/24\n# comment after\n\n[postfix]\nmode = aggressive\n');
  const result = addToIgnoreIp(text, '198.51.100.0/24');
  assert.match(result.message, /keeping DMS's 127\.0\.0\.1\/8/);
  // Plain fail2ban files have no DMS default to keep.
  assert.equal(edited('[DEFAULT]\nbantime=1w', '192.0.2.7', 'jail'), '[DEFAULT]\nbantime=1w\nignoreip=192.0.2.7');
});

test('creates [DEFAULT] when missing, at the top (after a BOM), with the file line endings', () => {
  assert.equal(edited('[postfix]\nmode = aggressive\n', '192.0.2.7'), '[DEFAULT]\nignoreip = 127.0.0.1/8 192.0.2.7\n\n[postfix]\nmode = aggressive\n');
  assert.equal(edited('', '192.0.2.7'), '[DEFAULT]\nignoreip = 127.0.0.1/8 192.0.2.7\n');
  assert.equal(edited('[dovecot]\r\nenabled = true\r\n', '192.0.2.7'), '[DEFAULT]\r\nignoreip = 127.0.0.1/8 192.0.2.7\r\n\r\n[dovecot]\r\nenabled = true\r\n');
  assert.equal(edited('\uFEFF[dovecot]\nenabled = true\n', '192.0.2.7'), '\uFEFF[DEFAULT]\nignoreip = 127.0.0.1/8 192.0.2.7\n\n[dovecot]\nenabled = true\n');
});

test('an empty [DEFAULT] at the end of the file without a newline', () => {
  assert.equal(edited('[custom]\nenabled = true\n[DEFAULT]', '192.0.2.7'), '[custom]\nenabled = true\n[DEFAULT]\nignoreip = 127.0.0.1/8 192.0.2.7');
});

test('already present, or covered by a listed network: no edit', () => {
  const text = '[DEFAULT]\nignoreip = 127.0.0.1/8, 192.0.2.0/24 2001:DB8::/32\n';
  for (const [address, expected] of [
    ['192.0.2.0/24', /already in ignoreip/],
    ['192.0.2.77', /covered by 192\.0\.2\.0\/24/],
    ['192.0.2.128/25', /covered by 192\.0\.2\.0\/24/],
    ['127.0.0.1', /covered by 127\.0\.0\.1\/8/],
    ['2001:db8:1::5', /covered by 2001:DB8::\/32/],
  ] as const) {
    const result = addToIgnoreIp(text, address);
    assert.equal(result.status, 'already-present', address);
    assert.deepEqual(result.edits, []);
    assert.match(result.message, expected);
  }
  assert.equal(addToIgnoreIp(text, '192.0.0.0/16').status, 'added', 'a wider network is not covered');
});

test('invalid input is refused without an edit', () => {
  for (const input of ['not-an-ip', '192.0.2.7 10.0.0.1', '-x', '192.0.2.0/40']) {
    const result = addToIgnoreIp('[DEFAULT]\n', input);
    assert.equal(result.status, 'invalid-address');
    assert.deepEqual(result.edits, []);
  }
});

test('a jail with its own ignoreip is pointed out', () => {
  const result = addToIgnoreIp('[DEFAULT]\nignoreip = 127.0.0.1/8\n[dovecot]\nignoreip = 10.0.0.1\n', '192.0.2.7');
  assert.equal(result.notes.length, 1);
  assert.match(result.notes[0], /\[dovecot\] sets its own ignoreip/);
});

test('fail2ban 1.1.0 reads every edited file with the address in [DEFAULT] ignoreip and nothing else changed', () => {
  const cases: Array<{ text: string; address: string; expected: string }> = [
    { text: '[DEFAULT]\nignoreip = 127.0.0.1/8 ; lo\n    10.0.0.0/8\n[custom]\nbantime = 1d\n', address: '192.0.2.7', expected: '127.0.0.1/8\n10.0.0.0/8 192.0.2.7' },
    { text: '[DEFAULT]\nbantime = 1w\n\n[postfix]\nmode = extra\n', address: '2001:db8::1', expected: '127.0.0.1/8 2001:db8::1' },
    { text: '[postfix]\nmode = extra\n', address: '198.51.100.0/24', expected: '127.0.0.1/8 198.51.100.0/24' },
    { text: '[DEFAULT]\nignoreip =\n', address: '192.0.2.7', expected: '192.0.2.7' },
    { text: '[DEFAULT]\r\nmaxretry = 3\r\n[dovecot]\r\nenabled = true', address: '192.0.2.9', expected: '127.0.0.1/8 192.0.2.9' },
  ];
  const before = readWithFail2ban(cases.map((c) => c.text));
  const after = readWithFail2ban(cases.map((c) => edited(c.text, c.address)));
  cases.forEach((c, i) => {
    assert.equal(after[i].ignoreip, c.expected, c.text);
    const withoutIgnoreip = (sections: Record<string, Record<string, string>>) =>
      Object.fromEntries(Object.entries(sections).map(([name, options]) => [name, Object.fromEntries(Object.entries(options).filter(([key]) => key !== 'ignoreip'))]));
    assert.deepEqual(withoutIgnoreip(after[i].sections), withoutIgnoreip(before[i].sections), c.text);
  });
});

test('the inserted line uses the document\'s own line ending: CRLF, CR only or LF', () => {
  // CR-only: a new option line after [DEFAULT]'s last option, and a new [DEFAULT] section.
  assert.equal(edited('[DEFAULT]\rbantime = 1w\r[dovecot]\renabled = true\r', '192.0.2.7'), '[DEFAULT]\rbantime = 1w\rignoreip = 127.0.0.1/8 192.0.2.7\r[dovecot]\renabled = true\r');
  assert.equal(edited('[dovecot]\renabled = true\r', '192.0.2.7'), '[DEFAULT]\rignoreip = 127.0.0.1/8 192.0.2.7\r\r[dovecot]\renabled = true\r');
  assert.equal(edited('[DEFAULT]\r\nbantime = 1w', '192.0.2.7'), '[DEFAULT]\r\nbantime = 1w\r\nignoreip = 127.0.0.1/8 192.0.2.7');
  // Mostly LF with one stray CRLF: the file's dominant ending.
  assert.equal(edited('[DEFAULT]\nbantime = 1w\r\nmaxretry = 3\n[x]\n', '192.0.2.7'), '[DEFAULT]\nbantime = 1w\r\nmaxretry = 3\nignoreip = 127.0.0.1/8 192.0.2.7\n[x]\n');
  assert.deepEqual(['a\rb\r', 'a\r\nb', 'a\nb\r\nc\n', '', 'x\ry\nz\r'].map(lineEnding), ['\r', '\r\n', '\n', '\n', '\r']);
  // fail2ban reads the CR-only result with the address in [DEFAULT] and [dovecot] intact.
  const [read] = readWithFail2ban([edited('[DEFAULT]\rbantime = 1w\r[dovecot]\renabled = true\r', '192.0.2.7')]);
  assert.equal(read.ignoreip, '127.0.0.1/8 192.0.2.7');
  assert.equal(read.sections.dovecot?.enabled, 'true');
});
