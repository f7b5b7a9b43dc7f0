import type { Account, Extraction, Item, ItemKind, MediaRef, Warning } from '../../shared/types';
import { absUrl, emptyAccount, emptyItem, makeExtraction, mediaIn, readMeta, textOf, warning } from '../dom';
import { cleanText, fromAttribute, fromJson, fromRelativeText, textOnly, type ResolvedTime } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * Facebook (www / web / m / mbasic). Three generations of markup are read:
 *
 *  - "Comet" (2020 onwards, www): ARIA roles and data-ad-* attributes; the
 *    reliable times and ids live in Relay JSON (`script[type="application/json"]`,
 *    often `data-sjs`), because the visible timestamp is deliberately scrambled.
 *  - classic www (until ~2020): `.userContentWrapper`, `data-testid="post_message"`,
 *    `abbr[data-utime]`, `input[name="ft_ent_identifier"]`.
 *  - m./mbasic. (until ~2024): `article[data-ft]` / `div[data-ft*=top_level_post_id]`
 *    whose data-ft JSON carries ids and `publish_time`; comments `[data-sigil="comment"]`.
 *
 * Ids (platform_item_id):
 *  - post: the numeric post id (`top_level_post_id`, `ft_ent_identifier`, Relay `post_id`,
 *    `story_fbid`, `/posts/<id>`); when only an opaque `pfbid…` token is on the page, that token.
 *  - comment: the comment's own numeric id (the part after `_` in `<post>_<comment>`, or the
 *    number inside the base64 `comment:<post>_<comment>` that Comet puts in comment_id=).
 *    thread_id = the post id; in_reply_to = the parent comment id for replies, else the post id.
 *  - profile (extractPage): the numeric account / page / group id.
 */

