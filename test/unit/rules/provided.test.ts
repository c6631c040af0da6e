// Filters and actions neither fail2ban nor DMS ships: in a DMS file fail2ban drops the jail (error), unless the
// user's workspace mounts the file into the container (then nothing to say).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules as actionRules } from '../../../server/src/rules/actions';
import { rules as filterRules } from '../../../server/src/rules/filters';
import { rules as unknownNameRules } from '../../../server/src/rules/unknownNames';
import { expectFixture } from './harness';

const rules = [...filterRules, ...actionRules, ...unknownNameRules];
const codes = ['unknown-filter', 'unknown-action', 'unknown-jail'];
const text = [
  '[postfix]',
  'filter = my-postfix',
  '#^ unknown-filter:error',
  '[dovecot]',
  'action = my-ban[port=imap]',
  '#^ unknown-action:error',
  '[custom]',
  'action = nftables-allports',
  '         my-notify.py',
  '#^ unknown-action:error',
  '[my-jail]',
  '#^ unknown-jail:error',
  'enabled = true',
  'logpath = /var/log/mail/mail.log',
].join('\n');

describe('filters and actions the workspace provides', () => {
  it('in a DMS file, a filter or action nobody ships drops the jail: error (and [custom] breaks manual bans)', () => {
    const found = expectFixture(rules, text, { kind: 'dms-jail', codes });
    assert.match(found.find((f) => f.line === 1)?.message ?? '', /Unable to read the filter 'my-postfix'.*compose\.yaml/);
    assert.match(found.find((f) => f.line === 8)?.message ?? '', /setup fail2ban ban <IP>' fails too/);
  });

  it('provided by the workspace: no diagnostic at all', () => {
    const clean = text.replace(/#\^ [a-z-]+:error/g, '#^ -');
    expectFixture(rules, clean, {
      kind: 'dms-jail',
      codes,
      provided: { filters: ['my-postfix', 'my-jail'], actions: ['my-ban', 'my-notify.py'] },
    });
  });

  it('providing other names changes nothing; a plain jail.local keeps the old, milder verdict', () => {
    expectFixture(rules, text, { kind: 'dms-jail', codes, provided: { filters: ['other'], actions: ['my-ban2'] } });
    expectFixture(
      rules,
      ['[postfix]', 'enabled = true', 'filter = my-postfix', '#^ unknown-filter:warning', 'action = my-ban', '#^ unknown-action:information'].join('\n'),
      { kind: 'jail', codes },
    );
  });
});
