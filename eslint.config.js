// Lint for the whole repo. The layering rules are the point: the engine, the Python runner
// and the renderer must stay free of Node and Electron so they run in a worker, a Web Worker
// or a browser tab.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'url', 'util', 'stream', 'events', 'http', 'https', 'net', 'zlib', 'buffer', 'process', 'module', 'perf_hooks', 'readline', 'vm'];
const nodeOrElectron = [
  { group: nodeBuiltins, message: 'This layer must not import Node APIs: it also runs in a Web Worker or a browser tab.' },
  { group: ['electron', 'electron/*'], message: 'Only src-main/electron may import Electron.' },
];
const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'HTMLElement', 'self', 'postMessage', 'process', 'Buffer', 'require', '__dirname', '__filename'].map((name) => ({
  name,
  message: 'The engine is pure TypeScript: no DOM, worker or Node globals.',
}));

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src-main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: nodeOrElectron }],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    files: ['src-main/python/**/*.ts', 'src-main/training/**/*.ts', 'src-main/data/**/*.ts'],
    ignores: ['src-main/**/*-node.ts', 'src-main/**/*.node.ts', 'src-main/training/supervisor.ts', 'src-main/**/tools/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: nodeOrElectron }] },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    rules: { 'no-restricted-imports': ['error', { patterns: nodeOrElectron }] },
  },
);
