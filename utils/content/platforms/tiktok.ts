import type { Extraction, ItemKind, MediaRef, Warning } from '../../shared/types';
import { absUrl, emptyAccount, emptyItem, makeExtraction, readMeta, textOf, warning, jsonAt as at, jsonStr as str } from '../dom';
import { cleanText, decodeTikTokId, firstTime, fromId, fromJson, fromRelativeText, textOnly, type ResolvedTime } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * TikTok (www.tiktok.com), anchored on the `data-e2e` test markers TikTok ships in production,
 * and on the page's rehydration JSON (`__UNIVERSAL_DATA_FOR_REHYDRATION__`, older `SIGI_STATE`),
 * which is read as text, never run.
 *
 * Items: videos in the feed / one-column video page (`recommend-list-item-container`), the
 * 2023-24 "browse" video page (`browse-video-desc`), profile grid tiles (`user-post-item`),
 * comments and replies (`comment-level-N`, N = 1 for comments, 2 for replies) and the profile
 * header (`user-title`).
 *
 * Ids: a video's `platform_item_id` is its numeric id (`/@user/video/<id>`); the id encodes its
 * creation second (id >> 32), recorded as `id_time`. `platform_account_id` is the numeric user id
 * when the JSON gives it. A comment's `thread_id` and (for a top-level comment) `in_reply_to` are
 * the video id. TikTok's comment DOM carries no comment id or permalink, which the record says.
 */

const SEL = {
  feedItem: '[data-e2e="recommend-list-item-container"]',
  feedVideo: '[data-e2e="feed-video"]',
  videoDesc: '[data-e2e="video-desc"]',
  browseDesc: '[data-e2e="browse-video-desc"]',
  browseUsername: '[data-e2e="browse-username"]',
  browseNickname: '[data-e2e="browser-nickname"]',
  browseVideo: '[data-e2e="browse-video"]',
  authorAvatar: '[data-e2e="video-author-avatar"], [data-e2e="browse-user-avatar"]',
  playerWrapper: '[id^="xgwrapper-"]',
  videoLink: 'a[href*="/video/"], a[href*="/photo/"]',
  profileLink: 'a[href^="/@"], a[href^="https://www.tiktok.com/@"]',
  aiSummary: '[data-e2e^="v2t-"]',
  counts: {
    likes: '[data-e2e="like-count"], [data-e2e="browse-like-count"]',
    comments: '[data-e2e="comment-count"], [data-e2e="browse-comment-count"]',
    shares: '[data-e2e="share-count"]',
    saves: '[data-e2e="undefined-count"], [data-e2e="favorite-count"], [data-e2e="collect-count"]',
  },
  // comments
  commentText: '[data-e2e^="comment-level-"]',
  commentUsername: '[data-e2e^="comment-username-"]',
  commentTime: '[data-e2e^="comment-time-"]',
  commentLikes: '[data-e2e^="comment-like-count"]',
  commentAvatar: '[data-e2e^="comment-avatar-"]',
  commentThumb: 'img[data-e2e="comment-thumbnail"]',
  // profile
  userTitle: '[data-e2e="user-title"]',
  userSubtitle: '[data-e2e="user-subtitle"]',
  userBio: '[data-e2e="user-bio"]',
  userAvatar: '[data-e2e="user-avatar"]',
  userCounts: {
    following: '[data-e2e="following-count"]',
    followers: '[data-e2e="followers-count"]',
    likes: '[data-e2e="likes-count"]',
  },
  userPostItem: '[data-e2e="user-post-item"]',
  userPostViews: '[data-e2e="video-views"]',
  // data
  rehydration: 'script#__UNIVERSAL_DATA_FOR_REHYDRATION__',
  sigi: 'script#SIGI_STATE',
} as const;

const ITEM_QUERY = [SEL.feedItem, SEL.browseDesc, SEL.userPostItem, SEL.commentText, SEL.userTitle].join(', ');

const ORIGIN = 'https://www.tiktok.com';

