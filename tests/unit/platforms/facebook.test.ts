import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { Account, Extraction, ItemKind, MediaRef, Warning } from '../../../utils/shared/types';
import { extractEmbeddedPosts, facebookAdapter as fb } from '../../../utils/content/platforms/facebook';
import { loadFixture } from '../../helpers/fixtures';
import { extractionOf, item } from '../../helpers/extraction';

// Expected values were read by hand from the saved pages in ../shared/fixtures/platforms/facebook:
// ids from data-ft / ft_ent_identifier / og:url / comment_id links, times from data-utime,
// data-ft publish_time and the Relay JSON (creation_time / created_time), text and media from the DOM.
const capturedAt = new Date('2026-11-29T12:00:00Z');
const ctxFor = (url: string) => ({ url: new URL(url), capturedAt });

const ex = extractionOf('facebook');
const acc = (display_name: string | null, handle: string | null, platform_account_id: string | null, profile_url: string | null): Account => ({
  display_name,
  handle,
  platform_account_id,
  profile_url,
});
const img = (url: string, alt: string | null): MediaRef => ({ kind: 'image', url, alt });
const relative = (shown: string): Warning => ({
  code: 'time-relative',
  message: `The page shows only a relative time ("${shown}"); the time recorded is approximate, counted back from the capture time.`,
});
/** Bengali text arrives in mixed Unicode forms (য় as one code point or two); compare it in NFC. */
const nfc = (e: Extraction): Extraction => ({ ...e, item: { ...e.item, text: e.item.text?.normalize('NFC') ?? null } });
const unparsed = (shown: string): Warning => ({ code: 'time-unparsed', message: `The time shown ("${shown}") could not be turned into a date.` });

// ---------------------------------------------------------------------------
// Comet, rendered post permalink with comments (2025)
// ---------------------------------------------------------------------------
describe('facebook: rendered Comet post with comments (tanjin, 2025)', () => {
  const url =
    'https://www.facebook.com/salmanmd.sultan.1/posts/closed%E0%A6%88%E0%A6%A6-%E0%A6%89%E0%A6%AA%E0%A6%B2%E0%A6%95%E0%A7%8D%E0%A6%B7%E0%A7%87-system-design-%E0%A6%8F%E0%A6%B0-%E0%A6%AB%E0%A7%8D%E0%A6%B0%E0%A6%BF-course-announcementekhonkar-%E0%A6%B8%E0%A6%AE%E0%A7%9F%E0%A7%87-%E0%A6%8F%E0%A6%AE%E0%A6%A8-%E0%A6%AD%E0%A6%BE%E0%A6%AC%E0%A7%87/3741738029450159/';
  const doc = loadFixture('facebook/tanjin__www-facebook-post-with-comments-rendered-2025.html', url);
  const ctx = ctxFor(url);
  const items = fb.findItems(doc, ctx);
  const author = acc('Salman Mohammad Sultan', 'salmanmd.sultan.1', '100008419968650', 'https://www.facebook.com/salmanmd.sultan.1');
  const permalink = 'https://www.facebook.com/salmanmd.sultan.1/posts/pfbid02pmb12q1MvJtRmoNbehRRgzd48vLkUZca1mV5L4AKZq4MsLK52Kgmjag2hvQoFQwhl';
  const card = img(
    'https://external.fdac14-1.fna.fbcdn.net/emg1/v/t13/14148064364045912087?url=https%3A%2F%2Finnovativeskillsbd.com%2Ffrontend%2Fimg%2Fbackground%2FInnovation4.png&fb_obo=1&utld=innovativeskillsbd.com&stp=c0.5000x0.5000f_dst-emg0_p98x98_q75_tt6&_nc_gid=c4SQeDqf-P75mAz8db72OA&_nc_oc=AdkgcPSy9rT_iR5jVCvPUBVlM4yqVsSkp_ibRrdHSoQ0v3dQUjWqlM4LOGakCfjw3Ls&ccb=13-1&oh=06_Q3-0Aeaq_KM27uockndPz6xpVdmmdh6CKH4qUj3UaP1f09XW&oe=6857242E&_nc_sid=c97757',
    'Innovative Skills',
  );
  // Every reply comment repeats one template after the name of the person it answers.
  const reply = (to: string): string =>
    [
      to,
      'ধন্যবাদ , আগ্রহ প্রকাশ করার জন্য!',
      'আমাদের ঈদ স্পেশাল সিস্টেম ডিজাইন কোর্স (Batch 1 এর Prerecorded Course) ফ্রিতে নিতে হলে নিচের কুপন কোড ব্যবহার করে রেজিস্ট্রেশন সম্পন্ন করুন:',
      '🎟️ Coupon Code: EIDGIFT2025',
      '📌 এই কোডটি নিচের লিংক এ গিয়ে রেজিস্ট্রেশন এর সময় ব্যবহার করলেই আপনি কোর্সটি একদম ফ্রিতে পেয়ে যাবেন ইন শা আল্লাহ।',
      'Link:',
      'https://innovativeskillsbd.com/.../system-design-software...',
      'How to Registration : https://youtu.be/IHr893qh76k',
      'How to watch course video : https://youtu.be/WwL-tFuEZ1I',
      '🔹 রেজিস্ট্রেশনে কোনো সমস্যা হলে অথবা কোর্স সংক্রান্ত কোনো প্রশ্ন থাকলে, নিচের মাধ্যমগুলোতে যোগাযোগ করতে পারেন:',
      '📘 Facebook Page:',
      '🔗 https://www.facebook.com/share/1Jy2sB81LJ/',
      '📞 WhatsApp Number (Support):',
      '➤ +880 1738-827390',
      '➤ +880 1608-590631',
      'কোর্স রিলেটেড সমস্যা এবং এসাইমেন্ট এর ব্যাপারে আপডেট পেতে ওয়াটসএপ গ্রুপে জয়েন করুন ঃ',
      'https://chat.whatsapp.com/HgS3U7CZHXeD7jA1MnS3S2',
    ]
      .join('\n')
      .normalize('NFC');

  it('finds the post and its 10 comments, in page order', () => {
    expect(items).toHaveLength(11);
    expect(items.map((e) => fb.kindOf(e, ctx))).toEqual(['post', ...Array<ItemKind>(10).fill('comment')]);
  });

  it('extracts the post: id from the Relay JSON, time from creation_time, full text behind "See more"', () => {
    const e = fb.extract(items[0], ctx);
    expect(e).toEqual(
      ex(
        'post',
        author,
        item({
          platform_item_id: '3741738029450159',
          url: permalink,
          posted_at: '2025-05-30T05:02:05.000Z',
          posted_at_text: '30 May at 11:02',
          posted_at_source: 'json',
          text: expect.any(String) as unknown as string,
          visibility: 'Shared with Public',
        }),
        [
          {
            code: 'text-from-page-data',
            message: 'The post text on screen was cut short ("See more"); the full text was taken from the data embedded in the page.',
          },
        ],
      ),
    );
    // The screen shows three paragraphs and "… See more"; the embedded message.text is the whole post.
    const text = (e.item.text ?? '').normalize('NFC');
    expect(text.startsWith('Closed\n\nঈদ উপলক্ষে  System Design  এর ফ্রি course announcement\n\nEkhonkar সময়ে'.normalize('NFC'))).toBe(true);
    expect(text.endsWith('কমেন্ট করতে ভুইলেন না।'.normalize('NFC'))).toBe(true);
    expect(text).toContain('- Online Learning using DRL\n');
    expect(text).not.toContain('See more');
    expect(e.item.text).toHaveLength(2233);
  });

  it('extracts the first comment: base64 comment_id decoded, created_time from JSON, link card image as media', () => {
    expect(nfc(fb.extract(items[1], ctx))).toEqual(
      ex(
        'comment',
        author,
        item({
          platform_item_id: '1772521800368774',
          url: `${permalink}?comment_id=1772521800368774`,
          posted_at: '2025-06-09T07:56:14.000Z',
          posted_at_text: '1w',
          posted_at_source: 'json',
          text: reply('Mehedi Hasan'),
          in_reply_to: '3741738029450159',
          thread_id: '3741738029450159',
          media: [card],
        }),
      ),
    );
  });

  it('extracts the last comment', () => {
    expect(nfc(fb.extract(items[10], ctx))).toEqual(
      ex(
        'comment',
        author,
        item({
          platform_item_id: '748423200958546',
          url: `${permalink}?comment_id=748423200958546`,
          posted_at: '2025-06-11T05:50:49.000Z',
          posted_at_text: '1w',
          posted_at_source: 'json',
          text: reply('Abdur Rashid Sawom'),
          in_reply_to: '3741738029450159',
          thread_id: '3741738029450159',
          media: [card],
        }),
      ),
    );
  });

  it('finds the innermost item from a deep descendant', () => {
    const inComment = items[3].querySelector('div[dir="auto"] img[src*="emoji.php"]');
    expect(inComment).not.toBeNull();
    expect(fb.enclosingItem(inComment!, ctx)).toBe(items[3]);
    const inPost = items[0].querySelector('[data-ad-rendering-role="story_message"] div[dir="auto"]');
    expect(fb.enclosingItem(inPost!, ctx)).toBe(items[0]);
    expect(fb.enclosingItem(doc.body, ctx)).toBeNull();
  });

  it('has no page-level record (the post itself is rendered)', () => {
    expect(fb.extractPage!(doc, ctx)).toBeNull();
  });
});

