import type { Account, Extraction, Item, ItemKind, MediaRef, Warning } from '../../shared/types';
import { absUrl, canonicalUrl, emptyAccount, emptyItem, makeExtraction, readMeta, textOf, warning, attr } from '../dom';
import { cleanText, fromAttribute, fromRelativeText, parseMachineTime, textOnly, type ResolvedTime } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * Reddit, in the three DOM generations still met in the wild:
 *  - "shreddit" (2023+, www/sh.reddit.com): web components whose attributes carry the data
 *    (`shreddit-post`, `shreddit-comment`, `shreddit-profile-comment`, search results).
 *  - the 2018-2023 React "new Reddit" (`data-testid="post-container"`, flat comment list).
 *  - old.reddit.com (`.thing[data-fullname]`).
 *
 * Ids: `platform_item_id` is always the Reddit *fullname* (`t3_…` post, `t1_…` comment,
 * `t4_…` private message); `platform_account_id` is the `t2_…` account fullname.
 * `thread_id` is the post's `t3_…` fullname (for a post, its own), and a comment's
 * `in_reply_to` is its parent's fullname (the post's `t3_…` for a top-level comment).
 * Reddit ids do not encode time, so there is no `id_time`.
 */

const SEL = {
  // shreddit
  sPost: 'shreddit-post',
  sComment: 'shreddit-comment',
  sProfileComment: 'shreddit-profile-comment',
  sSearchPost: '[data-testid="search-sdui-post"]',
  sTimeago: 'faceplate-timeago[ts]',
  sTitleSlot: '[slot="title"]',
  sTextBody: '[slot="text-body"]',
  sMediaSlot: '[slot="post-media-container"]',
  sCommentMeta: 'commentMeta', // slot name
  sCommentBody: 'comment', // slot name
  sCommentActionRow: 'shreddit-comment-action-row',
  sOverflowMenu: 'shreddit-overflow-menu[author-id], shreddit-post-overflow-menu[author-id]',
  sPlayer: 'shreddit-player, shreddit-player-2',
  sProfileCommentBody: '[slot="comment"], [id$="-comment-rtjson-content"], [id$="-post-rtjson-content"]',
  sSearchTitle: 'a[data-testid="post-title-text"], a[data-testid="post-title"]',
  sSearchAuthor: '[data-testid="search-author"], a[href^="/user/"], a[href^="/u/"]',
  // 2018-2023 React "new Reddit"
  rPost: '[data-testid="post-container"]',
  rCommentCandidate: 'div[id^="t1_"]',
  rCommentHeader: '[data-testid="post-comment-header"], [data-testid="post-comment-header-deleted"]',
  rPostAuthor: '[data-testid="post_author_link"]',
  rPostTime: '[data-testid="post_timestamp"]',
  rPostLink: 'a[data-click-id="comments"], a[data-click-id="body"], a[data-click-id="timestamp"]',
  rPostTitle: '[data-adclicklocation="title"] h1, [data-adclicklocation="title"] h2, [data-adclicklocation="title"] h3, h1',
  rPostText: '[data-click-id="text"]',
  rPostMedia: '[data-click-id="media"]',
  rCommentAuthor: '[data-testid="comment_author_link"]',
  rCommentAuthorIcon: '[data-testid="comment_author_icon"]',
  rCommentTime: '[data-testid="comment_timestamp"]',
  rCommentText: '[data-testid="comment"]',
  rAdLink: 'a[href*="alb.reddit.com/"]',
  // old.reddit.com
  oThing: '.thing',
  oPost: '.thing.link',
  oComment: '.thing.comment',
  oMessage: '.thing.message',
  oTagline: '.tagline',
  oTime: 'time[datetime]',
  oAuthor: 'a.author',
  oTitle: 'a.title',
  oBody: '.usertext-body .md',
  oExpando: '.expando',
  oParentLink: 'a[data-event-action="parent"]',
  oProfileBox: '.side .titlebox',
  oProfileAge: '.age time[datetime]',
} as const;

const ITEM_QUERY = [
  SEL.sPost,
  SEL.sComment,
  SEL.sProfileComment,
  SEL.sSearchPost,
  SEL.rPost,
  SEL.rCommentCandidate,
  SEL.oPost,
  SEL.oComment,
  SEL.oMessage,
  SEL.oProfileBox,
].join(', ');

