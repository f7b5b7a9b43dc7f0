import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { Account, MediaRef, Message } from '../../../utils/shared/types';
import { twitterAdapter as x } from '../../../utils/content/platforms/twitter';
import { decodeXId } from '../../../utils/content/time';
import { loadFixture } from '../../helpers/fixtures';
import { extractionOf, item } from '../../helpers/extraction';

// Expected values were read by hand from the saved pages in ../shared/fixtures/platforms/twitter
// (author blocks, time[datetime], permalinks, text, media) and from our synthetic DM fixtures.
const capturedAt = new Date('2026-11-29T12:00:00Z');
const ctxFor = (url: string) => ({ url: new URL(url), capturedAt });

const ex = extractionOf('twitter');
const acc = (display_name: string | null, handle: string | null, origin = 'https://x.com', id: string | null = null): Account => ({
  display_name,
  handle,
  platform_account_id: id,
  profile_url: handle ? `${origin}/${handle}` : null,
});
const img = (url: string, alt: string | null = 'Image'): MediaRef => ({ kind: 'image', url, alt });
const streamed = (poster: string): MediaRef => ({
  kind: 'video',
  url: null,
  poster,
  why_missing: 'streamed video (blob: URL); only the poster frame is available',
});
const W = {
  quotedMedia: (n: number) => ({
    code: 'quoted-media',
    message: `The quoted post shows ${n} image(s) or video(s); they appear in the screenshot but are not listed in this record's media.`,
  }),
  headOnlyPost: {
    code: 'head-only',
    message:
      "Only the page's link-preview data (Open Graph / JSON-LD) was available; the post was not rendered, so its text may be shortened and its media, counts and reply context are missing.",
  },
  headOnlyProfile: {
    code: 'head-only',
    message:
      "Only the page's link-preview data (Open Graph / JSON-LD) was available; the profile itself was not rendered, so its header details and posts are missing.",
  },
  accountId: { code: 'account-id-missing', message: "X's numeric account id (which stays the same when the handle changes) was not found on the page." },
  inferred: {
    code: 'message-sender-inferred',
    message:
      "Who sent this message was inferred from the layout: X shows the other person's picture only beside the last message of each of their runs, and never beside your own. Check against the screenshot.",
  },
  unparsed: (shown: string) => ({ code: 'time-unparsed', message: `The time shown ("${shown}") could not be turned into a date.` }),
  idMissing: { code: 'item-id-missing', message: "The platform's id for this item was not found." },
};

describe('twitter: matching', () => {
  it('matches x.com, twitter.com and mobile.twitter.com, and nothing else', () => {
    for (const u of ['https://x.com/jack/status/20', 'https://twitter.com/jack', 'https://mobile.twitter.com/home', 'https://www.x.com/messages'])
      expect(x.matchesUrl(new URL(u))).toBe(true);
    for (const u of ['https://nox.com/jack', 'https://x.com.evil.example/jack', 'https://t.co/abc', 'https://bsky.app/profile/x.com', 'ftp://x.com/'])
      expect(x.matchesUrl(new URL(u))).toBe(false);
  });

  it('recognises a saved post by its markers, and not a foreign page', () => {
    const saved = loadFixture('twitter/tweetyoink__x-tweet-sample.html', 'https://example.org/saved.html');
    expect(x.matchesDocument?.(saved, new URL('https://example.org/saved.html'))).toBe(true);
    const other = new JSDOM('<article><p>hello</p></article>', { url: 'https://example.org/' }).window.document;
    expect(x.matchesDocument?.(other, new URL('https://example.org/'))).toBe(false);
  });
});

describe('twitter: focal post with a link card (tweetyoink__x-tweet-sample.html, article outerHTML)', () => {
  const url = 'https://x.com/TestUser123/status/1981398750557065646';
  const ctx = ctxFor(url);
  const doc = loadFixture('twitter/tweetyoink__x-tweet-sample.html', url);
  const items = x.findItems(doc, ctx);

  it('finds the one post; the text span encloses to it', () => {
    expect(items.length).toBe(1);
    expect(x.kindOf(items[0], ctx)).toBe('post');
    const span = doc.querySelector('[data-testid="tweetText"] span')!;
    expect(x.enclosingItem(span, ctx)).toBe(items[0]);
    expect(x.extractPage?.(doc, ctx)).toBeNull();
  });

  it('extracts author, id, time, text, card image and the link card (badge image excluded)', () => {
    expect(x.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        acc('Test User Account', 'TestUser123'),
        item({
          platform_item_id: '1981398750557065646',
          url: 'https://x.com/TestUser123/status/1981398750557065646',
          posted_at: '2025-10-23T16:34:09.000Z',
          posted_at_text: '7:34 PM · Oct 23, 2025',
          posted_at_source: 'attribute',
          id_time: '2025-10-23T16:34:09.398Z',
          text: "Democrat Shutdown Jeopardizes America's Skies",
          thread_id: '1981398750557065646',
          media: [img('https://pbs.twimg.com/card_img/1981050662210150400/oKLIYfJv?format=jpg&name=medium', '')],
          quoted: {
            platform_item_id: null,
            url: 'https://t.co/xYHSw5Tm00',
            account: null,
            text: "Democrat Shutdown Jeopardizes America's Skies\nFrom whitehouse.gov",
          },
          metrics: { replies: '48', reposts: '152', likes: '553', bookmarks: '9', views: '29.9K' },
        }),
      ),
    );
  });
});

