// The renderer's CSP meta tag must be exactly the policy electron.config.ts applies to every page.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../electron.config';
import { CSP_NONCE_PLACEHOLDER, newCspNonce, withCspNonce } from '../../../src-main/electron/csp';
import { styleNonceOf } from '../../../src-renderer/lessons/editor/csp-nonce';

const html = readFileSync(resolve(import.meta.dirname, '../../../src-renderer/index.html'), 'utf8');

describe('src-renderer/index.html Content-Security-Policy', () => {
  it('has exactly one CSP meta tag, equal to electron.config.ts contentSecurityPolicy', () => {
    const tags = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/gi)];
    expect(tags).toHaveLength(1);
    expect(tags[0][1]).toBe(contentSecurityPolicy);
  });

  it('loads no remote resources and no inline scripts', () => {
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

describe('style nonce', () => {
  it('allows <style> elements only with the nonce, and inline style attributes (KaTeX sizes formulas with them)', () => {
    const directives = new Map(contentSecurityPolicy.split('; ').map((d) => [d.split(' ')[0], d]));
    expect(directives.get('style-src')).toBe("style-src 'self'");
    expect(directives.get('style-src-elem')).toBe(`style-src-elem 'self' 'nonce-${CSP_NONCE_PLACEHOLDER}'`);
    expect(directives.get('style-src-attr')).toBe("style-src-attr 'unsafe-inline'");
  });

  it('fills a fresh nonce into the policy and into index.html alike, and the renderer reads it back', () => {
    const first = newCspNonce();
    const second = newCspNonce();
    expect(first).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(second).not.toBe(first);
    const policy = withCspNonce(contentSecurityPolicy, first);
    const page = withCspNonce(html, first);
    expect(policy).not.toContain(CSP_NONCE_PLACEHOLDER);
    expect(page).not.toContain(CSP_NONCE_PLACEHOLDER);
    expect(page).toContain(`content="${policy}"`);
    expect(styleNonceOf(policy)).toBe(first);
    // A copy served as plain files keeps the placeholder, which works as a fixed nonce.
    expect(styleNonceOf(contentSecurityPolicy)).toBe(CSP_NONCE_PLACEHOLDER);
    expect(styleNonceOf("default-src 'self'; script-src 'nonce-abc'")).toBeNull();
  });
});
