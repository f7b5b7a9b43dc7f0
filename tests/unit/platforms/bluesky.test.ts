import { describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import bluesky from '../../../utils/content/platforms/bluesky';
import type { ExtractContext } from '../../../utils/content/platforms/types';
import { loadFixture } from '../../helpers/fixtures';

const capturedAt = new Date('2026-11-29T12:00:00Z');
const ctxFor = (url: string): ExtractContext => ({ url: new URL(url), capturedAt });

const TIME_FROM_ID = (shown: string) => ({
  code: 'time-from-id',
  message: `The page shows no machine-readable time for this post (it shows "${shown}" in the viewer's local time); the time recorded is decoded from the post's record key, which the author's app sets when the post is written.`,
});

const KING = {
  display_name: 'Stephen King',
  handle: 'stephenking.bsky.social',
  platform_account_id: 'did:plc:h7obn4tkp47wn7gqh4oe5eij',
  profile_url: 'https://bsky.app/profile/stephenking.bsky.social',
};

describe('bluesky: matchesUrl', () => {
  it('matches bsky.app and nothing else', () => {
    expect(bluesky.matchesUrl(new URL('https://bsky.app/profile/jay.bsky.team/post/3l6oveex3ii2l'))).toBe(true);
    expect(bluesky.matchesUrl(new URL('https://bsky.app/'))).toBe(true);
    expect(bluesky.matchesUrl(new URL('https://staging.bsky.app/profile/x.bsky.social'))).toBe(true);
    expect(bluesky.matchesUrl(new URL('https://bsky.social/about'))).toBe(false);
    expect(bluesky.matchesUrl(new URL('https://example.com/bsky.app/profile/x'))).toBe(false);
    expect(bluesky.matchesUrl(new URL('https://notbsky.app/'))).toBe(false);
  });
});

describe('bluesky: rendered thread (bluesky/metascraper__bsky-post-image.html)', () => {
  const url = 'https://bsky.app/profile/glendunlap.bsky.social/post/3mdegyw3ves2t';
  const ctx = ctxFor(url);
  const doc = loadFixture('bluesky/metascraper__bsky-post-image.html', url);
  const items = bluesky.findItems(doc, ctx);

  it('finds the expanded post and its 51 replies; the page itself is not an item', () => {
    expect(items).toHaveLength(52);
    expect(items.map((i) => bluesky.kindOf(i, ctx))).toEqual(['post', ...Array(51).fill('comment')]);
    expect(bluesky.extractPage!(doc, ctx)).toBeNull();
    expect(bluesky.matchesDocument!(doc, ctx.url)).toBe(true);
  });

  it('extracts the expanded post with the page time, the decoded id time and its image', () => {
    expect(bluesky.extract(items[0], ctx)).toEqual({
      platform: 'bluesky',
      adapter_version: '1.0.0',
      kind: 'post',
      account: {
        display_name: 'Glen Dunlap',
        handle: 'glendunlap.bsky.social',
        platform_account_id: 'did:plc:24xmtazrkaxh7kwx2ehginec',
        profile_url: 'https://bsky.app/profile/glendunlap.bsky.social',
      },
      item: {
        platform_item_id: 'at://did:plc:24xmtazrkaxh7kwx2ehginec/app.bsky.feed.post/3mdegyw3ves2t',
        url: 'https://bsky.app/profile/glendunlap.bsky.social/post/3mdegyw3ves2t',
        // article:published_time; the displayed text is the viewer's local time (UTC+1 when saved).
        posted_at: '2026-01-26T23:55:44.454Z',
        posted_at_text: '12:55 AM · Jan 27, 2026',
        posted_at_source: 'attribute',
        id_time: '2026-01-26T23:55:27.431Z',
        // Kept verbatim, double space included (the same as the page's og:description).
        text: 'Owliver decided to fly to another branch and check things out. He can look in my window from this spot!  #Birds #Raptors #Nature #Photography',
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        media: [
          {
            kind: 'image',
            url: 'https://cdn.bsky.app/img/feed_thumbnail/plain/did:plc:24xmtazrkaxh7kwx2ehginec/bafkreialfqefcq2xoumlw6ulbkfbamombpf5g56x3oncuxulwelcm6332i@jpeg',
            alt: 'Great-horned Owl perched on a branch and looking at the photographer. ',
          },
        ],
        metrics: { replies: '95', reposts: '223', likes: '3.1K', quotes: '16', saves: '32' },
      },
      warnings: [],
    });
  });

  it('extracts the first reply, time decoded from its record key and labelled', () => {
    expect(bluesky.extract(items[1], ctx)).toEqual({
      platform: 'bluesky',
      adapter_version: '1.0.0',
      kind: 'comment',
      account: {
        display_name: 'Reece Martin 🫘 🇺🇸',
        handle: 'dreece-ca.bsky.social',
        platform_account_id: 'did:plc:lsxeabri2cfwvzncqlrlklp6',
        profile_url: 'https://bsky.app/profile/dreece-ca.bsky.social',
      },
      item: {
        platform_item_id: 'at://did:plc:lsxeabri2cfwvzncqlrlklp6/app.bsky.feed.post/3mdeitsgznc24',
        url: 'https://bsky.app/profile/dreece-ca.bsky.social/post/3mdeitsgznc24',
        posted_at: '2026-01-27T00:28:23.313Z',
        posted_at_text: 'January 27, 2026 at 1:28 AM',
        posted_at_source: 'id-decoded',
        id_time: '2026-01-27T00:28:23.313Z',
        text: "He's looking a little judge-y.",
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        media: [],
        metrics: { reposts: '1', likes: '16' },
      },
      warnings: [TIME_FROM_ID('January 27, 2026 at 1:28 AM')],
    });
  });

  it('extracts the last reply with its two images', () => {
    expect(bluesky.extract(items[51], ctx)).toEqual({
      platform: 'bluesky',
      adapter_version: '1.0.0',
      kind: 'comment',
      account: {
        display_name: 'Teri',
        handle: 'daisydo333.bsky.social',
        platform_account_id: 'did:plc:qjsuxjacaiboske5jh2z6lvo',
        profile_url: 'https://bsky.app/profile/daisydo333.bsky.social',
      },
      item: {
        platform_item_id: 'at://did:plc:qjsuxjacaiboske5jh2z6lvo/app.bsky.feed.post/3mdeoybxwe22h',
        url: 'https://bsky.app/profile/daisydo333.bsky.social/post/3mdeoybxwe22h',
        posted_at: '2026-01-27T02:18:16.264Z',
        posted_at_text: 'January 27, 2026 at 3:18 AM',
        posted_at_source: 'id-decoded',
        id_time: '2026-01-27T02:18:16.264Z',
        text: 'This is my mysterious man from a couple of years ago. It was fun to watch him and his partner raise the owlets.  🥰',
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        media: [
          {
            kind: 'image',
            url: 'https://cdn.bsky.app/img/feed_thumbnail/plain/did:plc:qjsuxjacaiboske5jh2z6lvo/bafkreig3hytdonh7mhlnutjzq47yb2aaoulxxa74jnyykboor3jhamiehe@jpeg',
            alt: '',
          },
          {
            kind: 'image',
            url: 'https://cdn.bsky.app/img/feed_thumbnail/plain/did:plc:qjsuxjacaiboske5jh2z6lvo/bafkreiht7hhczffl6yvq4hegch4tgtfvncx5qwrplohv23reaa7ar2sepe@jpeg',
            alt: '',
          },
        ],
        metrics: { replies: '1', likes: '2' },
      },
      warnings: [TIME_FROM_ID('January 27, 2026 at 3:18 AM')],
    });
  });

  it('every reply has an AT URI, a permalink and a decoded time', () => {
    for (const el of items) {
      const e = bluesky.extract(el, ctx);
      expect(e.item.platform_item_id).toMatch(/^at:\/\/did:plc:[a-z0-9]+\/app\.bsky\.feed\.post\/[234567a-z]{13}$/);
      expect(e.item.url).toMatch(/^https:\/\/bsky\.app\/profile\/[^/]+\/post\/[234567a-z]{13}$/);
      expect(e.item.id_time).toMatch(/^2026-01-2[67]T/);
    }
  });

  it('enclosingItem finds the post from deep inside it', () => {
    const hashtag = items[0].querySelector('a[href="/hashtag/Raptors"] span')!;
    expect(bluesky.enclosingItem(hashtag, ctx)).toBe(items[0]);
    const replyText = items[1].querySelector('[data-word-wrap="1"]')!;
    expect(bluesky.enclosingItem(replyText, ctx)).toBe(items[1]);
    expect(bluesky.enclosingItem(doc.body, ctx)).toBeNull();
  });
});

describe('bluesky: served post shell (bluesky/metascraper__bsky-post.html)', () => {
  const url = 'https://bsky.app/profile/stephenking.bsky.social/post/3mddvy5bv6k27';
  const ctx = ctxFor(url);
  const doc = loadFixture('bluesky/metascraper__bsky-post.html', url);

  it('has no rendered items; the page record comes from og/article/JSON-LD metadata', () => {
    expect(bluesky.findItems(doc, ctx)).toEqual([]);
    expect(bluesky.extractPage!(doc, ctx)).toEqual({
      platform: 'bluesky',
      adapter_version: '1.0.0',
      kind: 'post',
      account: KING,
      item: {
        platform_item_id: 'at://did:plc:h7obn4tkp47wn7gqh4oe5eij/app.bsky.feed.post/3mddvy5bv6k27',
        url: 'https://bsky.app/profile/stephenking.bsky.social/post/3mddvy5bv6k27',
        posted_at: '2026-01-26T18:50:48.357Z',
        posted_at_text: '2026-01-26T18:50:48.357Z',
        posted_at_source: 'attribute',
        id_time: '2026-01-26T18:50:47.802Z',
        // JSON-LD text, its HTML entities (&#39;) decoded.
        text: "The rightwing response to the murder of Alex Pretti is predictable: to outshout and talk over anyone taking another position. The shrillness on Twitter is especially grating, but again, not surprising. It's Orwell's doublespeak. If the man had a cell phone instead of a gun, yell louder.",
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        // og:image is the author's avatar here, not post media.
        media: [],
        metrics: { likes: '3819', replies: '124', reposts: '602' },
      },
      warnings: [
        {
          code: 'page-not-rendered',
          message: "The post was not rendered on the page; the record comes from the page's metadata (Open Graph / JSON-LD) only.",
        },
      ],
    });
  });
});

describe('bluesky: profile (bluesky/metascraper__bsky-profile.html)', () => {
  const url = 'https://bsky.app/profile/stephenking.bsky.social';
  const ctx = ctxFor(url);
  const doc = loadFixture('bluesky/metascraper__bsky-profile.html', url);
  const items = bluesky.findItems(doc, ctx);

  const profile = {
    platform: 'bluesky',
    adapter_version: '1.0.0',
    kind: 'profile',
    account: KING,
    item: {
      platform_item_id: 'at://did:plc:h7obn4tkp47wn7gqh4oe5eij/app.bsky.actor.profile/self',
      url: 'https://bsky.app/profile/stephenking.bsky.social',
      posted_at: null,
      posted_at_text: null,
      posted_at_source: null,
      text: 'Writer',
      in_reply_to: null,
      thread_id: null,
      visibility: null,
      // The header avatar was not loaded in the saved DOM; the JSON-LD names it
      // (that JSON-LD has a raw line break in a string, which plain JSON.parse rejects).
      media: [
        {
          kind: 'image',
          url: 'https://cdn.bsky.app/img/avatar/plain/did:plc:h7obn4tkp47wn7gqh4oe5eij/bafkreictz5mfmy5mz6s6orrdgsmx3nr4vgog4kie4gezhdx2nhn2irhski@jpeg',
          alt: null,
        },
      ],
      metrics: { followers: '1.1M', following: '3', account_created: '2023-05-11T21:21:33.660Z' },
    },
    warnings: [],
  };

  it('finds the profile header and the 28 feed items', () => {
    expect(items).toHaveLength(29);
    expect(bluesky.kindOf(items[0], ctx)).toBe('profile');
    expect(items.slice(1).every((i) => bluesky.kindOf(i, ctx) === 'post')).toBe(true);
    expect(items[0].querySelector('[data-testid="profileHeaderDisplayName"]')).not.toBeNull();
  });

  it('extractPage and the header element give the same profile record', () => {
    expect(bluesky.extractPage!(doc, ctx)).toEqual(profile);
    expect(bluesky.extract(items[0], ctx)).toEqual(profile);
  });

  it('extracts the first feed post', () => {
    expect(bluesky.extract(items[1], ctx)).toEqual({
      platform: 'bluesky',
      adapter_version: '1.0.0',
      kind: 'post',
      account: KING,
      item: {
        platform_item_id: 'at://did:plc:h7obn4tkp47wn7gqh4oe5eij/app.bsky.feed.post/3mddvy5bv6k27',
        url: 'https://bsky.app/profile/stephenking.bsky.social/post/3mddvy5bv6k27',
        posted_at: '2026-01-26T18:50:47.802Z',
        posted_at_text: 'January 26, 2026 at 7:50 PM',
        posted_at_source: 'id-decoded',
        id_time: '2026-01-26T18:50:47.802Z',
        text: "The rightwing response to the murder of Alex Pretti is predictable: to outshout and talk over anyone taking another position. The shrillness on Twitter is especially grating, but again, not surprising. It's Orwell's doublespeak. If the man had a cell phone instead of a gun, yell louder.",
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        media: [],
        metrics: { replies: '124', reposts: '622', likes: '3.8K' },
      },
      warnings: [TIME_FROM_ID('January 26, 2026 at 7:50 PM')],
    });
  });

  it('keeps a quoted post apart from the quoting text', () => {
    expect(bluesky.extract(items[4], ctx)).toEqual({
      platform: 'bluesky',
      adapter_version: '1.0.0',
      kind: 'post',
      account: KING,
      item: {
        platform_item_id: 'at://did:plc:h7obn4tkp47wn7gqh4oe5eij/app.bsky.feed.post/3mcqguitjf22v',
        url: 'https://bsky.app/profile/stephenking.bsky.social/post/3mcqguitjf22v',
        posted_at: '2026-01-19T00:59:44.540Z',
        posted_at_text: 'January 19, 2026 at 1:59 AM',
        posted_at_source: 'id-decoded',
        id_time: '2026-01-19T00:59:44.540Z',
        text: 'Trump really is trying to destroy America. He has ginned up this idea that there are Red states and Blue states, instead of the United States. I think (and hope) that we will outlast him. One year down, three to go.',
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        media: [],
        metrics: { replies: '167', reposts: '664', likes: '3.7K' },
        quoted: {
          // The quoted author's avatar was not loaded, so the DID is not on the page: handle authority.
          platform_item_id: 'at://markhamillofficial.bsky.social/app.bsky.feed.post/3mcnit5ken22y',
          url: 'https://bsky.app/profile/markhamillofficial.bsky.social/post/3mcnit5ken22y',
          account: {
            display_name: 'Mark Hamill',
            handle: 'markhamillofficial.bsky.social',
            platform_account_id: null,
            profile_url: 'https://bsky.app/profile/markhamillofficial.bsky.social',
          },
          text: 'Pedophile Protector AND Putin Puppet\n\n#MultiTasking',
        },
      },
      warnings: [TIME_FROM_ID('January 19, 2026 at 1:59 AM')],
    });
  });

  it('credits a repost to its original author and says it was reposted', () => {
    expect(bluesky.extract(items[15], ctx)).toEqual({
      platform: 'bluesky',
      adapter_version: '1.0.0',
      kind: 'post',
      account: {
        display_name: 'jeffreyskarski.bsky.social',
        handle: 'jeffreyskarski.bsky.social',
        platform_account_id: null,
        profile_url: 'https://bsky.app/profile/jeffreyskarski.bsky.social',
      },
      item: {
        platform_item_id: 'at://jeffreyskarski.bsky.social/app.bsky.feed.post/3mb3o6pp36k2h',
        url: 'https://bsky.app/profile/jeffreyskarski.bsky.social/post/3mb3o6pp36k2h',
        posted_at: '2025-12-29T01:19:37.338Z',
        posted_at_text: 'December 29, 2025 at 2:19 AM',
        posted_at_source: 'id-decoded',
        id_time: '2025-12-29T01:19:37.338Z',
        text: "Polly says she's unlikely to be disappointed...",
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        media: [
          {
            kind: 'image',
            url: 'https://cdn.bsky.app/img/feed_thumbnail/plain/did:plc:nvyhq2ivwnbuq6mamv7wtufx/bafkreidccvkufycs5esrmxvegbi6glotqvpxlbwrx6ysaa3gxpjv7idak4@jpeg',
            alt: 'Polly and her newest rawhide bone',
          },
        ],
        metrics: { replies: '4', reposts: '15', likes: '469' },
      },
      warnings: [
        {
          code: 'did-missing',
          message: "The account's permanent id (DID) is not on the page; the post id uses the handle, which the account can change.",
        },
        TIME_FROM_ID('December 29, 2025 at 2:19 AM'),
        {
          code: 'reposted',
          message: 'Shown here as a repost ("Reposted by Stephen King"); the account above is the original author, not the account that reposted it.',
        },
      ],
    });
  });

  it('extracts the last feed post, keeping its line breaks', () => {
    expect(bluesky.extract(items[28], ctx)).toEqual({
      platform: 'bluesky',
      adapter_version: '1.0.0',
      kind: 'post',
      account: KING,
      item: {
        platform_item_id: 'at://did:plc:h7obn4tkp47wn7gqh4oe5eij/app.bsky.feed.post/3m7doc5efms2j',
        url: 'https://bsky.app/profile/stephenking.bsky.social/post/3m7doc5efms2j',
        posted_at: '2025-12-06T18:52:26.983Z',
        posted_at_text: 'December 6, 2025 at 7:52 PM',
        posted_at_source: 'id-decoded',
        id_time: '2025-12-06T18:52:26.983Z',
        text: 'The last 2 episodes are dynamite.\n\nEpisode 6 of #ITWelcomeToDerry is now streaming on HBO Max. Episode 7 tomorrow.',
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        media: [],
        metrics: { replies: '68', reposts: '101', likes: '1.1K' },
      },
      warnings: [TIME_FROM_ID('December 6, 2025 at 7:52 PM')],
    });
  });

  it('enclosingItem: a feed post from its text, the header from its description', () => {
    const text = items[1].querySelector('[data-testid="postText"]')!;
    expect(bluesky.enclosingItem(text, ctx)).toBe(items[1]);
    const bio = doc.querySelector('[data-testid="profileHeaderDescription"]')!;
    expect(bluesky.enclosingItem(bio, ctx)).toBe(items[0]);
  });
});

describe('bluesky: a reply that quotes the thread\'s own post', () => {
  it('stays a reply, with the quote kept apart', () => {
    const url = 'https://bsky.app/profile/a.bsky.social/post/3mdegyw3ves2t';
    const dom = new JSDOM(
      `<div data-testid="postThreadScreen">
        <div data-testid="postThreadItem-by-a.bsky.social">
          <a href="/profile/a.bsky.social"><div data-testid="userAvatarImage"><img src="https://cdn.bsky.app/img/avatar_thumbnail/plain/did:plc:aaaa/x@jpeg"></div></a>
          <a href="/profile/a.bsky.social">Ann</a><div data-word-wrap="1">original</div>
          <a href="/profile/a.bsky.social/post/3mdegyw3ves2t/liked-by">3 likes</a>
        </div>
        <div role="link" data-testid="postThreadItem-by-b.bsky.social">
          <a href="/profile/b.bsky.social"><div data-testid="userAvatarImage"><img src="https://cdn.bsky.app/img/avatar_thumbnail/plain/did:plc:bbbb/y@jpeg"></div></a>
          <a href="/profile/b.bsky.social">Bo</a>
          <a href="/profile/b.bsky.social/post/3mdeitsgznc24" data-tooltip="January 27, 2026 at 1:28 AM">· 1h</a>
          <div data-word-wrap="1">look at this</div>
          <div role="link" aria-label="Post by a.bsky.social">
            <a href="/profile/a.bsky.social">Ann</a><a href="/profile/a.bsky.social/post/3mdegyw3ves2t">2h</a><div data-word-wrap="1">original</div>
          </div>
        </div>
      </div>`,
      { url },
    );
    const ctx = ctxFor(url);
    const items = bluesky.findItems(dom.window.document, ctx);
    expect(items.map((i) => bluesky.kindOf(i, ctx))).toEqual(['post', 'comment']);
    const reply = bluesky.extract(items[1], ctx);
    expect(reply.item.platform_item_id).toBe('at://did:plc:bbbb/app.bsky.feed.post/3mdeitsgznc24');
    expect(reply.item.text).toBe('look at this');
    expect(reply.item.quoted).toEqual({
      platform_item_id: 'at://did:plc:aaaa/app.bsky.feed.post/3mdegyw3ves2t',
      url: 'https://bsky.app/profile/a.bsky.social/post/3mdegyw3ves2t',
      account: { display_name: 'Ann', handle: 'a.bsky.social', platform_account_id: 'did:plc:aaaa', profile_url: 'https://bsky.app/profile/a.bsky.social' },
      text: 'original',
    });
    // The expanded post has no self-link, only /liked-by: its id still comes out right.
    expect(bluesky.extract(items[0], ctx).item.platform_item_id).toBe('at://did:plc:aaaa/app.bsky.feed.post/3mdegyw3ves2t');
  });
});

describe('bluesky: odd DOM never throws', () => {
  it('extracts a bare item element with warnings instead of failing', () => {
    const dom = new JSDOM('<div data-testid="feedItem-by-someone.bsky.social"><span>hi</span></div>', { url: 'https://bsky.app/' });
    const el = dom.window.document.querySelector('div')!;
    const e = bluesky.extract(el, ctxFor('https://bsky.app/'));
    expect(e.kind).toBe('post');
    expect(e.account).toEqual({ display_name: null, handle: 'someone.bsky.social', platform_account_id: null, profile_url: 'https://bsky.app/profile/someone.bsky.social' });
    expect(e.warnings.map((w) => w.code)).toEqual(['text-missing', 'item-id-missing', 'permalink-missing', 'time-missing']);
  });
});
