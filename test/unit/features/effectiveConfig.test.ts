// Show Effective Configuration marks what fail2ban will not accept (issue 14.14): invalid values under the value
// (also where a jail inherits it from the user's [DEFAULT]), jails fail2ban drops, jails of the user's file that
// are switched off and why, and a header when fail2ban refuses the whole configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeEffectiveConfig } from '../../../server/src/features/effectiveConfig';
import { parseDocument } from '../../../server/src/parser/parse';

function report(text: string): string {
  return computeEffectiveConfig(parseDocument(text), { kind: 'dms-jail' }).text;
}

test('an invalid value is marked under the value, with its code and the fix, and the header says fail2ban will not start', () => {
  const text = report('[postfix]\nfindtime = 1x\n');
  assert.match(text, /\nfindtime = 1x {4}; ← fail2ban-jail\.cf \[postfix\]\n {4}; ✗ ERROR \(invalid-duration\): \S/);
  assert.match(text, /^; ✗ fail2ban refuses this configuration and does not start \(1 error\(s\)/m);
});

test("a bad [DEFAULT] value is marked in every jail that inherits it from the user's file, not in jails that set their own", () => {
  const text = report('[DEFAULT]\nbantime = 1x\n\n[dovecot]\nbantime = 2h\n');
  const custom = text.slice(text.indexOf('[custom]'));
  assert.match(custom, /bantime = 180d/, 'DMS sets custom\'s own bantime');
  const postfix = text.slice(text.indexOf('[postfix]'), text.indexOf('[custom]'));
  assert.match(postfix, /bantime = 1x {4}; ← fail2ban-jail\.cf \[DEFAULT\]\n {4}; ✗ ERROR \(invalid-duration\)/);
  const dovecot = text.slice(text.indexOf('\n[dovecot]'), text.indexOf('\n[postfix]'));
  assert.doesNotMatch(dovecot, /invalid-duration/);
});

test('a jail fail2ban drops is marked DROPPED and listed with why; the count says how many will run', () => {
  const text = report('[recidive]\nenabled = true\nfilter = nosuchfilter\n');
  assert.match(text, /\[recidive\] {4}; ✗ DROPPED: fail2ban does not start this jail/);
  assert.match(text, /^; {3}\[recidive\] is enabled but dropped by fail2ban: .*nosuchfilter/m);
  assert.match(text, /^; 4 enabled jail\(s\): .* — 3 will run$/m);
});

test("jails of the user's file that are off are listed with the value that switches them off", () => {
  const text = report('[dovecot]\nenabled = ture\n\n[sshd]\nenabled = false\n\n[postfix-sasl]\nbantime = 1h\n');
  assert.match(text, /^; Jails of your file that will not run:$/m);
  assert.match(text, /^; {3}\[dovecot\] is switched off: enabled = ture \(fail2ban-jail\.cf \[dovecot\]\)\. \S/m, "the rule's message follows");
  assert.match(text, /^; {3}\[sshd\] is switched off: enabled = false \(fail2ban-jail\.cf \[sshd\]\)\.$/m);
  assert.match(text, /^; {3}\[postfix-sasl\] is switched off: enabled = false \(jail\.conf|^; {3}\[postfix-sasl\] is switched off: no enabled = true anywhere/m);
  assert.doesNotMatch(text, /^\[dovecot\]$/m, 'a switched-off jail gets no section of its own');
});

test('a clean file gets no marks and no list of skipped jails', () => {
  const text = report('[DEFAULT]\nbantime = 1w\n');
  assert.doesNotMatch(text, /✗|⚠|will not run|DROPPED/);
});
