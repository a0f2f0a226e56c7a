// Lint for the whole repo. The layering rules are the point: every folder of src-main and the
// renderer is a layer with an explicit list of what it may import (LAYERS below), Node-only files
// are marked by their name (*.node.ts, *-node.ts), and no import cycle is allowed anywhere but
// between the engine's Tensor and its ops. docs/ARCHITECTURE.md draws the same table;
// tests/unit/foundation/layering.test.ts lints a fixture tree full of wrong-way imports to prove
// every rule fires.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';

const repoRoot = dirname(fileURLToPath(import.meta.url));

/** Packages any layer may use: the renderer's browser libraries are its own business, but Electron is the shell's. */
const ANY_BUT_ELECTRON = 'any but electron';

/**
 * The layers, bottom first: a layer is a folder, and every file in it (today's and tomorrow's)
 * falls under its row. `imports`: the other folders it may import; `packages`: the npm packages
 * it may import; `node`: whether its files may import Node built-ins (elsewhere only files named
 * *.node.ts or *-node.ts may, and nothing in the engine, the contract or the renderer may import those).
 */
export const LAYERS = {
  'src-main/engine': { imports: [], packages: [] },
  'src-main/contract': { imports: [], packages: ['valibot'] },
  'src-main/data': { imports: ['src-main/contract'], packages: ['valibot'] },
  'src-main/graph': { imports: ['src-main/contract', 'src-main/engine'], packages: [] },
  'src-main/optim': { imports: ['src-main/engine'], packages: [] },
  // @noble/hashes: random.seed(str) hashes the str with SHA-512 as CPython does
  'src-main/python': { imports: ['src-main/contract', 'src-main/engine', 'src-main/graph', 'src-main/optim'], packages: ['@noble/hashes'] },
  // data: the worker draws an image run's pictures (data/pictures.ts) so the window does not
  'src-main/training': { imports: ['src-main/contract', 'src-main/engine', 'src-main/graph', 'src-main/data'], packages: [] },
  'src-main/electron': { imports: ['src-main/contract', 'src-main/data', 'src-main/training', 'src-main/python'], packages: ['electron'], node: true },
  'src-main/cli': { imports: ['src-main/contract', 'src-main/engine', 'src-main/data', 'src-main/python', 'src-main/training'], packages: ['valibot'], node: true }, // valibot: bench:validate times the schema against valibot's own per-element check
  // python/host: the platform-free Python host, which the browser bridge runs over Web Workers
  'src-renderer': { imports: ['src-main/contract', 'src-main/data', 'src-main/python/host', 'assets'], packages: ANY_BUT_ELECTRON },
};

/** Files only Node can run, by name; a Web Worker or the browser must never load them. */
const NODE_ONLY_FILES = ['**/*.node.ts', '**/*-node.ts'];

/** The engine's one allowed cycle: Tensor's methods call the ops, and the ops build Tensors. */
const TENSOR_FILES = ['src-main/engine/tensor.ts'];
const OPS_FILES = ['src-main/engine/ops.ts', 'src-main/engine/ops/**/*.ts'];

function allowed(what, list) {
  return list.length === 0 ? `may import no ${what}` : `may import only these ${what}s: ${list.join(', ')}`;
}

/** import-x/no-restricted-paths zones: each layer's allow list, turned into what it may not import. */
function layerZones() {
  const zones = [];
  for (const [layer, rule] of Object.entries(LAYERS)) {
    zones.push({
      target: layer,
      from: '.',
      except: [layer, ...rule.imports, 'node_modules'],
      message: `${layer} ${allowed('folder', rule.imports)} (eslint.config.js, LAYERS).`,
    });
    if (rule.packages === ANY_BUT_ELECTRON) {
      zones.push({ target: layer, from: join(repoRoot, 'node_modules/electron'), message: 'Only src-main/electron may import Electron.' });
    } else {
      zones.push({
        target: layer,
        from: join(repoRoot, 'node_modules'),
        except: rule.packages,
        message: `${layer} ${allowed('package', rule.packages)} (eslint.config.js, LAYERS).`,
      });
    }
  }
  const portable = Object.keys(LAYERS).filter((layer) => !LAYERS[layer].node);
  zones.push({
    // Every file of a portable layer except the Node-only ones (which may import each other).
    target: portable.map((layer) => `${layer}/**/!(*.node|*-node).{ts,svelte}`),
    from: NODE_ONLY_FILES,
    message: 'Node-only file (*.node.ts, *-node.ts): only Electron, the CLI and other Node-only files may import it.',
  });
  return zones;
}

const cycleRule = (ignore) => ['error', { ignoreExternal: true, ...(ignore ? { ignore } : {}) }];

/** The whole configuration, with every path relative to `root` (the repo, or a fixture tree in tests). */
export function createConfig(root) {
  const portableFiles = Object.keys(LAYERS)
    .filter((layer) => !LAYERS[layer].node)
    .map((layer) => `${layer}/**/*.{ts,svelte}`);
  return tseslint.config(
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
    // ---- layers ----
    {
      files: ['**/*.{ts,js,svelte}'],
      plugins: { 'import-x': importX },
      settings: {
        'import-x/resolver-next': [
          createNodeResolver({ extensions: ['.ts', '.js', '.svelte', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } }),
        ],
        // Modules the cycle check reads to follow imports further (a .svelte file's own imports are
        // checked when it is linted; no .ts module imports a component).
        'import-x/extensions': ['.ts', '.js'],
        'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      },
      rules: {
        'import-x/no-restricted-paths': ['error', { basePath: root, zones: layerZones() }],
        // An import the resolver cannot follow would slip past the layer rules unseen.
        'import-x/no-unresolved': ['error', { ignore: ['\\?(raw|url)$'] }],
        'import-x/no-cycle': cycleRule(),
        // tsx and Node read a specifier ending in ".node" as a native addon and never try ".ts".
        'no-restricted-imports': ['error', { patterns: [{ regex: '\\.node$', message: "Import a Node-only file as './name.node.js' (a bare '.node' is a native addon to Node and tsx)." }] }],
      },
    },
    { files: TENSOR_FILES, rules: { 'import-x/no-cycle': cycleRule(['^\\./ops(\\.ts|\\.js)?(/|$)']) } },
    // (an op file's imports of its siblings lead back to it through tensor.ts, so they are the pair too)
    { files: OPS_FILES, rules: { 'import-x/no-cycle': cycleRule(['(^|/)tensor(\\.ts|\\.js)?$', '^\\./[a-z-]+$']) } },
    {
      // Node built-ins, static or `await import(...)`, only where Node runs the code.
      files: portableFiles,
      ignores: NODE_ONLY_FILES,
      rules: { 'import-x/no-nodejs-modules': 'error' },
    },
    {
      files: ['src-main/engine/**/*.ts'],
      rules: {
        'no-restricted-globals': [
          'error',
          ...['window', 'document', 'navigator', 'localStorage', 'HTMLElement', 'self', 'postMessage', 'process', 'Buffer', 'require', '__dirname', '__filename'].map((name) => ({
            name,
            message: 'The engine is pure TypeScript: no DOM, worker or Node globals.',
          })),
        ],
      },
    },
  );
}

export default createConfig(repoRoot);
