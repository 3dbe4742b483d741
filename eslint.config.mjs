// Lint for every workspace: typescript-eslint's recommended rules; formatting is prettier's job.
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.regchain/**',
      '.regchain-test/**',
      '.regchain-docker/**',
      '.regchain-hosts/**',
      'coverage/**',
      '.scratch/**',
    ],
  },
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // A workspace reaches another only through its package's entry points, never its sources.
    files: ['common/**/*.ts', 'fabric/**/*.ts', 'chaincode/**/*.ts', 'gateway/**/*.ts', 'monitor/**/*.ts', 'console/**/*.ts', 'network/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@regchain/[a-z]+/(src|dist)(/|$)',
              message: "import the package's entry point (@regchain/common, @regchain/common/node, @regchain/fabric)",
            },
            {
              regex: '^(\\.\\./)+(common|fabric|chaincode|gateway|monitor|console|network)/src(/|$)',
              message: "another workspace's sources are its own: import its package, or move what is shared into @regchain/common or @regchain/fabric",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON answers of any shape and send deliberately ill-typed input; the test peer keeps its own `this`.
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-this-alias': 'off' },
  },
);
