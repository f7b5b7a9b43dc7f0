import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { originalHtml, pageMeta, snapshotHtml, SNAPSHOT_CSP } from '../../utils/content/collect-page';

const HOSTILE = `<!doctype html><html lang="en"><head><title>T</title>
<meta http-equiv="refresh" content="0;url=https://evil.invalid/">
<base href="https://evil.invalid/">
<link rel="canonical" href="/post/7">
<meta property="og:title" content="A post"><meta property="og:type" content="article">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"SocialMediaPosting","headline":"x"}</script>
<style>p { color: red }</style>
</head><body onload="alert(1)">
<p onclick="steal()" style="font-weight:bold">Hello <a href="javascript:alert(2)">link</a></p>
<script>alert(3)</script><noscript><img src="https://tracker.invalid/p.gif"></noscript>
<iframe src="https://evil.invalid/frame"></iframe>
<svg><a xlink:href="javascript:alert(4)"><text>svg</text></a></svg>
</body></html>`;

describe('page snapshot', () => {
  const dom = new JSDOM(HOSTILE, { url: 'https://example.org/post/7?x=1' });
  const doc = dom.window.document;
  const url = new URL('https://example.org/post/7?x=1');

  it('removes everything that could run or load, and says what it did', () => {
    const before = originalHtml(doc);
    const { html, transformations } = snapshotHtml(doc, url);
    expect(html).not.toMatch(/<script>|alert\(|onload=|onclick=|javascript:|<iframe|<noscript|http-equiv="refresh"|<base /i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${SNAPSHOT_CSP}">`);
    expect(html).toContain('Hello <a>link</a>');
    expect(transformations.slice(0, 4)).toEqual([
      'scripts removed (2)',
      'event handler attributes removed (2)',
      'javascript: URLs removed (2)',
      'frames and embedded objects removed (1)',
    ]);
    // The live document is untouched.
    expect(originalHtml(doc)).toBe(before);
    expect(before).toContain('<script>alert(3)</script>');
  });

  it('keeps the DOM as rendered, with its doctype, in original.html', () => {
    expect(originalHtml(doc).startsWith('<!DOCTYPE html>\n<html lang="en"><head><title>T</title>')).toBe(true);
  });

  it('summarises page metadata', () => {
    expect(pageMeta(doc, url)).toEqual({
      page_url: 'https://example.org/post/7?x=1',
      // Resolved against the page address, not a <base> the page may set.
      canonical_url: 'https://example.org/post/7',
      page_title: 'T',
      og: { 'og:title': 'A post', 'og:type': 'article' },
      json_ld_types: ['SocialMediaPosting'],
      lang: 'en',
    });
  });
});
