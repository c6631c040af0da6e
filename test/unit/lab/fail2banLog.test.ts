// fail2ban's own log lines and fail2ban-regex's verbose listing, read as the lab reads them. The lines are
// fail2ban 1.1.0's formats (server/filter.py "Found", server/actions.py "Ban"/"Unban"/"Restore Ban",
// "already banned"; `get JAIL banip --with-time`); the integration tests check them against the real server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatchedLinesReader, actualBansBetween, assignMatches, parseBanLogLine, parseBanTimes, remainingSeconds } from '../../../server/src/lab';
import { parseWallTime } from '../../../server/src/lab/regexOutput';

const LOG = [
  '2026-12-06 08:25:19,209 fail2ban.filter         [8137]: INFO    [postfix] Found 203.0.113.5 - 2026-12-06 08:24:19',
  '2026-12-06 08:25:19,353 fail2ban.actions        [8137]: NOTICE  [postfix] Ban 203.0.113.5',
  '2026-12-06 08:26:00,001 fail2ban.actions        [8137]: NOTICE  [postfix] Restore Ban 198.51.100.1',
  '2026-12-06 08:27:00,001 fail2ban.actions        [8137]: WARNING [custom] 192.0.2.7 already banned',
  '2026-12-06 09:25:19,353 fail2ban.actions        [8137]: NOTICE  [postfix] Unban 203.0.113.5',
  '2026-12-06 08:25:19,114 fail2ban.server         [8137]: INFO    Starting Fail2ban v1.1.0',
];

describe('fail2ban log lines', () => {
  it('Found (with the failure time), Ban, Restore Ban, already banned, Unban; other lines are not events', () => {
    const events = LOG.map((line, index) => parseBanLogLine(line, index + 1));
    assert.deepEqual(events.map((event) => event && [event.kind, event.jail, event.ip, event.line]), [
      ['found', 'postfix', '203.0.113.5', 1], ['ban', 'postfix', '203.0.113.5', 2], ['restore', 'postfix', '198.51.100.1', 3],
      ['already', 'custom', '192.0.2.7', 4], ['unban', 'postfix', '203.0.113.5', 5], undefined,
    ]);
    assert.equal(events[0]?.failureTime, '2026-12-06 08:24:19');
  });

  it('actual bans: Ban lines of the jail in the period (plus fail2ban\'s delay), counted per address', () => {
    const events = LOG.map((line, index) => parseBanLogLine(line, index + 1)).filter((e) => e !== undefined);
    const from = parseWallTime('2026-12-06 08:20:00');
    assert.deepEqual(actualBansBetween(events, 'postfix', from, parseWallTime('2026-12-06 08:25:00')), [{ jail: 'postfix', ip: '203.0.113.5', at: '2026-12-06 08:25:19', count: 1 }]);
    assert.deepEqual(actualBansBetween(events, 'postfix', from, parseWallTime('2026-12-06 08:22:00')), []);
    assert.deepEqual(actualBansBetween(events, 'dovecot', from, parseWallTime('2026-12-06 09:00:00')), []);
  });

  it('ban times: ends and what is left; a permanent ban has no end', () => {
    const bans = parseBanTimes('203.0.113.5 \t2026-12-06 08:24:29 + 604800 = 2026-12-13 08:24:29\n192.0.2.7 \t2026-12-06 08:00:00 + -1 = 9999-12-31 23:59:59\n');
    assert.deepEqual(bans[0], { ip: '203.0.113.5', bannedAt: '2026-12-06 08:24:29', banSeconds: 604800, until: '2026-12-13 08:24:29' });
    assert.equal(remainingSeconds(bans[0], parseWallTime('2026-12-13 08:24:00')), 29);
    assert.equal(remainingSeconds(bans[1], parseWallTime('2026-12-13 08:24:00')), undefined);
  });
});

describe('matched lines → failregex', () => {
  it('each matched line gets the regex whose failure names its address (203.0.113.8 is not 203.0.113.88)', () => {
    const lines = [
      '2025-03-10T08:00:00.000000+00:00 mail postfix/smtpd[1]: warning: unknown[203.0.113.88]: SASL LOGIN authentication failed: x',
      '2025-03-10T08:00:01.000000+00:00 mail postfix/qmgr[2]: queue active',
      '2025-03-10T08:00:02.000000+00:00 mail postfix/smtpd[3]: NOQUEUE: reject: RCPT from unknown[203.0.113.8]: 554 5.7.1',
    ];
    const reader = new MatchedLinesReader();
    for (const line of [
      'Failregex: 2 total',
      '|-  #) [# of hits] regular expression',
      '|   1) [1] ^NOQUEUE: reject: RCPT from \\S+\\[<HOST>\\]',
      '|      203.0.113.8  Mon Mar 10 08:00:02 2025',
      '|   2) [1] ^warning: [-._\\w]+\\[<HOST>\\]: SASL',
      '|      203.0.113.88  Mon Mar 10 08:00:00 2025',
      '`-',
      'Lines: 3 lines, 0 ignored, 2 matched, 1 missed',
      '|- Matched line(s):',
      `|  ${lines[0]}`,
      `|  ${lines[2]}`,
      '`-',
    ]) reader.push(line);
    assert.deepEqual(assignMatches(lines, reader), [{ index: 0, regex: 2, ip: '203.0.113.88' }, { index: 2, regex: 1, ip: '203.0.113.8' }]);
    assert.equal(reader.regexes[1], '^warning: [-._\\w]+\\[<HOST>\\]: SASL');
  });
});
