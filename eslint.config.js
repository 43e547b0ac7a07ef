// Lint configuration. The `no-restricted-imports` blocks enforce the import direction of
// docs/architecture.md: geo ← domain ← analysis ← service ← api | cli, with store/ implementing
// store/ports.ts and only api/build-app.ts and cli/ choosing a database adapter.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Builds a restriction that forbids importing the named src/ folders, with advice. */
function forbid(folders, advice) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: folders.map((folder) => ({
          group: [`**/${folder}/**`, `**/${folder}`],
          message: advice,
        })),
      },
    ],
  };
}

const adapters = ['store/sqlite', 'store/postgres'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['src/geo/**/*.ts'],
    rules: forbid(
      ['domain', 'analysis', 'store', 'service', 'contract', 'api', 'cli', 'config'],
      'src/geo/ is the bottom layer and imports nothing else from src/: pass values in as arguments.',
    ),
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: forbid(
      ['analysis', 'store', 'service', 'contract', 'api', 'cli', 'config'],
      'src/domain/ may import only src/geo/: move I/O to src/store/ or src/service/ and pass results in.',
    ),
  },
  {
    files: ['src/analysis/**/*.ts'],
    rules: forbid(
      ['store', 'service', 'contract', 'api', 'cli', 'config'],
      'src/analysis/ is pure: it may import src/geo/ and src/domain/ only; let src/service/ load the data.',
    ),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: forbid(
      ['analysis', 'service', 'contract', 'api', 'cli', 'config'],
      'src/store/ implements store/ports.ts over src/domain/ and src/geo/ types only; configuration is passed in by the caller.',
    ),
  },
  {
    files: ['src/service/**/*.ts'],
    rules: forbid(
      ['api', 'cli', 'config', 'contract', ...adapters],
      'src/service/ uses store/ports.ts (never an adapter) and is called by api/ and cli/, never the other way round.',
    ),
  },
  {
    files: ['src/contract/**/*.ts'],
    rules: forbid(
      ['analysis', 'store', 'service', 'api', 'cli', 'config'],
      'src/contract/ holds request/response schemas over src/domain/ and src/geo/ only, so web/ can use it.',
    ),
  },
  {
    files: ['src/config/**/*.ts'],
    rules: forbid(
      ['analysis', 'store', 'service', 'contract', 'api', 'cli'],
      'src/config/ reads the environment once and may import src/domain/ and src/geo/ only.',
    ),
  },
  {
    files: ['src/api/**/*.ts'],
    ignores: ['src/api/build-app.ts'],
    rules: forbid(
      ['cli', ...adapters],
      'api/ plugins use src/service/ through the deps given to build-app.ts; only build-app.ts and cli/ choose a database (store/open-store.ts).',
    ),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: forbid(
      ['api/routes', ...adapters],
      'cli/ commands call src/service/ (and api/build-app.ts to serve); open the database with store/open-store.ts.',
    ),
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...forbid(
        ['analysis', 'store', 'service', 'api', 'cli', 'config'],
        'web/ reaches the server only over HTTP: import request/response types from src/contract/ (and code lists from src/domain/).',
      ),
    },
  },
);
