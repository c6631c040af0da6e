import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/ignoreip';
import { expectFixture } from './harness';

describe('ignoreip / ignorecache rules', () => {
  it('non-contiguous masks are fatal in enabled jails, typos silently become host names', () => {
    const found = expectFixture(
      rules,
      [
        '[DEFAULT]',
        'ignoreip = 127.0.0.1/8 ::1 192.168.0.0/255.255.0.0 10.0.0.0/255.0.255.0',
        '#^ invalid-netmask:error',
        '[postfix]',
        'ignoreip = 300.1.1.1, 010.0.0.1 mail.example.org 1.2.3.4/33 0.0.0.0/0',
        '#^ invalid-ip:warning invalid-ip:warning invalid-netmask:warning invalid-netmask:warning',
        '[sshd]',
        'ignoreip = 10.0.0.0/255.0.255.0',
        '#^ invalid-netmask:warning',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    const mask = found.find((f) => f.line === 1);
    assert.match(mask?.message ?? '', /invalid mask '255\.0\.255\.0', no plen representation/);
    // the DEFAULT value reaches dovecot and custom (postfix overrides it), named in the message
    assert.match(mask?.message ?? '', /dovecot/);
    assert.doesNotMatch(mask?.message ?? '', /postfix/);
    // the range is the entry itself
    assert.equal(mask?.range.start.character, 'ignoreip = 127.0.0.1/8 ::1 192.168.0.0/255.255.0.0 '.length);
    const disabled = found.find((f) => f.line === 7);
    assert.match(disabled?.message ?? '', /not read while jail 'sshd' is disabled/);
  });

  it("'file:' entries need fail2ban 1.1.1; '#' words are left to the comment rule", () => {
    expectFixture(rules, ['[postfix]', 'ignoreip = 127.0.0.1 file:/etc/fail2ban/ignore.list', '#^ version-feature:warning'].join('\n'), {
      kind: 'dms-jail',
      fail2banVersion: '1.1.0',
    });
    expectFixture(rules, ['[postfix]', 'ignoreip = 127.0.0.1 file:/etc/fail2ban/ignore.list', '#^ -'].join('\n'), {
      kind: 'jail',
      fail2banVersion: '1.1.1',
    });
    expectFixture(rules, ['[postfix]', 'ignoreip = file:/etc/ignore.list 10.0.0.1', '#^ invalid-ip:warning'].join('\n'), {
      kind: 'jail',
      fail2banVersion: '1.1.1',
    });
    // entries after a 'file:' entry are still checked: the bad address is reported besides the 'file:' entry
    const afterFile = expectFixture(
      rules,
      ['[postfix]', 'ignoreip = 127.0.0.1 file:/etc/ignore.list 300.1.1.1', '#^ invalid-ip:warning invalid-ip:warning'].join('\n'),
      { kind: 'jail', fail2banVersion: '1.1.1' },
    );
    assert.ok(afterFile.some((f) => f.message.startsWith("'300.1.1.1' is not a valid address")), 'the entry after file: is checked');
    expectFixture(rules, ['[postfix]', 'ignoreip = 127.0.0.1 # 300.1.1.1', '#^ -'].join('\n'), { kind: 'dms-jail' });
  });

  it('1.0.2 does not split on tabs: the joined entry is a host name', () => {
    expectFixture(rules, ['[postfix]', 'ignoreip = 10.0.0.1\t10.0.0.2', '#^ -'].join('\n'), { kind: 'dms-jail', fail2banVersion: '1.1.0' });
    const found = expectFixture(rules, ['[postfix]', 'ignoreip = 10.0.0.1\t10.0.0.2', '#^ invalid-ip:warning'].join('\n'), {
      kind: 'jail',
      fail2banVersion: '1.0.2',
    });
    assert.match(found[0].message, /host name/);
  });

  it('interpolated [DEFAULT] values are checked per jail', () => {
    const found = expectFixture(
      rules,
      ['[DEFAULT]', 'ignoreip = 127.0.0.1 %(office)s', '#^ invalid-netmask:error', '[postfix]', 'office = 10.0.0.0/255.0.0.255', '[dovecot]', 'office = 10.1.0.0/16'].join('\n'),
      { kind: 'dms-jail' },
    );
    assert.match(found[0].message, /jail 'postfix'\)/);
  });

  it('ignorecache: key is required, max-count int, max-time a time', () => {
    const found = expectFixture(
      rules,
      [
        '[postfix]',
        'ignorecache = max-count=100, max-time=5m',
        '#^ invalid-ignorecache:error',
        '[dovecot]',
        'ignorecache = key="<ip>", max-count=1e3',
        '#^ invalid-ignorecache:error',
        '[custom]',
        'ignorecache = key="<ip>", max-count=100, max-time=5m',
        '#^ -',
        '[sshd]',
        'ignorecache = max-time=5m',
        '#^ invalid-ignorecache:warning',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    assert.match(found[0].message, /KeyError\('key'\)/);
    assert.match(found[1].message, /invalid literal for int\(\)/);
    assert.equal(found[1].range.start.character, 'ignorecache = key="<ip>", max-count='.length);
  });
});
