import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { Account, Item } from '../../../utils/shared/types';
import { threadsAdapter as threads } from '../../../utils/content/platforms/threads';
import { loadFixture } from '../../helpers/fixtures';
import { extractionOf } from '../../helpers/extraction';

// Expected values were read by hand from the saved page in ../shared/fixtures/platforms/threads.
const capturedAt = new Date('2026-11-29T12:00:00Z');
const ctxFor = (url: string) => ({ url: new URL(url), capturedAt });

const ex = extractionOf('threads');
const base = {
  platform_item_id: null,
  url: null,
  posted_at: null,
  posted_at_text: null,
  posted_at_source: null,
  text: null,
  in_reply_to: null,
  thread_id: null,
  visibility: null,
  media: [],
} satisfies Partial<Item>;
const CDN = 'https://instagram.fyvr2-1.fna.fbcdn.net/v/t51.2885-15/';
const Q = '&_nc_ht=instagram.fyvr2-1.fna.fbcdn.net&_nc_cat=111&_nc_oc=Q6cZ2QH-igUI51K6HfY8iSVslGEZ01cKVXni0tkghbtb4G_qQB0AaZLK1uFPDnaBchNhkb29GM6cRz-fhrkXhnDQ51hm';

describe('threads: rendered profile page (jakebry, June 2025)', () => {
  const url = 'https://www.threads.com/@j.p_morgan_trading';
  const ctx = ctxFor(url);
  const doc = loadFixture('threads/jakebry__threads-profile-rendered-2025.html', url);
  const items = threads.findItems(doc, ctx);
  const author: Account = {
    display_name: null,
    handle: 'j.p_morgan_trading',
    platform_account_id: '73799158670',
    profile_url: 'https://www.threads.com/@j.p_morgan_trading',
  };
  const post = (code: string): Partial<Item> => ({
    platform_item_id: code,
    url: `https://www.threads.com/@j.p_morgan_trading/post/${code}`,
    posted_at_source: 'attribute',
  });

  it('finds the profile header and the 26 post containers; the author’s self-replies are replies', () => {
    expect(items.length).toBe(27);
    const kinds = items.map((e) => threads.kindOf(e, ctx));
    expect(kinds[0]).toBe('profile');
    // 14 thread groups on the page: 12 are a post plus the author's own reply, 2 are single posts.
    const pair = ['post', 'comment'];
    expect(kinds.slice(1)).toEqual([...pair, 'post', ...pair, ...pair, ...pair, ...pair, ...pair, 'post', ...pair, ...pair, ...pair, ...pair, ...pair, ...pair]);
    expect(items.slice(1).every((e) => e.matches('[data-pressable-container="true"]'))).toBe(true);
  });

  const profile = ex(
    'profile',
    { ...author, display_name: 'j.p_morgan_trading' },
    {
      ...base,
      platform_item_id: '73799158670',
      url: 'https://www.threads.com/@j.p_morgan_trading',
      text: 'I post what moves before it moves.📈\nFollow if you like winning 🏆\nTurn on alerts to catch the next one 🚀',
      metrics: { followers: '3,738' },
      media: [
        {
          kind: 'image',
          url: 'https://instagram.fyvr2-1.fna.fbcdn.net/v/t51.2885-19/491439067_958588859679275_8665426649151687611_n.jpg?stp=dst-jpg_s320x320_tt6&_nc_ht=instagram.fyvr2-1.fna.fbcdn.net&_nc_cat=111&_nc_oc=Q6cZ2QGB59DSfrNQEmf4YhdBilh9742e0PweSoXKLzNfwuBA0MPE1_jUIAjdJT1xHXnL_Mz7DfYpAcJnRZxiX9_R7RYP&_nc_ohc=HmgNbmAVbfwQ7kNvwHFx40_&_nc_gid=Xl7LfCH8Vc1WigiZ6Jk3OQ&edm=APs17CUBAAAA&ccb=7-5&oh=00_AfNlfHAH-4u_KH1xzh5Kx3TfvgQ-9-RVguobujIuru-WXQ&oe=68542878&_nc_sid=10d13b',
          alt: 'profile picture',
        },
      ],
    },
  );

  it('extracts the profile header (exact follower count, bio with its line breaks, user pk)', () => {
    expect(threads.extract(items[0], ctx)).toEqual(profile);
  });

  it('gives the same profile as the page-level record', () => {
    expect(threads.extractPage?.(doc, ctx)).toEqual(profile);
  });

  it('extracts the first post: attribute time with the shown "18h", decoded id time, image, counts', () => {
    expect(threads.extract(items[1], ctx)).toEqual(
      ex('post', author, {
        ...base,
        ...post('DK4QWNksRE2'),
        posted_at: '2025-06-14T11:08:57.000Z',
        posted_at_text: '18h',
        id_time: '2025-06-14T11:08:57.378Z',
        text: 'Told you to buy $OM 19 hours ago. Now you’re sipping champagne at 40,000 feet +71%',
        media: [
          {
            kind: 'image',
            url: `${CDN}505495101_17853335298462671_7836537450731543007_n.jpg?stp=dst-jpg_e35_tt6&efg=eyJ2ZW5jb2RlX3RhZyI6InRocmVhZHMuRkVFRC5pbWFnZV91cmxnZW4uMTI5MHg1NTYuc2RyLmY3NTc2MS5kZWZhdWx0X2ltYWdlIn0${Q}&_nc_ohc=cyzGygbFGI0Q7kNvwGax69S&_nc_gid=Xl7LfCH8Vc1WigiZ6Jk3OQ&edm=APs17CUBAAAA&ccb=7-5&ig_cache_key=MzY1NDc0Mjk5Mjc1ODA1MTEyNg%3D%3D.3-ccb7-5&oh=00_AfO5YYUqApBnwx9vooNpJ-kOGCeDiotrR8DPODSD07FDyA&oe=68542F1D&_nc_sid=10d13b`,
            alt: "May be an image of text that says 'AllMarketsE 三 All Markets OMUSDT Long Cross 10.00x Close All Position Size 488,515 Entry Price 0.25942 Unrealized P&L 9,074.64(71.25% 1.25%) 9,074.64 Mark MarkPrice Price 0.27801 Set TP/SL Estimated Liq. Price Trailing Stop Close By'",
          },
        ],
        metrics: { likes: '4', replies: '2' },
      }),
    );
  });

  it('extracts the author’s reply to that post, with the parent from the embedded thread data', () => {
    expect(threads.extract(items[2], ctx)).toEqual(
      ex('comment', author, {
        ...base,
        ...post('DK4TEkFMWj9'),
        posted_at: '2025-06-14T11:32:45.000Z',
        posted_at_text: '18h',
        id_time: '2025-06-14T11:32:45.667Z',
        text: 'Satisfied with the signal?💥',
        in_reply_to: 'DK4QWNksRE2',
        thread_id: 'DK4QWNksRE2',
        media: [
          {
            kind: 'image',
            url: `${CDN}506359958_17853337248462671_7843301541283377372_n.jpg?stp=dst-jpg_e35_tt6&efg=eyJ2ZW5jb2RlX3RhZyI6InRocmVhZHMuRkVFRC5pbWFnZV91cmxnZW4uMTI5MHg1ODAuc2RyLmY3NTc2MS5kZWZhdWx0X2ltYWdlIn0${Q}&_nc_ohc=yMaIScPSDxAQ7kNvwEY1QdD&_nc_gid=Xl7LfCH8Vc1WigiZ6Jk3OQ&edm=APs17CUBAAAA&ccb=7-5&ig_cache_key=MzY1NDc1NDk3NDExNDYwNTMwOQ%3D%3D.3-ccb7-5&oh=00_AfOoJbMzNVRpNjce2Tu3kqGNFcRdIxdtv-ztBt_4dw-NdA&oe=6854399A&_nc_sid=10d13b`,
            alt: "May be an image of text that says 'AllMarketsE 三 Markets OMUSDT Long Cross 10.00x Close All Position Size 488,515 EntryPrice Entry Price 0.25942 Unrealized P&L 10,491.33(82.37%) 10,491.33 (82.37%) MarkPrice Mark Price 0.28090 Set TP/SL Estimated Liq. Price Trailing Stop Close CloseBy By'",
          },
        ],
        metrics: { likes: '3', replies: '1' },
      }),
    );
  });

  it('keeps the line breaks of a text-only reply', () => {
    expect(threads.extract(items[7], ctx)).toEqual(
      ex('comment', author, {
        ...base,
        ...post('DK2QCeUIzWi'),
        posted_at: '2025-06-13T16:27:46.000Z',
        posted_at_text: '1d',
        id_time: '2025-06-13T16:27:46.817Z',
        text: 'SL: 0.224\nTP1: 0.276\nLv: 5-10x Use 5% capital',
        in_reply_to: 'DK2PBKYITby',
        thread_id: 'DK2PBKYITby',
        metrics: { likes: '1', replies: '1', shares: '1' },
      }),
    );
  });

  it('flags a post Threads marks as edited', () => {
    const e = threads.extract(items[22], ctx);
    expect(e.item.platform_item_id).toBe('DKcSvoTsoBb');
    expect(e.item.text).toBe('Keeps rocketing upward! 🚀 and hits tp1✅');
    expect(e.warnings).toEqual([
      { code: 'edited', message: 'Threads marks this post as edited; the text recorded is the version shown at capture, not necessarily what was first posted.' },
    ]);
  });

  it('extracts the last reply (date shown as 06/02/25)', () => {
    expect(threads.extract(items[26], ctx)).toEqual(
      ex('comment', author, {
        ...base,
        ...post('DKa6hfYo7b-'),
        posted_at: '2025-06-03T01:40:16.000Z',
        posted_at_text: '06/02/25',
        id_time: '2025-06-03T01:40:16.906Z',
        text: '+60% 📈',
        in_reply_to: 'DKaxepmIlzl',
        thread_id: 'DKaxepmIlzl',
        media: [
          {
            kind: 'image',
            url: `${CDN}503075499_17851898907462671_8988817698885753115_n.jpg?stp=dst-jpg_e35_tt6&efg=eyJ2ZW5jb2RlX3RhZyI6InRocmVhZHMuRkVFRC5pbWFnZV91cmxnZW4uMTI5MHg1NzAuc2RyLmY3NTc2MS5kZWZhdWx0X2ltYWdlIn0${Q}&_nc_ohc=X55wy4KJrHIQ7kNvwEleqS1&_nc_gid=Xl7LfCH8Vc1WigiZ6Jk3OQ&edm=APs17CUBAAAA&ccb=7-5&ig_cache_key=MzY0NjQ4NDIzNjQ0OTU5MzA4Ng%3D%3D.3-ccb7-5&oh=00_AfOJLDxjo5RnmSqm9UvZjC7Z0gUN7M4JcbmW5-UkAs-w-g&oe=68542A64&_nc_sid=10d13b`,
            alt: "May be an image of text that says 'AllMarketsE All Markets FILUSDT Long Cross 15.00x Close All Position Size 220,844 Entry Price 2.575 Unrealized P&L 23,086.69(60.42%) MarkPrice Mark Price 2.681 Set TP/SL Estimated Liq Price Trailing TrailingStop Stop Close CloseBy By'",
          },
        ],
        metrics: { likes: '1' },
      }),
    );
  });

  it('finds the enclosing item from deep descendants', () => {
    const text = Array.from(doc.querySelectorAll('span[dir="auto"] > span')).find((s) => s.textContent === 'Satisfied with the signal?💥')!;
    expect(threads.enclosingItem(text, ctx)).toBe(items[2]);
    const like = items[1].querySelector('svg[aria-label="Like"]')!;
    expect(threads.enclosingItem(like, ctx)).toBe(items[1]);
    const followers = doc.querySelector('span[title="3,738"]')!;
    expect(threads.enclosingItem(followers, ctx)).toBe(items[0]);
    expect(threads.enclosingItem(doc.querySelector('a[aria-label="Replies"]')!, ctx)).toBeNull();
  });
});

