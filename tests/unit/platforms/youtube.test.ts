import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { youtubeAdapter as yt } from '../../../utils/content/platforms/youtube';
import { loadFixture } from '../../helpers/fixtures';

// Expected values were read by hand from each saved page (its DOM, microdata, JSON-LD and
// ytInitialPlayerResponse); relative times resolve against this fixed capture time.
const capturedAt = new Date('2026-11-29T12:00:00Z');
const ctx = (url: string) => ({ url: new URL(url), capturedAt });

const RELATIVE = (shown: string) => ({
  code: 'time-relative',
  message: `The page shows only a relative time ("${shown}"); the time recorded is approximate, counted back from the capture time.`,
});
const STREAMED = {
  kind: 'video',
  url: null,
  why_missing: 'YouTube streams video in segments (MediaSource); only the thumbnail is recorded.',
};

describe('youtube: rendered watch page with 20 comments (2026)', () => {
  const url = 'https://www.youtube.com/watch?v=0J2_YGuNrDo';
  const doc = loadFixture('youtube/youtubetoebook__yt-watch-with-20-comments-rendered-2026.html', url);
  const c = ctx(url);
  const items = yt.findItems(doc, c);

  it('finds the video and every rendered comment, in page order', () => {
    expect(items).toHaveLength(21);
    expect(items[0].tagName.toLowerCase()).toBe('ytd-watch-metadata');
    expect(items.map((e) => yt.kindOf(e, c))).toEqual(['post', ...Array(20).fill('comment')]);
  });

  it('extracts the video from the rendered metadata, with microdata time and full description', () => {
    expect(yt.extract(items[0], c)).toEqual({
      platform: 'youtube',
      adapter_version: '1.0.0',
      kind: 'post',
      account: {
        display_name: 'Grace Leung',
        handle: 'graceleungyl',
        platform_account_id: 'UCrB7UFnkosBjAhOg3a9NdWw',
        profile_url: 'https://www.youtube.com/@graceleungyl',
      },
      item: {
        platform_item_id: '0J2_YGuNrDo',
        url: 'https://www.youtube.com/watch?v=0J2_YGuNrDo',
        title: 'Claude Code just Built me an AI Agent Team (Claude Code + Skills + MCP)',
        // microdata uploadDate 2025-12-16T05:00:05-08:00; the page shows "Dec 16, 2025"
        posted_at: '2025-12-16T13:00:05.000Z',
        posted_at_text: 'Dec 16, 2025',
        posted_at_source: 'attribute',
        text: expect.stringMatching(
          /^Download the FREE “In AI We Trust Report” here 👉 https:\/\/clickhubspot\.com\/071bf2 \n\nClaude Code’s too powerful[\s\S]*\n00:33 What makes Claude Code different \n[\s\S]*#claudecode #claudeskills #claude #aimarketing$/,
        ),
        in_reply_to: null,
        thread_id: '0J2_YGuNrDo',
        visibility: 'public',
        media: [{ ...STREAMED, poster: 'https://i.ytimg.com/vi/0J2_YGuNrDo/maxresdefault.jpg' }],
        metrics: { views: '116,677 views', likes: '3.8K' },
      },
      warnings: [],
    });
  });

  it('extracts the pinned creator comment (first), keeping its line break', () => {
    expect(yt.extract(items[1], c)).toEqual({
      platform: 'youtube',
      adapter_version: '1.0.0',
      kind: 'comment',
      account: { display_name: null, handle: 'graceleungyl', platform_account_id: null, profile_url: 'https://www.youtube.com/@graceleungyl' },
      item: {
        platform_item_id: 'UgybxalwWx4F5-BDC4V4AaABAg',
        url: 'https://www.youtube.com/watch?v=0J2_YGuNrDo&lc=UgybxalwWx4F5-BDC4V4AaABAg',
        posted_at: '2026-10-30T12:00:00.000Z',
        posted_at_text: '1 month ago',
        posted_at_source: 'relative-text',
        text: 'Any topics related to Claude Code we should cover more? Drop them below.\nJoin my newsletter here to stay in loop in digital and & AI 👉 https://www.graceleung.com/newsletter/ 🙂See you inside!',
        in_reply_to: '0J2_YGuNrDo',
        thread_id: '0J2_YGuNrDo',
        visibility: null,
        media: [],
        metrics: { likes: '15', replies: '1 reply' },
      },
      warnings: [RELATIVE('1 month ago')],
    });
  });

  it('extracts a middle comment whose permalink carries extra parameters (pp=)', () => {
    expect(yt.extract(items[7], c)).toEqual({
      platform: 'youtube',
      adapter_version: '1.0.0',
      kind: 'comment',
      account: {
        display_name: null,
        handle: 'khalifasangarie5827',
        platform_account_id: null,
        profile_url: 'https://www.youtube.com/@khalifasangarie5827',
      },
      item: {
        platform_item_id: 'Ugy3Uqik3pc8ltNtB1Z4AaABAg',
        url: 'https://www.youtube.com/watch?v=0J2_YGuNrDo&lc=Ugy3Uqik3pc8ltNtB1Z4AaABAg',
        posted_at: '2026-11-16T12:00:00.000Z',
        posted_at_text: '13 days ago',
        posted_at_source: 'relative-text',
        text: 'Wow!!! Explained succinctly and with CLARITY!!!',
        in_reply_to: '0J2_YGuNrDo',
        thread_id: '0J2_YGuNrDo',
        visibility: null,
        media: [],
        metrics: { likes: '1', replies: '1 reply' },
      },
      warnings: [RELATIVE('13 days ago')],
    });
  });

  it('extracts the last comment', () => {
    expect(yt.extract(items[20], c)).toEqual({
      platform: 'youtube',
      adapter_version: '1.0.0',
      kind: 'comment',
      account: { display_name: null, handle: 'TheGreyTouch', platform_account_id: null, profile_url: 'https://www.youtube.com/@TheGreyTouch' },
      item: {
        platform_item_id: 'UgyZiLi8o1JDytDDU_N4AaABAg',
        url: 'https://www.youtube.com/watch?v=0J2_YGuNrDo&lc=UgyZiLi8o1JDytDDU_N4AaABAg',
        posted_at: '2026-10-30T12:00:00.000Z',
        posted_at_text: '1 month ago',
        posted_at_source: 'relative-text',
        text: 'One of the best videos for Claude Code, thank you Grace !',
        in_reply_to: '0J2_YGuNrDo',
        thread_id: '0J2_YGuNrDo',
        visibility: null,
        media: [],
        metrics: { likes: '1', replies: '1 reply' },
      },
      warnings: [RELATIVE('1 month ago')],
    });
  });

  it('every comment has an id, permalink, handle, text and time', () => {
    for (const el of items.slice(1)) {
      const x = yt.extract(el, c);
      expect(x.item.platform_item_id).toMatch(/^Ug[\w-]{20,}$/);
      expect(x.item.url).toBe(`${url}&lc=${x.item.platform_item_id}`);
      expect(x.account?.handle).toMatch(/^[\w.-]+$/);
      expect(x.item.text).not.toBeNull();
      expect(x.item.posted_at_source).toBe('relative-text');
    }
  });

  it('enclosingItem: text inside a comment, the title, and the player', () => {
    const span = items[2].querySelector('[id="content-text"] span');
    expect(span).not.toBeNull();
    expect(yt.enclosingItem(span!, c)).toBe(items[2]);
    const title = doc.querySelector('ytd-watch-metadata h1 yt-formatted-string')!;
    expect(yt.enclosingItem(title, c)).toBe(items[0]);
    const video = doc.querySelector('[id="movie_player"] video')!;
    expect(yt.enclosingItem(video, c)).toBe(items[0]);
    const related = doc.querySelector('ytd-watch-next-secondary-results-renderer yt-lockup-view-model')!;
    expect(yt.enclosingItem(related, c)).toBeNull();
    expect(yt.kindOf(doc.body, c)).toBe('element');
  });

  it('extractPage is null: the rendered video is an item, not the page', () => {
    expect(yt.extractPage!(doc, c)).toBeNull();
  });
});

