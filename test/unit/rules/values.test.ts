import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/values';
import { expectFixture } from './harness';

describe('invalid-value: jail values', () => {
  it('logencoding / logtimezone stop fail2ban, usedns is coerced', () => {
    const found = expectFixture(
      rules,
      [
        '[DEFAULT]',
        'usedns = maybe',
        '#^ invalid-value:warning',
        '[postfix]',
        'logencoding = utf8',
        '#^ -',
        'logtimezone = Europe/Berlin',
        '#^ invalid-value:error',
        '[dovecot]',
        'logencoding = foo-enc',
        '#^ invalid-value:error',
        'logtimezone = UTC+0200',
        '#^ -',
        '[custom]',
        'logtimezone = ABC',
        '#^ invalid-value:error',
        'logencoding = Auto',
        '#^ -',
        '[sshd]',
        'logencoding = utf-9',
        '#^ invalid-value:warning',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    assert.match(found[0].message, /Incorrect value 'maybe' specified for usedns\. Using safe 'no'/);
    assert.match(found[1].message, /Unknown or unsupported time zone: 'Europe\/Berlin'/);
    assert.match(found[2].message, /LookupError\('unknown encoding: foo-enc'\)/);
    assert.match(found[3].message, /KeyError\('ABC'\)/);
    assert.match(found[4].message, /not read while jail 'sshd' is disabled/);
  });

  it('did-you-mean fixes', () => {
    const found = expectFixture(
      rules,
      ['[postfix]', 'usedns = wran', '#^ invalid-value:warning', 'logtimezone = utc', '#^ invalid-value:error'].join('\n'),
      { kind: 'dms-jail' },
    );
    assert.equal(found[0].fixes?.[0]?.edits[0]?.newText, 'warn');
    assert.equal(found[1].fixes?.[0]?.edits[0]?.newText, 'UTC');
  });
});

describe('invalid-value: server values', () => {
  it('loglevel, logtarget, syslogsocket, allowipv6, dbfile', () => {
    const found = expectFixture(
      rules,
      [
        '[Definition]',
        'loglevel = VERBOSE',
        '#^ invalid-value:error',
        'logtarget = SYSLOG[facility=mial]',
        '#^ invalid-value:warning',
        'syslogsocket = dev/log',
        '#^ invalid-value:warning',
        'allowipv6 = Auto',
        '#^ invalid-value:warning',
        'dbfile = fail2ban.sqlite3',
        '#^ invalid-value:warning',
        '[Thread]',
        'stacksize = 0',
        '#^ -',
      ].join('\n'),
      { kind: 'server' },
    );
    assert.match(found[0].message, /Invalid log level 'VERBOSE'/);
    assert.match(found[1].message, /Unable to set facility 'mial', using 'DAEMON'.*Did you mean 'MAIL'/);
    assert.equal(found[3].fixes?.[0]?.edits[0]?.newText, 'auto');
  });

  it('values that are fine, or shadowed by a later [Definition]', () => {
    expectFixture(
      rules,
      [
        '[DEFAULT]',
        'loglevel = bogus',
        '#^ -',
        'logtarget = /var/log/fail2ban.log',
        '#^ -',
        'syslogsocket = auto',
        '#^ -',
        'dbfile = /var/lib/fail2ban/fail2ban.sqlite3',
        '#^ -',
        '[Definition]',
        'loglevel = 10',
        '#^ -',
        'allowipv6 = yes',
        '#^ -',
      ].join('\n'),
      { kind: 'server' },
    );
    expectFixture(rules, ['[Definition]', 'logtarget = STDERR', '#^ -', 'loglevel = debug', '#^ -', 'dbfile = None', '#^ -'].join('\n'), { kind: 'server' });
  });

  it('DMS: setup fail2ban log, no journald, allowipv6 left to dms-overridden, persisted database', () => {
    const found = expectFixture(
      rules,
      [
        '[Definition]',
        'logtarget = SYSTEMD-JOURNAL',
        '#^ invalid-value:warning',
        'allowipv6 = maybe',
        '#^ -',
        'dbfile = /tmp/f2b.sqlite3',
        '#^ invalid-value:information',
      ].join('\n'),
      { kind: 'dms-server' },
    );
    assert.match(found[0].message, /no journald/);
    expectFixture(rules, ['[Definition]', 'logtarget = /var/log/mail/f2b.log', '#^ invalid-value:information'].join('\n'), { kind: 'dms-server' });
    expectFixture(rules, ['[Definition]', 'logtarget = STDOUT', '#^ invalid-value:information'].join('\n'), { kind: 'dms-server' });
  });
});
