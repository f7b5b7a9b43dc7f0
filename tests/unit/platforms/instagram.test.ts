import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { Account, Extraction, Item, MediaRef, Message } from '../../../utils/shared/types';
import { instagramAdapter as ig } from '../../../utils/content/platforms/instagram';
import { OWN_FIXTURES_DIR, loadFixture } from '../../helpers/fixtures';
import { extractionOf } from '../../helpers/extraction';

// Expected values were read by hand from the saved pages in ../shared/fixtures/platforms/instagram
// (and, for the open conversation, from our synthetic tests/fixtures/messaging/instagram-dm.html).
// The inbox page holds real people's names and messages: never publish this file's output.
const capturedAt = new Date('2026-11-29T12:00:00Z');
const ctxFor = (url: string) => ({ url: new URL(url), capturedAt });

const ex = extractionOf('instagram');
const acc = (handle: string | null, id: string | null = null, name: string | null = null): Account => ({
  display_name: name,
  handle,
  platform_account_id: id,
  profile_url: handle ? `https://www.instagram.com/${handle}/` : null,
});
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
const comment = (code: string, id: string, at: string, shown: string, text: string): Item => ({
  ...base,
  platform_item_id: id,
  url: `https://www.instagram.com/p/${code}/c/${id}/`,
  posted_at: at,
  posted_at_text: shown,
  posted_at_source: 'attribute',
  text,
  in_reply_to: code,
  thread_id: code,
});
// The real inbox page's people must not be spelled out here: its extractions are compared after
// redact(), which replaces every string that can carry a name, handle, profile link or message
// text with 'sha256:' + the first 16 hex digits of its SHA-256 (UTF-8). Ids, times, sources,
// kinds, booleans and warning codes are kept; a warning message is hashed only if it quotes one
// of the redacted strings. To check a value, hash the one the page shows and compare.
const hash16 = (s: string) => `sha256:${createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 16)}`;
const redact = (e: Extraction): Extraction => {
  const x = structuredClone(e);
  const personal: string[] = [];
  const r = <T extends string | null | undefined>(s: T): T => {
    if (typeof s !== 'string') return s;
    personal.push(s);
    return hash16(s) as T;
  };
  const account = (a: Account | null) => {
    if (a) {
      a.display_name = r(a.display_name);
      a.handle = r(a.handle);
      a.profile_url = r(a.profile_url);
    }
  };
  const media = (m: MediaRef[]) => m.forEach((ref) => 'alt' in ref && (ref.alt = r(ref.alt)));
  account(x.account);
  x.item.text = r(x.item.text);
  if ('title' in x.item) x.item.title = r(x.item.title);
  if (x.item.quoted) {
    account(x.item.quoted.account);
    x.item.quoted.text = r(x.item.quoted.text);
  }
  media(x.item.media);
  x.messages?.forEach((m) => {
    account(m.sender);
    m.text = r(m.text);
    media(m.media);
  });
  x.warnings.forEach((w) => {
    if (personal.some((p) => p !== '' && w.message.includes(p))) w.message = hash16(w.message);
  });
  return x;
};
const W = {
  msgTime: {
    code: 'message-time-approximate',
    message:
      'Instagram shows message times only as separators between groups of messages; each message carries the separator shown above it, as displayed (no exact time is in the page).',
  },
  itemId: { code: 'item-id-missing', message: "The platform's id for this item was not found." },
  permalink: { code: 'permalink-missing', message: 'No permalink for this item was found.' },
  account: { code: 'account-missing', message: 'The author of this item could not be identified on the page.' },
  unparsed: (shown: string) => ({ code: 'time-unparsed', message: `The time shown ("${shown}") could not be turned into a date.` }),
  relative: (shown: string) => ({
    code: 'time-relative',
    message: `The page shows only a relative time ("${shown}"); the time recorded is approximate, counted back from the capture time.`,
  }),
  fromPageData: {
    code: 'messages-from-page-data',
    message:
      "The messages were read from data embedded in the page (Instagram's LightSpeed payload), not from the visible page; the inbox carries only the latest message of each conversation.",
  },
  notOpen: { code: 'conversation-not-open', message: 'Only the entry in the conversation list was captured; open the conversation to capture its messages.' },
};