describe('youtube: served watch pages (pre-hydration)', () => {
  it('reads the 2024 served page from microdata and the player response', () => {
    const url = 'https://www.youtube.com/watch?v=hwMkbaS_M_c';
    const doc = loadFixture('youtube/metascraper__yt-video.html', url);
    expect(yt.findItems(doc, ctx(url))).toEqual([]);
    expect(yt.extractPage!(doc, ctx(url))).toEqual({
      platform: 'youtube',
      adapter_version: '1.0.0',
      kind: 'post',
      account: {
        display_name: 'ONE Media',
        handle: 'OneMedia.',
        platform_account_id: 'UCzcRQ3vRNr6fJ1A9rqFn7QA',
        profile_url: 'https://www.youtube.com/@OneMedia.',
      },
      item: {
        platform_item_id: 'hwMkbaS_M_c',
        url: 'https://www.youtube.com/watch?v=hwMkbaS_M_c',
        title: 'Star Wars 8 THE LAST JEDI Official TRAILER (2017) Daisy Ridley, Disney Movie HD',
        posted_at: '2017-04-14T16:02:38.000Z',
        posted_at_text: '2017-04-14T09:02:38-07:00',
        posted_at_source: 'attribute',
        text: 'Star Wars 8 THE LAST JEDI Official TRAILER (2017) Daisy Ridley, Disney Movie HD\n© 2017 - Disney',
        in_reply_to: null,
        thread_id: 'hwMkbaS_M_c',
        visibility: 'public',
        media: [{ ...STREAMED, poster: 'https://i.ytimg.com/vi/hwMkbaS_M_c/maxresdefault.jpg' }],
        metrics: { views: '1077715' },
      },
      warnings: [],
    });
  });

  it('reads the 2025 served page (Bohemian Rhapsody)', () => {
    const url = 'https://www.youtube.com/watch?v=fJ9rUzIMcZQ';
    const doc = loadFixture('youtube/metascraper__yt-video-2025.html', url);
    expect(yt.findItems(doc, ctx(url))).toEqual([]);
    expect(yt.extractPage!(doc, ctx(url))).toEqual({
      platform: 'youtube',
      adapter_version: '1.0.0',
      kind: 'post',
      account: {
        display_name: 'Queen Official',
        handle: 'Queen',
        platform_account_id: 'UCiMhD4jzUqG-IgPzUmmytRQ',
        profile_url: 'https://www.youtube.com/@Queen',
      },
      item: {
        platform_item_id: 'fJ9rUzIMcZQ',
        url: 'https://www.youtube.com/watch?v=fJ9rUzIMcZQ',
        title: 'Queen – Bohemian Rhapsody (Official Video Remastered)',
        posted_at: '2008-08-01T11:06:40.000Z',
        posted_at_text: '2008-08-01T04:06:40-07:00',
        posted_at_source: 'attribute',
        text: expect.stringMatching(/^REMASTERED IN HD TO CELEBRATE ONE BILLION VIEWS!\nTaken from A Night At The Opera, 1975\.\n\nClick here to buy the DVD/),
        in_reply_to: null,
        thread_id: 'fJ9rUzIMcZQ',
        visibility: 'public',
        media: [{ ...STREAMED, poster: 'https://i.ytimg.com/vi/fJ9rUzIMcZQ/hqdefault.jpg' }],
        metrics: { views: '2001156445', likes: '13725279' },
      },
      warnings: [],
    });
  });

  it('ignores embedded data about another video (stale after in-app navigation)', () => {
    const url = 'https://www.youtube.com/watch?v=aaaaaaaaaaa';
    const doc = loadFixture('youtube/metascraper__yt-video.html', url);
    const x = yt.extractPage!(doc, ctx(url))!;
    expect(x.item.platform_item_id).toBe('aaaaaaaaaaa');
    expect(x.account).toEqual({ display_name: null, handle: null, platform_account_id: null, profile_url: null });
    expect(x.item.title).toBeNull();
    expect(x.item.posted_at).toBeNull();
    expect(x.warnings.map((w) => w.code)).toEqual(['page-data-stale', 'account-missing', 'time-missing']);
  });
});

