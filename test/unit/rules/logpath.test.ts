import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules, splitLogpath } from '../../../server/src/rules/logpath';
import { expectFixture } from './harness';

describe('logpath rules', () => {
  it('splits lines at the last space like JailReader.convert', () => {
    assert.deepEqual(
      splitLogpath('\n/a.log\n/b.log tail').map((l) => [l.path, l.position]),
      [
        ['/a.log', undefined],
        ['/b.log', 'tail'],
      ],
    );
  });

  it('bad read positions, comma lists, double spaces, relative paths, directories (DMS)', () => {
    const found = expectFixture(
      rules,
      [
        '[postfix]',
        'logpath = /var/log/mail.log tial',
        '#^ invalid-logpath:error',
        '[dovecot]',
        'logpath = /var/log/mail.log, /var/log/mail/mail.log',
        '#^ invalid-logpath:error missing-log:error',
        '[custom]',
        'enabled = true',
        'logpath = /var/log/mail.log  tail',
        '#^ invalid-logpath:warning missing-log:error',
        '[postfix-sasl]',
        'logpath = mail.log',
        '#^ invalid-logpath:warning',
        '[sieve]',
        'logpath = /var/log/mail',
        '#^ invalid-logpath:warning',
      ].join('\n'),
      { kind: 'dms-jail', codes: ['invalid-logpath', 'missing-log'] },
    );
    const fix = found.find((f) => f.line === 1)?.fixes?.[0];
    assert.equal(fix?.edits[0]?.newText, 'tail');
  });

  it('missing-log: enabled jail without a DMS log is fatal; existing logs and systemd backends are fine', () => {
    const found = expectFixture(
      rules,
      [
        '[sshd]',
        'enabled = true',
        '#^ missing-log:error',
        '[postfix]',
        'logpath = /var/log/mail/mail.log',
        '#^ -',
        '[dovecot]',
        'logpath = /var/log/mail/*.log',
        '#^ -',
        '[recidive]',
        'enabled = true',
        '#^ -',
        '[apache-auth]',
        'enabled = true',
        'backend = systemd',
        '#^ -',
        '[mine]',
        'enabled = true',
        'filter = postfix',
        'logpath = /var/log/nothere.log',
        '#^ missing-log:error',
      ].join('\n'),
      { kind: 'dms-jail', codes: ['missing-log'] },
    );
    assert.match(found[0].message, /^\/var\/log\/auth\.log does not exist in DMS: point logpath at a DMS log/);
    assert.match(found[0].details ?? '', /Have not found any log file for sshd jail/);
  });

  it("missing-log: every log DMS's own services write exists, per release", () => {
    const jail = (name: string, path: string, marker: string) => [`[${name}]`, 'enabled = true', 'filter = postfix', `logpath = ${path}`, marker];
    // v15.1.0 (default): rspamd, clamav, freshclam, supervisord captures; no getmail message_log, no mail.err (Debian 12)
    expectFixture(
      rules,
      [
        ...jail('a', '/var/log/mail/rspamd.log', '#^ -'),
        ...jail('b', '/var/log/mail/clamav.log', '#^ -'),
        ...jail('c', '/var/log/mail/freshclam.log', '#^ -'),
        ...jail('d', '/var/log/supervisor/postgrey.log', '#^ -'),
        ...jail('e', '/var/log/supervisor/getmail.log', '#^ -'),
        ...jail('f', '/var/log/mail/mail.err', '#^ missing-log:error'),
        ...jail('g', '/var/log/mail/getmail-gmail.log', '#^ missing-log:error'),
      ].join('\n'),
      { kind: 'dms-jail', codes: ['missing-log'] },
    );
    // v13 (Debian 11, v12.1.0 – v13.x): mail.err/warn/info and getmail's per-account logs exist
    expectFixture(
      rules,
      [
        ...jail('a', '/var/log/mail/mail.err', '#^ -'),
        ...jail('b', '/var/log/mail/mail.warn', '#^ -'),
        ...jail('c', '/var/log/mail/getmail-gmail.log', '#^ -'),
        ...jail('d', '/var/log/mail/getmail-*.log', '#^ -'),
        ...jail('e', '/var/log/supervisor/getmail.log', '#^ missing-log:error'),
      ].join('\n'),
      { kind: 'dms-jail', dmsVersion: 'v13', codes: ['missing-log'] },
    );
    // v12.0: fail2ban still logged to /var/log/fail2ban.log, rspamd to supervisor/
    expectFixture(
      rules,
      [
        ...jail('a', '/var/log/fail2ban.log', '#^ -'),
        ...jail('b', '/var/log/mail/fail2ban.log', '#^ missing-log:error'),
        ...jail('c', '/var/log/mail/rspamd.log', '#^ missing-log:error'),
        ...jail('d', '/var/log/supervisor/rspamd.log', '#^ -'),
      ].join('\n'),
      { kind: 'dms-jail', dmsVersion: 'v12.0', fail2banVersion: '1.0.2', codes: ['missing-log'] },
    );
  });

  it('missing-log on 1.1.1 uses its wording and respects skip_if_nologs', () => {
    const found = expectFixture(
      rules,
      ['[sshd]', 'enabled = true', '#^ -', '[nginx-botsearch]', 'enabled = true', '#^ missing-log:error', '[nginx-http-auth]', 'enabled = true', '#^ missing-log:warning', 'skip_if_nologs = true'].join('\n'),
      { kind: 'dms-jail', fail2banVersion: '1.1.1', codes: ['missing-log'] },
    );
    assert.match(found[0].details ?? '', /Have not found any log file for 'nginx-botsearch' jail\./);
  });

  it('plain jail files: which logs exist is unknown, so no missing-log', () => {
    expectFixture(rules, ['[sshd]', 'enabled = true', '#^ -'].join('\n'), { kind: 'jail', codes: ['missing-log'] });
  });

  it('bad suffix in a disabled jail is a warning', () => {
    expectFixture(rules, ['[sshd]', 'logpath = /var/log/auth.log middle', '#^ invalid-logpath:warning'].join('\n'), {
      kind: 'jail',
      codes: ['invalid-logpath'],
    });
  });

  it('fail2ban 1.1.1 (DMS v16): a stock [postfix] on systemd does not read logpath; no log + own journalmatch moves to the journal', () => {
    const v16 = { kind: 'dms-jail', fail2banVersion: '1.1.1', dmsVersion: 'v16' } as const;
    expectFixture(rules, ['[postfix]', 'logpath = /var/log/mail.log tial', '#^ invalid-logpath:warning'].join('\n'), { ...v16, codes: ['invalid-logpath', 'missing-log'] });
    expectFixture(
      rules,
      ['[dovecot]', 'logpath = /var/log/mail/nothere.log', '#^ systemd-in-dms:warning', 'journalmatch = _SYSTEMD_UNIT=dovecot.service'].join('\n'),
      { ...v16, codes: ['missing-log', 'systemd-in-dms'] },
    );
    // the filter's own journalmatch does not count (checked with real 1.1.1): still fatal
    expectFixture(rules, ['[dovecot]', 'logpath = /var/log/mail/nothere.log', '#^ missing-log:error'].join('\n'), { ...v16, codes: ['missing-log', 'systemd-in-dms'] });
    expectFixture(
      rules,
      ['[dovecot]', 'logpath = /var/log/mail/nothere.log', '#^ missing-log:warning', 'skip_if_nologs = true'].join('\n'),
      { ...v16, codes: ['missing-log', 'systemd-in-dms'] },
    );
  });
});
