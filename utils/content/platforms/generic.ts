import type { Account, Extraction, Item, ItemKind, MediaRef, Warning } from '../../shared/types';
import { absUrl, canonicalUrl, emptyAccount, emptyItem, ldTypes, makeExtraction, mediaIn, readJsonLd, readMeta, textOf, warning } from '../dom';
import { cleanText, fromAttribute, fromJson, fromRelativeText, textOnly, type ResolvedTime } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * The last-resort adapter for any site without its own: it reads the publishing
 * vocabularies sites use on purpose, best first:
 *  - microformats2 `h-entry` (p-author h-card, dt-published, e-content, u-url, u-in-reply-to),
 *  - schema.org microdata (`itemscope itemtype=…/Comment|BlogPosting|…`, `itemprop`),
 *  - JSON-LD and Open Graph / `article:*` / `meta[name=author]` for the page itself,
 *  - plain `<article>`, `<time datetime>` and comment sections (an element with id
 *    "comment-<n>" or class "comment" plus a permalink), as found on forums and blogs.
 *
 * Ids: there is no platform id system, so `platform_item_id` is what the page states:
 * microdata `identifier`, h-entry `u-uid`, the element's own id ("comment-41"), or the
 * fragment of its permalink; otherwise null (warned). JSON-LD `identifier` for the page.
 *
 * It must never throw and must stay fast on any page: every public function is guarded,
 * and item scans, ancestor walks and text lengths are bounded.
 */

const SEL = {
  candidates:
    '.h-entry, .hentry, [itemscope][itemtype], article, [class~="comment"], [id^="comment-"], [id^="comment_"], [id^="div-comment-"]',
  hentry: ['h-entry', 'hentry'],
  hAuthor: '.p-author, .author.vcard, .author.h-card',
  hName: '.p-name, .fn',
  hUrl: '.u-url',
  hUid: '.u-uid',
  hPublished: '.dt-published, .published',
  hContent: ['.e-content', '.p-content', '.entry-content', '.p-summary', '.entry-summary'],
  hInReplyTo: '.u-in-reply-to, [rel~="in-reply-to"]',
  author: ['[rel~="author"]', '[itemprop="author"]', '.comment-author', '.author', '.byline', '[class*="author"]', 'address'],
  time: 'time[datetime]',
  timeText: ['time', '.comment-date', '.comment-metadata', '.date', '.timestamp', '[class*="date"]'],
  permalink: ['a[rel~="bookmark"]', 'a.permalink', '[class*="permalink"] a', 'a[class*="permalink"]'],
  content: [
    '[itemprop="articleBody"]',
    '[itemprop="text"]',
    '.comment-content',
    '.comment-body',
    '.entry-content',
    '.post-content',
    '.post-body',
    '.message-body',
    '.content',
  ],
  avatar: 'img.avatar, img[class*="avatar"], img[alt*="avatar" i]',
  authorBlock: '.p-author, .h-card, .vcard, .author, .comment-author, .byline, [rel~="author"], [itemprop="author"]',
  skipInText: 'header, footer, nav, aside, form, .comment-meta, .comment-metadata, .reply, [class*="share"], [class*="meta"]',
} as const;

const VERSION = '1.0.0';
const POST_TYPES = new Set([
  'SocialMediaPosting',
  'DiscussionForumPosting',
  'BlogPosting',
  'NewsArticle',
  'Article',
  'Report',
  'TechArticle',
  'LiveBlogPosting',
  'Question',
  'Review',
  'VideoObject',
]);
const COMMENT_TYPES = new Set(['Comment', 'Answer']);
const PROFILE_TYPES = new Set(['ProfilePage', 'Person']);
// Class names that sites give replies in a thread (not used to find items, only to label them).
const REPLY_CLASSES = new Set(['p-comment', 'u-comment', 'comment', 'reply', 'answer']);
// "comment-41", "div-comment-41", "comment_9f3a2": one token that has a digit, not "comment-tree-anchor-…".
const COMMENT_ID = /^(?:div-)?comment[-_]?[a-z0-9]*\d[a-z0-9]*$/i;
// Bounds that keep the adapter fast on 4 MB pages.
const MAX_CANDIDATES = 5000;
const MAX_ITEMS = 500;
const MAX_DEPTH = 80;
const MAX_TEXT = 100_000;

// ---------------------------------------------------------------------------
// What counts as an item

function classes(el: Element): string[] {
  return (el.getAttribute('class') ?? '').split(/\s+/).filter(Boolean);
}

