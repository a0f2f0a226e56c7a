// `npm start` without Electron's binary: one line that says what happened and what to use instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadReason, ensureElectronBinary } from '../../../scripts/start';

const root = join(import.meta.dirname, '..', '..', '..');
const folders: string[] = [];
function fakeElectron(installer: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-electron-'));
  folders.push(dir);
  writeFileSync(join(dir, 'install.js'), installer);
  return dir;
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const quiet = () => {};
const FAILING_INSTALLER = `
console.error('TypeError: fetch failed\\n    at node:internal/deps/undici/undici:14976:13\\n    at async downloadArtifact (index.js:154:12)');
process.exit(1);
`;

describe('ensureElectronBinary', () => {
  it('turns a failed download into one line naming npm run web, without the stack', () => {
    const result = ensureElectronBinary(fakeElectron(FAILING_INSTALLER), quiet);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.line).toBe("Electron's binary could not be downloaded (TypeError: fetch failed). `npm run web` runs the same app in your browser without it.");
  });

  it('uses the binary the installer put in place', () => {
    const dir = fakeElectron(`
      const { mkdirSync, writeFileSync } = require('node:fs');
      const { join } = require('node:path');
      mkdirSync(join(__dirname, 'dist'));
      writeFileSync(join(__dirname, 'dist', 'electron'), '');
      writeFileSync(join(__dirname, 'path.txt'), 'electron');
    `);
    expect(ensureElectronBinary(dir, quiet)).toEqual({ ok: true, path: join(dir, 'dist', 'electron') });
  });

  it('does not run the installer when the binary is there', () => {
    const dir = fakeElectron(FAILING_INSTALLER);
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '');
    writeFileSync(join(dir, 'path.txt'), 'electron');
    expect(ensureElectronBinary(dir, quiet)).toEqual({ ok: true, path: join(dir, 'dist', 'electron') });
  });

  it('finds the reason among stack lines', () => {
    expect(downloadReason('Error: getaddrinfo ENOTFOUND github.com\n    at GetAddrInfoReqWrap.onlookup')).toBe('Error: getaddrinfo ENOTFOUND github.com');
    expect(downloadReason('')).toBeNull();
  });
});

// The real script with the real Electron package, offline (a download mirror nothing listens on).
const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const installed = existsSync(join(electronDir, 'path.txt')) && existsSync(join(electronDir, 'dist', readFileSync(join(electronDir, 'path.txt'), 'utf8').trim()));
describe.skipIf(installed)('npm start offline', () => {
  it('ends with one line that says the binary could not be downloaded and names npm run web', () => {
    const cache = mkdtempSync(join(tmpdir(), 'gradlab-electron-cache-'));
    folders.push(cache);
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: cache };
    delete env.ELECTRON_OVERRIDE_DIST_PATH;
    const result = spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'scripts', 'start.ts')], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(1);
    const errorLines = result.stderr.split('\n').filter(Boolean);
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/^Electron's binary could not be downloaded.*`npm run web` runs the same app/);
    expect(result.stdout + result.stderr).not.toMatch(/^\s+at /m);
  });
});