const SEL = {
  /** Elements that are items by their own markup (classify() still weeds out wrappers). */
  markedItems: [
    // Comet
    '[aria-posinset]',
    '[role="article"]',
    // classic www
    '.userContentWrapper',
    '[data-testid="fbfeed_story"]',
    '[data-testid^="UFI2Comment/root_depth_"]',
    // m. / mbasic.
    'article[data-ft]',
    'div[data-ft*="top_level_post_id"]',
    '[data-sigil="comment"]',
  ].join(', '),
  /** mbasic. (no JavaScript) comments: plain divs whose id is the comment id, in #ufi_<post id>. */
  basicComment: '[id^="ufi_"] div[id]',
  cometCommentLabel: /^(Comment|Reply) by /,
  classicComment: '[data-testid^="UFI2Comment/root_depth_"], [role="article"][aria-label="Comment"], [role="article"][aria-label="Comment reply"]',
  mobileComment: '[data-sigil="comment"]',
  mobilePost: 'article[data-ft], div[data-ft*="top_level_post_id"]',
  classicPost: '.userContentWrapper, [data-testid="fbfeed_story"]',
  commentLink: 'a[href*="comment_id="]',

  // Comet post parts
  cometAuthor: ['[data-ad-rendering-role="profile_name"] a[href]', 'h2 a[href]', 'h3 a[href]', 'h4 a[href]', 'strong a[href]'],
  cometAuthorName: ['[data-ad-rendering-role="profile_name"]', 'h2', 'h3', 'h4'],
  cometMessage: ['[data-ad-rendering-role="story_message"]', '[data-ad-preview="message"]', '[data-ad-comet-preview="message"]'],
  cometAudience: 'svg[title], [role="img"][aria-label^="Shared with"]',
  /** Hrefs that are a post's own permalink (not a profile, hashtag or outside link). */
  permalinkHref:
    /\/posts\/[^/?#]|\/permalink\/\d|permalink\.php|story\.php|[?&]story_fbid=|\/photo\/?\?fbid=|\/photo\.php|\/photos\/[^/?#]|\/videos\/[^/?#]|\/reel\/\d|\/watch\/?\?v=|\/share\/[pv]\//,

  // classic www post parts
  classicText: ['[data-testid="post_message"]', '.userContent'],
  classicTime: 'abbr[data-utime]',
  classicSubtitle: '[data-testid="story-subtitle"]',
  classicEntId: 'input[name="ft_ent_identifier"]',
  classicAuthor: ['h5 a[href]', 'h6 a[href]', '.fwb a[href]'],
  classicAudience: '[data-testid="story-subtitle"] [data-tooltip-content][role="button"]',

  // m. / mbasic. post parts
  mobileSubtitle: '[data-sigil="m-feed-voice-subtitle"]',
  mobileText: '[data-ft*=\'"tn":"*s"\']',
  /** Containers of an attached / shared story inside a post. */
  mobileQuoteBoundary: '[data-sigil~="feed-ufi-metadata"], [data-ft*=\'"tn":"H"\'], [data-sigil~="feed-story-share-attachment"]',
  mobileAttachedStory: '[data-sigil~="feed-ufi-metadata"], [data-ft*=\'"tn":"H"\']',
  mobileAudience: '[data-sigil="audience-icon"] [aria-label]',
  mobileRing: '[data-sigil^="feed_story_ring"]',
  mobileCommentBody: '[data-sigil="comment-body"]',
  mobileCommentActions: '[data-sigil="ufi-inline-comment-actions"]',
  mobileVideo: '[data-sigil~="inlineVideo"][data-store]',

  /** Read-more / truncation furniture that is not part of the text. */
  textSkip: '.text_exposed_hide, .text_exposed_link, .see_more_link, [data-sigil="more"], [role="button"], a[aria-label="Open story"]',
  relayScripts: 'script[type="application/json"]',
} as const;

/** Every element that may be an item; classify() decides which really are. */
const ITEM_CANDIDATES = `${SEL.markedItems}, ${SEL.basicComment}`;

const ADAPTER = { id: 'facebook', version: '1.0.0' };

type Flavor = 'comet' | 'classic' | 'mobile';
type ItemClass = 'post' | 'comment';

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function safeJson(s: string | null | undefined): unknown {
  if (!s) return null;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function decodeBase64(s: string): string | null {
  try {
    const atobFn = (globalThis as { atob?: (x: string) => string }).atob;
    if (!atobFn) return null;
    return atobFn(s.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null;
  }
}

/** Query parameters worth keeping in a Facebook URL; the rest is click tracking. */
const KEEP_PARAMS = new Set(['id', 'story_fbid', 'fbid', 'set', 'comment_id', 'reply_comment_id', 'v', 'multi_permalinks']);

/** Absolute URL without tracking parameters (__cft__, __tn__, refid, _ft_, hc_ref...) and fragment. */
function cleanFbUrl(href: string | null | undefined, base: URL | string): string | null {
  const abs = absUrl(href, base);
  if (!abs) return null;
  try {
    const u = new URL(abs);
    for (const k of Array.from(u.searchParams.keys())) if (!KEEP_PARAMS.has(k)) u.searchParams.delete(k);
    u.hash = '';
    return u.href;
  } catch {
    return abs;
  }
}

function param(url: string | null, name: string): string | null {
  if (!url) return null;
  try {
    return new URL(url).searchParams.get(name);
  } catch {
    return null;
  }
}

const RESERVED_FIRST = new Set([
  'profile.php', 'people', 'pages', 'pg', 'groups', 'watch', 'photo', 'photo.php', 'photos', 'permalink.php',
  'story.php', 'events', 'hashtag', 'reel', 'reels', 'share', 'stories', 'marketplace', 'gaming', 'help', 'login',
  'login.php', 'home.php', 'messages', 'notifications', 'friends', 'search', 'bookmarks', 'settings', 'privacy',
  'policies', 'ads', 'business', 'l.php', 'sharer.php', 'sharer', 'dialog', 'plugins', 'media', 'video.php',
  'videos', 'posts', 'comment', 'browse', 'ufi', 'ajax', 'checkpoint', 'recover', 'public', 'directory', 'fundraisers',
]);

/** Tabs of a profile / page that are not part of its identity. */
const PROFILE_TABS = new Set(['posts', 'about', 'photos', 'videos', 'reviews', 'community', 'events', 'mentions', 'friends', 'reels', 'followers', 'following', 'about_details', 'map', 'grid']);

interface ProfileRef {
  handle: string | null;
  id: string | null;
  url: string | null;
}

/**
 * Reads who a profile link points at. Usernames are letters, digits and dots;
 * pages without a username get an automatic "Name-Words-<id>" slug, which is
 * an id, not a handle.
 */
function profileFromUrl(href: string | null | undefined, base: URL | string): ProfileRef {
  const none: ProfileRef = { handle: null, id: null, url: null };
  const abs = absUrl(href, base);
  if (!abs) return none;
  let u: URL;
  try {
    u = new URL(abs);
  } catch {
    return none;
  }
  if (!/(^|\.)facebook\.com$/.test(u.hostname)) return none;
  const segs = u.pathname.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  const origin = `${u.protocol}//${u.host}`;
  // Facebook writes single-segment profile URLs without a trailing slash, longer ones with one.
  const enc = (parts: string[]): string => `${origin}/${parts.map((p) => encodeURIComponent(p)).join('/')}${parts.length > 1 ? '/' : ''}`;
  if (segs.length === 0) return none;
  const first = segs[0];
  if (first === 'profile.php') {
    const id = u.searchParams.get('id');
    return id && /^\d+$/.test(id) ? { handle: null, id, url: `${origin}/profile.php?id=${id}` } : none;
  }
  if (first === 'people' && segs.length >= 3 && /^\d+$/.test(segs[2])) return { handle: null, id: segs[2], url: enc(segs.slice(0, 3)) };
  if (first === 'pages') {
    // /pages/<Name>/<id>/ or /pages/category/<Category>/<Name-id>/
    const idx = segs.findIndex((s, i) => i > 0 && (/^\d{6,}$/.test(s) || /-\d{6,}$/.test(s)));
    if (idx < 0) return none;
    const id = /(\d{6,})$/.exec(segs[idx])?.[1] ?? null;
    return { handle: null, id, url: enc(segs.slice(0, idx + 1)) };
  }
  if (first === 'groups' && segs.length >= 4 && segs[2] === 'user' && /^\d+$/.test(segs[3])) {
    return { handle: null, id: segs[3], url: `${origin}/profile.php?id=${segs[3]}` };
  }
  if (RESERVED_FIRST.has(first.toLowerCase())) return none;
  if (/^\d+$/.test(first)) return { handle: null, id: first, url: enc([first]) };
  const slug = /^(.+)-(\d{6,})$/.exec(first);
  if (slug && /[^A-Za-z0-9.]/.test(slug[1])) return { handle: null, id: slug[2], url: enc([first]) };
  if (/^[A-Za-z0-9.]+$/.test(first)) return { handle: first, id: null, url: enc([first]) };
  return none;
}

/** The id of a group or profile from an app link (al:ios:url / al:android:url). */
function idFromAppLink(meta: Record<string, string>): string | null {
  for (const key of ['al:ios:url', 'al:android:url']) {
    const v = meta[key];
    if (!v) continue;
    const m = /^fb:\/\/(?:profile|page|group)\/(?:\?id=)?(\d+)/.exec(v);
    if (m) return m[1];
  }
  return null;
}

/** Post id found in a permalink, when the permalink carries a numeric one. */
function postIdFromUrl(url: string | null): string | null {
  if (!url) return null;
  const sf = param(url, 'story_fbid');
  if (sf && /^\d+$/.test(sf)) return sf;
  const m =
    /\/(?:posts|permalink|videos|reel)\/(?:[^/?#]*\/)?(\d{6,})\/?(?:[?#]|$)/.exec(url) ??
    /\/photos\/[^/]+\/(\d{6,})\/?/.exec(url) ??
    /[?&](?:fbid|v)=(\d{6,})/.exec(url);
  return m ? m[1] : null;
}

function pfbidFromUrl(url: string | null): string | null {
  if (!url) return null;
  const m = /(pfbid[0-9A-Za-z]+)/.exec(url);
  return m ? m[1] : null;
}

/** Resolves a displayed time such as "2h", "12 mths", "a week ago"; keeps it verbatim. */
function displayedTime(text: string | null | undefined, capturedAt: Date): ResolvedTime {
  const shown = cleanText(text);
  if (!shown) return { iso: null, text: null, source: null };
  const r = fromRelativeText(shown, capturedAt);
  if (r.iso) return r;
  // Facebook's own abbreviations that the shared parser does not know.
  const norm = shown.replace(/\bmths?\b/i, 'mo').replace(/\byrs?\.?$/i, 'yr').replace(/\bhrs?\.?$/i, 'h');
  if (norm !== shown) {
    const r2 = fromRelativeText(norm, capturedAt);
    if (r2.iso) return { ...r2, text: shown };
  }
  return textOnly(shown);
}

function looksRelative(text: string | null): boolean {
  if (!text || text.length > 16) return false;
  return displayedTime(text, new Date(0)).source === 'relative-text';
}

/** Text of an element, without "See more" furniture and without any nested item. */
function itemText(el: Element | null, owner: Element): string | null {
  if (!el) return null;
  return textOf(el, {
    skip: (e) => e.matches(SEL.textSkip) || (e !== owner && isItemElement(e) && e !== el),
  });
}

function isTruncated(el: Element | null): boolean {
  if (!el) return false;
  for (const b of Array.from(el.querySelectorAll('[role="button"], .see_more_link, [data-sigil="more"]'))) {
    const t = (textOf(b) ?? '').toLowerCase();
    if (/see more|more|zobacz więcej|ver más|voir plus|mehr ansehen/.test(t) || b.matches('.see_more_link, [data-sigil="more"]')) return true;
  }
  return false;
}

/** Whitespace-collapsed NFC text: the DOM and the JSON spell some scripts (Bengali য়) differently. */
function normSpace(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** True when `full` is the untruncated version of the displayed `shown` text. */
function isFullerVersion(full: string, shown: string): boolean {
  const a = normSpace(full);
  const b = normSpace(shown).replace(/(…|\.\.\.)\s*$/, '').trim();
  const probe = b.slice(0, Math.min(40, b.length));
  return probe.length > 0 && a.startsWith(probe) && a.length >= b.length;
}

// ---------------------------------------------------------------------------
// Relay JSON index (Comet pages)
// ---------------------------------------------------------------------------

interface Actor {
  id: string | null;
  name: string | null;
  url: string | null;
}

interface RelayNode {
  id: string;
  typename: string | null;
  post_id: string | null;
  creation_time: number | null;
  created_time: number | null;
  url: string | null;
  text: string | null;
  actors: Actor[];
  author: Actor | null;
  legacy_fbid: string | null;
  attachments: number;
}

interface RelayIndex {
  nodes: Map<string, RelayNode>;
  byPostId: Map<string, RelayNode>;
  byUrl: Map<string, RelayNode>;
  byCommentId: Map<string, RelayNode>;
  profileName: string | null;
}

const relayCache = new WeakMap<Document, { scripts: number; index: RelayIndex }>();

function toActor(v: unknown): Actor | null {
  if (!isRecord(v)) return null;
  const a = { id: str(v.id), name: str(v.name), url: str(v.url) ?? str(v.profile_url) };
  return a.id || a.name ? a : null;
}

function relayIndex(doc: Document): RelayIndex {
  const scripts = Array.from(doc.querySelectorAll(SEL.relayScripts));
  const hit = relayCache.get(doc);
  if (hit && hit.scripts === scripts.length) return hit.index;
  const index: RelayIndex = { nodes: new Map(), byPostId: new Map(), byUrl: new Map(), byCommentId: new Map(), profileName: null };
  const node = (id: string): RelayNode => {
    let n = index.nodes.get(id);
    if (!n) {
      n = { id, typename: null, post_id: null, creation_time: null, created_time: null, url: null, text: null, actors: [], author: null, legacy_fbid: null, attachments: 0 };
      index.nodes.set(id, n);
    }
    return n;
  };
  for (const s of scripts) {
    const raw = s.textContent ?? '';
    if (!raw.includes('"__typename"') && !raw.includes('_time"')) continue;
    const root = safeJson(raw);
    if (root === null) continue;
    const stack: unknown[] = [root];
    let guard = 0;
    while (stack.length && guard++ < 2_000_000) {
      const v = stack.pop();
      if (Array.isArray(v)) {
        for (const x of v) if (typeof x === 'object' && x !== null) stack.push(x);
        continue;
      }
      if (!isRecord(v)) continue;
      const id = typeof v.id === 'string' ? v.id : null;
      if (id) {
        const n = node(id);
        if (!n.typename && typeof v.__typename === 'string') n.typename = v.__typename;
        if (!n.post_id) n.post_id = str(v.post_id);
        if (n.creation_time === null && typeof v.creation_time === 'number') n.creation_time = v.creation_time;
        if (n.created_time === null && typeof v.created_time === 'number') n.created_time = v.created_time;
        if (!n.url && typeof v.url === 'string' && /facebook\.com\//.test(v.url) && (SEL.permalinkHref.test(v.url) || /comment_id=/.test(v.url))) n.url = v.url;
        const msg = isRecord(v.message) ? str(v.message.text) : null;
        const body = isRecord(v.preferred_body) ? str(v.preferred_body.text) : isRecord(v.body) ? str(v.body.text) : null;
        const t = msg ?? body;
        if (t && (!n.text || t.length > n.text.length)) n.text = t;
        if (!n.actors.length && Array.isArray(v.actors)) n.actors = v.actors.map(toActor).filter((a): a is Actor => a !== null);
        if (!n.author) n.author = toActor(v.author);
        if (!n.legacy_fbid) n.legacy_fbid = str(v.legacy_fbid);
        if (Array.isArray(v.attachments)) n.attachments = Math.max(n.attachments, v.attachments.length);
      }
      if (!index.profileName && isRecord(v.profile_header_renderer) && isRecord(v.profile_header_renderer.user)) {
        index.profileName = str(v.profile_header_renderer.user.name);
      }
      for (const x of Object.values(v)) if (typeof x === 'object' && x !== null) stack.push(x);
    }
  }
  for (const n of index.nodes.values()) {
    if (n.post_id) {
      // Relay keeps several records for one post (story, feedback, dialog...): merge what they know.
      const prev = index.byPostId.get(n.post_id);
      if (!prev) index.byPostId.set(n.post_id, { ...n, actors: [...n.actors] });
      else {
        prev.creation_time = prev.creation_time ?? n.creation_time;
        prev.url = prev.url ?? n.url;
        if (n.text && (!prev.text || n.text.length > prev.text.length)) prev.text = n.text;
        if (!prev.actors.length) prev.actors = [...n.actors];
        prev.attachments = Math.max(prev.attachments, n.attachments);
        if (prev.typename !== 'Story' && n.typename === 'Story') prev.typename = 'Story';
      }
    }
    if (n.url) {
      // Feedback and other records repeat the story's URL; the one with a post_id names the post.
      const key = cleanFbUrl(n.url, 'https://www.facebook.com/') ?? n.url;
      const prev = index.byUrl.get(key);
      if (!prev || (!prev.post_id && n.post_id)) index.byUrl.set(key, n);
    }
    const decoded = /^[A-Za-z0-9+/=_-]{12,}$/.test(n.id) ? decodeBase64(n.id) : null;
    const cm = decoded ? /^comment:(\d+)_(\d+)$/.exec(decoded) : null;
    if (cm) index.byCommentId.set(cm[2], n);
    if (n.legacy_fbid && (n.created_time !== null || n.typename === 'Comment')) index.byCommentId.set(n.legacy_fbid, n);
  }
  relayCache.set(doc, { scripts: scripts.length, index });
  return index;
}

/** Stories (posts) present in the Relay JSON, in order of first appearance. */
function relayStories(index: RelayIndex): RelayNode[] {
  return Array.from(index.byPostId.values()).filter((n) => n.typename === 'Story');
}

// ---------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------

function flavorOf(el: Element): Flavor {
  if (el.matches(`${SEL.mobilePost}, ${SEL.mobileComment}`) || isBasicComment(el)) return 'mobile';
  if (el.matches(`${SEL.classicPost}, ${SEL.classicComment}`) && !el.matches('[aria-label^="Comment by "], [aria-label^="Reply by "]')) return 'classic';
  if (el.querySelector(SEL.classicTime) && el.querySelector(SEL.classicText.join(', '))) return 'classic';
  return 'comet';
}

function isBasicComment(el: Element): boolean {
  return /^\d+$/.test(el.id) && el.matches(SEL.basicComment) && !!el.querySelector('h3') && !!el.querySelector('abbr');
}

function isCommentElement(el: Element): boolean {
  if (el.matches(SEL.mobileComment) || el.matches(SEL.classicComment) || isBasicComment(el)) return true;
  if (el.getAttribute('role') !== 'article') return false;
  const label = el.getAttribute('aria-label') ?? '';
  if (SEL.cometCommentLabel.test(label)) return true;
  // Non-English UIs label comments in their own language: fall back to
  // "an article inside another item that links to a comment".
  const parent = el.parentElement?.closest(ITEM_CANDIDATES);
  if (!parent) return false;
  for (const a of Array.from(el.querySelectorAll(SEL.commentLink))) {
    if (a.closest('[role="article"]') === el) return true;
  }
  return false;
}

/**
 * Per-call memo: classification walks ancestors and jsdom/browser selector
 * matching is not free. Reset at every public entry point so a page that
 * changed between two calls is never judged on stale answers.
 */
let classMemo = new WeakMap<Element, ItemClass | null>();
let enclosingMemo = new WeakMap<Element, Element | null>();
function resetMemo(): void {
  classMemo = new WeakMap();
  enclosingMemo = new WeakMap();
}

/** post / comment, or null when the element is only a wrapper of another item. */
function classify(el: Element): ItemClass | null {
  if (classMemo.has(el)) return classMemo.get(el) ?? null;
  const c = classifyUncached(el);
  classMemo.set(el, c);
  return c;
}

function classifyUncached(el: Element): ItemClass | null {
  if (!el.matches(ITEM_CANDIDATES)) return null;
  if (isCommentElement(el)) return 'comment';
  // Other id-carrying divs in an mbasic comment area are not items.
  if (!el.matches(SEL.markedItems)) return null;
  // A post candidate inside another post candidate is a duplicate wrapper
  // (aria-posinset around role=article, or a classic wrapper inside its card).
  let up = el.parentElement?.closest(ITEM_CANDIDATES) ?? null;
  while (up) {
    if (!isCommentElement(up)) return null;
    up = up.parentElement?.closest(ITEM_CANDIDATES) ?? null;
  }
  // An outermost candidate that is not a comment is a post.
  return 'post';
}

function isItemElement(el: Element): boolean {
  return classify(el) !== null;
}

function enclosingOf(el: Element): Element | null {
  const path: Element[] = [];
  let cur: Element | null = el;
  let found: Element | null = null;
  while (cur) {
    if (enclosingMemo.has(cur)) {
      found = enclosingMemo.get(cur) ?? null;
      break;
    }
    path.push(cur);
    if (classify(cur) !== null) {
      found = cur;
      break;
    }
    cur = cur.parentElement;
  }
  for (const p of path) enclosingMemo.set(p, found);
  return found;
}

/** True when `node` belongs to `item` itself and not to an item nested inside it. */
function ownedBy(node: Element, item: Element): boolean {
  return enclosingOf(node) === item;
}

function firstOwned(item: Element, selector: string, extra?: (e: Element) => boolean): Element | null {
  for (const e of Array.from(item.querySelectorAll(selector))) if (ownedBy(e, item) && (!extra || extra(e))) return e;
  return null;
}

function firstOwnedOf(item: Element, selectors: readonly string[], extra?: (e: Element) => boolean): Element | null {
  for (const s of selectors) {
    const e = firstOwned(item, s, extra);
    if (e) return e;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Media
// ---------------------------------------------------------------------------

/** Avatars, badges, emoji, reaction icons and images of nested items are not the item's media. */
function chromeImage(item: Element): (m: Element) => boolean {
  return (m) => {
    if (!ownedBy(m, item)) return true;
    const src = m.getAttribute('src') ?? '';
    if (/\/rsrc\.php\/|\/emoji\.php\/|^data:/.test(src)) return true;
    // Facebook CDN type "-1" (t1.0-1, t39.30808-1, t1.6435-1...) is a profile picture.
    if (/\/t\d+\.\d+-1\//.test(src)) return true;
    const alt = m.getAttribute('alt') ?? '';
    if (/profile picture|profilbild|photo de profil|foto del perfil/i.test(alt)) return true;
    const w = Number(m.getAttribute('width') ?? '0');
    const h = Number(m.getAttribute('height') ?? '0');
    if ((w > 0 && w <= 40) || (h > 0 && h <= 40)) return true;
    if (m.closest('header, h2, h3, h4, h5, [data-ad-rendering-role="profile_name"], a[aria-hidden="true"][tabindex="-1"]')) return true;
    return false;
  };
}

/** url('...') from an inline style, with CSS escapes ("\\3a " for ":") undone. */
function styleUrl(style: string | null): string | null {
  const m = style ? /url\((['"]?)(.*?)\1\)/.exec(style) : null;
  if (!m) return null;
  return m[2].replace(/\\([0-9a-fA-F]{1,6}) ?/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16))).replace(/\\(.)/g, '$1');
}

function itemMedia(item: Element, base: URL): MediaRef[] {
  const chrome = chromeImage(item);
  // m.facebook inline videos keep the file URL in data-store JSON, and their poster frame is an
  // <img> or a styled <i> inside the player, so the poster must not count as a separate image.
  const videos: MediaRef[] = [];
  for (const v of Array.from(item.querySelectorAll(SEL.mobileVideo))) {
    if (!ownedBy(v, item)) continue;
    const store = safeJson(v.getAttribute('data-store'));
    const url = absUrl(isRecord(store) ? str(store.src) : null, base);
    const posterEl = v.querySelector('img[src], i[style*="url("]');
    const poster = absUrl(posterEl?.tagName.toUpperCase() === 'IMG' ? posterEl.getAttribute('src') : styleUrl(posterEl?.getAttribute('style') ?? null), base);
    videos.push({ kind: 'video', url, poster, why_missing: url ? null : 'video not loaded on the page (no file URL in the markup)' });
  }
  const media = mediaIn(item, base, (m) => chrome(m) || !!m.closest(SEL.mobileVideo));
  return [...media, ...videos.filter((v, i) => !v.url || videos.findIndex((x) => x.url === v.url) === i)];
}

// ---------------------------------------------------------------------------
// Comet (www, 2020+)
// ---------------------------------------------------------------------------

function cometPermalink(item: Element, base: URL): Element | null {
  // The element Facebook names as the post's description often holds the timestamp link.
  const described = (item.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  const doc = item.ownerDocument;
  for (const id of described) {
    const d = doc.getElementById(id);
    if (!d || !item.contains(d)) continue;
    const a = d.matches('a[href]') ? d : d.querySelector('a[href]');
    if (a && SEL.permalinkHref.test(absUrl(a.getAttribute('href'), base) ?? '')) return a;
  }
  return firstOwned(item, 'a[href]', (a) => {
    const href = absUrl(a.getAttribute('href'), base) ?? '';
    return SEL.permalinkHref.test(href) && !/comment_id=/.test(href) && !/\/l\.php/.test(href);
  });
}

function cometAuthorLink(item: Element): Element | null {
  const labelled = item.getAttribute('aria-labelledby');
  if (labelled) {
    const h = item.ownerDocument.getElementById(labelled.split(/\s+/)[0]);
    const a = h && item.contains(h) ? h.querySelector('a[href]') : null;
    if (a) return a;
  }
  return firstOwnedOf(item, SEL.cometAuthor);
}

function storyFor(index: RelayIndex, permalink: string | null, postId: string | null): RelayNode | null {
  if (postId && index.byPostId.has(postId)) return index.byPostId.get(postId) ?? null;
  if (permalink) {
    const n = index.byUrl.get(permalink);
    if (n) return n.post_id ? (index.byPostId.get(n.post_id) ?? n) : n;
  }
  return null;
}

function extractCometPost(el: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const base = ctx.url;
  const doc = el.ownerDocument;
  const index = relayIndex(doc);
  const account = emptyAccount();
  const item = emptyItem();

  const permA = cometPermalink(el, base);
  const permalink = permA ? cleanFbUrl(permA.getAttribute('href'), base) : null;
  let postId = postIdFromUrl(permalink);
  const story = storyFor(index, permalink, postId);
  if (!postId && story?.post_id) postId = story.post_id;
  if (!postId) {
    // On a single-post page the canonical URL names the post by its number.
    const posts = findPosts(doc);
    const canon = cleanFbUrl(doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? readMeta(doc)['og:url'], base);
    if (posts.length === 1 && posts[0] === el) postId = postIdFromUrl(canon);
  }
  item.platform_item_id = postId ?? pfbidFromUrl(permalink);
  item.url = permalink ?? story?.url ?? null;

  // Author
  const authorA = cometAuthorLink(el);
  const nameEl = authorA ?? firstOwnedOf(el, SEL.cometAuthorName);
  account.display_name = cleanText(textOf(nameEl));
  const prof = profileFromUrl(authorA?.getAttribute('href'), base);
  account.handle = prof.handle;
  account.profile_url = prof.url;
  const actor = story?.actors[0] ?? null;
  account.platform_account_id = prof.id ?? actor?.id ?? null;
  if (!account.display_name && actor?.name) account.display_name = actor.name;
  if (!account.profile_url && actor?.url) {
    const p = profileFromUrl(actor.url, base);
    account.profile_url = p.url;
    account.handle = account.handle ?? p.handle;
  }

  // Time: Relay creation_time; the visible link text is only a label.
  const shown = permA ? (cleanText(permA.getAttribute('aria-label')) ?? cleanText(textOf(permA))) : null;
  let t: ResolvedTime = story?.creation_time ? fromJson(story.creation_time, shown) : { iso: null, text: null, source: null };
  if (!t.iso) t = displayedTime(shown, ctx.capturedAt);
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;

  // Text
  const msgEl = firstOwnedOf(el, SEL.cometMessage);
  const shownText = itemText(msgEl, el);
  item.text = shownText;
  if (isTruncated(msgEl)) {
    if (story?.text && shownText && isFullerVersion(story.text, shownText)) {
      item.text = story.text;
      w.push(warning('text-from-page-data', 'The post text on screen was cut short ("See more"); the full text was taken from the data embedded in the page.'));
    } else {
      w.push(warning('text-truncated', 'The post text on screen was cut short ("See more") and the full text was not in the page; expand it before capturing.'));
    }
  }
  if (!item.text && story?.text) item.text = story.text;

  const aud = firstOwned(el, SEL.cometAudience);
  item.visibility = cleanText(aud?.getAttribute('title') ?? aud?.getAttribute('aria-label') ?? null);
  item.media = itemMedia(el, base);
  return makeExtraction(ADAPTER, 'post', account, item, w);
}

/** The comment ids carried by a Comet comment's links. */
function cometCommentIds(el: Element, base: URL): { postId: string | null; commentId: string | null; parentId: string | null; b64: string | null; link: string | null } {
  const out = { postId: null as string | null, commentId: null as string | null, parentId: null as string | null, b64: null as string | null, link: null as string | null };
  for (const a of Array.from(el.querySelectorAll(SEL.commentLink))) {
    if (!ownedBy(a, el)) continue;
    const href = absUrl(a.getAttribute('href'), base);
    if (!href) continue;
    const cid = param(href, 'comment_id');
    const rid = param(href, 'reply_comment_id');
    const decode = (v: string | null): { post: string | null; id: string | null; b64: string | null } => {
      if (!v) return { post: null, id: null, b64: null };
      if (/^\d+$/.test(v)) return { post: null, id: v, b64: null };
      const d = decodeBase64(v);
      const m = d ? /^comment:(\d+)_(\d+)$/.exec(d) : null;
      return m ? { post: m[1], id: m[2], b64: v } : { post: null, id: null, b64: null };
    };
    const c = decode(cid);
    const r = decode(rid);
    // The first link that names the comment gives its ids; a later one may be its real permalink.
    if (!out.commentId && (c.id || r.id)) {
      out.commentId = r.id ?? c.id;
      out.parentId = r.id ? c.id : null;
      out.b64 = r.id ? r.b64 : c.b64;
      out.postId = c.post ?? r.post;
    }
    if (!out.link && SEL.permalinkHref.test(href) && (r.id ?? c.id) === out.commentId) out.link = cleanFbUrl(href, base);
  }
  return out;
}

function extractCometComment(el: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const base = ctx.url;
  const doc = el.ownerDocument;
  const index = relayIndex(doc);
  const account = emptyAccount();
  const item = emptyItem();

  const ids = cometCommentIds(el, base);
  const node = (ids.b64 ? index.nodes.get(ids.b64) : undefined) ?? (ids.commentId ? index.byCommentId.get(ids.commentId) : undefined) ?? null;
  item.platform_item_id = ids.commentId ?? node?.legacy_fbid ?? null;

  // The post this comment is on.
  const post = el.parentElement ? enclosingOf(el.parentElement) : null;
  let postId = ids.postId;
  let postUrl: string | null = null;
  if (post && classify(post) === 'post') {
    const pa = cometPermalink(post, base);
    postUrl = pa ? cleanFbUrl(pa.getAttribute('href'), base) : null;
    postId = postId ?? postIdFromUrl(postUrl) ?? storyFor(index, postUrl, null)?.post_id ?? null;
  }
  item.thread_id = postId;
  item.in_reply_to = ids.parentId ?? postId;

  // Permalink: the one Facebook itself gives the comment's timestamp, else post permalink + comment_id.
  const fromJsonUrl = node?.url ? cleanFbUrl(node.url, base) : null;
  if (fromJsonUrl) item.url = fromJsonUrl;
  else if (ids.link) item.url = ids.link;
  else if (postUrl && item.platform_item_id) {
    const u = new URL(postUrl);
    if (ids.parentId) {
      u.searchParams.set('comment_id', ids.parentId);
      u.searchParams.set('reply_comment_id', item.platform_item_id);
    } else u.searchParams.set('comment_id', item.platform_item_id);
    item.url = u.href;
  }

  // Author: the first link with visible text (the avatar link before it is aria-hidden).
  const authorA = firstOwned(el, 'a[href]', (a) => a.getAttribute('aria-hidden') !== 'true' && !!cleanText(textOf(a)) && !looksRelative(cleanText(textOf(a))));
  account.display_name = cleanText(textOf(authorA)) ?? node?.author?.name ?? null;
  const prof = profileFromUrl(authorA?.getAttribute('href'), base);
  account.handle = prof.handle;
  account.profile_url = prof.url;
  account.platform_account_id = prof.id ?? node?.author?.id ?? null;
  if (!account.profile_url && node?.author?.url) account.profile_url = profileFromUrl(node.author.url, base).url;

  // Time: Relay created_time; the visible "1w" link or the aria-label's tail is the displayed text.
  const timeA = firstOwned(el, 'a[href]', (a) => looksRelative(cleanText(textOf(a))));
  let shown = timeA ? cleanText(textOf(timeA)) : null;
  if (!shown) {
    const label = el.getAttribute('aria-label') ?? '';
    const name = account.display_name ?? '';
    const m = new RegExp(`^(?:Comment|Reply) by ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+(?:to .+?'s? comment\\s+)?(.+)$`).exec(label);
    shown = m ? cleanText(m[1]) : null;
  }
  let t: ResolvedTime = node?.created_time ? fromJson(node.created_time, shown) : { iso: null, text: null, source: null };
  if (!t.iso) t = displayedTime(shown, ctx.capturedAt);
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;

  // Text: the comment's own dir=auto blocks (name link, link cards and replies excluded).
  const blocks = Array.from(el.querySelectorAll('div[dir="auto"]')).filter(
    (d) => ownedBy(d, el) && !d.closest('a') && !d.parentElement?.closest('div[dir="auto"]'),
  );
  const parts = blocks.map((b) => itemText(b, el)).filter((x): x is string => !!x);
  item.text = parts.length ? parts.join('\n') : null;
  const truncated = blocks.some((b) => isTruncated(b));
  if (truncated) {
    if (node?.text && item.text && isFullerVersion(node.text, item.text)) {
      item.text = node.text;
      w.push(warning('text-from-page-data', 'The comment text on screen was cut short ("See more"); the full text was taken from the data embedded in the page.'));
    } else w.push(warning('text-truncated', 'The comment text on screen was cut short ("See more"); expand it before capturing.'));
  }
  if (!item.text && node?.text) item.text = node.text;
  item.media = itemMedia(el, base);
  return makeExtraction(ADAPTER, 'comment', account, item, w);
}

// ---------------------------------------------------------------------------
// Classic www (until ~2020)
// ---------------------------------------------------------------------------

function extractClassicPost(el: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const base = ctx.url;
  const account = emptyAccount();
  const item = emptyItem();

  const sub = firstOwned(el, SEL.classicSubtitle);
  const abbr = (sub ?? el).querySelector(SEL.classicTime);
  const timeA = abbr?.closest('a[href]') ?? sub?.querySelector('a[href]') ?? null;
  item.url = timeA ? cleanFbUrl(timeA.getAttribute('href'), base) : null;

  // ft_ent_identifier is the post id the comment form posts to; the subtitle id repeats it.
  const ent = firstOwned(el, SEL.classicEntId)?.getAttribute('value') ?? null;
  const subId = /^feed_subtitle_\d+;(\d+);/.exec(sub?.id ?? '')?.[1] ?? null;
  item.platform_item_id = (ent && /^\d+$/.test(ent) ? ent : null) ?? subId ?? postIdFromUrl(item.url);

  const authorA = firstOwnedOf(el, SEL.classicAuthor);
  account.display_name = cleanText(textOf(authorA));
  const prof = profileFromUrl(authorA?.getAttribute('href'), base);
  account.handle = prof.handle;
  account.platform_account_id = prof.id ?? /^feed_subtitle_(\d+)[;:]/.exec(sub?.id ?? '')?.[1] ?? null;
  account.profile_url = prof.url;

  const t = abbr ? fromAttribute(abbr.getAttribute('data-utime'), textOf(abbr)) : { iso: null, text: null, source: null };
  const tt = t.iso ? t : displayedTime(abbr ? textOf(abbr) : null, ctx.capturedAt);
  item.posted_at = tt.iso;
  item.posted_at_text = tt.text;
  item.posted_at_source = tt.source;

  const textEl = firstOwnedOf(el, SEL.classicText);
  item.text = itemText(textEl, el);
  const aud = firstOwned(el, SEL.classicAudience);
  item.visibility = cleanText(aud?.getAttribute('data-tooltip-content') ?? aud?.getAttribute('aria-label') ?? null);
  item.media = itemMedia(el, base);
  return makeExtraction(ADAPTER, 'post', account, item, w);
}

function extractClassicComment(el: Element, ctx: ExtractContext): Extraction {
  const base = ctx.url;
  const account = emptyAccount();
  const item = emptyItem();
  const link = firstOwned(el, SEL.commentLink);
  const href = link ? cleanFbUrl(link.getAttribute('href'), base) : null;
  const cid = param(href, 'reply_comment_id') ?? param(href, 'comment_id');
  item.platform_item_id = cid && /^\d+$/.test(cid) ? cid : null;
  item.url = href;
  const parentCid = param(href, 'reply_comment_id') ? param(href, 'comment_id') : null;
  const post = el.parentElement ? enclosingOf(el.parentElement) : null;
  const postId = post ? (firstOwned(post, SEL.classicEntId)?.getAttribute('value') ?? null) : null;
  item.thread_id = postId;
  item.in_reply_to = parentCid ?? postId;
  const authorA = firstOwned(el, 'a[href]', (a) => !!cleanText(textOf(a)) && !a.querySelector(SEL.classicTime) && !a.matches(SEL.commentLink));
  account.display_name = cleanText(textOf(authorA));
  const prof = profileFromUrl(authorA?.getAttribute('href'), base);
  account.handle = prof.handle;
  account.platform_account_id = prof.id;
  account.profile_url = prof.url;
  const abbr = firstOwned(el, SEL.classicTime);
  const t = abbr ? fromAttribute(abbr.getAttribute('data-utime'), textOf(abbr)) : displayedTime(textOf(link), ctx.capturedAt);
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;
  const body = firstOwned(el, '[data-testid="UFI2Comment/body"], [dir="auto"]');
  item.text = itemText(body, el);
  item.media = itemMedia(el, base);
  return makeExtraction(ADAPTER, 'comment', account, item, []);
}

// ---------------------------------------------------------------------------
// m.facebook.com / mbasic (until ~2024)
// ---------------------------------------------------------------------------

interface DataFt {
  top_level_post_id?: unknown;
  mf_story_key?: unknown;
  tl_objid?: unknown;
  content_owner_id_new?: unknown;
  page_insights?: unknown;
}

/** publish_time from data-ft page_insights, preferring the entry that names this post. */
function publishTime(ft: DataFt, postId: string | null): number | null {
  if (!isRecord(ft.page_insights)) return null;
  let any: number | null = null;
  for (const v of Object.values(ft.page_insights)) {
    if (!isRecord(v) || !isRecord(v.post_context)) continue;
    const pt = v.post_context.publish_time;
    if (typeof pt !== 'number') continue;
    const ids = Array.isArray(v.post_context.story_fbid) ? v.post_context.story_fbid.map(String) : [];
    if (postId && ids.includes(postId)) return pt;
    any = any ?? pt;
  }
  return any;
}

/** True when `node` is part of the post itself, not of a story attached to it. */
function mobileOwnContent(node: Element, item: Element): boolean {
  if (!ownedBy(node, item)) return false;
  let cur = node.parentElement;
  while (cur && cur !== item) {
    if (cur.matches(SEL.mobileQuoteBoundary)) return false;
    cur = cur.parentElement;
  }
  return true;
}

function mobileQuoted(el: Element, base: URL): Item['quoted'] {
  const box = firstOwned(el, SEL.mobileAttachedStory, (b) => b !== el && !!b.querySelector(SEL.mobileSubtitle));
  if (!box) return null;
  const sub = box.querySelector(SEL.mobileSubtitle);
  const a = sub?.querySelector('a[href]') ?? null;
  const url = a ? cleanFbUrl(a.getAttribute('href'), base) : null;
  const store = safeJson(box.getAttribute('data-store'));
  const id = postIdFromUrl(url) ?? (isRecord(store) ? (str(store.share_id) ?? str(store.feedback_target)) : null);
  const h3 = box.querySelector('h3');
  const who = h3?.querySelector('a') ?? null;
  const prof = profileFromUrl(who?.getAttribute('href'), base);
  const owner = param(url, 'id');
  const account: Account = {
    display_name: cleanText(textOf(who)),
    handle: prof.handle,
    platform_account_id: prof.id ?? (owner && /^\d+$/.test(owner) ? owner : null),
    profile_url: prof.url,
  };
  const textEl = box.querySelector(SEL.mobileText);
  return {
    platform_item_id: id,
    url,
    account: account.display_name || account.platform_account_id ? account : null,
    text: itemText(textEl, el),
  };
}

/** The post's own permalink: the link around its time, else its first own story link. */
function mobilePermalink(post: Element, base: URL): string | null {
  const sub = firstOwned(post, SEL.mobileSubtitle, (s) => mobileOwnContent(s, post));
  const a =
    sub?.querySelector('a[href]') ??
    firstOwned(post, 'a[href]', (x) => mobileOwnContent(x, post) && SEL.permalinkHref.test(x.getAttribute('href') ?? '') && !/comment_id=/.test(x.getAttribute('href') ?? ''));
  return a ? cleanFbUrl(a.getAttribute('href'), base) : null;
}

function extractMobilePost(el: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const base = ctx.url;
  const account = emptyAccount();
  const item = emptyItem();
  const ftRaw = safeJson(el.getAttribute('data-ft'));
  const ft: DataFt = isRecord(ftRaw) ? ftRaw : {};
  const postId = str(ft.top_level_post_id) ?? str(ft.tl_objid) ?? str(ft.mf_story_key);
  const ownerId = str(ft.content_owner_id_new);
  item.platform_item_id = postId;

  const header = firstOwned(el, 'header') ?? el;
  const h3 = header.querySelector('h3') ?? firstOwned(el, 'h3', (h) => mobileOwnContent(h, el));
  const authorA = h3?.querySelector('a') ?? null;
  account.display_name = cleanText(textOf(authorA) ?? textOf(h3?.querySelector('strong')));
  const prof = profileFromUrl(authorA?.getAttribute('href'), base);
  account.handle = prof.handle;
  account.profile_url = prof.url;
  const ring = /^feed_story_ring(\d+)$/.exec(header.querySelector(SEL.mobileRing)?.getAttribute('data-sigil') ?? '')?.[1] ?? null;
  account.platform_account_id = ownerId ?? prof.id ?? ring;

  const sub = firstOwned(el, SEL.mobileSubtitle, (s) => mobileOwnContent(s, el));
  // mbasic. has no subtitle sigil: its time sits in a footer <abbr>.
  const abbr = sub?.querySelector('abbr') ?? firstOwned(el, 'abbr', (a) => mobileOwnContent(a, el));
  item.url = mobilePermalink(el, base);
  if (!item.url && postId && ownerId) item.url = `${base.origin}/story.php?story_fbid=${postId}&id=${ownerId}`;

  const shown = cleanText(textOf(abbr));
  const pt = publishTime(ft, postId);
  const t = pt !== null ? fromJson(pt, shown) : displayedTime(shown, ctx.capturedAt);
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;

  const textEl = firstOwned(el, SEL.mobileText, (x) => mobileOwnContent(x, el));
  item.text = itemText(textEl, el);
  item.quoted = mobileQuoted(el, base);
  item.visibility = cleanText(sub?.querySelector(SEL.mobileAudience)?.getAttribute('aria-label') ?? null);
  item.media = itemMedia(el, base);
  return makeExtraction(ADAPTER, 'post', account, item, w);
}

function extractMobileComment(el: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const base = ctx.url;
  const account = emptyAccount();
  const item = emptyItem();

  // m. marks the body with a sigil; mbasic. puts it right after the author's <h3>.
  const body = el.querySelector(SEL.mobileCommentBody) ?? el.querySelector('h3 + div');
  const token = body?.getAttribute('data-commentid') ?? (isRecord(safeJson(el.getAttribute('data-store'))) ? str((safeJson(el.getAttribute('data-store')) as Record<string, unknown>).token) : null);
  const idFromToken = token ? (/(?:^|_)(\d+)$/.exec(token)?.[1] ?? null) : null;
  const cid = idFromToken ?? (/^\d+$/.test(el.id) ? el.id : null);
  item.platform_item_id = cid;

  // mbasic. puts the comment area (#ufi_<post id>) beside the post, not inside it.
  const ufiId = /^ufi_(\d+)$/.exec(el.closest('[id^="ufi_"]')?.id ?? '')?.[1] ?? null;
  const parentItem = el.parentElement ? enclosingOf(el.parentElement) : null;
  const post =
    (parentItem && classify(parentItem) === 'post' ? parentItem : null) ??
    (ufiId ? el.ownerDocument.querySelector(`[data-ft*='"top_level_post_id":"${ufiId}"']`) : null);
  const postFt = post ? safeJson(post.getAttribute('data-ft')) : null;
  const postId = (isRecord(postFt) ? str(postFt.top_level_post_id) : null) ?? (token && token.includes('_') ? token.split('_')[0] : null) ?? ufiId;
  item.thread_id = postId;
  // Replies sit in a thread opened from their parent; a top-level comment answers the post.
  const replyTo = el.parentElement?.closest(`${SEL.mobileComment}, ${SEL.basicComment}`);
  item.in_reply_to = replyTo?.id && /^\d+$/.test(replyTo.id) ? replyTo.id : postId;
  let postUrl: string | null = null;
  if (post) postUrl = mobilePermalink(post, base);
  // The markup gives a comment no link of its own; Facebook opens a comment with the post permalink + comment_id.
  if (postUrl && cid) {
    const u = new URL(postUrl);
    u.searchParams.set('comment_id', cid);
    item.url = u.href;
  }

  const nameEl = body?.previousElementSibling ?? null;
  const nameA = nameEl?.querySelector('a[href]') ?? null;
  const avatarAlt = el.querySelector('img[alt$=", profile picture"]')?.getAttribute('alt') ?? null;
  account.display_name = cleanText(textOf(nameEl)) ?? (avatarAlt ? avatarAlt.replace(/, profile picture$/, '') : null);
  const prof = profileFromUrl(nameA?.getAttribute('href'), base);
  account.handle = prof.handle;
  const ring = /^feed_story_ring(\d+)$/.exec(el.querySelector(SEL.mobileRing)?.getAttribute('data-sigil') ?? '')?.[1] ?? null;
  account.platform_account_id = prof.id ?? ring;
  account.profile_url = prof.url ?? (ring ? `https://www.facebook.com/profile.php?id=${ring}` : null);

  const abbr = firstOwned(el, `${SEL.mobileCommentActions} abbr`) ?? firstOwned(el, 'abbr');
  const t = displayedTime(textOf(abbr), ctx.capturedAt);
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;

  item.text = itemText(body, el);
  item.media = itemMedia(el, base);
  return makeExtraction(ADAPTER, 'comment', account, item, w);
}

// ---------------------------------------------------------------------------
// Page-level records
// ---------------------------------------------------------------------------

function findPosts(doc: Document): Element[] {
  return Array.from(doc.querySelectorAll(ITEM_CANDIDATES)).filter((e) => classify(e) === 'post');
}

type PageShape = 'post' | 'profile' | 'group' | 'other';

function pageShape(url: string | null): PageShape {
  if (!url) return 'other';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'other';
  }
  const p = u.pathname;
  if (SEL.permalinkHref.test(p + u.search)) return 'post';
  const segs = p.split('/').filter(Boolean);
  if (segs[0] === 'groups') return segs.length <= 2 || (segs.length === 3 && PROFILE_TABS.has(segs[2])) ? 'group' : 'other';
  return profileFromUrl(url, url).url ? 'profile' : 'other';
}

/** A post known only from the page's Relay JSON (served page, nothing rendered). */
function extractRelayStory(story: RelayNode, ctx: ExtractContext): Extraction {
  const account = emptyAccount();
  const item = emptyItem();
  const actor = story.actors[0] ?? null;
  if (actor) {
    const p = profileFromUrl(actor.url, ctx.url);
    account.display_name = actor.name;
    account.platform_account_id = actor.id ?? p.id;
    account.handle = p.handle;
    account.profile_url = p.url ?? (actor.url ? cleanFbUrl(actor.url, ctx.url) : null);
  }
  item.platform_item_id = story.post_id;
  item.url = story.url ? cleanFbUrl(story.url, ctx.url) : null;
  const t = story.creation_time !== null ? fromJson(story.creation_time) : { iso: null, text: null, source: null };
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;
  item.text = story.text;
  const w = [warning('not-rendered', 'This post was read from the data embedded in the page; it was not shown on screen when the page was saved.')];
  if (story.attachments > 0) w.push(warning('media-not-rendered', 'The post has attachments that were not shown on screen; they are not included.'));
  return makeExtraction(ADAPTER, 'post', actor ? account : null, item, w);
}

/**
 * Posts that exist only in the Relay JSON of a served (not yet rendered) page.
 * Not part of the adapter contract: extractPage can return one record, and on a
 * profile that record is the profile.
 */
export function extractEmbeddedPosts(doc: Document, ctx: ExtractContext): Extraction[] {
  resetMemo();
  try {
    if (findPosts(doc).length > 0) return [];
    return relayStories(relayIndex(doc)).map((s) => extractRelayStory(s, ctx));
  } catch {
    return [];
  }
}

function extractPageImpl(doc: Document, ctx: ExtractContext): Extraction | null {
  const meta = readMeta(doc);
  const canon = cleanFbUrl(doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? meta['og:url'] ?? ctx.url.href, ctx.url);
  const shape = pageShape(canon) === 'other' ? pageShape(ctx.url.href) : pageShape(canon);
  const posts = findPosts(doc);

  if (shape === 'post') {
    if (posts.length > 0) return null;
    // Served permalink page: the post lives in Relay JSON and Open Graph only.
    const index = relayIndex(doc);
    const wanted = postIdFromUrl(canon);
    const stories = relayStories(index);
    const story = (wanted ? index.byPostId.get(wanted) : undefined) ?? (stories.length === 1 ? stories[0] : undefined);
    if (story) {
      const e = extractRelayStory(story, ctx);
      if (!e.item.url) e.item.url = canon;
      return e;
    }
    const item = emptyItem();
    item.platform_item_id = wanted ?? pfbidFromUrl(canon);
    item.url = canon;
    item.text = cleanText(meta['og:description']) ? (meta['og:description'] ?? null) : null;
    item.title = meta['og:title'] ?? null;
    const img = absUrl(meta['og:image'], ctx.url);
    item.media = img ? [{ kind: 'image', url: img, alt: meta['og:image:alt'] ?? null }] : [];
    const account: Account = { ...emptyAccount(), display_name: cleanText(meta['og:title']) };
    return makeExtraction(ADAPTER, 'post', account, item, [
      warning('head-only', 'Only the page summary (Open Graph) was available; the post itself was not on the page.'),
    ]);
  }

  if (shape !== 'profile' && shape !== 'group') return null;
  const index = relayIndex(doc);
  const prof = profileFromUrl(canon, ctx.url);
  const account = emptyAccount();
  const item = emptyItem();
  const w: Warning[] = [];
  const appId = idFromAppLink(meta);
  if (shape === 'group') {
    const seg = canon ? (new URL(canon).pathname.split('/').filter(Boolean)[1] ?? null) : null;
    account.handle = seg && !/^\d+$/.test(seg) ? seg : null;
    account.platform_account_id = appId ?? (seg && /^\d+$/.test(seg) ? seg : null);
    account.profile_url = seg && canon ? `${new URL(canon).origin}/groups/${seg}/` : canon;
  } else {
    account.handle = prof.handle;
    account.platform_account_id = appId ?? prof.id;
    account.profile_url = prof.url;
  }
  account.display_name = index.profileName ?? cleanText(meta['og:title']) ?? cleanText(doc.title);
  item.platform_item_id = account.platform_account_id;
  item.url = account.profile_url;
  item.title = cleanText(meta['og:title']);
  item.text = meta['og:description'] ?? meta['description'] ?? null;
  const img = absUrl(meta['og:image'], ctx.url);
  item.media = img ? [{ kind: 'image', url: img, alt: meta['og:image:alt'] ?? null }] : [];
  if (posts.length === 0) {
    const hidden = relayStories(index).length;
    if (hidden > 0)
      w.push(warning('posts-not-rendered', `The page was saved before it was drawn: ${hidden} post${hidden === 1 ? ' is' : 's are'} present only in the data embedded in the page, not on screen.`));
  }
  return makeExtraction(ADAPTER, 'profile', account, item, w);
}

// ---------------------------------------------------------------------------
// The adapter
// ---------------------------------------------------------------------------

const FB_HOST = /^(?:www\.|m\.|mbasic\.|web\.|touch\.|business\.)?facebook\.com$/;

function failed(kind: ItemKind, e: unknown): Extraction {
  return makeExtraction(ADAPTER, kind, null, emptyItem(), [
    warning('extract-failed', `The item could not be read (${e instanceof Error ? e.message : String(e)}).`),
  ]);
}

export const facebookAdapter: PlatformAdapter = {
  id: ADAPTER.id,
  version: ADAPTER.version,
  label: 'Facebook',

  matchesUrl(url: URL): boolean {
    if (!FB_HOST.test(url.hostname)) return false;
    // Conversations belong to the Messenger adapter.
    return !/^\/messages(\/|$)/.test(url.pathname);
  },

  matchesDocument(doc: Document): boolean {
    const site = doc.querySelector('meta[property="og:site_name"]')?.getAttribute('content');
    const app = doc.querySelector('meta[property="al:android:package"]')?.getAttribute('content');
    return site === 'Facebook' || app === 'com.facebook.katana';
  },

  findItems(doc: Document): Element[] {
    resetMemo();
    try {
      return Array.from(doc.querySelectorAll(ITEM_CANDIDATES)).filter((e) => classify(e) !== null);
    } catch {
      return [];
    }
  },

  enclosingItem(el: Element): Element | null {
    resetMemo();
    try {
      return enclosingOf(el);
    } catch {
      return null;
    }
  },

  kindOf(el: Element): ItemKind {
    resetMemo();
    try {
      return classify(el) === 'comment' ? 'comment' : 'post';
    } catch {
      return 'post';
    }
  },

  extract(el: Element, ctx: ExtractContext): Extraction {
    resetMemo();
    const kind = (() => {
      try {
        return classify(el) ?? 'post';
      } catch {
        return 'post' as const;
      }
    })();
    try {
      const flavor = flavorOf(el);
      if (flavor === 'mobile') return kind === 'comment' ? extractMobileComment(el, ctx) : extractMobilePost(el, ctx);
      if (flavor === 'classic') return kind === 'comment' ? extractClassicComment(el, ctx) : extractClassicPost(el, ctx);
      return kind === 'comment' ? extractCometComment(el, ctx) : extractCometPost(el, ctx);
    } catch (e) {
      return failed(kind, e);
    }
  },

  extractPage(doc: Document, ctx: ExtractContext): Extraction | null {
    resetMemo();
    try {
      return extractPageImpl(doc, ctx);
    } catch (e) {
      return failed('page', e);
    }
  },
};

export default facebookAdapter;
