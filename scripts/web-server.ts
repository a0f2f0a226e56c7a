// The browser edition's static server (`npm run web`, the e2e tests): serves dist/web on
// 127.0.0.1 with the app's CSP header. It is reachable from any page the learner's browser
// opens, so it trusts nothing in a request: a malformed request line gets 400 and the server
// keeps serving; only Host headers naming this machine's loopback address and this port are
// answered (a DNS-rebinding page on another name cannot read the bundle); nothing outside the
// root is ever read.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { contentTypeFor, resolveStaticPath } from '../src-main/electron/app-protocol';
import { contentSecurityPolicyHeader, newCspNonce, withCspNonce } from '../src-main/electron/csp';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost']);

/** True for `127.0.0.1:PORT` and `localhost:PORT` (the port the server listens on), nothing else. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const match = /^([^:]+)(?::(\d+))?$/.exec(host.toLowerCase());
  if (!match) return false;
  const named = match[2] === undefined ? 80 : Number(match[2]);
  return LOOPBACK_NAMES.has(match[1]) && named === port;
}

/** The path of a request target ("/x", or the absolute form "http://host/x"); null when it is not a URL. */
export function requestPath(target: string | undefined): string | null {
  try {
    return new URL(target ?? '/', 'http://127.0.0.1').pathname;
  } catch {
    return null;
  }
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end(text);
}

export function createWebServer(root: string): Server {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = requestPath(request.url);
    if (path === null) return plain(response, 400, 'Bad request');
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : -1;
    if (!isAllowedHost(request.headers.host, port)) return plain(response, 403, 'GradLab answers only requests for 127.0.0.1 or localhost.');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = resolveStaticPath(path, root);
    if (!file || !existsSync(file) || !statSync(file).isFile()) return plain(response, 404, 'Not found');
    // A fresh style nonce for every page load, in the header and in index.html's copy (csp.ts).
    const nonce = newCspNonce();
    const contentType = contentTypeFor(file);
    response.writeHead(200, {
      'Content-Type': contentType,
      'Content-Security-Policy': withCspNonce(contentSecurityPolicyHeader, nonce),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    });
    if (request.method === 'HEAD') response.end();
    else if (contentType.startsWith('text/html')) response.end(withCspNonce(readFileSync(file, 'utf8'), nonce));
    else createReadStream(file).on('error', () => response.destroy()).pipe(response);
  });
  // What Node's parser cannot read (a broken request line, bad headers) is answered and dropped;
  // the server goes on serving everyone else.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
