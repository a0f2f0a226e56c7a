// `npm run web`'s server on a temporary root, spoken to over raw sockets: a malformed request line
// gets 400 and the server keeps serving; only loopback Host headers with its own port are answered
// (DNS rebinding); the CSP header forbids framing; nothing outside the root is served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { createWebServer, isAllowedHost, requestPath } from '../../../scripts/web-server';
import { CSP_NONCE_PLACEHOLDER } from '../../../src-main/electron/csp';

let root = '';
let server: Server;
let port = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gradlab-web-'));
  writeFileSync(join(root, 'index.html'), `<!doctype html><meta http-equiv="Content-Security-Policy" content="style-src-elem 'nonce-${CSP_NONCE_PLACEHOLDER}'"><title>GradLab</title>`);
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  server = createWebServer(root);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

/** Sends raw bytes and returns the whole answer (the server closes or we stop at the body). */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(request);
  });
}
const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
const get = (path: string, host = `127.0.0.1:${port}`) => raw(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);

describe('browser edition server', () => {
  it('answers 400 to the request line that used to kill it, and keeps serving', async () => {
    expect(statusOf(await raw(`GET http://[/ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`))).toBe(400);
    expect(statusOf(await raw('GET http://[/ HTTP/1.1\r\nHost: anything\r\nConnection: close\r\n\r\n'))).toBe(400);
    expect(statusOf(await raw('THIS IS NOT HTTP\r\n\r\n'))).toBe(400);
    expect(statusOf(await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nBad Header Without Colon\r\n\r\n`))).toBe(400);
    const after = await get('/');
    expect(statusOf(after)).toBe(200);
    expect(after).toContain('<title>GradLab</title>');
  });

  it('answers only 127.0.0.1 and localhost with its own port (DNS rebinding gets 403)', async () => {
    expect(statusOf(await get('/', `localhost:${port}`))).toBe(200);
    expect(statusOf(await get('/', `LOCALHOST:${port}`))).toBe(200);
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${port + 1}`, '127.0.0.1', `127.0.0.1.evil.example:${port}`, `[::1]:${port}`]) {
      const answer = await get('/', host);
      expect(statusOf(answer), host).toBe(403);
      expect(answer).not.toContain('<title>GradLab</title>');
    }
    expect(statusOf(await raw('GET / HTTP/1.0\r\n\r\n'))).toBe(403); // no Host header at all
  });

  it('sends the CSP with frame-ancestors, and serves only files under its root', async () => {
    const page = await get('/');
    expect(page).toMatch(/content-security-policy: default-src 'self';.*; frame-ancestors 'none'\r\n/i);
    expect(statusOf(await get('/assets/app.js'))).toBe(200);
    expect(statusOf(await get('/assets'))).toBe(404); // a folder is not a file
    expect(statusOf(await get('/..%2f..%2fetc%2fpasswd'))).toBe(404);
    expect(statusOf(await get('/%E0%A4%A'))).toBe(404); // broken percent-encoding
    expect(statusOf(await raw(`POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`))).toBe(405);
  });

  it("fills a fresh style nonce into each page's header and into its index.html alike", async () => {
    const nonces = [];
    for (let i = 0; i < 2; i += 1) {
      const page = await get('/');
      const header = /content-security-policy: [^\r]*'nonce-([A-Za-z0-9+/=]+)'/i.exec(page)?.[1];
      const meta = /content="style-src-elem 'nonce-([A-Za-z0-9+/=]+)'"/.exec(page)?.[1];
      expect(header).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(meta).toBe(header);
      expect(page).not.toContain(CSP_NONCE_PLACEHOLDER);
      nonces.push(header);
    }
    expect(nonces[1]).not.toBe(nonces[0]);
  });
});

describe('web server helpers', () => {
  it('isAllowedHost: loopback names with the right port only', () => {
    expect(isAllowedHost('127.0.0.1:5178', 5178)).toBe(true);
    expect(isAllowedHost('localhost:5178', 5178)).toBe(true);
    expect(isAllowedHost('localhost', 80)).toBe(true);
    expect(isAllowedHost('localhost', 5178)).toBe(false);
    expect(isAllowedHost(undefined, 5178)).toBe(false);
    expect(isAllowedHost('127.0.0.1:5178:1', 5178)).toBe(false);
  });

  it('requestPath: origin and absolute forms, null for what is not a URL', () => {
    expect(requestPath('/a/b?c=1')).toBe('/a/b');
    expect(requestPath('http://127.0.0.1:5178/x')).toBe('/x');
    expect(requestPath('http://[/')).toBeNull();
  });
});
