// Shared by the browser benchmarks (bench:fps, bench:longtask): the built browser edition served on
// a free local port and Debian's Chromium started headless against it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs } from '../playwright.config';
import { createWebServer } from './web-server';

const root = join(import.meta.dirname, '..', 'dist', 'web');

/** Serves dist/web and launches Chromium; exits with a hint when the edition is not built. */
export async function openBuiltEdition(): Promise<{ origin: string; browser: Browser; close: () => Promise<void> }> {
  if (!existsSync(join(root, 'index.html'))) {
    console.error('The browser edition is not built yet: run `npm run build:web` first.');
    process.exit(2);
  }
  const server = createWebServer(root);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  return {
    origin,
    browser,
    close: async () => {
      await browser.close();
      server.close();
    },
  };
}
