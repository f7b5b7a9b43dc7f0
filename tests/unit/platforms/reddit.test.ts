import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../../utils/shared/types';
import { redditAdapter as reddit } from '../../../utils/content/platforms/reddit';
import { loadFixture } from '../../helpers/fixtures';
import { extractionOf } from '../../helpers/extraction';

// Expected values were read by hand from the saved pages in ../shared/fixtures/platforms/reddit.
const capturedAt = new Date('2026-11-29T12:00:00Z');
const ctxFor = (url: string) => ({ url: new URL(url), capturedAt });

const ex = extractionOf('reddit');
const acc = (handle: string | null, id: string | null, profile: string | null): Account => ({
  display_name: null,
  handle,
  platform_account_id: id,
  profile_url: profile,
});
const W = {
  authorDeleted: { code: 'author-deleted', message: 'Reddit shows the author as "[deleted]": the account or the item was deleted, so the author cannot be identified from this page.' },
  accountMissing: { code: 'account-missing', message: 'The author of this item could not be identified on the page.' },
  parentInferred: { code: 'parent-inferred', message: 'This Reddit layout does not state which comment is being answered; the parent was taken from the indentation of the thread.' },
  deleted: (shown: string) => ({ code: 'item-deleted', message: `This comment was deleted or removed before capture; Reddit shows only "${shown}".` }),
  relative: (shown: string) => ({
    code: 'time-relative',
    message: `The page shows only a relative time ("${shown}"); the time recorded is approximate, counted back from the capture time.`,
  }),
};

