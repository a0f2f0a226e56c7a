// The renderer's CSP meta tag must be exactly the policy electron.config.ts applies to every page.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../electron.config';

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