describe('twitter: quote post on a timeline (tweetyoink__x-tweet-quote.html)', () => {
  const url = 'https://x.com/home';
  const ctx = ctxFor(url);
  const doc = loadFixture('twitter/tweetyoink__x-tweet-quote.html', url);
  const items = x.findItems(doc, ctx);

  it('finds one post; a span in the quoted card still encloses to the outer post', () => {
    expect(items.length).toBe(1);
    const quotedSpan = doc.querySelectorAll('[data-testid="tweetText"] span')[1];
    expect(quotedSpan.textContent).toMatch(/^This is the original quoted/);
    expect(x.enclosingItem(quotedSpan, ctx)).toBe(items[0]);
  });

  it('keeps the quoted post out of the text and media, with its own id from its photo link', () => {
    expect(x.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        acc('Test Quoter', 'TestQuoter'),
        item({
          platform_item_id: '1983130065320780162',
          url: 'https://x.com/TestQuoter/status/1983130065320780162',
          posted_at: '2025-10-28T11:13:47.000Z',
          posted_at_text: '4h',
          posted_at_source: 'attribute',
          id_time: '2025-10-28T11:13:47.004Z',
          text: 'This is a quote tweet with additional commentary',
          quoted: {
            platform_item_id: '1983129251856470493',
            url: 'https://x.com/OriginalAuthor/status/1983129251856470493',
            account: acc('Original Author', 'OriginalAuthor'),
            text: 'This is the original quoted tweet content that provides important context and information for the conversation',
          },
          metrics: { replies: '2.5K', reposts: '4.4K', likes: '25K', views: '2.5M' },
        }),
        [W.quotedMedia(1)],
      ),
    );
  });
});

describe('twitter: logged-out status pages (metascraper__x-post*.html)', () => {
  it('plain post (metascraper__x-post.html): @mention inline, id decoded as a cross-check', () => {
    const url = 'https://x.com/realDonaldTrump/status/1222907250383245320';
    const ctx = ctxFor(url);
    const doc = loadFixture('twitter/metascraper__x-post.html', url);
    const items = x.findItems(doc, ctx);
    expect(items.length).toBe(1);
    expect(x.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        acc('Donald J. Trump', 'realDonaldTrump'),
        item({
          platform_item_id: '1222907250383245320',
          url: 'https://x.com/realDonaldTrump/status/1222907250383245320',
          posted_at: '2020-01-30T15:39:43.000Z',
          posted_at_text: '4:39 PM · Jan 30, 2020',
          posted_at_source: 'attribute',
          id_time: '2020-01-30T15:39:43.666Z',
          text: '“Schiff blasted for not focusing on California homeless.” @foxandfriends His District is in terrible shape. He is a corrupt pol who only dreams of the Impeachment Hoax. In my opinion he is mentally deranged!',
          thread_id: '1222907250383245320',
          metrics: { replies: '18K', reposts: '15K', likes: '76K', bookmarks: '49' },
        }),
      ),
    );
    expect(x.extractPage?.(doc, ctx)).toBeNull();
  });

  it('streamed video (metascraper__x-post-video.html): poster only, the player poster <img> not doubled', () => {
    const url = 'https://x.com/verge/status/957383241714970624';
    const ctx = ctxFor(url);
    const doc = loadFixture('twitter/metascraper__x-post-video.html', url);
    const items = x.findItems(doc, ctx);
    expect(items.length).toBe(1);
    expect(x.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        acc('The Verge', 'verge'),
        item({
          platform_item_id: '957383241714970624',
          url: 'https://x.com/verge/status/957383241714970624',
          posted_at: '2018-01-27T22:42:06.000Z',
          posted_at_text: '11:42 PM · Jan 27, 2018',
          posted_at_source: 'attribute',
          id_time: '2018-01-27T22:42:06.802Z',
          text: 'Is it bad to blow into game cartridges?',
          thread_id: '957383241714970624',
          media: [streamed('https://pbs.twimg.com/media/DRg1OMRVwAEuwTK.jpg')],
          metrics: { replies: '15', reposts: '64', likes: '122' },
        }),
      ),
    );
  });

  it('GIF (metascraper__x-post-gif.html): mp4 source kept, link text keeps its hidden "http://"', () => {
    const url = 'https://x.com/Kikobeats/status/880139124791029763';
    const ctx = ctxFor(url);
    const doc = loadFixture('twitter/metascraper__x-post-gif.html', url);
    const items = x.findItems(doc, ctx);
    expect(items.length).toBe(1);
    expect(x.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        acc('Kiko Beats', 'Kikobeats'),
        item({
          platform_item_id: '880139124791029763',
          url: 'https://x.com/Kikobeats/status/880139124791029763',
          posted_at: '2017-06-28T19:01:34.000Z',
          posted_at_text: '9:01 PM · Jun 28, 2017',
          posted_at_source: 'attribute',
          id_time: '2017-06-28T19:01:34.201Z',
          text: 'Experimenting with Clearbit API + Apple TV 3D Parallax http://bit.ly/2tVueZ0',
          thread_id: '880139124791029763',
          media: [
            {
              kind: 'video',
              url: 'https://video.twimg.com/tweet_video/DDbh3WCXYAAZfz9.mp4',
              poster: 'https://pbs.twimg.com/tweet_video_thumb/DDbh3WCXYAAZfz9.jpg',
              why_missing: null,
            },
          ],
          metrics: { replies: '3', reposts: '4', likes: '25' },
        }),
      ),
    );
  });

  it('link card (metascraper__x-post-link.html): the id-decoded time agrees with the attribute', () => {
    const url = 'https://x.com/Forbes/status/2016058596782670275';
    const ctx = ctxFor(url);
    const doc = loadFixture('twitter/metascraper__x-post-link.html', url);
    const items = x.findItems(doc, ctx);
    expect(items.length).toBe(1);
    const e = x.extract(items[0], ctx);
    expect(e).toEqual(
      ex(
        'post',
        acc('Forbes', 'Forbes'),
        item({
          platform_item_id: '2016058596782670275',
          url: 'https://x.com/Forbes/status/2016058596782670275',
          posted_at: '2026-01-27T08:00:00.000Z',
          posted_at_text: '9:00 AM · Jan 27, 2026',
          posted_at_source: 'attribute',
          id_time: '2026-01-27T08:00:00.687Z',
          text: 'Is Wellness The New Happy Hour? As Socializing Changes, $22 Billion In Liquor Sits Unsold',
          thread_id: '2016058596782670275',
          media: [img('https://pbs.twimg.com/card_img/2015705388792918017/sQmPzqwO?format=jpg&name=900x900', '')],
          quoted: {
            platform_item_id: null,
            url: 'https://t.co/07aUgF8gJs',
            account: null,
            text: 'Is Wellness The New Happy Hour? As Socializing Changes, $22 Billion In Liquor Sits Unsold\nFrom forbes.com',
          },
          metrics: { replies: '3', reposts: '1', likes: '7', bookmarks: '2', views: '3,692' },
        }),
      ),
    );
    expect(Math.abs(Date.parse(e.item.id_time!) - Date.parse(e.item.posted_at!))).toBeLessThan(1000);
  });
});