function isHEntry(el: Element): boolean {
  const c = classes(el);
  return SEL.hentry.some((h) => c.includes(h));
}

/** The schema.org type of a microdata item ("http://schema.org/Comment" → "Comment"). */
function microType(el: Element): string | null {
  if (!el.hasAttribute('itemscope')) return null;
  const t = (el.getAttribute('itemtype') ?? '').trim().split(/\s+/)[0] ?? '';
  const m = /([A-Za-z]+)\/?$/.exec(t);
  return m ? m[1] : null;
}

function isMicroItem(el: Element): boolean {
  const t = microType(el);
  return !!t && (POST_TYPES.has(t) || COMMENT_TYPES.has(t));
}

function looksLikeComment(el: Element): boolean {
  return COMMENT_ID.test(el.id) || classes(el).includes('comment');
}

function isCommentBlock(el: Element): boolean {
  // A bare "comment" class is common on icons and counters: demand a time, a permalink or an author.
  return looksLikeComment(el) && hasCommentMarkers(el);
}

/**
 * A time, a comment/bookmark link or an author inside the first few hundred descendants.
 * Hand-written rather than querySelector: this runs for every ancestor of every item, and a
 * selector query scans the whole subtree (a whole comment tree on a forum page).
 */
function hasCommentMarkers(el: Element): boolean {
  const stack: Element[] = Array.from(el.children).reverse();
  for (let n = 0; stack.length && n < 400; n++) {
    const e = stack.pop()!;
    const tag = e.tagName.toUpperCase();
    if (tag === 'TIME') return true;
    if (tag === 'A' && (/comment/i.test(e.getAttribute('href') ?? '') || /(^|\s)bookmark(\s|$)/.test(e.getAttribute('rel') ?? ''))) return true;
    if (/author|(^|\s)fn(\s|$)/.test(e.getAttribute('class') ?? '')) return true;
    for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]);
  }
  return false;
}

/** An element that by itself looks like an item (before removing double wrappers). */
function baseItem(el: Element): boolean {
  return isHEntry(el) || isMicroItem(el) || el.tagName.toUpperCase() === 'ARTICLE' || isCommentBlock(el);
}

function idNumber(el: Element): string | null {
  return /(\d+)$/.exec(el.id)?.[1] ?? null;
}

/**
 * WordPress and many forums wrap each comment twice (li#comment-41 > article#div-comment-41,
 * replies in a sibling list). The inner one holds the comment's data, so it is the item and
 * the outer one is only its wrapper.
 */
function innerTwin(el: Element): Element | null {
  const n = idNumber(el);
  if (!n) return null;
  for (const c of Array.from(el.children)) if (idNumber(c) === n && baseItem(c)) return c;
  return null;
}

function isItem(el: Element): boolean {
  return baseItem(el) && !innerTwin(el);
}

function isVocabItem(el: Element): boolean {
  return isHEntry(el) || isMicroItem(el);
}

/** The item this one sits in (a reply's parent comment), seeing through double wrappers. */
function parentItem(el: Element): Element | null {
  let p = el.parentElement;
  for (let i = 0; p && i < MAX_DEPTH; i++, p = p.parentElement) {
    if (!baseItem(p)) continue;
    const twin = innerTwin(p);
    if (twin === el) continue;
    return twin ?? p;
  }
  return null;
}

/** A plain <article> around exactly one h-entry or microdata item says nothing the inner one does not. */
function isPlainWrapper(el: Element, all: Element[]): boolean {
  if (el.tagName.toUpperCase() !== 'ARTICLE' || isVocabItem(el) || looksLikeComment(el)) return false;
  const inner = all.filter((x) => x !== el && el.contains(x));
  return inner.length === 1 && isVocabItem(inner[0]);
}

function findItemsIn(doc: Document): Element[] {
  const cands = Array.from(doc.querySelectorAll(SEL.candidates)).slice(0, MAX_CANDIDATES).filter(isItem);
  const out: Element[] = [];
  for (const el of cands) {
    if (isPlainWrapper(el, cands)) continue;
    out.push(el);
    if (out.length >= MAX_ITEMS) break;
  }
  return out;
}

function kindOfItem(el: Element): ItemKind {
  const t = microType(el);
  if (t && COMMENT_TYPES.has(t)) return 'comment';
  if (t && POST_TYPES.has(t)) return parentItem(el) && isVocabItem(parentItem(el)!) ? 'comment' : 'post';
  const c = classes(el);
  if (c.some((x) => REPLY_CLASSES.has(x)) || looksLikeComment(el)) return 'comment';
  // An h-entry that says what it replies to is a reply.
  if (isHEntry(el) && own(el, SEL.hInReplyTo)) return 'comment';
  const p = parentItem(el);
  // An item inside another (replies in a thread) is a comment, unless the outer one is a plain page section.
  return p && (isVocabItem(p) || looksLikeComment(p)) ? 'comment' : 'post';
}

