// The one file that says how GradLab's three parts are built and packaged:
// main + preload + workers (esbuild, Node/Electron targets), the renderer (Vite, see
// vite.config.ts which reads `rendererBuild`), and the installers (electron-builder).
import { resolve } from 'node:path';
import type { Configuration } from 'electron-builder';

const root = import.meta.dirname;

export const rendererBuild = {
  /** Built renderer; loaded by Electron through the app:// protocol and served by `npm run web`. */
  outDir: resolve(root, 'dist/web'),
};

/** esbuild entry points for the Node side. Output is CommonJS (.cjs) because Electron's sandboxed preload requires it. */
export const mainBuild = {
  outDir: resolve(root, 'dist/main'),
  target: 'node22',
  external: ['electron'],
  entries: {
    main: 'src-main/electron/main.ts',
    preload: 'src-main/electron/preload.ts',
    'training-worker': 'src-main/training/worker-node.ts',
    'python-runner': 'src-main/python/host/runner-process.node.ts',
  },
} as const;

/** Content-Security-Policy for every page (header in Electron, meta tag in the browser edition). */
export { contentSecurityPolicy } from './src-main/electron/csp.ts';

/** electron-builder configuration (used by scripts/package.ts and the release workflow). */
export const builderConfig: Configuration = {
  appId: 'org.gradlab.app',
  productName: 'GradLab',
  copyright: 'Copyright © 2026 GradLab contributors',
  directories: { output: 'release', buildResources: 'assets/icons' },
  // One 1024x1024 PNG: electron-builder derives .ico and .icns from it.
  icon: 'assets/icons/icon.png',
  files: ['dist/**/*', 'assets/**/*', 'package.json', '!**/*.map'],
  asar: true,
  fileAssociations: [
    {
      ext: 'gradlab',
      name: 'GradLab session',
      description: 'GradLab session',
      mimeType: 'application/x-gradlab',
      role: 'Editor',
    },
  ],
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Education',
    mimeTypes: ['application/x-gradlab'],
  },
  deb: { depends: ['libnss3', 'libxss1', 'libatk-bridge2.0-0', 'libgtk-3-0'] },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true, perMachine: false },
  mac: { target: ['dmg'], category: 'public.app-category.education' },
  dmg: { sign: false },
};