describe('twitter: bot / SSR head-only pages', () => {
  it('post (metascraper__x-post-og.html): no post DOM, record from Open Graph, time from the id', () => {
    const url = 'https://twitter.com/realDonaldTrump/status/1222907250383245320';
    const ctx = ctxFor(url);
    const doc = loadFixture('twitter/metascraper__x-post-og.html', url);
    expect(x.findItems(doc, ctx)).toEqual([]);
    expect(x.extractPage?.(doc, ctx)).toEqual(
      ex(
        'post',
        acc('Donald J. Trump', 'realDonaldTrump', 'https://twitter.com'),
        item({
          platform_item_id: '1222907250383245320',
          url: 'https://twitter.com/realDonaldTrump/status/1222907250383245320',
          posted_at: '2020-01-30T15:39:43.666Z',
          posted_at_text: '1222907250383245320',
          posted_at_source: 'id-decoded',
          id_time: '2020-01-30T15:39:43.666Z',
          // og:image is the author's avatar here, so no media.
          text: '“Schiff blasted for not focusing on California homeless.” @foxandfriends His District is in terrible shape. He is a corrupt pol who only dreams of the Impeachment Hoax. In my opinion he is mentally deranged!',
        }),
        [W.headOnlyPost],
      ),
    );
  });

  it('profile (metascraper__x-profile-og.html): og:type profile, avatar kept as the profile picture', () => {
    const url = 'https://x.com/Kikobeats';
    const ctx = ctxFor(url);
    const doc = loadFixture('twitter/metascraper__x-profile-og.html', url);
    expect(x.findItems(doc, ctx)).toEqual([]);
    expect(x.extractPage?.(doc, ctx)).toEqual(
      ex(
        'profile',
        acc('#!/kiko/beats', 'Kikobeats'),
        item({
          url: 'https://x.com/Kikobeats',
          title: '#!/kiko/beats',
          text: 'engineering ▲ @vercel; founder of\nhttps://t.co/4PQvCsVNsA\nhttps://t.co/fpiHwbEPBv\nhttps://t.co/IG8Qq0IDKi\nhttps://t.co/gblDRx1P9D\nhttps://t.co/SmoZi3hAhb\nhttps://t.co/Y0Uk1XU3Eu\nhttps://t.co/PAq3eTEhmI',
          media: [img('https://pbs.twimg.com/profile_images/1846292082501054464/oKUC44PF_200x200.jpg', null)],
        }),
        [W.headOnlyProfile, W.accountId],
      ),
    );
  });

  it('SocialMediaPosting / ProfilePage JSON-LD, when X serves them, win over Open Graph', () => {
    const postUrl = 'https://x.com/TestUser123/status/1981398750557065646';
    const post = new JSDOM(
      `<html><head><meta property="og:type" content="article"><meta property="og:description" content="short">
      <script type="application/ld+json">{"@context":"https://schema.org","@type":"SocialMediaPosting","identifier":"1981398750557065646",
      "url":"${postUrl}","datePublished":"2025-10-23T16:34:09.000Z","articleBody":"Full text of the post",
      "author":{"@type":"Person","name":"Test User","additionalName":"TestUser123","identifier":"42","url":"https://x.com/TestUser123"},
      "image":{"@type":"ImageObject","contentUrl":"https://pbs.twimg.com/media/Abc123.jpg"}}</script></head><body></body></html>`,
      { url: postUrl },
    ).window.document;
    expect(x.extractPage?.(post, ctxFor(postUrl))).toEqual(
      ex(
        'post',
        acc('Test User', 'TestUser123', 'https://x.com', '42'),
        item({
          platform_item_id: '1981398750557065646',
          url: postUrl,
          posted_at: '2025-10-23T16:34:09.000Z',
          posted_at_text: '2025-10-23T16:34:09.000Z',
          posted_at_source: 'json',
          id_time: '2025-10-23T16:34:09.398Z',
          text: 'Full text of the post',
          media: [img('https://pbs.twimg.com/media/Abc123.jpg', null)],
        }),
        [W.headOnlyPost],
      ),
    );

    const profUrl = 'https://x.com/TestUser123';
    const prof = new JSDOM(
      `<html><head><script type="application/ld+json" data-testid="UserProfileSchema-test">{"@context":"http://schema.org","@type":"ProfilePage",
      "mainEntity":{"@type":"Person","additionalName":"TestUser123","name":"Test User","identifier":"42","description":"bio line",
      "url":"https://x.com/TestUser123","image":{"@type":"ImageObject","contentUrl":"https://pbs.twimg.com/profile_images/1/a_400x400.jpg"},
      "interactionStatistic":[{"@type":"InteractionCounter","interactionType":"https://schema.org/FollowAction","userInteractionCount":12}]}}</script></head><body></body></html>`,
      { url: profUrl },
    ).window.document;
    expect(x.extractPage?.(prof, ctxFor(profUrl))).toEqual(
      ex(
        'profile',
        acc('Test User', 'TestUser123', 'https://x.com', '42'),
        item({
          platform_item_id: '42',
          url: profUrl,
          title: 'Test User',
          text: 'bio line',
          media: [img('https://pbs.twimg.com/profile_images/1/a_400x400.jpg', null)],
          metrics: { followers: '12' },
        }),
        [W.headOnlyProfile],
      ),
    );
  });
});

