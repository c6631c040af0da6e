import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/integers';
import { expectFixture } from './harness';

describe('integer rules', () => {
  it('jail integers: int() failures, quotes fix, range checks', () => {
    const found = expectFixture(
      rules,
      [
        '[DEFAULT]',
        'maxretry = six',
        '#^ invalid-integer:warning',
        '[postfix]',
        'maxretry = "3"',
        '#^ invalid-integer:error',
        'maxlines = 0',
        '#^ out-of-range:error',
        '[dovecot]',
        'maxlines = abc',
        '#^ invalid-integer:warning',
        'maxmatches = 1_000',
        '#^ -',
        'maxretry = 0',
        '#^ out-of-range:warning',
        '[custom]',
        'maxretry = 3.5',
        '#^ invalid-integer:error',
        '[sshd]',
        'maxretry = 0x10',
        '#^ invalid-integer:warning',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    const quoted = found.find((f) => f.line === 4);
    assert.equal(quoted?.fixes?.[0]?.edits[0]?.newText, '3');
    // every enabled jail overrides the [DEFAULT] value here, so nobody reads it
    assert.match(found[0].message, /no enabled jail uses this \[DEFAULT\] value/);
    assert.match(found[1].message, /^maxretry must be a whole number: write 3\. fail2ban stops at start-up/);
    assert.match(found[1].details ?? '', /Wrong value for 'maxretry' in 'postfix'.*int\(\)/);
  });

  it('server integers: stacksize range, dbmaxmatches unless dbfile = None', () => {
    const found = expectFixture(
      rules,
      ['[Definition]', 'dbmaxmatches = ten', '#^ invalid-integer:error', '[Thread]', 'stacksize = 16', '#^ out-of-range:error'].join('\n'),
      { kind: 'dms-server' },
    );
    assert.match(found[1].message, /size not valid: 16384 bytes/);
    expectFixture(rules, ['[Definition]', 'dbfile = None', 'dbmaxmatches = ten', '#^ invalid-integer:warning', '[Thread]', 'stacksize = 0', '#^ -'].join('\n'), {
      kind: 'server',
    });
    // 32 KiB is the smallest stack size Python's threading.stack_size() accepts: the boundary is valid
    expectFixture(rules, ['[Thread]', 'stacksize = 32', '#^ -'].join('\n'), { kind: 'dms-server' });
    expectFixture(rules, ['[Thread]', 'stacksize = 31', '#^ out-of-range:error'].join('\n'), { kind: 'dms-server' });
  });
});