describe('youtube: channel page (served)', () => {
  const url = 'https://www.youtube.com/channel/UCzcRQ3vRNr6fJ1A9rqFn7QA';
  const doc = loadFixture('youtube/metascraper__yt-channel.html', url);

  it('has no rendered items', () => {
    expect(yt.findItems(doc, ctx(url))).toEqual([]);
  });

  it('extractPage gives the channel as a profile from ytInitialData', () => {
    const expected = {
      platform: 'youtube',
      adapter_version: '1.0.0',
      kind: 'profile',
      account: {
        display_name: 'ONE Media',
        handle: 'OneMedia.',
        platform_account_id: 'UCzcRQ3vRNr6fJ1A9rqFn7QA',
        profile_url: 'https://www.youtube.com/@OneMedia.',
      },
      item: {
        platform_item_id: 'UCzcRQ3vRNr6fJ1A9rqFn7QA',
        url: 'https://www.youtube.com/channel/UCzcRQ3vRNr6fJ1A9rqFn7QA',
        title: 'ONE Media',
        posted_at: null,
        posted_at_text: null,
        posted_at_source: null,
        text: "ALL the Must See Movie Trailers, Film Clips & Videos are here! \nBlockbusters, Action Movies, Dramas, Thrillers, Horror, Scifi & Fantasy Flicks...\nDon't miss the latest movie and blockbuster trailers.",
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        media: [
          {
            kind: 'image',
            url: 'https://yt3.googleusercontent.com/ytc/AIf8zZSIo7x4j4eJ6Q52j5i0sgrfxfVCvz4wwkk7VEcA=s900-c-k-c0x00ffffff-no-rj',
            alt: 'channel avatar',
          },
          {
            kind: 'image',
            url: 'https://yt3.googleusercontent.com/YzMMAecYE0KCIXMfWjoV0blDM73yOiVm08qKtJroRHlw_-CgUV8MnsPr59sfDLUgRy45XhSANQ=w2560-fcrop64=1,00005a57ffffa5a8-k-c0xffffffff-no-nd-rj',
            alt: 'channel banner',
          },
        ],
        // YouTube writes these counts with no-break spaces, kept verbatim
        metrics: { subscribers: '4,69\u00a0M de suscriptores', videos: '6,8\u00a0K vídeos' },
      },
      warnings: [],
    };
    expect(yt.extractPage!(doc, ctx(url))).toEqual(expected);
    // The same page reached through the handle URL gives the same record.
    const viaHandle = loadFixture('youtube/metascraper__yt-channel.html', 'https://www.youtube.com/@OneMedia.');
    expect(yt.extractPage!(viaHandle, ctx('https://www.youtube.com/@OneMedia.'))).toEqual(expected);
  });
});

