import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { README, readmeWithRules } from '../../../scripts/gen-rules-doc';
import { allRuleMeta } from '../../../server/src/rules/index';

test('README rules section is generated from the current rule registry', () => {
  const readme = readFileSync(README, 'utf8');
  assert.equal(readme, readmeWithRules(readme), 'run: node --import tsx scripts/gen-rules-doc.ts');
});

test('every rule code has a README heading (diagnostic links land on it)', () => {
  const readme = readFileSync(README, 'utf8');
  for (const meta of allRuleMeta()) assert.match(readme, new RegExp(`^### ${meta.code}$`, 'm'), meta.code);
});