describe('twitter: 2023 thread with replies, old "User-Names" testid (metascraper-2023__twitter-tweet-thread.html)', () => {
  const url = 'https://twitter.com/realDonaldTrump/status/1222907250383245320';
  const ctx = ctxFor(url);
  const doc = loadFixture('twitter/metascraper-2023__twitter-tweet-thread.html', url);
  const items = x.findItems(doc, ctx);

  it('finds the focal post and 6 replies', () => {
    expect(items.length).toBe(7);
    expect(items.map((e) => x.kindOf(e, ctx))).toEqual(['post', 'comment', 'comment', 'comment', 'comment', 'comment', 'comment']);
    const deep = items[2].querySelector('[data-testid="tweetText"] span')!;
    expect(x.enclosingItem(deep, ctx)).toBe(items[2]);
    expect(x.extractPage?.(doc, ctx)).toBeNull();
  });

  it('places each reply from its "Replying to" line and position', () => {
    const rows = items.map((e) => x.extract(e, ctx)).map((e) => [e.account?.handle, e.item.platform_item_id, e.item.in_reply_to]);
    expect(rows).toEqual([
      ['realDonaldTrump', '1222907250383245320', null],
      ['MatthewJshow', '1222907557704097798', '1222907250383245320'],
      // "Replying to @MatthewJshow @realDonaldTrump and @foxandfriends", right under MatthewJshow's reply.
      ['morten', '1223006600887177216', '1222907557704097798'],
      ['real_defender', '1222908555868745728', '1222907250383245320'],
      ['jmatthews1065', '1222915784546177024', '1222908555868745728'],
      ['JeffreyGuterman', '1222907314199396352', '1222907250383245320'],
      ['MyDaughtersArmy', '1222907451726618630', '1222907250383245320'],
    ]);
  });

  it('extracts the focal post with its 2023 count links', () => {
    expect(x.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        acc('Donald J. Trump', 'realDonaldTrump', 'https://twitter.com'),
        item({
          platform_item_id: '1222907250383245320',
          url: 'https://twitter.com/realDonaldTrump/status/1222907250383245320',
          posted_at: '2020-01-30T15:39:43.000Z',
          posted_at_text: '4:39 PM · Jan 30, 2020',
          posted_at_source: 'attribute',
          id_time: '2020-01-30T15:39:43.666Z',
          text: '“Schiff blasted for not focusing on California homeless.” @foxandfriends His District is in terrible shape. He is a corrupt pol who only dreams of the Impeachment Hoax. In my opinion he is mentally deranged!',
          thread_id: '1222907250383245320',
          metrics: { reposts: '13.8K', quotes: '2,560', likes: '78.6K' },
        }),
      ),
    );
  });

  it('extracts a nested reply with a photo', () => {
    expect(x.extract(items[2], ctx)).toEqual(
      ex(
        'comment',
        acc('Morten Øverbye', 'morten', 'https://twitter.com'),
        item({
          platform_item_id: '1223006600887177216',
          url: 'https://twitter.com/morten/status/1223006600887177216',
          posted_at: '2020-01-30T22:14:30.000Z',
          posted_at_text: 'Jan 30, 2020',
          posted_at_source: 'attribute',
          id_time: '2020-01-30T22:14:30.672Z',
          text: 'The President retweeted this. Calling for unwarranted investigations of political opponents is his modus operandi.',
          in_reply_to: '1222907557704097798',
          thread_id: '1222907250383245320',
          media: [img('https://pbs.twimg.com/media/EPj-BOaWoAIE8u_?format=jpg&name=medium')],
          metrics: { replies: '7', reposts: '8', likes: '61' },
        }),
      ),
    );
  });

  it('extracts the last reply: line breaks kept, a long URL read whole without its "…"', () => {
    expect(x.extract(items[6], ctx)).toEqual(
      ex(
        'comment',
        acc('Greg Hogben', 'MyDaughtersArmy', 'https://twitter.com'),
        item({
          platform_item_id: '1222907451726618630',
          url: 'https://twitter.com/MyDaughtersArmy/status/1222907451726618630',
          posted_at: '2020-01-30T15:40:31.000Z',
          posted_at_text: 'Jan 30, 2020',
          posted_at_source: 'attribute',
          id_time: '2020-01-30T15:40:31.670Z',
          text: 'Lindsey Graham was ‘in the loop’ in efforts to pressure Ukraine to investigate the Bidens.\n\nParnas: “Rudy told me not once, but on several occasions that he spoke to Lindsey Graham about the situation - that Lindsey was always aware.”\n\n#LindseyKnew\n\nhttps://mydaughtersarmy.org/lev-parnas-lindsey-graham-was-in-the-loop-to-get-ukraine-to-uncover-dirt-on-biden/',
          in_reply_to: '1222907250383245320',
          thread_id: '1222907250383245320',
          metrics: { replies: '8', reposts: '8', likes: '46' },
        }),
      ),
    );
  });
});

