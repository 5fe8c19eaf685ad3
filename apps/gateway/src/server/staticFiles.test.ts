import { describe, expect, it } from 'vitest';
import { contentTypeFor, resolveInside } from './staticFiles.ts';

describe('resolveInside', () => {
  it('keeps paths inside the root', () => {
    expect(resolveInside('/srv/dist', '/assets/app.js')).toBe('/srv/dist/assets/app.js');
    expect(resolveInside('/srv/dist', '/')).toBe('/srv/dist');
  });
  it('refuses traversal in every spelling', () => {
    for (const p of [
      '/../secrets.json',
      '/%2e%2e/secrets.json',
      '/assets/%2e%2e/%2e%2e/x',
      '/a%00b',
      '/..%5c..%5cx',
      '/%E0%A4%A',
    ]) {
      expect(resolveInside('/srv/dist', p), p).toBeUndefined();
    }
  });
  it('names content types', () => {
    expect(contentTypeFor('/x/index.html')).toMatch(/^text\/html/);
    expect(contentTypeFor('/x/a.JS')).toMatch(/^text\/javascript/);
    expect(contentTypeFor('/x/blob')).toBe('application/octet-stream');
  });
});
