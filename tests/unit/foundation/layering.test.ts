// The layering rule is only worth having if it actually fires: lint a would-be engine file that
// imports node:fs and check ESLint rejects it, and that a clean engine file passes.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function lint(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layering lint rules', () => {
  it('rejects an engine file that imports node:fs', async () => {
    const messages = await lint("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'src-main/engine/__layering_probe__.ts');
    expect(messages.some((m) => m.startsWith('no-restricted-imports') && m.includes('node:fs'))).toBe(true);
  });

  it('rejects DOM globals in the engine', async () => {
    const messages = await lint('export const w = window.innerWidth;\n', 'src-main/engine/__layering_probe__.ts');
    expect(messages.some((m) => m.startsWith('no-restricted-globals'))).toBe(true);
  });

  it('rejects Electron and Node imports in the renderer', async () => {
    const electron = await lint("import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", 'src-renderer/__layering_probe__.ts');
    const fs = await lint("import * as fs from 'fs';\nexport const x = fs;\n", 'src-renderer/__layering_probe__.ts');
    expect(electron.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
    expect(fs.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  });

  it('accepts a pure engine file', async () => {
    const messages = await lint('export function double(values: Float32Array): Float32Array {\n  return values.map((v) => v * 2);\n}\n', 'src-main/engine/__layering_probe__.ts');
    expect(messages).toEqual([]);
  });

  it('lets the Electron shell import electron', async () => {
    const messages = await lint("import { app } from 'electron';\nexport const a = app;\n", 'src-main/electron/__layering_probe__.ts');
    expect(messages).toEqual([]);
  });
});
