// `npm run web`'s server: one line with a 127.0.0.1 URL, the app with its CSP, nothing outside dist/web.
import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';

/** One raw request; resolves with the status code the server answered. */
function rawStatus(url: string, request: string): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1])));
    socket.on('error', reject);
    socket.write(request);
  });
}

test('serve-web prints one 127.0.0.1 URL, serves the app with a strict CSP and survives a malformed request', async ({ page }) => {
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

    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    const escape = await fetch(`${url}..%2f..%2fpackage.json`);
    expect(escape.status).toBe(404);

    // one malformed request line used to end the server; now it is answered and the server goes on
    expect(await rawStatus(url!, 'GET http://[/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')).toBe(400);
    expect(server.exitCode).toBeNull();
    expect((await fetch(url!)).status).toBe(200);

    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url!);
    await expect(page.getByRole('banner')).toContainText('GradLab');
    expect(errors).toEqual([]);
  } finally {
    server.kill();
  }
});
