import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { tiktokAdapter as tt } from '../../../utils/content/platforms/tiktok';
import { loadFixture } from '../../helpers/fixtures';

// Expected values were read by hand from the saved page (data-e2e markers and the
// __UNIVERSAL_DATA_FOR_REHYDRATION__ JSON). Relative times resolve against this capture time.
const capturedAt = new Date('2026-11-29T12:00:00Z');
const ctx = (url: string) => ({ url: new URL(url), capturedAt });

const CAPTION =
  'La nueva locurilla de fin de año: me he puesto un uniforme de trabajo 🔥 Mi menú Mystery King de @burgerking_es ya disponible: BRUJILLO JUAN 🔮 Un juego de 23 cartas coleccionables hechas por el genio Fran Molina, para que juguéis a leeros el futuro con vuestros colegas de risas. El verdadero misterio es estar currando algo últimamente. Gracias a @esperanzagraciaoficial por su cercanía y acceder a participar en esta maravilla. Espero que os guste ❤️';

describe('tiktok: rendered video page (one-column feed, 2025)', () => {
  const url = 'https://www.tiktok.com/@illojuan/video/7571863205253778710';
  const doc = loadFixture('tiktok/metascraper__tiktok-video.html', url);
  const c = ctx(url);
  const items = tt.findItems(doc, c);

  it('finds the two rendered videos and skips the empty feed slots', () => {
    expect(doc.querySelectorAll('[data-e2e="recommend-list-item-container"]')).toHaveLength(13);
    expect(items).toHaveLength(2);
    expect(items.map((e) => e.id)).toEqual(['one-column-item-0', 'one-column-item-1']);
    expect(items.map((e) => tt.kindOf(e, c))).toEqual(['post', 'post']);
  });

  it('extracts the requested video with the rehydration JSON (time, author id, caption, media)', () => {
    expect(tt.extract(items[0], c)).toEqual({
      platform: 'tiktok',
      adapter_version: '1.0.0',
      kind: 'post',
      account: {
        display_name: 'IlloJuan',
        handle: 'illojuan',
        platform_account_id: '6781206617314018309',
        profile_url: 'https://www.tiktok.com/@illojuan',
      },
      item: {
        platform_item_id: '7571863205253778710',
        url: 'https://www.tiktok.com/@illojuan/video/7571863205253778710',
        // createTime 1762961788; the card shows "· 11-12"
        posted_at: '2025-11-12T15:36:28.000Z',
        posted_at_text: '11-12',
        posted_at_source: 'json',
        // id >> 32: the upload was created five seconds before it was published
        id_time: '2025-11-12T15:36:23.000Z',
        text: CAPTION,
        in_reply_to: null,
        thread_id: '7571863205253778710',
        visibility: 'public',
        media: [
          {
            kind: 'video',
            url: expect.stringMatching(/^https:\/\/v16-webapp-prime\.tiktok\.com\/video\/tos\/no1a\/tos-no1a-ve-0068-no\/o4FBUER6Pk4HAQiqiNGItUvSYlAaBZhCZsPst\/\?.*mime_type=video_mp4/),
            poster:
              'https://p16-pu-sign-no.tiktokcdn-eu.com/tos-no1a-p-0037-no/oEpFAixTQAKmCk3CIEAprFAfAVFIlkfSpgsDZE~tplv-tiktokx-origin.image?dr=10395&x-expires=1767265200&x-signature=rtNIT1xHmktWJNMHzSUOWXERy04%3D&t=4d5b0474&ps=13740610&shp=81f88b70&shcp=43f4a2f9&idc=no1a',
            why_missing: null,
          },
        ],
        metrics: { likes: '25.5K', comments: '146', shares: '2156', saves: '1311' },
      },
      warnings: [],
    });
  });

  it('extracts the recommended video that follows from the DOM alone, timed by its id', () => {
    expect(tt.extract(items[1], c)).toEqual({
      platform: 'tiktok',
      adapter_version: '1.0.0',
      kind: 'post',
      account: {
        display_name: null,
        handle: 'lacasa2edicion',
        platform_account_id: null,
        profile_url: 'https://www.tiktok.com/@lacasa2edicion',
      },
      item: {
        platform_item_id: '7586458564600827138',
        url: 'https://www.tiktok.com/@lacasa2edicion/video/7586458564600827138',
        // no JSON for this one: the id gives the time; the card shows "· 12-22" (Spain, UTC+1)
        posted_at: '2025-12-21T23:33:50.000Z',
        posted_at_text: '12-22',
        posted_at_source: 'id-decoded',
        id_time: '2025-12-21T23:33:50.000Z',
        // the AI summary (v2t-*) under the caption is left out
        text: '😅😂 #ruth #empoderada #ruthempoderada',
        in_reply_to: null,
        thread_id: '7586458564600827138',
        visibility: null,
        media: [
          {
            kind: 'video',
            url: null,
            poster: null,
            why_missing: 'streamed video (blob: URL) and no poster frame loaded yet; nothing to download from the page',
          },
        ],
        metrics: { likes: '35.3K', comments: '223', shares: '24.8K', saves: '1852' },
      },
      warnings: [],
    });
  });

  it('enclosingItem and kindOf from deep inside a card', () => {
    const mention = items[0].querySelector('[data-e2e="video-desc"] a p');
    expect(mention?.textContent).toBe('@burgerking_es');
    expect(tt.enclosingItem(mention!, c)).toBe(items[0]);
    const likeCount = items[1].querySelector('[data-e2e="like-count"]')!;
    expect(tt.enclosingItem(likeCount, c)).toBe(items[1]);
    const logo = doc.querySelector('[data-e2e="tiktok-logo"]')!;
    expect(tt.enclosingItem(logo, c)).toBeNull();
    expect(tt.kindOf(logo, c)).toBe('element');
  });

  it('extractPage is null: the rendered video is an item', () => {
    expect(tt.extractPage!(doc, c)).toBeNull();
  });

  it('extractPage reads a served shell from the same rehydration JSON', () => {
    const json = doc.querySelector('script#__UNIVERSAL_DATA_FOR_REHYDRATION__')!.textContent!;
    const shell = new JSDOM(`<html><head><script id="__UNIVERSAL_DATA_FOR_REHYDRATION__" type="application/json">${json}</script></head><body><div id="app"></div></body></html>`, { url }).window.document;
    expect(tt.findItems(shell, c)).toEqual([]);
    const x = tt.extractPage!(shell, c)!;
    expect(x.kind).toBe('post');
    expect(x.account).toEqual({
      display_name: 'IlloJuan',
      handle: 'illojuan',
      platform_account_id: '6781206617314018309',
      profile_url: 'https://www.tiktok.com/@illojuan',
    });
    expect(x.item).toMatchObject({
      platform_item_id: '7571863205253778710',
      posted_at: '2025-11-12T15:36:28.000Z',
      posted_at_text: '1762961788',
      posted_at_source: 'json',
      text: CAPTION,
      metrics: { likes: '25500', comments: '146', shares: '2156', saves: '1311', views: '192100' },
    });
    expect(x.warnings).toEqual([]);
  });
});

