import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/filters';
import { expectFixture } from './harness';

describe('filter and mode rules', () => {
  it('filter values: syntax, missing files, space before [, self reference, literal modes', () => {
    const found = expectFixture(
      rules,
      [
        '[postfix]',
        'filter = postfix[mode=aggressive',
        '#^ invalid-definition:error',
        '[dovecot]',
        'filter = dovecott',
        '#^ unknown-filter:error',
        '[custom]',
        'filter = postfix [mode=extra]',
        '#^ unknown-filter:error',
        '[mine]',
        'enabled = true',
        'filter = postfix[mode="<mode>"]',
        '#^ self-referencing-tag:error',
        '[mine2]',
        'enabled = true',
        'filter = postfix[mode=extraa]',
        '#^ invalid-mode:error',
        '[mine3]',
        'enabled = true',
        'filter = sshd[mode=aggressive]',
        '#^ -',
        '[mine4]',
        'filter = dovecott',
        '#^ unknown-filter:warning',
        '[mine5]',
        'enabled = true',
        'filter = common',
        '#^ unknown-filter:warning',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    assert.equal(found.find((f) => f.line === 4)?.fixes?.[0]?.edits[0]?.newText, 'dovecot');
    assert.equal(found.find((f) => f.line === 15)?.fixes?.[0]?.edits[0]?.newText, 'extra');
  });

  it('jail-level mode: invalid for the filter, ignored by hard-coded filters, fine otherwise', () => {
    expectFixture(
      rules,
      [
        '[postfix]',
        'mode = extraa',
        '#^ invalid-mode:error',
        '[postfix-sasl]',
        'enabled = true',
        'mode = aggressive',
        '#^ mode-ignored:warning',
        '[dovecot]',
        'mode = Aggressive',
        '#^ -',
        '[sieve]',
        'mode = aggressive',
        '#^ mode-ignored:warning',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
  });

  it('an invalid mode in a disabled jail is a warning; apache-auth breaks silently (warning)', () => {
    expectFixture(rules, ['[sshd]', 'mode = fast', '#^ invalid-mode:warning'].join('\n'), { kind: 'jail' });
    expectFixture(rules, ['[apache-auth]', 'enabled = true', 'mode = fast', '#^ invalid-mode:warning'].join('\n'), { kind: 'jail' });
  });

  it('a filter of a newer fail2ban is a version problem', () => {
    expectFixture(rules, ['[mine]', 'enabled = true', 'filter = vaultwarden', '#^ version-feature:warning'].join('\n'), { kind: 'jail' });
    expectFixture(rules, ['[mine]', 'enabled = true', 'filter = vaultwarden', '#^ -'].join('\n'), { kind: 'jail', fail2banVersion: '1.1.1' });
  });

  it('a [DEFAULT] filter with %(__name__)s is checked in every enabled jail', () => {
    const found = expectFixture(
      rules,
      ['[DEFAULT]', 'filter = %(__name__)s', '#^ unknown-filter:error', '[sshd]', 'enabled = true', '[postfx]', 'enabled = true', '#^ -'].join('\n'),
      { kind: 'jail', codes: ['unknown-filter'] },
    );
    assert.match(found.find((f) => f.code === 'unknown-filter')?.message ?? '', /^There is no filter 'postfx': did you mean 'postfix'\? .*jail 'postfx'/);
  });

  it('a filter of another fail2ban version: error in DMS, warning for a plain install (may ship its own copy)', () => {
    expectFixture(rules, ['[routeros]', 'enabled = true', 'filter = routeros-auth', '#^ version-feature:error'].join('\n'), {
      kind: 'dms-jail',
      fail2banVersion: '1.0.2',
      codes: ['version-feature'],
    });
    expectFixture(rules, ['[openvpn]', 'enabled = true', 'filter = openvpn', '#^ version-feature:warning'].join('\n'), {
      kind: 'jail',
      fail2banVersion: '1.1.0',
      codes: ['version-feature'],
    });
  });
});
