// `npm start`: make sure Electron's binary is there (Electron downloads it from GitHub on the
// first start), build, and launch the desktop app. Without a connection the download fails with a
// stack trace and a suggested fix that needs the internet too; this says in one line what happened
// and that `npm run web` runs the same app in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');

export type BinaryCheck = { ok: true; path: string } | { ok: false; line: string };

/** The installed binary's path, or null when Electron's postinstall/download has not put it there. */
function installedBinary(electronDir: string): string | null {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (override) return join(override, relative || 'electron');
  if (!relative) return null;
  const full = join(electronDir, 'dist', relative);
  return existsSync(full) ? full : null;
}

/** The last line of the downloader's output that says why (e.g. "TypeError: fetch failed"), without the stack. */
export function downloadReason(output: string): string | null {
  const lines = output.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('at '));
  const reason = lines.find((line) => /error|failed|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/i.test(line));
  return reason ? reason.slice(0, 160) : null;
}

/** Runs Electron's own installer (its install.js) when the binary is missing; never throws. */
export function ensureElectronBinary(electronDir: string, say: (line: string) => void = console.log): BinaryCheck {
  const existing = installedBinary(electronDir);
  if (existing) return { ok: true, path: existing };
  say('Downloading Electron (first start only)…');
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const installed = result.status === 0 ? installedBinary(electronDir) : null;
  if (installed) return { ok: true, path: installed };
  const reason = downloadReason(`${result.stderr ?? ''}\n${result.stdout ?? ''}`);
  return {
    ok: false,
    line: `Electron's binary could not be downloaded${reason ? ` (${reason})` : ''}. \`npm run web\` runs the same app in your browser without it.`,
  };
}

async function main(): Promise<void> {
  const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const check = ensureElectronBinary(electronDir);
  if (!check.ok) {
    console.error(check.line);
    process.exit(1);
  }
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'scripts', 'build.ts')], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const app = spawn(check.path, [root, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.kill(signal));
  app.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await main();
