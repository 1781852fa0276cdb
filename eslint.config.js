// Lint: TypeScript rules plus the layering rules the product depends on
// (only app/electron may import electron; main/ never imports renderer/;
// shared/ imports neither side).
import tseslint from 'typescript-eslint';

const electronOnlyInShell = {
  paths: [{ name: 'electron', message: 'Only app/electron may import electron.' }],
  patterns: [{ group: ['electron/*'], message: 'Only app/electron may import electron.' }],
};

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
    files: ['main/**', 'shared/**', 'renderer/**', 'app/cli/**', 'app/console/**', 'e2e/**', 'bench/**'],
    rules: { 'no-restricted-imports': ['error', electronOnlyInShell] },
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
