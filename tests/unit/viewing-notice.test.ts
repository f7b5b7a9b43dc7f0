import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { viewingNotice, type ViewingNoticeKind } from '../../utils/shared/viewing-notice';
import { FIXTURES_DIR } from '../helpers/fixtures';

const STORY = (p: string) => ({ kind: 'story', platform: p, text: `${p} shows the person who posted a story who has viewed it. Opening it may let them know you looked.` });
const PROFILE = (p: string) => ({ kind: 'profile-view', platform: p, text: `${p} can show people who viewed their profile. Opening a profile may let that person know you looked.` });
const MESSAGES = (p: string) => ({ kind: 'messages', platform: p, text: `${p} can show the sender when their messages have been seen. Opening a conversation may mark it as read.` });

/**
 * Every real saved page (../shared/fixtures/platforms): the address it names for itself (canonical link or
 * og:url, as saved) and what the popup says there. Only the LinkedIn profile is a page where looking can tell.
 */
const REAL: [file: string, url: string | null, kind: ViewingNoticeKind | null][] = [
  ['twitter/tweetyoink__x-tweet-sample.html', null, null],
  ['twitter/tweetyoink__x-tweet-quote.html', null, null],
  ['twitter/metascraper__x-post.html', 'https://x.com/realDonaldTrump/status/1222907250383245320', null],
  ['twitter/metascraper__x-post-video.html', 'https://x.com/verge/status/957383241714970624', null],
  ['twitter/metascraper__x-post-gif.html', 'https://x.com/Kikobeats/status/880139124791029763', null],
  ['twitter/metascraper__x-post-link.html', 'https://x.com/Forbes/status/2016058596782670275', null],
  ['twitter/metascraper__x-profile.html', 'https://x.com/kikobeats', null],
  ['twitter/metascraper__x-profile-video.html', 'https://x.com/javilop', null],
  ['twitter/metascraper__x-post-og.html', 'https://twitter.com/realDonaldTrump/status/1222907250383245320', null],
  ['twitter/metascraper__x-profile-og.html', 'https://x.com/Kikobeats', null],
  ['bluesky/metascraper__bsky-post-image.html', 'https://bsky.app/profile/glendunlap.bsky.social/post/3mdegyw3ves2t', null],
  ['bluesky/metascraper__bsky-post.html', 'https://bsky.app/profile/stephenking.bsky.social/post/3mddvy5bv6k27', null],
  ['bluesky/metascraper__bsky-profile.html', 'https://bsky.app/profile/stephenking.bsky.social', null],
  ['tiktok/metascraper__tiktok-video.html', 'https://www.tiktok.com/@illojuan/video/7571863205253778710', null],
  ['youtube/metascraper__yt-video.html', 'https://www.youtube.com/watch?v=hwMkbaS_M_c', null],
  ['youtube/metascraper__yt-video-2025.html', 'https://www.youtube.com/watch?v=fJ9rUzIMcZQ', null],
  ['youtube/metascraper__yt-channel.html', 'https://www.youtube.com/channel/UCzcRQ3vRNr6fJ1A9rqFn7QA', null],
  ['telegram/metascraper__tg-post-full-image.html', null, null],
  ['instagram/metascraper__ig-post-photo.html', 'https://www.instagram.com/p/CPeC-Eenc8l/', null],
  ['instagram/metascraper__ig-profile.html', 'https://www.instagram.com/pluto__travel/', null],
  ['reddit/metascraper__reddit-post-head.html', 'https://www.reddit.com/r/lotus/comments/1pzbv0z/my_lotus_elise_72d_with_17_rays_volk_gtp/?seeker-session=true', null],
  ['twitter/defuddle__x-article-loggedin-2026.html', 'https://x.com/arscontexta/status/2013045749580259680', null],
  ['reddit/postlight__reddit-newui-post-comments-2022.html', 'https://www.reddit.com/r/Showerthoughts/comments/awx46q/vanilla_becoming_the_default_flavour_of_ice_cream/', null],
  ['reddit/postlight__reddit-newui-video-post.html', 'https://www.reddit.com/r/HumansBeingBros/comments/aybtf7/thanks_human/', null],
  ['twitter/metascraper-2023__twitter-tweet-thread.html', 'https://twitter.com/home', null],
  ['twitter/metascraper-2023__twitter-profile.html', 'https://twitter.com/kikobeats', null],
  ['linkedin/metascraper__linkedin-company-guest.html', 'https://uk.linkedin.com/company/audiense', null],
  ['instagram/metascraper__ig-post-rendered-2017-legacy.html', 'https://www.instagram.com/p/BWUDBntl3_Z/', null],
  ['facebook/fbscraper__m-facebook-story-post-2021.html', 'https://www.facebook.com/119240841493711/posts/check-out-these-themed-wallpapers-and-many-more-at-the-link-below-for-your-perso/3065154550235644/', null],
  ['facebook/fbscraper__m-facebook-group-feed-2021.html', 'https://www.facebook.com/groups/southamericansincomputing/', null],
  ['facebook/fbscraper__m-facebook-group-permalink-2021.html', 'https://www.facebook.com/groups/southamericansincomputing/permalink/1629606003787605/', null],
  ['facebook/garcon__www-facebook-page-2024.html', 'https://www.facebook.com/people/P%C3%B3%C5%82-%C5%BBartem-P%C3%B3%C5%82-Serio/100028295814975/', null],
  ['facebook/garcon__www-facebook-page-classic-legacy.html', 'https://www.facebook.com/pages/category/Family-Style-Restaurant/Pół-Żartem-Pół-Serio-1597565460485886/posts/', null],
  ['reddit/webscrapers__old-reddit-post-comments-2025.html', 'https://www.reddit.com/r/Games/comments/1lqa2hj/has_xbox_considered_laying_one_person_off_instead/', null],
  ['instagram/alvintsa__ig-comment-snippet-2025.html', null, null],
  ['linkedin/scoutr__linkedin-public-profile-2024.html', 'https://se.linkedin.com/in/eduardo-alvarez-nowak', 'profile-view'],
  ['linkedin/scoutr__linkedin-public-profile-limited-2024.html', '/public-profile/in/ivanahmadfatoni/', null],
  ['threads/jakebry__threads-profile-rendered-2025.html', 'https://www.threads.com/@j.p_morgan_trading', null],
  ['instagram/instascraper__ig-reel-post-comments-rendered-2026.html', 'https://www.instagram.com/reel/DM5F3Vzq6TN/', null],
  ['reddit/alphascraper__shreddit-post-97-comments-2025.html', null, null],
  ['reddit/accountantsai__shreddit-post-served-2025.html', null, null],
  ['facebook/tanjin__www-facebook-post-with-comments-rendered-2025.html', 'https://www.facebook.com/salmanmd.sultan.1/posts/closed%E0%A6%88%E0%A6%A6-%E0%A6%89%E0%A6%AA%E0%A6%B2%E0%A6%95%E0%A7%8D%E0%A6%B7%E0%A7%87-system-design-%E0%A6%8F%E0%A6%B0-%E0%A6%AB%E0%A7%8D%E0%A6%B0%E0%A6%BF-course-announcementekhonkar-%E0%A6%B8%E0%A6%AE%E0%A7%9F%E0%A7%87-%E0%A6%8F%E0%A6%AE%E0%A6%A8-%E0%A6%AD%E0%A6%BE%E0%A6%AC%E0%A7%87/3741738029450159/', null],
  ['youtube/youtubetoebook__yt-watch-with-20-comments-rendered-2026.html', 'https://www.youtube.com/watch?v=0J2_YGuNrDo', null],
  ['linkedin/videoredes__linkedin-public-post-with-comments-2026.html', 'https://www.linkedin.com/posts/codewithalamin_5-in-demand-ui-libraries-in-2025-activity-7410643423461978113-jasP', null],
  ['mastodon/testingembeds__mastodon-status-head-2022.html', 'https://mastodon.social/@Gargron/109300299959535882', null],
  ['instagram/igparser__ig-dm-inbox-rendered-2026.html', null, null],
  ['linkedin/salespilot__linkedin-msg-overlay-thread-snippet-2023.html', null, null],
];