describe('reddit: shreddit rendered comments page (alphascraper, 97 comments)', () => {
  const url = 'https://www.reddit.com/r/aivideos/comments/1ooeuoq/which_one_is_ai/';
  const ctx = ctxFor(url);
  const doc = loadFixture('reddit/alphascraper__shreddit-post-97-comments-2025.html', url);
  const items = reddit.findItems(doc, ctx);

  it('finds the post and all 97 comments, in document order', () => {
    expect(items.length).toBe(98);
    expect(items.map((e) => reddit.kindOf(e, ctx)).filter((k) => k === 'comment').length).toBe(97);
    expect(reddit.kindOf(items[0], ctx)).toBe('post');
    expect(reddit.extractPage?.(doc, ctx)).toBeNull();
  });

  it('extracts the crosspost: attributes, HLS video, the crossposted original as quoted', () => {
    expect(reddit.extract(items[0], ctx)).toEqual(
      ex('post', acc('Diligent_Rabbit7740', 't2_1ygrd7wwej', 'https://www.reddit.com/user/Diligent_Rabbit7740/'), {
        platform_item_id: 't3_1ooeuoq',
        url: 'https://www.reddit.com/r/aivideos/comments/1ooeuoq/which_one_is_ai/',
        posted_at: '2025-11-04T18:20:10.257Z',
        posted_at_text: '2d ago',
        posted_at_source: 'attribute',
        title: 'Which one is AI?',
        text: null,
        in_reply_to: null,
        thread_id: 't3_1ooeuoq',
        visibility: null,
        media: [
          {
            kind: 'video',
            url: 'https://v.redd.it/ttl5h6e58azf1/HLSPlaylist.m3u8?f=sd%2CsubsAll%2ChlsSpecOrder&v=1&a=1765026559%2CMWM4NDRjZTM4NDhmMGMzYjQ1ZWQ1YTI3ZDI5ZGQxZTU0MWU1NzM2Nzg1YjUyYzQzMGNiZjg4M2FkYzc2MmIxNg%3D%3D',
            poster:
              'https://external-preview.redd.it/which-one-is-ai-v0-dmwwcWQ1ajU4YXpmMSHgO9SepkfQM6eqhw4nZztL-RxHCP2SsHQ5UF0pZ9sM.png?width=640&crop=smart&format=pjpg&auto=webp&s=eba69d7deb310901865c5206d016be2a6f82a939',
            why_missing: null,
          },
        ],
        quoted: { platform_item_id: 't3_1ooet58', url: 'https://www.reddit.com/r/AICompanions/comments/1ooet58/which_one_is_ai/', account: null, text: 'Which one is AI?' },
        metrics: { score: '860', comments: '166' },
      }),
    );
  });

  it('extracts the first top-level comment (parent = the post)', () => {
    expect(reddit.extract(items[1], ctx)).toEqual(
      ex('comment', acc('NoiseCorrelation', 't2_1lco43r3pq', 'https://www.reddit.com/user/NoiseCorrelation/'), {
        platform_item_id: 't1_nn3jhgn',
        url: 'https://www.reddit.com/r/aivideos/comments/1ooeuoq/comment/nn3jhgn/',
        posted_at: '2025-11-04T18:29:23.309Z',
        posted_at_text: '2d ago',
        posted_at_source: 'attribute',
        text: 'Yay, I got them all right!',
        in_reply_to: 't3_1ooeuoq',
        thread_id: 't3_1ooeuoq',
        visibility: null,
        media: [],
        metrics: { score: '93' },
      }),
    );
  });

  it('extracts a reply six levels deep with its parent comment', () => {
    expect(reddit.extract(items[7], ctx)).toEqual(
      ex('comment', acc('Drakoji', 't2_91d48', 'https://www.reddit.com/user/Drakoji/'), {
        platform_item_id: 't1_nn5lo67',
        url: 'https://www.reddit.com/r/aivideos/comments/1ooeuoq/comment/nn5lo67/',
        posted_at: '2025-11-05T00:41:10.389Z',
        posted_at_text: '2d ago',
        posted_at_source: 'attribute',
        text: 'The amount of sliced radish also multiplies pretty often.',
        in_reply_to: 't1_nn4oju6',
        thread_id: 't3_1ooeuoq',
        visibility: null,
        media: [],
        metrics: { score: '2' },
      }),
    );
  });

  it('keeps the original GIF of a comment rather than its mp4 preview', () => {
    expect(reddit.extract(items[21], ctx)).toEqual(
      ex('comment', acc('JonnyTN', 't2_bnkaunc5', 'https://www.reddit.com/user/JonnyTN/'), {
        platform_item_id: 't1_nn45flg',
        url: 'https://www.reddit.com/r/aivideos/comments/1ooeuoq/comment/nn45flg/',
        posted_at: '2025-11-04T20:12:41.556Z',
        posted_at_text: '2d ago',
        posted_at_source: 'attribute',
        text: 'Idk AI has come a long way since',
        in_reply_to: 't1_nn43uaw',
        thread_id: 't3_1ooeuoq',
        visibility: null,
        media: [{ kind: 'image', url: 'https://i.redd.it/a41o9wkisazf1.gif', alt: null }],
        metrics: { score: '8' },
      }),
    );
  });

  it('flags a deleted comment and derives its permalink, never passing it off as complete', () => {
    expect(reddit.extract(items[24], ctx)).toEqual(
      ex(
        'comment',
        acc(null, null, null),
        {
          platform_item_id: 't1_nn4z2bx',
          url: 'https://www.reddit.com/r/aivideos/comments/1ooeuoq/comment/nn4z2bx/',
          posted_at: '2025-11-04T22:35:26.414Z',
          posted_at_text: '2d ago',
          posted_at_source: 'attribute',
          text: null,
          in_reply_to: 't1_nn49y6g',
          thread_id: 't3_1ooeuoq',
          visibility: null,
          media: [],
        },
        [
          { code: 'permalink-derived', message: 'The page shows no link for this comment; the permalink was built from its id and the post id.' },
          W.deleted('Comment deleted by user'),
          W.authorDeleted,
          W.accountMissing,
        ],
      ),
    );
  });

  it('extracts the last comment', () => {
    expect(reddit.extract(items[items.length - 1], ctx)).toEqual(
      ex('comment', acc('ShhImTheRealDeadpool', 't2_5xdlwj1k', 'https://www.reddit.com/user/ShhImTheRealDeadpool/'), {
        platform_item_id: 't1_nn5kuhw',
        url: 'https://www.reddit.com/r/aivideos/comments/1ooeuoq/comment/nn5kuhw/',
        posted_at: '2025-11-05T00:36:33.417Z',
        posted_at_text: '2d ago',
        posted_at_source: 'attribute',
        text: 'Easy challenge, all the AI ones are trying too hard to look good.',
        in_reply_to: 't3_1ooeuoq',
        thread_id: 't3_1ooeuoq',
        visibility: null,
        media: [],
        metrics: { score: '1' },
      }),
    );
  });

  it('encloses a deep descendant in the innermost comment, and the title in the post', () => {
    const p = items[7].querySelector('[slot="comment"] p');
    expect(p).not.toBeNull();
    expect(reddit.enclosingItem(p!, ctx)).toBe(items[7]);
    const title = doc.querySelector('shreddit-post h1[slot="title"]')!;
    expect(reddit.enclosingItem(title, ctx)).toBe(items[0]);
    expect(reddit.enclosingItem(doc.body, ctx)).toBeNull();
    expect(reddit.kindOf(items[7], ctx)).toBe('comment');
  });
});

