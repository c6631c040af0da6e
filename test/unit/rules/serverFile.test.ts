// The server file end to end through the rule modules that cover it (unknown names, durations, integers, values).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules as durationRules } from '../../../server/src/rules/durations';
import { rules as integerRules } from '../../../server/src/rules/integers';
import { rules as unknownNameRules } from '../../../server/src/rules/unknownNames';
import { rules as valueRules } from '../../../server/src/rules/values';
import { rules as dmsRules } from '../../../server/src/rules/dms';
import { expectFixture } from './harness';

const SERVER_RULES = [...unknownNameRules, ...durationRules, ...integerRules, ...valueRules, ...dmsRules];

describe('server file (fail2ban.local / fail2ban-fail2ban.cf)', () => {
  it('unknown keys and sections are warnings; database options unless dbfile = None', () => {
    const found = expectFixture(
      SERVER_RULES,
      [
        '[Definition]',
        'loglevl = INFO',
        '#^ unknown-option:warning',
        'dbpurgeage = 1 day 2 hrs',
        '#^ invalid-duration:error',
        'dbmaxmatches = 10.5',
        '#^ invalid-integer:error',
        '[Definitions]',
        '#^ unknown-section:warning',
        'loglevel = INFO',
        '[Thread]',
        'stacksize = 16',
        '#^ out-of-range:error',
        'loglevel = INFO',
        '#^ unknown-option:warning',
      ].join('\n'),
      { kind: 'server' },
    );
    assert.match(found.find((f) => f.code === 'unknown-option')?.message ?? '', /loglevel/);
    expectFixture(
      SERVER_RULES,
      ['[Definition]', 'dbfile = None', 'dbpurgeage = abc', '#^ invalid-duration:warning', 'dbmaxmatches = x', '#^ invalid-integer:warning'].join('\n'),
      { kind: 'server' },
    );
  });

  it('DMS: allowipv6 is overridden by fixes.local (one warning, not two)', () => {
    expectFixture(SERVER_RULES, ['[Definition]', 'allowipv6 = maybe', '#^ dms-overridden:warning'].join('\n'), { kind: 'dms-server' });
    expectFixture(SERVER_RULES, ['[Definition]', 'allowipv6 = maybe', '#^ invalid-value:warning'].join('\n'), { kind: 'server' });
  });

  it('an empty socket stops the server; other empty paths do not', () => {
    const found = expectFixture(
      SERVER_RULES,
      ['[Definition]', 'socket =', '#^ invalid-value:error', 'pidfile =', '#^ -'].join('\n'),
      { kind: 'dms-server' },
    );
    assert.match(found[0].message, /Could not start server/);
    expectFixture(SERVER_RULES, ['[Definition]', 'socket = /run/fail2ban/other.sock', '#^ -'].join('\n'), { kind: 'server' });
  });
});
