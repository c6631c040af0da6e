import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/rules/expressions';
import { expectFixture } from './harness';

describe('bantime expression rules', () => {
  it('factor/formula syntax and names, multipliers spacing', () => {
    const found = expectFixture(
      rules,
      [
        '[DEFAULT]',
        'bantime.factor = 2.0 / 2.885385',
        '#^ -',
        'bantime.formula = ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor',
        '#^ -',
        'bantime.multipliers = 1 2 4 8 16 32 64',
        '#^ -',
        '[postfix]',
        'bantime.factor = abc',
        '#^ invalid-expression:error',
        'bantime.formula = ban.Time * (',
        '#^ invalid-expression:error',
        'bantime.multipliers = 1  2 4',
        '#^ invalid-multipliers:error',
        '[dovecot]',
        'bantime.multipliers = 1,2,4',
        '#^ invalid-multipliers:error',
        'bantime.factor =',
        '#^ -',
        'bantime.formula = ban.Time * bogus',
        '#^ invalid-expression:warning',
        '[sshd]',
        'bantime.multipliers = 1 2 x',
        '#^ invalid-multipliers:warning',
      ].join('\n'),
      { kind: 'dms-jail' },
    );
    const factor = found.find((f) => f.line === 8);
    assert.match(factor?.details ?? '', /NameError/);
    assert.match(factor?.message ?? '', /jail 'postfix'/);
    const doubleSpace = found.find((f) => f.line === 12);
    assert.match(doubleSpace?.message ?? '', /^bantime\.multipliers must be whole numbers separated by single spaces/);
    assert.match(doubleSpace?.details ?? '', /invalid literal for int\(\) with base 10: ''/);
    assert.equal(doubleSpace?.fixes?.[0]?.edits[0]?.newText, '1 2 4');
    assert.equal(found.find((f) => f.line === 15)?.fixes?.[0]?.edits[0]?.newText, '1 2 4');
    assert.match(found.find((f) => f.line === 22)?.message ?? '', /not read while jail 'sshd' is disabled/);
  });

  it('plain jail files: [DEFAULT] values reach every enabled jail', () => {
    const found = expectFixture(
      rules,
      ['[DEFAULT]', 'bantime.multipliers = 1\t2', '#^ invalid-multipliers:error', '[a]', 'enabled = true', '[b]', 'enabled = true'].join('\n'),
      { kind: 'jail' },
    );
    assert.match(found[0].message, /This \[DEFAULT\] value is used by jails 'a', 'b'\.$/);
  });
});
