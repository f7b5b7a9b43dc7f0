import { describe, expect, it } from 'vitest';
import {
  decodeBlueskyTid,
  decodeDiscordId,
  decodeInstagramMediaId,
  decodeInstagramShortcode,
  decodeLinkedInId,
  decodeMastodonId,
  decodeTikTokId,
  decodeXId,
  fromRelativeText,
  parseMachineTime,
} from '../../utils/content/time';

// Id/time pairs are taken from the real saved pages in ../shared/fixtures/platforms,
// where the page states both the item id and a machine-readable time.
describe('time decoding from ids', () => {
  it('decodes an X snowflake (x-post.html: status 1222907250383245320, datetime 2020-01-30T15:39:43.000Z)', () => {
    expect(decodeXId('1222907250383245320')?.slice(0, 19)).toBe('2020-01-30T15:39:43');
    expect(decodeXId('20')).toBeNull(); // pre-snowflake ids carry no time
  });
  it('decodes a TikTok id (tiktok-video.html: 7571863205253778710, createTime 1762961788)', () => {
    // The id encodes the upload's creation second, a few seconds before the published createTime.
    const decoded = decodeTikTokId('7571863205253778710');
    expect(decoded).toBe('2025-11-12T15:36:23.000Z');
    expect(Math.abs(Date.parse(decoded!) - 1762961788 * 1000)).toBeLessThan(60_000);
  });
  it('decodes a LinkedIn activity id (linkedin post: 7410643423461978113, datePublished 2025-12-27T11:31:15.230Z)', () => {
    expect(decodeLinkedInId('7410643423461978113')?.slice(0, 19)).toBe('2025-12-27T11:31:15');
  });
  it('decodes a Bluesky TID (bsky-post-image.html: 3mdegyw3ves2t, published 2026-01-26T23:55:44.454Z)', () => {
    // The record key is made when the post is composed, seconds before the indexed time.
    const decoded = decodeBlueskyTid('3mdegyw3ves2t');
    expect(decoded?.slice(0, 19)).toBe('2026-01-26T23:55:27');
    expect(Math.abs(Date.parse(decoded!) - Date.parse('2026-01-26T23:55:44.454Z'))).toBeLessThan(60_000);
    expect(decodeBlueskyTid('not-a-tid')).toBeNull();
  });
  it('decodes a Discord snowflake (Discord epoch 2015-01-01)', () => {
    expect(decodeDiscordId('175928847299117063')).toBe('2016-04-30T11:18:25.796Z');
    expect(decodeDiscordId('12')).toBeNull();
    expect(decodeDiscordId('not-an-id')).toBeNull();
    expect(decodeDiscordId(null)).toBeNull();
  });
  it('decodes a Mastodon status id (id >> 16 ms); sequential pre-2016 ids carry no time', () => {
    expect(decodeMastodonId('109300299959535882')).toBe('2022-11-07T03:03:41.550Z');
    expect(decodeMastodonId('12345')).toBeNull();
    expect(decodeMastodonId('100000000000000')).toBeNull(); // decodes to 1970
  });
  it('decodes an Instagram/Threads shortcode and media id (instagram reel DM5F3Vzq6TN, threads post DK4QWNksRE2)', () => {
    expect(decodeInstagramShortcode('DM5F3Vzq6TN')).toBe('2025-08-03T11:59:23.328Z');
    expect(decodeInstagramMediaId('3691007162826073293')).toBe('2025-08-03T11:59:23.328Z');
    expect(decodeInstagramShortcode('DK4QWNksRE2')).toBe('2025-06-14T11:08:57.378Z');
    expect(decodeInstagramShortcode('AAAAA')).toBeNull(); // too small to be a sharded media id
    expect(decodeInstagramShortcode('way-too-long-shortcode')).toBeNull();
    expect(decodeInstagramMediaId('12345')).toBeNull();
  });
});

describe('relative and machine times', () => {
  it('resolves relative text against capture time and labels it', () => {
    const at = new Date('2026-11-29T12:00:00.000Z');
    expect(fromRelativeText('2h', at)).toEqual({ iso: '2026-11-29T10:00:00.000Z', text: '2h', source: 'relative-text' });
    expect(fromRelativeText('3 days ago', at)).toEqual({ iso: '2026-11-26T12:00:00.000Z', text: '3 days ago', source: 'relative-text' });
    expect(fromRelativeText('1 yr', at).iso).toBe('2025-11-29T12:00:00.000Z');
    expect(fromRelativeText('Posted yesterday at noon', at).iso).toBeNull();
  });
  it('parses epoch seconds and ms and ISO; rejects free text', () => {
    expect(parseMachineTime('1700000000')).toBe('2023-11-14T22:13:20.000Z');
    expect(parseMachineTime(1700000000123)).toBe('2023-11-14T22:13:20.123Z');
    expect(parseMachineTime('2024-02-03T04:05:06+01:00')).toBe('2024-02-03T03:05:06.000Z');
    expect(parseMachineTime('tomorrow')).toBeNull();
  });
});
