// Lint: typescript-eslint with type information, plus the import boundaries that keep the architecture honest:
// the engine imports no editor or LSP code, and the client imports only the server's protocol, its shared files and
// the Identity Cloud client (the extension host makes the API calls and pulls, never the language server).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'client/dist/',
      'server/dist/',
      '.vscode-test/',
      'schemas/',
      'bench/results/',
      'test/fixtures/',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
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
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-namespace': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['server/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', 'vscode-languageserver*', 'vscode-languageclient*'],
              message: 'The engine is editor- and protocol-free.',
            },
            {
              group: ['**/features/**', '**/cli/**', '**/project/**', '**/server', '**/documents'],
              message: 'The engine does not reach back into its consumers.',
            },
            {
              group: ['node:*', 'fs', 'path', 'child_process', 'http', 'https'],
              message: 'Rules are pure: facts that need I/O are gathered first and passed in.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+server/src/(?!protocol$|shared/|identity-cloud/)',
              message:
                'The client talks to the server through server/src/protocol.ts; besides, it may use the pure helpers in server/src/shared/ and the Identity Cloud client in server/src/identity-cloud/.',
            },
          ],
        },
      ],
    },
  },
  {
    // A notification's text may hold an error's words: client/src/notify.ts redacts it first.
    files: ['client/src/**/*.ts'],
    ignores: ['client/src/notify.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "MemberExpression[property.name=/^show(Error|Warning|Information)Message$/][object.property.name='window']",
          message: 'Show notifications through client/src/notify.ts: it redacts their text.',
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
