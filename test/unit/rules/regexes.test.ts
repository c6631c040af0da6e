import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/regexes';
import { expectFixture } from './harness';

describe('regex rules', () => {
  it('compile errors and missing host groups are fatal in enabled jails', () => {
    const found = expectFixture(
      rules,
      [
        '[postfix]',
        'failregex = %(known/failregex)s',
        '#^ -',
        '            ^(unclosed <HOST>',
        '#^ invalid-regex:error',
        '            ^no host group here$',
        '#^ missing-host-group:error',
        '            ^user <host> failed$',
        '#^ missing-host-group:error',
        '            ^fine <ADDR> and <F-ID>\\S+</F-ID>$',
        '#^ -',
        'ignoreregex = ^trusted [a-$',
        '#^ invalid-regex:error',
        '[dovecot]',
        'prefregex = ^(?P<x>.*$',
        '#^ invalid-regex:error',
        '[postfix-sasl]',
        'failregex = ^no host$',
        '#^ missing-host-group:warning failregex-replaces:information',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    const unclosed = found.find((f) => f.line === 3);
    assert.match(unclosed?.message ?? '', /missing \), unterminated subpattern at position 1/);
    assert.equal(unclosed?.range.start.character, 13, 'points at the "(" in the raw line');
    const lower = found.find((f) => f.line === 7);
    assert.match(lower?.message ?? '', /'<host>' stays literal text \(tags are case-sensitive\)\. Did you mean '<HOST>'\?/);
    assert.match(found.find((f) => f.line === 17 && f.code === 'missing-host-group')?.message ?? '', /not read while jail 'postfix-sasl' is disabled/);
  });

  it("a filter prefregex with a failure-id group lets failregex omit <HOST>; unknown filters only warn", () => {
    expectFixture(
      rules,
      [
        '[apache-auth]',
        'enabled = true',
        'logpath = /var/log/a.log',
        'failregex = %(known/failregex)s',
        '            ^user not found$',
        '#^ -',
        '[mine]',
        'enabled = true',
        'filter = my-own-filter',
        'logpath = /var/log/a.log',
        'failregex = ^user not found$',
        '#^ missing-host-group:warning',
        '[myprefix]',
        'enabled = true',
        'filter = sshd',
        'logpath = /var/log/a.log',
        'prefregex = ^<F-ID>\\S+</F-ID> <F-CONTENT>.+</F-CONTENT>$',
        '#^ -',
        'failregex = %(known/failregex)s',
        '            ^bad$',
        '#^ -',
      ].join('\n'),
      { kind: 'jail', codes: ['invalid-regex', 'missing-host-group'] },
    );
  });

  it('empty failregex and replaced lists', () => {
    const found = expectFixture(
      rules,
      [
        '[DEFAULT]',
        'failregex =',
        '#^ empty-failregex:warning',
        '[postfix]',
        'failregex = ^my <HOST>$',
        '#^ failregex-replaces:information',
        '[custom]',
        'failregex = ^manual <HOST>$',
        '#^ -',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    assert.match(found[0].message, /removes every regex of filter 'dovecot': jail 'dovecot' then/);
    const fix = found.find((f) => f.code === 'failregex-replaces')?.fixes?.[0]?.edits[0];
    assert.equal(fix?.newText, '%(known/failregex)s\n            ');
  });

  it('[DEFAULT] regexes are checked in each enabled jail, with %(...)s substituted', () => {
    const found = expectFixture(
      rules,
      ['[DEFAULT]', 'myre = ^x(', 'ignoreregex = %(myre)s', '#^ invalid-regex:error', '[postfix]', 'myre = ^fine$'].join('\n'),
      { kind: 'dms-jail' },
    );
    assert.match(found[0].message, /jails 'dovecot', 'custom'/);
    assert.doesNotMatch(found[0].message, /postfix/);
  });
});
