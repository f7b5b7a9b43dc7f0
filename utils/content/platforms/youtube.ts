import type { Extraction, ItemKind, MediaRef, Warning } from '../../shared/types';
import { absUrl, emptyAccount, emptyItem, ldTypes, makeExtraction, mediaIn, pick, readJsonLd, readMeta, textOf, warning, jsonAt as at, jsonStr as str } from '../dom';
import { cleanText, firstTime, fromAttribute, fromJson, fromRelativeText, textOnly, type ResolvedTime } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * YouTube (www / m / youtu.be).
 *
 * Items: the watch page's video (`ytd-watch-metadata`, older `ytd-video-primary-info-renderer`),
 * every rendered comment and reply (`ytd-comment-view-model`, older `ytd-comment-renderer`,
 * mobile `ytm-comment-renderer`), community posts (`ytd-backstage-post-renderer`) and a
 * channel header. Served pages (no rendered DOM) and channel pages are read by `extractPage`
 * from `ytInitialPlayerResponse` / `ytInitialData` (parsed as text, never run), microdata and
 * JSON-LD.
 *
 * Ids: a video's `platform_item_id` is its 11-character video id; a comment's is the `lc=`
 * comment id (a reply's is `<parent id>.<reply id>`); a community post's is its `/post/` id;
 * a channel's is its `UC…` channel id, which is also `platform_account_id`. A comment's
 * `thread_id` is the video id and `in_reply_to` is the parent comment id (the video id for a
 * top-level comment). YouTube ids carry no time, so there is no `id_time`.
 *
 * The page's embedded data (player response, microdata, JSON-LD) describes the video the tab
 * first loaded; after in-app navigation it can be stale, so it is used only when its video id
 * matches the video on screen.
 */

// YouTube repeats element ids in every comment and card, so ids are matched as attributes
// ([id="x"]): a scoped `#x` query may be answered from the document's first `#x` only.
const SEL = {
  watchMeta: 'ytd-watch-metadata',
  legacyPrimary: 'ytd-video-primary-info-renderer',
  legacySecondary: 'ytd-video-secondary-info-renderer',
  watchRoot: 'ytd-watch-flexy[video-id], ytd-watch-grid[video-id], ytd-watch-metadata[video-id]',
  player: '[id="movie_player"], ytd-player, [id="player-container"], [id="player"], [id="full-bleed-container"]',
  title: ['h1 yt-formatted-string', 'h1'],
  owner: 'ytd-video-owner-renderer',
  ownerName: ['ytd-channel-name[id="channel-name"] a', 'ytd-channel-name a', '[id="channel-name"] a', '[id="upload-info"] [id="channel-name"] [id="text"]'],
  handleLink: 'a[href^="/@"], a[href*="youtube.com/@"]',
  channelLink: 'a[href^="/channel/UC"], a[href*="youtube.com/channel/UC"]',
  infoSpans: 'ytd-watch-info-text [id="info"] span, [id="info-strings"] yt-formatted-string, [id="info-text"] [id="date"] yt-formatted-string',
  descExpanded: ['ytd-text-inline-expander [id="expanded"] yt-attributed-string', '[id="description-inline-expander"] yt-attributed-string', '[id="description"] yt-formatted-string'],
  likeButton: ['like-button-view-model button', 'segmented-like-dislike-button-view-model button', 'ytd-toggle-button-renderer[id="like-button"] button'],
  // comments
  comment: 'ytd-comment-view-model, ytd-comment-renderer, ytm-comment-renderer',
  commentThread: 'ytd-comment-thread-renderer, ytm-comment-thread-renderer',
  commentReplies: 'ytd-comment-replies-renderer, [id="replies"]',
  commentAuthor: ['a[id="author-text"]', '[id="author-text"]', '[id="header-author"] a[href^="/@"]', '[id="header-author"] a[href^="/channel/"]', 'a[href^="/@"]'],
  commentPermalink: ['[id="published-time-text"] a', '.published-time-text a', 'a[href*="lc="]'],
  commentText: ['[id="content-text"]', '.comment-text', '.comment-content'],
  commentLikes: '[id="vote-count-middle"]',
  commentMoreReplies: '[id="more-replies"] button, [id="more-replies"]',
  // community posts
  post: 'ytd-backstage-post-renderer, ytd-post-renderer',
  postLink: ['[id="published-time-text"] a', 'a[href^="/post/"]', 'a[href*="/post/"]'],
  postAuthor: ['a[id="author-text"]', '[id="author-text"]', 'a[href^="/@"]', 'a[href^="/channel/"]'],
  postText: ['[id="content-text"]', '[id="content"]'],
  postAttachment: '[id="content-attachment"]',
  // channel
  channelHeader: 'yt-page-header-renderer, ytd-c4-tabbed-header-renderer, ytd-page-header-renderer',
  channelHeaderName: ['yt-dynamic-text-view-model h1', 'h1', '[id="channel-name"] [id="text"]', '[id="text"]'],
  channelHeaderHandle: ['[id="channel-handle"]', 'yt-content-metadata-view-model', '[id="channel-header-handle"]'],
  // data
  videoMicrodata: '[itemscope][itemtype*="VideoObject"]',
} as const;

const ITEM_QUERY = [SEL.watchMeta, SEL.legacyPrimary, SEL.comment, SEL.post, SEL.channelHeader].join(', ');

const ORIGIN = 'https://www.youtube.com';
const VIDEO_ID = /^[\w-]{11}$/;
const CHANNEL_ID = /^UC[\w-]{22}$/;

type Kind = 'video' | 'comment' | 'post' | 'channel';

// ---------------------------------------------------------------------------
// small helpers

/** Text of YouTube's `{simpleText}` / `{runs:[{text}]}` objects, verbatim (no-break spaces kept). */
function ytText(v: unknown): string | null {
  const simple = str(at(v, 'simpleText'));
  if (simple) return simple.trim();
  const runs = at(v, 'runs');
  if (Array.isArray(runs)) return str(runs.map((r) => str(at(r, 'text')) ?? '').join('').trim());
  return null;
}

/**
 * Text of a YouTube attributed string. These render with white-space: pre-wrap and carry no
 * template whitespace, so line breaks in the text nodes are the author's and are kept (textOf
 * would fold them into spaces). Emoji images contribute their alt text.
 */
function attributedText(el: Element | null): string | null {
  return textOf(el, {
    preserveWhitespace: true,
    blocks: new Set(),
    skip: (e) => e.getAttribute('aria-hidden') === 'true' || e.hasAttribute('hidden'),
    image: (e) => e.getAttribute('alt'),
  });
}

/** Visible count text ("3.8K"): these sit in aria-hidden wrappers, so textOf would skip them. */
function countText(el: Element | null): string | null {
  return el ? cleanText(el.textContent) : null;
}

function handleFromHref(href: string | null | undefined): string | null {
  if (!href) return null;
  const m = /(?:^|youtube\.com)\/@([^/?#]+)/.exec(href);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

function channelIdFromHref(href: string | null | undefined): string | null {
  const m = /\/channel\/(UC[\w-]{22})/.exec(href ?? '');
  return m ? m[1] : null;
}

function profileUrl(handle: string | null, channelId: string | null): string | null {
  if (handle) return `${ORIGIN}/@${encodeURIComponent(handle).replace(/%2E/gi, '.')}`;
  if (channelId) return `${ORIGIN}/channel/${channelId}`;
  return null;
}

function watchUrl(id: string): string {
  return `${ORIGIN}/watch?v=${id}`;
}

function videoIdFromUrl(href: string | null | undefined, base: URL | string = ORIGIN): string | null {
  if (!href) return null;
  let u: URL;
  try {
    u = new URL(href, base);
  } catch {
    return null;
  }
  const v = u.searchParams.get('v');
  if (v && VIDEO_ID.test(v)) return v;
  if (u.hostname === 'youtu.be') {
    const id = u.pathname.split('/')[1] ?? '';
    return VIDEO_ID.test(id) ? id : null;
  }
  const m = /^\/(?:shorts|live|embed|v)\/([\w-]{11})(?:[/?#]|$)/.exec(u.pathname);
  return m ? m[1] : null;
}

/**
 * Reads a `name = {...}` object literal from inline scripts as text: finds the assignment,
 * walks to the matching brace (respecting strings) and JSON-parses it. Nothing is executed.
 */
function embeddedJson(doc: Document, name: string): unknown {
  for (const s of Array.from(doc.querySelectorAll('script:not([src])'))) {
    const text = s.textContent ?? '';
    let from = 0;
    for (;;) {
      const hit = text.indexOf(name, from);
      if (hit < 0) break;
      from = hit + name.length;
      const m = /^["'\]]*\s*=\s*/.exec(text.slice(from, from + 16));
      if (!m) continue;
      const start = from + m[0].length;
      if (text[start] !== '{') continue;
      const parsed = balancedJson(text, start);
      if (parsed !== undefined) return parsed;
    }
  }
  return undefined;
}

function balancedJson(text: string, start: number): unknown {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      try {
        return JSON.parse(text.slice(start, i + 1));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// page data about the video on screen

interface Microdata {
  id: string | null;
  name: string | null;
  description: string | null;
  published: string | null;
  authorName: string | null;
  authorUrl: string | null;
  thumbnail: string | null;
  views: string | null;
  likes: string | null;
}

/** Properties of one microdata scope (not those of scopes nested in it). */
function microProps(scope: Element): Map<string, Element[]> {
  const props = new Map<string, Element[]>();
  for (const e of Array.from(scope.querySelectorAll('[itemprop]'))) {
    if (e.parentElement?.closest('[itemscope]') !== scope) continue;
    for (const name of (e.getAttribute('itemprop') ?? '').split(/\s+/)) {
      if (!name) continue;
      const list = props.get(name) ?? [];
      list.push(e);
      props.set(name, list);
    }
  }
  return props;
}

function microValue(e: Element | undefined): string | null {
  if (!e) return null;
  return cleanText(e.getAttribute('content') ?? e.getAttribute('href') ?? e.textContent);
}

function readMicrodata(doc: Document, vid: string): Microdata | null {
  for (const scope of Array.from(doc.querySelectorAll(SEL.videoMicrodata))) {
    const p = microProps(scope);
    const first = (n: string): string | null => microValue(p.get(n)?.[0]);
    const id = first('identifier') ?? videoIdFromUrl(first('url') ?? scope.getAttribute('itemid'));
    if (id !== vid) continue;
    const author = p.get('author')?.[0];
    const ap = author ? microProps(author) : new Map<string, Element[]>();
    let views: string | null = first('interactionCount');
    let likes: string | null = null;
    for (const stat of p.get('interactionStatistic') ?? []) {
      const sp = microProps(stat);
      const type = microValue(sp.get('interactionType')?.[0]) ?? '';
      const count = microValue(sp.get('userInteractionCount')?.[0]);
      if (/WatchAction/.test(type)) views = count;
      else if (/LikeAction/.test(type)) likes = count;
    }
    return {
      id,
      name: first('name'),
      description: first('description'),
      published: first('datePublished') ?? first('uploadDate'),
      authorName: microValue(ap.get('name')?.[0]),
      authorUrl: microValue(ap.get('url')?.[0]),
      thumbnail: first('thumbnailUrl'),
      views,
      likes,
    };
  }
  return null;
}

/** JSON-LD VideoObjects about this video (YouTube ships two: one in <head>, one in the player). */
function videoLd(doc: Document, vid: string): Record<string, unknown>[] {
  return readJsonLd(doc).filter((o) => {
    if (!ldTypes(o).some((t) => /VideoObject$/.test(t))) return false;
    const ids = [o['@id'], o['url'], o['embedUrl']].map((x) => videoIdFromUrl(str(x)));
    return ids.includes(vid);
  });
}

function ldField(objs: Record<string, unknown>[], key: string): string | null {
  for (const o of objs) {
    const v = str(o[key]);
    if (v) return v;
  }
  return null;
}

/** The longest value of a field: the <head> block carries a shortened description. */
function ldLongest(objs: Record<string, unknown>[], key: string): string | null {
  let best: string | null = null;
  for (const o of objs) {
    const v = str(o[key]);
    if (v && (!best || v.length > best.length)) best = v;
  }
  return best;
}

interface VideoData {
  vid: string;
  player: unknown;
  micro: Microdata | null;
  ld: Record<string, unknown>[];
  /** Some embedded data was for a different video (stale after in-app navigation). */
  stale: boolean;
}

function videoData(doc: Document, vid: string): VideoData {
  const pr = embeddedJson(doc, 'ytInitialPlayerResponse');
  const prId = str(at(pr, 'videoDetails', 'videoId'));
  const micro = readMicrodata(doc, vid);
  const ld = videoLd(doc, vid);
  const anyMicro = doc.querySelector(SEL.videoMicrodata) !== null;
  return {
    vid,
    player: prId === vid ? pr : undefined,
    micro,
    ld,
    stale: (prId !== null && prId !== vid) || (anyMicro && !micro),
  };
}

function currentVideoId(doc: Document, url: URL, el?: Element): string | null {
  const own = el?.getAttribute('video-id');
  if (own && VIDEO_ID.test(own)) return own;
  const root = doc.querySelector(SEL.watchRoot)?.getAttribute('video-id');
  if (root && VIDEO_ID.test(root)) return root;
  return videoIdFromUrl(url.href) ?? videoIdFromUrl(doc.querySelector('link[rel="canonical"]')?.getAttribute('href'));
}

// ---------------------------------------------------------------------------
// video

function displayedDate(root: ParentNode): string | null {
  for (const s of Array.from(root.querySelectorAll(SEL.infoSpans))) {
    const t = cleanText(s.textContent);
    if (!t || /\bviews?\b/i.test(t) || t.startsWith('#')) continue;
    if (/\b(19|20)\d{2}\b|\bago\b|^(Premiered|Streamed|Started|Scheduled)\b/i.test(t)) return t;
  }
  return null;
}

function displayedViews(root: ParentNode): string | null {
  for (const s of Array.from(root.querySelectorAll(SEL.infoSpans))) {
    const t = cleanText(s.textContent);
    if (t && /\bviews?\b|\bwatching\b/i.test(t)) return t;
  }
  return null;
}

/**
 * The video record. `el` is the rendered metadata block (or null for a served page);
 * everything the embedded data can give is used only when it is about the same video.
 */
function extractVideo(doc: Document, el: Element | null, ctx: ExtractContext, vid: string | null): Extraction {
  const warnings: Warning[] = [];
  const account = emptyAccount();
  const item = emptyItem();
  if (!vid) {
    warnings.push(warning('video-id-missing', 'The id of the video on screen could not be found.'));
    return makeExtraction(youtubeAdapter, 'post', account, item, warnings);
  }
  const data = videoData(doc, vid);
  if (data.stale)
    warnings.push(warning('page-data-stale', 'Part of the data embedded in the page describes another video (the tab navigated inside YouTube); it was ignored.'));
  const pr = data.player;
  const mf = at(pr, 'microformat', 'playerMicroformatRenderer');
  const meta = readMeta(doc);
  const ogMatches = videoIdFromUrl(meta['og:url']) === vid;
  const scope: ParentNode | null = el;

  // account
  const owner = el ? (el.querySelector(SEL.owner) ?? (el.tagName.toLowerCase() === SEL.legacyPrimary ? doc.querySelector(SEL.legacySecondary) : null)) : null;
  const ownerHandle = owner ? handleFromHref(owner.querySelector(SEL.handleLink)?.getAttribute('href')) : null;
  account.handle =
    ownerHandle ??
    handleFromHref(str(at(mf, 'ownerProfileUrl'))) ??
    handleFromHref(data.micro?.authorUrl) ??
    null;
  account.display_name =
    (owner ? cleanText(textOf(pick(owner, SEL.ownerName))) : null) ??
    str(at(pr, 'videoDetails', 'author')) ??
    str(at(mf, 'ownerChannelName')) ??
    data.micro?.authorName ??
    ldField(data.ld, 'author');
  account.platform_account_id =
    str(at(pr, 'videoDetails', 'channelId')) ??
    str(at(mf, 'externalChannelId')) ??
    (owner ? channelIdFromHref(owner.querySelector(SEL.channelLink)?.getAttribute('href')) : null);
  account.profile_url = profileUrl(account.handle, account.platform_account_id);

  // item
  item.platform_item_id = vid;
  item.thread_id = vid;
  item.url = watchUrl(vid);
  item.title =
    (el ? cleanText(textOf(pick(el, SEL.title))) : null) ??
    str(at(pr, 'videoDetails', 'title')) ??
    ldField(data.ld, 'name') ??
    data.micro?.name ??
    (ogMatches ? cleanText(meta['og:title']) : null);

  const shown = scope ? displayedDate(scope) : null;
  const time = firstTime(
    fromAttribute(data.micro?.published, shown),
    fromJson(ldField(data.ld, 'uploadDate') ?? ldField(data.ld, 'datePublished'), shown),
    fromJson(str(at(mf, 'publishDate')) ?? str(at(mf, 'uploadDate')), shown),
    fromRelativeText(shown, ctx.capturedAt),
    textOnly(shown),
  );
  item.posted_at = time.iso;
  item.posted_at_text = time.text;
  item.posted_at_source = time.source;

  const fullText =
    str(at(pr, 'videoDetails', 'shortDescription')) ??
    ldLongest(data.ld, 'description') ??
    (el ? attributedText(pick(el, SEL.descExpanded)) : null);
  if (fullText) item.text = fullText.trim();
  else {
    const short = data.micro?.description ?? (ogMatches ? cleanText(meta['og:description']) : null);
    item.text = short;
    if (short && /(\.\.\.|…)$/.test(short))
      warnings.push(warning('text-truncated', 'Only a shortened description was available on the page.'));
  }

  const unlisted = at(mf, 'isUnlisted');
  item.visibility = unlisted === true ? 'unlisted' : unlisted === false ? 'public' : null;

  const thumb =
    data.micro?.thumbnail ??
    str(at(mf, 'thumbnail', 'thumbnails', 0, 'url')) ??
    (ogMatches ? absUrl(meta['og:image'], ORIGIN) : null) ??
    `https://i.ytimg.com/vi/${vid}/hqdefault.jpg`;
  item.media = [
    {
      kind: 'video',
      url: null,
      poster: thumb,
      why_missing: 'YouTube streams video in segments (MediaSource); only the thumbnail is recorded.',
    },
  ];

  const metrics: Record<string, string> = {};
  const views = (scope ? displayedViews(scope) : null) ?? data.micro?.views ?? null;
  if (views) metrics.views = views;
  const likes = (el ? countText(pick(el, SEL.likeButton)) : null) ?? data.micro?.likes ?? null;
  if (likes) metrics.likes = likes;
  if (Object.keys(metrics).length) item.metrics = metrics;

  return makeExtraction(youtubeAdapter, 'post', account, item, warnings);
}

// ---------------------------------------------------------------------------
// comments

interface LdComment {
  handle: string | null;
  text: string;
  date: string | null;
}

function ldComments(doc: Document, vid: string): LdComment[] {
  const out: LdComment[] = [];
  for (const o of videoLd(doc, vid)) {
    const list = Array.isArray(o['comment']) ? o['comment'] : [];
    for (const c of list) {
      const text = str(at(c, 'text'));
      if (!text) continue;
      out.push({
        handle: handleFromHref(str(at(c, 'author', 'url'))) ?? (str(at(c, 'author', 'name'))?.replace(/^@/, '') ?? null),
        text: text.replace(/\s+/g, ' ').trim(),
        date: str(at(c, 'dateCreated')) ?? str(at(c, 'datePublished')),
      });
    }
  }
  return out;
}

function extractComment(el: Element, ctx: ExtractContext): Extraction {
  const doc = el.ownerDocument;
  const warnings: Warning[] = [];
  const account = emptyAccount();
  const item = emptyItem();

  const link = pick(el, SEL.commentPermalink);
  const href = link?.getAttribute('href') ?? null;
  let lc: string | null = null;
  let vid: string | null = null;
  try {
    const u = new URL(href ?? '', ORIGIN);
    lc = cleanText(u.searchParams.get('lc'));
    vid = videoIdFromUrl(u.href);
  } catch {
    /* no usable permalink: handled by the required-field warnings */
  }
  vid ??= currentVideoId(doc, ctx.url);

  // author: the link text is the @handle on today's YouTube; older layouts showed a name
  const authorEl = pick(el, SEL.commentAuthor);
  const authorHref = authorEl?.getAttribute('href') ?? authorEl?.closest('a')?.getAttribute('href') ?? null;
  const shownName = cleanText(authorEl?.textContent);
  account.handle = handleFromHref(authorHref) ?? (shownName?.startsWith('@') ? shownName.slice(1) : null);
  account.platform_account_id = channelIdFromHref(authorHref);
  account.display_name = shownName && !shownName.startsWith('@') ? shownName : null;
  account.profile_url = profileUrl(account.handle, account.platform_account_id);

  item.platform_item_id = lc;
  item.url = lc && vid ? `${ORIGIN}/watch?v=${vid}&lc=${encodeURIComponent(lc)}` : null;
  item.thread_id = vid;
  const parentFromId = lc && lc.includes('.') ? lc.split('.')[0] : null;
  const inReplies = !!el.parentElement?.closest(SEL.commentReplies);
  let parent = parentFromId;
  if (!parent && inReplies) {
    const thread = el.closest(SEL.commentThread);
    const top = thread ? Array.from(thread.querySelectorAll(SEL.comment)).find((c) => !c.parentElement?.closest(SEL.commentReplies)) : null;
    const topLink = top ? pick(top, SEL.commentPermalink)?.getAttribute('href') : null;
    try {
      parent = topLink ? new URL(topLink, ORIGIN).searchParams.get('lc') : null;
    } catch {
      parent = null;
    }
  }
  item.in_reply_to = parent ?? vid;

  const textEl = pick(el, SEL.commentText);
  item.text = attributedText(textEl);
  item.media = textEl ? mediaIn(textEl, ORIGIN, isDecoration) : [];

  const shown = cleanText(link?.textContent);
  const flat = item.text?.replace(/\s+/g, ' ').trim();
  const match = vid && flat ? ldComments(doc, vid).find((c) => c.handle === account.handle && c.text === flat) : undefined;
  const time: ResolvedTime = firstTime(fromJson(match?.date, shown), fromRelativeText(shown, ctx.capturedAt), textOnly(shown));
  item.posted_at = time.iso;
  item.posted_at_text = time.text;
  item.posted_at_source = time.source;
  if (shown && /edited/i.test(shown))
    warnings.push(warning('edited', 'YouTube marks this comment as edited; the text captured is the edited version.'));

  const metrics: Record<string, string> = {};
  const likes = countText(el.querySelector(SEL.commentLikes));
  if (likes) metrics.likes = likes;
  const thread = el.closest(SEL.commentThread);
  if (thread && !inReplies) {
    const more = thread.querySelector(SEL.commentMoreReplies);
    const replies = cleanText(more?.getAttribute('aria-label')) ?? countText(more);
    if (replies) metrics.replies = replies;
  }
  if (Object.keys(metrics).length) item.metrics = metrics;

  return makeExtraction(youtubeAdapter, 'comment', account, item, warnings);
}

/** Avatars, custom emoji and channel icons are not the item's media. */
function isDecoration(e: Element): boolean {
  const src = e.getAttribute('src') ?? '';
  return (
    /\/emoji\/|yt3\.ggpht\.com\/.*=s\d+-c-k|\/ytc\//.test(src) ||
    e.closest('[id="author-thumbnail"], [id="avatar"], [id="author-thumbnail-button"]') !== null
  );
}

// ---------------------------------------------------------------------------
// community posts

function extractPost(el: Element, ctx: ExtractContext): Extraction {
  const warnings: Warning[] = [];
  const account = emptyAccount();
  const item = emptyItem();
  const link = pick(el, SEL.postLink);
  const href = link?.getAttribute('href') ?? null;
  const postId = /\/post\/([\w-]+)/.exec(href ?? '')?.[1] ?? null;
  const authorEl = pick(el, SEL.postAuthor);
  const authorHref = authorEl?.getAttribute('href') ?? authorEl?.closest('a')?.getAttribute('href') ?? null;
  const shownName = cleanText(authorEl?.textContent);
  account.handle = handleFromHref(authorHref) ?? (shownName?.startsWith('@') ? shownName.slice(1) : null);
  account.platform_account_id = channelIdFromHref(authorHref);
  account.display_name = shownName && !shownName.startsWith('@') ? shownName : null;
  account.profile_url = profileUrl(account.handle, account.platform_account_id);
  item.platform_item_id = postId;
  item.thread_id = postId;
  item.url = postId ? `${ORIGIN}/post/${postId}` : null;
  item.text = attributedText(pick(el, SEL.postText));
  const shown = cleanText(link?.textContent);
  const time = firstTime(fromRelativeText(shown, ctx.capturedAt), textOnly(shown));
  item.posted_at = time.iso;
  item.posted_at_text = time.text;
  item.posted_at_source = time.source;
  const attachment = el.querySelector(SEL.postAttachment);
  item.media = attachment ? mediaIn(attachment, ORIGIN, isDecoration) : [];
  return makeExtraction(youtubeAdapter, 'post', account, item, warnings);
}

// ---------------------------------------------------------------------------
// channels

function channelPathHandle(url: URL): string | null {
  return handleFromHref(url.pathname);
}

function isChannelPage(doc: Document, url: URL): boolean {
  if (/^\/(@[^/]+|channel\/UC[\w-]{22}|c\/[^/]+|user\/[^/]+)(\/|$)/.test(url.pathname)) return true;
  if (videoIdFromUrl(url.href)) return false;
  return at(embeddedJson(doc, 'ytInitialData'), 'metadata', 'channelMetadataRenderer') !== undefined;
}

function extractChannel(doc: Document, header: Element | null, ctx: ExtractContext): Extraction {
  const warnings: Warning[] = [];
  const account = emptyAccount();
  const item = emptyItem();
  const initial = embeddedJson(doc, 'ytInitialData');
  const md = at(initial, 'metadata', 'channelMetadataRenderer');
  const c4 = at(initial, 'header', 'c4TabbedHeaderRenderer');
  const meta = readMeta(doc);

  const headerHandleText = header ? cleanText(pick(header, SEL.channelHeaderHandle)?.textContent) : null;
  const headerHandle = /@([\w.\-·]+)/.exec(headerHandleText ?? '')?.[1] ?? null;
  const ownerUrls = at(md, 'ownerUrls');
  account.handle =
    headerHandle ??
    handleFromHref(str(at(md, 'vanityChannelUrl'))) ??
    (Array.isArray(ownerUrls) ? ownerUrls.map((u) => handleFromHref(str(u))).find((h) => h) ?? null : null) ??
    ytText(at(c4, 'channelHandleText'))?.replace(/^@/, '') ??
    channelPathHandle(ctx.url);
  const channelId =
    str(at(md, 'externalId')) ??
    str(at(c4, 'channelId')) ??
    channelIdFromHref(ctx.url.pathname) ??
    channelIdFromHref(doc.querySelector('link[rel="canonical"]')?.getAttribute('href')) ??
    microValue(doc.querySelector('meta[itemprop="identifier"]') ?? undefined);
  account.platform_account_id = channelId && CHANNEL_ID.test(channelId) ? channelId : null;
  account.display_name =
    (header ? cleanText(textOf(pick(header, SEL.channelHeaderName))) : null) ??
    str(at(md, 'title')) ??
    str(at(c4, 'title')) ??
    cleanText(meta['og:title']);
  account.profile_url = profileUrl(account.handle, account.platform_account_id);

  item.platform_item_id = account.platform_account_id;
  item.url = account.platform_account_id ? `${ORIGIN}/channel/${account.platform_account_id}` : account.profile_url;
  item.title = account.display_name;
  item.text = str(at(md, 'description'))?.trim() || cleanText(meta['og:description']);
  const avatar = str(at(md, 'avatar', 'thumbnails', 0, 'url')) ?? absUrl(meta['og:image'], ORIGIN);
  const media: MediaRef[] = [];
  if (avatar) media.push({ kind: 'image', url: avatar, alt: 'channel avatar' });
  const banners = at(c4, 'banner', 'thumbnails');
  const banner = Array.isArray(banners) ? str(at(banners[banners.length - 1], 'url')) : null;
  if (banner) media.push({ kind: 'image', url: banner, alt: 'channel banner' });
  item.media = media;
  const metrics: Record<string, string> = {};
  const subs = ytText(at(c4, 'subscriberCountText'));
  if (subs) metrics.subscribers = subs;
  const videos = ytText(at(c4, 'videosCountText'));
  if (videos) metrics.videos = videos;
  if (Object.keys(metrics).length) item.metrics = metrics;
  if (!md && !header) warnings.push(warning('channel-data-missing', 'The channel page carried no channel data; only Open Graph tags were read.'));
  return makeExtraction(youtubeAdapter, 'profile', account, item, warnings);
}

// ---------------------------------------------------------------------------
// classification

function kindOfElement(el: Element): Kind | null {
  const tag = el.tagName.toLowerCase();
  if (tag === 'ytd-watch-metadata' || tag === 'ytd-video-primary-info-renderer') return 'video';
  if (tag === 'ytd-comment-view-model' || tag === 'ytd-comment-renderer' || tag === 'ytm-comment-renderer') return 'comment';
  if (tag === 'ytd-backstage-post-renderer' || tag === 'ytd-post-renderer') return 'post';
  if (tag === 'yt-page-header-renderer' || tag === 'ytd-c4-tabbed-header-renderer' || tag === 'ytd-page-header-renderer') return 'channel';
  return null;
}

function isItem(el: Element): boolean {
  const k = kindOfElement(el);
  if (!k) return false;
  const doc = el.ownerDocument;
  // The pre-2022 primary-info renderer still ships hidden next to ytd-watch-metadata.
  if (el.tagName.toLowerCase() === 'ytd-video-primary-info-renderer' && doc.querySelector(SEL.watchMeta)) return false;
  // An old comment renderer wrapped by a view-model is the same comment.
  if (k === 'comment' && el.parentElement?.closest(SEL.comment)) return false;
  if (k === 'post' && el.parentElement?.closest(SEL.post)) return false;
  if (k === 'channel' && el.parentElement?.closest(SEL.channelHeader)) return false;
  return true;
}

const KIND_MAP: Record<Kind, ItemKind> = { video: 'post', comment: 'comment', post: 'post', channel: 'profile' };

function safely(kind: ItemKind, run: () => Extraction): Extraction {
  try {
    return run();
  } catch (e) {
    return makeExtraction(youtubeAdapter, kind, null, emptyItem(), [
      warning('adapter-error', `The YouTube adapter could not read this item (${e instanceof Error ? e.message : String(e)}).`),
    ]);
  }
}

export const youtubeAdapter: PlatformAdapter = {
  id: 'youtube',
  version: '1.0.0',
  label: 'YouTube',

  matchesUrl(url: URL): boolean {
    const h = url.hostname.toLowerCase();
    return h === 'youtube.com' || h === 'www.youtube.com' || h === 'm.youtube.com' || h === 'youtu.be';
  },

  findItems(doc: Document): Element[] {
    return Array.from(doc.querySelectorAll(ITEM_QUERY)).filter(isItem);
  },

  enclosingItem(el: Element): Element | null {
    for (let cur: Element | null = el; cur; cur = cur.parentElement) if (isItem(cur)) return cur;
    // The player sits outside the metadata block, but right-clicking it means "this video".
    if (el.closest(SEL.player) && el.closest(SEL.watchRoot)) {
      const meta = el.ownerDocument.querySelector(SEL.watchMeta) ?? el.ownerDocument.querySelector(SEL.legacyPrimary);
      return meta && isItem(meta) ? meta : null;
    }
    return null;
  },

  kindOf(el: Element): ItemKind {
    const k = kindOfElement(el);
    return k ? KIND_MAP[k] : 'element';
  },

  extract(el: Element, ctx: ExtractContext): Extraction {
    const k = kindOfElement(el);
    const kind = k ? KIND_MAP[k] : 'element';
    return safely(kind, () => {
      const doc = el.ownerDocument;
      switch (k) {
        case 'video':
          return extractVideo(doc, el, ctx, currentVideoId(doc, ctx.url, el));
        case 'comment':
          return extractComment(el, ctx);
        case 'post':
          return extractPost(el, ctx);
        case 'channel':
          return extractChannel(doc, el, ctx);
        default:
          return makeExtraction(youtubeAdapter, 'element', null, emptyItem(), [
            warning('not-an-item', 'This element is not a YouTube video, comment, post or channel header.'),
          ]);
      }
    });
  },

  extractPage(doc: Document, ctx: ExtractContext): Extraction | null {
    try {
      if (isChannelPage(doc, ctx.url)) {
        const header = Array.from(doc.querySelectorAll(SEL.channelHeader)).find(isItem) ?? null;
        return extractChannel(doc, header, ctx);
      }
      const vid = currentVideoId(doc, ctx.url);
      // A rendered watch page has its video as an item; only a served shell is "the page".
      if (!vid || doc.querySelector(`${SEL.watchMeta}, ${SEL.legacyPrimary}`)) return null;
      return extractVideo(doc, null, ctx, vid);
    } catch (e) {
      return makeExtraction(youtubeAdapter, 'page', null, emptyItem(), [
        warning('adapter-error', `The YouTube adapter could not read this page (${e instanceof Error ? e.message : String(e)}).`),
      ]);
    }
  },
};

export default youtubeAdapter;