type Gen =
  | 'shreddit-post'
  | 'shreddit-comment'
  | 'shreddit-profile-comment'
  | 'search-post'
  | 'react-post'
  | 'react-comment'
  | 'old-post'
  | 'old-comment'
  | 'old-message'
  | 'old-profile';

const FULLNAME = /^t[1-5]_[a-z0-9]+$/;

/** Which Reddit item an element is, or null when it is not one. */
function generation(el: Element): Gen | null {
  const tag = el.tagName.toLowerCase();
  if (tag === 'shreddit-post') return 'shreddit-post';
  if (tag === 'shreddit-comment') return 'shreddit-comment';
  if (tag === 'shreddit-profile-comment') return 'shreddit-profile-comment';
  if (el.getAttribute('data-testid') === 'search-sdui-post') return 'search-post';
  // Ads use the same container with an opaque id ("t3_z=…") and ad-server links: not user content.
  if (el.getAttribute('data-testid') === 'post-container') return FULLNAME.test(el.id) && !el.querySelector(SEL.rAdLink) ? 'react-post' : null;
  // The React UI gives many helper nodes ids that start with the comment's fullname
  // ("t1_x-comment-share-menu"), so only the bare id with a comment header inside counts.
  if (/^t1_[a-z0-9]+$/.test(el.id) && el.querySelector(SEL.rCommentHeader)) return 'react-comment';
  if (el.classList.contains('thing')) {
    if (el.classList.contains('morechildren') || el.getAttribute('data-type') === 'morechildren') return null;
    if (el.classList.contains('promoted') || el.classList.contains('promotedlink') || el.getAttribute('data-promoted') === 'true') return null;
    if (el.classList.contains('link')) return 'old-post';
    if (el.classList.contains('comment')) return 'old-comment';
    if (el.classList.contains('message')) return 'old-message';
    return null;
  }
  if (el.classList.contains('titlebox') && el.parentElement?.closest('.side') && userFromPath(el.ownerDocument.location?.pathname ?? '')) return 'old-profile';
  return null;
}

const KIND: Record<Gen, ItemKind> = {
  'shreddit-post': 'post',
  'shreddit-comment': 'comment',
  'shreddit-profile-comment': 'comment',
  'search-post': 'post',
  'react-post': 'post',
  'react-comment': 'comment',
  'old-post': 'post',
  'old-comment': 'comment',
  'old-message': 'message',
  'old-profile': 'profile',
};

// ---------------------------------------------------------------------------
// small helpers

/** Direct child carrying a given slot name (shreddit puts each part of a comment in a named slot). */
function slotChild(el: Element, slot: string): Element | null {
  for (const c of Array.from(el.children)) if (c.getAttribute('slot') === slot) return c;
  return null;
}

function directChild(el: Element, pred: (c: Element) => boolean): Element | null {
  for (const c of Array.from(el.children)) if (pred(c)) return c;
  return null;
}

/** Parent element, crossing out of a shadow root to its host (right-clicks can land inside one). */
function parentOf(el: Element): Element | null {
  if (el.parentElement) return el.parentElement;
  const root = el.getRootNode?.() as (Node & { host?: Element }) | undefined;
  return root && root !== el && root.host ? root.host : null;
}

/** Reddit permalinks carry tracking (utm_*, context=3): the evidence keeps the bare path. */
function permalink(href: string | null | undefined, base: URL): string | null {
  const u = absUrl(href, base);
  if (!u) return null;
  const p = new URL(u);
  p.search = '';
  p.hash = '';
  return p.href;
}

function postIdFromUrl(u: string | null): string | null {
  const m = u ? /\/comments\/([a-z0-9]+)(?:\/|$)/i.exec(u) : null;
  return m ? `t3_${m[1].toLowerCase()}` : null;
}

/** The comment id at the end of a comment permalink (both /comment/<id>/ and old /<slug>/<id>/ shapes). */
function commentIdFromUrl(u: string | null): string | null {
  if (!u) return null;
  const path = new URL(u).pathname;
  const m = /\/comments\/[a-z0-9]+\/(?:comment\/([a-z0-9]+)|[^/]+\/([a-z0-9]+))\/?$/i.exec(path);
  const id = m?.[1] ?? m?.[2];
  return id ? `t1_${id.toLowerCase()}` : null;
}

function userFromPath(path: string): string | null {
  const m = /^\/(?:user|u)\/([A-Za-z0-9_-]+)/.exec(path);
  return m ? m[1] : null;
}

