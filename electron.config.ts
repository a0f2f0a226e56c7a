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
  // Electron fuses, flipped in the packaged binary before it is signed (so the OS's code signing
  // keeps them flipped). Each one removes a way to make GradLab's binary run code that is not GradLab.
  electronFuses: {
    // ELECTRON_RUN_AS_NODE would turn the app into a plain Node.js that runs any script. (The
    // Python runner is a utilityProcess, which does not need it.)
    runAsNode: false,
    // NODE_OPTIONS / NODE_EXTRA_CA_CERTS from the environment could preload code or trust another CA.
    enableNodeOptionsEnvironmentVariable: false,
    // --inspect and SIGUSR1 would open a debugger port into the main process.
    enableNodeCliInspectArguments: false,
    // app.asar is checked against the hash recorded at build time (macOS, Windows): a modified
    // archive does not start.
    enableEmbeddedAsarIntegrityValidation: true,
    // Only app.asar is loaded (not a loose app/ folder dropped beside it), so the check above covers all code.
    onlyLoadAppFromAsar: true,
    // file:// pages get no privileges beyond a browser's: GradLab serves its pages from app://.
    grantFileProtocolExtraPrivileges: false,
  },
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
