import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { mastodonAdapter as mastodon } from '../../../utils/content/platforms/mastodon';
import { decodeMastodonId } from '../../../utils/content/time';
import { loadFixture } from '../../helpers/fixtures';
import { extractionOf } from '../../helpers/extraction';

const capturedAt = new Date('2026-11-29T12:00:00Z');
const ctxFor = (url: string) => ({ url: new URL(url), capturedAt });
const ex = extractionOf('mastodon');
const parentUnknown = { code: 'parent-unknown', message: 'This post is a reply, but the page does not say which post it answers.' };

describe('mastodon: head-only status page (testingembeds, mastodon.social 2022)', () => {
  const url = 'https://mastodon.social/@Gargron/109300299959535882';
  const ctx = ctxFor(url);
  const doc = loadFixture('mastodon/testingembeds__mastodon-status-head-2022.html', url);

  it('is recognised as Mastodon by its metadata, with no rendered statuses', () => {
    expect(mastodon.matchesDocument?.(doc, ctx.url)).toBe(true);
    expect(mastodon.findItems(doc, ctx)).toEqual([]);
  });

  it('builds the status record from Open Graph; the id’s time is kept as a cross-check', () => {
    expect(mastodon.extractPage?.(doc, ctx)).toEqual(
      ex(
        'post',
        { display_name: 'Eugen 💀', handle: 'Gargron@mastodon.social', platform_account_id: null, profile_url: 'https://mastodon.social/@Gargron' },
        {
          platform_item_id: '109300299959535882',
          url,
          posted_at: '2022-11-07T03:03:41.000Z',
          posted_at_text: '2022-11-07T03:03:41Z',
          posted_at_source: 'attribute',
          id_time: '2022-11-07T03:03:41.550Z',
          text:
            "I've changed quite a few parts on joinmastodon.org/servers today in response to the feedback from the past week. In detail:\n\n" +
            'You can now filter by region, type of legal entity, and sign-up speed. Added note about why the topics filter exists. Changed tagline.\n\n' +
            '"Get on waitlist" has become "Apply for an account" for servers that manually review new sign-ups. Removed total user count from cards.',
          in_reply_to: null,
          thread_id: null,
          visibility: null,
          // og:image here is the author's avatar, which is not post media.
          media: [],
        },
        [
          {
            code: 'metadata-only',
            message: 'The page holds only link-preview metadata (Open Graph), not the rendered post: the text may be shortened and the account id is not stated.',
          },
        ],
      ),
    );
  });
});

