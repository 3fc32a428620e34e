// Lint of the project's own code (not of the services it scans): ESLint's and typescript-eslint's
// recommended rules. Fixtures and examples are inputs of the product, written as users write code.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '__testfixtures__/**',
      'examples/**',
      'test/fixtures/**',
      'coverage/**',
      'test/tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks a value left out on purpose (`{ key: _key, ...rest }`, an unused parameter)
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // recast and jscodeshift hand out loosely typed Babel nodes; transforms check shapes at run time
    files: ['transforms/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
