import { describe, expect, it } from 'vitest';
import { adapterFor, extractAll } from '../../utils/content/registry';
import { loadFixture } from '../helpers/fixtures';

const capturedAt = new Date('2026-11-29T12:00:00Z');

describe('adapter registry', () => {
  it('chooses by URL first, then by the document (a saved Reddit page served from elsewhere), else generic', () => {
    const reddit = 'reddit/webscrapers__old-reddit-post-comments-2025.html';
    expect(adapterFor(loadFixture(reddit, 'https://old.reddit.com/r/Games/'), new URL('https://old.reddit.com/r/Games/')).id).toBe('reddit');
    expect(adapterFor(loadFixture(reddit, 'http://127.0.0.1:9/fx/a.html'), new URL('http://127.0.0.1:9/fx/a.html')).id).toBe('reddit');
    expect(adapterFor(loadFixture('demo/index.html', 'http://127.0.0.1:9/index.html', true), new URL('http://127.0.0.1:9/index.html')).id).toBe('generic');
  });

  it('lists a profile page once: the page-level record stands for its header', () => {
    const url = new URL('https://x.com/Kikobeats');
    const all = extractAll(loadFixture('twitter/metascraper__x-profile.html', url.href), { url, capturedAt });
    expect(all.map((e) => e.kind)).toEqual(['profile', 'post', 'post', 'post']);
    expect(all[0].account?.handle).toBe('Kikobeats');
  });
});