describe('instagram: rendered reel page with caption and comments (instascraper, 2026)', () => {
  const url = 'https://www.instagram.com/rashi_varaiya/reel/DM5F3Vzq6TN/';
  const ctx = ctxFor(url);
  const doc = loadFixture('instagram/instascraper__ig-reel-post-comments-rendered-2026.html', url);
  const items = ig.findItems(doc, ctx);

  it('finds the reel and its 8 comments, outermost first; no page-level record', () => {
    expect(items.length).toBe(9);
    expect(items.map((e) => ig.kindOf(e, ctx))).toEqual(['post', ...Array(8).fill('comment')]);
    expect(items.slice(1).every((c) => items[0].contains(c))).toBe(true);
    expect(ig.extractPage?.(doc, ctx)).toBeNull();
  });

  it('extracts the reel: permalink time (not the caption time), caption with hashtags, streamed video, owner id from the page data', () => {
    expect(ig.extract(items[0], ctx)).toEqual(
      ex('post', acc('rashi_varaiya', '1107051702', 'ℝ𝕒𝕤𝕙𝕚 𝕧𝕒𝕣𝕒𝕚𝕪𝕒'), {
        ...base,
        platform_item_id: 'DM5F3Vzq6TN',
        url: 'https://www.instagram.com/reel/DM5F3Vzq6TN/',
        posted_at: '2025-08-03T12:01:58.000Z',
        posted_at_text: 'August 3, 2025',
        posted_at_source: 'attribute',
        // The shortcode is the media id 3691007162826073293: created 2m35s before publication.
        id_time: '2025-08-03T11:59:23.328Z',
        text:
          'Cash is cool but chocolate is Fabelle-ous 🍫💅🏼 Sisters, send this to your brothers & ask them to get you a customised hamper from fabelle.in 🥳\n\n#NoMoreBasicGifts #FabelleWTO #WorthTheOne #fabelleworththeone #ad',
        media: [{ kind: 'video', url: null, poster: null, why_missing: 'streamed video (blob: URL); only the poster frame is available' }],
      }),
    );
  });

  it('extracts the first comment with the commenter id from the page data', () => {
    expect(ig.extract(items[1], ctx)).toEqual(
      ex('comment', acc('stutishettyy', '2894367174'), comment('DM5F3Vzq6TN', '18085868434827973', '2025-08-03T19:25:07.000Z', '23w', '😍😍😍')),
    );
  });

  it('keeps a mention inside the comment text', () => {
    expect(ig.extract(items[6], ctx)).toEqual(
      ex(
        'comment',
        acc('shetty.petty', '12732705046'),
        comment('DM5F3Vzq6TN', '18092662633727246', '2025-08-04T09:11:02.000Z', '22w', '@damnitdhairya take notes from this and make Nikki’s Rakhi special! 🥂'),
      ),
    );
  });

  it('extracts the last comment', () => {
    expect(ig.extract(items[8], ctx)).toEqual(
      ex('comment', acc('dj.siree', '6282014721'), comment('DM5F3Vzq6TN', '18044721251317112', '2025-08-03T13:06:04.000Z', '23w', 'Done👍🏻')),
    );
  });

  it('finds the enclosing item from deep descendants', () => {
    const emoji = Array.from(doc.querySelectorAll('span[dir="auto"]')).find((s) => s.textContent === 'Done👍🏻')!;
    expect(ig.enclosingItem(emoji, ctx)).toBe(items[8]);
    const hashtag = doc.querySelector('a[href="/explore/tags/ad/"]')!;
    expect(ig.enclosingItem(hashtag, ctx)).toBe(items[0]);
    expect(ig.enclosingItem(doc.querySelector('video')!, ctx)).toBe(items[0]);
    // "More posts from" thumbnails and the footer are outside every item.
    expect(ig.enclosingItem(doc.querySelector('a[href="/rashi_varaiya/reel/DTSpnmvCF0Q/"]')!, ctx)).toBeNull();
    expect(ig.enclosingItem(doc.querySelector('footer')!, ctx)).toBeNull();
  });
});