describe('reddit: served shreddit page (accountantsai)', () => {
  const url = 'https://www.reddit.com/r/SaaS/comments/17hfimf/i_wish_there_was_a_website_that_just_had_a_list/';
  const ctx = ctxFor(url);
  const doc = loadFixture('reddit/accountantsai__shreddit-post-served-2025.html', url);

  it('extracts the self post; the empty time widget leaves the attribute value as the shown time', () => {
    const items = reddit.findItems(doc, ctx);
    expect(items.length).toBe(1);
    expect(reddit.extract(items[0], ctx)).toEqual(
      ex('post', acc('ifydav', 't2_x9l25', 'https://www.reddit.com/user/ifydav/'), {
        platform_item_id: 't3_17hfimf',
        url,
        posted_at: '2023-10-27T04:31:22.144Z',
        posted_at_text: '2023-10-27T04:31:22.144000+0000',
        posted_at_source: 'attribute',
        title: 'I wish there was a website that just had a list of customer pain points',
        text:
          'The advise that is always given when building saas is find a problem/pain point for a customer then build a solution that solves that problem.\n\n' +
          'But from my experience, it’s really hard to find those problems. What if you don’t know who the customer is?\n\n' +
          'I wish there was a website that just listed different real customer pain points by industry.\n\n' +
          'Also is there a framework of sorts to find customers pain points?',
        in_reply_to: null,
        thread_id: 't3_17hfimf',
        visibility: null,
        media: [],
        metrics: { score: '20', comments: '47' },
      }),
    );
    expect(reddit.extractPage?.(doc, ctx)).toBeNull();
  });
});

describe('reddit: head-only page (metascraper)', () => {
  const url = 'https://www.reddit.com/r/lotus/comments/1pzbv0z/my_lotus_elise_72d_with_17_rays_volk_gtp/?seeker-session=true';
  const ctx = ctxFor(url);
  const doc = loadFixture('reddit/metascraper__reddit-post-head.html', url);

  it('has no item DOM, so the page-level record comes from Open Graph', () => {
    expect(reddit.findItems(doc, ctx)).toEqual([]);
    expect(reddit.extractPage?.(doc, ctx)).toEqual(
      ex(
        'post',
        acc(null, null, null),
        {
          platform_item_id: 't3_1pzbv0z',
          url: 'https://www.reddit.com/r/lotus/comments/1pzbv0z/my_lotus_elise_72d_with_17_rays_volk_gtp/',
          posted_at: null,
          posted_at_text: null,
          posted_at_source: null,
          title: 'My Lotus Elise 72D with 17” Rays Volk GT-P',
          text: 'Just want to make a searchable Lotus Elise post with square wheels and staggered tires Volk GT-P. Just to give people ideas on filament. Square…',
          in_reply_to: null,
          thread_id: 't3_1pzbv0z',
          visibility: null,
          media: [{ kind: 'image', url: 'https://share.redd.it/preview/post/1pzbv0z', alt: 'From the lotus community on Reddit: "My Lotus Elise 72D with 17” Rays Volk GT-P"' }],
        },
        [
          {
            code: 'metadata-only',
            message: 'The page holds only link-preview metadata (Open Graph), not the rendered post: author and time are not stated and the text may be shortened.',
          },
          W.accountMissing,
          { code: 'time-missing', message: 'The page shows no time for this item.' },
        ],
      ),
    );
  });
});

