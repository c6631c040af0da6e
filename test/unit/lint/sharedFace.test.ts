// The client reaches the server only through server/src/shared (eslint.config.mjs): the real ESLint with the
// project's config refuses any other server/src import in client/ and accepts the shared face.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';

const root = resolve(__dirname, '../../..');

async function restricted(filePath: string, text: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(text, { filePath: resolve(root, filePath) });
  return result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

test('a client file importing the engine, the parser or a knowledge table is a lint error', async () => {
  for (const from of ['../../server/src/engine', '../../server/src/parser/parse', '../../server/src/knowledge/dms', '../../server/src/types']) {
    const messages = await restricted('client/src/probe.ts', `import * as m from '${from}';\nexport const x = m;\n`);
    assert.equal(messages.length, 1, from);
    assert.match(messages[0], /server\/src\/shared only/);
  }
});

test('the shared face (and its files) is allowed; server code itself is not restricted', async () => {
  assert.deepEqual(await restricted('client/src/probe.ts', "import * as m from '../../server/src/shared';\nexport const x = m;\n"), []);
  assert.deepEqual(await restricted('client/src/bans/probe.ts', "import * as m from '../../../server/src/shared/protocol';\nexport const x = m;\n"), []);
  assert.deepEqual(await restricted('server/src/probe.ts', "import * as m from './engine';\nexport const x = m;\n"), []);
});

test('every client source file passes the rule today', async () => {
  const eslint = new ESLint({ cwd: root });
  const results = await eslint.lintFiles(['client/src/**/*.ts']);
  const offending = results.flatMap((r) => r.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => `${r.filePath}: ${m.message}`));
  assert.deepEqual(offending, []);
});