// ---------------------------------------------------------------------------
// Classic www page (~2019)
// ---------------------------------------------------------------------------
describe('facebook: classic (pre-Comet) page timeline (garcon legacy)', () => {
  const url = 'https://www.facebook.com/pages/category/Family-Style-Restaurant/Pół-Żartem-Pół-Serio-1597565460485886/posts/';
  const doc = loadFixture('facebook/garcon__www-facebook-page-classic-legacy.html', url);
  const ctx = ctxFor(url);
  const items = fb.findItems(doc, ctx);
  const page = acc('Pół Żartem Pół Serio', null, '1597565460485886', 'https://www.facebook.com/P%C3%B3%C5%82-%C5%BBartem-P%C3%B3%C5%82-Serio-1597565460485886');

  it('finds the 19 posts and no duplicate wrappers', () => {
    expect(items).toHaveLength(19);
    expect(new Set(items.map((e) => fb.kindOf(e, ctx)))).toEqual(new Set(['post']));
  });

  it('extracts the pinned photo post: ft_ent_identifier id, abbr[data-utime] time, avatar left out', () => {
    expect(fb.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        page,
        item({
          platform_item_id: '2371503626425395',
          url: 'https://www.facebook.com/1597565460485886/photos/a.1678463395729425/2371503593092065/',
          posted_at: '2019-07-03T13:29:33.000Z',
          posted_at_text: '3 lipca o 06:29',
          posted_at_source: 'attribute',
          text: 'Już od dziś 4 edycja konkursu na najfajnieszy magnes z wakacji:\n1 nagroda zaproszenie do bistro\n2 nagroda pyszna butelka wina\n3 nagroda zaproszenie do cafe\nKonkurs trwa do 1 września 2019',
          visibility: 'Publiczne',
          media: [
            img(
              'https://scontent-frt3-2.xx.fbcdn.net/v/t1.0-0/p526x296/66429560_2371503596425398_6075266562003042304_n.jpg?_nc_cat=106&_nc_oc=AQn5BunrjPgmlTpEQUSZeaEgiM-wPu9f7N1BdvucDZdHDfQ01lutgydd8xwOzBwj7B0&_nc_ht=scontent-frt3-2.xx&oh=d9ed93c321f87474498abcb5f672e3dc&oe=5DAA2A45',
              'Brak dostępnego opisu zdjęcia.',
            ),
          ],
        }),
      ),
    );
  });

  it('extracts a text post whose rest sat behind "Zobacz więcej" (text_exposed_show), without the link', () => {
    expect(fb.extract(items[2], ctx)).toEqual(
      ex(
        'post',
        page,
        item({
          platform_item_id: '2385517911690633',
          url: 'https://www.facebook.com/permalink.php?story_fbid=2385517911690633&id=1597565460485886',
          posted_at: '2019-07-23T08:05:52.000Z',
          posted_at_text: '6 godz.',
          posted_at_source: 'attribute',
          text: 'Lunch wtorek\n\nZupa dnia\nKalafiorowa\nFlamandzka\n\nDanie główne\nGołąbki w sosie pomidorowym z ziemniakami puree\nStripsy z kurczaka z ryżem I surówką colesław\nPierogi ruskie z cebulką\n\nZapraszamy🍲🍗😆',
          visibility: 'Publiczne',
        }),
      ),
    );
  });

  it('extracts the last post', () => {
    expect(fb.extract(items[18], ctx)).toEqual(
      ex(
        'post',
        page,
        item({
          platform_item_id: '2342169049358853',
          url: 'https://www.facebook.com/1597565460485886/photos/a.1678463395729425/2342169022692189/',
          posted_at: '2019-05-25T15:50:01.000Z',
          posted_at_text: '25 maja',
          posted_at_source: 'attribute',
          text: 'Z okazji Dnia Mamy wszystkim Mamom składamy serdecznie życzenia\ni dla wszystkich mam mamy słodką niespodziankę - zapraszamy 26 maja\ndo Pół Żartem Pół Serio slow bistro',
          visibility: 'Publiczne',
          media: [
            img(
              'https://scontent-frt3-2.xx.fbcdn.net/v/t1.0-0/p370x247/60988093_2342169026025522_4569991532479774720_n.jpg?_nc_cat=108&_nc_oc=AQlDvZVApKaYzIJgtT-XY1_57BhV3u8rQj-dKX_PdcMfFDx02hVIDUMMqB_NmBsLkY0&_nc_ht=scontent-frt3-2.xx&oh=f0f1416f80fbe9d09746a58817d30ca4&oe=5DB3E37C',
              'Obraz może zawierać: kwiat, roślina i przyroda',
            ),
          ],
        }),
      ),
    );
  });

  it('finds the post from a paragraph of its text', () => {
    const p = items[2].querySelector('[data-testid="post_message"] p');
    expect(fb.enclosingItem(p!, ctx)).toBe(items[2]);
  });

  it('gives the page itself as a profile record (og:* and the fb://page app link)', () => {
    const profileUrl = 'https://www.facebook.com/pages/category/Family-Style-Restaurant/P%C3%B3%C5%82-%C5%BBartem-P%C3%B3%C5%82-Serio-1597565460485886/';
    expect(fb.extractPage!(doc, ctx)).toEqual(
      ex(
        'profile',
        acc('Pół Żartem Pół Serio', null, '1597565460485886', profileUrl),
        item({
          platform_item_id: '1597565460485886',
          url: profileUrl,
          title: 'Pół Żartem Pół Serio',
          text: 'Pół Żartem Pół Serio, Warszawa. 1421 osób lubi to · 17 osób mówi o tym · 413 użytkowników tu było. slow bistro, slow catering mg, catering kuchnie świata',
          media: [
            img(
              'https://scontent-frt3-2.xx.fbcdn.net/v/t1.0-1/p200x200/12687931_1699780103597754_4677759036287359557_n.jpg?_nc_cat=104&_nc_oc=AQlSaztZSUB5ZXF2aQUK4ujDSdjYzxGwOPRLkLozwbGH5dz9b3_j1MFc5fGj04z4cHo&_nc_ht=scontent-frt3-2.xx&oh=febcd71c1a9ef9633e512e492b8fac51&oe=5DA118C9',
              null,
            ),
          ],
        }),
      ),
    );
  });
});