describe('reddit: 2022 React "new Reddit" comments page (postlight)', () => {
  const url = 'https://www.reddit.com/r/Showerthoughts/comments/awx46q/vanilla_becoming_the_default_flavour_of_ice_cream/';
  const ctx = ctxFor(url);
  const doc = loadFixture('reddit/postlight__reddit-newui-post-comments-2022.html', url);
  const items = reddit.findItems(doc, ctx);
  const base = (id: string, shown: string, iso: string) => ({
    platform_item_id: id,
    posted_at: iso,
    posted_at_text: shown,
    posted_at_source: 'relative-text' as const,
    visibility: null,
    media: [],
  });

  it('finds 11 posts (the thread and recommendations; the two ads left out) and 197 comments', () => {
    expect(items.length).toBe(208);
    expect(items.filter((e) => reddit.kindOf(e, ctx) === 'post').length).toBe(11);
    expect(items.filter((e) => reddit.kindOf(e, ctx) === 'comment').length).toBe(197);
  });

  it('extracts the thread post; only a relative time is shown', () => {
    expect(reddit.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        acc('benyacobi', null, 'https://www.reddit.com/user/benyacobi/'),
        {
          ...base('t3_awx46q', '4 years ago', '2022-11-30T12:00:00.000Z'),
          url,
          title: 'Vanilla becoming the default flavour of ice cream is the greatest underdog story of all time.',
          text: 'Edit: thank you for educating me about the ubiquity of vanilla. Still, none of the other products that use vanilla seem to ever give credit to vanilla. They are usually named something else. Anyway, I have learned a lot about vanilla tonight and I now feel like I am a better man.',
          in_reply_to: null,
          thread_id: 't3_awx46q',
        },
        [W.relative('4 years ago')],
      ),
    );
  });

  it('extracts a top-level comment ("4 yr. ago" is resolved, kept verbatim)', () => {
    expect(reddit.extract(items[1], ctx)).toEqual(
      ex(
        'comment',
        acc('LorenzoPg', null, 'https://www.reddit.com/user/LorenzoPg/'),
        {
          ...base('t1_ehq47gs', '4 yr. ago', '2022-11-30T12:00:00.000Z'),
          url: 'https://www.reddit.com/r/Showerthoughts/comments/awx46q/comment/ehq47gs/',
          text: 'Fun fact: Vanilla (the real stuff) has a similar price to silver.',
          in_reply_to: 't3_awx46q',
          thread_id: 't3_awx46q',
        },
        [W.relative('4 yr. ago')],
      ),
    );
  });

  it('infers a reply’s parent from the flat list and says so', () => {
    expect(reddit.extract(items[2], ctx)).toEqual(
      ex(
        'comment',
        acc('emptyzombiekilla', null, 'https://www.reddit.com/user/emptyzombiekilla/'),
        {
          ...base('t1_ehq4og3', '4 yr. ago', '2022-11-30T12:00:00.000Z'),
          url: 'https://www.reddit.com/r/Showerthoughts/comments/awx46q/comment/ehq4og3/',
          text: "Is there a cheaper alternative?\n\nEdit: While I have your attention check to make sure you're on WiFi.",
          in_reply_to: 't1_ehq47gs',
          thread_id: 't3_awx46q',
        },
        [W.parentInferred, W.relative('4 yr. ago')],
      ),
    );
  });

  it('flags a comment whose author was deleted and one removed by a moderator', () => {
    expect(reddit.extract(items[21], ctx)).toEqual(
      ex(
        'comment',
        acc(null, null, null),
        {
          ...base('t1_ehqc2oo', '4 yr. ago', '2022-11-30T12:00:00.000Z'),
          url: 'https://www.reddit.com/r/Showerthoughts/comments/awx46q/comment/ehqc2oo/',
          text: null,
          in_reply_to: 't1_ehq5qm0',
          thread_id: 't3_awx46q',
        },
        [W.parentInferred, W.authorDeleted, W.accountMissing, W.relative('4 yr. ago')],
      ),
    );
    expect(reddit.extract(items[34], ctx)).toEqual(
      ex(
        'comment',
        acc(null, null, null),
        {
          ...base('t1_ehqr5fb', '4 yr. ago', '2022-11-30T12:00:00.000Z'),
          url: 'https://www.reddit.com/r/Showerthoughts/comments/awx46q/comment/ehqr5fb/',
          text: null,
          in_reply_to: 't1_ehq4z6k',
          thread_id: 't3_awx46q',
        },
        [W.parentInferred, W.deleted('Comment removed by moderator'), W.accountMissing, W.relative('4 yr. ago')],
      ),
    );
  });

  it('extracts the last recommended post', () => {
    expect(reddit.extract(items[items.length - 1], ctx)).toEqual(
      ex(
        'post',
        acc('-holdmyhand', null, 'https://www.reddit.com/user/-holdmyhand/'),
        {
          ...base('t3_ylogg6', '5 days ago', '2026-11-24T12:00:00.000Z'),
          url: 'https://www.reddit.com/r/Showerthoughts/comments/ylogg6/you_can_ruin_your_life_trying_to_fix_someone_who/',
          title: "You can ruin your life trying to fix someone who doesn't want to be fixed",
          text: null,
          in_reply_to: null,
          thread_id: 't3_ylogg6',
        },
        [W.relative('5 days ago')],
      ),
    );
  });

  it('encloses text in its own flat-list comment', () => {
    const p = items[2].querySelector('[data-testid="comment"] p')!;
    expect(reddit.enclosingItem(p, ctx)).toBe(items[2]);
    expect(reddit.kindOf(items[2], ctx)).toBe('comment');
  });
});