describe('youtube: small constructed DOMs for paths the saved pages do not reach', () => {
  it('takes a comment time from JSON-LD when the comment is the one the page lists there', () => {
    const url = 'https://www.youtube.com/watch?v=bbbbbbbbbbb';
    const html = `<html><head><script type="application/ld+json">${JSON.stringify({
      '@context': 'https://schema.org',
      '@type': 'VideoObject',
      '@id': url,
      comment: [
        { '@type': 'Comment', dateCreated: '2025-03-02T10:00:00-08:00', text: 'first line\nsecond line', author: { url: 'https://www.youtube.com/@someone' } },
      ],
    })}</script></head><body>
      <ytd-comment-thread-renderer><ytd-comment-view-model id="comment">
        <div id="header-author"><h3><a id="author-text" href="/@someone"><span>@someone</span></a></h3>
        <span id="published-time-text"><a href="/watch?v=bbbbbbbbbbb&lc=UgzAbCdEfGhIjKlMnOp4AaABAg">2 years ago (edited)</a></span></div>
        <yt-attributed-string id="content-text"><span>first line
second line</span></yt-attributed-string>
      </ytd-comment-view-model>
      <div id="replies"><ytd-comment-replies-renderer><ytd-comment-view-model>
        <a id="author-text" href="/channel/UCaaaaaaaaaaaaaaaaaaaaaa"><span>Old Style Name</span></a>
        <span id="published-time-text"><a href="/watch?v=bbbbbbbbbbb&lc=UgzAbCdEfGhIjKlMnOp4AaABAg.9zReplyIdXyZ">1 year ago</a></span>
        <yt-attributed-string id="content-text"><span>a reply</span></yt-attributed-string>
      </ytd-comment-view-model></ytd-comment-replies-renderer></div>
      </ytd-comment-thread-renderer></body></html>`;
    const doc = new JSDOM(html, { url }).window.document;
    const [top, reply] = yt.findItems(doc, ctx(url));
    const a = yt.extract(top, ctx(url));
    expect(a.item).toMatchObject({
      platform_item_id: 'UgzAbCdEfGhIjKlMnOp4AaABAg',
      posted_at: '2025-03-02T18:00:00.000Z',
      posted_at_text: '2 years ago (edited)',
      posted_at_source: 'json',
      text: 'first line\nsecond line',
    });
    expect(a.warnings.map((w) => w.code)).toEqual(['edited']);
    const b = yt.extract(reply, ctx(url));
    expect(b.account).toEqual({
      display_name: 'Old Style Name',
      handle: null,
      platform_account_id: 'UCaaaaaaaaaaaaaaaaaaaaaa',
      profile_url: 'https://www.youtube.com/channel/UCaaaaaaaaaaaaaaaaaaaaaa',
    });
    expect(b.item).toMatchObject({
      platform_item_id: 'UgzAbCdEfGhIjKlMnOp4AaABAg.9zReplyIdXyZ',
      in_reply_to: 'UgzAbCdEfGhIjKlMnOp4AaABAg',
      thread_id: 'bbbbbbbbbbb',
      posted_at: '2025-11-29T12:00:00.000Z',
      posted_at_source: 'relative-text',
    });
    expect(yt.enclosingItem(reply.querySelector('span')!, ctx(url))).toBe(reply);
  });

  it('never throws on a comment with nothing in it, and says what is missing', () => {
    const doc = new JSDOM('<ytd-comment-view-model></ytd-comment-view-model>', { url: 'https://www.youtube.com/' }).window.document;
    const el = doc.querySelector('ytd-comment-view-model')!;
    const x = yt.extract(el, ctx('https://www.youtube.com/'));
    expect(x.kind).toBe('comment');
    expect(x.warnings.map((w) => w.code)).toEqual(['account-missing', 'item-id-missing', 'permalink-missing', 'time-missing']);
  });
});

describe('youtube: matchesUrl', () => {
  it.each([
    ['https://www.youtube.com/watch?v=0J2_YGuNrDo', true],
    ['https://m.youtube.com/watch?v=0J2_YGuNrDo', true],
    ['https://youtu.be/0J2_YGuNrDo', true],
    ['https://youtube.com/@graceleungyl', true],
    ['https://www.youtube.com.evil.example/watch?v=x', false],
    ['https://notyoutube.com/watch?v=x', false],
    ['https://www.tiktok.com/@someone', false],
  ])('%s → %s', (u, expected) => {
    expect(yt.matchesUrl(new URL(u))).toBe(expected);
  });
});
