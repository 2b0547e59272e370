// ESLint flat config. The `no-restricted-imports` block is the architecture rule: pure areas (shared, format,
// quantum, crypto, scan, fairness, federated, qec) import no Node I/O and nothing from the areas that sit above them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_IO = [
  'fs',
  'fs/promises',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'net',
  'http',
  'https',
  'http2',
  'dgram',
  'cluster',
  'process',
  'readline',
  'tty',
  'url',
  'module',
  'v8',
  'vm',
];
const nodeIo = [...NODE_IO, ...NODE_IO.map((m) => `node:${m}`)];
const upperAreas = ['runtime', 'server', 'cli', 'store', 'node', 'keyring', 'quantum-node', 'quantum-gpu'].map(
  (a) => `**/${a}/**`,
);

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.build/',
      '.device/',
      'node_modules/',
      'coverage/',
      'src/format/generated/',
      'src/scan/guard/generated/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object instead of an enum.' },
      ],
    },
  },
  {
    files: [
      'src/shared/**/*.ts',
      'src/format/**/*.ts',
      'src/quantum/**/*.ts',
      'src/crypto/**/*.ts',
      'src/scan/**/*.ts',
      'src/fairness/**/*.ts',
      'src/federated/**/*.ts',
      'src/qec/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeIo.map((name) => ({ name, message: 'Pure areas must not import Node I/O.' })),
          patterns: [{ group: upperAreas, message: 'Pure areas must not import runtime, server, cli or store.' }],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'Pure areas must not use process.' }],
    },
  },
);