describe('instagram: legacy 2017 rendered post page (article, li comments, JSON-LD)', () => {
  const url = 'https://www.instagram.com/p/BWUDBntl3_Z/';
  const ctx = ctxFor(url);
  const doc = loadFixture('instagram/metascraper__ig-post-rendered-2017-legacy.html', url);
  const items = ig.findItems(doc, ctx);

  it('finds the article and its 12 comments', () => {
    expect(items.length).toBe(13);
    expect(items[0].tagName).toBe('ARTICLE');
    expect(items.map((e) => ig.kindOf(e, ctx))).toEqual(['post', ...Array(12).fill('comment')]);
    expect(ig.extractPage?.(doc, ctx)).toBeNull();
  });

  it('extracts the post: caption without the "Verified" badge, name from og:title, owner id from instapp:owner_user_id', () => {
    expect(ig.extract(items[0], ctx)).toEqual(
      ex('post', acc('teslamotors', '297604134', 'Tesla'), {
        ...base,
        platform_item_id: 'BWUDBntl3_Z',
        url: 'https://www.instagram.com/p/BWUDBntl3_Z/',
        posted_at: '2017-07-09T04:58:10.000Z',
        posted_at_text: 'July 9, 2017',
        posted_at_source: 'attribute',
        id_time: '2017-07-09T04:58:10.228Z',
        text: 'The first Model 3 production car',
        media: [
          {
            kind: 'image',
            url: 'https://scontent-mad1-1.cdninstagram.com/v/t51.2885-15/e35/19955323_327280991034910_1996793346030305280_n.jpg?_nc_ht=scontent-mad1-1.cdninstagram.com&_nc_cat=110&_nc_ohc=VDeNnhXahEwAX8BdW_o&edm=AABBvjUBAAAA&ccb=7-4&oh=91e77ff01116fe89635f8fac37f48add&oe=6178BE62&_nc_sid=83d603',
            alt: 'Photo by Tesla in Tesla Factory.',
          },
        ],
      }),
    );
  });

  it('extracts the first comment, mention first', () => {
    expect(ig.extract(items[1], ctx)).toEqual(
      ex(
        'comment',
        acc('nataliegrayy_'),
        comment(
          'BWUDBntl3_Z',
          '18016377334187271',
          '2019-03-18T20:39:11.000Z',
          '135w',
          '@mitchell.simmons99 y’know how you said you wanted a chain for your birthday? okay well this is what i want ;) 😋',
        ),
      ),
    );
  });

  it('keeps the line breaks of a multi-paragraph comment', () => {
    const e = ig.extract(items[4], ctx);
    expect(e.account).toEqual(acc('mriverog'));
    expect(e.item.platform_item_id).toBe('17849867257401038');
    expect(e.item.text?.split('\n')).toEqual([
      '*help my contaminated city*',
      'Dear Mr. Elon Musk:',
      'I am a huge fan and own a Tesla myself. My city, Monterrey Nuevo Leon is one of the most contaminated in the country. Citizens are very worried and while I have been slowly transforming people into Tesla owners and fans we could go even faster.',
      'San Pedro Garza Garcia has one of the population with highest purchase power in the world. It truly is a great market for Tesla.',
      'Is there any incentive we can work together to put forward to tip the balance into making this shift and having better air quality for our kids? I am sure with you involved, the state and pi’s will be thrilled to help :)',
    ]);
  });

  it('extracts the last comment', () => {
    expect(ig.extract(items[12], ctx)).toEqual(
      ex('comment', acc('vikicamovska'), comment('BWUDBntl3_Z', '17886457235037883', '2021-03-04T21:53:17.000Z', '33w', 'omg!🙌👏')),
    );
  });

  it('encloses a comment text span in its comment and the header in the post', () => {
    const span = Array.from(doc.querySelectorAll('span')).find((s) => s.textContent === 'OMG 😍')!;
    expect(ig.enclosingItem(span, ctx)).toBe(items[2]);
    expect(ig.enclosingItem(doc.querySelector('article header')!, ctx)).toBe(items[0]);
  });
});

describe('instagram: one-comment snippet (alvintsa, 2025)', () => {
  const url = 'https://www.instagram.com/p/DPPr8SID-Dd/';
  const ctx = ctxFor(url);
  const doc = loadFixture('instagram/alvintsa__ig-comment-snippet-2025.html', url);
  const items = ig.findItems(doc, ctx);

  it('finds the one comment and nothing else', () => {
    expect(items.length).toBe(1);
    expect(ig.kindOf(items[0], ctx)).toBe('comment');
  });

  it('extracts the comment without the Reply / "View all 5 replies" buttons', () => {
    expect(ig.extract(items[0], ctx)).toEqual(
      ex(
        'comment',
        acc('alaricvarghese'),
        comment('DPPr8SID-Dd', '18076541783031842', '2025-10-02T15:44:52.000Z', '5w', 'Hey, is the notion link down again? I still can’t manage to duplicate it properly. Thanks'),
      ),
    );
  });

  it('encloses the text but not the stray spans around the snippet', () => {
    const text = Array.from(doc.querySelectorAll('span')).find((s) => s.textContent?.startsWith('Hey, is the notion'))!;
    expect(ig.enclosingItem(text, ctx)).toBe(items[0]);
    const stray = Array.from(doc.querySelectorAll('span')).find((s) => s.textContent === 'Notion')!;
    expect(ig.enclosingItem(stray, ctx)).toBeNull();
  });
});

