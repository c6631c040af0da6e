import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/durations';
import { expectFixture } from './harness';

describe('duration rules', () => {
  it('errors for values fail2ban cannot evaluate in read options, with a unit fix', () => {
    const found = expectFixture(
      rules,
      [
        '[DEFAULT]',
        'bantime = 1hr',
        '#^ invalid-duration:error',
        'findtime = 10m',
        '#^ -',
        'bantime.maxtime =',
        '#^ -',
        '[postfix]',
        'findtime = abc',
        '#^ invalid-duration:error',
        'bantime.rndtime = 1h,30m',
        '#^ invalid-duration:error',
        '[dovecot]',
        'bantime = 1h and 30m',
        '#^ suspicious-duration:warning',
        'findtime = -1',
        '#^ suspicious-duration:warning',
        '[custom]',
        'bantime = -1',
        '#^ -',
        'findtime =',
        '#^ invalid-duration:error',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    const hr = found.find((f) => f.line === 1);
    assert.equal(hr?.fixes?.[0]?.edits[0]?.newText, 'h');
    assert.deepEqual(hr?.range.start, { line: 1, character: 11 });
  });

  // fail2ban 1.0.2/1.1.0 evaluate an empty bantime/findtime as a time and stop at start-up; only
  // bantime.maxtime and bantime.rndtime treat an empty value as unset.
  it('an empty bantime or findtime is an error, an empty bantime.maxtime/rndtime is unset', () => {
    {
      expectFixture(
        rules,
        [
          '[DEFAULT]',
          'bantime =',
          '#^ invalid-duration:error',
          'bantime.rndtime =',
          '#^ -',
          '[sshd]',
          'enabled = true',
          'bantime =   ',
          '#^ invalid-duration:error',
          'findtime =',
          '#^ invalid-duration:error',
        ].join('\n'),
        { kind: 'dms-jail' },
      );
    }
  });

  it('a zero bantime or findtime is accepted by fail2ban but warned', () => {
    const found = expectFixture(
      rules,
      ['[DEFAULT]', 'bantime = 0', '#^ suspicious-duration:warning', 'findtime = 0', '#^ suspicious-duration:warning', 'bantime.maxtime = 0', '#^ -'].join('\n'),
      { kind: 'dms-jail' },
    );
    assert.match(found.find((f) => f.line === 3)?.message ?? '', /findtime = 0: fail2ban accepts it, but no failures are counted together/);
  });

  it('a bad time in a disabled jail or an unused [DEFAULT] is a warning', () => {
    expectFixture(rules, ['[sshd]', 'bantime = 1 hour 30 mins', '#^ invalid-duration:warning'].join('\n'), { kind: 'jail' });
    // plain jail kind: no stock jail is enabled, so nobody reads the [DEFAULT] value
    expectFixture(rules, ['[DEFAULT]', 'bantime = 1x', '#^ invalid-duration:warning'].join('\n'), { kind: 'jail' });
  });

  it('interpolated values are checked after interpolation', () => {
    expectFixture(
      rules,
      ['[DEFAULT]', 'mytime = 2hrs', '[postfix]', 'bantime = %(mytime)s', '#^ invalid-duration:error'].join('\n'),
      { kind: 'dms-jail' },
    );
  });

  it('server file: dbpurgeage is checked unless the database is off', () => {
    expectFixture(rules, ['[Definition]', 'dbpurgeage = 1 day', '#^ -'].join('\n'), { kind: 'dms-server' });
    expectFixture(rules, ['[Definition]', 'dbpurgeage = abc', '#^ invalid-duration:error'].join('\n'), { kind: 'dms-server' });
    expectFixture(rules, ['[Definition]', 'dbfile = None', 'dbpurgeage = abc', '#^ invalid-duration:warning'].join('\n'), {
      kind: 'server',
    });
  });
});
