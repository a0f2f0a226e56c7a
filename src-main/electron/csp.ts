// Content-Security-Policy for every page GradLab shows: nothing remote, no eval (WASM allowed).
// Sent as a header by the app:// protocol and by `npm run web`'s server, and repeated in
// src-renderer/index.html's meta tag for the browser edition (a unit test keeps the two equal).
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
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