describe('reddit: older React "new Reddit" video post (postlight)', () => {
  const url = 'https://www.reddit.com/r/HumansBeingBros/comments/aybtf7/thanks_human/';
  const ctx = ctxFor(url);
  const doc = loadFixture('reddit/postlight__reddit-newui-video-post.html', url);
  const items = reddit.findItems(doc, ctx);

  it('finds the post and 19 comments', () => {
    expect(items.length).toBe(20);
  });

  it('takes the stream from <source> when the <video> only has a blob: URL; no author is shown', () => {
    expect(reddit.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        acc(null, null, null),
        {
          platform_item_id: 't3_aybtf7',
          url,
          posted_at: '2023-11-30T12:00:00.000Z',
          posted_at_text: '3 years ago',
          posted_at_source: 'relative-text',
          title: 'Thanks! Human',
          text: null,
          in_reply_to: null,
          thread_id: 't3_aybtf7',
          visibility: null,
          media: [
            {
              kind: 'video',
              url: 'https://v.redd.it/kwhzxoz5rok21/HLSPlaylist.m3u8?a=1662745062%2CNzdmODU5ZDBhYTUwNmYyOGI3ZTU4OWU5N2I4ZTBmN2MxNTgyMWIzMjgzNDMwZmZhNTM3Mjc1NGIxMWRjNWMzNA%3D%3D&v=1&f=hd',
              poster: null,
              why_missing: null,
            },
          ],
        },
        [W.accountMissing, W.relative('3 years ago')],
      ),
    );
  });

  it('reads the author from the avatar link when the name link is absent', () => {
    expect(reddit.extract(items[1], ctx)).toEqual(
      ex(
        'comment',
        acc('HR_Dragonfly', null, 'https://www.reddit.com/user/HR_Dragonfly/'),
        {
          platform_item_id: 't1_ehznnqc',
          url: 'https://www.reddit.com/r/HumansBeingBros/comments/aybtf7/comment/ehznnqc/',
          posted_at: '2023-11-30T12:00:00.000Z',
          posted_at_text: '3 yr. ago',
          posted_at_source: 'relative-text',
          text: 'Pulled that wiener back from the brink.',
          in_reply_to: 't3_aybtf7',
          thread_id: 't3_aybtf7',
          visibility: null,
          media: [],
        },
        [W.relative('3 yr. ago')],
      ),
    );
  });
});

