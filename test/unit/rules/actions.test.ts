import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/actions';
import { expectFixture } from './harness';

describe('action rules', () => {
  it('unknown actions, syntax, self reference, duplicates, ?family on 1.1.0', () => {
    const found = expectFixture(
      rules,
      [
        '[DEFAULT]',
        'banaction = nftables-allport',
        '#^ unknown-action:error',
        '[postfix]',
        'action = nftables[port="25"x]',
        '#^ invalid-definition:error',
        '[dovecot]',
        'action = nftables[port="<port>"]',
        '#^ self-referencing-tag:error',
        '[custom]',
        'action = nftables',
        '#^ -',
        '  nftables',
        '#^ duplicate-action:error',
        '  dummy[actname=d2]',
        '#^ -',
        '[sshd]',
        'action = nftables[blocktype?family=inet6=drop]',
        '#^ version-feature:warning',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    assert.equal(found[0].fixes?.[0]?.edits[0]?.newText, 'nftables-allports');
  });

  it('%(action_)s style values are left to interpolation; fine actions pass', () => {
    expectFixture(rules, ['[postfix]', 'action = %(action_mwl)s', '#^ -', '[dovecot]', 'action = nftables-multiport[port="imap,imaps"]', '#^ -'].join('\n'), {
      kind: 'dms-jail',
    });
  });
});
