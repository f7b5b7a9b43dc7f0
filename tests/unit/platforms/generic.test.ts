import { describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import generic from '../../../utils/content/platforms/generic';
import type { ExtractContext } from '../../../utils/content/platforms/types';
import { loadFixture } from '../../helpers/fixtures';

const capturedAt = new Date('2026-11-29T12:00:00Z');
const ctxFor = (url: string): ExtractContext => ({ url: new URL(url), capturedAt });

const GENERIC = {
  code: 'generic-adapter',
  message: 'This site has no dedicated adapter; the record was read from the standard markup the site publishes, which may be incomplete.',
};
const fromMeta = (sources: string) => ({
  code: 'from-metadata',
  message: `Read from the page's ${sources}, which the site publishes for previews; the visible page may say more.`,
});
const ITEM_ID_MISSING = { code: 'item-id-missing', message: "The platform's id for this item was not found." };
const BASE_ITEM = { in_reply_to: null, thread_id: null, visibility: null };

describe('generic: matchesUrl', () => {
  it('is the last resort: it matches every page', () => {
    expect(generic.matchesUrl(new URL('https://example.org/'))).toBe(true);
    expect(generic.matchesUrl(new URL('https://forum.hillside-allotments.example/t/812'))).toBe(true);
    expect(generic.matchesUrl(new URL('http://localhost:8080/page.html'))).toBe(true);
  });
});

describe('generic: forum thread with h-entry replies (synthetic generic/forum-thread.html)', () => {
  const url = 'https://forum.hillside-allotments.example/t/anyone-else-getting-messages/812';
  const ctx = ctxFor(url);
  const doc = loadFixture('generic/forum-thread.html', url, true);
  const items = generic.findItems(doc, ctx);
  const MARIGOLD = { display_name: 'Marigold P.', handle: null, platform_account_id: null, profile_url: 'https://forum.hillside-allotments.example/u/marigold' };

  it('finds the opening post and three replies, one nested', () => {
    expect(items.map((i) => i.id)).toEqual(['post-4101', 'post-4102', 'post-4103', 'post-4104']);
    expect(items.map((i) => generic.kindOf(i, ctx))).toEqual(['post', 'comment', 'comment', 'comment']);
  });

  it('reads the opening post from h-entry: author h-card, dt-published, e-content, u-url; avatar left out', () => {
    expect(generic.extract(items[0], ctx)).toEqual({
      platform: 'generic',
      adapter_version: '1.0.0',
      kind: 'post',
      account: MARIGOLD,
      item: {
        ...BASE_ITEM,
        platform_item_id: 'post-4101',
        url: 'https://forum.hillside-allotments.example/t/anyone-else-getting-messages/812/1',
        posted_at: '2026-11-27T18:04:00.000Z',
        posted_at_text: '27 Nov 2026, 18:04',
        posted_at_source: 'attribute',
        title: 'Anyone else getting messages from "wrenfield"?',
        text: 'Since the AGM someone called wrenfield keeps messaging me about my plot.\n\nThey knew which day I water. Has anyone else had this?',
        media: [{ kind: 'image', url: 'https://forum.hillside-allotments.example/uploads/2026/11/screenshot-dm.png', alt: 'Screenshot of the messages' }],
      },
      warnings: [GENERIC],
    });
  });

  it('a reply keeps its own fields (not its nested reply\'s) and its u-in-reply-to', () => {
    expect(generic.extract(items[1], ctx)).toEqual({
      platform: 'generic',
      adapter_version: '1.0.0',
      kind: 'comment',
      account: { display_name: 'tomfern', handle: null, platform_account_id: null, profile_url: 'https://forum.hillside-allotments.example/u/tomfern' },
      item: {
        ...BASE_ITEM,
        platform_item_id: 'post-4102',
        url: 'https://forum.hillside-allotments.example/t/anyone-else-getting-messages/812/2',
        posted_at: '2026-11-27T18:30:00.000Z',
        posted_at_text: '27 Nov 2026, 19:30',
        posted_at_source: 'attribute',
        text: "Yes. Same account. I've blocked them and told the committee.",
        in_reply_to: 'https://forum.hillside-allotments.example/t/anyone-else-getting-messages/812/1',
        media: [],
      },
      warnings: [GENERIC],
    });
  });

  it('a nested reply that shows only relative time is labelled approximate', () => {
    expect(generic.extract(items[2], ctx)).toEqual({
      platform: 'generic',
      adapter_version: '1.0.0',
      kind: 'comment',
      account: MARIGOLD,
      item: {
        ...BASE_ITEM,
        platform_item_id: 'post-4103',
        url: 'https://forum.hillside-allotments.example/t/anyone-else-getting-messages/812/3',
        posted_at: '2026-11-29T10:00:00.000Z',
        posted_at_text: '2 hours ago',
        posted_at_source: 'relative-text',
        text: "Thank you, I'll do the same.",
        in_reply_to: 'https://forum.hillside-allotments.example/t/anyone-else-getting-messages/812/2',
        media: [],
      },
      warnings: [
        GENERIC,
        {
          code: 'time-relative',
          message: 'The page shows only a relative time ("2 hours ago"); the time recorded is approximate, counted back from the capture time.',
        },
      ],
    });
  });

  it('a guest reply with no permalink is linked by its anchor; time from the title attribute', () => {
    expect(generic.extract(items[3], ctx)).toEqual({
      platform: 'generic',
      adapter_version: '1.0.0',
      kind: 'comment',
      account: { display_name: 'Guest', handle: null, platform_account_id: null, profile_url: null },
      item: {
        ...BASE_ITEM,
        platform_item_id: 'post-4104',
        url: 'https://forum.hillside-allotments.example/t/anyone-else-getting-messages/812#post-4104',
        posted_at: '2026-11-28T08:15:00.000Z',
        posted_at_text: 'yesterday',
        posted_at_source: 'attribute',
        text: 'Report it to the police and keep every screenshot.',
        media: [],
      },
      warnings: [GENERIC],
    });
  });

  it('enclosingItem: the nested reply from its text, not its parent', () => {
    const p = items[2].querySelector('.e-content p')!;
    expect(generic.enclosingItem(p, ctx)).toBe(items[2]);
    expect(generic.enclosingItem(items[1].querySelector('.e-content p')!, ctx)).toBe(items[1]);
    expect(generic.enclosingItem(doc.querySelector('.site-header a')!, ctx)).toBeNull();
  });

  it('the page record is a plain page (og:type website)', () => {
    expect(generic.extractPage!(doc, ctx)).toEqual({
      platform: 'generic',
      adapter_version: '1.0.0',
      kind: 'page',
      account: null,
      item: {
        ...BASE_ITEM,
        platform_item_id: null,
        url: 'https://forum.hillside-allotments.example/t/anyone-else-getting-messages/812',
        posted_at: null,
        posted_at_text: null,
        posted_at_source: null,
        title: 'Anyone else getting messages from "wrenfield"?',
        text: null,
        media: [],
      },
      warnings: [GENERIC],
    });
  });
});

describe('generic: blog post with JSON-LD and a threaded comment section (synthetic generic/blog-post-jsonld.html)', () => {
  const url = 'https://wrensgarden.example/2026/11/notes-from-the-plot-november/';
  const ctx = ctxFor(url);
  const doc = loadFixture('generic/blog-post-jsonld.html', url, true);
  const items = generic.findItems(doc, ctx);
  const ADA = { display_name: 'Ada Wren', handle: null, platform_account_id: null, profile_url: 'https://wrensgarden.example/author/ada/' };

  it('finds the article and each comment once (the li#comment-N wrapper is not a second item)', () => {
    expect(items.map((i) => i.id)).toEqual(['post-77', 'div-comment-41', 'div-comment-42', 'div-comment-43']);
    expect(items.map((i) => generic.kindOf(i, ctx))).toEqual(['post', 'comment', 'comment', 'comment']);
  });

  it('the page record: a post, from JSON-LD, Open Graph and article:published_time', () => {
    expect(generic.extractPage!(doc, ctx)).toEqual({
      platform: 'generic',
      adapter_version: '1.0.0',
      kind: 'post',
      account: ADA,
      item: {
        ...BASE_ITEM,
        platform_item_id: null,
        url: 'https://wrensgarden.example/2026/11/notes-from-the-plot-november/',
        posted_at: '2026-11-20T09:12:00.000Z',
        posted_at_text: '2026-11-20T09:12:00+00:00',
        posted_at_source: 'attribute',
        title: 'Notes from the plot: November',
        text: 'Frost came early this year, and the last of the leeks are in.',
        media: [{ kind: 'image', url: 'https://wrensgarden.example/wp-content/uploads/2026/11/frosty-beds.jpg', alt: 'Frosty raised beds' }],
        metrics: { comments: '3' },
      },
      warnings: [fromMeta('JSON-LD, Open Graph, meta tags'), GENERIC, ITEM_ID_MISSING],
    });
  });

  it('the article element: byline, <time datetime>, rel=bookmark, entry-content', () => {
    expect(generic.extract(items[0], ctx)).toEqual({
      platform: 'generic',
      adapter_version: '1.0.0',
      kind: 'post',
      account: ADA,
      item: {
        ...BASE_ITEM,
        platform_item_id: 'post-77',
        url: 'https://wrensgarden.example/2026/11/notes-from-the-plot-november/',
        posted_at: '2026-11-20T09:12:00.000Z',
        posted_at_text: '20 November 2026',
        posted_at_source: 'attribute',
        title: 'Notes from the plot: November',
        text: 'Frost came early this year, and the last of the leeks are in.\n\nNext month: seed catalogues and a new lock for the shed.',
        media: [{ kind: 'image', url: 'https://wrensgarden.example/wp-content/uploads/2026/11/frosty-beds-1024x768.jpg', alt: 'Frosty raised beds' }],
      },
      warnings: [GENERIC],
    });
  });

  it('a comment: author link, #comment-N permalink and id, gravatar left out', () => {
    expect(generic.extract(items[1], ctx)).toEqual({
      platform: 'generic',
      adapter_version: '1.0.0',
      kind: 'comment',
      account: { display_name: 'quietneighbour', handle: null, platform_account_id: null, profile_url: 'https://quiet-neighbour.example/' },
      item: {
        ...BASE_ITEM,
        platform_item_id: 'comment-41',
        url: 'https://wrensgarden.example/2026/11/notes-from-the-plot-november/#comment-41',
        posted_at: '2026-11-21T22:47:10.000Z',
        posted_at_text: '21 November 2026 at 22:47',
        posted_at_source: 'attribute',
        text: 'Lovely photos. Your gate code is still 1234, I see.',
        media: [],
      },
      warnings: [GENERIC],
    });
  });

  it('a nested reply points at the comment it answers', () => {
    const e = generic.extract(items[2], ctx);
    expect(e.account).toEqual({ display_name: 'Ada Wren', handle: null, platform_account_id: null, profile_url: 'https://wrensgarden.example/' });
    expect(e.item.platform_item_id).toBe('comment-42');
    expect(e.item.in_reply_to).toBe('comment-41');
    expect(e.item.text).toBe("Please don't post things like that here.");
  });

  it('the last comment: an author without a link and an image in the comment', () => {
    expect(generic.extract(items[3], ctx)).toEqual({
      platform: 'generic',
      adapter_version: '1.0.0',
      kind: 'comment',
      account: { display_name: 'A. Passer-by', handle: null, platform_account_id: null, profile_url: null },
      item: {
        ...BASE_ITEM,
        platform_item_id: 'comment-43',
        url: 'https://wrensgarden.example/2026/11/notes-from-the-plot-november/#comment-43',
        posted_at: '2026-11-23T12:30:00.000Z',
        posted_at_text: '23 November 2026 at 12:30',
        posted_at_source: 'attribute',
        text: 'Which variety of leek do you grow?',
        media: [{ kind: 'image', url: 'https://wrensgarden.example/wp-content/uploads/2026/11/my-leeks.jpg', alt: 'My leeks' }],
      },
      warnings: [GENERIC],
    });
  });

  it('enclosingItem: right-clicking a reply picks the reply, not the thread above it', () => {
    expect(generic.enclosingItem(items[2].querySelector('.comment-content p')!, ctx)).toBe(items[2]);
    expect(generic.enclosingItem(doc.querySelector('#comment-41 > article .comment-content p')!, ctx)).toBe(items[1]);
    expect(generic.enclosingItem(doc.querySelector('.comments-title')!, ctx)).toBeNull();
  });
});

describe('generic: microdata Q&A (synthetic generic/qa-microdata.html)', () => {
  const url = 'https://qa.everyday-safety.example/q/5521';
  const ctx = ctxFor(url);
  const doc = loadFixture('generic/qa-microdata.html', url, true);
  const items = generic.findItems(doc, ctx);

  it('finds the question, both answers and the comment on an answer', () => {
    expect(items.map((i) => i.id)).toEqual(['question-5521', 'answer-5530', 'comment-9001', 'answer-5534']);
    expect(items.map((i) => generic.kindOf(i, ctx))).toEqual(['post', 'comment', 'comment', 'comment']);
  });

  it('the question: itemprop name/text/author/dateCreated, scoped away from its answers', () => {
    expect(generic.extract(items[0], ctx)).toEqual({
      platform: 'generic',
      adapter_version: '1.0.0',
      kind: 'post',
      account: { display_name: 'fernhill', handle: null, platform_account_id: null, profile_url: 'https://qa.everyday-safety.example/users/301/fernhill' },
      item: {
        ...BASE_ITEM,
        platform_item_id: 'question-5521',
        // The page's one main post: its permalink is the page.
        url: 'https://qa.everyday-safety.example/q/5521',
        posted_at: '2026-11-25T14:02:00.000Z',
        posted_at_text: 'Nov 25 at 14:02',
        posted_at_source: 'attribute',
        title: 'How do I check whether someone is tracking my car?',
        text: 'My ex always seems to know where I have parked.\n\nWhere would a tracker usually be hidden?',
        media: [],
      },
      warnings: [GENERIC],
    });
  });

  it('an answer: <meta itemprop=dateCreated>, itemprop url, image kept', () => {
    expect(generic.extract(items[1], ctx)).toEqual({
      platform: 'generic',
      adapter_version: '1.0.0',
      kind: 'comment',
      account: { display_name: 'mechanic_jo', handle: null, platform_account_id: null, profile_url: null },
      item: {
        ...BASE_ITEM,
        platform_item_id: 'answer-5530',
        url: 'https://qa.everyday-safety.example/q/5521#answer-5530',
        posted_at: '2026-11-25T15:40:00.000Z',
        posted_at_text: '2026-11-25T15:40:00Z',
        posted_at_source: 'attribute',
        text: 'Check the wheel arches, under the bumpers and the OBD port under the dashboard.',
        in_reply_to: 'question-5521',
        media: [{ kind: 'image', url: 'https://qa.everyday-safety.example/uploads/obd-port.jpg', alt: 'Where the OBD port is' }],
      },
      warnings: [GENERIC],
    });
  });

  it('a comment on an answer, and an answer whose id is an itemprop identifier', () => {
    const c = generic.extract(items[2], ctx);
    expect(c.account?.display_name).toBe('fernhill');
    expect(c.item.in_reply_to).toBe('answer-5530');
    expect(c.item.text).toBe('Found one behind the rear bumper. Thank you.');
    const a = generic.extract(items[3], ctx);
    expect(a.item.platform_item_id).toBe('5534');
    expect(a.item.url).toBe('https://qa.everyday-safety.example/q/5521#answer-5534');
    expect(a.account).toEqual({ display_name: 'safer_streets', handle: null, platform_account_id: null, profile_url: 'https://qa.everyday-safety.example/users/77/safer-streets' });
  });
});

describe('generic: a page with only Open Graph (synthetic generic/plain-og.html)', () => {
  const url = 'https://library.riverside.example/opening-hours';
  const ctx = ctxFor(url);
  const doc = loadFixture('generic/plain-og.html', url, true);

  it('has no items (links and notices classed "comment" are not comments) and a page record', () => {
    expect(generic.findItems(doc, ctx)).toEqual([]);
    expect(generic.enclosingItem(doc.querySelector('a.comment')!, ctx)).toBeNull();
    expect(generic.extractPage!(doc, ctx)).toEqual({
      platform: 'generic',
      adapter_version: '1.0.0',
      kind: 'page',
      account: null,
      item: {
        ...BASE_ITEM,
        platform_item_id: null,
        url: 'https://library.riverside.example/opening-hours',
        posted_at: null,
        posted_at_text: null,
        posted_at_source: null,
        title: 'Opening hours',
        text: 'When the library is open over the winter.',
        media: [{ kind: 'image', url: 'https://library.riverside.example/img/front-door.jpg', alt: null }],
      },
      warnings: [GENERIC],
    });
  });
});

// Real pages of platforms that have their own adapters (tested by their owners): here they only
// show that the generic adapter degrades gracefully, so only generic output is asserted.
describe('generic: degrades gracefully on real pages', () => {
  it('mastodon/testingembeds__mastodon-status-head-2022.html: a head-only status page becomes a post from og:*', () => {
    const url = 'https://mastodon.social/@Gargron/109300299959535882';
    const ctx = ctxFor(url);
    const doc = loadFixture('mastodon/testingembeds__mastodon-status-head-2022.html', url);
    expect(generic.findItems(doc, ctx)).toEqual([]);
    expect(generic.extractPage!(doc, ctx)).toEqual({
      platform: 'generic',
      adapter_version: '1.0.0',
      kind: 'post',
      // og:title "Name (@user@instance)", the pattern fediverse servers use.
      account: { display_name: 'Eugen 💀', handle: 'Gargron@mastodon.social', platform_account_id: null, profile_url: null },
      item: {
        ...BASE_ITEM,
        platform_item_id: null,
        url: 'https://mastodon.social/@Gargron/109300299959535882',
        posted_at: '2022-11-07T03:03:41.000Z',
        posted_at_text: '2022-11-07T03:03:41Z',
        posted_at_source: 'attribute',
        title: 'Eugen 💀 (@Gargron@mastodon.social)',
        text:
          "I've changed quite a few parts on joinmastodon.org/servers today in response to the feedback from the past week. In detail:\n\n" +
          'You can now filter by region, type of legal entity, and sign-up speed. Added note about why the topics filter exists. Changed tagline.\n\n' +
          '"Get on waitlist" has become "Apply for an account" for servers that manually review new sign-ups. Removed total user count from cards.',
        // Generic cannot tell that this og:image is the author's avatar; it is recorded as the page shows it.
        media: [{ kind: 'image', url: 'https://files.mastodon.social/accounts/avatars/000/000/001/original/dc4286ceb8fab734.jpg', alt: null }],
      },
      warnings: [fromMeta('Open Graph, meta tags'), GENERIC, ITEM_ID_MISSING],
    });
  });

  it('reddit/metascraper__reddit-post-head.html: og:type website stays a page', () => {
    const url = 'https://www.reddit.com/r/lotus/comments/1pzbv0z/my_lotus_elise_72d_with_17_rays_volk_gtp/';
    const ctx = ctxFor(url);
    const doc = loadFixture('reddit/metascraper__reddit-post-head.html', url);
    expect(generic.findItems(doc, ctx)).toEqual([]);
    expect(generic.extractPage!(doc, ctx)).toEqual({
      platform: 'generic',
      adapter_version: '1.0.0',
      kind: 'page',
      account: null,
      item: {
        ...BASE_ITEM,
        platform_item_id: null,
        url: 'https://www.reddit.com/r/lotus/comments/1pzbv0z/my_lotus_elise_72d_with_17_rays_volk_gtp/?seeker-session=true',
        posted_at: null,
        posted_at_text: null,
        posted_at_source: null,
        title: 'From the lotus community on Reddit: My Lotus Elise 72D with 17” Rays Volk GT-P',
        text: 'Explore this post and more from the lotus community',
        media: [{ kind: 'image', url: 'https://share.redd.it/preview/post/1pzbv0z', alt: 'From the lotus community on Reddit: "My Lotus Elise 72D with 17” Rays Volk GT-P"' }],
      },
      warnings: [GENERIC],
    });
  });

  describe('linkedin/videoredes__linkedin-public-post-with-comments-2026.html: JSON-LD SocialMediaPosting', () => {
    const url = 'https://www.linkedin.com/posts/codewithalamin_5-in-demand-ui-libraries-in-2025-activity-7410643423461978113-jasP';
    const ctx = ctxFor(url);
    const doc = loadFixture('linkedin/videoredes__linkedin-public-post-with-comments-2026.html', url);
    const AUTHOR = { display_name: 'Alamin ♾️', handle: null, platform_account_id: null, profile_url: 'https://bd.linkedin.com/in/codewithalamin' };

    it('the page record comes from JSON-LD, text with its line breaks', () => {
      expect(generic.extractPage!(doc, ctx)).toEqual({
        platform: 'generic',
        adapter_version: '1.0.0',
        kind: 'post',
        account: AUTHOR,
        item: {
          ...BASE_ITEM,
          platform_item_id: null,
          url,
          posted_at: '2025-12-27T11:31:15.230Z',
          posted_at_text: '2025-12-27T11:31:15.230Z',
          posted_at_source: 'json',
          title: '5 In-demand UI libraries in 2025 | Alamin ♾️',
          text:
            '👉 5 In-demand UI libraries in 2025\n\n🔹Follow Alamin ♾️ for insightful and premium contents on web development & programming!\n\n' +
            '❤️ Like\n🔁 Repost\n💬 Comment your thoughts\n\nCredits: Redwan Ahmed\n\n' +
            'Start learning web development at top-notch platforms like w3schools.com, JavaScript Mastery \n\n\n' +
            '#programming #javascript #webdevelopment #webdesign #html #css #codewithalamin #reactjs #webdeveloper #frontend',
          media: [{ kind: 'image', url: 'https://static.licdn.com/aero-v1/sc/h/c45fy346jw096z9pbphyyhdz7', alt: null }],
          metrics: { likes: '116', comments: '9' },
        },
        warnings: [fromMeta('JSON-LD, Open Graph'), GENERIC, ITEM_ID_MISSING],
      });
    });

    it('the <article> and the four comment sections are items; the article borrows the JSON-LD time over "1w"', () => {
      const items = generic.findItems(doc, ctx);
      expect(items.map((i) => [i.tagName, generic.kindOf(i, ctx)])).toEqual([
        ['ARTICLE', 'post'],
        ['SECTION', 'comment'],
        ['SECTION', 'comment'],
        ['SECTION', 'comment'],
        ['SECTION', 'comment'],
      ]);
      const post = generic.extract(items[0], ctx);
      expect(post.account).toEqual(AUTHOR);
      expect([post.item.posted_at, post.item.posted_at_text, post.item.posted_at_source]).toEqual(['2025-12-27T11:31:15.230Z', '1w', 'json']);
      expect(post.item.url).toBe(url);
      expect(post.warnings.map((w) => w.code)).toEqual(['author-from-metadata', 'generic-adapter', 'item-id-missing']);
      const comment = generic.extract(items[2], ctx);
      expect(comment.account).toEqual({
        display_name: 'JavaScript Mastery',
        handle: null,
        platform_account_id: null,
        profile_url: 'https://hr.linkedin.com/company/javascriptmastery?trk=public_post_comment_actor-name',
      });
      expect(comment.item.text).toContain('Huge thanks for the mention! We appreciate your support! 🤗');
      expect(comment.warnings.map((w) => w.code)).toEqual(['generic-adapter', 'item-id-missing', 'permalink-missing', 'time-missing']);
    });
  });

  it('reddit/alphascraper__shreddit-post-97-comments-2025.html (4 MB): fast, bounded, no items claimed', () => {
    const url = 'https://www.reddit.com/r/aivideos/comments/1ooeuoq/';
    const ctx = ctxFor(url);
    const doc = loadFixture('reddit/alphascraper__shreddit-post-97-comments-2025.html', url);
    const t0 = performance.now();
    const items = generic.findItems(doc, ctx);
    const page = generic.extractPage!(doc, ctx);
    const ms = performance.now() - t0;
    // A comment container ("comment-tree-content-anchor-…") is not a comment; shreddit items are not generic markup.
    expect(items).toEqual([]);
    expect(page?.kind).toBe('page');
    expect(page?.item.url).toBe(url);
    // Generous (jsdom is slow and CI shared); it guards against runaway scans, not against noise.
    expect(ms).toBeLessThan(10_000);
  });
});

describe('generic: never throws, stays bounded', () => {
  const url = 'https://odd.example/page';
  const ctx = ctxFor(url);

  it('caps the items of a page with thousands of comments', () => {
    const li = Array.from({ length: 1200 }, (_, i) => `<li id="comment-${i + 1}" class="comment"><span class="author">u${i}</span><time datetime="2026-11-01T10:00:00Z">1 Nov</time><p>c${i}</p></li>`).join('');
    const doc = new JSDOM(`<ol>${li}</ol>`, { url }).window.document;
    const items = generic.findItems(doc, ctx);
    expect(items).toHaveLength(500);
    expect(generic.extract(items[499], ctx).item.platform_item_id).toBe('comment-500');
  });

  it('a page of 300 articles: each is its own post and none borrows the page metadata', () => {
    const arts = Array.from({ length: 300 }, (_, i) => `<article id="post-${i}"><h2>Title ${i}</h2><p>Body ${i}</p></article>`).join('');
    const doc = new JSDOM(
      `<html><head><meta property="article:published_time" content="2026-01-01T00:00:00Z"><meta name="author" content="Site Owner"></head><body>${arts}</body></html>`,
      { url },
    ).window.document;
    const items = generic.findItems(doc, ctx);
    expect(items).toHaveLength(300);
    const t0 = performance.now();
    const all = items.map((el) => generic.extract(el, ctx));
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(all[299].account).toBeNull();
    expect(all[299].item).toMatchObject({ platform_item_id: 'post-299', posted_at: null, title: 'Title 299', text: 'Body 299' });
  });

  it('broken JSON-LD, bad dates, odd itemtypes and very deep nesting give warnings, not errors', () => {
    const deep = '<div>'.repeat(3000) + '<article><time datetime="not a date">sometime</time><p>deep</p></article>' + '</div>'.repeat(3000);
    const doc = new JSDOM(
      `<html><head><script type="application/ld+json">{"@type": "BlogPosting", "author": </script>
       <script type="application/ld+json">{"@type": ["NewsArticle"], "datePublished": 12, "author": [{"name": 7}], "image": [[null]]}</script></head>
       <body><div itemscope itemtype=""><span itemprop="author"></span></div>${deep}</body></html>`,
      { url },
    ).window.document;
    expect(() => generic.findItems(doc, ctx)).not.toThrow();
    const items = generic.findItems(doc, ctx);
    expect(items).toHaveLength(1);
    const e = generic.extract(items[0], ctx);
    expect(e.item.posted_at).toBeNull();
    expect(e.item.posted_at_text).toBe('sometime');
    const page = generic.extractPage!(doc, ctx);
    expect(page?.kind).toBe('post');
    expect(page?.account).toEqual({ display_name: '7', handle: null, platform_account_id: null, profile_url: null });
    expect(generic.kindOf(doc.body, ctx)).toBe('element');
  });

  it('a detached element and an empty document', () => {
    const doc = new JSDOM('', { url }).window.document;
    const lone = doc.createElement('article');
    expect(generic.enclosingItem(lone, ctx)).toBe(lone);
    expect(generic.extract(lone, ctx).kind).toBe('post');
    expect(generic.findItems(doc, ctx)).toEqual([]);
    expect(generic.extractPage!(doc, ctx)?.kind).toBe('page');
  });
});

describe('generic: media inside h-entry items (own demo/index.html)', () => {
  const url = 'http://127.0.0.1:8080/index.html';
  const ctx = ctxFor(url);
  const doc = loadFixture('demo/index.html', url, true);
  const byId = (id: string): Element => {
    const el = generic.findItems(doc, ctx).find((i) => i.id === id);
    if (!el) throw new Error(`item ${id} not found`);
    return el;
  };

  it("includes the entry's photo (outside e-content) and leaves out the author's avatar", () => {
    expect(generic.extract(byId('post-1041'), ctx).item.media).toEqual([{ kind: 'image', url: 'http://127.0.0.1:8080/photo.svg', alt: 'A hillside at dawn' }]);
  });

  it('an entry with only the author avatar has no media', () => {
    expect(generic.extract(byId('post-1042'), ctx).item.media).toEqual([]);
  });

  it('leaves out author u-photo, emoji and tiny icons, keeps an entry-level u-photo', () => {
    const doc = new JSDOM(
      `<article class="h-entry" id="e1">
         <div class="p-author h-card"><img class="u-photo" src="/me.jpg" alt="Me"><a class="p-name u-url" href="/me">Me</a></div>
         <p class="e-content">Hello <img src="/e/smile.png" alt="😀"> <img src="/i/share.png" width="16" height="16" alt="share"></p>
         <img class="u-photo" src="/big.jpg" alt="A big photo">
         <a class="u-url" href="/e1"><time class="dt-published" datetime="2026-11-28T07:02:44Z">28 Nov</time></a>
       </article>`,
      { url },
    ).window.document;
    const el = generic.findItems(doc, ctx)[0];
    expect(generic.extract(el, ctx).item.media).toEqual([{ kind: 'image', url: 'http://127.0.0.1:8080/big.jpg', alt: 'A big photo' }]);
  });
});