describe('tiktok: comments, profile header and grid (constructed from the data-e2e markers)', () => {
  const url = 'https://www.tiktok.com/@sam.victim/video/7571863205253778710';
  const html = `<html><body>
    <div data-e2e="browse-video-desc"><span>caption</span></div>
    <div class="DivCommentListContainer">
      <div class="DivCommentObjectWrapper">
        <div class="DivCommentItemWrapper">
          <div class="DivCommentContentWrapper">
            <a data-e2e="comment-avatar-1" href="/@rosa.example"><span data-e2e=""><img src="https://p16-sign.tiktokcdn.com/avatar-rosa.jpeg" alt=""></span></a>
            <div class="DivContentContainer">
              <div data-e2e="comment-username-1"><a href="/@rosa.example"><p>Rosa Example</p></a></div>
              <span data-e2e="comment-level-1"><p>I know where you live now <a href="/@sam.victim"><p>@sam.victim</p></a></p></span>
              <img data-e2e="comment-thumbnail" src="https://p16-sign.tiktokcdn.com/comment-photo.jpeg" alt="">
              <div class="DivCommentSubContentWrapper"><span data-e2e="comment-time-1">2d ago</span><span>Reply</span></div>
            </div>
            <div class="DivLikeContainer"><span data-e2e="comment-like-count">12</span></div>
          </div>
        </div>
        <div class="DivReplyContainer">
          <div class="DivCommentItemWrapper">
            <a data-e2e="comment-avatar-2" href="/@other.person"><img src="https://p16-sign.tiktokcdn.com/avatar-other.jpeg" alt=""></a>
            <div class="DivContentContainer">
              <div data-e2e="comment-username-2"><a href="/@other.person"><p>Other Person</p></a></div>
              <span data-e2e="comment-level-2"><p>leave her alone</p></span>
              <div class="DivCommentSubContentWrapper"><span>11-20</span><span>Reply</span></div>
            </div>
          </div>
          <p data-e2e="view-more-1">View 3 more</p>
        </div>
      </div>
    </div></body></html>`;
  const doc = new JSDOM(html, { url }).window.document;
  const c = ctx(url);
  const items = tt.findItems(doc, c);

  it('finds the video column and both comments', () => {
    expect(items.map((e) => tt.kindOf(e, c))).toEqual(['post', 'comment', 'comment']);
  });

  it('extracts a comment with its image, likes and relative time, and says it has no id', () => {
    expect(tt.extract(items[1], c)).toEqual({
      platform: 'tiktok',
      adapter_version: '1.0.0',
      kind: 'comment',
      account: { display_name: 'Rosa Example', handle: 'rosa.example', platform_account_id: null, profile_url: 'https://www.tiktok.com/@rosa.example' },
      item: {
        platform_item_id: null,
        url: null,
        posted_at: '2026-11-27T12:00:00.000Z',
        posted_at_text: '2d ago',
        posted_at_source: 'relative-text',
        text: 'I know where you live now @sam.victim',
        in_reply_to: '7571863205253778710',
        thread_id: '7571863205253778710',
        visibility: null,
        media: [{ kind: 'image', url: 'https://p16-sign.tiktokcdn.com/comment-photo.jpeg', alt: '' }],
        metrics: { likes: '12' },
      },
      warnings: [
        {
          code: 'no-comment-id',
          message: "TikTok's page does not show a comment's id or a link to it; identify it by author, text and the video's address.",
        },
        { code: 'item-id-missing', message: "The platform's id for this item was not found." },
        { code: 'permalink-missing', message: 'No permalink for this item was found.' },
        {
          code: 'time-relative',
          message: 'The page shows only a relative time ("2d ago"); the time recorded is approximate, counted back from the capture time.',
        },
      ],
    });
  });

  it('keeps a reply dated only "11-20" as text and says why', () => {
    const x = tt.extract(items[2], c);
    expect(x.account?.handle).toBe('other.person');
    expect(x.item).toMatchObject({ text: 'leave her alone', posted_at: null, posted_at_text: '11-20', posted_at_source: 'text', in_reply_to: null });
    expect(x.warnings.map((w) => w.code)).toEqual(['time-date-only', 'no-comment-id', 'item-id-missing', 'permalink-missing', 'time-unparsed']);
    expect(tt.enclosingItem(doc.querySelector('[data-e2e="comment-level-2"] p')!, c)).toBe(items[2]);
  });

  it('the caption column is not timed by a comment beside it', () => {
    const x = tt.extract(items[0], c);
    expect(x.item).toMatchObject({ platform_item_id: '7571863205253778710', posted_at_source: 'id-decoded', posted_at_text: '7571863205253778710', text: 'caption' });
  });

  it('reads a profile page: header, counts, and grid tiles timed by their ids', () => {
    const purl = 'https://www.tiktok.com/@rosa.example';
    const pdoc = new JSDOM(
      `<html><body><div data-e2e="user-page"><div class="DivShareLayoutHeader">
        <div data-e2e="user-avatar"><img src="https://p16-sign.tiktokcdn.com/avatar-large.jpeg" alt=""></div>
        <h1 data-e2e="user-title">rosa.example</h1><h2 data-e2e="user-subtitle">Rosa Example</h2>
        <h3><div><strong data-e2e="following-count">12</strong> Following</div><div><strong data-e2e="followers-count">3.4K</strong> Followers</div><div><strong data-e2e="likes-count">56.7K</strong> Likes</div></h3>
        <h2 data-e2e="user-bio">watching you</h2></div>
        <div data-e2e="user-post-item-list"><div data-e2e="user-post-item"><div><a href="https://www.tiktok.com/@rosa.example/video/7586458564600827138"><div><img alt="see you soon" src="https://p16-sign.tiktokcdn.com/cover1.jpeg"></div><strong data-e2e="video-views">1.2M</strong></a></div></div></div>
      </div></body></html>`,
      { url: purl },
    ).window.document;
    const pc = ctx(purl);
    const found = tt.findItems(pdoc, pc);
    expect(found.map((e) => tt.kindOf(e, pc))).toEqual(['profile', 'post']);
    const profile = {
      platform: 'tiktok',
      adapter_version: '1.0.0',
      kind: 'profile',
      account: { display_name: 'Rosa Example', handle: 'rosa.example', platform_account_id: null, profile_url: 'https://www.tiktok.com/@rosa.example' },
      item: {
        platform_item_id: null,
        url: 'https://www.tiktok.com/@rosa.example',
        title: 'Rosa Example',
        posted_at: null,
        posted_at_text: null,
        posted_at_source: null,
        text: 'watching you',
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        media: [{ kind: 'image', url: 'https://p16-sign.tiktokcdn.com/avatar-large.jpeg', alt: 'profile photo' }],
        metrics: { following: '12', followers: '3.4K', likes: '56.7K' },
      },
      warnings: [],
    };
    expect(tt.extract(found[0], pc)).toEqual(profile);
    expect(tt.extractPage!(pdoc, pc)).toEqual(profile);
    const tile = tt.extract(found[1], pc);
    expect(tile.item).toMatchObject({
      platform_item_id: '7586458564600827138',
      url: 'https://www.tiktok.com/@rosa.example/video/7586458564600827138',
      posted_at: '2025-12-21T23:33:50.000Z',
      posted_at_source: 'id-decoded',
      text: 'see you soon',
      media: [{ kind: 'image', url: 'https://p16-sign.tiktokcdn.com/cover1.jpeg', alt: 'see you soon' }],
      metrics: { views: '1.2M' },
    });
    expect(tile.warnings.map((w) => w.code)).toEqual(['grid-tile']);
  });
});

