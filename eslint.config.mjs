// Lint: strict TypeScript everywhere, and workflow code kept deterministic (no Node built-ins, no side-effect packages).
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeOnly = [
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
  '@temporalio/activity',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/testing',
  '@dfns/sdk',
  '@dfns/sdk-keysigner',
  'hono',
  '@hono/node-server',
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.local/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests read JSON bodies of unknown shape and assert on them; the assertions are the type check there.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Fakes implement async interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Workflow code and the contracts it shares run inside Temporal's deterministic sandbox.
    files: ['workflows/**/*.ts', 'src/contracts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeOnly.map((name) => ({ name, message: 'workflow code must not import Node-only modules', allowTypeImports: true })),
          patterns: [
            {
              group: ['**/activities/**', '**/src/dfns/**', '**/src/client/**', '**/src/bridge/**', '**/src/temporal/**', '**/src/config', '**/sandbox/**'],
              message: 'workflow code may import activities and adapters only with `import type`',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['eslint.config.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
