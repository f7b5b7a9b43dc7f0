import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { linkedinAdapter as li } from '../../../utils/content/platforms/linkedin';
import { loadFixture } from '../../helpers/fixtures';

// Expected values were read by hand from each saved page: data-* URNs, the tracking-named
// links, JSON-LD, and (for times) the URN ids, whose first 41 bits are milliseconds.
const capturedAt = new Date('2026-11-29T12:00:00Z');
const ctx = (url: string, at: Date = capturedAt) => ({ url: new URL(url), capturedAt: at });

const ALAMIN = {
  display_name: 'Alamin ♾️',
  handle: 'codewithalamin',
  platform_account_id: null,
  profile_url: 'https://www.linkedin.com/in/codewithalamin',
};
const AUDIENSE = { display_name: 'Audiense', handle: 'audiense', platform_account_id: null, profile_url: 'https://www.linkedin.com/company/audiense' };
const EDITED = { code: 'edited', message: 'LinkedIn marks this post as edited; the text captured is the edited version.' };

describe('linkedin: guest public post with comments (2026)', () => {
  const url = 'https://www.linkedin.com/posts/codewithalamin_5-in-demand-ui-libraries-in-2025-activity-7410643423461978113-jasP';
  const doc = loadFixture('linkedin/videoredes__linkedin-public-post-with-comments-2026.html', url);
  const c = ctx(url);
  const items = li.findItems(doc, c);
  const comment = (n: number, who: object, id: string, at: string, shown: string, text: string, reactions: string) => ({
    platform: 'linkedin',
    adapter_version: '1.0.0',
    kind: 'comment',
    account: who,
    item: {
      platform_item_id: `urn:li:comment:(urn:li:ugcPost:7410643422371475456,${id})`,
      url: `https://www.linkedin.com/feed/update/urn:li:ugcPost:7410643422371475456/?commentUrn=urn%3Ali%3Acomment%3A%28ugcPost%3A7410643422371475456%2C${id}%29`,
      posted_at: at,
      posted_at_text: shown,
      posted_at_source: 'json',
      id_time: expect.any(String),
      text,
      in_reply_to: 'urn:li:activity:7410643423461978113',
      thread_id: 'urn:li:activity:7410643423461978113',
      visibility: null,
      media: [],
      metrics: { reactions },
    },
    warnings: [],
    n,
  });
  const strip = <T extends { n?: number }>(o: T): Omit<T, 'n'> => {
    const { n: _n, ...rest } = o;
    return rest;
  };

  it('finds the post and its four comments', () => {
    expect(items.map((e) => li.kindOf(e, c))).toEqual(['post', 'comment', 'comment', 'comment', 'comment']);
  });

  it('extracts the post with JSON-LD time and text, the activity id time and the PDF carousel', () => {
    expect(li.extract(items[0], c)).toEqual({
      platform: 'linkedin',
      adapter_version: '1.0.0',
      kind: 'post',
      account: ALAMIN,
      item: {
        platform_item_id: 'urn:li:activity:7410643423461978113',
        url,
        // JSON-LD datePublished; the card shows "1w"
        posted_at: '2025-12-27T11:31:15.230Z',
        posted_at_text: '1w',
        posted_at_source: 'json',
        id_time: '2025-12-27T11:31:15.250Z',
        text: '👉 5 In-demand UI libraries in 2025\n\n🔹Follow Alamin ♾️ for insightful and premium contents on web development & programming!\n\n❤️ Like\n🔁 Repost\n💬 Comment your thoughts\n\nCredits: Redwan Ahmed\n\nStart learning web development at top-notch platforms like w3schools.com, JavaScript Mastery \n\n\n#programming #javascript #webdevelopment #webdesign #html #css #codewithalamin #reactjs #webdeveloper #frontend',
        in_reply_to: null,
        thread_id: 'urn:li:activity:7410643423461978113',
        visibility: null,
        media: [
          {
            kind: 'file',
            url: 'https://media.licdn.com/dms/document/pl/v2/D561FAQERXOYKq9OJIQ/feedshare-document-master-manifest/B56ZtfkhU1JgBc-/0/1766834972241?e=2147483647&v=beta&t=enzoloSo-RK5p5RZxScrGH57bk4xP7LkhyZIuqUK6ks',
            alt: '5 In-demand UI libraries in 2025 (10 pages)',
            poster:
              'https://media.licdn.com/dms/image/v2/D561FAQERXOYKq9OJIQ/feedshare-document-cover-images_480/B56ZtfkhU1JgBM-/0/1766834971536?e=2147483647&v=beta&t=QbuyrhA9QOPfHulAv_mlXdOscMG8Nr9SVfMPTMp11Gs',
            why_missing: null,
          },
        ],
        metrics: { reactions: '116', comments: '9 Comments' },
      },
      warnings: [],
    });
  });

  it('extracts the first comment (by the author) with JSON-LD time, and its id time agrees', () => {
    const x = li.extract(items[1], c);
    expect(x).toEqual(strip(comment(1, ALAMIN, '7410643469947469824', '2025-12-27T11:31:26.334Z', '1w', '📌 Follow Alamin ♾️ for daily insightful contents like this!', '2 Reactions')));
    expect(x.item.id_time).toBe('2025-12-27T11:31:26.333Z');
  });

  it('extracts a comment by a company page', () => {
    expect(li.extract(items[2], c)).toEqual(
      strip(
        comment(
          2,
          { display_name: 'JavaScript Mastery', handle: 'javascriptmastery', platform_account_id: null, profile_url: 'https://www.linkedin.com/company/javascriptmastery' },
          '7410670040301309952',
          '2025-12-27T13:17:01.199Z',
          '1w',
          'Huge thanks for the mention! We appreciate your support! 🤗',
          '2 Reactions',
        ),
      ),
    );
  });

  it('extracts the last comment, keeping the double space JSON-LD has', () => {
    expect(li.extract(items[4], c)).toEqual(
      strip(
        comment(
          4,
          { display_name: 'kiran ravi', handle: 'kiran-ravi-74baa12a3', platform_account_id: null, profile_url: 'https://www.linkedin.com/in/kiran-ravi-74baa12a3' },
          '7410708494233960449',
          '2025-12-27T15:49:49.331Z',
          '1w',
          'Great..  i learnt 😌',
          '1 Reaction',
        ),
      ),
    );
  });

  it('falls back to the comment id when JSON-LD does not list the comment', () => {
    const bare = new JSDOM(doc.documentElement.outerHTML.replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/g, ''), { url }).window.document;
    const [post, first] = li.findItems(bare, c);
    const p = li.extract(post, c);
    expect(p.item).toMatchObject({ posted_at: '2025-12-27T11:31:15.250Z', posted_at_text: '1w', posted_at_source: 'id-decoded' });
    // without JSON-LD the text comes from the pre-wrap paragraph, line breaks kept
    expect(p.item.text).toMatch(/^👉 5 In-demand UI libraries in 2025\n\n🔹Follow Alamin ♾️ for insightful/);
    const f = li.extract(first, c);
    expect(f.item).toMatchObject({ posted_at: '2025-12-27T11:31:26.333Z', posted_at_text: '1w', posted_at_source: 'id-decoded' });
  });

  it('enclosingItem: comment text → comment; post text → post', () => {
    const inComment = items[3].querySelector('.comment__text')!;
    expect(li.enclosingItem(inComment, c)).toBe(items[3]);
    const link = items[0].querySelector('[data-test-id="main-feed-activity-card__commentary"] a')!;
    expect(li.enclosingItem(link, c)).toBe(items[0]);
    expect(li.enclosingItem(doc.querySelector('footer') ?? doc.body, c)).toBeNull();
  });

  it('extractPage is null for a rendered post page', () => {
    expect(li.extractPage!(doc, c)).toBeNull();
  });

  it('extractPage reads the JSON-LD when the page was served without the card', () => {
    const ldOnly = Array.from(doc.querySelectorAll('script[type="application/ld+json"]'))
      .map((s) => s.outerHTML)
      .join('');
    const shell = new JSDOM(`<html><head>${ldOnly}</head><body></body></html>`, { url }).window.document;
    expect(li.extractPage!(shell, c)).toEqual({
      platform: 'linkedin',
      adapter_version: '1.0.0',
      kind: 'post',
      account: { ...ALAMIN },
      item: expect.objectContaining({
        platform_item_id: 'urn:li:activity:7410643423461978113',
        url,
        posted_at: '2025-12-27T11:31:15.230Z',
        posted_at_source: 'json',
        id_time: '2025-12-27T11:31:15.250Z',
      }),
      warnings: [],
    });
  });
});

