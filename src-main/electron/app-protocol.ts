// Serves the built renderer under app://gradlab/ so pages get a real origin and the CSP header,
// and nothing outside dist/web can be read.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { contentSecurityPolicyHeader, newCspNonce, withCspNonce } from './csp';

/**
 * How main registers app:// (protocol.registerSchemesAsPrivileged). `standard` matters beyond
 * relative URLs: Chromium only gives standard schemes web storage (localStorage, IndexedDB), and
 * in Electron's default (persistent) session that storage lives on disk under userData. So the
 * renderer's autosave (src-renderer/session/autosave.ts: IndexedDB, localStorage at unload) keeps
 * edited data across restarts on the desktop exactly as in the browser; no file IPC is needed.
 */
export const APP_SCHEME = { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } } as const;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.md': 'text/markdown; charset=utf-8',
};

export function contentTypeFor(filePath: string): string {
  return contentTypes[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** Maps an app:// URL to a file under root, or null when it points anywhere else. */
export function resolveAppFile(url: string, root: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'app:' || parsed.host !== 'gradlab') return null;
  return resolveStaticPath(parsed.pathname, root);
}

/** Maps a URL path ("/", "/assets/x.js", percent-encoded) to a file under root; null if it escapes root. */
export function resolveStaticPath(urlPath: string, root: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const full = normalize(join(root, relative));
  const base = normalize(root.endsWith(sep) ? root : root + sep);
  return full.startsWith(base) ? full : null;
}

/**
 * The answer to one app:// request: the file with its type and the CSP header (a fresh style
 * nonce each time, filled into index.html too), or 404 for anything that is not a file under
 * root (a folder such as app://gradlab/assets, a missing file, a path that escapes root).
 */
export async function appProtocolResponse(url: string, root: string, nonce: string = newCspNonce()): Promise<Response> {
  const file = resolveAppFile(url, root);
  const found = file ? await stat(file).catch(() => null) : null;
  if (!file || !found?.isFile()) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const contentType = contentTypeFor(file);
  const bytes = await readFile(file);
  const body = contentType.startsWith('text/html') ? withCspNonce(bytes.toString('utf8'), nonce) : new Uint8Array(bytes);
  return new Response(body, {
    status: 200,
    headers: { 'Content-Type': contentType, 'Content-Security-Policy': withCspNonce(contentSecurityPolicyHeader, nonce), 'X-Content-Type-Options': 'nosniff' },
  });
}
