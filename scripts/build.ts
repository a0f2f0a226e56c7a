// Builds what electron.config.ts describes: the renderer with Vite and the Node side (main,
// preload, workers) with esbuild. --web: renderer only; --main: Node side only.
import { join } from 'node:path';
import { build as viteBuild } from 'vite';
import { buildMain } from './build-main';

const root = join(import.meta.dirname, '..');
const webOnly = process.argv.includes('--web');
const mainOnly = process.argv.includes('--main');

const started = performance.now();
if (!mainOnly) await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
if (!webOnly) await buildMain();
console.log(`Built ${webOnly ? 'the browser edition' : mainOnly ? 'the main process' : 'GradLab'} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
