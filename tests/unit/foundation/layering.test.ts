// The layer rules are only worth having if they fire. tests/fixtures/layering is a miniature of the
// repository's layout: each `bad-*` file holds one wrong-way import (the ones issue 14 found
// passing the old lint, and a few more), every other file an allowed one. ESLint lints it with the
// project's own configuration rooted there, and each bad import must be refused by the right rule.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '../../..');
const fixtureRoot = join(repoRoot, 'tests/fixtures/layering');

interface LintConfigModule {
  createConfig(root: string): Linter.Config[];
  LAYERS: Record<string, { imports: string[]; packages: string[] | string; node?: boolean }>;
}
// eslint.config.js is plain JavaScript (ESLint loads it without a TypeScript step).
const loadConfig = async () => (await import(pathToFileURL(join(repoRoot, 'eslint.config.js')).href)) as LintConfigModule;

let messages: Map<string, string[]>;

beforeAll(async () => {
  const { createConfig } = await loadConfig();
  const eslint = new ESLint({ cwd: fixtureRoot, overrideConfigFile: true, overrideConfig: createConfig(fixtureRoot) });
  const results = await eslint.lintFiles(['.']);
  messages = new Map(results.map((result) => [result.filePath.slice(fixtureRoot.length + 1), result.messages.map((m) => `${m.ruleId}: ${m.message}`)]));
}, 120_000);

const problemsOf = (file: string) => {
  const found = messages.get(file);
  if (!found) throw new Error(`${file} was not linted`);
  return found;
};

describe('layer rules on the fixture tree', () => {
  it.each([
    ['src-main/engine/bad-imports-training.ts', 'import-x/no-restricted-paths', 'src-main/engine may import no folder'],
    ['src-main/python/bad-imports-trainer.ts', 'import-x/no-restricted-paths', 'src-main/python may import only these folders: src-main/contract, src-main/engine, src-main/graph, src-main/optim'],
    ['src-main/data/bad-imports-supervisor.ts', 'import-x/no-restricted-paths', 'src-main/data may import only these folders: src-main/contract'],
    ['src-main/contract/bad-imports-engine.ts', 'import-x/no-restricted-paths', 'src-main/contract may import no folder'],
    ['src-renderer/bad-imports-supervisor.ts', 'import-x/no-restricted-paths', 'src-renderer may import only these folders'],
  ])('%s: a wrong-way import between layers', (file, rule, text) => {
    expect(problemsOf(file)).toEqual([expect.stringMatching(new RegExp(`^${rule}: .*${text}`))]);
  });

  it.each([
    ['src-renderer/bad-imports-session-store.ts'],
    ['src-renderer/BadSessionStore.svelte'],
    ['src-main/training/bad-imports-node-only.ts'],
  ])('%s: a Node-only file (*.node.ts, *-node.ts) imported where Node may not run', (file) => {
    expect(problemsOf(file)).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: .*Node-only file/)]);
  });

  it('refuses Node built-ins in portable layers, static or `await import()`', () => {
    expect(problemsOf('src-main/engine/bad-dynamic-node-import.ts')).toEqual(['import-x/no-nodejs-modules: Do not import Node.js builtin module "node:fs"']);
    expect(problemsOf('src-main/training/bad-node-builtin.ts')).toEqual(['import-x/no-nodejs-modules: Do not import Node.js builtin module "node:worker_threads"']);
  });

  it('refuses packages outside a layer’s list: valibot in the engine, Electron in the renderer', () => {
    expect(problemsOf('src-main/engine/bad-imports-package.ts')).toEqual([expect.stringMatching(/no-restricted-paths: .*"valibot".*src-main\/engine may import no package/)]);
    expect(problemsOf('src-renderer/bad-imports-electron.ts')).toEqual([expect.stringMatching(/no-restricted-paths: .*"electron".*Only src-main\/electron may import Electron/)]);
  });

  it('refuses a bare ".node" specifier (tsx and Node would look for a native addon)', () => {
    expect(problemsOf('src-main/electron/bad-node-specifier.ts')).toEqual([expect.stringMatching(/^no-restricted-imports: .*'\.\/name\.node\.js'/)]);
  });

  it('refuses DOM and Node globals in the engine', () => {
    expect(problemsOf('src-main/engine/bad-dom-global.ts')).toEqual([expect.stringMatching(/^no-restricted-globals: .*window/)]);
  });

  it('refuses import cycles, in the engine too', () => {
    for (const file of ['src-main/engine/bad-cycle-a.ts', 'src-main/engine/bad-cycle-b.ts', 'src-main/training/bad-cycle-a.ts', 'src-main/training/bad-cycle-b.ts']) {
      expect(problemsOf(file), file).toEqual(['import-x/no-cycle: Dependency cycle detected']);
    }
  });

  it('accepts every allowed import: the tensor <-> ops pair, Node in Node-only files, Electron in the shell, the contract and data helpers in the renderer', () => {
    const allowedFiles = [...messages.keys()].filter((file) => !/(^|\/)bad-|\/Bad/.test(file));
    expect(allowedFiles).toEqual(
      expect.arrayContaining(['src-main/engine/tensor.ts', 'src-main/engine/ops.ts', 'src-main/data/session-store.node.ts', 'src-main/electron/main.ts', 'src-renderer/session.ts']),
    );
    for (const file of allowedFiles) expect(problemsOf(file), file).toEqual([]);
  });
});

describe('the layer table', () => {
  it('has a row for every folder of src-main (a new folder must say what it may import)', async () => {
    const { LAYERS } = await loadConfig();
    const folders = readdirSync(join(repoRoot, 'src-main'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `src-main/${entry.name}`);
    expect(Object.keys(LAYERS).filter((layer) => layer.startsWith('src-main/')).sort()).toEqual(folders.sort());
  });

  it('lets the engine import no other layer and the contract only valibot', async () => {
    const { LAYERS } = await loadConfig();
    expect(LAYERS['src-main/engine']).toEqual({ imports: [], packages: [] });
    expect(LAYERS['src-main/contract']).toEqual({ imports: [], packages: ['valibot'] });
  });
});