function stripUserPrefix(name: string | null): string | null {
  const n = cleanText(name);
  return n ? n.replace(/^\/?u\//, '') : null;
}

const DELETED = /^\[(deleted|removed)\]$/i;

function account(handle: string | null, id: string | null, profileHref: string | null, base: URL): Account {
  const acc = emptyAccount();
  if (!handle || DELETED.test(handle)) return { ...acc, platform_account_id: id };
  acc.handle = handle;
  acc.platform_account_id = id;
  acc.profile_url = absUrl(profileHref, base) ?? absUrl(`/user/${encodeURIComponent(handle)}/`, base);
  return acc;
}

function authorWarnings(handle: string | null): Warning[] {
  return handle && DELETED.test(handle)
    ? [warning('author-deleted', `Reddit shows the author as "${handle}": the account or the item was deleted, so the author cannot be identified from this page.`)]
    : [];
}

/**
 * Relative times as Reddit words them ("4 yr. ago", "3 mo. ago", "2d ago"). The shared
 * parser does not accept the abbreviation dots, so they are dropped for parsing only;
 * the displayed text is kept verbatim.
 */
function relative(shown: string | null, at: Date): ResolvedTime {
  const text = cleanText(shown);
  if (!text) return { iso: null, text: null, source: null };
  const direct = fromRelativeText(text, at);
  if (direct.iso) return direct;
  const alt = fromRelativeText(text.replace(/\./g, '').replace(/(\d)\s*([a-z])/i, '$1 $2'), at);
  if (alt.iso) return { ...alt, text };
  return textOnly(text);
}

function setTime(item: Item, t: ResolvedTime): void {
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;
}

/** UI pictures that are not part of the content: avatars, community icons, awards, emotes, tracking pixels. */
function isChrome(e: Element): boolean {
  const src = e.getAttribute('src') ?? '';
  const alt = (e.getAttribute('alt') ?? '').toLowerCase();
  if (/redditstatic\.com|emoji\.redditmedia\.com|styles\.redditmedia\.com|\/snoovatar\//.test(src)) return true;
  if (alt.endsWith(' avatar') || alt === 'user avatar' || alt.endsWith(' icon') || alt === 'subreddit icon') return true;
  if (e.closest('[avatar], [slot="commentAvatar"], [id^="awardItem"], [slot="poster"], faceplate-hovercard, rpl-hovercard, community-status-tooltip')) return true;
  return false;
}

/**
 * Media inside the given content regions. Reddit players are custom elements whose `src`
 * is an HLS playlist; a <video> may carry a blob: src with the real stream in <source>.
 */
function collectMedia(regions: (Element | null)[], base: URL): MediaRef[] {
  const out: MediaRef[] = [];
  const seen = new Set<string>();
  const push = (m: MediaRef): void => {
    const key = m.url ?? m.poster ?? '';
    if (!key || seen.has(key)) return;
    seen.add(key);
    out.push(m);
  };
  for (const region of regions) {
    if (!region) continue;
    const nodes = [region, ...Array.from(region.querySelectorAll(`${SEL.sPlayer}, video, img`))];
    for (const m of nodes) {
      const tag = m.tagName.toLowerCase();
      if (tag === 'shreddit-player' || tag === 'shreddit-player-2') {
        // A GIF in a comment plays as an mp4 preview; the link around it is the original file.
        const original = m.hasAttribute('gif') ? absUrl(m.closest('a[href]')?.getAttribute('href'), base) : null;
        if (original && /\.(gif|png|jpe?g|webp)(\?|$)/i.test(original)) {
          push({ kind: 'image', url: original, alt: null });
          continue;
        }
        push({ kind: 'video', url: absUrl(m.getAttribute('src'), base), poster: absUrl(m.getAttribute('poster'), base), why_missing: null });
      } else if (tag === 'video') {
        if (m.parentElement?.closest(SEL.sPlayer)) continue;
        const srcs = [m.getAttribute('src'), ...Array.from(m.querySelectorAll('source')).map((s) => s.getAttribute('src'))];
        const url = srcs.map((s) => (s && !s.startsWith('blob:') ? absUrl(s, base) : null)).find((s) => s) ?? null;
        push({
          kind: 'video',
          url,
          poster: absUrl(m.getAttribute('poster'), base),
          why_missing: url ? null : 'streamed video (blob: URL); no direct address on the page',
        });
      } else if (tag === 'img') {
        if (isChrome(m) || m.closest(SEL.sPlayer)) continue;
        const url = absUrl(m.getAttribute('src'), base);
        if (url) push({ kind: 'image', url, alt: m.getAttribute('alt') });
      }
    }
  }
  return out;
}

function metrics(pairs: [string, string | null][]): Record<string, string> | undefined {
  const m: Record<string, string> = {};
  for (const [k, v] of pairs) if (v !== null) m[k] = v;
  return Object.keys(m).length ? m : undefined;
}

// ---------------------------------------------------------------------------
// shreddit

function displayedFor(el: Element, iso: string | null): string | null {
  // The same element can hold other timestamps (a crosspost's own date), so take the
  // widget whose machine time is the item's.
  for (const t of Array.from(el.querySelectorAll(SEL.sTimeago))) {
    if (t.closest(SEL.sMediaSlot) && el.tagName.toLowerCase() === 'shreddit-post') continue;
    if (iso && parseMachineTime(t.getAttribute('ts')) !== iso) continue;
    return cleanText(textOf(t));
  }
  return null;
}

function shredditPost(el: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const item = emptyItem();
  const id = attr(el, 'id');
  item.platform_item_id = id && FULLNAME.test(id) ? id : null;
  item.url = permalink(attr(el, 'permalink'), ctx.url);
  item.platform_item_id ??= postIdFromUrl(item.url);
  item.thread_id = item.platform_item_id;
  const created = attr(el, 'created-timestamp');
  const iso = parseMachineTime(created);
  setTime(item, fromAttribute(created, displayedFor(el, iso)));
  item.title = attr(el, 'post-title') ?? cleanText(textOf(el.querySelector(SEL.sTitleSlot)));
  item.text = textOf(el.querySelector(SEL.sTextBody));
  item.media = collectMedia([el.querySelector(SEL.sMediaSlot), el.querySelector(SEL.sTextBody), el.querySelector('gallery-carousel'), el.querySelector('#post-image')], ctx.url);
  const content = permalink(attr(el, 'content-href'), ctx.url);
  if (content && content !== item.url) {
    const qid = postIdFromUrl(content);
    const qTitle = el.querySelector('.crosspost-title, [slot="post-media-container"] a[href*="/comments/"]');
    item.quoted = { platform_item_id: qid, url: content, account: null, text: qid ? cleanText(textOf(qTitle)) : null };
  }
  item.metrics = metrics([
    ['score', attr(el, 'score')],
    ['comments', attr(el, 'comment-count')],
  ]);
  const handle = attr(el, 'author');
  w.push(...authorWarnings(handle));
  const acc = account(handle, attr(el, 'author-id'), null, ctx.url);
  return makeExtraction(redditAdapter, 'post', acc, item, w);
}

function shredditComment(el: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const item = emptyItem();
  const id = attr(el, 'thingid');
  item.platform_item_id = id && FULLNAME.test(id) ? id : null;
  // Deleted comments lose `postid` too; the enclosing thread or the page still names the post.
  const outer = parentOf(el)?.closest(`${SEL.sComment}[postid]`) ?? null;
  item.thread_id = attr(el, 'postid') ?? attr(outer, 'postid') ?? postIdFromUrl(ctx.url.href);
  item.in_reply_to = attr(el, 'parentid') ?? item.thread_id;
  item.url = permalink(attr(el, 'permalink'), ctx.url);
  if (!item.url && item.platform_item_id && item.thread_id) {
    // Deleted comments lose their permalink attribute; Reddit's URL scheme still resolves this path.
    const sub = ctx.url.pathname.match(/^\/r\/[^/]+/)?.[0] ?? '';
    item.url = absUrl(`${sub}/comments/${item.thread_id.slice(3)}/comment/${item.platform_item_id.slice(3)}/`, ctx.url);
    w.push(warning('permalink-derived', 'The page shows no link for this comment; the permalink was built from its id and the post id.'));
  }
  const meta = slotChild(el, SEL.sCommentMeta);
  const menu = directChild(el, (c) => c.tagName.toLowerCase() === SEL.sCommentActionRow)?.querySelector(SEL.sOverflowMenu) ?? null;
  const time = meta?.querySelector(SEL.oTime) ?? null;
  const t = fromAttribute(time?.getAttribute('datetime'), textOf(time));
  setTime(item, t.iso ? t : fromAttribute(attr(menu, 'comment-created-timestamp') ?? attr(el, 'created'), null));
  const body = slotChild(el, SEL.sCommentBody);
  item.text = textOf(body);
  if (el.hasAttribute('is-comment-deleted') || el.hasAttribute('is-comment-removed')) {
    // The placeholder ("Comment deleted by user") sits in an unslotted child.
    // It is Reddit's wording, not the author's, so it goes in the warning rather than the text.
    const placeholder = cleanText(textOf(directChild(el, (c) => !c.hasAttribute('slot') && c.tagName === 'DIV')));
    w.push(warning('item-deleted', `This comment was deleted or removed before capture; Reddit shows only "${placeholder ?? 'a placeholder'}".`));
  }
  item.media = collectMedia([body], ctx.url);
  item.metrics = metrics([['score', attr(el, 'score')]]);
  const handle = attr(el, 'author');
  w.push(...authorWarnings(handle));
  const acc = account(handle, attr(menu, 'author-id'), null, ctx.url);
  return makeExtraction(redditAdapter, 'comment', acc, item, w);
}

function shredditProfileComment(el: Element, ctx: ExtractContext): Extraction {
  // On a user's comment list each card carries its id and link but not its author:
  // the author is the profile being viewed.
  const w: Warning[] = [];
  const item = emptyItem();
  const id = attr(el, 'comment-id') ?? attr(el, 'thingid');
  item.url = permalink(attr(el, 'href') ?? attr(el, 'permalink'), ctx.url);
  item.platform_item_id = id && FULLNAME.test(id) ? id : commentIdFromUrl(item.url);
  item.thread_id = attr(el, 'post-id') ?? attr(el, 'postid') ?? postIdFromUrl(item.url);
  item.in_reply_to = attr(el, 'parentid');
  const ts = el.querySelector(SEL.sTimeago);
  const time = el.querySelector(SEL.oTime);
  const t = fromAttribute(attr(ts, 'ts'), textOf(ts));
  setTime(item, t.iso ? t : fromAttribute(time?.getAttribute('datetime'), textOf(time)));
  const body = el.querySelector(SEL.sProfileCommentBody);
  item.text = textOf(body);
  item.media = body ? collectMedia([body], ctx.url) : [];
  const handle = attr(el, 'author') ?? userFromPath(ctx.url.pathname);
  if (!attr(el, 'author') && handle) w.push(warning('author-from-page', `The comment card names no author; it is listed on u/${handle}'s profile page, so that account is recorded as the author.`));
  w.push(...authorWarnings(handle));
  return makeExtraction(redditAdapter, 'comment', account(handle, null, null, ctx.url), item, w);
}

function searchPost(el: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const item = emptyItem();
  const titleLink = el.querySelector(SEL.sSearchTitle);
  item.url = permalink(titleLink?.getAttribute('href'), ctx.url);
  const id = attr(el, 'data-thingid');
  item.platform_item_id = id && FULLNAME.test(id) ? id : postIdFromUrl(item.url);
  item.thread_id = item.platform_item_id;
  item.title = cleanText(textOf(el.querySelector('a[data-testid="post-title-text"]'))) ?? attr(titleLink, 'aria-label');
  const ts = el.querySelector(SEL.sTimeago);
  setTime(item, fromAttribute(attr(ts, 'ts'), textOf(ts)));
  const authorEl = el.querySelector(SEL.sSearchAuthor);
  const handle = stripUserPrefix(textOf(authorEl)) ?? userFromPath(authorEl?.getAttribute('href') ?? '');
  w.push(...authorWarnings(handle));
  w.push(warning('search-result', 'Captured from a search result: only the title, author and time are shown here, not the post body.'));
  return makeExtraction(redditAdapter, 'post', account(handle, null, authorEl?.getAttribute('href') ?? null, ctx.url), item, w);
}

// ---------------------------------------------------------------------------
// 2018-2023 React "new Reddit"

function reactPost(el: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const item = emptyItem();
  item.platform_item_id = FULLNAME.test(el.id) ? el.id : null;
  const link = el.querySelector(SEL.rPostLink);
  item.url = permalink(link?.getAttribute('href'), ctx.url);
  if (!item.url) {
    const canon = canonicalUrl(el.ownerDocument, ctx.url);
    if (canon && postIdFromUrl(canon) === item.platform_item_id) item.url = permalink(canon, ctx.url);
  }
  item.thread_id = item.platform_item_id;
  setTime(item, relative(textOf(el.querySelector(SEL.rPostTime)), ctx.capturedAt));
  item.title = cleanText(textOf(el.querySelector(SEL.rPostTitle)));
  item.text = textOf(el.querySelector(SEL.rPostText));
  item.media = collectMedia([el.querySelector(SEL.rPostMedia), el.querySelector(SEL.rPostText)], ctx.url);
  const authorEl = el.querySelector(SEL.rPostAuthor);
  const handle = stripUserPrefix(textOf(authorEl));
  w.push(...authorWarnings(handle));
  return makeExtraction(redditAdapter, 'post', account(handle, null, authorEl?.getAttribute('href') ?? null, ctx.url), item, w);
}

function reactDepth(el: Element): number | null {
  // "level N" is a screen-reader label; the indent is the fallback when it is missing or translated.
  for (const s of Array.from(el.querySelectorAll('span'))) {
    const m = /^level (\d+)$/i.exec((s.textContent ?? '').trim());
    if (m) return Number(m[1]);
  }
  const pad = /padding-left:\s*(\d+)px/.exec(el.getAttribute('style') ?? '');
  return pad ? Number(pad[1]) : null;
}

function reactComment(el: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const item = emptyItem();
  item.platform_item_id = el.id;
  const timeLink = el.querySelector(SEL.rCommentTime);
  item.url = permalink(timeLink?.getAttribute('href'), ctx.url);
  item.thread_id = postIdFromUrl(item.url) ?? postIdFromUrl(canonicalUrl(el.ownerDocument, ctx.url));
  setTime(item, relative(textOf(timeLink), ctx.capturedAt));
  const body = el.querySelector(SEL.rCommentText);
  item.text = textOf(body);
  item.media = collectMedia([body], ctx.url);
  // This UI renders the tree as a flat list; the parent is the nearest earlier comment one level up.
  const depth = reactDepth(el);
  if (depth !== null) {
    const all = Array.from(el.ownerDocument.querySelectorAll(SEL.rCommentCandidate)).filter((e) => generation(e) === 'react-comment');
    const at = all.indexOf(el);
    let parent: string | null = null;
    for (let i = at - 1; i >= 0; i--) {
      const d = reactDepth(all[i]);
      if (d !== null && d < depth) {
        parent = all[i].id;
        break;
      }
    }
    item.in_reply_to = parent ?? item.thread_id;
    if (parent) w.push(warning('parent-inferred', 'This Reddit layout does not state which comment is being answered; the parent was taken from the indentation of the thread.'));
  }
  if (el.querySelector('[data-testid="post-comment-header-deleted"]')) {
    const label = cleanText(textOf(el.querySelector('[data-testid="post-comment-header-deleted"] span span')));
    w.push(warning('item-deleted', `This comment was deleted or removed before capture; Reddit shows only "${label ?? 'a placeholder'}".`));
  }
  const authorEl = el.querySelector(SEL.rCommentAuthor);
  const iconHref = el.querySelector(SEL.rCommentAuthorIcon)?.getAttribute('href') ?? null;
  const shownName = cleanText(textOf(el.querySelector(SEL.rCommentHeader)?.querySelector('span span')));
  const handle = stripUserPrefix(textOf(authorEl)) ?? userFromPath(iconHref ?? '') ?? (shownName && DELETED.test(shownName) ? shownName : null);
  w.push(...authorWarnings(handle));
  return makeExtraction(redditAdapter, 'comment', account(handle, null, authorEl?.getAttribute('href') ?? iconHref, ctx.url), item, w);
}

// ---------------------------------------------------------------------------
// old.reddit.com

function oldEntry(el: Element): Element | null {
  return directChild(el, (c) => c.classList.contains('entry'));
}

function oldCommon(el: Element, ctx: ExtractContext, item: Item, w: Warning[]): Account {
  const entry = oldEntry(el);
  const tagline = entry?.querySelector(SEL.oTagline) ?? null;
  const time = tagline?.querySelector(SEL.oTime) ?? null;
  const t = fromAttribute(time?.getAttribute('datetime'), textOf(time));
  setTime(item, t.iso ? t : fromAttribute(attr(el, 'data-timestamp'), null));
  item.url = permalink(attr(el, 'data-permalink'), ctx.url);
  const full = attr(el, 'data-fullname');
  item.platform_item_id = full && FULLNAME.test(full) ? full : null;
  const authorEl = tagline?.querySelector(SEL.oAuthor) ?? null;
  // Deleted authors have no data-author; the tagline then shows "[deleted]" as plain text.
  const shown = cleanText(tagline?.querySelector('em, span:not([class])')?.textContent);
  const handle = attr(el, 'data-author') ?? cleanText(textOf(authorEl)) ?? (shown && DELETED.test(shown) ? shown : null);
  w.push(...authorWarnings(handle));
  const idClass = Array.from(authorEl?.classList ?? []).find((c) => /^id-t2_/.test(c))?.slice(3) ?? null;
  return account(handle, attr(el, 'data-author-fullname') ?? idClass, authorEl?.getAttribute('href') ?? null, ctx.url);
}

function oldPost(el: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const item = emptyItem();
  const acc = oldCommon(el, ctx, item, w);
  item.platform_item_id ??= postIdFromUrl(item.url);
  item.thread_id = item.platform_item_id;
  const entry = oldEntry(el);
  item.title = cleanText(textOf(entry?.querySelector(SEL.oTitle)));
  const expando = entry?.querySelector(SEL.oExpando) ?? null;
  item.text = textOf(expando?.querySelector(SEL.oBody));
  item.media = collectMedia([expando], ctx.url);
  const target = absUrl(attr(el, 'data-url'), ctx.url);
  if (target && permalink(target, ctx.url) !== item.url) {
    item.quoted = { platform_item_id: postIdFromUrl(target), url: target, account: null, text: null };
  }
  item.visibility = attr(el, 'data-subreddit-type');
  item.metrics = metrics([
    ['score', attr(el, 'data-score')],
    ['comments', attr(el, 'data-comments-count')],
  ]);
  return makeExtraction(redditAdapter, 'post', acc, item, w);
}

function oldComment(el: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const item = emptyItem();
  const acc = oldCommon(el, ctx, item, w);
  // Deleted comments lose data-fullname but keep their permalink, which ends in the id.
  item.platform_item_id ??= commentIdFromUrl(item.url);
  item.thread_id = postIdFromUrl(item.url) ?? attr(el, 'data-link-id');
  const parentThing = parentOf(el)?.closest(SEL.oThing) ?? null;
  const parentHref = oldEntry(el)?.querySelector(SEL.oParentLink)?.getAttribute('href') ?? null;
  if (parentThing) item.in_reply_to = attr(parentThing, 'data-fullname') ?? commentIdFromUrl(permalink(attr(parentThing, 'data-permalink'), ctx.url));
  else if (parentHref && /^#[a-z0-9]+$/i.test(parentHref)) item.in_reply_to = `t1_${parentHref.slice(1).toLowerCase()}`;
  else item.in_reply_to = item.thread_id;
  const body = oldEntry(el)?.querySelector(SEL.oBody) ?? null;
  item.text = textOf(body);
  if (el.classList.contains('deleted') || (item.text && DELETED.test(item.text))) {
    // "[removed]" / "[deleted]" is Reddit's placeholder, not the author's words.
    const shownBody = item.text && DELETED.test(item.text) ? item.text : null;
    if (shownBody) item.text = null;
    w.push(warning('item-deleted', `This comment was deleted or removed before capture; Reddit shows only "${shownBody ?? '[deleted]'}".`));
  }
  item.media = collectMedia([body], ctx.url);
  item.visibility = attr(el, 'data-subreddit-type');
  const score = oldEntry(el)?.querySelector('.tagline .score.unvoted');
  item.metrics = metrics([['score', attr(score, 'title')]]);
  return makeExtraction(redditAdapter, 'comment', acc, item, w);
}

function oldMessage(el: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const item = emptyItem();
  const acc = oldCommon(el, ctx, item, w);
  item.title = cleanText(textOf(el.querySelector('.subject')));
  item.text = textOf(oldEntry(el)?.querySelector(SEL.oBody));
  item.thread_id = attr(el, 'data-thread-id') ?? item.platform_item_id;
  item.visibility = 'private';
  return makeExtraction(redditAdapter, 'message', acc, item, w);
}

function oldProfile(el: Element, ctx: ExtractContext): Extraction {
  const item = emptyItem();
  const handle = cleanText(textOf(el.querySelector('h1'))) ?? userFromPath(ctx.url.pathname);
  const acc = account(handle, null, null, ctx.url);
  item.url = acc.profile_url;
  const age = el.querySelector(SEL.oProfileAge);
  // For a profile the "time" is the account's creation date ("redditor for 3 years").
  setTime(item, fromAttribute(age?.getAttribute('datetime'), textOf(age)));
  item.metrics = metrics(
    Array.from(el.querySelectorAll('.karma')).map((k, i): [string, string | null] => [i === 0 ? 'post_karma' : i === 1 ? 'comment_karma' : `karma_${i}`, cleanText(k.textContent)]),
  );
  return makeExtraction(redditAdapter, 'profile', acc, item, []);
}

// ---------------------------------------------------------------------------
// page-level record (head-only / bot pages, profile pages)

function extractPage(doc: Document, ctx: ExtractContext): Extraction | null {
  const items = redditAdapter.findItems(doc, ctx);
  const meta = readMeta(doc);
  const pageUrl = permalink(meta['og:url'] ?? canonicalUrl(doc, ctx.url) ?? ctx.url.href, ctx.url);
  const user = userFromPath(new URL(pageUrl ?? ctx.url.href).pathname);
  if (user) {
    const item = emptyItem();
    // shreddit profile titles read "Display Name (u/handle) - Reddit".
    const title = meta['og:title'] ?? doc.title;
    const m = /^(.*?)\s*\(u\/([A-Za-z0-9_-]+)\)/.exec(title ?? '');
    const acc = account(m?.[2] ?? user, null, null, ctx.url);
    acc.display_name = cleanText(m?.[1]) ?? null;
    item.url = acc.profile_url;
    item.text = cleanText(meta['og:description'] ?? meta['description']) ?? null;
    return makeExtraction(redditAdapter, 'profile', acc, item, []);
  }
  if (items.length > 0) return null;
  const postId = postIdFromUrl(pageUrl);
  if (!postId) return null;
  const item = emptyItem();
  item.platform_item_id = postId;
  item.thread_id = postId;
  item.url = pageUrl;
  // og:title reads "From the <sub> community on Reddit: <title>".
  const ogTitle = meta['og:title'] ?? meta['twitter:title'] ?? null;
  item.title = cleanText(ogTitle?.replace(/^.*? on Reddit:\s*/, '')) ?? cleanText(doc.title.replace(/\s*:\s*r\/[^:]+$/, ''));
  item.text = cleanText(meta['description']) ?? null;
  const img = absUrl(meta['og:image'] ?? meta['twitter:image'], ctx.url);
  if (img) item.media = [{ kind: 'image', url: img, alt: meta['og:image:alt'] ?? null }];
  const pub = meta['article:published_time'] ?? meta['og:published_time'] ?? null;
  if (pub) setTime(item, fromAttribute(pub, null));
  const w = [
    warning('metadata-only', 'The page holds only link-preview metadata (Open Graph), not the rendered post: author and time are not stated and the text may be shortened.'),
  ];
  return makeExtraction(redditAdapter, 'post', emptyAccount(), item, w);
}

// ---------------------------------------------------------------------------

const EXTRACT: Record<Gen, (el: Element, ctx: ExtractContext) => Extraction> = {
  'shreddit-post': shredditPost,
  'shreddit-comment': shredditComment,
  'shreddit-profile-comment': shredditProfileComment,
  'search-post': searchPost,
  'react-post': reactPost,
  'react-comment': reactComment,
  'old-post': oldPost,
  'old-comment': oldComment,
  'old-message': oldMessage,
  'old-profile': oldProfile,
};

export const redditAdapter: PlatformAdapter = {
  id: 'reddit',
  version: '1.0.0',
  label: 'Reddit',
  matchesUrl(url: URL): boolean {
    return /(^|\.)reddit\.com$/i.test(url.hostname);
  },
  matchesDocument(doc: Document): boolean {
    return !!doc.querySelector('shreddit-app, shreddit-post, shreddit-comment, [data-testid="post-container"], .thing[data-fullname][data-subreddit]');
  },
  findItems(doc: Document): Element[] {
    return Array.from(doc.querySelectorAll(ITEM_QUERY)).filter((e) => generation(e) !== null);
  },
  enclosingItem(el: Element): Element | null {
    for (let e: Element | null = el; e; e = parentOf(e)) if (generation(e)) return e;
    return null;
  },
  kindOf(el: Element): ItemKind {
    const g = generation(el);
    return g ? KIND[g] : 'element';
  },
  extract(el: Element, ctx: ExtractContext): Extraction {
    const g = generation(el);
    if (!g) {
      return makeExtraction(redditAdapter, 'element', null, emptyItem(), [
        warning('not-an-item', 'The selected element is not a Reddit post, comment or message.'),
      ]);
    }
    return EXTRACT[g](el, ctx);
  },
  extractPage,
};

export default redditAdapter;