describe('mastodon: rendered 4.x thread view (synthetic fixture)', () => {
  const url = 'https://social.example/@sam_troll@other.example/117698956748870050';
  const ctx = ctxFor(url);
  const doc = loadFixture('messaging/mastodon-status.html', url, true);
  const items = mastodon.findItems(doc, ctx);
  const riley = { display_name: 'Riley Example', handle: 'riley@social.example', platform_account_id: '109411232500987654', profile_url: 'https://social.example/@riley' };
  const sam = {
    display_name: 'Sam Troll',
    handle: 'sam_troll@other.example',
    platform_account_id: '112004455667788990',
    profile_url: 'https://social.example/@sam_troll@other.example',
  };

  it('finds the ancestor, the focused status and two replies', () => {
    expect(items.length).toBe(4);
    expect(items.map((e) => mastodon.kindOf(e, ctx))).toEqual(['post', 'post', 'post', 'post']);
    expect(items[1].classList.contains('detailed-status')).toBe(true);
    expect(mastodon.extractPage?.(doc, ctx)).toBeNull();
    expect(mastodon.matchesDocument?.(doc, ctx.url)).toBe(true);
  });

  it('extracts the root post of a local account (handle gets the local domain) with its original image', () => {
    expect(mastodon.extract(items[0], ctx)).toEqual(
      ex('post', riley, {
        platform_item_id: '117698691824499743',
        url: 'https://social.example/@riley/117698691824499743',
        posted_at: '2026-11-29T08:05:11.482Z',
        posted_at_text: '3h',
        posted_at_source: 'attribute',
        id_time: '2026-11-29T08:05:11.482Z',
        text: 'Sharing the first tomatoes from my garden 🍅\n\nProud of this little patch.',
        in_reply_to: null,
        thread_id: '117698691824499743',
        visibility: 'public',
        media: [
          {
            kind: 'image',
            url: 'https://social.example/system/media_attachments/files/117/698/691/000/111/222/original/tomatoes.jpg',
            alt: 'A bowl of red tomatoes on a wooden table',
          },
        ],
      }),
    );
  });

  it('extracts the focused status: id from its date link, time from the page head, parent from the ancestors', () => {
    expect(mastodon.extract(items[1], ctx)).toEqual(
      ex('post', sam, {
        platform_item_id: '117698956748870050',
        url,
        posted_at: '2026-11-29T09:12:33.000Z',
        posted_at_text: 'Nov 29, 2026, 09:12',
        posted_at_source: 'attribute',
        id_time: '2026-11-29T09:12:33.907Z',
        text: '@riley I know where that garden is. Same street as the bakery, right? See you soon.',
        in_reply_to: '117698691824499743',
        thread_id: '117698691824499743',
        visibility: 'public',
        media: [{ kind: 'image', url: 'https://social.example/system/cache/media_attachments/files/117/698/956/000/333/444/original/street.jpg', alt: null }],
      }),
    );
  });

  it('falls back to the id’s time for the focused status when the head describes another status', () => {
    const other = 'https://social.example/@riley/117698691824499743';
    const dom = new JSDOM(doc.documentElement.outerHTML.replace('content="https://social.example/@sam_troll@other.example/117698956748870050" property="og:url"', `content="${other}" property="og:url"`), { url: other });
    const c = ctxFor(other);
    const detailed = mastodon.findItems(dom.window.document, c)[1];
    const got = mastodon.extract(detailed, c);
    expect([got.item.posted_at, got.item.posted_at_text, got.item.posted_at_source]).toEqual(['2026-11-29T09:12:33.907Z', 'Nov 29, 2026, 09:12', 'id-decoded']);
  });

  it('extracts a reply below the focused status: parent unknown and said so', () => {
    expect(mastodon.extract(items[2], ctx)).toEqual(
      ex(
        'post',
        riley,
        {
          platform_item_id: '117699261373746558',
          url: 'https://social.example/@riley/117699261373746558',
          posted_at: '2026-11-29T10:30:02.114Z',
          posted_at_text: '1h',
          posted_at_source: 'attribute',
          id_time: '2026-11-29T10:30:02.114Z',
          text: '@sam_troll Please stop contacting me.',
          in_reply_to: null,
          thread_id: '117698691824499743',
          visibility: 'public',
          media: [],
        },
        [parentUnknown],
      ),
    );
  });

  it('extracts the last reply: content warning as title, unlisted, custom emoji kept as shortcode', () => {
    expect(mastodon.extract(items[3], ctx)).toEqual(
      ex(
        'post',
        { ...sam, display_name: 'Sam Troll :eyes_glow:' },
        {
          platform_item_id: '117699441305221891',
          url: 'https://social.example/@sam_troll@other.example/117699441305221891',
          posted_at: '2026-11-29T11:15:47.650Z',
          posted_at_text: '44m',
          posted_at_source: 'attribute',
          id_time: '2026-11-29T11:15:47.650Z',
          title: 'not for you',
          text: 'You can block me, I have other accounts. #watching',
          in_reply_to: null,
          thread_id: '117698691824499743',
          visibility: 'unlisted',
          media: [],
        },
        [parentUnknown],
      ),
    );
  });

  it('encloses a mention inside the focused status in that status, and text of a reply in the reply', () => {
    const mention = items[1].querySelector('.status__content a.mention span')!;
    expect(mastodon.enclosingItem(mention, ctx)).toBe(items[1]);
    const p = items[3].querySelector('.status__content__text p')!;
    expect(mastodon.enclosingItem(p, ctx)).toBe(items[3]);
    expect(mastodon.enclosingItem(doc.querySelector('.column-header')!, ctx)).toBeNull();
  });
});