describe('twitter: profile page, 2025 (metascraper__x-profile.html)', () => {
  const url = 'https://x.com/kikobeats';
  const ctx = ctxFor(url);
  const doc = loadFixture('twitter/metascraper__x-profile.html', url);
  const items = x.findItems(doc, ctx);
  const profile = ex(
    'profile',
    acc('Kiko Beats', 'Kikobeats', 'https://x.com', '101198215'),
    item({
      platform_item_id: '101198215',
      url: 'https://x.com/Kikobeats',
      title: 'Kiko Beats',
      text: 'Building web infra & open source\nRunning http://microlink.io · http://unavatar.io\nFormerly @vercel ▲\n\nPORT_ALREADY_USED\nkikobeats.com\nJoined January 2010',
      media: [
        img('https://pbs.twimg.com/profile_banners/101198215/1642178805/1500x500', ''),
        img('https://pbs.twimg.com/profile_images/2000931726244106244/Ty7-KT2j_400x400.jpg', 'Opens profile photo'),
      ],
      metrics: { following: '406', followers: '3,893' },
    }),
  );

  it('finds the profile header then 3 posts', () => {
    expect(items.length).toBe(4);
    expect(items.map((e) => x.kindOf(e, ctx))).toEqual(['profile', 'post', 'post', 'post']);
    const bio = doc.querySelector('[data-testid="UserDescription"] a')!;
    expect(x.enclosingItem(bio, ctx)).toBe(items[0]);
  });

  it('extracts the header (numeric id from JSON-LD) and the same record as the page', () => {
    expect(x.extract(items[0], ctx)).toEqual(profile);
    expect(x.extractPage?.(doc, ctx)).toEqual(profile);
  });

  it('extracts the pinned post: two photos, pretty-printed markup whitespace dropped', () => {
    expect(x.extract(items[1], ctx)).toEqual(
      ex(
        'post',
        acc('Kiko Beats', 'Kikobeats', 'https://x.com', '101198215'),
        item({
          platform_item_id: '1759241476758733209',
          url: 'https://x.com/Kikobeats/status/1759241476758733209',
          posted_at: '2024-02-18T15:40:27.000Z',
          posted_at_text: 'Feb 18, 2024',
          posted_at_source: 'attribute',
          id_time: '2024-02-18T15:40:27.842Z',
          text: 'Making some @microlinkhq t-shirts, oversized style.\nPing me if you want one!',
          media: [
            img('https://pbs.twimg.com/media/GGoUy3NWoAATSe8?format=jpg&name=900x900'),
            img('https://pbs.twimg.com/media/GGoUy3KXgAA5THj?format=jpg&name=900x900'),
          ],
          metrics: { replies: '10', reposts: '1', likes: '27', views: '11K' },
        }),
      ),
    );
  });

  it('extracts the last post: a quote of a photo-only reply (its "Replying to" is not ours)', () => {
    expect(x.extract(items[3], ctx)).toEqual(
      ex(
        'post',
        acc('Kiko Beats', 'Kikobeats', 'https://x.com', '101198215'),
        item({
          platform_item_id: '1935738866390253649',
          url: 'https://x.com/Kikobeats/status/1935738866390253649',
          posted_at: '2025-06-19T16:38:04.000Z',
          posted_at_text: 'Jun 19',
          posted_at_source: 'attribute',
          id_time: '2025-06-19T16:38:04.693Z',
          text: "It's online https://vercel.vercel.vercel.app",
          quoted: {
            platform_item_id: '1935417542534906135',
            url: 'https://x.com/rauchg/status/1935417542534906135',
            account: acc('Guillermo Rauch', 'rauchg'),
            text: null,
          },
          metrics: { replies: '36', reposts: '31', likes: '767', views: '101K' },
        }),
        [W.quotedMedia(1)],
      ),
    );
  });
});

describe('twitter: profile page with videos (metascraper__x-profile-video.html)', () => {
  const url = 'https://x.com/javilop';
  const ctx = ctxFor(url);
  const doc = loadFixture('twitter/metascraper__x-profile-video.html', url);
  const items = x.findItems(doc, ctx);
  const author = acc('Javi López ⛩️', 'javilop', 'https://x.com', '16045832');

  it('finds the header and 4 posts; header record = page record', () => {
    expect(items.length).toBe(5);
    expect(items.map((e) => x.kindOf(e, ctx))).toEqual(['profile', 'post', 'post', 'post', 'post']);
    const expected = ex(
      'profile',
      author,
      item({
        platform_item_id: '16045832',
        url: 'https://x.com/javilop',
        title: 'Javi López ⛩️',
        text: 'Comparto tutoriales, herramientas y noticias de IA. Y también chorradas.\n\nFundador @Magnific_AI (acq. por @freepik)\n\n🗞️ Newsletter: https://bit.ly/4ahq8i4\n\nJoined August 2008',
        media: [
          img('https://pbs.twimg.com/profile_banners/16045832/1759061311/1500x500', ''),
          img('https://pbs.twimg.com/profile_images/1581679886267301888/BHGZpOc6_400x400.jpg', 'Opens profile photo'),
        ],
        metrics: { following: '1,351', followers: '86.4K' },
      }),
    );
    expect(x.extract(items[0], ctx)).toEqual(expected);
    expect(x.extractPage?.(doc, ctx)).toEqual(expected);
  });

  it('extracts the first post: emoji kept in text, streamed video', () => {
    expect(x.extract(items[1], ctx)).toEqual(
      ex(
        'post',
        author,
        item({
          platform_item_id: '1891903285470388521',
          url: 'https://x.com/javilop/status/1891903285470388521',
          posted_at: '2025-02-18T17:31:07.000Z',
          posted_at_text: 'Feb 18',
          posted_at_source: 'attribute',
          id_time: '2025-02-18T17:31:07.776Z',
          text: '⚡ Magnific en la gran pantalla.\n\n¡POR FIN PUEDO HABLAR DE ESTO!\n\nEl equipo de VFX de Here (dir. Robert Zemeckis y protagonizada por Robin Wright y Tom Hanks) ha usado Magnific para sus FX 🤯\n\nPara contaros todo (y más), he entrevistado al supervisor de VFX Kevin Baillie 🧵👇',
          media: [streamed('https://pbs.twimg.com/amplify_video_thumb/1891903008298135552/img/Z5A5jCs9MTEaDUkv.jpg')],
          metrics: { replies: '68', reposts: '131', likes: '684', views: '125K' },
        }),
      ),
    );
  });

  it('extracts the last post', () => {
    expect(x.extract(items[4], ctx)).toEqual(
      ex(
        'post',
        author,
        item({
          platform_item_id: '1954943693871632665',
          url: 'https://x.com/javilop/status/1954943693871632665',
          posted_at: '2025-08-11T16:31:12.000Z',
          posted_at_text: 'Aug 11',
          posted_at_source: 'attribute',
          id_time: '2025-08-11T16:31:12.373Z',
          text: 'El robot: ¿Tenés cargador?\nLa chica: NO\nEl robot: ¿Y ese puerto?',
          media: [streamed('https://pbs.twimg.com/ext_tw_video_thumb/1954943673902170114/pu/img/h3NeBOTuTam0cQnu.jpg')],
          metrics: { replies: '334', reposts: '3.6K', likes: '47K', views: '2.6M' },
        }),
      ),
    );
  });
});

