// The page's style nonce. The Content-Security-Policy allows <style> elements only with a nonce
// (src-main/electron/csp.ts); the server puts a fresh one into the policy and into index.html's
// meta copy of it on every page load, and CodeMirror gives it to the one <style> element it adds.

const STYLE_NONCE = /style-src-elem[^;]*'nonce-([A-Za-z0-9+/=_-]+)'/;

/** The nonce in a policy's style-src-elem directive, or null. */
export function styleNonceOf(policy: string): string | null {
  return STYLE_NONCE.exec(policy)?.[1] ?? null;
}

/** The nonce of this page's policy (index.html's meta copy of it), or null outside a page. */
export function pageStyleNonce(): string | null {
  if (typeof document === 'undefined') return null;
  const meta = document.querySelector<HTMLMetaElement>('meta[http-equiv="Content-Security-Policy"]');
  return meta ? styleNonceOf(meta.content) : null;
}
