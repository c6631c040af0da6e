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
        '#^ unknown-action:error',
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