describe('twitter: profile page, January 2023 (metascraper-2023__twitter-profile.html)', () => {
  const url = 'https://twitter.com/Kikobeats';
  const ctx = ctxFor(url);
  const doc = loadFixture('twitter/metascraper-2023__twitter-profile.html', url);
  const items = x.findItems(doc, ctx);
  const author = acc('#!/kiko/beats', 'Kikobeats', 'https://twitter.com', '101198215');

  it('finds the header and 2 posts; the numeric id comes from the 2023 JSON-LD "author" shape', () => {
    expect(items.length).toBe(3);
    expect(items.map((e) => x.kindOf(e, ctx))).toEqual(['profile', 'post', 'post']);
    const expected = ex(
      'profile',
      author,
      item({
        platform_item_id: '101198215',
        url: 'https://twitter.com/Kikobeats',
        title: '#!/kiko/beats',
        text: 'engineering ▲ @vercel; founder of\nhttp://microlink.io\nhttp://teslahunt.io\nhttp://unavatar.io\nhttp://keyv.js.org\nhttp://osom.js.org\nhttp://browserless.js.org\nhttp://metascraper.js.org\n\nPORT_ALREADY_USED\nkikobeats.com\nJoined January 2010',
        media: [
          img('https://pbs.twimg.com/profile_banners/101198215/1642178805/1500x500', ''),
          img('https://pbs.twimg.com/profile_images/1564907557512269826/H6O8VFZL_400x400.jpg', 'Opens profile photo'),
        ],
        metrics: { following: '393', followers: '3,324' },
      }),
    );
    expect(x.extract(items[0], ctx)).toEqual(expected);
    expect(x.extractPage?.(doc, ctx)).toEqual(expected);
  });

  it('extracts the pinned post with a 2023 link card (emoji kept)', () => {
    expect(x.extract(items[1], ctx)).toEqual(
      ex(
        'post',
        author,
        item({
          platform_item_id: '1379344411402891264',
          url: 'https://twitter.com/Kikobeats/status/1379344411402891264',
          posted_at: '2021-04-06T08:05:09.000Z',
          posted_at_text: 'Apr 6, 2021',
          posted_at_source: 'attribute',
          id_time: '2021-04-06T08:05:09.315Z',
          text: 'Microlink Cards is officially out 🔥\n\nAn interactive code editor for creating social images that you can embed directly in your <meta> tags.\n\nData. Code. Remix.',
          media: [img('https://pbs.twimg.com/card_img/1607702521086107648/3LaVpy18?format=jpg&name=medium', '')],
          quoted: {
            platform_item_id: null,
            url: 'https://t.co/HPmdXZCNtM',
            account: null,
            text: 'producthunt.com\nmicrolink.io - Product Information, Latest Updates, and Reviews 2022 | Product Hunt\nExtract structured data from any website. Enter an URL, receive information. Get relevant information from any link & easily create beautiful previews.',
          },
          metrics: { replies: '1', reposts: '6', likes: '36' },
        }),
      ),
    );
  });

  it('extracts the second post', () => {
    expect(x.extract(items[2], ctx)).toEqual(
      ex(
        'post',
        author,
        item({
          platform_item_id: '1603752208457412609',
          url: 'https://twitter.com/Kikobeats/status/1603752208457412609',
          posted_at: '2022-12-16T14:01:37.000Z',
          posted_at_text: 'Dec 16',
          posted_at_source: 'attribute',
          id_time: '2022-12-16T14:01:37.428Z',
          text: 'Trying to break things – what could be the max URL length supported?\n\nhttp://test-length.vercel.app',
          media: [img('https://pbs.twimg.com/media/FkGsCQ9WIAAtWbl?format=jpg&name=medium')],
          metrics: { replies: '1', likes: '2', views: '428' },
        }),
      ),
    );
  });
});

describe('twitter: X Article, logged in (defuddle__x-article-loggedin-2026.html)', () => {
  const url = 'https://x.com/arscontexta/status/2013045749580259680';
  const ctx = ctxFor(url);
  const doc = loadFixture('twitter/defuddle__x-article-loggedin-2026.html', url);
  const items = x.findItems(doc, ctx);

  it('finds the one post (the logged-in side bar and drawers are not items)', () => {
    expect(items.length).toBe(1);
    expect(x.kindOf(items[0], ctx)).toBe('post');
    const heading = doc.querySelector('[data-testid="longformRichTextComponent"] h2')!;
    expect(x.enclosingItem(heading, ctx)).toBe(items[0]);
    expect(x.extractPage?.(doc, ctx)).toBeNull();
  });

  it('extracts title, long-form body, cover image and the viewer-state counts', () => {
    const e = x.extract(items[0], ctx);
    expect(e).toEqual(
      ex(
        'post',
        acc('Heinrich', 'arscontexta'),
        item({
          platform_item_id: '2013045749580259680',
          url: 'https://x.com/arscontexta/status/2013045749580259680',
          posted_at: '2026-01-19T00:28:01.000Z',
          posted_at_text: '4:28 PM · Jan 18, 2026',
          posted_at_source: 'attribute',
          id_time: '2026-01-19T00:28:01.938Z',
          title: 'obsidian + claude code 101',
          text: expect.any(String) as unknown as string,
          thread_id: '2013045749580259680',
          media: [img('https://pbs.twimg.com/media/G-_GGKzXkAAHz_w?format=jpg&name=medium')],
          metrics: { replies: '76', reposts: '234', likes: '2.3K', bookmarks: '8.1K', views: '1.1M' },
        }),
      ),
    );
    const text = e.item.text!;
    expect(text.length).toBe(9844);
    expect(text.startsWith('ive spent the last year building an operating system for thinking with ai. claude code runs my obsidian vaults\n\nit extracts the key concepts')).toBe(true);
    // A soft line break inside a paragraph stays a single break; paragraphs and headings are separated by a blank line.
    expect(text).toContain('the methodology becomes part of the system\nits all just markdown files, you own it completely.');
    expect(text).toContain('\n\nknowledge = code?\n\ni realized: knowledge bases and codebases have a lot in common');
    // Code blocks keep their own line breaks and indentation.
    expect(text).toContain('my-vault/\n├── 00_inbox/           # capture zone, zero friction\n├── 01_thinking/        # your notes and synthesis\n│   └── notes/');
    expect(text.endsWith('if you want to see how this evolves, follow along. im open sourcing my notes soon\n\nheinrich')).toBe(true);
  });
});

