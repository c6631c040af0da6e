import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/backend';
import { expectFixture } from './harness';

describe('backend rules', () => {
  it('unknown names and parameters stop fail2ban for enabled jails only', () => {
    const found = expectFixture(
      rules,
      [
        '[postfix]',
        'backend = pyinotfy',
        '#^ invalid-value:error',
        '[dovecot]',
        'backend = polling[x=1]',
        '#^ invalid-value:error',
        '[custom]',
        'backend = systemd[journalflags=abc]',
        '#^ invalid-value:error systemd-in-dms:warning',
        '[sshd]',
        'backend = foo',
        '#^ invalid-value:warning',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    assert.match(found[0].message, /Unknown backend pyinotfy\. Must be among \['pyinotify', 'polling', 'systemd'\] or 'auto'/);
    assert.equal(found[0].fixes?.[0]?.edits[0]?.newText, 'pyinotify');
    assert.match(found[1].message, /FilterPoll\.__init__\(\) got an unexpected keyword argument 'x'/);
    assert.match(found.find((f) => f.line === 10)?.message ?? '', /only while jail 'sshd' is enabled/);
  });

  it('gamin is gone in 1.1.x; fine backends pass; systemd params per version', () => {
    expectFixture(rules, ['[postfix]', 'backend = gamin', '#^ version-feature:error'].join('\n'), { kind: 'dms-jail', fail2banVersion: '1.1.0' });
    expectFixture(rules, ['[a]', 'enabled = true', 'backend = gamin', '#^ -'].join('\n'), { kind: 'jail', fail2banVersion: '1.0.2' });
    expectFixture(
      rules,
      [
        '[a]',
        'enabled = true',
        'backend = systemd[journalpath=/run/log/journal, journalflags=1]',
        '#^ -',
        '[b]',
        'enabled = true',
        'backend = systemd[rotated=on]',
        '#^ invalid-value:error',
        '[c]',
        'enabled = true',
        'backend = auto',
        '#^ -',
      ].join('\n'),
      { kind: 'jail', fail2banVersion: '1.1.0' },
    );
    expectFixture(rules, ['[b]', 'enabled = true', 'backend = systemd[rotated=on]', '#^ -'].join('\n'), { kind: 'jail', fail2banVersion: '1.1.1' });
  });

  it('upper-case backend names and [DEFAULT] values', () => {
    const found = expectFixture(
      rules,
      ['[DEFAULT]', 'backend = Systemd', '#^ invalid-value:warning systemd-in-dms:warning'].join('\n'),
      { kind: 'dms-jail' },
    );
    const lower = found.find((f) => f.code === 'invalid-value');
    assert.equal(lower?.fixes?.[0]?.edits[0]?.newText, 'systemd');
    assert.match(found.find((f) => f.code === 'systemd-in-dms')?.message ?? '', /jail 'custom' on the systemd backend/);
  });
});
