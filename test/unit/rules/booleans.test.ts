import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/booleans';
import { expectFixture } from './harness';

describe('boolean rules', () => {
  it('typos silently mean false; recognised spellings are fine', () => {
    const found = expectFixture(
      rules,
      [
        '[postfix]',
        'enabled = ture',
        '#^ invalid-boolean:error',
        'ignoreself = No',
        '#^ -',
        '[dovecot]',
        'enabled = Yes',
        '#^ -',
        'bantime.increment = yes please',
        '#^ invalid-boolean:warning',
        '[sshd]',
        'enabled = 0',
        '#^ -',
        'bantime.overalljails = flase',
        '#^ invalid-boolean:warning',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    assert.match(found[0].message, /^'ture' is not a yes\/no value: write 'true'\. .*silently drops jail 'postfix', which DMS enables/);
    assert.equal(found[0].fixes?.[0]?.edits[0]?.newText, 'true');
    assert.equal(found[2].fixes?.[0]?.edits[0]?.newText, 'false');
  });

  it('1.1.0 does not check skip_if_nologs (not an option there); 1.1.1 does', () => {
    expectFixture(rules, ['[postfix]', 'skip_if_nologs = maybe', '#^ -'].join('\n'), { kind: 'jail', fail2banVersion: '1.1.0' });
    expectFixture(rules, ['[postfix]', 'skip_if_nologs = maybe', '#^ invalid-boolean'].join('\n'), { kind: 'jail', fail2banVersion: '1.1.1' });
  });
});
