import { it } from 'vitest';
import { loadFixture } from '../helpers/fixtures';
import a from '../../utils/content/platforms/bluesky';
it('explore', () => {
  for (const [rel, url] of [['bluesky/metascraper__bsky-post-image.html','https://bsky.app/profile/glendunlap.bsky.social/post/3mdegyw3ves2t'],['bluesky/metascraper__bsky-profile.html','https://bsky.app/profile/stephenking.bsky.social']]) {
  const doc = loadFixture(rel, url);
  const ctx = { url: new URL(url), capturedAt: new Date('2026-11-29T12:00:00Z') };
  for (const [i, el] of a.findItems(doc, ctx).entries()) {
    const e = a.extract(el, ctx);
    console.log(i, e.kind, e.account?.display_name, e.account?.handle, e.account?.platform_account_id, e.item.platform_item_id, e.item.posted_at, e.item.posted_at_source, JSON.stringify(e.item.posted_at_text), JSON.stringify(e.item.text?.slice(0,40)), e.item.media.length, JSON.stringify(e.item.metrics), e.warnings.map(w=>w.code).join(','), e.item.quoted ? JSON.stringify(e.item.quoted) : '');
  }
  }
});
