// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    // Client ↔ server through one declared face (vscode-eslint's $shared model): the extension imports nothing else
    // from server/src, so the engine runs in the language server only.
    files: ['client/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)server/src/(?!shared(/|$))',
              message: 'The client may import from server/src/shared only (the declared client↔server face); add what it needs there.',
            },
          ],
        },
      ],
    },
  },
  {
    // rules read the document only through ConfigContext's declared interface (context/types.ts)
    files: ['server/src/rules/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/context/build'], message: 'Use ConfigContext (context/types.ts) instead of the context internals.' }] }],
    },
  },
);
