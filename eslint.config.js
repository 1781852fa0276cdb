// Lint: TypeScript rules plus the layering rules the product depends on
// (only app/electron may import electron or electron-store; main/ never imports renderer/;
// shared/ imports neither side).
import tseslint from 'typescript-eslint';

const STORE_MESSAGE = 'Only app/electron may import electron-store (it imports electron).';
const electronOnlyInShell = {
  paths: [
    { name: 'electron', message: 'Only app/electron may import electron.' },
    { name: 'electron-store', message: STORE_MESSAGE },
  ],
  patterns: [{ group: ['electron/*'], message: 'Only app/electron may import electron.' }],
};

// import('electron') and require('electron') slip past no-restricted-imports, which only sees
// import/export declarations (and `import x = require()`).
const ELECTRON = '/^electron($|\\u002F)/';
const ELECTRON_STORE = "'electron-store'";
const dynamicImports = (source, message) =>
  [
    `ImportExpression[source.value=${source}]`,
    `CallExpression[callee.name='require'][arguments.0.value=${source}]`,
  ].map((selector) => ({ selector, message }));
const dynamicElectron = [
  ...dynamicImports(ELECTRON, 'Only app/electron may import electron.'),
  ...dynamicImports(ELECTRON_STORE, STORE_MESSAGE),
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Everywhere but the shell; static imports here, dynamic import()/require() just below.
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['app/electron/**'],
    rules: {
      'no-restricted-imports': ['error', electronOnlyInShell],
      'no-restricted-syntax': ['error', ...dynamicElectron],
    },
  },
  {
    files: ['main/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnlyInShell,
          patterns: [
            ...electronOnlyInShell.patterns,
            { group: ['**/renderer/**', '../renderer/*'], message: 'main/ must not import renderer/.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...dynamicElectron,
        {
          selector: 'ImportExpression[source.value=/renderer\\u002F/]',
          message: 'main/ must not import renderer/.',
        },
      ],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnlyInShell,
          patterns: [
            ...electronOnlyInShell.patterns,
            {
              group: ['**/main/**', '**/renderer/**', '**/app/**'],
              message: 'shared/ imports neither side.',
            },
          ],
        },
      ],
    },
  },
);