describe('tiktok: caption with the AI summary nested inside it', () => {
  it('leaves the v2t-* summary out of the text', () => {
    const url = 'https://www.tiktok.com/foryou';
    const doc = new JSDOM(
      `<article data-e2e="recommend-list-item-container"><section data-e2e="feed-video"><div id="xgwrapper-0-7586458564600827138"><video src="blob:https://www.tiktok.com/x"></video></div></section>
        <a data-e2e="video-author-avatar" href="/@rosa.example"><img src="https://p16-sign.tiktokcdn.com/a.jpeg" alt=""></a>
        <div data-e2e="video-desc"><span>see you</span><a href="/tag/soon"><p>#soon</p></a><div><div data-e2e="v2t-title">AI title</div><div>AI disclaimer</div></div></div>
        <span>· 3h ago</span></article>`,
      { url },
    ).window.document;
    const [el] = tt.findItems(doc, ctx(url));
    const x = tt.extract(el, ctx(url));
    expect(x.item).toMatchObject({
      platform_item_id: '7586458564600827138',
      url: 'https://www.tiktok.com/@rosa.example/video/7586458564600827138',
      text: 'see you #soon',
      posted_at: '2025-12-21T23:33:50.000Z',
      posted_at_text: '3h ago',
      posted_at_source: 'id-decoded',
    });
  });
});

describe('tiktok: matchesUrl', () => {
  it.each([
    ['https://www.tiktok.com/@illojuan/video/7571863205253778710', true],
    ['https://www.tiktok.com/@illojuan', true],
    ['https://m.tiktok.com/v/7571863205253778710.html', true],
    ['https://www.tiktok.com.example.net/@x', false],
    ['https://nottiktok.com/@x', false],
    ['https://www.youtube.com/watch?v=x', false],
  ])('%s → %s', (u, expected) => {
    expect(tt.matchesUrl(new URL(u))).toBe(expected);
  });
});