describe('linkedin: guest company page with updates feed (2024)', () => {
  const url = 'https://uk.linkedin.com/company/audiense';
  const doc = loadFixture('linkedin/metascraper__linkedin-company-guest.html', url);
  // The feed's newest card says "20h" for an activity id of 2024-10-04T12:28Z.
  const c = ctx(url, new Date('2024-10-05T08:30:00Z'));
  const items = li.findItems(doc, c);
  const profile = {
    platform: 'linkedin',
    adapter_version: '1.0.0',
    kind: 'profile',
    account: { ...AUDIENSE, platform_account_id: 'urn:li:organization:10529043' },
    item: {
      platform_item_id: 'urn:li:organization:10529043',
      url: 'https://www.linkedin.com/company/audiense',
      title: 'Advertising Services',
      posted_at: null,
      posted_at_text: null,
      posted_at_source: null,
      text: expect.stringMatching(
        /^The Audiense platform combines rich social data sources[\s\S]*\n\nHere at Audiense we offer 2 powerful products: \n\nPRODUCTS \n\n[\s\S]*help develop your Instagram strategy$/,
      ),
      in_reply_to: null,
      thread_id: null,
      visibility: null,
      media: [
        {
          kind: 'image',
          url: 'https://media.licdn.com/dms/image/v2/C4E0BAQHWdu05nIFRWQ/company-logo_200_200/company-logo_200_200/0/1632826250380/audiense_logo?e=2147483647&v=beta&t=ZqV6Zik7OLnWmEqZwSwy5vnnl23GyPJuLjZD-6kJdaI',
          alt: 'logo',
        },
        {
          kind: 'image',
          url: 'https://media.licdn.com/dms/image/v2/D4D3DAQHCCaInjEFVcQ/image-scale_191_1128/image-scale_191_1128/0/1671109158322/audiense_cover?e=2147483647&v=beta&t=vmASGDoHYap6XQl83zSQBO7Y2JYdSEH7T13NnwkDqKA',
          alt: 'cover image',
        },
      ],
      metrics: { followers: '5,750 followers' },
    },
    warnings: [],
  };

  it('finds the company card and the ten update cards', () => {
    expect(items).toHaveLength(11);
    expect(items.map((e) => li.kindOf(e, c))).toEqual(['profile', ...Array(10).fill('post')]);
  });

  it('the company card and extractPage give the organisation with its URN', () => {
    expect(li.extract(items[0], c)).toEqual(profile);
    expect(li.extractPage!(doc, c)).toEqual(profile);
  });

  it("extracts the company's own post, timed by its activity id", () => {
    expect(li.extract(items[2], c)).toEqual({
      platform: 'linkedin',
      adapter_version: '1.0.0',
      kind: 'post',
      account: AUDIENSE,
      item: {
        platform_item_id: 'urn:li:activity:7247945789950353408',
        url: 'https://www.linkedin.com/feed/update/urn:li:activity:7247945789950353408/',
        posted_at: '2024-10-04T12:28:56.645Z',
        posted_at_text: '20h',
        posted_at_source: 'id-decoded',
        id_time: '2024-10-04T12:28:56.645Z',
        text: expect.stringMatching(
          /^Demographics are a thing of the past for savvy agencies\.\u00a0 Behavioral segmentation[\s\S]*\n\nHere's why demographics are a dead end:\n\n❌ Demographics[\s\S]*resonates on a deeper level\.$/,
        ),
        in_reply_to: null,
        thread_id: 'urn:li:activity:7247945789950353408',
        visibility: null,
        media: [
          {
            kind: 'image',
            url: 'https://media.licdn.com/dms/image/v2/D4D22AQFSC3zD64u9iA/feedshare-shrink_800/feedshare-shrink_800/0/1728044935909?e=2147483647&v=beta&t=uSEehzAcvqYrRnTSxczfXXWKvuvl2_IYXU-rNjjHp5A',
            alt: null,
          },
        ],
        metrics: { reactions: '11' },
      },
      warnings: [],
    });
  });

  it('records a repost as the sharer’s, with the original under quoted', () => {
    expect(li.extract(items[3], c)).toEqual({
      platform: 'linkedin',
      adapter_version: '1.0.0',
      kind: 'post',
      account: AUDIENSE,
      item: {
        platform_item_id: 'urn:li:activity:7247904311840542721',
        url: 'https://www.linkedin.com/feed/update/urn:li:activity:7247904311840542721/',
        posted_at: '2024-10-04T09:44:07.493Z',
        posted_at_text: '7247904311840542721',
        posted_at_source: 'id-decoded',
        id_time: '2024-10-04T09:44:07.493Z',
        text: null,
        in_reply_to: null,
        thread_id: 'urn:li:activity:7247904311840542721',
        visibility: null,
        media: [
          {
            kind: 'image',
            url: 'https://media.licdn.com/dms/image/v2/D4D22AQGTyYsjymKxPA/feedshare-shrink_800/feedshare-shrink_800/0/1727884305497?e=2147483647&v=beta&t=Bkt3lqDYB12hT07s8cYAuL44Ws9ZPyOgQXY7ujmEYYY',
            alt: null,
          },
        ],
        metrics: { reactions: '4' },
        quoted: {
          platform_item_id: 'urn:li:activity:7247272058634571776',
          url: 'https://www.linkedin.com/feed/update/urn:li:activity:7247272058634571776/',
          account: {
            display_name: 'Cristina José-Lorente',
            handle: 'cristinajoselorente',
            platform_account_id: null,
            profile_url: 'https://www.linkedin.com/in/cristinajoselorente',
          },
          text: expect.stringMatching(/^🎯 En Audiense hemos empezado el mes andando! 👣[\s\S]*\n\n#mentalhealthawarenessday [\s\S]*#walking$/),
        },
      },
      warnings: [
        {
          code: 'repost',
          message:
            'This card is a repost by Audiense of a post by Cristina José-Lorente (shown as posted 2d ago); the original is recorded under "quoted", the repost time comes from the repost\'s id.',
        },
        { code: 'edited', message: 'LinkedIn marks the original post as edited; the text captured is the edited version.' },
      ],
    });
  });

  it('a repost of a post whose activity LinkedIn does not expose points at the shared ugcPost, and keeps its video', () => {
    const x = li.extract(items[1], c);
    expect(x.account).toEqual(AUDIENSE);
    expect(x.item.quoted).toMatchObject({
      platform_item_id: 'urn:li:ugcPost:7246579902655651840',
      url: 'https://www.linkedin.com/feed/update/urn:li:ugcPost:7246579902655651840/',
      account: { display_name: '🇨🇦 Andrew Jenkins', handle: 'andrewjjenkins', platform_account_id: null, profile_url: 'https://www.linkedin.com/in/andrewjjenkins' },
    });
    expect(x.item.media).toEqual([
      {
        kind: 'video',
        url: expect.stringMatching(/^https:\/\/dms\.licdn\.com\/playlist\/vid\/v2\/D5610AQFm-4FcWDnaZg\/mp4-640p-30fp-crf28\//),
        poster: expect.stringMatching(/^https:\/\/media\.licdn\.com\/dms\/image\/v2\/D5610AQFm-4FcWDnaZg\/videocover-high\//),
        why_missing: null,
      },
    ]);
  });

  it('every update card has an activity URN, an id time and a permalink', () => {
    for (const el of items.slice(1)) {
      const x = li.extract(el, c);
      expect(x.item.platform_item_id).toMatch(/^urn:li:activity:\d{19}$/);
      expect(x.item.url).toBe(`https://www.linkedin.com/feed/update/${x.item.platform_item_id}/`);
      expect(x.item.id_time).toMatch(/^2024-(09|10)-/);
      expect(x.item.posted_at_source).toBe('id-decoded');
    }
  });
});

describe('linkedin: guest public profile (2024)', () => {
  const url = 'https://se.linkedin.com/in/eduardo-alvarez-nowak';
  const doc = loadFixture('linkedin/scoutr__linkedin-public-profile-2024.html', url);
  const c = ctx(url);
  const items = li.findItems(doc, c);
  const ACTIVITY = (shown: string) => ({
    code: 'profile-activity',
    message: `This card is from the "Activity" list of Eduardo Alvarez Nowak ("${shown} by Eduardo Alvarez Nowak"). It shows only the start of the post and its author's public name from the address; open the post to capture it in full.`,
  });

  it('finds the top card and the 17 activity cards', () => {
    expect(items).toHaveLength(18);
    expect(items.map((e) => li.kindOf(e, c))).toEqual(['profile', ...Array(17).fill('post')]);
  });

  it('extracts the profile from the top card and JSON-LD', () => {
    const expected = {
      platform: 'linkedin',
      adapter_version: '1.0.0',
      kind: 'profile',
      account: { display_name: 'Eduardo Alvarez Nowak', handle: 'eduardo-alvarez-nowak', platform_account_id: null, profile_url: 'https://www.linkedin.com/in/eduardo-alvarez-nowak' },
      item: {
        platform_item_id: null,
        url: 'https://www.linkedin.com/in/eduardo-alvarez-nowak',
        title: 'Tech Education Lead, Tech Expert & Frontend Dev at Novare Potential',
        posted_at: null,
        posted_at_text: null,
        posted_at_source: null,
        text: "Tech lover since young because of it's potential as an educational tool. As a professional, I tried to integrate gamification elements in every project that I lead. Favorite novel Contact by Carl Sagan.\n\nRight now i'm the Tech Education Lead at Novare Potential where I personally teach the Frontend course, oversee the Backend course and help on IT recruitments.\n\nOne of the 20 idea Cup 2019 winners with a project about teaching people to make games, no previous experience required: https://venturecup.ideahunt.io/ideas/eed399fe-d3aa-4906-a226-9416e263ac5b",
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        media: [
          {
            kind: 'image',
            url: 'https://media.licdn.com/dms/image/C4E03AQHwKgpnjrXkZA/profile-displayphoto-shrink_200_200/0/1643017689481?e=2147483647&v=beta&t=jU2cTtlQ-Zu8KItC4RnwO_vYqbilIVQf7vZtr4ZPXvI',
            alt: 'profile photo',
          },
          {
            kind: 'image',
            url: 'https://media.licdn.com/dms/image/C4D16AQF6OxWj62CudQ/profile-displaybackgroundimage-shrink_200_800/0/1592508303624?e=2147483647&v=beta&t=ZMB-2n_vtkeHdasjM1JElwbZ1l_GZF0nMPzOqAgxbeA',
            alt: 'cover image',
          },
        ],
        metrics: { followers: '564 followers', connections: '500+ connections' },
      },
      warnings: [],
    };
    expect(li.extract(items[0], c)).toEqual(expected);
    expect(li.extractPage!(doc, c)).toEqual(expected);
  });

  it('extracts the first activity card ("Liked by"): author only from the post address', () => {
    expect(li.extract(items[1], c)).toEqual({
      platform: 'linkedin',
      adapter_version: '1.0.0',
      kind: 'post',
      account: { display_name: null, handle: 'dorapalfi', platform_account_id: null, profile_url: null },
      item: {
        platform_item_id: 'urn:li:activity:7179550983801159682',
        url: 'https://www.linkedin.com/posts/dorapalfi_worth-is-a-matter-of-opinion-and-opinion-activity-7179550983801159682-YCJF',
        posted_at: '2024-03-29T18:52:24.145Z',
        posted_at_text: '7179550983801159682',
        posted_at_source: 'id-decoded',
        id_time: '2024-03-29T18:52:24.145Z',
        text: '“Worth is a matter of opinion, and opinion is informed by culture. And if that culture is as male-biased as ours is, it can’t help but be biased…',
        in_reply_to: null,
        thread_id: 'urn:li:activity:7179550983801159682',
        visibility: null,
        media: [
          {
            kind: 'image',
            url: 'https://media.licdn.com/dms/image/D4D22AQG54465_o-NhA/feedshare-shrink_800/0/1711738342884?e=2147483647&v=beta&t=KDDwlW1fFoulCXHWku_ByInzx46LIO6mT4c0SkxOMN8',
            alt: null,
          },
        ],
      },
      warnings: [ACTIVITY('Liked')],
    });
  });

  it('a "Shared by" card names the profile owner as author', () => {
    const x = li.extract(items[12], c);
    expect(x.account).toEqual({ display_name: 'Eduardo Alvarez Nowak', handle: 'eduardo-alvarez-nowak', platform_account_id: null, profile_url: 'https://www.linkedin.com/in/eduardo-alvarez-nowak' });
    expect(x.item).toMatchObject({ platform_item_id: 'urn:li:activity:7176563992054665216', posted_at_source: 'id-decoded' });
    expect(x.warnings).toEqual([ACTIVITY('Shared')]);
  });

  it('the last card keeps a non-ASCII vanity name decoded', () => {
    const x = li.extract(items[17], c);
    expect(x.account?.handle).toBe('oskar-nygårds-b9a222199');
    expect(x.item.url).toBe('https://www.linkedin.com/posts/oskar-nyg%C3%A5rds-b9a222199_working-with-a-great-team-that-successfully-activity-7174782216042930177-Xrvq');
    expect(x.item.posted_at).toBe('2024-03-16T15:03:01.312Z');
  });

  it('a card whose address names no author says the author is missing', () => {
    const x = li.extract(items[2], c);
    expect(x.account).toEqual({ display_name: null, handle: null, platform_account_id: null, profile_url: null });
    expect(x.warnings.map((w) => w.code)).toEqual(['profile-activity', 'account-missing']);
    // a ghost (placeholder) thumbnail is not media
    expect(x.item.media).toEqual([]);
  });

  it('enclosingItem from the name in the top card and from a card title', () => {
    expect(li.enclosingItem(doc.querySelector('h1')!, c)).toBe(items[0]);
    expect(li.enclosingItem(items[5].querySelector('h3')!, c)).toBe(items[5]);
  });
});

describe('linkedin: guest profile that is private or gone ("Profile Not Found")', () => {
  const url = 'https://www.linkedin.com/in/ivanahmadfatoni/';
  const doc = loadFixture('linkedin/scoutr__linkedin-public-profile-limited-2024.html', url);
  const c = ctx(url);

  it('has no items, and extractPage records the handle with a plain warning', () => {
    expect(li.findItems(doc, c)).toEqual([]);
    expect(li.extractPage!(doc, c)).toEqual({
      platform: 'linkedin',
      adapter_version: '1.0.0',
      kind: 'profile',
      account: { display_name: null, handle: 'ivanahmadfatoni', platform_account_id: null, profile_url: 'https://www.linkedin.com/in/ivanahmadfatoni' },
      item: {
        platform_item_id: null,
        url: 'https://www.linkedin.com/in/ivanahmadfatoni',
        title: null,
        posted_at: null,
        posted_at_text: null,
        posted_at_source: null,
        text: null,
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        media: [],
      },
      warnings: [
        {
          code: 'profile-not-found',
          message:
            'LinkedIn showed "Profile Not Found" to this viewer ("An exact match for ivanahmadfatoni could not be found."): the profile may be private, visible to signed-in members only, renamed or removed.',
        },
      ],
    });
  });
});

const THREAD = '2-Y2YyYTAzNWMtNTMwOS00YWZhLTlkMDEtZjI3NGE0NTY2ZTMwXzAxMw==';
const MARIANA = {
  display_name: 'Mariana Hohot',
  handle: null,
  platform_account_id: 'ACoAADgAroQBJh1El3DFh-KvxRrTZDPJ34x28hU',
  profile_url: 'https://www.linkedin.com/in/ACoAADgAroQBJh1El3DFh-KvxRrTZDPJ34x28hU',
};

describe('linkedin: real messaging overlay bubble (2023 snippet)', () => {
  const url = 'https://www.linkedin.com/feed/';
  const doc = loadFixture('linkedin/salespilot__linkedin-msg-overlay-thread-snippet-2023.html', url);
  const c = ctx(url);
  const items = li.findItems(doc, c);
  const message = {
    id: 'urn:li:msg_message:(urn:li:fsd_profile:ACoAADB56tUB46-cNzJpxRtevKcD-soD9Ixh2ew,2-MTY3NjY0MTQ0MDkzOWI1ODc2OS0wMDQmY2YyYTAzNWMtNTMwOS00YWZhLTlkMDEtZjI3NGE0NTY2ZTMwXzAxMw==)',
    sender: MARIANA,
    outgoing: false,
    // the URN carries 1676641440939 ms: Friday 2023-02-17 13:44 UTC, shown as "viernes 14:44" (CET)
    sent_at: '2023-02-17T13:44:00.939Z',
    sent_at_text: 'viernes 14:44',
    sent_at_source: 'id-decoded',
    text: 'Hello Alejo, I am from the team of QATestlab, a global testing services provider. It will be a pleasure to be a part of your network and be of service when needed. Thank you 🙂',
    media: [],
  };

  it('finds the conversation bubble and its one message', () => {
    expect(items.map((e) => li.kindOf(e, c))).toEqual(['conversation', 'message']);
    expect(items[0].classList.contains('msg-convo-wrapper')).toBe(true);
  });

  it('extracts the conversation with the thread id derived from the message URN', () => {
    expect(li.extract(items[0], c)).toEqual({
      platform: 'linkedin',
      adapter_version: '1.0.0',
      kind: 'conversation',
      account: MARIANA,
      item: {
        platform_item_id: THREAD,
        url: `https://www.linkedin.com/messaging/thread/${THREAD}/`,
        title: 'Mariana Hohot',
        posted_at: '2023-02-17T13:44:00.939Z',
        posted_at_text: 'viernes 14:44',
        posted_at_source: 'id-decoded',
        text: null,
        in_reply_to: null,
        thread_id: THREAD,
        visibility: null,
        media: [],
      },
      warnings: [
        {
          code: 'messages-loaded-only',
          message: '1 message(s) were on screen. LinkedIn loads older messages only when scrolled to; scroll up first to capture more.',
        },
      ],
      messages: [message],
    });
  });

  it('extracts the single message; the avatar is not media', () => {
    expect(li.extract(items[1], c)).toEqual({
      platform: 'linkedin',
      adapter_version: '1.0.0',
      kind: 'message',
      account: MARIANA,
      item: {
        platform_item_id: message.id,
        url: `https://www.linkedin.com/messaging/thread/${THREAD}/`,
        posted_at: '2023-02-17T13:44:00.939Z',
        posted_at_text: 'viernes 14:44',
        posted_at_source: 'id-decoded',
        id_time: '2023-02-17T13:44:00.939Z',
        text: message.text,
        in_reply_to: null,
        thread_id: THREAD,
        visibility: null,
        media: [],
      },
      warnings: [{ code: 'permalink-thread', message: "LinkedIn messages have no address of their own; the conversation's address is recorded." }],
      messages: [message],
    });
  });

  it('enclosingItem: message text → message; composer → conversation', () => {
    expect(li.enclosingItem(doc.querySelector('.msg-s-event-listitem__body')!, c)).toBe(items[1]);
    expect(li.enclosingItem(doc.querySelector('.msg-form__contenteditable')!, c)).toBe(items[0]);
  });
});

describe('linkedin: synthetic full-page messaging thread (tests/fixtures/messaging/linkedin-messaging.html)', () => {
  const thread = '2-NmYxYzJhOWUtM2I3ZC00YzU1LTllMGEtMWQyZjNhNGI1YzZkXzEwMA==';
  const url = `https://www.linkedin.com/messaging/thread/${thread}/`;
  const doc = loadFixture('messaging/linkedin-messaging.html', url, true);
  const c = ctx(url, new Date('2026-11-29T20:00:00Z'));
  const items = li.findItems(doc, c);
  const owner = 'ACoAAExampleOwnerSamRivera00000000000ab'; // the mailbox owner (the viewer)
  const urn = (b64: string) => `urn:li:msg_message:(urn:li:fsd_profile:${owner},2-${b64})`;
  const DANA = {
    display_name: 'Dana Whitlock',
    handle: null,
    platform_account_id: 'ACoAAExampleDanaWhitlock000000000000cd',
    profile_url: 'https://www.linkedin.com/in/ACoAAExampleDanaWhitlock000000000000cd',
  };
  const SAM = { display_name: 'Sam Rivera', handle: null, platform_account_id: owner, profile_url: `https://www.linkedin.com/in/${owner}` };
  const IMAGE = {
    kind: 'image',
    url: 'https://media.licdn.com/dms/image/v2/D4E06AQExampleImage/messaging-image-720/0/1795981500000?e=1800000000&v=beta&t=example',
    alt: 'Image sent by Dana Whitlock',
  };
  const messages = [
    {
      id: urn('MTc5NTQ4NjMyNzQxNWI0MDEzNy0wMDEmNmYxYzJhOWUtM2I3ZC00YzU1LTllMGEtMWQyZjNhNGI1YzZkXzEwMA=='),
      sender: DANA,
      outgoing: false,
      sent_at: '2026-11-24T02:12:07.415Z',
      sent_at_text: 'Monday 9:12 PM',
      sent_at_source: 'id-decoded',
      text: 'I saw you at the station this morning.',
      media: [],
    },
    {
      // a follow-up in the same group: no name or time of its own on screen
      id: urn('MTc5NTQ4NjQyMDA4MmI0MDI3NC0wMDImNmYxYzJhOWUtM2I3ZC00YzU1LTllMGEtMWQyZjNhNGI1YzZkXzEwMA=='),
      sender: DANA,
      outgoing: false,
      sent_at: '2026-11-24T02:13:40.082Z',
      sent_at_text: 'Monday 9:12 PM',
      sent_at_source: 'id-decoded',
      text: 'The blue coat suits you.\nSame time tomorrow?',
      media: [],
    },
    {
      id: urn('MTc5NTQ4ODAxOTczMGI0MDQxMS0wMDMmNmYxYzJhOWUtM2I3ZC00YzU1LTllMGEtMWQyZjNhNGI1YzZkXzEwMA=='),
      sender: SAM,
      outgoing: true,
      sent_at: '2026-11-24T02:40:19.730Z',
      sent_at_text: 'Monday 9:40 PM',
      sent_at_source: 'id-decoded',
      text: 'Please stop contacting me.',
      media: [],
    },
    {
      id: urn('MTc5NTk4MTUwMjExOGI0MDU0OC0wMDQmNmYxYzJhOWUtM2I3ZC00YzU1LTllMGEtMWQyZjNhNGI1YzZkXzEwMA=='),
      sender: DANA,
      outgoing: false,
      sent_at: '2026-11-29T19:45:02.118Z',
      sent_at_text: 'Today 2:45 PM',
      sent_at_source: 'id-decoded',
      text: 'Look what I found on your old account.',
      media: [IMAGE],
    },
    {
      id: urn('MTc5NTk4MTY3NTYwNGI0MDY4NS0wMDUmNmYxYzJhOWUtM2I3ZC00YzU1LTllMGEtMWQyZjNhNGI1YzZkXzEwMA=='),
      sender: DANA,
      outgoing: false,
      sent_at: '2026-11-29T19:47:55.604Z',
      sent_at_text: 'Today 2:45 PM',
      sent_at_source: 'id-decoded',
      text: "You can't ignore me forever 🙂",
      media: [],
    },
    {
      id: urn('MTc5NTk4MTk1MTI1N2I0MDgyMi0wMDYmNmYxYzJhOWUtM2I3ZC00YzU1LTllMGEtMWQyZjNhNGI1YzZkXzEwMA=='),
      sender: SAM,
      outgoing: true,
      sent_at: '2026-11-29T19:52:31.257Z',
      sent_at_text: 'Today 2:52 PM',
      sent_at_source: 'id-decoded',
      text: 'I am keeping a copy of every message.',
      media: [],
    },
  ];

  it('finds the conversation and its six messages (not the inbox list row)', () => {
    expect(items.map((e) => li.kindOf(e, c))).toEqual(['conversation', ...Array(6).fill('message')]);
  });

  it('extracts the whole conversation in both directions, times from the message URNs', () => {
    expect(li.extract(items[0], c)).toEqual({
      platform: 'linkedin',
      adapter_version: '1.0.0',
      kind: 'conversation',
      account: { display_name: 'Dana Whitlock', handle: 'dana-whitlock-4b2a17', platform_account_id: null, profile_url: 'https://www.linkedin.com/in/dana-whitlock-4b2a17' },
      item: {
        platform_item_id: thread,
        url,
        title: 'Dana Whitlock',
        posted_at: '2026-11-24T02:12:07.415Z',
        posted_at_text: 'Monday 9:12 PM',
        posted_at_source: 'id-decoded',
        text: null,
        in_reply_to: null,
        thread_id: thread,
        visibility: null,
        media: [IMAGE],
      },
      warnings: [
        {
          code: 'messages-loaded-only',
          message: '6 message(s) were on screen. LinkedIn loads older messages only when scrolled to; scroll up first to capture more.',
        },
      ],
      messages,
    });
  });

  it('extracts one outgoing message on its own', () => {
    const x = li.extract(items[3], c);
    expect(x.kind).toBe('message');
    expect(x.account).toEqual(SAM);
    expect(x.messages).toEqual([messages[2]]);
    expect(x.item).toMatchObject({ platform_item_id: messages[2].id, url, thread_id: thread, text: 'Please stop contacting me.', id_time: '2026-11-24T02:40:19.730Z' });
  });

  it('enclosingItem from inside the image message; kindOf of other parts', () => {
    const img = doc.querySelector('img.msg-s-event-listitem__image')!;
    expect(li.enclosingItem(img, c)).toBe(items[4]);
    expect(li.extract(items[4], c).item.media).toEqual([IMAGE]);
    expect(li.enclosingItem(doc.querySelector('.msg-entity-lockup__entity-title')!, c)).toBe(items[0]);
    expect(li.kindOf(doc.querySelector('.msg-conversation-listitem')!, c)).toBe('element');
    expect(li.extractPage!(doc, c)).toBeNull();
  });
});

describe('linkedin: logged-in feed post with comments (constructed from the update-components / comments markers)', () => {
  const url = 'https://www.linkedin.com/feed/';
  const html = `<html><body><main>
  <div class="feed-shared-update-v2 artdeco-card" data-urn="urn:li:activity:7410643423461978113" role="article">
    <div class="update-components-header"><span class="update-components-header__text-view">Dana Whitlock likes this</span></div>
    <div class="update-components-actor display-flex">
      <a class="update-components-actor__image" href="https://www.linkedin.com/in/rosa-example-123/?miniProfileUrn=urn%3Ali%3Afs_miniProfile%3AACoAAExampleRosa000000000000000000000ef"><img src="https://media.licdn.com/dms/image/v2/X/profile-displayphoto-shrink_100_100/0/1" alt="Rosa Example"></a>
      <div class="update-components-actor__container">
        <a class="update-components-actor__meta-link" href="https://www.linkedin.com/in/rosa-example-123/?miniProfileUrn=urn%3Ali%3Afs_miniProfile%3AACoAAExampleRosa000000000000000000000ef">
          <span class="update-components-actor__title"><span dir="ltr"><span aria-hidden="true"><!---->Rosa Example<!----></span><span class="visually-hidden"><!---->Rosa Example<!----></span></span></span>
          <span class="update-components-actor__sub-description"><span aria-hidden="true">3d • Edited • </span><span class="visually-hidden">3 days ago • Edited • Visible to anyone on or off LinkedIn</span></span>
        </a>
      </div>
    </div>
    <div class="feed-shared-update-v2__description-wrapper"><div class="feed-shared-inline-show-more-text feed-shared-update-v2__description">
      <div class="update-components-text relative update-components-update-v2__commentary"><span class="break-words"><span dir="ltr">Some people should know<br>when to stop.</span></span></div>
    </div></div>
    <div class="update-components-image"><img class="update-components-image__image" src="https://media.licdn.com/dms/image/v2/D4E22AQExample/feedshare-shrink_800/0/1700000000000" alt="screenshot of a message"></div>
    <div class="social-details-social-counts"><img class="reactions-icon" src="https://static.licdn.com/aero-v1/sc/h/like.svg" alt="like"></div>
    <div class="feed-shared-update-v2__comments-container"><div class="comments-comment-list">
      <article class="comments-comment-entity" data-id="urn:li:comment:(activity:7410643423461978113,7410670040301309952)">
        <div class="comments-comment-meta__container">
          <a class="comments-comment-meta__image-link" href="/in/dana-whitlock-4b2a17/"><img src="https://media.licdn.com/dms/image/v2/Y/profile-displayphoto-shrink_100_100/0/2" alt="Dana Whitlock"></a>
          <a class="comments-comment-meta__description-container" href="/in/dana-whitlock-4b2a17/"><span class="comments-comment-meta__description-title">Dana Whitlock</span></a>
          <time class="comments-comment-meta__data">1w</time>
        </div>
        <div class="comments-comment-entity__content"><span class="update-components-text"><span dir="ltr">You are not safe here</span></span></div>
        <div class="comments-replies-list">
          <article class="comments-comment-entity comments-comment-entity--reply" data-id="urn:li:comment:(activity:7410643423461978113,7410708494233960449)">
            <a class="comments-comment-meta__description-container" href="/in/sam-rivera-0a1b2c/"><span class="comments-comment-meta__description-title">Sam Rivera</span></a>
            <time class="comments-comment-meta__data">5d</time>
            <div class="comments-comment-entity__content"><span class="update-components-text"><span dir="ltr">Reported.</span></span></div>
          </article>
        </div>
      </article>
    </div></div>
  </div></main></body></html>`;
  const doc = new JSDOM(html, { url }).window.document;
  const c = ctx(url);
  const items = li.findItems(doc, c);

  it('finds the post, the comment and the reply', () => {
    expect(items.map((e) => li.kindOf(e, c))).toEqual(['post', 'comment', 'comment']);
  });

  it('extracts the post: on-screen name, member id, id time, text with line break, image only', () => {
    expect(li.extract(items[0], c)).toEqual({
      platform: 'linkedin',
      adapter_version: '1.0.0',
      kind: 'post',
      account: {
        display_name: 'Rosa Example',
        handle: 'rosa-example-123',
        platform_account_id: 'ACoAAExampleRosa000000000000000000000ef',
        profile_url: 'https://www.linkedin.com/in/rosa-example-123',
      },
      item: {
        platform_item_id: 'urn:li:activity:7410643423461978113',
        url: 'https://www.linkedin.com/feed/update/urn:li:activity:7410643423461978113/',
        posted_at: '2025-12-27T11:31:15.250Z',
        posted_at_text: '3d',
        posted_at_source: 'id-decoded',
        id_time: '2025-12-27T11:31:15.250Z',
        text: 'Some people should know\nwhen to stop.',
        in_reply_to: null,
        thread_id: 'urn:li:activity:7410643423461978113',
        visibility: null,
        media: [{ kind: 'image', url: 'https://media.licdn.com/dms/image/v2/D4E22AQExample/feedshare-shrink_800/0/1700000000000', alt: 'screenshot of a message' }],
      },
      warnings: [
        { code: 'feed-context', message: 'LinkedIn shows this post under the line "Dana Whitlock likes this"; the account recorded is the post\'s author.' },
        EDITED,
      ],
    });
  });

  it('extracts the comment and the reply with their parents', () => {
    const a = li.extract(items[1], c);
    expect(a.account).toEqual({ display_name: 'Dana Whitlock', handle: 'dana-whitlock-4b2a17', platform_account_id: null, profile_url: 'https://www.linkedin.com/in/dana-whitlock-4b2a17' });
    expect(a.item).toEqual({
      platform_item_id: 'urn:li:comment:(urn:li:activity:7410643423461978113,7410670040301309952)',
      url: 'https://www.linkedin.com/feed/update/urn:li:activity:7410643423461978113/?commentUrn=urn%3Ali%3Acomment%3A%28activity%3A7410643423461978113%2C7410670040301309952%29',
      posted_at: '2025-12-27T13:17:01.199Z',
      posted_at_text: '1w',
      posted_at_source: 'id-decoded',
      id_time: '2025-12-27T13:17:01.199Z',
      text: 'You are not safe here',
      in_reply_to: 'urn:li:activity:7410643423461978113',
      thread_id: 'urn:li:activity:7410643423461978113',
      visibility: null,
      media: [],
    });
    const b = li.extract(items[2], c);
    expect(b.account?.handle).toBe('sam-rivera-0a1b2c');
    expect(b.item).toMatchObject({
      platform_item_id: 'urn:li:comment:(urn:li:activity:7410643423461978113,7410708494233960449)',
      in_reply_to: 'urn:li:comment:(urn:li:activity:7410643423461978113,7410670040301309952)',
      thread_id: 'urn:li:activity:7410643423461978113',
      text: 'Reported.',
      posted_at_text: '5d',
    });
    expect(li.enclosingItem(items[2].querySelector('span[dir="ltr"]')!, c)).toBe(items[2]);
    expect(li.enclosingItem(items[1].querySelector('.comments-comment-entity__content span')!, c)).toBe(items[1]);
  });

  it('never throws on an empty card and lists what is missing', () => {
    const empty = new JSDOM('<article data-activity-urn="nonsense"></article>', { url }).window.document.querySelector('article')!;
    const x = li.extract(empty, c);
    expect(x.kind).toBe('post');
    expect(x.warnings.map((w) => w.code)).toEqual(['account-missing', 'item-id-missing', 'permalink-missing', 'time-missing']);
  });
});

describe('linkedin: matchesUrl', () => {
  it.each([
    ['https://www.linkedin.com/feed/', true],
    ['https://uk.linkedin.com/company/audiense', true],
    ['https://linkedin.com/in/someone', true],
    ['https://www.linkedin.com.evil.example/in/x', false],
    ['https://notlinkedin.com/in/x', false],
    ['https://www.youtube.com/', false],
  ])('%s → %s', (u, expected) => {
    expect(li.matchesUrl(new URL(u))).toBe(expected);
  });
});
