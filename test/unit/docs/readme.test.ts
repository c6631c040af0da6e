import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { README, readmeWithRules, RULE_DOCS_DIR, ruleDocPages } from '../../../scripts/gen-rules-doc';
import { ruleDocsUrl } from '../../../server/src/features/shared';
import { allRuleMeta } from '../../../server/src/rules/index';

test('README rules section is generated from the current rule registry', () => {
  const readme = readFileSync(README, 'utf8');
  assert.equal(readme, readmeWithRules(readme), 'run: node --import tsx scripts/gen-rules-doc.ts');
});

test('every rule code has a README heading (diagnostic links land on it)', () => {
  const readme = readFileSync(README, 'utf8');
  for (const meta of allRuleMeta()) assert.match(readme, new RegExp(`^### ${meta.code}$`, 'm'), meta.code);
});

test('every rule code has a bundled doc page, generated from the rule tables, and its diagnostic link opens it', () => {
  const pages = ruleDocPages();
  assert.deepEqual(readdirSync(RULE_DOCS_DIR).sort(), [...pages.keys()].sort(), 'run: node --import tsx scripts/gen-rules-doc.ts');
  for (const [name, text] of pages) assert.equal(readFileSync(join(RULE_DOCS_DIR, name), 'utf8'), text, `${name} is stale: run scripts/gen-rules-doc.ts`);
  for (const meta of allRuleMeta()) {
    const href = ruleDocsUrl(meta.code);
    assert.match(href, /^file:\/\//, `${meta.code}: links to the bundled page, not the web`);
    const path = fileURLToPath(href);
    assert.ok(existsSync(path), `${meta.code}: ${path} is missing`);
    assert.match(readFileSync(path, 'utf8'), new RegExp(`^# ${meta.code}$`, 'm'));
  }
});

test('the VSIX ships the rule docs (.vscodeignore)', () => {
  const ignore = readFileSync(join(RULE_DOCS_DIR, '..', '..', '.vscodeignore'), 'utf8');
  assert.match(ignore, /^!docs\/rules\/\*\.md$/m);
});