// ---------------------------------------------------------------------------
// Served (not rendered) Comet page, 2024: everything is in data-sjs Relay JSON
// ---------------------------------------------------------------------------
describe('facebook: served Comet page with posts only in Relay JSON (garcon 2024)', () => {
  const url = 'https://www.facebook.com/people/P%C3%B3%C5%82-%C5%BBartem-P%C3%B3%C5%82-Serio/100028295814975/';
  const doc = loadFixture('facebook/garcon__www-facebook-page-2024.html', url);
  const ctx = ctxFor(url);
  const owner = acc('Pół Żartem Pół Serio', null, '100028295814975', url);

  it('has no rendered items', () => {
    expect(fb.findItems(doc, ctx)).toEqual([]);
  });

  it('gives the profile from Open Graph, the header JSON and the fb://profile app link, and says posts were not drawn', () => {
    expect(fb.extractPage!(doc, ctx)).toEqual(
      ex(
        'profile',
        owner,
        item({
          platform_item_id: '100028295814975',
          url,
          title: 'Pół Żartem Pół Serio | Warsaw',
          text: 'Pół Żartem Pół Serio, Warszawa. 2276 osób lubi to · 7 osób mówi o tym · 546 użytkowników tu było. slow bistro, slow catering mg, catering kuchnie świata',
          media: [
            img(
              'https://scontent-waw2-2.xx.fbcdn.net/v/t39.30808-1/295099345_913147066305145_2215771813200842711_n.jpg?stp=dst-jpg_p720x720&_nc_cat=103&ccb=1-7&_nc_sid=6de708&_nc_ohc=UTWZ13Ock2UQ7kNvgFq5L6q&_nc_ht=scontent-waw2-2.xx&oh=00_AYD_B7Ev6CBroaaE9BpiYCjQTCGhFL4_huAqg__-ahZAkw&oe=66C28565',
              'Pół Żartem Pół Serio | Warsaw ',
            ),
          ],
        }),
        [
          {
            code: 'posts-not-rendered',
            message: 'The page was saved before it was drawn: 1 post is present only in the data embedded in the page, not on screen.',
          },
        ],
      ),
    );
  });

  it('reads the one post from the Relay JSON (Story: post_id, creation_time, actors, message.text)', () => {
    const posts = extractEmbeddedPosts(doc, ctx);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toEqual(
      ex(
        'post',
        owner,
        item({
          platform_item_id: '1416281615991685',
          url: 'https://www.facebook.com/permalink.php?story_fbid=pfbid0dcnDxDnFgyioPGkFVUBAmULwCScvaTSzro4YSANJo7NiV9GwMRJqDisVM3hc8c19l&id=100028295814975',
          posted_at: '2024-08-13T18:32:55.000Z',
          posted_at_text: '1723573975',
          posted_at_source: 'json',
          text: expect.any(String) as unknown as string,
        }),
        [
          {
            code: 'not-rendered',
            message: 'This post was read from the data embedded in the page; it was not shown on screen when the page was saved.',
          },
        ],
      ),
    );
    const text = posts[0].item.text ?? '';
    expect(text.startsWith('MENU 14 SIERPNIA\nZUPA DNIA\nKALAFIOROWA 10 ZŁ\nKAPUŚNIAK 10 ZŁ\n')).toBe(true);
    expect(text.endsWith('DESER\nSERNIK NA ZIMNO 16 ZŁ\nCIASTO Z RABARBAREM 16 ZŁ')).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// m.facebook.com (2021)
// ---------------------------------------------------------------------------
describe('facebook: m.facebook.com story.php with comments (fbscraper 2021)', () => {
  const url = 'https://m.facebook.com/story.php?story_fbid=3065154550235644&id=119240841493711';
  const doc = loadFixture('facebook/fbscraper__m-facebook-story-post-2021.html', url);
  const ctx = ctxFor(url);
  const items = fb.findItems(doc, ctx);
  const nintendo = acc('Nintendo', 'Nintendo', '119240841493711', 'https://m.facebook.com/Nintendo');
  const person = (name: string, id: string): Account => acc(name, null, id, `https://www.facebook.com/profile.php?id=${id}`);
  const videoPost = 'https://m.facebook.com/Nintendo/videos/which-enemy-from-a-nintendo-game-are-you-most-scared-of-comment-below-with-what-/387081299304444/';

  it('finds 4 story views (the post and 3 more from the page) and their 108 comments', () => {
    expect(items).toHaveLength(112);
    const kinds = items.map((e) => fb.kindOf(e, ctx));
    expect(kinds.filter((k) => k === 'post')).toHaveLength(4);
    expect(kinds.filter((k) => k === 'comment')).toHaveLength(108);
    expect([kinds[0], kinds[31], kinds[62], kinds[81]]).toEqual(['post', 'post', 'post', 'post']);
  });

  it('extracts the album post: data-ft ids and publish_time, four photos, no avatars', () => {
    const photo = (path: string) => img(`https://scontent.fhlz2-1.fna.fbcdn.net/v/${path}`, 'No photo description available.');
    expect(fb.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        nintendo,
        item({
          platform_item_id: '3065154550235644',
          url: 'https://m.facebook.com/story.php?story_fbid=3065154550235644&id=119240841493711',
          posted_at: '2020-05-13T01:01:18.000Z',
          posted_at_text: '13 May 2020 at 01:01',
          posted_at_source: 'json',
          text: 'Check out these themed wallpapers and many more at the link below for your personal use! We hope you enjoy them!\n\nhttps://www.nintendo.com/wallpapers/',
          visibility: 'Public',
          quoted: null,
          media: [
            photo('t1.6435-9/cp0/e15/q65/p720x720/96724875_3065146506903115_4237164853036318720_n.jpg?_nc_cat=103&ccb=1-3&_nc_sid=8024bb&_nc_ohc=SvpNqSK7ILIAX93ehWM&_nc_ht=scontent.fhlz2-1.fna&tp=3&oh=426e258c934177d9ded48435efaecc6c&oe=60E74054'),
            photo('t1.6435-0/cp0/e15/q65/s640x640/96657922_3065146630236436_9052202957155598336_n.jpg?_nc_cat=101&ccb=1-3&_nc_sid=8024bb&_nc_ohc=MwI_Au5sC60AX93Dkix&_nc_ht=scontent.fhlz2-1.fna&tp=9&oh=5c016bd47d3d9ab3ba997b48dbc21a97&oe=60E75F2D'),
            photo('t1.6435-0/cp0/e15/q65/s640x640/96557798_3065146790236420_838564679184809984_n.jpg?_nc_cat=103&ccb=1-3&_nc_sid=8024bb&_nc_ohc=ydkcrs8kPykAX_0Fdn4&_nc_ht=scontent.fhlz2-1.fna&tp=9&oh=ca962fe95d846cbd6e4e78b0884572c9&oe=60E51308'),
            photo('t1.6435-0/cp0/e15/q65/s640x640/96688092_3065146896903076_7861539131082407936_n.jpg?_nc_cat=108&ccb=1-3&_nc_sid=8024bb&_nc_ohc=vqgGsFXTmO4AX82bX5z&_nc_ht=scontent.fhlz2-1.fna&tp=9&oh=7e9da116d24a9faee2fe15c16d7dea8f&oe=60E3DD81'),
          ],
        }),
      ),
    );
  });

  it('extracts the first comment: "12 mths" resolved as relative text, author id from feed_story_ring', () => {
    expect(fb.extract(items[1], ctx)).toEqual(
      ex(
        'comment',
        person('Yusof Elmahboub', '100004071004949'),
        item({
          platform_item_id: '3154024434681988',
          url: 'https://m.facebook.com/story.php?story_fbid=3065154550235644&id=119240841493711&comment_id=3154024434681988',
          posted_at: '2025-12-04T12:00:00.000Z',
          posted_at_text: '12 mths',
          posted_at_source: 'relative-text',
          text: 'I think Sora,Spyro,Dixie Kong and a monster hunter character should be in Fighter Pass 3 for smash bros if a fighter pass 3 happens.',
          in_reply_to: '3065154550235644',
          thread_id: '3065154550235644',
        }),
        [relative('12 mths')],
      ),
    );
  });

  it('extracts a video post: file URL from the player data-store, poster from its inline style', () => {
    expect(fb.extract(items[62], ctx)).toEqual(
      ex(
        'post',
        nintendo,
        item({
          platform_item_id: '4193752747375813',
          url: 'https://m.facebook.com/Nintendo/videos/nintendo-monthly-rewind-may-2021/286348296528911/',
          posted_at: '2021-06-04T15:11:22.000Z',
          posted_at_text: '4 June at 15:11',
          posted_at_source: 'json',
          text: "May 2021 is in the books! Take a look back at just a few of the past month's announcements, updates, and releases with Nintendo Monthly Rewind.",
          visibility: 'Public',
          quoted: null,
          media: [
            {
              kind: 'video',
              url: 'https://video.fhlz2-1.fna.fbcdn.net/v/t42.1790-2/194741023_4207711329291561_328724728362797609_n.mp4?_nc_cat=103&ccb=1-3&_nc_sid=985c63&efg=eyJ2ZW5jb2RlX3RhZyI6InN2ZV9zZCJ9&_nc_ohc=ai2vDNsA5DUAX_Aja_h&_nc_rml=0&_nc_ht=video.fhlz2-1.fna&oh=932b192d61ff99a4946911750a836f2f&oe=60C01090',
              poster:
                'https://scontent.fhlz2-1.fna.fbcdn.net/v/t15.5256-10/cp0/e15/q65/s1080x2048/188285888_286354983194909_8481864213285700930_n.jpg?_nc_cat=110&ccb=1-3&_nc_sid=ccf8b3&_nc_ohc=QBun_RuWHEsAX_PCR4E&_nc_ht=scontent.fhlz2-1.fna&tp=9&oh=688127810fb968c9b02aff8e5f4f19e7&oe=60C54FA5',
              why_missing: null,
            },
          ],
        }),
      ),
    );
  });

  it('extracts the page\'s own comment with a video (poster <img> is not counted twice)', () => {
    expect(fb.extract(items[82], ctx)).toEqual(
      ex(
        'comment',
        person('Nintendo', '119240841493711'),
        item({
          platform_item_id: '4192127297538358',
          url: `${videoPost}?comment_id=4192127297538358`,
          posted_at_text: 'on Thu',
          posted_at_source: 'text',
          text: 'The results are in! See if your answer made it on the charts. (If you haven’t answered already, comment now before you start the video! Which enemy from a Nintendo game are you most scared of?)',
          in_reply_to: '4191173794300375',
          thread_id: '4191173794300375',
          media: [
            {
              kind: 'video',
              url: 'https://video.fhlz2-1.fna.fbcdn.net/v/t42.1790-2/196905223_149358717245269_7432124317297906954_n.mp4?_nc_cat=103&ccb=1-3&_nc_sid=985c63&efg=eyJ2ZW5jb2RlX3RhZyI6InN2ZV9zZCJ9&_nc_ohc=OBT9cJdXYk4AX_M90T3&_nc_rml=0&_nc_ht=video.fhlz2-1.fna&oh=47c388c45a1981ad6caeb6c3425b54b3&oe=60C0114D',
              poster:
                'https://scontent.fhlz2-1.fna.fbcdn.net/v/t15.5256-10/cp0/e15/q65/s320x320/190816459_4192126800871741_7077290339982700943_n.jpg?_nc_cat=108&ccb=1-3&_nc_sid=ed1892&_nc_ohc=TkSx1VmqY7wAX-UDajC&_nc_ht=scontent.fhlz2-1.fna&tp=9&oh=d752e43b5de4e3393232a746f37b625d&oe=60C4C922',
              why_missing: null,
            },
          ],
        }),
        [unparsed('on Thu')],
      ),
    );
  });

  it('extracts the last comment (weekday-only time kept verbatim)', () => {
    expect(fb.extract(items[111], ctx)).toEqual(
      ex(
        'comment',
        person('Elisabeth Skystone', '100007372770358'),
        item({
          platform_item_id: '4191209650963456',
          url: `${videoPost}?comment_id=4191209650963456`,
          posted_at_text: 'last Thu',
          posted_at_source: 'text',
          text: 'The guardians from skyward sword got me every time',
          in_reply_to: '4191173794300375',
          thread_id: '4191173794300375',
        }),
        [unparsed('last Thu')],
      ),
    );
  });

  it('finds the comment from its body and the post from its paragraph', () => {
    const body = items[1].querySelector('[data-sigil="comment-body"] span');
    expect(fb.enclosingItem(body!, ctx)).toBe(items[1]);
    const p = items[0].querySelector('[data-ft*=\'"tn":"*s"\'] p');
    expect(fb.enclosingItem(p!, ctx)).toBe(items[0]);
  });

  it('has no page-level record', () => {
    expect(fb.extractPage!(doc, ctx)).toBeNull();
  });
});

describe('facebook: m.facebook.com group feed (fbscraper 2021)', () => {
  const url = 'https://m.facebook.com/groups/117507531664134/';
  const doc = loadFixture('facebook/fbscraper__m-facebook-group-feed-2021.html', url);
  const ctx = ctxFor(url);
  const items = fb.findItems(doc, ctx);
  const omar = acc('Omar U. Florez', 'omarflorez', '757122227', 'https://m.facebook.com/omarflorez');
  const groupDescription =
    'Hola!, This group is aimed to create opportunities for South American students in Computer Science and related fields.\n\nHope this will help us to know what we are doing in our work, achievements to be recognized, increase fairness in our area, and maybe conferences where we might meet.\n\nProfessors and professionals are also welcomed to share their experiences and to collaborate among us and learn together.\n\nSome short rules for a happy co-existence:\n1. No business advertisement or spam.\n2. Topics relevant to Computing, Computer Science, Software Engineering, and Education.\n3. Political and religious advertisement are not allowed.';

  it('finds the 21 articles', () => {
    expect(items).toHaveLength(21);
    expect(items.every((e) => fb.kindOf(e, ctx) === 'post')).toBe(true);
  });

  it('extracts the first post, joining the text hidden behind "More"', () => {
    expect(fb.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        omar,
        item({
          platform_item_id: '1629606003787605',
          url: 'https://m.facebook.com/groups/southamericansincomputing/permalink/1629606003787605/',
          posted_at: '2018-04-03T20:02:42.000Z',
          posted_at_text: '3 April 2018 at 20:02',
          posted_at_source: 'json',
          text: groupDescription,
          visibility: 'Public',
          quoted: null,
        }),
      ),
    );
  });

  it('extracts a shared post: the shared story goes to item.quoted, not into the text', () => {
    expect(fb.extract(items[2], ctx)).toEqual(
      ex(
        'post',
        acc('Rodriguez Ernesto', 'mba.ernestocr.gwu', '1198067985', 'https://m.facebook.com/mba.ernestocr.gwu'),
        item({
          platform_item_id: '4027245694023612',
          url: 'https://m.facebook.com/groups/southamericansincomputing/permalink/4027245694023612/',
          posted_at: '2021-06-02T00:21:50.000Z',
          posted_at_text: '2 June at 00:21',
          posted_at_source: 'json',
          visibility: 'Public',
          media: [
            img(
              'https://scontent.fhlz2-1.fna.fbcdn.net/v/t1.6435-9/fr/cp0/e15/q65/192130433_10158723179542851_7566207843128652209_n.jpg?_nc_cat=103&ccb=1-3&_nc_sid=8024bb&_nc_ohc=52l5JZjagWEAX9pIHbW&_nc_ht=scontent.fhlz2-1.fna&tp=14&oh=a85cdc5ad52d6b5fb0476ac975125321&oe=60E5D4A9',
              'May be an image of 5 people, people standing and indoor',
            ),
            img(
              'https://scontent.fhlz2-1.fna.fbcdn.net/v/t1.6435-9/fr/cp0/e15/q65/193235336_10158723181787851_5027374780338781945_n.jpg?_nc_cat=104&ccb=1-3&_nc_sid=8024bb&_nc_ohc=gyN1VHJ0WYQAX97wlCn&_nc_ht=scontent.fhlz2-1.fna&tp=14&oh=adef48edd214a83882863bfce7a33b3b&oe=60E6B99E',
              'May be an image of text that says "Kushki, an Ecuador-based fintech, raises $86M to build financial infrastructure in LatAm Marcella McCarthy @marcemccarthy 8:00 AM GMT-5 June 1,2021 ✓"',
            ),
          ],
          quoted: {
            platform_item_id: '10158723182032851',
            url: 'https://m.facebook.com/story.php?story_fbid=10158723182032851&id=539977850',
            account: acc('Edgar Sánchez', null, '539977850', null),
            text: 'Mientras hay gente que se pasa diciendo "en este país no se puede", "los ecuatorianos así y asado", etc. Hay ecuatorianos que deciden *volver* al Ecuador, ponerse emprendimientos, de tecnología además, y demuestran que en este país y con nuestra gente se puede totalmente. Kushki, fundada en el 2017 con oficinas en La Carolina nomás, acaba de completar su segunda ronda de financiamiento, levantaron *86 millones de dólares* con lo que la valoración de la compañía se estima ahora en *600 millones de dólares*. ¡Felicitaciones a Daniela Espinosa y a toda la gente de Kushki!\n\nhttps://techcrunch.com/2021/06/01/kushki-an-ecuador-based-fintech-raises-86m-to-build-financial-infrastructure-in-latam/',
          },
        }),
      ),
    );
  });

  it('extracts the last post (own text plus a shared post)', () => {
    expect(fb.extract(items[20], ctx)).toEqual(
      ex(
        'post',
        omar,
        item({
          platform_item_id: '3969876906427158',
          url: 'https://m.facebook.com/groups/southamericansincomputing/permalink/3969876906427158/',
          posted_at: '2021-05-13T20:11:19.000Z',
          posted_at_text: '13 May at 20:11',
          posted_at_source: 'json',
          text: '💪🇵🇪 Cesar Beltrán Castañón',
          visibility: 'Public',
          media: [
            img(
              'https://scontent.fhlz2-1.fna.fbcdn.net/v/t1.6435-9/cp0/e15/q65/s1080x2048/185416048_4084416331655950_8528539900849095956_n.jpg?_nc_cat=102&ccb=1-3&_nc_sid=8024bb&_nc_ohc=qspjuRgNDVAAX82vIzO&_nc_ht=scontent.fhlz2-1.fna&tp=9&oh=5160843513b5f6189ab4725e825acaa3&oe=60E7153F',
              'May be an image of 1 person and text that says "ESTRATEGIA NACIONAL DE INTELIGENCIA ARTIFICIAL PCM Secretaría de Gobierno Digital CESAR BELTRAN CASTAÑON PhD en Bioinformática en Universidad de San Pablo-Brasil. Profesor Principal-Investigador de la PUCP"',
            ),
          ],
          quoted: {
            platform_item_id: '4084424954988421',
            url: 'https://m.facebook.com/story.php?story_fbid=4084424954988421&id=296374063793548',
            account: acc('Secretaría de Gobierno Digital', 'PeruPaisDigital', '296374063793548', 'https://m.facebook.com/PeruPaisDigital'),
            text: 'César Beltrán: "En los últimos años muchos países del mundo han invertido en Inteligencia Artificial liderados por EE.UU. y China. Desde el 2015 se han duplicado el número de empleos relacionados a IA en el sector privado y la oferta académica para especialización en Inteligencia Artificial/Machine Learning, Maestrías y Doctorados incrementa significativamente".\n\n¡Participa! 👉 https://zoom.us/j/99877162033\n\n#PorUnPerúDigital #transformacióndigitaldelperú',
          },
        }),
      ),
    );
  });

  it('finds a shared story\'s paragraph as part of the sharing post', () => {
    const inQuote = items[2].querySelector('[data-sigil~="feed-ufi-metadata"] p');
    expect(fb.enclosingItem(inQuote!, ctx)).toBe(items[2]);
  });

  it('gives the group itself as a page-level record', () => {
    expect(fb.extractPage!(doc, ctx)).toEqual(
      ex(
        'profile',
        acc('South Americans in Computing', 'southamericansincomputing', '117507531664134', 'https://www.facebook.com/groups/southamericansincomputing/'),
        item({
          platform_item_id: '117507531664134',
          url: 'https://www.facebook.com/groups/southamericansincomputing/',
          title: 'South Americans in Computing',
          text: 'Hola!, This group is aimed to create opportunities for South American students in Computer Science and related fields. \n\nHope this will help us to know what we are doing in our work, achievements to...',
          media: [img('https://lookaside.fbsbx.com/lookaside/crawler/media/?media_id=117507531664134', null)],
        }),
      ),
    );
  });
});

describe('facebook: m.facebook.com group permalink (fbscraper 2021)', () => {
  const url = 'https://m.facebook.com/groups/southamericansincomputing/permalink/1629606003787605/';
  const doc = loadFixture('facebook/fbscraper__m-facebook-group-permalink-2021.html', url);
  const ctx = ctxFor(url);
  const items = fb.findItems(doc, ctx);

  it('finds the post and its one comment', () => {
    expect(items.map((e) => fb.kindOf(e, ctx))).toEqual(['post', 'comment']);
  });

  it('extracts the post (same post as in the group feed, same result)', () => {
    const e = fb.extract(items[0], ctx);
    expect(e.account).toEqual(acc('Omar U. Florez', 'omarflorez', '757122227', 'https://m.facebook.com/omarflorez'));
    expect(e.item).toEqual(
      item({
        platform_item_id: '1629606003787605',
        url,
        posted_at: '2018-04-03T20:02:42.000Z',
        posted_at_text: '3 April 2018 at 20:02',
        posted_at_source: 'json',
        text: expect.stringMatching(/^Hola!, This group is aimed .* advertisement are not allowed\.$/s) as unknown as string,
        visibility: 'Public',
        quoted: null,
      }),
    );
    expect(e.warnings).toEqual([]);
  });

  it('extracts the comment', () => {
    expect(fb.extract(items[1], ctx)).toEqual(
      ex(
        'comment',
        acc('Lucía Acurio', null, '100002508783253', 'https://www.facebook.com/profile.php?id=100002508783253'),
        item({
          platform_item_id: '2198796916868508',
          url: `${url}?comment_id=2198796916868508`,
          posted_at: '2024-11-29T12:00:00.000Z',
          posted_at_text: '2 yrs',
          posted_at_source: 'relative-text',
          text: 'Si pudieras incluir en los temas la "IA desde la educación escolar", sería buenísimo porque no hay mucho sobre ello.',
          in_reply_to: '1629606003787605',
          thread_id: '1629606003787605',
        }),
        [relative('2 yrs')],
      ),
    );
  });

  it('has no page-level record', () => {
    expect(fb.extractPage!(doc, ctx)).toBeNull();
  });
});

// ---------------------------------------------------------------------------
// URL matching and robustness
// ---------------------------------------------------------------------------
describe('facebook: URLs and odd DOM', () => {
  it('matches Facebook hosts but leaves conversations to Messenger', () => {
    for (const u of [
      'https://www.facebook.com/salmanmd.sultan.1/posts/pfbid02pmb',
      'https://m.facebook.com/story.php?story_fbid=1&id=2',
      'https://mbasic.facebook.com/groups/117507531664134/',
      'https://web.facebook.com/profile.php?id=100028295814975',
      'https://facebook.com/Nintendo',
    ])
      expect(fb.matchesUrl(new URL(u))).toBe(true);
    for (const u of [
      'https://www.facebook.com/messages/t/100090000000001',
      'https://www.messenger.com/t/100090000000001/',
      'https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.org',
      'https://notfacebook.com/Nintendo',
      'https://www.facebook.com.evil.example/x',
    ])
      expect(fb.matchesUrl(new URL(u))).toBe(false);
  });

  it('reads a Comet reply without Relay JSON: numeric comment_id/reply_comment_id, displayed relative times', () => {
    // Minimal Comet markup (no page data): what a logged-in feed shows once the JSON has been consumed.
    const html = `
      <div aria-posinset="1" role="article" aria-labelledby="h" aria-describedby="t">
        <div data-ad-rendering-role="profile_name"><h3 id="h"><a href="https://www.facebook.com/profile.php?id=100000000000042&__cft__[0]=x">Dana Example</a></h3></div>
        <div id="t"><a href="/permalink.php?story_fbid=5550001&id=100000000000042&__tn__=%2CO" aria-label="2 hours ago">2h</a></div>
        <div data-ad-rendering-role="story_message"><div dir="auto">I know where you live.</div></div>
        <a href="/photo/?fbid=777"><img src="https://scontent.xx.fbcdn.net/v/t39.30808-6/1_2_3_n.jpg" alt="May be an image of a house" width="500" height="400"></a>
        <div role="article" aria-label="Reply by Ana Lopes to Dana Example's comment 2 days ago">
          <a href="https://www.facebook.com/ana.lopes.5?comment_id=111&reply_comment_id=222&__cft__[0]=y" aria-hidden="true" tabindex="-1"><img src="https://scontent.xx.fbcdn.net/v/t39.30808-1/9_n.jpg" alt="" width="24" height="24"></a>
          <a href="https://www.facebook.com/ana.lopes.5?comment_id=111&reply_comment_id=222&__cft__[0]=y"><span dir="auto">Ana Lopes</span></a>
          <div dir="auto">Leave her alone.</div>
          <ul><li><a href="/permalink.php?story_fbid=5550001&id=100000000000042&comment_id=111&reply_comment_id=222&__tn__=R">2d</a></li></ul>
        </div>
      </div>`;
    const url = 'https://www.facebook.com/';
    const d = new JSDOM(html, { url }).window.document;
    const ctx = ctxFor(url);
    const items = fb.findItems(d, ctx);
    expect(items.map((e) => fb.kindOf(e, ctx))).toEqual(['post', 'comment']);
    const permalink = 'https://www.facebook.com/permalink.php?story_fbid=5550001&id=100000000000042';
    expect(fb.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        acc('Dana Example', null, '100000000000042', 'https://www.facebook.com/profile.php?id=100000000000042'),
        item({
          platform_item_id: '5550001',
          url: permalink,
          posted_at: '2026-11-29T10:00:00.000Z',
          posted_at_text: '2 hours ago',
          posted_at_source: 'relative-text',
          text: 'I know where you live.',
          media: [img('https://scontent.xx.fbcdn.net/v/t39.30808-6/1_2_3_n.jpg', 'May be an image of a house')],
        }),
        [relative('2 hours ago')],
      ),
    );
    expect(fb.extract(items[1], ctx)).toEqual(
      ex(
        'comment',
        acc('Ana Lopes', 'ana.lopes.5', null, 'https://www.facebook.com/ana.lopes.5'),
        item({
          platform_item_id: '222',
          url: `${permalink}&comment_id=111&reply_comment_id=222`,
          posted_at: '2026-11-27T12:00:00.000Z',
          posted_at_text: '2d',
          posted_at_source: 'relative-text',
          text: 'Leave her alone.',
          in_reply_to: '111',
          thread_id: '5550001',
        }),
        [relative('2d')],
      ),
    );
  });

  it('reads mbasic markup: comments as numeric-id divs in #ufi_<post>, beside the post', () => {
    const html = `
      <div id="m_story_permalink_view">
        <div data-ft='{"top_level_post_id":"900","content_owner_id_new":"100000000000042","page_insights":{"42":{"post_context":{"publish_time":1767225600,"story_fbid":["900"]}}}}'>
          <header><h3><strong><a href="/dana.example?refid=52&amp;__tn__=C-R">Dana Example</a></strong></h3></header>
          <div data-ft='{"tn":"*s"}'><p>Nobody will believe you.</p></div>
          <footer><abbr>1 January at 00:00</abbr> · <a href="/story.php?story_fbid=900&amp;id=100000000000042&amp;refid=52">Full Story</a></footer>
        </div>
        <div id="ufi_900">
          <div id="901"><div><h3><a href="/ana.lopes.5?fref=nf&amp;refid=52">Ana Lopes</a></h3><div>Stop this.</div><div><abbr>5 hrs</abbr> · <a href="/comment/replies/?ctoken=900_901">Reply</a></div></div></div>
          <div id="see_next_900"><a href="/story.php?story_fbid=900&amp;id=100000000000042&amp;p=10">View more comments…</a></div>
        </div>
      </div>`;
    const url = 'https://mbasic.facebook.com/story.php?story_fbid=900&id=100000000000042';
    const d = new JSDOM(html, { url }).window.document;
    const ctx = ctxFor(url);
    const items = fb.findItems(d, ctx);
    expect(items.map((e) => fb.kindOf(e, ctx))).toEqual(['post', 'comment']);
    expect(fb.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        acc('Dana Example', 'dana.example', '100000000000042', 'https://mbasic.facebook.com/dana.example'),
        item({
          platform_item_id: '900',
          url: 'https://mbasic.facebook.com/story.php?story_fbid=900&id=100000000000042',
          posted_at: '2026-01-01T00:00:00.000Z',
          posted_at_text: '1 January at 00:00',
          posted_at_source: 'json',
          text: 'Nobody will believe you.',
          quoted: null,
        }),
      ),
    );
    expect(fb.extract(items[1], ctx)).toEqual(
      ex(
        'comment',
        acc('Ana Lopes', 'ana.lopes.5', null, 'https://mbasic.facebook.com/ana.lopes.5'),
        item({
          platform_item_id: '901',
          url: 'https://mbasic.facebook.com/story.php?story_fbid=900&id=100000000000042&comment_id=901',
          posted_at: '2026-11-29T07:00:00.000Z',
          posted_at_text: '5 hrs',
          posted_at_source: 'relative-text',
          text: 'Stop this.',
          in_reply_to: '900',
          thread_id: '900',
        }),
        [relative('5 hrs')],
      ),
    );
  });

  it('never throws on markup it does not understand, and says what is missing', () => {
    const dom = new JSDOM('<div role="article"><span>hello</span></div>', { url: 'https://www.facebook.com/' });
    const d = dom.window.document;
    const ctx = ctxFor('https://www.facebook.com/');
    const items = fb.findItems(d, ctx);
    expect(items).toHaveLength(1);
    const e = fb.extract(items[0], ctx);
    expect(e.item.text).toBeNull();
    expect(e.warnings.map((w) => w.code)).toEqual(['account-missing', 'item-id-missing', 'permalink-missing', 'time-missing']);
    expect(fb.extractPage!(d, ctx)).toBeNull();
    expect(fb.enclosingItem(d.querySelector('span')!, ctx)).toBe(items[0]);
  });
});