describe('mastodon: profile header and content warnings (inline 4.x markup)', () => {
  it('extracts the account header on a profile page', () => {
    const url = 'https://social.example/@sam_troll@other.example';
    const dom = new JSDOM(
      `<title>Sam Troll (@sam_troll@other.example) - social.example</title>
       <div id="mastodon"><div class="account-timeline__header"><div class="account__header">
         <div class="account__header__image"><img src="https://social.example/system/cache/accounts/headers/1/original/h.jpg" alt="" class="parallax"></div>
         <div class="account__header__bar">
           <div class="account__header__tabs"><a class="avatar" href="https://social.example/a.png"><div class="account__avatar"><img src="https://social.example/a.png" alt=""></div></a></div>
           <div class="account__header__tabs__name"><h1><span class="display-name"><bdi><span class="display-name__html">Sam Troll</span></bdi></span>
             <small><span>@sam_troll<span class="invisible">@other.example</span></span><button class="account__domain-pill">other.example</button></small></h1></div>
           <div class="account__header__extra"><div class="account__header__bio"><div class="account__header__content translate"><p>Just asking questions.</p></div></div>
             <div class="account__header__extra__links"><a href="/@sam_troll@other.example" title="1,204"><strong>1.2K</strong> <span>Posts</span></a><a href="/@sam_troll@other.example/following" title="12"><strong>12</strong> <span>Following</span></a><a href="/@sam_troll@other.example/followers" title="3"><strong>3</strong> <span>Followers</span></a></div></div>
         </div></div></div></div>`,
      { url },
    );
    const ctx = ctxFor(url);
    const doc = dom.window.document;
    const items = mastodon.findItems(doc, ctx);
    expect(items.length).toBe(1);
    expect(mastodon.kindOf(items[0], ctx)).toBe('profile');
    const expected = ex(
      'profile',
      { display_name: 'Sam Troll', handle: 'sam_troll@other.example', platform_account_id: null, profile_url: url },
      {
        platform_item_id: null,
        url,
        posted_at: null,
        posted_at_text: null,
        posted_at_source: null,
        text: 'Just asking questions.',
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        media: [{ kind: 'image', url: 'https://social.example/system/cache/accounts/headers/1/original/h.jpg', alt: 'header image' }],
        metrics: { posts: '1,204', following: '12', followers: '3' },
      },
    );
    expect(mastodon.extract(items[0], ctx)).toEqual(expected);
    expect(mastodon.extractPage?.(doc, ctx)).toEqual(expected);
  });

  it('says so when a content warning hides the text', () => {
    const url = 'https://social.example/home';
    const dom = new JSDOM(
      `<div class="status__wrapper status__wrapper-private"><div class="status status-private" data-id="117699441305221891">
         <div class="status__info"><a class="status__relative-time" href="/@kim/117699441305221891"><time datetime="2026-11-29T11:15:47.650Z">44m</time></a>
           <a class="status__display-name" href="/@kim" data-hover-card-account="5"><span class="display-name"><bdi><strong class="display-name__html">Kim</strong></bdi> <span class="display-name__account">@kim</span></span></a></div>
         <div class="content-warning"><p>about you</p><button type="button">Show more</button></div>
       </div></div>`,
      { url },
    );
    const ctx = ctxFor(url);
    const [el] = mastodon.findItems(dom.window.document, ctx);
    expect(mastodon.extract(el, ctx)).toEqual(
      ex(
        'post',
        { display_name: 'Kim', handle: 'kim@social.example', platform_account_id: '5', profile_url: 'https://social.example/@kim' },
        {
          platform_item_id: '117699441305221891',
          url: 'https://social.example/@kim/117699441305221891',
          posted_at: '2026-11-29T11:15:47.650Z',
          posted_at_text: '44m',
          posted_at_source: 'attribute',
          id_time: '2026-11-29T11:15:47.650Z',
          title: 'about you',
          text: null,
          in_reply_to: null,
          thread_id: null,
          visibility: 'private',
          media: [],
        },
        [{ code: 'content-hidden', message: 'The post is behind a content warning ("about you") that was not opened, so its text is not on the page.' }],
      ),
    );
  });
});

describe('mastodon: matching and ids', () => {
  it('matches only status-shaped URLs, on any domain', () => {
    expect(mastodon.matchesUrl(new URL('https://mastodon.social/@Gargron/109300299959535882'))).toBe(true);
    expect(mastodon.matchesUrl(new URL('https://any.example/@a_b@other.example/117698956748870050'))).toBe(true);
    expect(mastodon.matchesUrl(new URL('https://any.example/users/alice/statuses/117698956748870050'))).toBe(true);
    expect(mastodon.matchesUrl(new URL('https://mastodon.social/@Gargron'))).toBe(false);
    expect(mastodon.matchesUrl(new URL('https://mastodon.social/explore'))).toBe(false);
    expect(mastodon.matchesUrl(new URL('https://medium.com/@writer/my-post-1a2b3c'))).toBe(false);
  });
  it('does not claim ordinary pages', () => {
    const dom = new JSDOM('<meta property="og:site_name" content="Blog"><article><p>hi</p></article>', { url: 'https://blog.example/' });
    expect(mastodon.matchesDocument?.(dom.window.document, new URL('https://blog.example/'))).toBe(false);
  });
  it('decodes snowflake ids and refuses pre-snowflake ones', () => {
    expect(decodeMastodonId('109300299959535882')).toBe('2022-11-07T03:03:41.550Z');
    expect(decodeMastodonId('12345')).toBeNull();
  });
});