// ---------------------------------------------------------------------------
// Scoped lookups: a property belongs to the nearest item around it, never to a nested one.

/**
 * Cheap boundary test for scoped lookups (called for every ancestor of every candidate):
 * anything that may be a nested item stops the walk, without isItem()'s subtree queries.
 */
function mayBeItem(el: Element): boolean {
  return el.hasAttribute('itemscope') || el.tagName.toUpperCase() === 'ARTICLE' || isHEntry(el) || looksLikeComment(el);
}

const MAX_OWN = 20_000;
// Own-element lists, valid for one public call only (the live page may change between calls).
let ownCache = new WeakMap<Element, Element[]>();

/**
 * The elements that belong to `root` itself, in document order: its descendants, but not
 * the insides of nested items (each nested item element is listed, its content is not).
 * One bounded walk per item; every property lookup then filters this list.
 */
function ownElements(root: Element): Element[] {
  const hit = ownCache.get(root);
  if (hit) return hit;
  const out: Element[] = [];
  const stack: Element[] = Array.from(root.children).reverse();
  while (stack.length && out.length < MAX_OWN) {
    const e = stack.pop()!;
    out.push(e);
    if (mayBeItem(e)) continue;
    for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]);
  }
  ownCache.set(root, out);
  return out;
}

function insideWithin(root: Element, e: Element, boundary: (x: Element) => boolean): boolean {
  let p = e.parentElement;
  for (let i = 0; p && p !== root && i < MAX_DEPTH; i++, p = p.parentElement) if (boundary(p)) return true;
  return false;
}

function own(root: Element, sel: string, extraBoundary?: (x: Element) => boolean): Element | null {
  for (const e of ownElements(root)) if (e.matches(sel) && (!extraBoundary || !insideWithin(root, e, extraBoundary))) return e;
  return null;
}

function ownAll(root: Element, sel: string): Element[] {
  return ownElements(root).filter((e) => e.matches(sel));
}

const joined = new Map<readonly string[], string>();

/** The first own element matching the first selector of `sels` that matches any (fallback order). */
function ownFirst(root: Element, sels: readonly string[]): Element | null {
  // One combined match per element, then the order of preference among the few hits:
  // element.matches() has a high fixed cost per call in both jsdom and browsers.
  let all = joined.get(sels);
  if (!all) joined.set(sels, (all = sels.join(', ')));
  const hits = ownElements(root).filter((e) => e.matches(all!));
  for (const s of sels) {
    const e = hits.find((h) => h.matches(s));
    if (e) return e;
  }
  return null;
}

function ownProp(scope: Element, name: string): Element | null {
  for (const e of ownElements(scope)) if ((e.getAttribute('itemprop') ?? '').split(/\s+/).includes(name)) return e;
  return null;
}

/** The value of a microdata property, by the rules of the HTML spec (content, datetime, href, src, text). */
function propValue(e: Element | null): string | null {
  if (!e) return null;
  const tag = e.tagName.toUpperCase();
  if (e.hasAttribute('content')) return e.getAttribute('content');
  if (tag === 'TIME') return e.getAttribute('datetime') ?? cleanText(e.textContent);
  if (tag === 'A' || tag === 'LINK' || tag === 'AREA') return e.getAttribute('href');
  if (tag === 'IMG' || tag === 'VIDEO' || tag === 'AUDIO' || tag === 'SOURCE' || tag === 'IFRAME' || tag === 'EMBED') return e.getAttribute('src');
  if (tag === 'META') return e.getAttribute('content');
  if (tag === 'DATA' || tag === 'METER') return e.getAttribute('value');
  return cleanText(e.textContent);
}

