// Builds the renderer (the same bundle serves Electron and the browser edition).
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { rendererBuild } from './electron.config.ts';

export default defineConfig({
  root: 'src-renderer',
  base: './',
  publicDir: false,
  plugins: [svelte()],
  resolve: { conditions: ['browser'] },
  worker: { format: 'es' },
  build: {
    outDir: rendererBuild.outDir,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
