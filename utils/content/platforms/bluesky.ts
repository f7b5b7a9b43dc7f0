import type { Account, Extraction, Item, ItemKind, MediaRef, Warning } from '../../shared/types';
import { absUrl, canonicalUrl, emptyAccount, emptyItem, ldTypes, makeExtraction, mediaIn, readJsonLd, readMeta, textOf, warning } from '../dom';
import { cleanText, decodeBlueskyTid, fromAttribute, fromJson, fromRelativeText, textOnly, type ResolvedTime } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * Bluesky (bsky.app), a React Native Web app: no generated class names worth
 * anchoring on, but stable `data-testid`s and permalink hrefs.
 *
 * Ids: `platform_item_id` of a post is its AT URI, `at://<did>/app.bsky.feed.post/<rkey>`.
 * The author's DID is read from the page (avatar CDN paths carry it, and served pages
 * link the record's `at://` URI); when the DID is not on the page the URI uses the
 * handle as authority (`at://<handle>/…`, also valid AT syntax, but handles can change,
 * so a warning says so). A profile's id is `at://<did>/app.bsky.actor.profile/self`.
 * `platform_account_id` is the DID. Handles are kept without "@".
 *
 * Time: bsky.app renders no machine-readable time for posts in the DOM (relative text
 * "9h", with the absolute local date only in the link's tooltip/aria-label). The post
 * the page is about gets its time from the page metadata (`article:published_time`);
 * every other post's time is decoded from its record key (a TID) and labelled
 * `id-decoded`, with the tooltip text kept verbatim in `posted_at_text`.
 */

const SEL = {
  threadScreen: '[data-testid="postThreadScreen"]',
  threadItem: '[data-testid^="postThreadItem-by-"]',
  item: '[data-testid^="postThreadItem-by-"], [data-testid^="feedItem-by-"]',
  // The profile-feed/search generation marks text with a testid; the thread
  // generation only with data-word-wrap (also used by quotes, so filtered).
  text: ['[data-testid="postText"]', '[data-word-wrap="1"]'],
  avatar: '[data-testid="userAvatarImage"]',
  postLink: 'a[href*="/post/"]',
  profileLink: 'a[href^="/profile/"]',
  // Quoted posts: a clickable card labelled "Post by <handle>" (English UI); the
  // structural fallback in quoteOf() covers other languages.
  quote: ['[role="link"][aria-label^="Post by "]', '[data-testid="quoteEmbed"]'],
  time: 'time[datetime]',
  timeDisplay: 'div[dir="auto"]',
  contentHider: '[data-testid^="contentHider-"]',
  replyBtn: '[data-testid="replyBtn"]',
  repostCount: ['[data-testid="repostCount-expanded"] span', '[data-testid="repostCount"]'],
  likeCount: ['[data-testid="likeCount-expanded"] span', '[data-testid="likeCount"]'],
  quoteCount: ['[data-testid="quoteCount-expanded"] span'],
  saveCount: ['[data-testid="bookmarkCount-expanded"] span'],
  profileName: '[data-testid="profileHeaderDisplayName"]',
  profileDescription: '[data-testid="profileHeaderDescription"]',
  profileFollowers: '[data-testid="profileHeaderFollowersButton"]',
  profileFollows: '[data-testid="profileHeaderFollowsButton"]',
  profilePager: '[data-testid="profilePager"]',
  atUriLink: 'link[rel="alternate"][href^="at://"]',
} as const;

const VERSION = '1.0.0';
const ORIGIN = 'https://bsky.app';
const POST_HREF = /^(?:https?:\/\/(?:www\.)?bsky\.app)?\/profile\/([^/?#]+)\/post\/([^/?#]+)(\/[^?#]*)?(?:[?#].*)?$/;
const PROFILE_HREF = /^(?:https?:\/\/(?:www\.)?bsky\.app)?\/profile\/([^/?#]+)\/?(?:[?#].*)?$/;
const DID_IN_PATH = /\/(did:(?:plc|web):[A-Za-z0-9._:%-]+)\//;
const AT_URI = /^at:\/\/(did:[a-z]+:[A-Za-z0-9._:%-]+)\/([a-z.]+)\/([^/?#]+)$/i;
// Bidi isolation marks bsky.app wraps names and handles in ("\u202AStephen King\u202C").
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function clean(s: string | null | undefined): string | null {
  return cleanText((s ?? '').replace(BIDI, ''));
}

const BLOCK_TAGS = new Set(['DIV', 'P', 'LI', 'UL', 'OL', 'BLOCKQUOTE', 'PRE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TABLE', 'TR']);

/**
 * Post text as written. bsky.app renders text with `white-space: pre-wrap`, so the line
 * breaks and double spaces are in the text nodes themselves; plain textOf() would fold them
 * into single spaces, and the text is evidence, so it is kept verbatim here.
 */
function verbatimText(el: Element | null | undefined): string | null {
  const t = textOf(el, { preserveWhitespace: 'verbatim', blocks: BLOCK_TAGS })
    ?.replace(BIDI, '')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
  return t ? t : null;
}

/** JSON-LD (bskyweb serves raw line breaks inside strings; readJsonLd tolerates them). */
function jsonLd(doc: Document): Record<string, unknown>[] {
  return readJsonLd(doc, { maxBlocks: 20 });
}

/** textContent, cleaned: for buttons and counters, which textOf deliberately skips. */
function plain(el: Element | null | undefined): string | null {
  return el ? clean(el.textContent) : null;
}

function isDid(s: string): boolean {
  return /^did:[a-z]+:/.test(s);
}

function handleFromTestId(el: Element): string | null {
  const t = el.getAttribute('data-testid') ?? '';
  const m = /^(?:postThreadItem|feedItem)-by-(.+)$/.exec(t);
  return m ? decodeURIComponent(m[1]) : null;
}

function parsePostHref(href: string | null | undefined): { actor: string; rkey: string; rest: string } | null {
  if (!href) return null;
  const m = POST_HREF.exec(href);
  if (!m) return null;
  return { actor: decodeURIComponent(m[1]), rkey: m[2], rest: m[3] ?? '' };
}

/** The URL the page is about (canonical first: saved pages may sit at another address). */
function pagePost(doc: Document, url: URL): { actor: string; rkey: string } | null {
  const canon = canonicalUrl(doc, url);
  return parsePostHref(canon) ?? parsePostHref(readMeta(doc)['og:url']) ?? parsePostHref(url.pathname);
}

function pageProfile(doc: Document, url: URL): string | null {
  const m = PROFILE_HREF.exec(url.pathname) ?? PROFILE_HREF.exec(canonicalUrl(doc, url) ?? '');
  return m ? decodeURIComponent(m[1]) : null;
}

// ---------------------------------------------------------------------------
// Handle → DID, gathered once per document from what the page itself states.

const didCache = new WeakMap<Document, Map<string, string>>();

function didIndex(doc: Document): Map<string, string> {
  const hit = didCache.get(doc);
  if (hit) return hit;
  const map = new Map<string, string>();
  const add = (handle: string | null | undefined, did: string | null | undefined): void => {
    const h = clean(handle)?.replace(/^@/, '').toLowerCase();
    if (h && did && !map.has(h)) map.set(h, did);
  };
  // Avatars are served from /img/avatar…/plain/<did>/<cid>: the link around one names the handle.
  for (const a of Array.from(doc.querySelectorAll(SEL.profileLink)).slice(0, 2000)) {
    const m = PROFILE_HREF.exec(a.getAttribute('href') ?? '');
    if (!m) continue;
    const img = a.querySelector('img[src*="/avatar"]');
    const d = img ? DID_IN_PATH.exec(img.getAttribute('src') ?? '') : null;
    if (d) add(decodeURIComponent(m[1]), d[1]);
  }
  // Served pages: <meta property="profile:username"> + <link rel="alternate" href="at://did/…">.
  const meta = readMeta(doc);
  const at = AT_URI.exec(doc.querySelector(SEL.atUriLink)?.getAttribute('href') ?? '');
  if (at && meta['profile:username']) add(meta['profile:username'], at[1]);
  for (const o of jsonLd(doc)) {
    const person = (o['mainEntity'] ?? o['author']) as Record<string, unknown> | undefined;
    if (person && typeof person === 'object' && typeof person['identifier'] === 'string' && isDid(person['identifier']))
      add(String(person['alternateName'] ?? ''), person['identifier']);
  }
  didCache.set(doc, map);
  return map;
}

function didFor(doc: Document, actor: string): string | null {
  if (isDid(actor)) return actor;
  return didIndex(doc).get(actor.toLowerCase()) ?? null;
}

function atUri(authority: string, collection: string, rkey: string): string {
  return `at://${authority}/${collection}/${rkey}`;
}

// ---------------------------------------------------------------------------
// Items

function isItem(el: Element): boolean {
  return el.matches(SEL.item);
}

/** The quoted-post card inside an item, if any. */
function quoteOf(item: Element, ownRkey: string | null): Element | null {
  for (const s of SEL.quote) {
    const q = item.querySelector(s);
    if (q && q !== item) return q;
  }
  // Fallback: a clickable card around a link to some other post.
  for (const a of Array.from(item.querySelectorAll(SEL.postLink))) {
    const p = parsePostHref(a.getAttribute('href'));
    if (!p || p.rkey === ownRkey || p.rest) continue;
    const card = a.parentElement?.closest('[role="link"]');
    if (card && card !== item && item.contains(card)) return card;
  }
  return null;
}

function outside(el: Element, container: Element | null): boolean {
  return !container || !container.contains(el);
}

/** The item's own record key: its permalink, or the /reposted-by style links of the expanded post. */
function ownPost(item: Element, actor: string | null, ctx: ExtractContext): { rkey: string; actor: string; link: Element | null } | null {
  const links = Array.from(item.querySelectorAll(SEL.postLink));
  // A quote card's link is not ours: the author handle rules it out unless someone quotes themselves,
  // and then the first (outer) permalink still wins because it comes first in the DOM.
  let fallback: { rkey: string; actor: string; link: Element | null } | null = null;
  for (const a of links) {
    const p = parsePostHref(a.getAttribute('href'));
    if (!p || (actor && p.actor.toLowerCase() !== actor.toLowerCase() && !isDid(p.actor))) continue;
    if (!p.rest) return { rkey: p.rkey, actor: p.actor, link: a };
    fallback ??= { rkey: p.rkey, actor: p.actor, link: null };
  }
  if (fallback) return fallback;
  // The expanded post of a thread has no self-link when its counters are hidden: use the page URL.
  const page = pagePost(item.ownerDocument, ctx.url);
  if (page && isAnchor(item, ctx) && (!actor || page.actor.toLowerCase() === actor.toLowerCase())) return { ...page, link: null };
  return null;
}

/** The thread's expanded ("anchor") post: the one the page URL names, or the only non-clickable one. */
function isAnchor(item: Element, ctx: ExtractContext): boolean {
  if (!item.matches(SEL.threadItem)) return false;
  const page = pagePost(item.ownerDocument, ctx.url);
  if (page) {
    for (const a of Array.from(item.querySelectorAll(SEL.postLink))) {
      // A reply that quotes the page's post links to it from inside its quote card: not the anchor.
      const card = a.parentElement?.closest('[role="link"]');
      if (card && card !== item && item.contains(card)) continue;
      const p = parsePostHref(a.getAttribute('href'));
      if (p && p.rkey === page.rkey) return true;
    }
  }
  return item.getAttribute('role') !== 'link';
}

interface Author {
  account: Account;
  avatarLink: Element | null;
}

function authorOf(scope: Element, actor: string | null, exclude: Element | null): Author {
  const doc = scope.ownerDocument;
  const account = emptyAccount();
  const links = Array.from(scope.querySelectorAll(SEL.profileLink)).filter((a) => outside(a, exclude));
  const target = actor?.toLowerCase() ?? null;
  const mine = links.filter((a) => {
    const m = PROFILE_HREF.exec(a.getAttribute('href') ?? '');
    return m && (!target || decodeURIComponent(m[1]).toLowerCase() === target);
  });
  const avatarLink = mine.find((a) => a.querySelector(SEL.avatar) || a.querySelector('img[src*="/avatar"]')) ?? null;
  // A "Reposted by X" line links to X and comes before the avatar, so only names after the avatar count.
  const afterAvatar = avatarLink
    ? mine.filter((a) => a !== avatarLink && (avatarLink.compareDocumentPosition(a) & 4) !== 0)
    : mine;
  let name: string | null = null;
  let shownHandle: string | null = null;
  for (const a of afterAvatar) {
    for (const line of (textOf(a) ?? '').split('\n')) {
      const l = clean(line);
      if (!l) continue;
      if (l.startsWith('@')) shownHandle ??= l.slice(1);
      else name ??= l;
    }
    if (name && shownHandle) break;
  }
  const handle = actor && !isDid(actor) ? actor : shownHandle;
  account.display_name = name;
  account.handle = handle;
  const src = avatarLink?.querySelector('img')?.getAttribute('src') ?? '';
  account.platform_account_id = DID_IN_PATH.exec(src)?.[1] ?? (actor ? didFor(doc, actor) : null) ?? (handle ? didFor(doc, handle) : null);
  const profileActor = handle ?? account.platform_account_id;
  account.profile_url = profileActor ? `${ORIGIN}/profile/${profileActor}` : null;
  return { account, avatarLink };
}

/** Counters as displayed ("3.1K"), by name. */
function metricsOf(item: Element, exclude: Element | null): Record<string, string> {
  const m: Record<string, string> = {};
  const first = (sels: readonly string[]): string | null => {
    for (const s of sels) for (const e of Array.from(item.querySelectorAll(s))) if (outside(e, exclude)) return plain(e);
    return null;
  };
  const reply = Array.from(item.querySelectorAll(SEL.replyBtn)).find((e) => outside(e, exclude));
  const replies = reply ? plain(reply) : null;
  if (replies) m.replies = replies;
  const reposts = first(SEL.repostCount);
  if (reposts) m.reposts = reposts;
  const likes = first(SEL.likeCount);
  if (likes) m.likes = likes;
  const quotes = first(SEL.quoteCount);
  if (quotes) m.quotes = quotes;
  const saves = first(SEL.saveCount);
  if (saves) m.saves = saves;
  return m;
}

function mediaOf(scope: Element, base: URL, exclude: Element | null): MediaRef[] {
  return mediaIn(scope, base, (e) => {
    if (!outside(e, exclude)) return true;
    if (e.closest(SEL.avatar)) return true;
    const src = e.getAttribute('src') ?? '';
    // Avatars (also of labelers and list creators) and banners are not the post's media;
    // everything else the post shows (images, GIFs, link-card and video thumbnails) is.
    return e.tagName.toUpperCase() === 'IMG' && /\/(avatar|avatar_thumbnail|banner)\//.test(src);
  });
}

function textIn(scope: Element, exclude: Element | null): string | null {
  for (const s of SEL.text) {
    for (const e of Array.from(scope.querySelectorAll(s))) {
      if (!outside(e, exclude)) continue;
      return verbatimText(e);
    }
  }
  return null;
}

/** The expanded post shows its absolute time as plain text ("12:55 AM · Jan 27, 2026"). */
function displayedAbsoluteTime(item: Element, exclude: Element | null): string | null {
  for (const e of Array.from(item.querySelectorAll(SEL.timeDisplay))) {
    if (!outside(e, exclude) || e.closest('a, button, [data-word-wrap]') || e.querySelector('div')) continue;
    const t = clean(e.textContent);
    if (t && t.length <= 60 && /\d{1,2}[:.]\d{2}/.test(t) && /\d{4}/.test(t)) return t;
  }
  return null;
}

/** The page's own published time, for the post the page is about. */
function pageTime(doc: Document, displayed: string | null): ResolvedTime {
  const meta = readMeta(doc);
  const attr = fromAttribute(meta['article:published_time'], displayed);
  if (attr.iso) return attr;
  for (const o of jsonLd(doc)) {
    const t = fromJson(o['datePublished'] as string | undefined, displayed);
    if (t.iso) return t;
  }
  if (/posted/i.test(meta['twitter:label1'] ?? '')) return fromAttribute(meta['twitter:value1'], displayed);
  return { iso: null, text: null, source: null };
}

function decodeEntities(s: string): string {
  // bskyweb HTML-escapes the text it puts inside its JSON-LD <script>, where the parser does not undo it.
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : all;
    }
    return named[e.toLowerCase()] ?? all;
  });
}

function extractPost(el: Element, ctx: ExtractContext): Extraction {
  const doc = el.ownerDocument;
  const warnings: Warning[] = [];
  const actor = handleFromTestId(el);
  const own = ownPost(el, actor, ctx);
  const quote = quoteOf(el, own?.rkey ?? null);
  const { account } = authorOf(el, actor ?? own?.actor ?? null, quote);
  const item: Item = emptyItem();
  const anchor = isAnchor(el, ctx);

  if (own) {
    const authority = account.platform_account_id ?? didFor(doc, own.actor) ?? (account.handle || own.actor);
    if (!isDid(authority))
      warnings.push(warning('did-missing', "The account's permanent id (DID) is not on the page; the post id uses the handle, which the account can change."));
    item.platform_item_id = atUri(authority, 'app.bsky.feed.post', own.rkey);
    item.url = `${ORIGIN}/profile/${account.handle ?? own.actor}/post/${own.rkey}`;
    item.id_time = decodeBlueskyTid(own.rkey);
  }

  // Time, best source first.
  const link = own?.link ?? null;
  const tooltip = clean(link?.getAttribute('data-tooltip') ?? link?.getAttribute('aria-label') ?? link?.getAttribute('title'));
  const relative = clean((textOf(link) ?? '').replace(/^[·•]\s*/, ''));
  const timeEl = Array.from(el.querySelectorAll(SEL.time)).find((t) => outside(t, quote));
  const page = pagePost(doc, ctx.url);
  let time: ResolvedTime = { iso: null, text: null, source: null };
  if (timeEl) time = fromAttribute(timeEl.getAttribute('datetime'), textOf(timeEl));
  if (!time.iso && own && anchor && page?.rkey === own.rkey) time = pageTime(doc, displayedAbsoluteTime(el, quote) ?? tooltip);
  if (!time.iso && item.id_time) {
    time = { iso: item.id_time, text: tooltip ?? relative ?? displayedAbsoluteTime(el, quote), source: 'id-decoded' };
    warnings.push(
      warning(
        'time-from-id',
        `The page shows no machine-readable time for this post${tooltip ? ` (it shows "${tooltip}" in the viewer's local time)` : ''}; the time recorded is decoded from the post's record key, which the author's app sets when the post is written.`,
      ),
    );
  }
  if (!time.iso && !time.text) time = fromRelativeText(relative, ctx.capturedAt);
  if (!time.iso && !time.text) time = textOnly(tooltip ?? relative);
  item.posted_at = time.iso;
  item.posted_at_text = time.text;
  item.posted_at_source = time.source;

  item.text = textIn(el, quote);
  item.media = mediaOf(el, ctx.url, quote);
  if (!item.text && item.media.length === 0) {
    const hider = el.querySelector(SEL.contentHider);
    warnings.push(
      hider
        ? warning('content-hidden', 'The post is behind a content warning and its text was not shown on the page.')
        : warning('text-missing', 'No text or media was found for this post.'),
    );
  }
  const metrics = metricsOf(el, quote);
  if (Object.keys(metrics).length) item.metrics = metrics;

  // "Reposted by X" sits above the post and links to X, not to the author.
  const reposter = Array.from(el.querySelectorAll(SEL.profileLink)).find((a) => {
    const m = PROFILE_HREF.exec(a.getAttribute('href') ?? '');
    return m && outside(a, quote) && actor && decodeURIComponent(m[1]).toLowerCase() !== actor.toLowerCase() && a.querySelector('svg');
  });
  if (reposter)
    warnings.push(
      warning('reposted', `Shown here as a repost ("${plain(reposter)}"); the account above is the original author, not the account that reposted it.`),
    );

  if (quote) {
    const qPost = Array.from(quote.querySelectorAll(SEL.postLink))
      .map((a) => parsePostHref(a.getAttribute('href')))
      .find((p) => p && !p.rest);
    const qAuthor = authorOf(quote, qPost?.actor ?? null, null).account;
    const qAuthority = qPost ? qAuthor.platform_account_id ?? didFor(doc, qPost.actor) ?? qPost.actor : null;
    item.quoted = {
      platform_item_id: qPost && qAuthority ? atUri(qAuthority, 'app.bsky.feed.post', qPost.rkey) : null,
      url: qPost ? `${ORIGIN}/profile/${qAuthor.handle ?? qPost.actor}/post/${qPost.rkey}` : null,
      account: qAuthor,
      text: textIn(quote, null),
    };
  }

  const kind: ItemKind = kindOfItem(el, ctx);
  return makeExtraction(blueskyAdapter, kind, account, item, warnings);
}

function kindOfItem(el: Element, ctx: ExtractContext): ItemKind {
  if (!el.matches(SEL.threadItem)) return 'post';
  if (isAnchor(el, ctx)) return 'post';
  // Replies and parents in a thread are replies, except the thread's root (the first item, above the anchor).
  const screen = el.closest(SEL.threadScreen) ?? el.ownerDocument;
  const first = screen.querySelector(SEL.threadItem);
  const anchorFirst = first ? isAnchor(first, ctx) : false;
  return first === el && !anchorFirst ? 'post' : 'comment';
}

// ---------------------------------------------------------------------------
// Profiles

function profileHeader(doc: Document): Element | null {
  const name = doc.querySelector(SEL.profileName);
  if (!name) return null;
  // The header is the largest ancestor that holds the name but none of the feed.
  let e: Element = name;
  while (e.parentElement && e.parentElement !== doc.body) {
    const p = e.parentElement;
    if (p.querySelector(SEL.item) || p.querySelector(SEL.profilePager)) break;
    e = p;
  }
  return e;
}

function extractProfile(doc: Document, header: Element | null, ctx: ExtractContext): Extraction {
  const warnings: Warning[] = [];
  const meta = readMeta(doc);
  const ld = jsonLd(doc);
  const page = ld.find((o) => ldTypes(o).includes('ProfilePage'));
  const person = (page?.['mainEntity'] ?? ld.find((o) => ldTypes(o).includes('Person'))) as Record<string, unknown> | undefined;
  const account = emptyAccount();
  const actor = pageProfile(doc, ctx.url) ?? clean(meta['profile:username']);
  account.display_name = clean(textOf(header?.querySelector(SEL.profileName))) ?? clean(person?.['name'] as string | undefined);
  const ldHandle = clean(person?.['alternateName'] as string | undefined)?.replace(/^@/, '') ?? null;
  account.handle = actor && !isDid(actor) ? actor : ldHandle ?? clean(meta['profile:username']);
  const at = AT_URI.exec(doc.querySelector(SEL.atUriLink)?.getAttribute('href') ?? '');
  const metaDid = /did/i.test(meta['twitter:label1'] ?? '') ? meta['twitter:value1'] : null;
  const ldDid = typeof person?.['identifier'] === 'string' ? (person['identifier'] as string) : null;
  account.platform_account_id =
    (actor && isDid(actor) ? actor : null) ?? (ldDid && isDid(ldDid) ? ldDid : null) ?? (metaDid && isDid(metaDid) ? metaDid : null) ?? at?.[1] ?? (account.handle ? didFor(doc, account.handle) : null);
  account.profile_url = account.handle || account.platform_account_id ? `${ORIGIN}/profile/${account.handle ?? account.platform_account_id}` : null;

  const item = emptyItem();
  item.platform_item_id = account.platform_account_id ? atUri(account.platform_account_id, 'app.bsky.actor.profile', 'self') : null;
  item.url = account.profile_url;
  item.text = header ? verbatimText(header.querySelector(SEL.profileDescription)) : null;
  item.text ??= cleanText(person?.['description'] as string | undefined) ? String(person?.['description']).trim() : clean(meta['og:description']);
  item.media = header ? mediaIn(header, ctx.url) : [];
  const avatar = typeof person?.['image'] === 'string' ? absUrl(person['image'] as string, ctx.url) : null;
  if (item.media.length === 0 && avatar) item.media = [{ kind: 'image', url: avatar, alt: null }];
  const metrics: Record<string, string> = {};
  const followers = header?.querySelector(SEL.profileFollowers);
  const follows = header?.querySelector(SEL.profileFollows);
  // The first span is the number as displayed ("1.1M"); the rest is the word "followers".
  const count = (e: Element | null | undefined): string | null => plain(e?.querySelector('span') ?? e);
  if (count(followers)) metrics.followers = count(followers)!;
  if (count(follows)) metrics.following = count(follows)!;
  // When the account was made is evidence in itself (new accounts made to get round a block).
  const created = fromJson(page?.['dateCreated'] as string | undefined);
  if (created.iso) metrics.account_created = created.iso;
  if (Object.keys(metrics).length) item.metrics = metrics;
  if (!header) warnings.push(warning('page-not-rendered', "The profile was not rendered on the page; the record comes from the page's metadata only."));
  return makeExtraction(blueskyAdapter, 'profile', account, item, warnings);
}

// ---------------------------------------------------------------------------
// The served shell of a post page (bots, no-JS, or saved before the app rendered).

function extractShellPost(doc: Document, ctx: ExtractContext): Extraction {
  const meta = readMeta(doc);
  const ld = jsonLd(doc).find((o) => ldTypes(o).some((t) => /Posting$|Article$/.test(t)));
  const author = (ld?.['author'] ?? {}) as Record<string, unknown>;
  const post = pagePost(doc, ctx.url);
  const at = AT_URI.exec(doc.querySelector(SEL.atUriLink)?.getAttribute('href') ?? '');
  const account = emptyAccount();
  account.display_name = clean(author['name'] as string | undefined) ?? clean(/^(.*?)\s*\(@[^)]+\)$/.exec(meta['og:title'] ?? '')?.[1]);
  account.handle = clean(meta['profile:username']) ?? clean(author['alternateName'] as string | undefined)?.replace(/^@/, '') ?? (post && !isDid(post.actor) ? post.actor : null);
  account.platform_account_id = at?.[1] ?? (post && isDid(post.actor) ? post.actor : null);
  account.profile_url = absUrl(author['url'] as string | undefined, ctx.url) ?? (account.handle ? `${ORIGIN}/profile/${account.handle}` : null);

  const item = emptyItem();
  const warnings: Warning[] = [warning('page-not-rendered', "The post was not rendered on the page; the record comes from the page's metadata (Open Graph / JSON-LD) only.")];
  const rkey = at && at[2] === 'app.bsky.feed.post' ? at[3] : post?.rkey ?? null;
  if (rkey) {
    const authority = account.platform_account_id ?? account.handle;
    item.platform_item_id = authority ? atUri(authority, 'app.bsky.feed.post', rkey) : null;
    item.id_time = decodeBlueskyTid(rkey);
  }
  item.url = canonicalUrl(doc, ctx.url) ?? absUrl(meta['og:url'], ctx.url);
  const t = pageTime(doc, null);
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;
  const ldText = typeof ld?.['text'] === 'string' ? decodeEntities(ld['text'] as string) : null;
  item.text = cleanText(ldText) ? ldText!.trim() : clean(meta['og:description']);
  // og:image is the post's first image, or the author's avatar when the post has none.
  const img = absUrl(meta['og:image'], ctx.url);
  if (img && !/\/avatar/.test(img)) item.media = [{ kind: 'image', url: img, alt: null }];
  const metrics: Record<string, string> = {};
  for (let i = 1; i <= 8; i++) {
    const label = meta[`twitter:label${i}`];
    const value = meta[`twitter:value${i}`];
    if (!label || value === undefined || /posted|did/i.test(label)) continue;
    metrics[label.toLowerCase().replace(/\s+/g, '_')] = value;
  }
  if (Object.keys(metrics).length) item.metrics = metrics;
  return makeExtraction(blueskyAdapter, 'post', account, item, warnings);
}

// ---------------------------------------------------------------------------

function safeExtraction(kind: ItemKind, err: unknown): Extraction {
  return makeExtraction(blueskyAdapter, kind, null, emptyItem(), [
    warning('extract-failed', `The Bluesky adapter could not read this item (${err instanceof Error ? err.message : String(err)}).`),
  ]);
}

export const blueskyAdapter: PlatformAdapter = {
  id: 'bluesky',
  version: VERSION,
  label: 'Bluesky',

  matchesUrl(url: URL): boolean {
    return /^(www\.|staging\.)?bsky\.app$/i.test(url.hostname);
  },

  matchesDocument(doc: Document): boolean {
    const meta = readMeta(doc);
    return meta['generator'] === 'bskyweb' || !!doc.querySelector(`${SEL.threadScreen}, ${SEL.item}`);
  },

  findItems(doc: Document): Element[] {
    const out: Element[] = [];
    const header = profileHeader(doc);
    if (header) out.push(header);
    out.push(...Array.from(doc.querySelectorAll(SEL.item)));
    return out;
  },

  enclosingItem(el: Element): Element | null {
    const item = el.closest(SEL.item);
    if (item) return item;
    const header = profileHeader(el.ownerDocument);
    return header && header.contains(el) ? header : null;
  },

  kindOf(el: Element, ctx: ExtractContext): ItemKind {
    if (!isItem(el)) return el.querySelector(SEL.profileName) ? 'profile' : 'element';
    return kindOfItem(el, ctx);
  },

  extract(el: Element, ctx: ExtractContext): Extraction {
    try {
      if (!isItem(el) && el.querySelector(SEL.profileName)) return extractProfile(el.ownerDocument, el, ctx);
      return extractPost(el, ctx);
    } catch (err) {
      return safeExtraction('post', err);
    }
  },

  extractPage(doc: Document, ctx: ExtractContext): Extraction | null {
    try {
      const meta = readMeta(doc);
      if (pagePost(doc, ctx.url)) {
        // A rendered thread is captured item by item; only the bare shell needs a page record.
        return doc.querySelector(SEL.item) ? null : extractShellPost(doc, ctx);
      }
      if (pageProfile(doc, ctx.url) || meta['og:type'] === 'profile') return extractProfile(doc, profileHeader(doc), ctx);
      return null;
    } catch (err) {
      return safeExtraction('page', err);
    }
  },
};

export default blueskyAdapter;