describe('instagram: logged-out served post page (Open Graph only)', () => {
  const url = 'https://www.instagram.com/p/CPeC-Eenc8l/';
  const ctx = ctxFor(url);
  const doc = loadFixture('instagram/metascraper__ig-post-photo.html', url);

  it('has no rendered items and gives the post from its head, time decoded from the media id', () => {
    expect(ig.findItems(doc, ctx)).toEqual([]);
    expect(ig.extractPage?.(doc, ctx)).toEqual(
      ex(
        'post',
        acc('willyrex', '385669764', 'Willyrex'),
        {
          ...base,
          platform_item_id: 'CPeC-Eenc8l',
          url: 'https://www.instagram.com/p/CPeC-Eenc8l/',
          // Media id 2584516297666449189 (also in al:ios:url); the page shows only "May 29, 2021".
          posted_at: '2021-05-29T19:59:33.398Z',
          posted_at_text: 'May 29, 2021',
          posted_at_source: 'id-decoded',
          id_time: '2021-05-29T19:59:33.398Z',
          text: 'Una de mis nuevas sudaderas top!! Per ardua ad astra 🚀🚀🚀',
          metrics: { likes: '298K', comments: '553' },
          media: [
            {
              kind: 'image',
              url: 'https://scontent-mad1-1.cdninstagram.com/v/t51.29350-15/192808438_308120607576085_8247727303942216319_n.jpg?stp=c288.0.864.864a_dst-jpg_e35_s640x640_tt6&_nc_cat=106&ccb=1-7&_nc_sid=18de74&_nc_ohc=vbNYgMq4478Q7kNvgGlZ7qJ&_nc_zt=23&_nc_ht=scontent-mad1-1.cdninstagram.com&_nc_gid=A3NWPo2HYchDUw7WBR46EUm&oh=00_AYCe4zSS0AYp5Y4l-Oya17aAQMRZF84Nel4b32DeiidaxA&oe=677852B0',
              alt: null,
            },
          ],
        },
        [
          { code: 'served-page-only', message: 'The post was not rendered on the page; the record comes from its link-preview (Open Graph) tags and embedded data.' },
          {
            code: 'time-from-id',
            message: 'The page shows only the date ("May 29, 2021"); the time recorded was decoded from the post\'s id (when the upload was created).',
          },
          { code: 'text-from-meta', message: "The caption was read from the page's link-preview tags or embedded data, which Instagram may shorten." },
        ],
      ),
    );
  });
});

describe('instagram: logged-out served profile page', () => {
  const url = 'https://www.instagram.com/pluto__travel/';
  const ctx = ctxFor(url);
  const doc = loadFixture('instagram/metascraper__ig-profile.html', url);

  it('gives the profile from og:title, og:description counts, the bio in the description and the id in the page data', () => {
    expect(ig.findItems(doc, ctx)).toEqual([]);
    expect(ig.extractPage?.(doc, ctx)).toEqual(
      ex(
        'profile',
        acc('pluto__travel', '3640900328', 'Pluto'),
        {
          ...base,
          platform_item_id: '3640900328',
          url: 'https://www.instagram.com/pluto__travel/',
          text: 'Home of travel — Plan a trip and find the best things to do in one simple, fun and beautiful app.',
          metrics: { followers: '2,362', following: '136', posts: '224' },
          media: [
            {
              kind: 'image',
              url: 'https://scontent-mad2-1.cdninstagram.com/v/t51.2885-19/133834346_403703180893250_1427065180629518897_n.jpg?stp=dst-jpg_s100x100_tt6&_nc_cat=110&ccb=1-7&_nc_sid=bf7eb4&_nc_ohc=_gRSHkYKjCoQ7kNvgF9HtMH&_nc_zt=24&_nc_ht=scontent-mad2-1.cdninstagram.com&oh=00_AYB0OOv_Wm1Vq3fV3qw3Du0X04mOC30p-CPX9z668Xl-sQ&oe=67786033',
              alt: 'profile picture',
            },
          ],
        },
        [{ code: 'served-page-only', message: 'The profile was not rendered on the page; the record comes from its link-preview (Open Graph) tags.' }],
      ),
    );
  });
});