/** How TikTok shows a time next to a video or comment: "2h ago", "3d ago", "11-12", "2024-11-12". */
const SHOWN_TIME = /^(?:·\s*)?(just now|now|yesterday|\d+\s*(?:s|m|h|d|w|mo|y|sec|min|hr|hour|day|week|month|year)s?\s+ago|\d{1,2}-\d{1,2}|\d{4}-\d{1,2}-\d{1,2})$/i;

type Kind = 'video' | 'browse' | 'tile' | 'comment' | 'profile';

// ---------------------------------------------------------------------------
// helpers

function handleFromHref(href: string | null | undefined): string | null {
  const m = /(?:^|tiktok\.com)\/@([^/?#]+)/.exec(href ?? '');
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

function videoIdFromHref(href: string | null | undefined): { id: string; photo: boolean } | null {
  const m = /\/(video|photo)\/(\d{6,})/.exec(href ?? '');
  return m ? { id: m[2], photo: m[1] === 'photo' } : null;
}

function profileUrl(handle: string | null): string | null {
  return handle ? `${ORIGIN}/@${encodeURIComponent(handle).replace(/%2E/gi, '.')}` : null;
}

function postUrl(handle: string | null, id: string, photo: boolean): string {
  // TikTok redirects /@_/video/<id> to the right author, but the author's own path is the canonical one.
  return `${ORIGIN}/@${handle ? encodeURIComponent(handle).replace(/%2E/gi, '.') : '_'}/${photo ? 'photo' : 'video'}/${id}`;
}

/**
 * TikTok renders mentions and hashtags as links around <p> blocks, so block-aware text would
 * break a sentence at every @mention. The description is one paragraph on screen: join it.
 */
function inlineText(el: Element | null, skip?: (e: Element) => boolean): string | null {
  const t = textOf(el, { skip });
  return t ? t.replace(/\s*\n+\s*/g, ' ').trim() : null;
}

function parseJsonScript(doc: Document, sel: string): unknown {
  const s = doc.querySelector(sel);
  if (!s) return undefined;
  try {
    return JSON.parse(s.textContent ?? '');
  } catch {
    return undefined;
  }
}

/** The item JSON for a video id, from the rehydration data (2023+) or SIGI_STATE (2022-23). */
function itemJson(doc: Document, id: string): unknown {
  const uni = parseJsonScript(doc, SEL.rehydration);
  const scope = at(uni, '__DEFAULT_SCOPE__');
  const detail = at(scope, 'webapp.video-detail', 'itemInfo', 'itemStruct');
  if (str(at(detail, 'id')) === id) return detail;
  const sigi = parseJsonScript(doc, SEL.sigi);
  const mod = at(sigi, 'ItemModule', id);
  if (mod && typeof mod === 'object') {
    // SIGI items name the author by uniqueId string; shape them like itemStruct.
    const m = mod as Record<string, unknown>;
    return {
      ...m,
      author: typeof m['author'] === 'string' ? { uniqueId: m['author'], nickname: m['nickname'], id: m['authorId'] } : m['author'],
    };
  }
  return undefined;
}

function userJson(doc: Document, handle: string | null): { user: unknown; stats: unknown } | null {
  const uni = parseJsonScript(doc, SEL.rehydration);
  const info = at(uni, '__DEFAULT_SCOPE__', 'webapp.user-detail', 'userInfo');
  const user = at(info, 'user');
  if (user && (!handle || str(at(user, 'uniqueId'))?.toLowerCase() === handle.toLowerCase())) return { user, stats: at(info, 'stats') };
  const sigi = parseJsonScript(doc, SEL.sigi);
  if (handle) {
    const u = at(sigi, 'UserModule', 'users', handle);
    if (u) return { user: u, stats: at(sigi, 'UserModule', 'stats', handle) };
  }
  return null;
}

/** A leaf element inside `root` showing a time ("· 11-12", "2d ago"), skipping `not`. */
function shownTime(root: Element, not?: (e: Element) => boolean): string | null {
  for (const e of Array.from(root.querySelectorAll('span, p, div'))) {
    if (e.children.length > 0 || not?.(e)) continue;
    const t = cleanText(e.textContent);
    if (t && SHOWN_TIME.test(t)) return t.replace(/^·\s*/, '');
  }
  return null;
}

/** Relative times resolve; dates without a year or time ("11-12") are kept as text only. */
function resolveShown(shown: string | null, ctx: ExtractContext): ResolvedTime {
  return firstTime(fromRelativeText(shown, ctx.capturedAt), textOnly(shown));
}

function isAvatar(e: Element): boolean {
  return e.closest(`${SEL.authorAvatar}, ${SEL.commentAvatar}, ${SEL.userAvatar}, a[href^="/@"], a[href*="/music/"]`) !== null;
}

function countsFrom(root: ParentNode, map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, sel] of Object.entries(map)) {
    const v = cleanText(root.querySelector(sel)?.textContent);
    if (v) out[k] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------
// videos

interface VideoParts {
  container: Element;
  id: string | null;
  photo: boolean;
  handle: string | null;
  desc: Element | null;
  nickname: Element | null;
}

function feedParts(el: Element, ctx: ExtractContext, single: boolean): VideoParts {
  const wrapperId = el.querySelector(SEL.playerWrapper)?.id ?? '';
  const fromWrapper = /(\d{6,})$/.exec(wrapperId)?.[1] ?? null;
  const fromLink = videoIdFromHref(el.querySelector(SEL.videoLink)?.getAttribute('href'));
  const fromUrl = single ? videoIdFromHref(ctx.url.pathname) : null;
  const id = fromWrapper ?? fromLink?.id ?? fromUrl?.id ?? null;
  const avatar = el.querySelector(SEL.authorAvatar);
  const desc = el.querySelector(SEL.videoDesc);
  const creatorLink = Array.from(el.querySelectorAll(SEL.profileLink)).find((a) => !desc?.contains(a) && !a.closest(SEL.commentText));
  return {
    container: el,
    id,
    photo: (fromLink?.photo ?? fromUrl?.photo ?? false) && !fromWrapper,
    handle: handleFromHref(avatar?.getAttribute('href')) ?? handleFromHref(creatorLink?.getAttribute('href')),
    desc,
    nickname: null,
  };
}

/** The 2023-24 video page: description, author and counts sit in a column beside the player. */
function browseContainer(desc: Element): Element {
  let cur: Element = desc;
  for (let i = 0; i < 8 && cur.parentElement; i++) {
    cur = cur.parentElement;
    if (cur.querySelector(SEL.browseUsername) || cur.querySelector(SEL.authorAvatar)) return cur;
  }
  return desc;
}

function browseParts(desc: Element, ctx: ExtractContext): VideoParts {
  const container = browseContainer(desc);
  const fromUrl = videoIdFromHref(ctx.url.pathname) ?? videoIdFromHref(desc.ownerDocument.querySelector('link[rel="canonical"]')?.getAttribute('href'));
  const username = container.querySelector(SEL.browseUsername);
  return {
    container,
    id: fromUrl?.id ?? null,
    photo: fromUrl?.photo ?? false,
    handle:
      handleFromHref(container.querySelector(SEL.authorAvatar)?.getAttribute('href')) ??
      cleanText(username?.textContent)?.replace(/^@/, '') ??
      handleFromHref(ctx.url.pathname),
    desc,
    nickname: container.querySelector(SEL.browseNickname),
  };
}

function videoMedia(p: VideoParts, json: unknown): MediaRef[] {
  const images = at(json, 'imagePost', 'images');
  if (Array.isArray(images) && images.length) {
    return images
      .map((img) => str(at(img, 'imageURL', 'urlList', 0)))
      .filter((u): u is string => !!u)
      .map((u) => ({ kind: 'image' as const, url: u, alt: null }));
  }
  const cover = str(at(json, 'video', 'cover')) ?? str(at(json, 'video', 'originCover'));
  const play = str(at(json, 'video', 'playAddr')) ?? str(at(json, 'video', 'downloadAddr'));
  if (json !== undefined && (cover || play))
    return [{ kind: 'video', url: play, poster: cover, why_missing: play ? null : 'the page gave no video address' }];
  // DOM only: the player streams from a blob: URL; the poster is the still image beside it.
  const out: MediaRef[] = [];
  const scope = p.container.querySelector(SEL.feedVideo) ?? p.container.querySelector(SEL.browseVideo) ?? p.container;
  for (const v of Array.from(scope.querySelectorAll('video'))) {
    const src = v.getAttribute('src') ?? v.querySelector('source')?.getAttribute('src') ?? null;
    const url = src && !src.startsWith('blob:') ? absUrl(src, ORIGIN) : null;
    const posterImg = Array.from(scope.querySelectorAll('img')).find((i) => !isAvatar(i) && absUrl(i.getAttribute('src'), ORIGIN));
    const poster = absUrl(v.getAttribute('poster'), ORIGIN) ?? absUrl(posterImg?.getAttribute('src'), ORIGIN);
    out.push({
      kind: 'video',
      url,
      poster,
      why_missing: url
        ? null
        : poster
          ? 'streamed video (blob: URL); only the poster frame is available'
          : 'streamed video (blob: URL) and no poster frame loaded yet; nothing to download from the page',
    });
  }
  return out;
}

function extractVideo(p: VideoParts, ctx: ExtractContext): Extraction {
  const doc = p.container.ownerDocument;
  const warnings: Warning[] = [];
  const account = emptyAccount();
  const item = emptyItem();
  const json = p.id ? itemJson(doc, p.id) : undefined;

  account.handle = str(at(json, 'author', 'uniqueId')) ?? p.handle;
  account.display_name = str(at(json, 'author', 'nickname')) ?? (p.nickname ? cleanText(p.nickname.firstElementChild?.textContent ?? p.nickname.textContent) : null);
  account.platform_account_id = str(at(json, 'author', 'id'));
  account.profile_url = profileUrl(account.handle);

  const photo = p.photo || Array.isArray(at(json, 'imagePost', 'images'));
  item.platform_item_id = p.id;
  item.thread_id = p.id;
  item.url = p.id ? postUrl(account.handle, p.id, photo) : null;
  // Comments can sit in the same column as the caption: their times are not the video's.
  const comments = Array.from(p.container.querySelectorAll(SEL.commentText)).map(commentContainer);
  const notDesc = (e: Element): boolean => (p.desc?.contains(e) ?? false) || comments.some((c) => c.contains(e));
  const shown = shownTime(p.container, notDesc);
  const idIso = p.id ? decodeTikTokId(p.id) : null;
  const byId = p.id ? fromId(idIso, p.id) : textOnly(null);
  const time = firstTime(
    fromJson(str(at(json, 'createTime')), shown),
    byId.iso ? { ...byId, text: shown ?? byId.text } : byId,
    resolveShown(shown, ctx),
  );
  item.posted_at = time.iso;
  item.posted_at_text = time.text;
  item.posted_at_source = time.source;
  if (idIso) item.id_time = idIso;

  // The AI-written summary TikTok puts under the caption (v2t-*) is not the author's text.
  const skipAi = (e: Element): boolean =>
    e !== p.desc && ((e.getAttribute('data-e2e') ?? '').startsWith('v2t-') || e.querySelector(SEL.aiSummary) !== null);
  item.text = str(at(json, 'desc')) ?? inlineText(p.desc, skipAi);
  item.media = videoMedia(p, json);

  if (json !== undefined) {
    item.visibility = at(json, 'privateItem') === true ? 'private' : at(json, 'forFriend') === true ? 'friends' : 'public';
  }
  const metrics = countsFrom(p.container, SEL.counts);
  if (!Object.keys(metrics).length && json !== undefined) {
    const stats = at(json, 'statsV2') ?? at(json, 'stats');
    for (const [k, src] of [['likes', 'diggCount'], ['comments', 'commentCount'], ['shares', 'shareCount'], ['saves', 'collectCount'], ['views', 'playCount']] as const) {
      const v = str(at(stats, src));
      if (v) metrics[k] = v;
    }
  }
  if (Object.keys(metrics).length) item.metrics = metrics;
  if (!p.id) warnings.push(warning('video-id-missing', 'The id of this video could not be found on the page.'));
  return makeExtraction(tiktokAdapter, 'post', account, item, warnings);
}

function extractTile(el: Element, ctx: ExtractContext): Extraction {
  const warnings: Warning[] = [];
  const account = emptyAccount();
  const item = emptyItem();
  const link = el.querySelector(SEL.videoLink) ?? el.closest('a');
  const href = link?.getAttribute('href') ?? null;
  const vid = videoIdFromHref(href);
  account.handle = handleFromHref(href) ?? handleFromHref(ctx.url.pathname);
  account.profile_url = profileUrl(account.handle);
  item.platform_item_id = vid?.id ?? null;
  item.thread_id = vid?.id ?? null;
  item.url = vid ? postUrl(account.handle, vid.id, vid.photo) : null;
  const idIso = vid ? decodeTikTokId(vid.id) : null;
  const time = vid ? fromId(idIso, vid.id) : textOnly(null);
  item.posted_at = time.iso;
  item.posted_at_text = time.text;
  item.posted_at_source = time.source;
  if (idIso) item.id_time = idIso;
  const img = Array.from(el.querySelectorAll('img')).find((i) => absUrl(i.getAttribute('src'), ORIGIN));
  item.text = cleanText(img?.getAttribute('alt'));
  item.media = img ? [{ kind: 'image', url: absUrl(img.getAttribute('src'), ORIGIN), alt: item.text }] : [];
  const views = cleanText(el.querySelector(SEL.userPostViews)?.textContent);
  if (views) item.metrics = { views };
  warnings.push(warning('grid-tile', 'This is a tile in a profile grid: it shows the cover and the start of the caption only; open the video to capture it in full.'));
  return makeExtraction(tiktokAdapter, 'post', account, item, warnings);
}

// ---------------------------------------------------------------------------
// comments

function commentLevel(textEl: Element): number {
  return Number(/comment-level-(\d+)/.exec(textEl.getAttribute('data-e2e') ?? '')?.[1] ?? '1') || 1;
}

/**
 * The element holding one comment: the smallest ancestor of its text that also holds its
 * author, widened (two steps at most) while it still holds no other comment and nothing but
 * comment markers, so the time row and like count come with it.
 */
function commentContainer(textEl: Element): Element {
  let cur: Element = textEl;
  while (cur.parentElement) {
    cur = cur.parentElement;
    const hasAuthor = Array.from(cur.querySelectorAll(`${SEL.commentUsername}, ${SEL.profileLink}`)).some((a) => !textEl.contains(a));
    if (hasAuthor) break;
  }
  for (let i = 0; i < 2; i++) {
    const parent = cur.parentElement;
    if (!parent || parent === parent.ownerDocument.body) break;
    if (parent.querySelectorAll(SEL.commentText).length !== 1) break;
    const foreign = Array.from(parent.querySelectorAll('[data-e2e]')).some((e) => {
      const v = e.getAttribute('data-e2e') ?? '';
      return v !== '' && !v.startsWith('comment-');
    });
    if (foreign) break;
    cur = parent;
  }
  return cur;
}

function commentTextOf(container: Element): Element | null {
  return container.matches(SEL.commentText) ? container : container.querySelector(SEL.commentText);
}

function videoIdOnPage(doc: Document, ctx: ExtractContext, el: Element): string | null {
  const feed = el.closest(SEL.feedItem);
  if (feed) {
    const id = /(\d{6,})$/.exec(feed.querySelector(SEL.playerWrapper)?.id ?? '')?.[1];
    if (id) return id;
  }
  return (
    videoIdFromHref(ctx.url.pathname)?.id ??
    videoIdFromHref(doc.querySelector('link[rel="canonical"]')?.getAttribute('href'))?.id ??
    null
  );
}

function extractComment(container: Element, ctx: ExtractContext): Extraction {
  const doc = container.ownerDocument;
  const warnings: Warning[] = [];
  const account = emptyAccount();
  const item = emptyItem();
  const textEl = commentTextOf(container);
  const level = textEl ? commentLevel(textEl) : 1;
  const userEl = container.querySelector(`[data-e2e="comment-username-${level}"]`) ?? container.querySelector(SEL.commentUsername);
  const outsideText = (a: Element): boolean => !textEl?.contains(a);
  const link =
    (userEl?.closest('a[href*="/@"]') as Element | null) ??
    userEl?.querySelector('a[href*="/@"]') ??
    Array.from(container.querySelectorAll(SEL.profileLink)).find(outsideText) ??
    null;
  account.handle = handleFromHref(link?.getAttribute('href'));
  account.display_name = cleanText(textOf(userEl)) ?? null;
  if (account.display_name && account.handle && account.display_name === `@${account.handle}`) account.display_name = null;
  account.profile_url = profileUrl(account.handle);

  const vid = videoIdOnPage(doc, ctx, container);
  item.thread_id = vid;
  item.in_reply_to = level === 1 ? vid : null;
  item.text = inlineText(textEl);
  const media: MediaRef[] = [];
  for (const img of Array.from(container.querySelectorAll('img'))) {
    if (isAvatar(img) && !img.matches(SEL.commentThumb)) continue;
    const u = absUrl(img.getAttribute('src'), ORIGIN);
    if (u) media.push({ kind: 'image', url: u, alt: img.getAttribute('alt') });
  }
  item.media = media;

  const shown =
    cleanText(container.querySelector(`[data-e2e="comment-time-${level}"]`)?.textContent ?? container.querySelector(SEL.commentTime)?.textContent) ??
    shownTime(container, (e) => textEl?.contains(e) ?? false);
  const time = resolveShown(shown, ctx);
  item.posted_at = time.iso;
  item.posted_at_text = time.text;
  item.posted_at_source = time.source;
  if (shown && !time.iso)
    warnings.push(warning('time-date-only', `TikTok shows only the day ("${shown}"), without the year or time of day; no exact time was recorded.`));
  const likes = cleanText(container.querySelector(SEL.commentLikes)?.textContent);
  if (likes) item.metrics = { likes };
  warnings.push(
    warning('no-comment-id', "TikTok's page does not show a comment's id or a link to it; identify it by author, text and the video's address."),
  );
  return makeExtraction(tiktokAdapter, 'comment', account, item, warnings);
}

// ---------------------------------------------------------------------------
// profiles

function profileHeader(title: Element): Element {
  let cur: Element = title;
  for (let i = 0; i < 6 && cur.parentElement; i++) {
    cur = cur.parentElement;
    if (cur.querySelector(SEL.userBio) || cur.querySelector(SEL.userCounts.followers)) return cur;
  }
  return title;
}

function extractProfile(doc: Document, header: Element | null, ctx: ExtractContext): Extraction {
  const warnings: Warning[] = [];
  const account = emptyAccount();
  const item = emptyItem();
  const titleText = header ? cleanText(textOf(header.matches(SEL.userTitle) ? header : header.querySelector(SEL.userTitle))) : null;
  const pathHandle = handleFromHref(ctx.url.pathname);
  const domHandle = titleText?.replace(/^@/, '') ?? null;
  const data = userJson(doc, domHandle ?? pathHandle);
  const meta = readMeta(doc);
  account.handle = str(at(data?.user, 'uniqueId')) ?? domHandle ?? pathHandle;
  account.display_name =
    str(at(data?.user, 'nickname')) ?? (header ? cleanText(textOf(header.querySelector(SEL.userSubtitle))) : null) ?? null;
  account.platform_account_id = str(at(data?.user, 'id'));
  account.profile_url = profileUrl(account.handle);
  item.platform_item_id = account.platform_account_id;
  item.url = account.profile_url;
  item.title = account.display_name;
  item.text = str(at(data?.user, 'signature')) ?? (header ? textOf(header.querySelector(SEL.userBio)) : null) ?? cleanText(meta['og:description']);
  if (at(data?.user, 'privateAccount') === true) item.visibility = 'private';
  else if (data) item.visibility = 'public';
  const avatar =
    str(at(data?.user, 'avatarLarger')) ??
    absUrl(header?.querySelector(`${SEL.userAvatar} img`)?.getAttribute('src'), ORIGIN) ??
    absUrl(meta['og:image'], ORIGIN);
  item.media = avatar ? [{ kind: 'image', url: avatar, alt: 'profile photo' }] : [];
  const metrics = header ? countsFrom(header, SEL.userCounts) : {};
  if (!Object.keys(metrics).length && data?.stats) {
    for (const [k, src] of [['following', 'followingCount'], ['followers', 'followerCount'], ['likes', 'heartCount'], ['videos', 'videoCount']] as const) {
      const v = str(at(data.stats, src));
      if (v) metrics[k] = v;
    }
  }
  if (Object.keys(metrics).length) item.metrics = metrics;
  return makeExtraction(tiktokAdapter, 'profile', account, item, warnings);
}

// ---------------------------------------------------------------------------
// classification

function kindOfElement(el: Element): Kind | null {
  const e2e = el.getAttribute('data-e2e') ?? '';
  if (e2e === 'recommend-list-item-container') return 'video';
  if (e2e === 'user-post-item') return 'tile';
  return null;
}

/** Feed slots TikTok renders ahead of scrolling are empty shells; they are not items. */
function isFilledFeedItem(el: Element): boolean {
  return el.querySelector(`${SEL.feedVideo}, ${SEL.videoDesc}, ${SEL.authorAvatar}`) !== null;
}

/** Normalised item element for a marker found by ITEM_QUERY, with its kind. */
function itemFor(marker: Element): { el: Element; kind: Kind } | null {
  const e2e = marker.getAttribute('data-e2e') ?? '';
  if (e2e === 'recommend-list-item-container') return isFilledFeedItem(marker) ? { el: marker, kind: 'video' } : null;
  if (e2e === 'user-post-item') return { el: marker, kind: 'tile' };
  if (e2e === 'browse-video-desc') return { el: browseContainer(marker), kind: 'browse' };
  if (e2e.startsWith('comment-level-')) return { el: commentContainer(marker), kind: 'comment' };
  if (e2e === 'user-title') return { el: profileHeader(marker), kind: 'profile' };
  return null;
}

/** Kind of an element that findItems/enclosingItem returned. */
function classify(el: Element): Kind | null {
  const direct = kindOfElement(el);
  if (direct === 'video') return isFilledFeedItem(el) ? 'video' : null;
  if (direct) return direct;
  const marker = el.matches(ITEM_QUERY) ? el : null;
  for (const m of marker ? [marker] : Array.from(el.querySelectorAll(`${SEL.commentText}, ${SEL.browseDesc}, ${SEL.userTitle}`))) {
    const hit = itemFor(m);
    if (hit && hit.el === el) return hit.kind;
  }
  return null;
}

const KIND_MAP: Record<Kind, ItemKind> = { video: 'post', browse: 'post', tile: 'post', comment: 'comment', profile: 'profile' };

function runExtract(el: Element, ctx: ExtractContext): Extraction {
  const kind = classify(el);
  switch (kind) {
    case 'video':
      return extractVideo(feedParts(el, ctx, el.ownerDocument.querySelectorAll(SEL.feedItem).length <= 1 || isFirstFilled(el)), ctx);
    case 'browse': {
      const desc = el.matches(SEL.browseDesc) ? el : el.querySelector(SEL.browseDesc);
      return desc ? extractVideo(browseParts(desc, ctx), ctx) : makeExtraction(tiktokAdapter, 'post', null, emptyItem());
    }
    case 'tile':
      return extractTile(el, ctx);
    case 'comment':
      return extractComment(el, ctx);
    case 'profile':
      return extractProfile(el.ownerDocument, el, ctx);
    default:
      return makeExtraction(tiktokAdapter, 'element', null, emptyItem(), [
        warning('not-an-item', 'This element is not a TikTok video, comment or profile header.'),
      ]);
  }
}

/**
 * On a /video/ page TikTok renders the requested video first and follows it with
 * recommendations; only that first one may borrow its id from the address bar.
 */
function isFirstFilled(el: Element): boolean {
  const first = Array.from(el.ownerDocument.querySelectorAll(SEL.feedItem)).find(isFilledFeedItem);
  return first === el;
}

export const tiktokAdapter: PlatformAdapter = {
  id: 'tiktok',
  version: '1.0.0',
  label: 'TikTok',

  matchesUrl(url: URL): boolean {
    const h = url.hostname.toLowerCase();
    return h === 'tiktok.com' || h === 'www.tiktok.com' || h === 'm.tiktok.com';
  },

  findItems(doc: Document): Element[] {
    const out: Element[] = [];
    const seen = new Set<Element>();
    for (const marker of Array.from(doc.querySelectorAll(ITEM_QUERY))) {
      const hit = itemFor(marker);
      if (!hit || seen.has(hit.el)) continue;
      seen.add(hit.el);
      out.push(hit.el);
    }
    // Markers are met in document order; a container can start before an earlier marker's.
    return out.sort((a, b) => (a === b ? 0 : a.compareDocumentPosition(b) & 4 ? -1 : 1));
  },

  enclosingItem(el: Element, ctx: ExtractContext): Element | null {
    // Comment containers are computed, not marked, so the candidates are exactly findItems';
    // the innermost one holding `el` wins.
    let best: Element | null = null;
    for (const item of this.findItems(el.ownerDocument, ctx)) {
      if (item.contains(el) && (!best || best.contains(item))) best = item;
    }
    return best;
  },

  kindOf(el: Element): ItemKind {
    const k = classify(el);
    return k ? KIND_MAP[k] : 'element';
  },

  extract(el: Element, ctx: ExtractContext): Extraction {
    try {
      return runExtract(el, ctx);
    } catch (e) {
      const k = classify(el);
      return makeExtraction(tiktokAdapter, k ? KIND_MAP[k] : 'element', null, emptyItem(), [
        warning('adapter-error', `The TikTok adapter could not read this item (${e instanceof Error ? e.message : String(e)}).`),
      ]);
    }
  },

  extractPage(doc: Document, ctx: ExtractContext): Extraction | null {
    try {
      const path = ctx.url.pathname;
      const vid = videoIdFromHref(path);
      if (!vid && /^\/@[^/]+\/?$/.test(path)) {
        const title = doc.querySelector(SEL.userTitle);
        return extractProfile(doc, title ? profileHeader(title) : null, ctx);
      }
      if (!vid) return null;
      // A rendered video page has its video as an item; only a served shell is "the page".
      if (this.findItems(doc, ctx).some((e) => classify(e) === 'video' || classify(e) === 'browse')) return null;
      const json = itemJson(doc, vid.id);
      if (json === undefined) return null;
      const shell = doc.body ?? doc.documentElement;
      return extractVideo({ container: shell, id: vid.id, photo: vid.photo, handle: handleFromHref(path), desc: null, nickname: null }, ctx);
    } catch (e) {
      return makeExtraction(tiktokAdapter, 'page', null, emptyItem(), [
        warning('adapter-error', `The TikTok adapter could not read this page (${e instanceof Error ? e.message : String(e)}).`),
      ]);
    }
  },
};

export default tiktokAdapter;
