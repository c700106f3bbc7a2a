import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist',
      '.playground',
      'storybook-static',
      'coverage',
      'node_modules',
      '.scratch',
      '!.storybook',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.tsx', 'src/hooks/**/*.ts', 'src/components/**/use-*.ts'],
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.recommended.rules,
    },
  },
  {
    // The layers: core ← hooks ← components ← widget, and core ← server. An arrow not listed
    // here is an error: core imports no other layer, hooks never import components, and no
    // browser layer (core, hooks, components, widget) imports the server.
    // test/unit/lint/boundaries.test.ts proves that each forbidden arrow is reported.
    files: ['src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } },
      'boundaries/elements': [
        { type: 'core', pattern: 'src/core' },
        { type: 'hooks', pattern: 'src/hooks' },
        { type: 'components', pattern: 'src/components' },
        { type: 'widget', pattern: 'src/widget' },
        { type: 'server', pattern: 'src/server' },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            { from: { element: { type: 'core' } }, allow: { to: { element: { type: 'core' } } } },
            {
              from: { element: { type: 'hooks' } },
              allow: { to: { element: { types: { anyOf: ['core', 'hooks'] } } } },
            },
            {
              from: { element: { type: 'components' } },
              allow: { to: { element: { types: { anyOf: ['core', 'hooks', 'components'] } } } },
            },
            {
              from: { element: { type: 'widget' } },
              allow: { to: { element: { types: { anyOf: ['core', 'hooks', 'components', 'widget'] } } } },
            },
            {
              from: { element: { type: 'server' } },
              allow: { to: { element: { types: { anyOf: ['core', 'server'] } } } },
            },
          ],
        },
      ],
    },
  },
  {
    // src/index.ts (the `parlance` entry) is browser code too.
    files: ['src/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['./server', './server/*'], message: 'Browser code must not import the server.' },
          ],
        },
      ],
    },
  },
  {
    // parlance/core knows no framework.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', 'react/*', '@tanstack/*'],
              message: 'parlance/core must not import React.',
            },
          ],
        },
      ],
    },
  },
  {
    // A binding is built from the public core alone: the hooks and components import
    // src/core/index.ts (what `parlance/core` exports), never a module inside it. The one
    // internal helper they share is core/internal/sleep.
    files: ['src/hooks/**/*.{ts,tsx}', 'src/components/**/*.{ts,tsx}', 'src/widget/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+core/(?!internal/sleep$).+',
              message: 'Import what the hooks and components need from the public core (src/core/index.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', 'stories/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