describe('instagram: DM inbox (thread list in the DOM, messages only in LightSpeed JSON)', () => {
  const url = 'https://www.instagram.com/direct/inbox/';
  const ctx = ctxFor(url);
  const doc = loadFixture('instagram/igparser__ig-dm-inbox-rendered-2026.html', url);
  const items = ig.findItems(doc, ctx);

  it('finds the 5 rendered thread rows (not the account switcher, "New message" or the note)', () => {
    expect(items.length).toBe(5);
    expect(items.map((e) => ig.kindOf(e, ctx))).toEqual(Array(5).fill('conversation'));
    expect(items.every((r) => r.getAttribute('role') === 'button' && r.querySelector('span[title]'))).toBe(true);
    expect(ig.extractPage?.(doc, ctx)).toBeNull();
  });

  it('extracts the first row: name from the DOM, handle and thread from the page data, the real last message behind "2 new messages"', () => {
    // Redacted (see redact()): the name as shown in the row's span[title], the handle from the
    // page data and the profile URL built from it.
    const name = 'sha256:5a34d51100245b43';
    const party: Account = {
      display_name: name,
      handle: 'sha256:6be241582b9a0389',
      platform_account_id: 'igd:110267243703563',
      profile_url: 'sha256:c58abbc23174f885',
    };
    expect(redact(ig.extract(items[0], ctx))).toEqual(
      ex(
        'conversation',
        party,
        {
          ...base,
          platform_item_id: '110267243703563',
          thread_id: '110267243703563',
          url: null,
          title: name,
          text: 'sha256:29f933a0e14cceb7', // the preview as shown: '2 new messages'
          posted_at: '2026-04-02T12:28:32.033Z',
          posted_at_text: '15h',
          posted_at_source: 'json',
        },
        [W.fromPageData, W.notOpen, W.permalink],
        [
          {
            id: 'mid.$cAD8HOb07tvejf2_xoWdTiqomdgQM',
            sender: party,
            outgoing: false,
            sent_at: '2026-04-02T12:28:32.033Z',
            sent_at_text: '1775132912033',
            sent_at_source: 'json',
            text: 'sha256:60e7e238456f3847', // the last message in the page data, not the preview
            media: [],
          },
        ],
      ),
    );
  });

  it('extracts the last row', () => {
    const name = 'sha256:36e482207d076575';
    const party: Account = {
      display_name: name,
      handle: 'sha256:3e9f391e7bb34981',
      platform_account_id: 'igd:103192634408274',
      profile_url: 'sha256:67732ed1dc63672d',
    };
    expect(redact(ig.extract(items[4], ctx))).toEqual(
      ex(
        'conversation',
        party,
        {
          ...base,
          platform_item_id: '103192634408274',
          thread_id: '103192634408274',
          url: null,
          title: name,
          text: 'sha256:dac88e5997fb046a', // the preview, the same text as the last message
          posted_at: '2026-04-02T05:38:31.942Z',
          posted_at_text: '22h',
          posted_at_source: 'json',
        },
        [W.fromPageData, W.notOpen, W.permalink],
        [
          {
            id: 'mid.$cAD8-qkKOpq6jffiThmdTLNKAUsfF',
            sender: party,
            outgoing: false,
            sent_at: '2026-04-02T05:38:31.942Z',
            sent_at_text: '1775108311942',
            sent_at_source: 'json',
            text: 'sha256:dac88e5997fb046a',
            media: [],
          },
        ],
      ),
    );
  });

  it('matches every row to its own thread (the JSON times agree with the relative times shown)', () => {
    const rows = items.map((r) => redact(ig.extract(r, ctx)));
    // Handles redacted (see redact()).
    expect(rows.map((r) => [r.account?.handle, r.item.posted_at_text, r.item.posted_at])).toEqual([
      ['sha256:6be241582b9a0389', '15h', '2026-04-02T12:28:32.033Z'],
      ['sha256:52ff79243632f4ab', '17h', '2026-04-02T10:10:52.042Z'],
      ['sha256:d7d72410c1c031fd', '18h', '2026-04-02T09:12:45.112Z'],
      ['sha256:417acf047c5d5341', '20h', '2026-04-02T07:23:15.897Z'],
      ['sha256:3e9f391e7bb34981', '22h', '2026-04-02T05:38:31.942Z'],
    ]);
    expect(rows.map((r) => r.messages?.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('encloses the relative time of a row in that row', () => {
    const abbr = doc.querySelector('abbr[aria-label="17 hours ago"]')!;
    expect(ig.enclosingItem(abbr, ctx)).toBe(items[1]);
    expect(ig.enclosingItem(doc.querySelector('[aria-label="Thread list"] h2')!, ctx)).toBeNull();
  });
});

describe('instagram: open DM conversation (synthetic fixture)', () => {
  const url = 'https://www.instagram.com/direct/t/17849900112233445/';
  const ctx = ctxFor(url);
  const doc = loadFixture('messaging/instagram-dm.html', url, true);
  const items = ig.findItems(doc, ctx);
  const dev = acc('dev.marlowe_93', null, 'Dev Marlowe');
  const sam = acc('sam.k.ortiz');
  const msg = (sender: Account | null, outgoing: boolean | null, shown: string, text: string | null, media: Message['media'] = []): Message => ({
    id: null,
    sender,
    outgoing,
    sent_at: null,
    sent_at_text: shown,
    sent_at_source: 'text',
    text,
    media,
  });
  const photo = {
    kind: 'image' as const,
    url: 'https://scontent.cdninstagram.com/v/t51.2885-15/900000002_200000000000002_2000000000000000002_n.jpg?stp=dst-jpg_p480x480',
    alt: '',
  };

  it('finds the list row, the conversation and its 5 messages (not the 2 time separators)', () => {
    expect(items.length).toBe(7);
    expect(items.map((e) => ig.kindOf(e, ctx))).toEqual(['conversation', 'conversation', 'message', 'message', 'message', 'message', 'message']);
    expect(items[1].getAttribute('role')).toBe('grid');
  });

  it('extracts the conversation: both directions, an image, separator times as shown, an unattributed message left empty', () => {
    expect(ig.extract(items[1], ctx)).toEqual(
      ex(
        'conversation',
        dev,
        {
          ...base,
          platform_item_id: '17849900112233445',
          thread_id: '17849900112233445',
          url: 'https://www.instagram.com/direct/t/17849900112233445/',
          title: 'Dev Marlowe',
          posted_at_text: 'Today 8:02 AM',
          posted_at_source: 'text',
        },
        [
          {
            code: 'sender-unknown',
            message:
              "1 message(s) carry no mark of who sent them (Instagram shows the sender's picture only beside the last message of a group); their sender is left empty.",
          },
          W.msgTime,
          W.unparsed('Today 8:02 AM'),
        ],
        [
          msg(dev, false, 'Jan 10, 2026, 9:14 PM', 'saw you at the station today. nice coat'),
          msg(sam, true, 'Jan 10, 2026, 9:14 PM', 'Please stop messaging me.'),
          msg(null, null, 'Today 8:02 AM', "you can't ignore me forever"),
          msg(dev, false, 'Today 8:02 AM', null, [photo]),
          msg(sam, true, 'Today 8:02 AM', "I've asked you to stop. I'm keeping a record of this."),
        ],
      ),
    );
  });

  it('extracts one incoming message as its own item', () => {
    expect(ig.extract(items[2], ctx)).toEqual(
      ex(
        'message',
        dev,
        {
          ...base,
          thread_id: '17849900112233445',
          posted_at_text: 'Jan 10, 2026, 9:14 PM',
          posted_at_source: 'text',
          text: 'saw you at the station today. nice coat',
        },
        [W.msgTime, W.itemId, W.permalink, W.unparsed('Jan 10, 2026, 9:14 PM')],
        [msg(dev, false, 'Jan 10, 2026, 9:14 PM', 'saw you at the station today. nice coat')],
      ),
    );
  });

  it('says so when a message has no sender mark', () => {
    expect(ig.extract(items[4], ctx)).toEqual(
      ex(
        'message',
        null,
        { ...base, thread_id: '17849900112233445', posted_at_text: 'Today 8:02 AM', posted_at_source: 'text', text: "you can't ignore me forever" },
        [
          W.msgTime,
          { code: 'sender-unknown', message: 'This message carries no mark of who sent it (Instagram shows the sender only beside the last message of a group).' },
          W.account,
          W.itemId,
          W.permalink,
          W.unparsed('Today 8:02 AM'),
        ],
        [msg(null, null, 'Today 8:02 AM', "you can't ignore me forever")],
      ),
    );
  });

  it('ties the list row to the open conversation', () => {
    expect(ig.extract(items[0], ctx)).toEqual(
      ex(
        'conversation',
        dev,
        {
          ...base,
          platform_item_id: '17849900112233445',
          thread_id: '17849900112233445',
          url: 'https://www.instagram.com/direct/t/17849900112233445/',
          title: 'Dev Marlowe',
          text: "You: I've asked you to stop. I'm keeping a record of this.",
          posted_at: '2026-11-29T10:00:00.000Z',
          posted_at_text: '2h',
          posted_at_source: 'relative-text',
        },
        [
          { code: 'conversation-list-entry', message: 'This is the entry in the conversation list; the open conversation on this page is captured as its own item.' },
          W.relative('2h'),
        ],
        [],
      ),
    );
  });

  it('encloses message text in its row and a separator in the conversation', () => {
    const text = Array.from(doc.querySelectorAll('div[dir="auto"]')).find((d) => d.textContent === 'Please stop messaging me.')!;
    expect(ig.enclosingItem(text, ctx)).toBe(items[3]);
    expect(ig.enclosingItem(doc.querySelector('h4')!, ctx)).toBe(items[1]);
    expect(ig.enclosingItem(doc.querySelector('[contenteditable="true"]')!, ctx)).toBeNull();
  });
});

describe('instagram: open DM conversation whose page also embeds the thread in LightSpeed data', () => {
  // The synthetic conversation page plus a small LightSpeed payload in the shape of the real
  // inbox page's (records with positional arguments; [9] = null, [19, "n"] = 64-bit integer).
  const url = 'https://www.instagram.com/direct/t/17849900112233445/';
  const ctx = ctxFor(url);
  const call = (name: string, len: number, args: Record<number, unknown>) => [5, name, ...Array.from({ length: len }, (_, i) => (i in args ? args[i] : [9]))];
  const big = (n: string) => [19, n];
  const msgRec = (text: string | null, ts: string, mid: string, sender: string) =>
    call('upsertMessage', 82, { 0: text ?? [9], 2: big('80'), 3: big('5550001'), 5: big(ts), 8: mid, 10: big(sender) });
  const payload = JSON.stringify({
    name: null,
    step: [
      1,
      call('verifyContactRowExists', 23, { 0: big('5550001'), 2: 'https://scontent.cdninstagram.com/dev.jpg', 3: 'Dev Marlowe', 13: false, 20: 'dev.marlowe_93' }),
      call('verifyContactRowExists', 23, { 0: big('5550002'), 2: 'https://scontent.cdninstagram.com/sam.jpg', 3: 'sam.k.ortiz', 13: true, 20: 'sam.k.ortiz' }),
      call('deleteThenInsertThread', 90, { 0: big('1769501130000'), 2: "You: I've asked you to stop.", 7: big('5550001') }),
      call('addParticipantIdToGroupThread', 15, { 0: big('5550001'), 1: big('5550001') }),
      call('addParticipantIdToGroupThread', 15, { 0: big('5550001'), 1: big('5550002') }),
      msgRec('saw you at the station today. nice coat', '1768079645000', 'mid.$one', '5550001'),
      msgRec('Please stop messaging me.', '1768079800000', 'mid.$two', '5550002'),
      msgRec("you can't ignore me forever", '1769500931000', 'mid.$three', '5550001'),
      msgRec(null, '1769500980000', 'mid.$four', '5550001'),
      msgRec("I've asked you to stop. I'm keeping a record of this.", '1769501130000', 'mid.$five', '5550002'),
    ],
  });
  const script = `<script type="application/json">${JSON.stringify({ require: [['x', { data: { lightspeed_web_request_for_igd: { payload } } }]] })}</script>`;
  const html = readFileSync(join(OWN_FIXTURES_DIR, 'messaging/instagram-dm.html'), 'utf8').replace('</body>', `${script}</body>`);
  const doc = new JSDOM(html, { url }).window.document;
  const items = ig.findItems(doc, ctx);
  const devLs = acc('dev.marlowe_93', 'igd:5550001', 'Dev Marlowe');
  const samLs = acc('sam.k.ortiz', 'igd:5550002', 'sam.k.ortiz');
  const at = (id: string, sender: Account, outgoing: boolean, iso: string, shown: string, text: string): Message => ({
    id,
    sender,
    outgoing,
    sent_at: iso,
    sent_at_text: shown,
    sent_at_source: 'json',
    text,
    media: [],
  });

  it('pairs text messages with their records: ids, exact times, and the sender of the unmarked message', () => {
    expect(ig.extract(items[1], ctx)).toEqual(
      ex(
        'conversation',
        devLs,
        {
          ...base,
          platform_item_id: '17849900112233445',
          thread_id: '17849900112233445',
          url: 'https://www.instagram.com/direct/t/17849900112233445/',
          title: 'Dev Marlowe',
          posted_at: '2026-01-27T08:05:30.000Z',
          posted_at_text: 'Today 8:02 AM',
          posted_at_source: 'json',
        },
        [
          { code: 'messages-matched-to-page-data', message: '4 of 5 message(s) were matched by their text to data embedded in the page, which gave their id and exact time.' },
          W.msgTime,
        ],
        [
          at('mid.$one', devLs, false, '2026-01-10T21:14:05.000Z', 'Jan 10, 2026, 9:14 PM', 'saw you at the station today. nice coat'),
          // The viewer is the contact the page data marks as self.
          at('mid.$two', samLs, true, '2026-01-10T21:16:40.000Z', 'Jan 10, 2026, 9:14 PM', 'Please stop messaging me.'),
          at('mid.$three', devLs, false, '2026-01-27T08:02:11.000Z', 'Today 8:02 AM', "you can't ignore me forever"),
          {
            id: null,
            sender: devLs,
            outgoing: false,
            sent_at: null,
            sent_at_text: 'Today 8:02 AM',
            sent_at_source: 'text',
            text: null,
            media: [
              {
                kind: 'image',
                url: 'https://scontent.cdninstagram.com/v/t51.2885-15/900000002_200000000000002_2000000000000000002_n.jpg?stp=dst-jpg_p480x480',
                alt: '',
              },
            ],
          },
          at('mid.$five', samLs, true, '2026-01-27T08:05:30.000Z', 'Today 8:02 AM', "I've asked you to stop. I'm keeping a record of this."),
        ],
      ),
    );
  });

  it('gives the previously unattributed message its sender, id and time as its own item', () => {
    expect(ig.extract(items[4], ctx)).toEqual(
      ex(
        'message',
        devLs,
        {
          ...base,
          platform_item_id: 'mid.$three',
          thread_id: '17849900112233445',
          posted_at: '2026-01-27T08:02:11.000Z',
          posted_at_text: 'Today 8:02 AM',
          posted_at_source: 'json',
          text: "you can't ignore me forever",
        },
        [
          { code: 'message-matched-to-page-data', message: "This message's id and exact time come from data embedded in the page, matched by its text." },
          W.permalink,
        ],
        [at('mid.$three', devLs, false, '2026-01-27T08:02:11.000Z', 'Today 8:02 AM', "you can't ignore me forever")],
      ),
    );
  });
});

describe('instagram: URL matching and robustness', () => {
  it('matches Instagram hosts only', () => {
    expect(ig.matchesUrl(new URL('https://www.instagram.com/p/CPeC-Eenc8l/'))).toBe(true);
    expect(ig.matchesUrl(new URL('https://instagram.com/direct/inbox/'))).toBe(true);
    expect(ig.matchesUrl(new URL('https://www.threads.com/@someone'))).toBe(false);
    expect(ig.matchesUrl(new URL('https://notinstagram.com/p/x/'))).toBe(false);
  });

  it('reads a reply permalink (/c/<parent>/r/<reply>/) as a reply to the parent comment', () => {
    const url = 'https://www.instagram.com/p/ABCDEFGHIJK/';
    const doc = new JSDOM(
      `<main><div><div><a href="/someone_else/"><img alt="someone_else's profile picture" src="/a.jpg"></a>
        <span><a href="/someone_else/">someone_else</a> <a href="/p/ABCDEFGHIJK/c/17900000000000001/r/17900000000000002/"><time datetime="2026-01-02T03:04:05.000Z" title="Jan 2, 2026">3d</time></a></span>
        <span dir="auto">I know where you live</span></div></div></main>`,
      { url },
    ).window.document;
    const ctx = ctxFor(url);
    const [el] = ig.findItems(doc, ctx);
    expect(ig.extract(el, ctx)).toEqual(
      ex('comment', acc('someone_else'), {
        ...base,
        platform_item_id: '17900000000000002',
        url: 'https://www.instagram.com/p/ABCDEFGHIJK/c/17900000000000001/r/17900000000000002/',
        posted_at: '2026-01-02T03:04:05.000Z',
        posted_at_text: '3d',
        posted_at_source: 'attribute',
        text: 'I know where you live',
        in_reply_to: '17900000000000001',
        thread_id: 'ABCDEFGHIJK',
      }),
    );
  });

  it('reads a feed article whose caption line has no time of its own', () => {
    const url = 'https://www.instagram.com/';
    const doc = new JSDOM(
      `<main><article>
        <div><a href="/night.owl_77/"><img alt="night.owl_77's profile picture" src="https://scontent.cdninstagram.com/a.jpg"></a>
          <div><a href="/night.owl_77/"><span>night.owl_77</span></a><span> • </span><a href="/p/CxYz123AbCd/"><span><time datetime="2026-02-01T20:15:00.000Z" title="Feb 1, 2026">2h</time></span></a></div>
          <div role="button"><span>Follow</span></div></div>
        <div><img alt="Photo by night.owl_77" src="https://scontent.cdninstagram.com/p.jpg"></div>
        <section><a href="/p/CxYz123AbCd/liked_by/"><span>1,204</span> likes</a></section>
        <div><span><a href="/night.owl_77/"><span>night.owl_77</span></a></span> <span>still watching <a href="/explore/tags/you/">#you</a></span><span role="button">more</span></div>
        <a href="/p/CxYz123AbCd/comments/">View all 12 comments</a>
      </article></main>`,
      { url },
    ).window.document;
    const ctx = ctxFor(url);
    const items = ig.findItems(doc, ctx);
    expect(items.map((e) => e.tagName)).toEqual(['ARTICLE']);
    expect(ig.extract(items[0], ctx)).toEqual(
      ex('post', acc('night.owl_77'), {
        ...base,
        platform_item_id: 'CxYz123AbCd',
        url: 'https://www.instagram.com/p/CxYz123AbCd/',
        posted_at: '2026-02-01T20:15:00.000Z',
        posted_at_text: '2h',
        posted_at_source: 'attribute',
        id_time: '2023-09-19T20:58:33.671Z',
        text: 'still watching #you',
        media: [{ kind: 'image', url: 'https://scontent.cdninstagram.com/p.jpg', alt: 'Photo by night.owl_77' }],
      }),
    );
  });

  it('never throws on an element that is not an item; it says what is missing', () => {
    const url = 'https://www.instagram.com/p/ABCDEFGHIJK/';
    const doc = new JSDOM('<div id="x"><span>nothing here</span></div>', { url }).window.document;
    const e = ig.extract(doc.getElementById('x')!, ctxFor(url));
    expect(e.kind).toBe('post');
    expect(e.warnings.map((w) => w.code)).toEqual(['text-not-found', 'permalink-not-found', 'account-missing', 'item-id-missing', 'permalink-missing', 'time-missing']);
  });
});
