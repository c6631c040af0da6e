import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/dms';
import { expectFixture } from './harness';

const codes = ['default-enabled', 'dms-overridden', 'custom-jail-disabled', 'iptables-in-dms', 'long-jail-name', 'invalid-value'];

describe('DMS and jail-wide rules', () => {
  it('[DEFAULT] enabled = true is fatal in DMS, a warning for plain jail files', () => {
    const text = ['[DEFAULT]', 'enabled = true', '#^ default-enabled'].join('\n');
    const dms = expectFixture(rules, text, { kind: 'dms-jail', codes });
    assert.equal(dms[0].severity, 'error');
    assert.match(dms[0].message, /Have not found any log file for sshd jail/);
    const plain = expectFixture(rules, text, { kind: 'jail', codes });
    assert.equal(plain[0].severity, 'warning');
    expectFixture(rules, ['[DEFAULT]', 'enabled = false', '#^ -'].join('\n'), { kind: 'dms-jail', codes });
  });

  it('allowipv6 in the DMS server file is overridden by fixes.local; not in a plain server file', () => {
    const text = ['[Definition]', 'allowipv6 = yes', '#^ dms-overridden:warning'].join('\n');
    expectFixture(rules, text, { kind: 'dms-server', codes });
    expectFixture(rules, ['[Definition]', 'allowipv6 = yes', '#^ -'].join('\n'), { kind: 'server', codes });
  });

  it('disabling [custom] breaks setup fail2ban ban', () => {
    expectFixture(rules, ['[custom]', 'enabled = false', '#^ custom-jail-disabled:warning'].join('\n'), { kind: 'dms-jail', codes });
    expectFixture(rules, ['[custom]', 'enabled = true', '#^ -'].join('\n'), { kind: 'dms-jail', codes });
  });

  it('iptables banactions in DMS: information (DMS documents them for old kernels/NAS), never a warning', () => {
    expectFixture(
      rules,
      [
        '[DEFAULT]',
        'banaction = iptables-multiport',
        '#^ iptables-in-dms:information',
        'banaction_allports = nftables[type=allports]',
        '#^ -',
        '[postfix]',
        'action = nftables-allports',
        '  iptables-allports[name=x]',
        '#^ iptables-in-dms:information',
      ].join('\n'),
      { kind: 'dms-jail', codes },
    );
    expectFixture(rules, ['[DEFAULT]', 'banaction = iptables-multiport', '#^ -'].join('\n'), { kind: 'jail', codes });
  });

  it('long and reserved jail names', () => {
    expectFixture(
      rules,
      [
        '[a-very-long-jail-name-here-x]',
        '#^ long-jail-name:warning',
        'enabled = true',
        'filter = postfix',
        'logpath = /var/log/mail.log',
        '[a-very-long-jail-name-disabled]',
        '#^ long-jail-name:information',
        '[shortname]',
        '#^ -',
      ].join('\n'),
      { kind: 'dms-jail', codes },
    );
  });
});