function bounded(text: string | null): string | null {
  if (!text) return null;
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function textSkipping(el: Element, skipSel?: string, skipEl?: Element | null): string | null {
  return bounded(
    textOf(el, {
      skip: (e) => e === skipEl || (e !== el && mayBeItem(e) && isItem(e)) || (!!skipSel && e.matches(skipSel)),
    }),
  );
}

function hrefOf(e: Element | null, base: URL): string | null {
  if (!e) return null;
  return absUrl(e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('content') ?? e.getAttribute('value'), base);
}

function timeFrom(e: Element | null, ctx: ExtractContext): ResolvedTime {
  if (!e) return { iso: null, text: null, source: null };
  const timeEl = e.matches('time[datetime], [datetime]') ? e : e.querySelector('time[datetime], [datetime]');
  const shown = cleanText(textOf(e)) ?? cleanText(e.getAttribute('title'));
  const attr = fromAttribute(timeEl?.getAttribute('datetime') ?? e.getAttribute('content') ?? e.getAttribute('title'), shown);
  if (attr.iso) return attr;
  const rel = fromRelativeText(shown, ctx.capturedAt);
  if (rel.iso) return rel;
  return textOnly(shown);
}

function nonMedia(el: Element, root: Element): boolean {
  // The author's avatar: marked as one, or any image in the author block / h-card
  // (an `img.photo` / `u-photo` elsewhere in an h-entry is the entry's own photo).
  if (el.matches(SEL.avatar) || el.closest(SEL.authorBlock)) return true;
  const src = el.getAttribute('src') ?? '';
  if (/gravatar\.com\/avatar|\/avatars?\//i.test(src)) return true;
  // Icons and logos served as SVG carry no alt text; an SVG with a description is content.
  if (/\.svg(\?|$)/i.test(src) && !cleanText(el.getAttribute('alt'))) return true;
  const w = Number(el.getAttribute('width') ?? '0');
  const h = Number(el.getAttribute('height') ?? '0');
  if ((w && w <= 48) || (h && h <= 48)) return true;
  // Media of nested items belong to them.
  let p = el.parentElement;
  for (let i = 0; p && p !== root && i < MAX_DEPTH; i++, p = p.parentElement) if (mayBeItem(p) && isItem(p)) return true;
  return false;
}

// ---------------------------------------------------------------------------
// JSON-LD (tolerant) and page-level metadata

/** JSON-LD, bounded: arbitrary pages can carry huge or deeply nested blocks. */
function jsonLd(doc: Document): Record<string, unknown>[] {
  return readJsonLd(doc, { maxBlocks: 50, maxChars: 2_000_000, maxDepth: 4, maxArray: 200 });
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return cleanText(v);
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return str(v[0]);
  if (v && typeof v === 'object') return str((v as Record<string, unknown>)['@value'] ?? (v as Record<string, unknown>)['name']);
  return null;
}

/** Text kept as written (line breaks matter in posts), but trimmed. */
function longStr(v: unknown): string | null {
  if (typeof v !== 'string') return str(v);
  const t = v.replace(/\r\n?/g, '\n').trim();
  return t ? bounded(t) : null;
}

/** A description as written, its line breaks kept but each line trimmed of source indentation. */
function lines(v: string | null | undefined): string | null {
  if (!v) return null;
  const t = v
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return t ? bounded(t) : null;
}

function obj(v: unknown): Record<string, unknown> | null {
  if (Array.isArray(v)) return obj(v[0]);
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
}

function imageUrl(v: unknown, base: URL): string | null {
  if (typeof v === 'string') return absUrl(v, base);
  if (Array.isArray(v)) return imageUrl(v[0], base);
  const o = obj(v);
  return o ? absUrl(str(o['url']) ?? str(o['contentUrl']), base) : null;
}

function ldAccount(v: unknown, base: URL): Account | null {
  const o = obj(v);
  if (!o && typeof v === 'string') return { ...emptyAccount(), display_name: cleanText(v) };
  if (!o) return null;
  const a = emptyAccount();
  a.display_name = str(o['name']);
  const alt = str(o['alternateName']);
  // alternateName holds the @handle on social sites (Bluesky, YouTube, LinkedIn).
  if (alt && /^@?[\w.@-]+$/.test(alt)) a.handle = alt.replace(/^@/, '');
  const id = str(o['identifier']);
  a.platform_account_id = id && !/^https?:/.test(id) ? id : null;
  a.profile_url = absUrl(str(o['url']) ?? (typeof o['@id'] === 'string' ? (o['@id'] as string) : null), base);
  return a.display_name || a.handle || a.platform_account_id || a.profile_url ? a : null;
}

function countsFrom(o: Record<string, unknown>): Record<string, string> {
  const m: Record<string, string> = {};
  const stats = Array.isArray(o['interactionStatistic']) ? o['interactionStatistic'] : o['interactionStatistic'] ? [o['interactionStatistic']] : [];
  for (const s of (stats as unknown[]).slice(0, 20)) {
    const so = obj(s);
    if (!so) continue;
    const type = str(so['interactionType']) ?? str(obj(so['interactionType'])?.['@type']);
    const n = str(so['userInteractionCount']);
    if (!type || n === null) continue;
    const name = /Like/i.test(type) ? 'likes' : /Comment/i.test(type) ? 'comments' : /Share/i.test(type) ? 'shares' : /Follow/i.test(type) ? 'followers' : /Watch|View/i.test(type) ? 'views' : null;
    if (name && !(name in m)) m[name] = n;
  }
  const cc = str(o['commentCount']);
  if (cc && !('comments' in m)) m.comments = cc;
  return m;
}

interface PageInfo {
  kind: ItemKind;
  account: Account | null;
  item: Item;
  sources: string[];
}

const META_TIME_KEYS = ['article:published_time', 'og:published_time', 'og:article:published_time', 'datePublished', 'date', 'dc.date', 'DC.date', 'DC.date.issued', 'pubdate', 'publish-date', 'sailthru.date'];

function pageInfo(doc: Document, ctx: ExtractContext): PageInfo {
  const meta = readMeta(doc);
  const ld = jsonLd(doc);
  const sources: string[] = [];
  const post = ld.find((o) => ldTypes(o).some((t) => POST_TYPES.has(t) || COMMENT_TYPES.has(t)));
  const profilePage = ld.find((o) => ldTypes(o).includes('ProfilePage'));
  const person = profilePage ? obj(profilePage['mainEntity']) : ld.find((o) => ldTypes(o).includes('Person') && !post);
  const ogType = (meta['og:type'] ?? '').toLowerCase();
  const metaTimeKey = META_TIME_KEYS.find((k) => meta[k]);

  let kind: ItemKind = 'page';
  if (post) kind = 'post';
  else if (profilePage || ogType === 'profile' || (person && ldTypes(person).some((t) => PROFILE_TYPES.has(t)))) kind = 'profile';
  else if (ogType === 'article' && (metaTimeKey || meta['article:author'] || meta['author'])) kind = 'post';
  if (post || profilePage || person) sources.push('JSON-LD');
  if (Object.keys(meta).some((k) => k.startsWith('og:'))) sources.push('Open Graph');

  // Author
  let account: Account | null = ldAccount(post?.['author'] ?? post?.['creator'], ctx.url) ?? (kind === 'profile' ? ldAccount(person, ctx.url) : null);
  const ogName = /^(.+?)\s*\(@([^()\s]+)\)\s*$/.exec(meta['og:title'] ?? '');
  if (!account && ogName && kind !== 'page') account = { ...emptyAccount(), display_name: cleanText(ogName[1]), handle: ogName[2] };
  const metaAuthor = cleanText(meta['author']) ?? cleanText(meta['article:author']);
  if (!account && metaAuthor) {
    const url = /^https?:\/\//.test(metaAuthor) ? absUrl(metaAuthor, ctx.url) : null;
    account = { ...emptyAccount(), display_name: url ? null : metaAuthor, profile_url: url };
  }
  const relAuthor = absUrl(doc.querySelector('link[rel~="author"]')?.getAttribute('href'), ctx.url);
  if (account && !account.profile_url && relAuthor) account.profile_url = relAuthor;
  if (!account && relAuthor && kind !== 'page') account = { ...emptyAccount(), profile_url: relAuthor };

  const item = emptyItem();
  const ldUrl = post ? absUrl(str(post['url']) ?? (typeof post['@id'] === 'string' ? (post['@id'] as string) : null), ctx.url) : null;
  item.url = canonicalUrl(doc, ctx.url) ?? absUrl(meta['og:url'], ctx.url) ?? ldUrl ?? ctx.url.href;
  const ldId = post ? str(post['identifier']) : profilePage ? str(person?.['identifier']) : null;
  item.platform_item_id = ldId && !/^https?:/.test(ldId) ? ldId : null;
  item.title = cleanText(meta['og:title']) ?? str(post?.['headline']) ?? str(post?.['name']) ?? cleanText(doc.title);

  // Time: meta attributes, then JSON-LD, then the page's one <time> when there is exactly one article.
  let t: ResolvedTime = metaTimeKey ? fromAttribute(meta[metaTimeKey]) : { iso: null, text: null, source: null };
  if (!t.iso && post) t = fromJson(str(post['datePublished']) ?? str(post['dateCreated']) ?? str(post['uploadDate']));
  if (!t.iso && kind !== 'page') {
    const arts = doc.querySelectorAll('article');
    if (arts.length === 1) t = timeFrom(arts[0].querySelector(SEL.time), ctx);
  }
  if (t.iso || t.text) {
    item.posted_at = t.iso;
    item.posted_at_text = t.text;
    item.posted_at_source = t.source;
  }

  // Text: the post's own text; for a mere page, its description.
  const body = post ? longStr(post['articleBody']) ?? longStr(post['text']) : null;
  item.text =
    body ?? (kind === 'profile' ? longStr(person?.['description']) : null) ?? lines(meta['og:description']) ?? lines(meta['description']) ?? (post ? longStr(post['description']) : null);

  const media: MediaRef[] = [];
  const seen = new Set<string>();
  const addMedia = (kindOf: MediaRef['kind'], url: string | null, alt: string | null = null): void => {
    if (!url || seen.has(url)) return;
    seen.add(url);
    media.push(kindOf === 'image' ? { kind: 'image', url, alt } : { kind: kindOf, url });
  };
  addMedia('image', absUrl(meta['og:image'] ?? meta['og:image:url'] ?? meta['og:image:secure_url'], ctx.url), cleanText(meta['og:image:alt']));
  addMedia('video', absUrl(meta['og:video'] ?? meta['og:video:url'] ?? meta['og:video:secure_url'], ctx.url));
  if (post) addMedia('image', imageUrl(post['image'] ?? post['thumbnailUrl'], ctx.url));
  if (kind === 'profile' && person) addMedia('image', imageUrl(person['image'], ctx.url));
  item.media = media;

  const metrics = { ...(post ? countsFrom(post) : {}), ...(kind === 'profile' && person ? countsFrom(person) : {}) };
  if (Object.keys(metrics).length) item.metrics = metrics;
  if (metaTimeKey || meta['author']) sources.push('meta tags');
  return { kind, account, item, sources };
}

// ---------------------------------------------------------------------------
// One item

function hEntryAuthor(el: Element, base: URL): Account | null {
  const a = own(el, SEL.hAuthor);
  if (!a) return null;
  const acc = emptyAccount();
  const nameEl = a.matches(SEL.hName) ? a : a.querySelector(SEL.hName);
  acc.display_name = cleanText(textOf(nameEl ?? a)) ?? cleanText(a.querySelector('img[alt]')?.getAttribute('alt'));
  const urlEl = a.matches('a[href]') ? a : a.querySelector('.u-url[href], a[href]');
  acc.profile_url = hrefOf(urlEl, base);
  return acc.display_name || acc.profile_url ? acc : null;
}

function microAuthor(el: Element, base: URL): Account | null {
  const p = ownProp(el, 'author') ?? ownProp(el, 'creator');
  if (!p) return null;
  const acc = emptyAccount();
  if (p.hasAttribute('itemscope')) {
    acc.display_name = cleanText(propValue(ownProp(p, 'name'))) ?? cleanText(textOf(p));
    acc.profile_url = absUrl(propValue(ownProp(p, 'url')), base);
    const alt = cleanText(propValue(ownProp(p, 'alternateName')));
    if (alt && /^@?[\w.@-]+$/.test(alt)) acc.handle = alt.replace(/^@/, '');
    acc.platform_account_id = cleanText(propValue(ownProp(p, 'identifier')));
  } else {
    acc.display_name = cleanText(p.hasAttribute('content') ? p.getAttribute('content') : textOf(p));
    acc.profile_url = p.matches('a[href]') ? hrefOf(p, base) : null;
  }
  return acc.display_name || acc.profile_url ? acc : null;
}

function plainAuthor(el: Element, base: URL): Account | null {
  const a = ownFirst(el, SEL.author);
  if (!a) return null;
  const acc = emptyAccount();
  const nameEl = a.querySelector('.fn, .p-name, [itemprop="name"]') ?? a;
  acc.display_name = cleanText(textOf(nameEl, { skip: (e) => e.matches('time, .says, .screen-reader-text') }))?.replace(/\s+says:?$/i, '') ?? null;
  const link = a.matches('a[href]') ? a : a.querySelector('a[href]');
  acc.profile_url = hrefOf(link, base);
  return acc.display_name || acc.profile_url ? acc : null;
}

function permalinkOf(el: Element, base: URL): string | null {
  const h = own(el, `${SEL.hUrl}[href], ${SEL.hUid}[href]`, (x) => x.matches(SEL.hAuthor));
  if (h && isHEntry(el)) return hrefOf(h, base);
  const micro = ownProp(el, 'url');
  if (micro && el.hasAttribute('itemscope')) return absUrl(propValue(micro), base);
  const explicit = ownFirst(el, SEL.permalink);
  if (explicit) return hrefOf(explicit, base);
  // A link around the item's time, or to the item's own anchor, is its permalink.
  const timeLink = ownAll(el, 'a[href] time, a[href] .dt-published').map((t) => t.closest('a'))[0] ?? null;
  if (timeLink) return hrefOf(timeLink, base);
  if (el.id) {
    const self = ownAll(el, 'a[href*="#"]').find((a) => (a.getAttribute('href') ?? '').endsWith(`#${el.id}`));
    if (self) return hrefOf(self, base);
    // A reply with an id can be linked to on this page (page#id) even without a permalink of its own.
    if (looksLikeComment(el) || kindOfItem(el) === 'comment') {
      const u = new URL(base.href);
      u.hash = el.id;
      return u.href;
    }
  }
  return null;
}

function idOf(el: Element, url: string | null): string | null {
  const uid = own(el, SEL.hUid);
  if (uid && isHEntry(el)) return cleanText(uid.getAttribute('href') ?? textOf(uid));
  const ident = el.hasAttribute('itemscope') ? propValue(ownProp(el, 'identifier')) : null;
  if (ident) return cleanText(ident);
  for (const a of ['data-comment-id', 'data-post-id', 'data-id']) {
    const v = cleanText(el.getAttribute(a));
    if (v) return v;
  }
  const frag = url ? /#(.+)$/.exec(url)?.[1] : null;
  const fragId = frag ? decodeURIComponent(frag) : null;
  // The permalink's anchor names the item as the site does (#comment-41), even when the
  // data sits in an inner wrapper (div-comment-41).
  if (fragId) {
    let e: Element | null = el;
    for (let i = 0; e && i < 3; i++, e = e.parentElement) if (e.id === fragId) return fragId;
  }
  return el.id || fragId;
}

function extractItem(el: Element, ctx: ExtractContext): Extraction {
  const base = ctx.url;
  const warnings: Warning[] = [];
  const kind = kindOfItem(el);
  const h = isHEntry(el);
  const micro = el.hasAttribute('itemscope') && isMicroItem(el);

  const account = (h ? hEntryAuthor(el, base) : null) ?? (micro ? microAuthor(el, base) : null) ?? plainAuthor(el, base);

  const item = emptyItem();
  item.url = permalinkOf(el, base);
  item.platform_item_id = idOf(el, item.url);

  let time: ResolvedTime = { iso: null, text: null, source: null };
  if (h) time = timeFrom(own(el, SEL.hPublished), ctx);
  if (!time.iso && micro) {
    const p = ownProp(el, 'datePublished') ?? ownProp(el, 'dateCreated') ?? ownProp(el, 'uploadDate');
    if (p) {
      const shown = p.tagName.toUpperCase() === 'META' ? null : cleanText(textOf(p));
      const attr = fromAttribute(propValue(p), shown);
      if (attr.iso) time = attr;
      else if (!time.text) time = textOnly(shown ?? propValue(p));
    }
  }
  if (!time.iso) {
    const r = timeFrom(own(el, SEL.time), ctx);
    if (r.iso) time = r;
  }
  if (!time.iso && !time.text) time = timeFrom(ownFirst(el, SEL.timeText), ctx);
  item.posted_at = time.iso;
  item.posted_at_text = time.text;
  item.posted_at_source = time.source;

  const content =
    (h ? ownFirst(el, SEL.hContent) : null) ??
    (micro ? ownProp(el, 'articleBody') ?? ownProp(el, 'text') ?? ownProp(el, 'reviewBody') : null) ??
    ownFirst(el, SEL.content);
  const title = (h ? own(el, '.p-name', (x) => x.matches(SEL.hAuthor)) : null) ?? (micro ? ownProp(el, 'headline') ?? ownProp(el, 'name') : null) ?? own(el, 'h1, h2, h3');
  // Without a marked-up body the whole item is read, minus its header, meta lines and title.
  item.text = content ? textSkipping(content) : textSkipping(el, SEL.skipInText, title);
  const titleText = cleanText(textOf(title));
  if (titleText && titleText !== cleanText(item.text)) item.title = titleText;
  const inReply = h ? own(el, SEL.hInReplyTo) : null;
  item.in_reply_to = hrefOf(inReply, base) ?? null;
  if (!item.in_reply_to && kind === 'comment') {
    const p = parentItem(el);
    if (p) item.in_reply_to = idOf(p, permalinkOf(p, base));
  }
  item.media = mediaIn(el, base, (m) => nonMedia(m, el));

  // The page's one main article: what the page's metadata says about it fills the gaps.
  if (kind === 'post' && isSoleMainItem(el)) {
    const page = pageInfo(el.ownerDocument, ctx);
    // A machine-readable page time beats a relative or unparsed time shown in the article.
    const weak = !item.posted_at || item.posted_at_source === 'relative-text' || item.posted_at_source === 'text';
    if (weak && page.item.posted_at) {
      item.posted_at = page.item.posted_at;
      // Keep what the article displays ("1w") as the verbatim text when it showed something.
      item.posted_at_text = item.posted_at_text ?? page.item.posted_at_text;
      item.posted_at_source = page.item.posted_at_source;
    }
    item.url ??= page.item.url;
    item.platform_item_id ??= page.item.platform_item_id;
    if (!item.title && page.item.title) item.title = page.item.title;
    const acc = account ?? page.account;
    if (!account && page.account) warnings.push(warning('author-from-metadata', "The author was not marked in the article itself; it was taken from the page's metadata."));
    return finish(kind, acc, item, warnings);
  }
  return finish(kind, account, item, warnings);
}

function finish(kind: ItemKind, account: Account | null, item: Item, warnings: Warning[]): Extraction {
  warnings.push(warning('generic-adapter', 'This site has no dedicated adapter; the record was read from the standard markup the site publishes, which may be incomplete.'));
  return makeExtraction(genericAdapter, kind, account, item, warnings);
}

/**
 * True when `el` is the page's only top-level post, so the page's own metadata describes it.
 * Stops at the first other top-level post (a blog index has many), so it stays cheap when
 * called for every item of a long page.
 */
function isSoleMainItem(el: Element): boolean {
  if (parentItem(el)) return false;
  const doc = el.ownerDocument;
  const pools: ArrayLike<Element>[] = [
    doc.getElementsByTagName('article'),
    doc.getElementsByClassName('h-entry'),
    doc.getElementsByClassName('hentry'),
    doc.querySelectorAll('[itemscope][itemtype]'),
  ];
  for (const pool of pools) {
    for (let i = 0; i < pool.length && i < MAX_ITEMS; i++) {
      const c = pool[i];
      if (c === el || c.contains(el) || el.contains(c)) continue;
      if (isItem(c) && !parentItem(c) && kindOfItem(c) === 'post') return false;
    }
  }
  return true;
}

function pageExtraction(doc: Document, ctx: ExtractContext): Extraction {
  const info = pageInfo(doc, ctx);
  const warnings: Warning[] = [];
  if (info.kind !== 'page')
    warnings.push(
      warning('from-metadata', `Read from the page's ${info.sources.length ? info.sources.join(', ') : 'metadata'}, which the site publishes for previews; the visible page may say more.`),
    );
  warnings.push(warning('generic-adapter', 'This site has no dedicated adapter; the record was read from the standard markup the site publishes, which may be incomplete.'));
  if (info.kind === 'profile') info.item.url ??= info.account?.profile_url ?? null;
  return makeExtraction(genericAdapter, info.kind, info.account, info.item, warnings);
}

function failed(kind: ItemKind, err: unknown): Extraction {
  return makeExtraction(genericAdapter, kind, null, emptyItem(), [
    warning('extract-failed', `The page could not be read (${err instanceof Error ? err.message : String(err)}).`),
  ]);
}

export const genericAdapter: PlatformAdapter = {
  id: 'generic',
  version: VERSION,
  label: 'Any website',

  // The last resort: every page is at least a page.
  matchesUrl(): boolean {
    return true;
  },

  findItems(doc: Document): Element[] {
    ownCache = new WeakMap();
    try {
      return findItemsIn(doc);
    } catch {
      return [];
    }
  },

  enclosingItem(el: Element): Element | null {
    try {
      let e: Element | null = el;
      for (let i = 0; e && i < MAX_DEPTH * 2; i++, e = e.parentElement) if (isItem(e)) return e;
      return null;
    } catch {
      return null;
    }
  },

  kindOf(el: Element): ItemKind {
    ownCache = new WeakMap();
    try {
      return isItem(el) ? kindOfItem(el) : 'element';
    } catch {
      return 'element';
    }
  },

  extract(el: Element, ctx: ExtractContext): Extraction {
    ownCache = new WeakMap();
    try {
      return extractItem(el, ctx);
    } catch (err) {
      return failed('element', err);
    }
  },

  extractPage(doc: Document, ctx: ExtractContext): Extraction | null {
    ownCache = new WeakMap();
    try {
      return pageExtraction(doc, ctx);
    } catch (err) {
      return failed('page', err);
    }
  },
};

export default genericAdapter;