describe('reddit: old.reddit.com comments page (webscrapers)', () => {
  const url = 'https://old.reddit.com/r/Games/comments/1lqa2hj/has_xbox_considered_laying_one_person_off_instead/';
  const ctx = ctxFor(url);
  const doc = loadFixture('reddit/webscrapers__old-reddit-post-comments-2025.html', url);
  const items = reddit.findItems(doc, ctx);

  it('finds the link post and 196 comments; "load more" stubs are not items', () => {
    expect(items.length).toBe(197);
    expect(items.filter((e) => reddit.kindOf(e, ctx) === 'comment').length).toBe(196);
  });

  it('extracts the link post: linked article as quoted, deleted author flagged', () => {
    expect(reddit.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        acc(null, null, null),
        {
          platform_item_id: 't3_1lqa2hj',
          url,
          posted_at: '2025-07-02T23:01:35.000Z',
          posted_at_text: '5 months ago',
          posted_at_source: 'attribute',
          title: 'Has Xbox Considered Laying One Person Off Instead Of Thousands',
          text: null,
          in_reply_to: null,
          thread_id: 't3_1lqa2hj',
          visibility: 'public',
          media: [],
          quoted: { platform_item_id: null, url: 'https://aftermath.site/xbox-layoffs-microsoft-phil-spencer', account: null, text: null },
          metrics: { score: '8724', comments: '978' },
        },
        [W.authorDeleted, W.accountMissing],
      ),
    );
  });

  it('extracts a nested reply with account fullname and parent', () => {
    expect(reddit.extract(items[2], ctx)).toEqual(
      ex('comment', acc('ComprehensiveArt7725', 't2_ef8hzu79', 'https://old.reddit.com/user/ComprehensiveArt7725'), {
        platform_item_id: 't1_n113i94',
        url: 'https://old.reddit.com/r/Games/comments/1lqa2hj/has_xbox_considered_laying_one_person_off_instead/n113i94/',
        posted_at: '2025-07-02T23:07:12.000Z',
        posted_at_text: '5 months ago',
        posted_at_source: 'attribute',
        text: 'All i know is bobby k made off like a fat rat',
        in_reply_to: 't1_n113cp2',
        thread_id: 't3_1lqa2hj',
        visibility: 'public',
        media: [],
        metrics: { score: '1220' },
      }),
    );
  });

  it('recovers a removed comment’s id from its permalink and flags the removal', () => {
    expect(reddit.extract(items[20], ctx)).toEqual(
      ex(
        'comment',
        acc(null, null, null),
        {
          platform_item_id: 't1_n141qhk',
          url: 'https://old.reddit.com/r/Games/comments/1lqa2hj/has_xbox_considered_laying_one_person_off_instead/n141qhk/',
          posted_at: '2025-07-03T11:59:40.000Z',
          posted_at_text: '5 months ago',
          posted_at_source: 'attribute',
          text: null,
          in_reply_to: 't1_n13znkm',
          thread_id: 't3_1lqa2hj',
          visibility: 'public',
          media: [],
        },
        [W.authorDeleted, W.deleted('[removed]'), W.accountMissing],
      ),
    );
  });

  it('extracts the last comment, and encloses its text in it', () => {
    const last = items[items.length - 1];
    expect(reddit.extract(last, ctx)).toEqual(
      ex('comment', acc('IMurderPeopleAndShit', 't2_j7nhf', 'https://old.reddit.com/user/IMurderPeopleAndShit'), {
        platform_item_id: 't1_n14jthf',
        url: 'https://old.reddit.com/r/Games/comments/1lqa2hj/has_xbox_considered_laying_one_person_off_instead/n14jthf/',
        posted_at: '2025-07-03T13:46:28.000Z',
        posted_at_text: '5 months ago',
        posted_at_source: 'attribute',
        text: 'Executives will tend to hire executives who do not fire other executives. This is class formation and class solidarity in action.',
        in_reply_to: 't3_1lqa2hj',
        thread_id: 't3_1lqa2hj',
        visibility: 'public',
        media: [],
        metrics: { score: '3' },
      }),
    );
    expect(reddit.enclosingItem(last.querySelector('.md p')!, ctx)).toBe(last);
  });
});