describe('twitter: classic direct messages (synthetic tests/fixtures/messaging/twitter-dm.html)', () => {
  const url = 'https://x.com/messages/1234567890-1700000000';
  const ctx = ctxFor(url);
  const doc = loadFixture('messaging/twitter-dm.html', url, true);
  const items = x.findItems(doc, ctx);
  const rowan = acc('Rowan Sample', 'rowan_sample');
  const mira = acc('Mira Example', 'mira_example');
  const dmUrl = 'https://x.com/messages/1234567890-1700000000';
  const photo = img('https://ton.twitter.com/1.1/ton/data/dm/2126934484715569152/2126934482849103873/Qx7Yb2Lp.jpg?name=small');
  const messages: Message[] = [
    { id: null, sender: rowan, outgoing: false, sent_at: null, sent_at_text: null, sent_at_source: null, text: 'hey, saw your post about the community garden 🌱', media: [] },
    { id: null, sender: rowan, outgoing: false, sent_at: null, sent_at_text: '9:41 PM', sent_at_source: 'text', text: 'you should be more careful\nwho you talk to', media: [] },
    { id: null, sender: mira, outgoing: true, sent_at: null, sent_at_text: '9:45 PM', sent_at_source: 'text', text: 'Please stop messaging me.', media: [] },
    // The photo's URL carries the DM event id, a snowflake: its time is decoded.
    { id: '2126934484715569152', sender: rowan, outgoing: false, sent_at: '2026-11-29T07:01:12.345Z', sent_at_text: '2126934484715569152', sent_at_source: 'id-decoded', text: null, media: [photo] },
    { id: null, sender: rowan, outgoing: false, sent_at: null, sent_at_text: '7:02 AM', sent_at_source: 'text', text: 'I know where that is. See you at 8:00 tomorrow @mira_example', media: [] },
    { id: null, sender: mira, outgoing: true, sent_at: null, sent_at_text: '7:10 AM', sent_at_source: 'text', text: 'I have reported this account.', media: [] },
  ];

  it('finds the conversation then its 6 messages (the inbox row and composer are not items)', () => {
    expect(items.length).toBe(7);
    expect(items.map((e) => x.kindOf(e, ctx))).toEqual(['conversation', 'message', 'message', 'message', 'message', 'message', 'message']);
    expect(items[0].getAttribute('data-testid')).toBe('DmActivityContainer');
    const emoji = doc.querySelector('[data-testid="messageEntry"] img[src*="/emoji/"]')!;
    expect(emoji.getAttribute('alt')).toBe('🌱');
    expect(x.enclosingItem(emoji, ctx)).toBe(items[1]);
    expect(x.enclosingItem(doc.querySelector('[data-testid="DmActivityContainer"] h2 span')!, ctx)).toBe(items[0]);
    expect(x.extractPage?.(doc, ctx)).toBeNull();
  });

  it('extracts the conversation: the other person, every message with sender, direction, time as shown', () => {
    expect(x.extract(items[0], ctx)).toEqual(
      ex(
        'conversation',
        rowan,
        item({
          platform_item_id: '1234567890-1700000000',
          url: dmUrl,
          title: 'Rowan Sample',
          thread_id: '1234567890-1700000000',
          visibility: 'private',
          posted_at_text: '7:10 AM',
          posted_at_source: 'text',
        }),
        [
          {
            code: 'message-sender-inferred',
            message:
              "Who sent 4 of the 6 messages was inferred from the layout: X shows the other person's picture only beside the last message of each of their runs, and never beside your own. Check against the screenshot.",
          },
          { code: 'message-time-missing', message: '1 of the 6 messages show no time of their own (X prints one time under each run of messages).' },
          {
            code: 'message-time-text',
            message: '4 message time(s) are shown only as clock text without a machine-readable date; they are recorded as displayed.',
          },
          W.unparsed('7:10 AM'),
        ],
        messages,
      ),
    );
  });

  it('extracts one received message (the photo) on its own, with its decoded id time', () => {
    expect(x.extract(items[4], ctx)).toEqual(
      ex(
        'message',
        rowan,
        item({
          platform_item_id: '2126934484715569152',
          url: dmUrl,
          posted_at: '2026-11-29T07:01:12.345Z',
          posted_at_text: '2126934484715569152',
          posted_at_source: 'id-decoded',
          id_time: '2026-11-29T07:01:12.345Z',
          thread_id: '1234567890-1700000000',
          visibility: 'private',
          media: [photo],
        }),
        [W.inferred],
        [messages[3]],
      ),
    );
    expect(decodeXId('2126934484715569152')).toBe('2026-11-29T07:01:12.345Z');
  });

  it("extracts one of the viewer's own messages, flagged as outgoing", () => {
    expect(x.extract(items[3], ctx)).toEqual(
      ex(
        'message',
        mira,
        item({
          url: dmUrl,
          posted_at_text: '9:45 PM',
          posted_at_source: 'text',
          text: 'Please stop messaging me.',
          thread_id: '1234567890-1700000000',
          visibility: 'private',
        }),
        [W.inferred, { code: 'message-outgoing', message: 'This message was sent by the logged-in account, not received.' }, W.idMissing, W.unparsed('9:45 PM')],
        [messages[2]],
      ),
    );
  });
});

