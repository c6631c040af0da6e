// The CodeLens above each jail (issue 14.15): the language server's run state (enabled by which layer, off and
// why, dropped by fail2ban) and the extension's "banned now" from the view's last refresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeJailLenses, jailRunStates, lensTitle } from '../../../server/src/features/jailLens';
import { parseDocument } from '../../../server/src/parser/parse';
import { bannedNow } from '../../../client/src/bans/bannedNow';
import type { SessionState } from '../../../client/src/bans/session';

const text = '[DEFAULT]\nbantime = 1h\n\n[dovecot]\nbantime = 2h\n\n[sshd]\nport = 22\n\n[postfix]\nenabled = false\n\n[recidive]\nenabled = true\nfilter = nosuchfilter\n\n[postfix-sasl]\nenabled = true\n';

test('each jail section gets its run state: enabled by DMS or by the file, off and why, dropped', () => {
  const states = jailRunStates(parseDocument(text), { kind: 'dms-jail' });
  assert.deepEqual(states.map((entry) => [entry.jail, entry.line, entry.run.state]), [
    ['dovecot', 3, 'runs'],
    ['sshd', 6, 'off'],
    ['postfix', 9, 'off'],
    ['recidive', 12, 'dropped'],
    ['postfix-sasl', 16, 'runs'],
  ]);
  const byJail = new Map(states.map((entry) => [entry.jail, entry.run]));
  assert.match(lensTitle(byJail.get('dovecot')!), /^\$\(pass\) enabled \(DMS jail\.local/);
  assert.equal(lensTitle(byJail.get('postfix-sasl')!), '$(pass) enabled (fail2ban-jail.cf)');
  assert.equal(lensTitle(byJail.get('postfix')!), '$(circle-slash) off: enabled = false in fail2ban-jail.cf');
  assert.match(lensTitle(byJail.get('sshd')!), /^\$\(circle-slash\) off: enabled = false in jail\.conf|^\$\(circle-slash\) off: not enabled anywhere$/);
  assert.equal(lensTitle(byJail.get('recidive')!), '$(error) dropped by fail2ban (unknown-filter)');
});

test('the lenses sit on the section headers and open the effective configuration; server files get none', () => {
  const lenses = computeJailLenses(parseDocument(text), { kind: 'dms-jail' }, 'file:///w/fail2ban-jail.cf');
  assert.deepEqual(lenses.map((lens) => lens.range.start.line), [3, 6, 9, 12, 16]);
  assert.ok(lenses.every((lens) => lens.command?.command === 'dmsFail2ban.showEffectiveConfig' && lens.command.arguments?.[0] === 'file:///w/fail2ban-jail.cf'));
  assert.deepEqual(computeJailLenses(parseDocument('[Definition]\nloglevel = INFO\n'), { kind: 'dms-server' }, 'file:///w/fail2ban-fail2ban.cf'), []);
});

test('"banned now" comes from the first server whose last refresh listed the jail; nothing without a refresh', () => {
  const updated = new Date(2026, 11, 6, 9, 0, 0);
  const states: SessionState[] = [
    { kind: 'failed', failure: { kind: 'daemon-unreachable', message: '', actions: [], detail: '' } },
    {
      kind: 'ready',
      container: 'mailserver',
      notes: [],
      updated,
      jails: [
        { jail: 'dovecot', ips: ['192.0.2.1', '192.0.2.2'], currentlyBanned: 2 },
        { jail: 'postfix', ips: [], unavailable: 'reloading' },
      ],
    },
  ];
  assert.deepEqual(bannedNow('dovecot', states), { index: 1, count: 2, container: 'mailserver', updated });
  assert.equal(bannedNow('postfix', states), undefined, 'no answer for the jail: no count (0 would be a guess)');
  assert.equal(bannedNow('sshd', states), undefined);
  assert.equal(bannedNow('dovecot', [{ kind: 'idle' }]), undefined);
});
