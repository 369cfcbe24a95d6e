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
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // One reader of the environment: src/config.ts parses process.env and the result is passed down; a script that
    // starts a child passes the environment on with childEnvironment(). Allowed elsewhere only in test/ (tests set
    // the environment of the processes they start) and in the sandbox's entry and env module (it is its own program).
    files: ['**/*.ts'],
    ignores: ['src/config.ts', 'test/**', 'sandbox/src/main.ts', 'sandbox/src/**/env.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'read the environment in src/config.ts (loadConfig) and pass the result down',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value=/^(node:)?process$/] ImportSpecifier[imported.name='env']",
          message: 'read the environment in src/config.ts (loadConfig) and pass the result down',
        },
      ],
    },
  },
  {
    // A read never runs a workflow ahead of its history: no query of a workflow outside the read module, which
    // queries only closed runs (src/temporal/workflow-reads.ts; docs/architecture.md, "Reads and replay safety").
    // This block also carries the environment rule above: a later block's settings of a rule replace earlier ones.
    files: [
      'src/**/*.ts',
      'chaos/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
      'activities/**/*.ts',
      'workflows/**/*.ts',
    ],
    ignores: ['src/config.ts', 'src/temporal/workflow-reads.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'read the environment in src/config.ts (loadConfig) and pass the result down',
        },
        ...['query', 'queryWithOptions', 'queryWorkflow'].map((property) => ({
          property,
          message:
            'a query can run a running workflow ahead of its history: read through readWorkflow() (src/temporal/workflow-reads.ts)',
        })),
      ],
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
    files: [
      'workflows/**/*.ts',
      'src/contracts/**/*.ts',
      'bench/bare-transfer-workflow.ts',
      'bench/export-payment-workflow.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeOnly.map((name) => ({
            name,
            message: 'workflow code must not import Node-only modules',
            allowTypeImports: true,
          })),
          patterns: [
            {
              group: [
                '**/activities/**',
                '**/src/dfns/**',
                // Pure: reads failure details old histories recorded (it is the Dfns adapter's to keep).
                '!**/src/dfns/legacy-failure-details',
                '**/src/client/**',
                '**/src/bridge/**',
                '**/src/temporal/**',
                '**/src/config',
                '**/sandbox/**',
              ],
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
