import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/unknownNames';
import { expectFixture } from './harness';

describe('unknown names', () => {
  it('jail file: near-miss typos of options are warnings with a did-you-mean fix; variables and referenced keys are fine', () => {
    const found = expectFixture(
      rules,
      [
        '[DEFAULT]',
        'maxretyr = 3',
        '#^ unknown-option:warning',
        'my_ports = smtp,465',
        '#^ -',
        'port = %(my_ports)s',
        '#^ -',
        'banaction = nftables-allports',
        '#^ -',
        'zzzqqq = 1',
        '#^ unknown-option:hint',
        '[postfix]',
        'MaxRetry = 3',
        '#^ -',
        'skip_if_nologs = true',
        '#^ version-feature:warning',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    const typo = found.find((f) => f.code === 'unknown-option' && f.line === 1);
    assert.equal(typo?.fixes?.[0]?.edits[0]?.newText, 'maxretry');
    assert.match(typo?.message ?? '', /did you mean 'maxretry'/);
  });

  it('a near miss nothing refers to is a warning (the setting is lost); referenced, tagged or far keys are not', () => {
    const found = expectFixture(
      rules,
      [
        '[DEFAULT]',
        'bantme = 1d',
        '#^ unknown-option:warning',
        'bantime.incremnt = true',
        '#^ unknown-option:warning',
        'findtim = 1h',
        '#^ unknown-option:warning',
        '[postfix]',
        'findtme = 1h',
        '#^ unknown-option:warning',
        'enable = true',
        '#^ unknown-option:warning',
        // referenced by a value: an interpolation variable, as today
        'porto = smtp',
        '#^ -',
        'port = %(porto)s',
        '[dovecot]',
        // used as a <tag> in an action parameter
        'chain = INPUT',
        '#^ -',
        'chan = INPUT',
        '#^ -',
        'action = nftables[chain=<chan>]',
        // far from every option: maybe the user's own variable
        'my_mail_ports = smtp',
        '#^ unknown-option:hint',
        // the user's own variables named after an option
        'action_x = nftables',
        '#^ unknown-option:information',
        'banaction_old = iptables',
        '#^ unknown-option:hint',
        // short names are too ambiguous for a warning
        'prt = 25',
        '#^ unknown-option:information',
      ].join('\n'),
      { kind: 'dms-jail', codes: ['unknown-option'] },
    );
    const bantme = found.find((f) => f.line === 1);
    assert.match(bantme?.message ?? '', /^'bantme' is not a fail2ban option: did you mean 'bantime'\? fail2ban silently ignores/);
    assert.equal(bantme?.fixes?.[0]?.edits[0]?.newText, 'bantime');
    assert.equal(bantme?.fixes?.[0]?.preferred, true);
    assert.equal(found.find((f) => f.line === 3)?.fixes?.[0]?.edits[0]?.newText, 'bantime.increment');
  });

  it('skip_if_nologs is known to 1.1.1', () => {
    expectFixture(rules, ['[postfix]', 'skip_if_nologs = true', '#^ -'].join('\n'), { kind: 'jail', fail2banVersion: '1.1.1' });
  });

  it('jail file: wrong-case and misspelled jails, [default] look-alike', () => {
    expectFixture(
      rules,
      [
        '[Postfix]',
        '#^ unknown-jail:warning',
        'maxretry = 3',
        '[postfx]',
        '#^ unknown-jail:error',
        'enabled = true',
        '[default]',
        '#^ unknown-section:warning',
        'bantime = 1h',
        '[my-own]',
        '#^ -',
        'filter = postfix',
        '[custom]',
        '#^ -',
        'bantime = 1d',
        '[openvpn]',
        '#^ version-feature:warning',
        'port = 1194',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
  });

  it('an enabled jail named after a filter of another version: error in DMS (jail dropped), warning for a plain install', () => {
    const text = ['[routeros-auth]', '#^ version-feature:error', 'enabled = true', 'logpath = /var/log/mail.log'].join('\n');
    expectFixture(rules, text, { kind: 'dms-jail', fail2banVersion: '1.0.2' });
    expectFixture(rules, text.replace('version-feature:error', 'version-feature:warning'), { kind: 'jail', fail2banVersion: '1.0.2' });
    expectFixture(rules, ['[routeros-auth]', '#^ version-feature:warning', 'port = ssh'].join('\n'), { kind: 'dms-jail', fail2banVersion: '1.0.2' });
  });

  it("an unknown jail's filter file: its name through jail.conf's %(__name__)s[…], else the interpolated filter", () => {
    const fileOf = (text: string) =>
      expectFixture(rules, text, { kind: 'dms-jail', codes: ['unknown-jail'] })
        .filter((f) => f.code === 'unknown-jail')
        .map((f) => /filter\.d\/(.*)\.conf/.exec(f.message)?.[1]);
    // stock [DEFAULT] filter = %(__name__)s[mode=%(mode)s]; a failing interpolation also leaves the jail's name
    assert.deepEqual(fileOf(['[myjail]', '#^ unknown-jail', 'enabled = true'].join('\n')), ['myjail']);
    assert.deepEqual(fileOf(['[DEFAULT]', 'filter = %(__name__)s[mode=%(nomode)s]', '[myjail]', '#^ unknown-jail', 'enabled = true'].join('\n')), ['myjail']);
    // not that pattern: interpolated as fail2ban does
    assert.deepEqual(fileOf(['[DEFAULT]', 'filter = %(__name__)s-extra[mode=x]', '[myjail]', '#^ unknown-jail', 'enabled = true'].join('\n')), ['myjail-extra']);
    assert.deepEqual(fileOf(['[DEFAULT]', 'filter = my%(__name__)s', '[jail]', '#^ unknown-jail', 'enabled = true'].join('\n')), ['myjail']);
    // a name with '%' is interpolated itself, not inserted as it is
    assert.deepEqual(fileOf(['[DEFAULT]', 'x = X', '[a%(x)sb]', '#^ unknown-jail', 'enabled = true'].join('\n')), ['aXb']);
  });

  it('plain jail kind: [custom] is not a stock jail', () => {
    expectFixture(rules, ['[custom]', '#^ unknown-jail:information', 'bantime = 1d'].join('\n'), { kind: 'jail' });
  });

  it('server file: unknown keys and sections are warnings with did-you-mean', () => {
    const found = expectFixture(
      rules,
      [
        '[Definition]',
        'loglevl = INFO',
        '#^ unknown-option:warning',
        'loglevel = INFO',
        '#^ -',
        'stacksize = 64',
        '#^ unknown-option:warning',
        '[Definitions]',
        '#^ unknown-section:warning',
        'foo = bar',
        '[Thread]',
        'stacksize = 0',
        '#^ -',
      ].join('\n'),
      { kind: 'dms-server' },
    );
    assert.match(found.find((f) => f.code === 'unknown-section')?.message ?? '', /Did you mean '\[?Definition/);
  });
});
