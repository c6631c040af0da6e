import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/actions';
import { expectFixture } from './harness';

describe('action rules', () => {
  it('unknown actions, syntax, self reference, duplicates, ?family on 1.1.0', () => {
    const found = expectFixture(
      rules,
      [
        '[DEFAULT]',
        'banaction = nftables-allport',
        // every enabled jail below has its own action: none refers to %(banaction)s, so it is not read
        '#^ unknown-action:warning',
        '[postfix]',
        'action = nftables[port="25"x]',
        '#^ invalid-definition:error',
        '[dovecot]',
        'action = nftables[port="<port>"]',
        '#^ self-referencing-tag:error',
        '[custom]',
        'action = nftables',
        '#^ -',
        '  nftables',
        '#^ duplicate-action:error',
        '  dummy[actname=d2]',
        '#^ -',
        '[sshd]',
        'action = nftables[blocktype?family=inet6=drop]',
        '#^ version-feature:warning',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    assert.equal(found[0].fixes?.[0]?.edits[0]?.newText, 'nftables-allports');
  });

  it('an unquoted comma inside name[...] is invalid-definition with fail2ban\'s words; quoted or trailing commas are fine', () => {
    const found = expectFixture(
      rules,
      [
        '[dovecot]',
        'action = nftables[port=imap,pop3]',
        '#^ invalid-definition:error',
        '[postfix]',
        'action = nftables[name=x, port=smtp,submission]',
        '#^ invalid-definition:error',
        '[custom]',
        'action = nftables[port="smtp,submission"]',
        '#^ -',
        "         nftables[actname=n2, port='smtp,submission']",
        '#^ -',
        '[postfix-sasl]',
        'enabled = true',
        'action = nftables[port=smtp, protocol=tcp,]',
        '#^ -',
      ].join('\n'),
      { kind: 'dms-jail', codes: ['invalid-definition'] },
    );
    // fail2ban 1.1.0: Invalid action definition 'nftables[port=imap,pop3]': expected option, wrong syntax at 10: pop3
    assert.match(found[0].message, /Invalid action definition 'nftables\[port=imap,pop3\]': expected option, wrong syntax at 10: pop3/);
    // fail2ban 1.1.0 splits the value at the space first: Invalid action definition 'nftables[name=x,': unexpected option syntax
    assert.match(found[1].message, /Invalid action definition 'nftables\[name=x,': unexpected option syntax/);
  });

  it('a [DEFAULT] banaction no enabled jail\'s action refers to is not read: at most a warning', () => {
    const overridden = ['[postfix]', 'action = nftables-allports', '[dovecot]', 'action = nftables-allports', '[custom]', 'action = nftables-allports'];
    const found = expectFixture(
      rules,
      [
        '[DEFAULT]',
        'banaction = nftables-allports[port=a',
        '#^ invalid-definition:warning',
        'banaction_allports = nftables[type=allports',
        '#^ invalid-definition:warning',
        ...overridden,
      ].join('\n'),
      { kind: 'dms-jail', codes: ['invalid-definition'] },
    );
    assert.match(found[0].message, /no enabled jail's action refers to %\(banaction\)s/);
    // one jail that keeps the stock action (%(action_)s → %(banaction)s) reads it: an error naming that jail only
    const read = expectFixture(
      rules,
      ['[DEFAULT]', 'banaction = nftables-allports[port=a', '#^ invalid-definition:error', ...overridden.slice(0, 4)].join('\n'),
      { kind: 'dms-jail', codes: ['invalid-definition'] },
    );
    assert.match(read[0].message, /skips jail 'custom'/);
  });

  it('%(action_)s style values are left to interpolation; fine actions pass', () => {
    expectFixture(rules, ['[postfix]', 'action = %(action_mwl)s', '#^ -', '[dovecot]', 'action = nftables-multiport[port="imap,imaps"]', '#^ -'].join('\n'), {
      kind: 'dms-jail',
    });
  });

  it('a [DEFAULT] action is checked for every enabled jail that inherits it, reported once', () => {
    const found = expectFixture(
      rules,
      [
        '[DEFAULT]',
        'action = iptables[name=%(__name__)s, port=%(port)s]',
        '#^ invalid-definition:error',
        '[web]',
        'enabled = true',
        'filter = apache-auth',
        'port = http,https',
        'logpath = /var/log/a.log',
        '[web2]',
        'enabled = true',
        'filter = apache-auth',
        'port = http,https',
        'logpath = /var/log/a.log',
        '[ssh2]',
        'enabled = true',
        'filter = sshd',
        'port = ssh',
        'logpath = /var/log/a.log',
      ].join('\n'),
      { kind: 'jail' },
    );
    const only = found.filter((f) => f.code === 'invalid-definition');
    assert.equal(only.length, 1);
    assert.match(only[0].message, /jails 'web', 'web2'/);
    assert.doesNotMatch(only[0].message, /ssh2/);
    assert.match(only[0].message, /must be quoted/);
    // with port quoted every jail is fine
    expectFixture(
      rules,
      ['[DEFAULT]', 'action = iptables[name=%(__name__)s, port="%(port)s"]', '#^ -', '[web]', 'enabled = true', 'port = http,https', 'filter = sshd', 'logpath = /x'].join('\n'),
      { kind: 'jail' },
    );
  });

  it('an action of another fail2ban version: error in DMS, warning for a plain install', () => {
    expectFixture(rules, ['[custom]', 'action = mikrotik', '#^ version-feature:error'].join('\n'), { kind: 'dms-jail', fail2banVersion: '1.0.2' });
    expectFixture(rules, ['[a]', 'enabled = true', 'action = mikrotik', '#^ version-feature:warning'].join('\n'), { kind: 'jail', fail2banVersion: '1.0.2' });
  });

  it('an empty banaction breaks exactly the jails whose action refers to it (the others run)', () => {
    const found = expectFixture(
      rules,
      [
        '[DEFAULT]',
        'banaction =',
        '#^ invalid-definition:error',
        '[postfix]',
        'action = nftables',
        '#^ -',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    // postfix names its own action; dovecot and custom keep the stock %(action_)s, which refers to banaction
    assert.match(found[0].message, /jails 'dovecot', 'custom'/);
    assert.doesNotMatch(found[0].message, /postfix/);
    // a jail's own banaction is read by that jail only; an unused banaction_allports is harmless
    expectFixture(rules, ['[postfix]', 'banaction =', '#^ invalid-definition:error'].join('\n'), { kind: 'dms-jail' });
    expectFixture(rules, ['[DEFAULT]', 'banaction_allports =', '#^ -'].join('\n'), { kind: 'dms-jail' });
    // every jail names its own action: nothing refers to the empty banaction
    expectFixture(rules, ['[DEFAULT]', 'banaction =', '#^ -', '[sshd]', 'enabled = true', 'action = iptables'].join('\n'), { kind: 'jail' });
  });
});
