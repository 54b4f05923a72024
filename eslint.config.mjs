// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/out/**', 'node_modules/**', '.vscode-test/**', 'demo/**', 'test-results/**', 'bench/out/**', '**/*.mjs', '**/*.cjs', '**/*.js', 'test/**/fixtures/**'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test()/describe() return promises the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // stdout carries the LSP protocol: the server logs through the connection only.
    files: ['server/src/**/*.ts', 'common/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
);