describe('threads: views with no saved page (small inline DOMs built from the known markers)', () => {
  const postUrl = 'https://www.threads.net/@quiet.fox/post/DAbcdEFGhij';
  const card = (user: string, code: string, iso: string, text: string, inner = '') => `
    <div data-pressable-container="true">
      <a href="/@${user}" role="link"><img alt="${user}'s profile picture" src="https://scontent.cdninstagram.com/${user}.jpg"></a>
      <span><a href="/@${user}" role="link"><span dir="auto" translate="no">${user}</span></a></span>
      <span dir="auto"><a href="/@${user}/post/${code}" role="link"><time datetime="${iso}" title="x"><span aria-hidden="true">2h</span></time></a></span>
      <div><span dir="auto"><span>${text}</span></span></div>
      ${inner}
      <div role="button"><svg aria-label="Like" role="img"></svg><span dir="auto">2</span></div>
    </div>`;
  const doc = new JSDOM(
    `<div data-pagelet="threads_post_page_1">
      ${card('quiet.fox', 'DAbcdEFGhij', '2026-01-05T10:00:00.000Z', 'look who I found', card('other.person', 'DAzzzzzzzzz', '2026-01-04T09:00:00.000Z', 'quoted words'))}
      ${card('loud.crow', 'DAbcdEFGhzz', '2026-01-05T11:00:00.000Z', 'you again')}
    </div>`,
    { url: postUrl },
  ).window.document;
  const ctx = ctxFor(postUrl);
  const items = threads.findItems(doc, ctx);

  it('skips the nested (quoted) container and puts it in item.quoted', () => {
    expect(items.length).toBe(2);
    const e = threads.extract(items[0], ctx);
    expect(e.kind).toBe('post');
    expect(e.item.text).toBe('look who I found');
    expect(e.item.metrics).toEqual({ likes: '2' });
    expect(e.item.quoted).toEqual({
      platform_item_id: 'DAzzzzzzzzz',
      url: 'https://www.threads.net/@other.person/post/DAzzzzzzzzz',
      account: { display_name: null, handle: 'other.person', platform_account_id: null, profile_url: 'https://www.threads.net/@other.person' },
      text: 'quoted words',
    });
  });

  it('takes a later container on a post page as a reply to the page’s post, and says it was inferred', () => {
    expect(threads.kindOf(items[1], ctx)).toBe('comment');
    expect(threads.extract(items[1], ctx)).toEqual(
      ex(
        'comment',
        { display_name: null, handle: 'loud.crow', platform_account_id: null, profile_url: 'https://www.threads.net/@loud.crow' },
        {
          ...base,
          platform_item_id: 'DAbcdEFGhzz',
          url: 'https://www.threads.net/@loud.crow/post/DAbcdEFGhzz',
          posted_at: '2026-01-05T11:00:00.000Z',
          posted_at_text: '2h',
          posted_at_source: 'attribute',
          // Invented code: its decoded time need not agree with the invented datetime.
          id_time: '2024-09-27T17:22:49.955Z',
          text: 'you again',
          in_reply_to: 'DAbcdEFGhij',
          thread_id: 'DAbcdEFGhij',
          metrics: { likes: '2' },
        },
        [{ code: 'parent-inferred', message: 'The page does not state which post this reply answers; it was taken to answer the post the page is about.' }],
      ),
    );
    expect(threads.extractPage?.(doc, ctx)).toBeNull();
  });

  it('gives a served post page (Open Graph only) as a page-level post, time decoded from the code', () => {
    const url = 'https://www.threads.com/@quiet.fox/post/DK4QWNksRE2';
    const served = new JSDOM(
      `<head><meta property="og:title" content="Quiet Fox (@quiet.fox) on Threads"><meta property="og:description" content="see you soon"></head><body></body>`,
      { url },
    ).window.document;
    const c = ctxFor(url);
    expect(threads.findItems(served, c)).toEqual([]);
    expect(threads.extractPage?.(served, c)).toEqual(
      ex(
        'post',
        { display_name: 'Quiet Fox', handle: 'quiet.fox', platform_account_id: null, profile_url: 'https://www.threads.com/@quiet.fox' },
        {
          ...base,
          platform_item_id: 'DK4QWNksRE2',
          url: 'https://www.threads.com/@quiet.fox/post/DK4QWNksRE2',
          posted_at: '2025-06-14T11:08:57.378Z',
          posted_at_text: 'DK4QWNksRE2',
          posted_at_source: 'id-decoded',
          id_time: '2025-06-14T11:08:57.378Z',
          text: 'see you soon',
        },
        [{ code: 'served-page-only', message: "The post was not rendered on the page; the record comes from its link-preview (Open Graph) tags, which may shorten the text." }],
      ),
    );
  });

  it('matches Threads hosts only', () => {
    expect(threads.matchesUrl(new URL('https://www.threads.com/@someone/post/DK4QWNksRE2'))).toBe(true);
    expect(threads.matchesUrl(new URL('https://www.threads.net/@someone'))).toBe(true);
    expect(threads.matchesUrl(new URL('https://www.instagram.com/someone/'))).toBe(false);
    expect(threads.matchesUrl(new URL('https://threads.example.com/'))).toBe(false);
  });

  it('never throws on odd DOM', () => {
    const odd = new JSDOM('<div data-pressable-container="true"><a href="/@x/post/">broken</a></div>', { url: postUrl }).window.document;
    expect(threads.findItems(odd, ctx)).toEqual([]);
    const e = threads.extract(odd.body.firstElementChild!, ctx);
    expect(e.warnings.map((w) => w.code)).toEqual(['text-not-found', 'account-missing', 'item-id-missing', 'permalink-missing', 'time-missing']);
  });
});
