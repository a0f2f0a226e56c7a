// `npm run web`'s server: one line with a 127.0.0.1 URL, the app with its CSP, nothing outside dist/web.
import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

test('serve-web prints one 127.0.0.1 URL and serves the app with a strict CSP', async ({ page }) => {
  const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve-web.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const [chunk] = (await once(server.stdout, 'data')) as [Buffer];
    const line = chunk.toString().trim();
    expect(line.split('\n')).toHaveLength(1);
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(line)?.[0];
    expect(url, `no URL in: ${line}`).toBeTruthy();

    const response = await fetch(url!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await response.text()).toContain('GradLab');

    const escape = await fetch(`${url}..%2f..%2fpackage.json`);
    expect(escape.status).toBe(404);

    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url!);
    await expect(page.getByRole('banner')).toContainText('GradLab');
    expect(errors).toEqual([]);
  } finally {
    server.kill();
  }
});