describe('twitter: 2025 Chat direct messages (synthetic tests/fixtures/messaging/twitter-chat.html)', () => {
  const url = 'https://x.com/i/chat/1234567890-1700000000';
  const ctx = ctxFor(url);
  const doc = loadFixture('messaging/twitter-chat.html', url, true);
  const items = x.findItems(doc, ctx);
  const rowan = acc('Rowan Sample', 'rowan_sample');

  it('finds the conversation pane (not the inbox) and 3 message rows', () => {
    expect(items.length).toBe(4);
    expect(items.map((e) => x.kindOf(e, ctx))).toEqual(['conversation', 'message', 'message', 'message']);
    expect(items[0].getAttribute('data-testid')).toBe('dm-conversation-panel');
    const span = doc.querySelector('[data-testid^="message-text-0d9e7a34"] span')!;
    expect(x.enclosingItem(span, ctx)).toBe(items[2]);
  });

  it('names senders by matching a bare avatar picture to the header, ids from the row test ids', () => {
    expect(x.extract(items[0], ctx)).toEqual(
      ex(
        'conversation',
        rowan,
        item({
          platform_item_id: '1234567890-1700000000',
          url: 'https://x.com/i/chat/1234567890-1700000000',
          thread_id: '1234567890-1700000000',
          visibility: 'private',
          posted_at_text: '11:57 AM',
          posted_at_source: 'text',
          // The chat header shows no heading.
          title: null,
        }),
        [
          {
            code: 'message-sender-inferred',
            message:
              "Who sent 2 of the 3 messages was inferred from the layout: X shows the other person's picture only beside the last message of each of their runs, and never beside your own. Check against the screenshot.",
          },
          { code: 'message-time-missing', message: '1 of the 3 messages show no time of their own (X prints one time under each run of messages).' },
          {
            code: 'message-time-text',
            message: '2 message time(s) are shown only as clock text without a machine-readable date; they are recorded as displayed.',
          },
          W.unparsed('11:57 AM'),
        ],
        [
          { id: '6b1f0c52-93a4-4d2e-8f61-0c7a5e2d9b11', sender: rowan, outgoing: false, sent_at: null, sent_at_text: null, sent_at_source: null, text: 'why did you block me on the other account', media: [] },
          {
            id: '0d9e7a34-58c1-4b7f-a2e0-3f4b6c8d1e22',
            sender: rowan,
            outgoing: false,
            sent_at: null,
            sent_at_text: '11:32 AM',
            sent_at_source: 'text',
            text: 'this is your street right?',
            media: [img('https://ton.twitter.com/i/ton/data/dm/2126988000000000000/2126987990000000000/Kp3Vw8Qz.jpg?name=small')],
          },
          { id: '9c2d4e61-7f0a-4a3b-b5c8-6d1e2f3a4b33', sender: acc('Mira Example', 'mira_example'), outgoing: true, sent_at: null, sent_at_text: '11:57 AM', sent_at_source: 'text', text: 'Stop.', media: [] },
        ],
      ),
    );
  });
});

describe('twitter: odd DOM and labels', () => {
  const url = 'https://x.com/home';
  const ctx = ctxFor(url);

  it('records a repost, a cut-short text and a protected author as such', () => {
    const doc = new JSDOM(
      `<article data-testid="tweet" role="article">
        <a href="/mallory_x" role="link"><span data-testid="socialContext">Mallory reposted</span></a>
        <div data-testid="User-Name"><a href="/quiet_author" role="link"><div dir="ltr"><span>Quiet Author</span></div>
          <svg data-testid="icon-lock" aria-label="Protected account"></svg></a>
          <a href="/quiet_author" role="link" tabindex="-1"><div dir="ltr"><span>@quiet_author</span></div></a>
          <a href="/quiet_author/status/1900000000000000000" role="link"><time datetime="2025-03-13T10:00:00.000Z">Mar 13</time></a></div>
        <div data-testid="tweetText" dir="auto"><span>first line</span></div>
        <button data-testid="tweet-text-show-more-link" type="button">Show more</button>
      </article>`,
      { url },
    ).window.document;
    const post = x.findItems(doc, ctx)[0];
    expect(x.extract(post, ctx)).toEqual(
      ex(
        'post',
        acc('Quiet Author', 'quiet_author'),
        item({
          platform_item_id: '1900000000000000000',
          url: 'https://x.com/quiet_author/status/1900000000000000000',
          posted_at: '2025-03-13T10:00:00.000Z',
          posted_at_text: 'Mar 13',
          posted_at_source: 'attribute',
          id_time: decodeXId('1900000000000000000'),
          text: 'first line',
          visibility: 'protected',
        }),
        [
          { code: 'text-truncated', message: 'The page shows this post cut short ("Show more"); the text recorded is only the part displayed.' },
          {
            code: 'shown-as-repost',
            message: 'The page shows this post as a repost by @mallory_x ("Mallory reposted"); the author recorded is the original author.',
          },
        ],
      ),
    );
  });

  it('without <time>, dates the post from its id and keeps the shown "5m"; a hover card is not a profile item', () => {
    const doc = new JSDOM(
      `<div data-testid="primaryColumn"><article data-testid="tweet">
        <div data-testid="User-Name"><a href="/someone_x"><span>Some One</span></a><a href="/someone_x"><span>@someone_x</span></a>
          <a href="/someone_x/status/2126934484715569152">5m</a></div>
        <div data-testid="tweetText"><span>hi</span></div>
        <a href="/someone_x/status/2126934484715569152/analytics"><span data-testid="app-text-transition-container">12</span></a>
      </article></div>
      <div data-testid="HoverCard"><div data-testid="UserName"><span>Some One</span><span>@someone_x</span></div></div>`,
      { url },
    ).window.document;
    const items = x.findItems(doc, ctx);
    expect(items.map((e) => x.kindOf(e, ctx))).toEqual(['post']);
    expect(x.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        acc('Some One', 'someone_x'),
        item({
          platform_item_id: '2126934484715569152',
          url: 'https://x.com/someone_x/status/2126934484715569152',
          posted_at: '2026-11-29T07:01:12.345Z',
          posted_at_text: '5m',
          posted_at_source: 'id-decoded',
          id_time: '2026-11-29T07:01:12.345Z',
          text: 'hi',
          metrics: { views: '12' },
        }),
      ),
    );
  });

  it('never throws: an empty post becomes warnings, a stray element is labelled as such', () => {
    const doc = new JSDOM('<main><article data-testid="tweet"></article><p id="stray">hello</p></main>', { url }).window.document;
    const [post] = x.findItems(doc, ctx);
    expect(x.extract(post, ctx)).toEqual(
      ex('post', acc(null, null), item({ id_time: null }), [
        { code: 'account-missing', message: 'The author of this item could not be identified on the page.' },
        W.idMissing,
        { code: 'permalink-missing', message: 'No permalink for this item was found.' },
        { code: 'time-missing', message: 'The page shows no time for this item.' },
      ]),
    );
    const stray = doc.getElementById('stray')!;
    expect(x.enclosingItem(stray, ctx)).toBeNull();
    expect(x.kindOf(stray, ctx)).toBe('element');
    expect(x.extract(stray, ctx)).toEqual(
      ex('element', null, item({ text: 'hello' }), [{ code: 'not-an-item', message: 'This element is not a post, profile or message that the X adapter recognises.' }]),
    );
    expect(x.extractPage?.(doc, ctx)).toBeNull();
  });
});
