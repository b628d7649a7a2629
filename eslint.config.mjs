// Lint: import boundaries between runtime zones (DESIGN.md "Processes and folders").
// A wrong import fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'tls', 'url', 'util', 'stream', 'events', 'zlib', 'worker_threads'];

const restrict = (patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-output/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    // shared/ never imports Electron, the renderer or tests.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', 'electron/*', 'electron-store'], message: 'Only electron/ may import Electron.' },
        { group: ['**/renderer/**', '**/electron/**', '**/test/**'], message: 'shared/ must not depend on electron/, renderer/ or test/.' },
      ]),
    },
  },
  {
    // Pure zones: importable by the renderer, so no Node built-ins.
    files: ['shared/core/**/*.ts', 'shared/contract/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: NODE_BUILTINS, message: 'shared/core and shared/contract are pure: no Node built-ins (the renderer imports them).' },
        { group: ['electron', 'electron/*', 'electron-store'], message: 'Only electron/ may import Electron.' },
        { group: ['**/renderer/**', '**/electron/**', '**/test/**', '../node/**', '../auth/**', '../broker/**', '../cache/**', '../pipe/**', '../cli/**', '../kubeconfig/**'], message: 'Pure zones import only pure zones.' },
        { group: ['@azure/*', 'js-yaml', 'node-forge'], message: 'Pure zones take no runtime dependencies.' },
      ]),
    },
  },
  {
    // The renderer: sandboxed Chromium. Only its own files and the pure shared zones.
    files: ['renderer/**/*.ts'],
    ignores: ['renderer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: NODE_BUILTINS, message: 'The renderer is sandboxed: no Node built-ins. Ask main through the preload API.' },
        { group: ['electron', 'electron/*', 'electron-store'], message: 'The renderer talks only to the preload API (window.kubetray).' },
        { group: ['**/electron/**', '**/test/**', '**/shared/node/**', '**/shared/auth/**', '**/shared/broker/**', '**/shared/cache/**', '**/shared/pipe/**', '**/shared/cli/**', '**/shared/kubeconfig/**'], message: 'The renderer imports only shared/core and shared/contract.' },
        { group: ['@azure/*', 'js-yaml', 'node-forge'], message: 'The renderer takes no Node-side dependencies.' },
      ]),
    },
  },
  {
    // electron/ wires shared services to Electron; it never reaches into the renderer or tests.
    files: ['electron/**/*.ts'],
    ignores: ['electron/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/renderer/**', '**/test/**'], message: 'electron/ must not import renderer/ or test/ code.' },
      ]),
    },
  },
);