describe('viewing notices on the real saved pages', () => {
  const listed = readFileSync(join(FIXTURES_DIR, 'SOURCES.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]);

  it('covers every saved page', () => {
    expect(REAL.map((r) => r[0]).sort()).toEqual([...listed].sort());
  });

  it.each(REAL)('%s', (file, url, kind) => {
    const doc = new JSDOM(readFileSync(join(FIXTURES_DIR, file), 'utf8')).window.document;
    const own = doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? doc.querySelector('meta[property="og:url"]')?.getAttribute('content') ?? null;
    expect(own).toBe(url);
    // A relative canonical ("/public-profile/in/…") is read against the platform's own host.
    const absolute = url === null ? null : new URL(url, 'https://www.linkedin.com/').href;
    expect(viewingNotice(absolute)?.kind ?? null).toBe(kind);
  });
});

describe('viewing notices: stories, profile views, message views', () => {
  it.each([
    // The addresses the adapter tests give the real DM inbox and our synthetic messaging pages.
    ['https://www.instagram.com/direct/inbox/', MESSAGES('Instagram')],
    ['https://www.instagram.com/direct/t/17849900112233445/', MESSAGES('Instagram')],
    ['https://www.messenger.com/t/100090000000001/', MESSAGES('Messenger')],
    ['https://www.facebook.com/messages/e2ee/t/7700000000000001', MESSAGES('Messenger')],
    ['https://www.facebook.com/messages/t/100090000000001/', MESSAGES('Messenger')],
    ['https://x.com/messages/1500000000000000000-1600000000000000000', MESSAGES('X')],
    ['https://x.com/i/chat/1500000000000000000-1600000000000000000', MESSAGES('X')],
    ['https://twitter.com/messages', MESSAGES('X')],
    ['https://www.linkedin.com/messaging/thread/2-YWJjZGVmZ2hpams=/', MESSAGES('LinkedIn')],
    ['https://web.whatsapp.com/', MESSAGES('WhatsApp')],
    ['https://web.telegram.org/k/#@jordan_r_example', MESSAGES('Telegram')],
    // Stories.
    ['https://www.instagram.com/stories/grey_heron/3500000000000000000/', STORY('Instagram')],
    ['https://www.instagram.com/stories/highlights/17900000000000000/', STORY('Instagram')],
    ['https://www.facebook.com/stories/100028295814975/UzpfSVNDOjEwMDAwMDAwMDAwMDAwMA==/', STORY('Facebook')],
    ['https://m.facebook.com/stories/100028295814975/', STORY('Facebook')],
    // Profiles that can show who looked.
    ['https://www.linkedin.com/in/ivanahmadfatoni/', PROFILE('LinkedIn')],
    ['https://uk.linkedin.com/in/eduardo-alvarez-nowak', PROFILE('LinkedIn')],
    ['https://www.tiktok.com/@illojuan', PROFILE('TikTok')],
    ['https://www.tiktok.com/@illojuan/', PROFILE('TikTok')],
  ])('%s', (url, expected) => {
    expect(viewingNotice(url)).toEqual(expected);
  });

  it.each([
    // A Facebook "story.php" link is an ordinary post, not a story.
    'https://m.facebook.com/story.php?story_fbid=3065154550235644&id=119240841493711',
    'https://mbasic.facebook.com/story.php?story_fbid=900&id=100000000000042',
    'https://www.facebook.com/',
    'https://www.instagram.com/p/CPeC-Eenc8l/',
    'https://www.instagram.com/directory/',
    'https://www.tiktok.com/@illojuan/video/7571863205253778710',
    'https://uk.linkedin.com/company/audiense',
    'https://www.linkedin.com/feed/',
    'https://x.com/kikobeats',
    'https://x.com/messagesfromthedeep',
    'https://discord.com/channels/1179934890393600123/1180000000000000000',
    'https://bsky.app/profile/stephenking.bsky.social',
    'https://notinstagram.com/stories/x/',
    'https://instagram.com.example.org/stories/x/',
    'http://127.0.0.1:8080/index.html',
    'file:///home/user/instagram.com/stories/x.html',
    'not a url',
    '',
  ])('nothing for %s', (url) => {
    expect(viewingNotice(url)).toBeNull();
  });

  it('nothing without an address', () => {
    expect(viewingNotice(null)).toBeNull();
    expect(viewingNotice(undefined)).toBeNull();
  });
});