describe('reddit: URL and document matching', () => {
  it('matches every Reddit host and nothing else', () => {
    for (const u of ['https://www.reddit.com/r/x/', 'https://old.reddit.com/', 'https://new.reddit.com/r/x/comments/1/', 'https://sh.reddit.com/user/a/'])
      expect(reddit.matchesUrl(new URL(u))).toBe(true);
    for (const u of ['https://notreddit.com/', 'https://reddit.com.evil.example/', 'https://redd.it.example/'])
      expect(reddit.matchesUrl(new URL(u))).toBe(false);
  });
  it('recognises a saved Reddit page by its markers', () => {
    const url = 'https://www.reddit.com/r/SaaS/comments/17hfimf/i_wish_there_was_a_website_that_just_had_a_list/';
    expect(reddit.matchesDocument?.(loadFixture('reddit/accountantsai__shreddit-post-served-2025.html', url), new URL(url))).toBe(true);
    const plain = new JSDOM('<p>hello</p>', { url: 'https://example.org/' }).window.document;
    expect(reddit.matchesDocument?.(plain, new URL('https://example.org/'))).toBe(false);
  });
});

describe('reddit: views with no saved page (small inline DOMs built from the known markers)', () => {
  it('walks out of a shadow root to the comment that hosts it', () => {
    const dom = new JSDOM('<shreddit-comment thingid="t1_abc" author="someone" postid="t3_xyz"></shreddit-comment>', { url: 'https://www.reddit.com/r/x/comments/xyz/t/' });
    const host = dom.window.document.querySelector('shreddit-comment')!;
    const inner = dom.window.document.createElement('span');
    host.attachShadow({ mode: 'open' }).appendChild(inner);
    expect(reddit.enclosingItem(inner, ctxFor('https://www.reddit.com/r/x/comments/xyz/t/'))).toBe(host);
  });

  it('reads a profile comment card, taking the author from the profile being viewed', () => {
    const url = 'https://www.reddit.com/user/example_user/comments/';
    const dom = new JSDOM(
      `<shreddit-profile-comment comment-id="t1_k9zz1" href="/r/test/comments/1abcd/some_title/k9zz1/?context=3">
         <faceplate-timeago ts="2025-03-01T10:00:00.000000+0000"><time datetime="2025-03-01T10:00:00.000Z">3 mo. ago</time></faceplate-timeago>
         <div id="t1_k9zz1-comment-rtjson-content"><p>You again?</p></div>
       </shreddit-profile-comment>`,
      { url },
    );
    const ctx = ctxFor(url);
    const [el] = reddit.findItems(dom.window.document, ctx);
    expect(reddit.extract(el, ctx)).toEqual(
      ex(
        'comment',
        acc('example_user', null, 'https://www.reddit.com/user/example_user/'),
        {
          platform_item_id: 't1_k9zz1',
          url: 'https://www.reddit.com/r/test/comments/1abcd/some_title/k9zz1/',
          posted_at: '2025-03-01T10:00:00.000Z',
          posted_at_text: '3 mo. ago',
          posted_at_source: 'attribute',
          text: 'You again?',
          in_reply_to: null,
          thread_id: 't3_1abcd',
          visibility: null,
          media: [],
        },
        [
          {
            code: 'author-from-page',
            message: "The comment card names no author; it is listed on u/example_user's profile page, so that account is recorded as the author.",
          },
        ],
      ),
    );
  });

  it('reads a search result card (title, link, time; the body is not on a results page)', () => {
    const url = 'https://www.reddit.com/search/?q=garden';
    const dom = new JSDOM(
      `<search-telemetry-tracker data-testid="search-sdui-post" data-thingid="t3_1xyz9ab">
         <a data-testid="post-title" href="/r/gardening/comments/1xyz9ab/who_lives_near_the_bakery/" aria-label="Who lives near the bakery?"></a>
         <a href="/r/gardening/">r/gardening</a> <faceplate-timeago ts="2026-11-01T09:00:00.000000+0000"><time datetime="2026-11-01T09:00:00.000Z">28d ago</time></faceplate-timeago>
         <a href="/user/example_user/">u/example_user</a>
         <a data-testid="post-title-text" href="/r/gardening/comments/1xyz9ab/who_lives_near_the_bakery/">Who lives near the bakery?</a>
       </search-telemetry-tracker>`,
      { url },
    );
    const ctx = ctxFor(url);
    const [el] = reddit.findItems(dom.window.document, ctx);
    expect(reddit.kindOf(el, ctx)).toBe('post');
    expect(reddit.extract(el, ctx)).toEqual(
      ex(
        'post',
        acc('example_user', null, 'https://www.reddit.com/user/example_user/'),
        {
          platform_item_id: 't3_1xyz9ab',
          url: 'https://www.reddit.com/r/gardening/comments/1xyz9ab/who_lives_near_the_bakery/',
          posted_at: '2026-11-01T09:00:00.000Z',
          posted_at_text: '28d ago',
          posted_at_source: 'attribute',
          title: 'Who lives near the bakery?',
          text: null,
          in_reply_to: null,
          thread_id: 't3_1xyz9ab',
          visibility: null,
          media: [],
        },
        [{ code: 'search-result', message: 'Captured from a search result: only the title, author and time are shown here, not the post body.' }],
      ),
    );
  });

  it('gives a profile record for a user page from its title', () => {
    const url = 'https://www.reddit.com/user/example_user/';
    const dom = new JSDOM(
      '<head><meta property="og:title" content="Example Person (u/example_user) - Reddit"><meta property="og:description" content="Gardener. Posts about tomatoes."></head><body></body>',
      { url },
    );
    expect(reddit.extractPage?.(dom.window.document, ctxFor(url))).toEqual(
      ex(
        'profile',
        { display_name: 'Example Person', handle: 'example_user', platform_account_id: null, profile_url: 'https://www.reddit.com/user/example_user/' },
        {
          platform_item_id: null,
          url: 'https://www.reddit.com/user/example_user/',
          posted_at: null,
          posted_at_text: null,
          posted_at_source: null,
          text: 'Gardener. Posts about tomatoes.',
          in_reply_to: null,
          thread_id: null,
          visibility: null,
          media: [],
        },
      ),
    );
  });

  it('says what it cannot do with an element that is not an item', () => {
    const dom = new JSDOM('<div id="x">x</div>', { url: 'https://www.reddit.com/' });
    const ctx = ctxFor('https://www.reddit.com/');
    const el = dom.window.document.getElementById('x')!;
    expect(reddit.kindOf(el, ctx)).toBe('element');
    expect(reddit.extract(el, ctx)).toEqual({
      platform: 'reddit',
      adapter_version: '1.0.0',
      kind: 'element',
      account: null,
      item: { platform_item_id: null, url: null, posted_at: null, posted_at_text: null, posted_at_source: null, text: null, in_reply_to: null, thread_id: null, visibility: null, media: [] },
      warnings: [{ code: 'not-an-item', message: 'The selected element is not a Reddit post, comment or message.' }],
    });
  });
});
