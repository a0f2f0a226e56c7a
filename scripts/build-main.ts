// esbuild bundles for the Node side (main, preload, the two workers), as electron.config.ts says.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mainBuild } from '../electron.config';

const root = join(import.meta.dirname, '..');

export async function buildMain(outDir: string = mainBuild.outDir): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  const entryPoints = Object.entries(mainBuild.entries).map(([out, input]) => ({ out, in: join(root, input) }));
  const missing = entryPoints.filter((e) => !existsSync(e.in));
  if (missing.length) throw new Error(`Missing entry points: ${missing.map((m) => m.in).join(', ')}`);
  await build({
    entryPoints,
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: mainBuild.target,
    external: [...mainBuild.external],
    sourcemap: true,
    logLevel: 'warning',
    // CommonJS has no import.meta; give modules that use it the bundle's own URL.
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
}
