// Content-Security-Policy for every page GradLab shows: nothing remote, no eval (WASM allowed).
// Sent as a header by the app:// protocol and by `npm run web`'s server, and repeated in
// src-renderer/index.html's meta tag for the browser edition (a unit test keeps the two equal).
//
// Styles: stylesheets come from the app itself; style *attributes* are allowed because KaTeX sets
// the size of every formula piece with them (and cannot read or send anything); a <style>
// *element* needs the page's nonce. The one the page has is the code editor's: CodeMirror writes
// its base theme into a <style> element and tags it with the nonce (EditorView.cspNonce), so an
// injected <style> (the dangerous kind: selectors can probe the page) is refused.
//
// The nonce is fresh on every page load: the server replaces CSP_NONCE_PLACEHOLDER in the header
// and in index.html (withCspNonce). A copy of dist/web served as plain files keeps the placeholder,
// which still works, like a fixed nonce.

/** Stands for the page's nonce in the policy and in index.html until the server fills it in. */
export const CSP_NONCE_PLACEHOLDER = 'GRADLAB_CSP_NONCE';

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  `style-src-elem 'self' 'nonce-${CSP_NONCE_PLACEHOLDER}'`,
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The policy as a response header. `frame-ancestors` only works there (browsers ignore it in a
 * meta tag): no other site may frame GradLab's pages to trick a learner into clicking on them.
 */
export const contentSecurityPolicyHeader = `${contentSecurityPolicy}; frame-ancestors 'none'`;

/** 128 random bits, base64 (what CSP's nonce-source allows). */
export function newCspNonce(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** The policy, or index.html's text, with the page's nonce in place of the placeholder. */
export function withCspNonce(text: string, nonce: string): string {
  return text.replaceAll(CSP_NONCE_PLACEHOLDER, nonce);
}
