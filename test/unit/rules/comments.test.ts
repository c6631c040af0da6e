import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/comments';
import { expectFixture } from './harness';

describe('comments rules', () => {
  it('flags # after a value, with severity by what fail2ban does with it', () => {
    expectFixture(
      rules,
      [
        '[DEFAULT]',
        'bantime = 1h # one hour',
        '#^ inline-hash-comment:information',
        'ignoreip = 127.0.0.1/8 # office',
        '#^ inline-hash-comment:warning',
        'findtime = 10m',
        '[postfix]',
        'enabled = true # yes',
        '#^ inline-hash-comment:warning',
        'failregex = ^foo #bar <HOST>$',
        'mynote = keep # this',
        '[dovecot]',
        'port = smtp # x',
        '#^ inline-hash-comment:warning',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
  });

  it('flags ; without whitespace before it, not " ;" (a real comment)', () => {
    expectFixture(
      rules,
      [
        '[postfix]',
        'bantime = 1h;ban',
        '#^ semicolon-without-space:warning',
        'findtime = 1h ; ok',
        '#^ -',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
  });

  it('checks server options in the server file', () => {
    expectFixture(
      rules,
      ['[Definition]', 'allowipv6 = auto;', '#^ semicolon-without-space', 'loglevel = INFO # x', '#^ inline-hash-comment:warning'].join('\n'),
      { kind: 'dms-server' },
    );
  });

  it('in a disabled jail a stray comment is at most a warning', () => {
    expectFixture(rules, ['[sshd]', 'bantime = 1h # x', '#^ inline-hash-comment:information'].join('\n'), { kind: 'jail' });
  });
});
