// DMS server file: log/socket paths that a stock DMS container does not have stop fail2ban at start-up
// (checked against real fail2ban by the differential fixtures server-logtarget-var-log-subdir and
// server-syslogsocket-missing); a volume or user-patches.sh may provide them, so these are warnings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/values';
import { expectFixture } from './harness';

describe('invalid-value: DMS log paths', () => {
  it('logtarget under a /var/log/<dir>/ the container lacks: warning that fail2ban stops', () => {
    const [found] = expectFixture(rules, ['[Definition]', 'logtarget = /var/log/fail2ban/fail2ban.log', '#^ invalid-value:warning'].join('\n'), { kind: 'dms-server' });
    assert.match(found.message, /no directory \/var\/log\/fail2ban\/.*fail2ban stops at start-up \('Unable to log to '\/var\/log\/fail2ban\/fail2ban.log''\)/);
    expectFixture(rules, ['[Definition]', 'logtarget = /var/log/mail/sub/f2b.log', '#^ invalid-value:warning'].join('\n'), { kind: 'dms-server' });
  });

  it('directories the container has, paths outside /var/log and plain installs stay below warning', () => {
    expectFixture(rules, ['[Definition]', 'logtarget = /var/log/mail/f2b.log', '#^ invalid-value:information'].join('\n'), { kind: 'dms-server' });
    expectFixture(rules, ['[Definition]', 'logtarget = /var/log/supervisor/f2b.log', '#^ invalid-value:information'].join('\n'), { kind: 'dms-server' });
    expectFixture(rules, ['[Definition]', 'logtarget = /var/log/mail/fail2ban.log', '#^ -'].join('\n'), { kind: 'dms-server' });
    expectFixture(rules, ['[Definition]', 'logtarget = /srv/logs/f2b.log', '#^ invalid-value:information'].join('\n'), { kind: 'dms-server' });
    expectFixture(rules, ['[Definition]', 'logtarget = /var/log/fail2ban/fail2ban.log', '#^ -'].join('\n'), { kind: 'server' });
  });

  it('syslogsocket other than /dev/log with logtarget = SYSLOG: warning with a fix to /dev/log', () => {
    const found = expectFixture(
      rules,
      ['[Definition]', 'logtarget = SYSLOG', '#^ invalid-value:information', 'syslogsocket = /dev/nolog', '#^ invalid-value:warning'].join('\n'),
      { kind: 'dms-server' },
    );
    assert.match(found[1].message, /fail2ban stops at start-up \('Syslog socket file: \/dev\/nolog does not exists or is not a socket'\)/);
    assert.equal(found[1].fixes?.[0]?.edits[0]?.newText, '/dev/log');
  });

  it('syslogsocket /dev/log or auto, unused sockets and plain installs: no warning', () => {
    expectFixture(rules, ['[Definition]', 'logtarget = SYSLOG', '#^ invalid-value:information', 'syslogsocket = /dev/log', '#^ -'].join('\n'), { kind: 'dms-server' });
    expectFixture(rules, ['[Definition]', 'syslogsocket = /dev/nolog', '#^ invalid-value:hint'].join('\n'), { kind: 'dms-server' });
    expectFixture(rules, ['[Definition]', 'logtarget = SYSLOG', '#^ -', 'syslogsocket = /run/systemd/journal/dev-log', '#^ -'].join('\n'), { kind: 'server' });
  });
});
