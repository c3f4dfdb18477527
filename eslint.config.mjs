import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';

export default tseslint.config(
  {
    // The build and data folders, and what a user of the checkout creates (README, docs/).
    ignores: [
      'node_modules/',
      'cdk.out/',
      '.embargo*/',
      'coverage/',
      'test/fixtures/',
      'keys/',
      'web/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    plugins: { 'import-x': importX },
    rules: {
      // Imports first, each module once (types with values: `import { type A, b }`).
      'import-x/first': 'error',
      'no-duplicate-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    // The runtime code reaches openpgp through shared/pgp/openpgp-module.ts only (loaded on first
    // use; a static import beside it would be a second instance of openpgp under tsx), and
    // reaches zod through zod/mini (the full zod is for the config file, never bundled). pkijs,
    // asn1js and Octokit are loaded by import() when a message or command needs them, so that a
    // Lambda does not load them at every start (docs/architecture.md, "Bundles").
    files: ['shared/**', 'functions/**'],
    ignores: ['shared/config/embargo-config.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'openpgp',
              message: 'Use openpgp() from shared/pgp/openpgp-module.ts.',
              allowTypeImports: true,
            },
            {
              name: 'zod',
              message: "Use 'zod/mini' with validate() from shared/validation/validate.ts.",
              allowTypeImports: true,
            },
            ...['pkijs', 'asn1js'].map((name) => ({
              name,
              message: 'Use smimeLibrary() from shared/smime/smime-library.ts.',
              allowTypeImports: true,
            })),
            ...['@octokit/rest', '@octokit/plugin-retry'].map((name) => ({
              name,
              message: 'Load Octokit with import() on the first call to GitHub.',
              allowTypeImports: true,
            })),
          ],
        },
      ],
    },
  },
  {
    // The CLI, the local runtime and the bench talk to a person on the terminal.
    files: ['infra/local/**', 'infra/cli/**', 'bin/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
