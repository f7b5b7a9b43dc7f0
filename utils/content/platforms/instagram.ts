import type { Account, Extraction, Item, ItemKind, MediaRef, Message, Warning } from '../../shared/types';
import { absUrl, emptyAccount, emptyItem, ldTypes, makeExtraction, mediaIn, readJsonLd, readMeta, textOf, warning } from '../dom';
import { cleanText, decodeInstagramMediaId, decodeInstagramShortcode, firstTime, fromAttribute, fromId, fromJson, fromRelativeText, textOnly, type ResolvedTime } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * Instagram (www.instagram.com).
 *
 * Ids written to the record:
 * - posts/reels: platform_item_id = the shortcode from the permalink ("DM5F3Vzq6TN");
 *   item.url is normalised to https://www.instagram.com/<p|reel|tv>/<shortcode>/ (the
 *   canonical form, which survives a username change). The shortcode is the media id in
 *   base64url; its top bits are milliseconds since Instagram's epoch, stored in id_time.
 * - comments: platform_item_id = the numeric comment id from /c/<id>/ (a reply's own id
 *   from /c/<parent>/r/<id>/); in_reply_to = the parent comment id for a reply, otherwise
 *   the post shortcode; thread_id = the post shortcode.
 * - accounts: platform_account_id = the Instagram user pk when the page states it (JSON or
 *   the instapp:owner_user_id tag). Direct-message parties carry the messaging contact id
 *   instead, prefixed "igd:" because it is a different number space from the user pk.
 * - conversations: platform_item_id = thread_id = the thread id from /direct/t/<id>/ or the
 *   LightSpeed thread key.
 */

const SEL = {
  article: 'article',
  time: 'time[datetime]',
  link: 'a[href]',
  media: 'img, video',
  img: 'img',
  nonText: 'img, video, canvas, svg',
  canonical: 'link[rel="canonical"]',
  /** Where the climb to a post root stops (the post may fill a dialog, never the page). */
  pageBoundary: 'main, [role="dialog"], body',
  paneBoundary: 'main, body',
  profileHeaderName: 'h2',
  /** Layout boundaries an item root never grows past. */
  boundary: 'main, [role="dialog"], article, body',
  profileHeader: 'main header',
  headings: 'h1, h2, h3, h4, h5, h6',
  ui: 'button, [role="button"], svg, [title="Verified"]',
  dataScripts: 'script[type="application/json"]',
  // Direct messages
  threadList: '[aria-label="Thread list"]',
  threadRow: '[role="button"], a[href*="/direct/t/"]',
  threadLink: 'a[href*="/direct/t/"]',
  threadRowName: 'span[title]',
  threadRowTime: 'abbr[aria-label]',
  threadRowText: 'span[dir="auto"]',
  threadListOwner: 'h1, h2',
  conversation: '[role="grid"][aria-label^="Messages in conversation"]',
  conversationLabel: /^Messages in conversation (?:with|titled) /,
  messageRow: '[role="row"]',
  /** Messenger-family builds put the day/time separator of a message group in an h4. */
  separator: 'h4',
  outgoingLabel: /^You (sent|replied|forwarded|unsent)\b/,
  /** Rows that only report delivery or typing are not messages. */
  statusRow: /^(Seen( just now| \d+[smhdw] ago| by .+)?|Delivered|Typing…?|.+ is typing…?)$/i,
  // Patterns on paths and labels
  postPath: /^\/(?:([A-Za-z0-9._]{1,30})\/)?(p|reel|reels|tv)\/([A-Za-z0-9_-]{5,})\/?$/,
  commentPath: /^\/(?:[A-Za-z0-9._]{1,30}\/)?(?:p|reel|tv)\/([A-Za-z0-9_-]{5,})\/c\/(\d+)\/(?:r\/(\d+)\/?)?$/,
  profilePath: /^\/([A-Za-z0-9._]{1,30})\/?$/,
  threadPath: /^\/direct\/t\/([A-Za-z0-9_-]+)\/?$/,
  reservedPaths: new Set([
    'about', 'accounts', 'api', 'ar', 'challenge', 'developer', 'direct', 'directory', 'emails', 'explore', 'legal',
    'locations', 'oauth', 'p', 'privacy', 'reel', 'reels', 'session', 'static', 'stories', 'terms', 'tv', 'web',
  ]),
  avatarAlt: /(profile picture|^user-profile-picture)$/i,
  // Open Graph / title patterns of served pages
  titleNameHandle: /^(.*?)\s*\(@([A-Za-z0-9._]{1,30})\)\s*[•·]\s*Instagram/,
  ogTitleCaption: /^(.*?) on Instagram:\s*[“"]([\s\S]*)[”"]\s*$/,
  ogDescPost: /^(?:([\d.,]+[KMB]?) likes?, ([\d.,]+[KMB]?) comments? - )?([A-Za-z0-9._]{1,30}) on ([A-Z][a-z]+ \d{1,2}, \d{4}): [“"]([\s\S]*?)[”"]\.?\s*$/,
  ogDescProfile: /^([\d.,]+[KMB]?) Followers, ([\d.,]+[KMB]?) Following, ([\d.,]+[KMB]?) Posts/,
  bioInDescription: /on Instagram: [“"]([\s\S]*)[”"]\s*$/,
  profilePageId: /"profilePage_(\d+)"/,
  viewerEimu: /"IG_USER_EIMU":"(\d+)"/,
  lightspeedKey: /^lightspeed_web_request/,
  mediaIdInAppLink: /media\?id=(\d+)/,
} as const;

const BASE = 'https://www.instagram.com';

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function pathOf(href: string | null | undefined, base: URL | string): string | null {
  const abs = absUrl(href, base);
  if (!abs) return null;
  const u = new URL(abs);
  if (!/(^|\.)instagram\.com$/.test(u.hostname) && u.origin !== new URL(String(base)).origin) return null;
  return u.pathname;
}

function docBase(el: Element | Document): string {
  const doc = 'documentElement' in el ? el : el.ownerDocument;
  return doc.URL && /^https?:/.test(doc.URL) ? doc.URL : BASE + '/';
}

interface PostRef {
  code: string;
  kind: 'p' | 'reel' | 'tv';
  user: string | null;
}

function postRef(a: Element): PostRef | null {
  const path = pathOf(a.getAttribute('href'), docBase(a));
  const m = path ? SEL.postPath.exec(path) : null;
  if (!m) return null;
  const kind = m[2] === 'reels' ? 'reel' : (m[2] as 'p' | 'reel' | 'tv');
  return { code: m[3], kind, user: m[1] && !SEL.reservedPaths.has(m[1]) ? m[1] : null };
}

interface CommentRef {
  code: string;
  id: string;
  parentId: string | null;
}

function commentRef(a: Element): CommentRef | null {
  const path = pathOf(a.getAttribute('href'), docBase(a));
  const m = path ? SEL.commentPath.exec(path) : null;
  if (!m) return null;
  return m[3] ? { code: m[1], id: m[3], parentId: m[2] } : { code: m[1], id: m[2], parentId: null };
}

/** The handle a profile link points to, or null for any other link. */
function profileHandle(a: Element | null | undefined): string | null {
  if (!a) return null;
  const path = pathOf(a.getAttribute('href'), docBase(a));
  const m = path ? SEL.profilePath.exec(path) : null;
  if (!m || SEL.reservedPaths.has(m[1].toLowerCase())) return null;
  return m[1];
}

function profileUrl(handle: string | null): string | null {
  return handle ? `${BASE}/${handle}/` : null;
}

function isAvatar(m: Element): boolean {
  const alt = m.getAttribute('alt') ?? '';
  return SEL.avatarAlt.test(alt.trim());
}

function isEmojiImg(m: Element): boolean {
  const alt = m.getAttribute('alt') ?? '';
  return m.tagName.toUpperCase() === 'IMG' && alt !== '' && [...alt].length <= 4 && /\p{Extended_Pictographic}/u.test(alt);
}

function timeOf(t: Element | null | undefined): ResolvedTime {
  if (!t) return { iso: null, text: null, source: null };
  // The visible label ("23w", "August 3, 2025") is kept verbatim; the attribute is the real time.
  const shown = cleanText(t.textContent);
  return firstTime(fromAttribute(t.getAttribute('datetime'), shown), textOnly(shown ?? t.getAttribute('title')));
}

function byDocumentOrder(a: Element, b: Element): number {
  if (a === b) return 0;
  return a.compareDocumentPosition(b) & 4 /* FOLLOWING */ ? -1 : 1;
}

function uniqueInOrder(els: Element[]): Element[] {
  return [...new Set(els)].sort(byDocumentOrder);
}

// ---------------------------------------------------------------------------
// Embedded JSON (Relay "data-sjs" payloads and LightSpeed) — read once per document
// ---------------------------------------------------------------------------

interface JsonUser {
  pk: string | null;
  username: string | null;
  full_name: string | null;
}
interface JsonMedia {
  pk: string | null;
  taken_at: number | null;
  user: JsonUser | null;
  caption: string | null;
}
interface JsonComment {
  user: JsonUser | null;
  created_at: number | null;
  parent_comment_id: string | null;
  text: string | null;
}
interface LsContact {
  id: string;
  name: string | null;
  username: string | null;
  picture: string | null;
  isSelf: boolean;
}
interface LsThread {
  key: string;
  lastActivityMs: string | null;
  snippet: string | null;
  name: string | null;
}
interface LsMessage {
  id: string;
  threadKey: string;
  timestampMs: string;
  senderId: string;
  text: string | null;
}
interface PageData {
  media: Map<string, JsonMedia>;
  comments: Map<string, JsonComment>;
  profileId: string | null;
  contacts: Map<string, LsContact>;
  threads: Map<string, LsThread>;
  participants: Map<string, string[]>;
  messages: LsMessage[];
  viewerId: string | null;
  /** LightSpeed records whose shape did not match what this adapter knows. */
  unrecognised: number;
  hasLightspeed: boolean;
}

const pageDataCache = new WeakMap<Document, PageData>();

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return null;
}

function jsonUser(v: unknown): JsonUser | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const username = str(o.username);
  if (!username) return null;
  return { pk: str(o.pk) ?? str(o.id), username, full_name: str(o.full_name) };
}

/** LightSpeed encodes null as [9] and 64-bit integers as [19, "digits"]. */
function lsValue(v: unknown): unknown {
  if (Array.isArray(v) && v.length === 1 && v[0] === 9) return null;
  if (Array.isArray(v) && v.length === 2 && v[0] === 19) return String(v[1]);
  return v;
}

function lsCalls(step: unknown, out: { name: string; args: unknown[] }[]): void {
  if (!Array.isArray(step)) return;
  if (step[0] === 5 && typeof step[1] === 'string') {
    out.push({ name: step[1], args: step.slice(2).map(lsValue) });
    return;
  }
  for (const c of step) lsCalls(c, out);
}

/*
 * LightSpeed argument positions (observed on the saved inbox page; the same positions are
 * used by the open-source mautrix-meta client's table definitions):
 *   upsertMessage:            0 text, 3 thread key, 5 timestamp ms, 8 message id, 10 sender id
 *   deleteThenInsertThread:   0 last activity ms, 2 snippet, 3 thread name, 7 thread key
 *   verifyContactRowExists:   0 contact id, 2 picture URL, 3 name, 13 is-self, 20 username
 *   addParticipantIdToGroupThread: 0 thread key, 1 contact id
 * Every record is shape-checked; one that does not fit is counted and left out.
 */
function readLightspeed(payload: string, data: PageData): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    data.unrecognised++;
    return;
  }
  const calls: { name: string; args: unknown[] }[] = [];
  lsCalls((parsed as { step?: unknown } | null)?.step, calls);
  const digits = (v: unknown): v is string => typeof v === 'string' && /^\d+$/.test(v);
  for (const { name, args } of calls) {
    if (name === 'upsertMessage') {
      const [text, threadKey, ts, id, sender] = [args[0], args[3], args[5], args[8], args[10]];
      if ((typeof text === 'string' || text === null) && digits(threadKey) && digits(ts) && /^1\d{12}$/.test(ts) && typeof id === 'string' && id.startsWith('mid.') && digits(sender))
        data.messages.push({ id, threadKey, timestampMs: ts, senderId: sender, text: text === '' ? null : text });
      else data.unrecognised++;
    } else if (name === 'deleteThenInsertThread') {
      const [ts, snippet, tname, key] = [args[0], args[2], args[3], args[7]];
      if (digits(key) && (ts === null || digits(ts)))
        data.threads.set(key, { key, lastActivityMs: ts, snippet: str(snippet), name: str(tname) });
      else data.unrecognised++;
    } else if (name === 'verifyContactRowExists') {
      const [id, pic, cname, self, username] = [args[0], args[2], args[3], args[13], args[20]];
      if (digits(id) && (typeof cname === 'string' || cname === null))
        data.contacts.set(id, {
          id,
          name: str(cname),
          username: typeof username === 'string' && /^[A-Za-z0-9._]{1,30}$/.test(username) ? username : null,
          picture: str(pic),
          isSelf: self === true,
        });
      else data.unrecognised++;
    } else if (name === 'addParticipantIdToGroupThread') {
      const [key, contact] = [args[0], args[1]];
      if (digits(key) && digits(contact)) {
        const list = data.participants.get(key) ?? [];
        if (!list.includes(contact)) list.push(contact);
        data.participants.set(key, list);
      }
    }
  }
}

function walkJson(v: unknown, data: PageData, depth = 0): void {
  if (depth > 200 || !v || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) walkJson(x, data, depth + 1);
    return;
  }
  const o = v as Record<string, unknown>;
  const user = jsonUser(o.user);
  if (user && typeof o.code === 'string' && str(o.pk)) {
    const cap = o.caption as Record<string, unknown> | null | undefined;
    if (!data.media.has(o.code))
      data.media.set(o.code, { pk: str(o.pk), taken_at: num(o.taken_at), user, caption: cap && typeof cap === 'object' ? str(cap.text) : null });
  } else if (user && str(o.pk) && typeof o.text === 'string' && 'created_at' in o) {
    data.comments.set(str(o.pk)!, { user, created_at: num(o.created_at), parent_comment_id: str(o.parent_comment_id), text: o.text });
  }
  for (const [k, val] of Object.entries(o)) {
    if (SEL.lightspeedKey.test(k) && val && typeof val === 'object' && typeof (val as { payload?: unknown }).payload === 'string') {
      data.hasLightspeed = true;
      readLightspeed((val as { payload: string }).payload, data);
    } else walkJson(val, data, depth + 1);
  }
}

function pageData(doc: Document): PageData {
  const hit = pageDataCache.get(doc);
  if (hit) return hit;
  const data: PageData = {
    media: new Map(),
    comments: new Map(),
    profileId: null,
    contacts: new Map(),
    threads: new Map(),
    participants: new Map(),
    messages: [],
    viewerId: null,
    unrecognised: 0,
    hasLightspeed: false,
  };
  for (const s of Array.from(doc.querySelectorAll(SEL.dataScripts))) {
    const text = s.textContent ?? '';
    if (!data.profileId) data.profileId = SEL.profilePageId.exec(text)?.[1] ?? null;
    if (!data.viewerId) data.viewerId = SEL.viewerEimu.exec(text)?.[1] ?? null;
    // Only payloads that can hold what we index are parsed; the rest are module config.
    if (!/"(code|created_at|payload)"\s*:/.test(text)) continue;
    try {
      walkJson(JSON.parse(text), data);
    } catch {
      /* a payload we cannot parse is not an error of the page */
    }
  }
  const self = [...data.contacts.values()].find((c) => c.isSelf);
  if (self) data.viewerId = self.id;
  data.messages.sort((a, b) => Number(a.timestampMs) - Number(b.timestampMs));
  pageDataCache.set(doc, data);
  return data;
}

// ---------------------------------------------------------------------------
// Finding items
// ---------------------------------------------------------------------------

/** Links that wrap a time and point at a post/reel (the post's permalink). */
function postTimeLinks(root: ParentNode): Element[] {
  return Array.from(root.querySelectorAll(SEL.link)).filter((a) => a.querySelector(SEL.time) && postRef(a));
}

/** Links that wrap a time and point at a comment (/p/<code>/c/<id>/). */
function commentLinks(root: ParentNode): Element[] {
  return Array.from(root.querySelectorAll(SEL.link)).filter((a) => a.querySelector(SEL.time) && commentRef(a));
}

/**
 * A comment (or caption) block: climb from its time while the parent still holds only
 * this one time. Every comment, reply and caption carries its own time, so the climb
 * stops exactly where the neighbouring block begins, at any nesting depth.
 */
function blockAround(start: Element): Element {
  let el = start;
  while (el.parentElement && !el.parentElement.matches(SEL.boundary) && el.parentElement.querySelectorAll(SEL.time).length <= 1) el = el.parentElement;
  return el;
}

function isPostMedia(m: Element, code: string): boolean {
  if (m.tagName.toUpperCase() === 'VIDEO') return true;
  if (isAvatar(m) || isEmojiImg(m)) return false;
  const a = m.closest(SEL.link);
  const ref = a ? postRef(a) : null;
  // Thumbnails that link to other posts ("More posts from ...") are not this post's media.
  return !(ref && ref.code !== code);
}

/** The element holding a post: its <article>, or the smallest block holding both its permalink and its media. */
function postRoot(link: Element): Element {
  const article = link.closest(SEL.article);
  if (article) return article;
  const code = postRef(link)?.code ?? '';
  let el: Element = link;
  let lastInside: Element = link;
  while (el.parentElement) {
    const p: Element = el.parentElement;
    if (p.matches(SEL.pageBoundary)) break;
    lastInside = p;
    if (Array.from(p.querySelectorAll(SEL.media)).some((m) => isPostMedia(m, code))) return p;
    el = p;
  }
  return lastInside;
}

function threadRows(doc: Document): Element[] {
  const rows: Element[] = [];
  for (const list of Array.from(doc.querySelectorAll(SEL.threadList))) {
    for (const r of Array.from(list.querySelectorAll(SEL.threadRow))) {
      const isLink = r.matches(SEL.threadLink);
      if (!isLink && !(r.querySelector(SEL.threadRowName) || r.querySelector(SEL.threadRowTime))) continue;
      if (!r.querySelector(SEL.img)) continue;
      rows.push(r);
    }
  }
  // A button inside a row link is the same row.
  return rows.filter((r) => !rows.some((o) => o !== r && o.contains(r)));
}

function isThreadRow(el: Element): boolean {
  return !!el.closest(SEL.threadList) && threadRows(el.ownerDocument).includes(el);
}

function conversations(doc: Document): Element[] {
  return Array.from(doc.querySelectorAll(SEL.conversation));
}

/** Message rows of an open conversation: rows holding text or media, not time separators or read receipts. */
function messageRows(grid: Element): Element[] {
  return Array.from(grid.querySelectorAll(SEL.messageRow)).filter((r) => r.closest(SEL.conversation) === grid && isMessageContent(r));
}

function isMessageContent(row: Element): boolean {
  if (isSeparatorRow(row)) return false;
  const text = messageText(row);
  if (text && SEL.statusRow.test(text)) return false;
  return !!text || messageMedia(row).length > 0;
}

function isSeparatorRow(row: Element): boolean {
  if (!row.querySelector(SEL.separator)) return false;
  return !messageText(row) && messageMedia(row).length === 0;
}

function isMessageRow(el: Element): boolean {
  return !!el.closest(SEL.conversation) && el.matches(SEL.messageRow) && isMessageContent(el);
}

function isProfilePage(doc: Document, url: URL): boolean {
  const meta = readMeta(doc);
  if (meta['og:type'] === 'profile') return true;
  const m = SEL.profilePath.exec(url.pathname);
  return !!m && !SEL.reservedPaths.has(m[1].toLowerCase());
}

function profileHeaders(doc: Document, url: URL): Element[] {
  if (!isProfilePage(doc, url)) return [];
  return Array.from(doc.querySelectorAll(SEL.profileHeader)).filter((h) => !h.closest(SEL.article) && h.querySelector(SEL.headings));
}

function findAll(doc: Document, url: URL): Element[] {
  const items: Element[] = [];
  for (const a of postTimeLinks(doc)) items.push(postRoot(a));
  for (const a of commentLinks(doc)) items.push(blockAround(a));
  items.push(...profileHeaders(doc, url));
  items.push(...threadRows(doc));
  for (const grid of conversations(doc)) items.push(grid, ...messageRows(grid));
  return uniqueInOrder(items);
}

function classify(el: Element, url: URL): ItemKind {
  if (el.matches(SEL.conversation)) return 'conversation';
  if (isMessageRow(el)) return 'message';
  if (el.closest(SEL.threadList) && isThreadRow(el)) return 'conversation';
  if (profileHeaders(el.ownerDocument, url).includes(el)) return 'profile';
  const ownComment = commentLinks(el).find((a) => blockAround(a) === el);
  if (ownComment) return 'comment';
  return postTimeLinks(el).length === 0 && commentLinks(el).length === 1 ? 'comment' : 'post';
}

// ---------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------

/**
 * The body text of a caption or comment block: everything except the header line
 * (author name link, time), avatar, buttons and verified badges. Works by taking the
 * largest sub-blocks that hold neither the time nor the author's name link, so mentions
 * and hashtags inside the text stay.
 */
function bodyText(block: Element, handle: string | null): string | null {
  const isAuthorLink = (e: Element): boolean =>
    e.matches(SEL.link) && !!handle && profileHandle(e) === handle && !(cleanText(e.textContent) ?? '').startsWith('@');
  const holdsHeader = (e: Element): boolean =>
    e.matches(SEL.time) || !!e.querySelector(SEL.time) || isAuthorLink(e) || Array.from(e.querySelectorAll(SEL.link)).some(isAuthorLink);
  const isUi = (e: Element): boolean => e.matches(SEL.ui);
  const parts: string[] = [];
  const visit = (e: Element): void => {
    for (const c of Array.from(e.children)) {
      if (c.matches(SEL.nonText)) continue;
      // A button that wraps the header (legacy comment rows are role=button) is a wrapper, not UI.
      if (holdsHeader(c)) {
        // Legacy pages put the author in an h2/h3 with a verified badge next to the name.
        if (c.matches(SEL.headings) && Array.from(c.querySelectorAll(SEL.link)).some(isAuthorLink)) continue;
        if (!isAuthorLink(c) && !c.matches(SEL.time)) visit(c);
        continue;
      }
      if (isUi(c)) continue;
      const t = textOf(c, { skip: isUi });
      if (t && !/^[•·]$/.test(t)) parts.push(t);
    }
  };
  visit(block);
  const text = parts.join('\n').trim();
  return text === '' ? null : text;
}

/**
 * A caption line without a time: the smallest block around an author-name link that holds
 * more than the name, unless it is the header line (the one holding the post's permalink).
 */
function captionByAuthorLine(root: Element, handle: string | null, permalink: Element | null, inComment: (e: Element) => boolean): Element | null {
  if (!handle) return null;
  for (const a of Array.from(root.querySelectorAll(SEL.link))) {
    const name = cleanText(a.textContent);
    if (profileHandle(a) !== handle || inComment(a) || !name || name.startsWith('@')) continue;
    let el: Element = a;
    while (el.parentElement && el.parentElement !== root && cleanText(el.parentElement.textContent) === name) el = el.parentElement;
    const block = el.parentElement;
    if (!block || block === root || (permalink && block.contains(permalink)) || block.querySelector(SEL.time)) continue;
    return block;
  }
  return null;
}

function firstProfileLink(root: Element): Element | null {
  return Array.from(root.querySelectorAll(SEL.link)).find((a) => profileHandle(a) && !(cleanText(a.textContent) ?? '').startsWith('@')) ?? null;
}

// ---------------------------------------------------------------------------
// Page-level facts (served Open Graph tags, main post of the page)
// ---------------------------------------------------------------------------

function pageShortcode(doc: Document, url: URL): string | null {
  const meta = readMeta(doc);
  for (const u of [url.href, meta['og:url'], doc.querySelector(SEL.canonical)?.getAttribute('href')]) {
    const path = pathOf(u, url);
    const m = path ? SEL.postPath.exec(path) : null;
    if (m) return m[3];
  }
  return null;
}

function nameFromTitles(meta: Record<string, string>, doc: Document): { name: string | null; handle: string | null } {
  for (const t of [meta['twitter:title'], meta['og:title'], doc.title]) {
    const m = t ? SEL.titleNameHandle.exec(t) : null;
    if (m) return { name: cleanText(m[1]), handle: m[2] };
  }
  return { name: null, handle: null };
}

/** Facts the page states about its own main post (only valid for the post whose shortcode the page is about). */
function mainPostFacts(doc: Document): { name: string | null; handle: string | null; ownerId: string | null; caption: string | null } {
  const meta = readMeta(doc);
  let { name, handle } = nameFromTitles(meta, doc);
  let caption: string | null = null;
  const og = meta['og:title'] ? SEL.ogTitleCaption.exec(meta['og:title']) : null;
  if (og) {
    name = name ?? cleanText(og[1]);
    caption = og[2];
  }
  const desc = meta['og:description'] ?? meta.description;
  const d = desc ? SEL.ogDescPost.exec(desc) : null;
  if (d) {
    handle = handle ?? d[3];
    caption = d[5] || caption;
  }
  if (!handle) {
    for (const o of readJsonLd(doc)) {
      const author = o.author as Record<string, unknown> | undefined;
      const alt = author && typeof author.alternateName === 'string' ? author.alternateName.replace(/^@/, '') : null;
      if (alt) handle = alt;
    }
  }
  return { name, handle, ownerId: meta['instapp:owner_user_id'] ?? null, caption };
}

// ---------------------------------------------------------------------------
// Extraction: posts and comments
// ---------------------------------------------------------------------------

function accountFor(handle: string | null, json: JsonUser | null, extra: Partial<Account> = {}): Account {
  const a = emptyAccount();
  a.handle = handle;
  a.profile_url = profileUrl(handle);
  // JSON is only trusted for the same person the page shows.
  if (json && handle && json.username === handle) {
    a.platform_account_id = json.pk;
    a.display_name = json.full_name;
  }
  if (!a.display_name && extra.display_name) a.display_name = extra.display_name;
  if (!a.platform_account_id && extra.platform_account_id) a.platform_account_id = extra.platform_account_id;
  return a;
}

function extractPost(el: Element, ctx: ExtractContext): Extraction {
  const warnings: Warning[] = [];
  const doc = el.ownerDocument;
  const data = pageData(doc);
  const links = postTimeLinks(el);
  const link = links.find((a) => postRoot(a) === el) ?? links[0] ?? null;
  const ref = link ? postRef(link) : null;
  const code = ref?.code ?? null;
  const commentBlocks = commentLinks(el).map(blockAround);
  const inComment = (e: Element): boolean => commentBlocks.some((b) => b.contains(e));

  // The caption is the block around a time that is not a link (the permalink time is a link).
  const captionTime = Array.from(el.querySelectorAll(SEL.time)).find((t) => !t.closest(SEL.link) && !inComment(t)) ?? null;
  let captionBlock = captionTime ? blockAround(captionTime) : null;

  const headerLink = Array.from(el.querySelectorAll(SEL.link)).find((a) => profileHandle(a) && !inComment(a) && !(cleanText(a.textContent) ?? '').startsWith('@')) ?? null;
  const json = code ? data.media.get(code) ?? null : null;
  const isMain = !!code && code === pageShortcode(doc, ctx.url);
  const main = isMain ? mainPostFacts(doc) : null;
  // The caption's author, then the owner named in the permalink (/<user>/reel/<code>/), then the header.
  const handle =
    profileHandle(captionBlock && firstProfileLink(captionBlock)) ?? ref?.user ?? profileHandle(headerLink) ?? json?.user?.username ?? main?.handle ?? null;
  const account = accountFor(handle, json?.user ?? null, main && main.handle === handle ? { display_name: main.name, platform_account_id: main.ownerId } : {});

  const item: Item = emptyItem();
  item.platform_item_id = code;
  item.url = code && ref ? `${BASE}/${ref.kind}/${code}/` : null;
  const t = firstTime(timeOf(link?.querySelector(SEL.time)), json?.taken_at ? fromJson(json.taken_at) : { iso: null, text: null, source: null });
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;
  item.id_time = code ? decodeInstagramShortcode(code) : null;

  // Feed posts show the caption as "<author> <text>" with no time of its own.
  captionBlock = captionBlock ?? captionByAuthorLine(el, handle, link, inComment);
  let text = captionBlock ? bodyText(captionBlock, handle) : null;
  if (!text && !captionBlock) {
    text = json?.caption ?? main?.caption ?? null;
    if (text) warnings.push(warning('text-from-page-data', 'The caption is not shown on the page; it was read from data embedded in the page.'));
    else warnings.push(warning('text-not-found', 'No caption was found on the page for this post (it may have none, or it was not loaded).'));
  }
  item.text = text;
  item.media = mediaIn(el, ctx.url, (m) => isAvatar(m) || isEmojiImg(m) || inComment(m) || !isPostMedia(m, code ?? ''));
  if (!link) warnings.push(warning('permalink-not-found', 'The post has no permalink with a time on the page.'));
  return makeExtraction(instagramAdapter, 'post', account, item, warnings);
}

function extractComment(el: Element, ctx: ExtractContext): Extraction {
  const warnings: Warning[] = [];
  const data = pageData(el.ownerDocument);
  const link = commentLinks(el).find((a) => blockAround(a) === el) ?? commentLinks(el)[0] ?? null;
  const ref = link ? commentRef(link) : null;
  const authorLink = firstProfileLink(el);
  const handle = profileHandle(authorLink);
  const json = ref ? data.comments.get(ref.id) ?? null : null;
  const account = accountFor(handle, json?.user ?? null);

  const item = emptyItem();
  item.platform_item_id = ref?.id ?? null;
  item.url = ref ? `${BASE}/p/${ref.code}/c/${ref.parentId ? `${ref.parentId}/r/${ref.id}` : ref.id}/` : null;
  const t = firstTime(timeOf(link?.querySelector(SEL.time)), json?.created_at ? fromJson(json.created_at) : { iso: null, text: null, source: null });
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;
  item.thread_id = ref?.code ?? null;
  const parent = ref?.parentId ?? (json && json.user?.username === handle ? json.parent_comment_id : null);
  item.in_reply_to = parent ?? ref?.code ?? null;
  item.text = bodyText(el, handle);
  item.media = mediaIn(el, ctx.url, (m) => isAvatar(m) || isEmojiImg(m));
  if (!item.text && item.media.length === 0) warnings.push(warning('text-not-found', 'No text was found for this comment.'));
  return makeExtraction(instagramAdapter, 'comment', account, item, warnings);
}

// ---------------------------------------------------------------------------
// Extraction: profiles and served (head-only) pages
// ---------------------------------------------------------------------------

function extractProfile(doc: Document, ctx: ExtractContext, header: Element | null): Extraction {
  const warnings: Warning[] = [];
  const meta = readMeta(doc);
  const data = pageData(doc);
  const titles = nameFromTitles(meta, doc);
  const urlHandle = SEL.profilePath.exec(pathOf(meta['og:url'], ctx.url) ?? ctx.url.pathname)?.[1] ?? null;
  const handle = titles.handle ?? (header ? cleanText(textOf(header.querySelector(SEL.profileHeaderName))) : null) ?? urlHandle;

  const account = emptyAccount();
  account.handle = handle;
  account.display_name = titles.name;
  account.platform_account_id = data.profileId;
  account.profile_url = profileUrl(handle);

  const item = emptyItem();
  item.platform_item_id = data.profileId;
  item.url = account.profile_url;
  const desc = meta.description ?? meta['og:description'] ?? '';
  const bio = SEL.bioInDescription.exec(desc)?.[1] ?? null;
  item.text = bio;
  const counts = SEL.ogDescProfile.exec(meta['og:description'] ?? desc);
  if (counts) item.metrics = { followers: counts[1], following: counts[2], posts: counts[3] };
  const avatar = (header && Array.from(header.querySelectorAll(SEL.img)).find(isAvatar)?.getAttribute('src')) ?? meta['og:image'] ?? null;
  const avatarUrl = absUrl(avatar, ctx.url);
  item.media = avatarUrl ? [{ kind: 'image', url: avatarUrl, alt: 'profile picture' }] : [];
  if (!header) warnings.push(warning('served-page-only', 'The profile was not rendered on the page; the record comes from its link-preview (Open Graph) tags.'));
  if (!bio) warnings.push(warning('bio-not-found', 'The profile description (bio) was not found on the page.'));
  return makeExtraction(instagramAdapter, 'profile', account, item, warnings);
}

function extractServedPost(doc: Document, ctx: ExtractContext): Extraction | null {
  const meta = readMeta(doc);
  const code = pageShortcode(doc, ctx.url);
  if (!code) return null;
  const path = pathOf(meta['og:url'], ctx.url) ?? pathOf(doc.querySelector(SEL.canonical)?.getAttribute('href'), ctx.url) ?? ctx.url.pathname;
  const kind = SEL.postPath.exec(path)?.[2] === 'reel' ? 'reel' : SEL.postPath.exec(path)?.[2] === 'tv' ? 'tv' : 'p';
  const facts = mainPostFacts(doc);
  const json = pageData(doc).media.get(code) ?? null;
  const warnings: Warning[] = [
    warning('served-page-only', 'The post was not rendered on the page; the record comes from its link-preview (Open Graph) tags and embedded data.'),
  ];
  const account = accountFor(facts.handle ?? json?.user?.username ?? null, json?.user ?? null, { display_name: facts.name, platform_account_id: facts.ownerId });

  const item = emptyItem();
  item.platform_item_id = code;
  item.url = `${BASE}/${kind}/${code}/`;
  item.id_time = decodeInstagramShortcode(code);
  const desc = meta['og:description'] ?? meta.description ?? '';
  const d = SEL.ogDescPost.exec(desc);
  const shownDate = d?.[4] ?? null;
  const ld = readJsonLd(doc).find((o) => typeof o.uploadDate === 'string' || typeof o.dateCreated === 'string');
  const appId = SEL.mediaIdInAppLink.exec(meta['al:ios:url'] ?? '')?.[1] ?? null;
  const decoded = item.id_time ?? (appId ? decodeInstagramMediaId(appId) : null);
  const t = firstTime(
    json?.taken_at ? fromJson(json.taken_at, shownDate) : { iso: null, text: null, source: null },
    ld ? fromJson(String(ld.uploadDate ?? ld.dateCreated), shownDate) : { iso: null, text: null, source: null },
    decoded ? { iso: decoded, text: shownDate ?? code, source: 'id-decoded' } : fromId(null, code),
    textOnly(shownDate),
  );
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;
  if (t.source === 'id-decoded')
    warnings.push(warning('time-from-id', `The page shows only the date${shownDate ? ` ("${shownDate}")` : ''}; the time recorded was decoded from the post's id (when the upload was created).`));
  item.text = json?.caption ?? facts.caption;
  if (item.text) warnings.push(warning('text-from-meta', "The caption was read from the page's link-preview tags or embedded data, which Instagram may shorten."));
  if (d?.[1] || d?.[2]) item.metrics = { ...(d[1] ? { likes: d[1] } : {}), ...(d[2] ? { comments: d[2] } : {}) };
  const image = absUrl(meta['og:image'] ?? meta['twitter:image'], ctx.url);
  const video = absUrl(meta['og:video'] ?? meta['og:video:secure_url'], ctx.url);
  const media: MediaRef[] = [];
  if (video) media.push({ kind: 'video', url: video, poster: image });
  else if (image) media.push({ kind: 'image', url: image, alt: null });
  item.media = media;
  return makeExtraction(instagramAdapter, 'post', account, item, warnings);
}

// ---------------------------------------------------------------------------
// Extraction: direct messages
// ---------------------------------------------------------------------------

function lsAccount(c: LsContact | undefined, displayed: string | null = null): Account | null {
  if (!c) return null;
  return {
    display_name: displayed ?? c.name,
    handle: c.username,
    platform_account_id: `igd:${c.id}`,
    profile_url: profileUrl(c.username),
  };
}

function fileName(u: string | null | undefined): string | null {
  if (!u) return null;
  try {
    return new URL(u, BASE).pathname.split('/').pop() ?? null;
  } catch {
    return null;
  }
}

function sameName(a: string | null, b: string | null): boolean {
  return !!a && !!b && a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
}

/** Which LightSpeed thread a thread-list row shows: by the other party's name, then their picture. */
function matchThread(data: PageData, name: string | null, avatarSrc: string | null): { thread: LsThread; other: LsContact | undefined } | null {
  const candidates: { thread: LsThread; other: LsContact | undefined }[] = [];
  for (const thread of data.threads.values()) {
    const others = (data.participants.get(thread.key) ?? [thread.key]).filter((id) => id !== data.viewerId).map((id) => data.contacts.get(id));
    const other = others.length === 1 ? others[0] : undefined;
    if (sameName(thread.name, name) || (other && sameName(other.name, name))) candidates.push({ thread, other });
  }
  if (candidates.length === 1) return candidates[0];
  const pic = fileName(avatarSrc);
  const byPic = candidates.filter((c) => pic && fileName(c.other?.picture) === pic);
  return byPic.length === 1 ? byPic[0] : null;
}

function viewerAccount(doc: Document, data: PageData): Account | null {
  const self = data.viewerId ? data.contacts.get(data.viewerId) : undefined;
  if (self) return lsAccount(self);
  // The thread list is headed by the logged-in account's username.
  const owner = cleanText(textOf(doc.querySelector(SEL.threadList)?.querySelector(SEL.threadListOwner)));
  if (owner && /^[A-Za-z0-9._]{1,30}$/.test(owner)) return { ...emptyAccount(), handle: owner, profile_url: profileUrl(owner) };
  return null;
}

function extractThreadRow(el: Element, ctx: ExtractContext): Extraction {
  const doc = el.ownerDocument;
  const data = pageData(doc);
  const warnings: Warning[] = [];
  const nameEl = el.querySelector(SEL.threadRowName);
  const name = cleanText(nameEl?.getAttribute('title')) ?? cleanText(textOf(nameEl));
  const avatar = Array.from(el.querySelectorAll(SEL.img)).find((i) => !i.closest(SEL.threadRowName))?.getAttribute('src') ?? null;
  const abbr = el.querySelector(SEL.threadRowTime);
  const shownTime = cleanText(abbr?.textContent);
  const preview = Array.from(el.querySelectorAll(SEL.threadRowText)).find(
    (s) => !s.querySelector(`${SEL.threadRowName}, ${SEL.threadRowTime}`) && !s.closest(SEL.threadRowName) && !s.closest(SEL.threadRowTime),
  );
  const linkId = SEL.threadPath.exec(pathOf(el.closest(SEL.threadLink)?.getAttribute('href') ?? el.getAttribute('href'), ctx.url) ?? '')?.[1] ?? null;
  const match = data.threads.size ? matchThread(data, name, avatar) : null;

  // The conversation open beside the list, under the same name, is this row's thread.
  const openGrid = conversations(doc).find((g) => sameName((g.getAttribute('aria-label') ?? '').replace(SEL.conversationLabel, ''), name)) ?? null;
  const open = openGrid ? conversationContext(openGrid, ctx) : null;
  const account: Account = lsAccount(match?.other, name) ?? open?.other ?? { ...emptyAccount(), display_name: name };
  const item = emptyItem();
  item.platform_item_id = linkId ?? match?.thread.key ?? open?.threadId ?? null;
  item.thread_id = item.platform_item_id;
  item.url = item.platform_item_id && (linkId || open) ? `${BASE}/direct/t/${item.platform_item_id}/` : null;
  item.title = name;
  item.text = cleanText(textOf(preview));
  const t = firstTime(
    match?.thread.lastActivityMs ? fromJson(match.thread.lastActivityMs, shownTime) : { iso: null, text: null, source: null },
    fromRelativeText(shownTime, ctx.capturedAt),
    textOnly(shownTime ?? abbr?.getAttribute('aria-label')),
  );
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;

  const messages: Message[] = [];
  if (match) {
    const viewer = viewerAccount(doc, data);
    for (const m of data.messages.filter((x) => x.threadKey === match.thread.key)) {
      const outgoing = data.viewerId ? m.senderId === data.viewerId : null;
      const mt = fromJson(m.timestampMs);
      messages.push({
        id: m.id,
        sender: outgoing ? viewer : lsAccount(data.contacts.get(m.senderId), m.senderId === match.other?.id ? name : null),
        outgoing,
        sent_at: mt.iso,
        sent_at_text: mt.text,
        sent_at_source: mt.source,
        text: m.text,
        media: [],
      });
    }
    warnings.push(
      warning('messages-from-page-data', "The messages were read from data embedded in the page (Instagram's LightSpeed payload), not from the visible page; the inbox carries only the latest message of each conversation."),
    );
  } else if (data.hasLightspeed) {
    warnings.push(warning('thread-not-matched', "This conversation could not be matched to the page's embedded data, so only the preview shown in the list was captured."));
  }
  if (data.unrecognised > 0)
    warnings.push(warning('page-data-unrecognised', `${data.unrecognised} record(s) in the page's embedded message data had an unexpected shape and were left out.`));
  if (open) warnings.push(warning('conversation-list-entry', 'This is the entry in the conversation list; the open conversation on this page is captured as its own item.'));
  else warnings.push(warning('conversation-not-open', 'Only the entry in the conversation list was captured; open the conversation to capture its messages.'));
  return makeExtraction(instagramAdapter, 'conversation', account, item, warnings, messages);
}

function messageText(row: Element): string | null {
  return textOf(row, {
    skip: (e) => e.matches(SEL.headings) || e.matches(SEL.ui) || (e.matches(SEL.link) && !!profileHandle(e) && !!e.querySelector(SEL.img)),
  });
}

function messageMedia(row: Element): MediaRef[] {
  return mediaIn(row, docBase(row), (m) => isAvatar(m) || isEmojiImg(m) || !!(m.closest(SEL.link) && profileHandle(m.closest(SEL.link))));
}

interface ConversationContext {
  grid: Element;
  threadId: string | null;
  otherName: string | null;
  other: Account | null;
  viewer: Account | null;
}

function conversationContext(grid: Element, ctx: ExtractContext): ConversationContext {
  const doc = grid.ownerDocument;
  const label = grid.getAttribute('aria-label') ?? '';
  const otherName = cleanText(label.replace(SEL.conversationLabel, '')) ?? null;
  const threadId = SEL.threadPath.exec(ctx.url.pathname)?.[1] ?? null;
  // The other party's handle: from the avatars beside their messages, else the pane header.
  const inGrid = [...new Set(Array.from(grid.querySelectorAll(SEL.link)).map(profileHandle).filter((h): h is string => !!h))];
  let handle = inGrid.length === 1 ? inGrid[0] : null;
  if (!handle) {
    let pane: Element | null = grid.parentElement;
    while (pane && !handle && !pane.matches(SEL.paneBoundary)) {
      const hs = [
        ...new Set(
          Array.from(pane.querySelectorAll(SEL.link))
            .filter((a) => !a.closest(SEL.threadList) && !grid.contains(a))
            .map(profileHandle)
            .filter((h): h is string => !!h),
        ),
      ];
      if (hs.length === 1) handle = hs[0];
      pane = pane.parentElement;
    }
  }
  const other: Account | null = otherName || handle ? { display_name: otherName, handle, platform_account_id: null, profile_url: profileUrl(handle) } : null;
  return { grid, threadId, otherName, other, viewer: viewerAccount(doc, pageData(doc)) };
}

/** The separator time shown above a row (messages carry no time of their own in the DOM). */
function separatorBefore(row: Element, grid: Element): string | null {
  const rows = Array.from(grid.querySelectorAll(SEL.messageRow));
  for (let i = rows.indexOf(row); i >= 0; i--) {
    const sep = rows[i].querySelector(SEL.separator);
    if (sep && (i !== rows.indexOf(row) || isSeparatorRow(rows[i]))) return cleanText(textOf(sep));
  }
  return null;
}

function messageFromRow(row: Element, c: ConversationContext): Message {
  const labels = Array.from(row.querySelectorAll(SEL.headings)).map((h) => cleanText(textOf(h)) ?? '');
  const sentByViewer = labels.some((l) => SEL.outgoingLabel.test(l));
  const avatarLink = Array.from(row.querySelectorAll(SEL.link)).find((a) => profileHandle(a) && a.querySelector(SEL.img));
  const senderHandle = profileHandle(avatarLink);
  let sender: Account | null = null;
  let outgoing: boolean | null = null;
  if (sentByViewer) {
    outgoing = true;
    sender = c.viewer;
  } else if (senderHandle) {
    outgoing = false;
    sender =
      c.other && c.other.handle === senderHandle ? c.other : { display_name: null, handle: senderHandle, platform_account_id: null, profile_url: profileUrl(senderHandle) };
  }
  const t = textOnly(separatorBefore(row, c.grid));
  return { id: null, sender, outgoing, sent_at: t.iso, sent_at_text: t.text, sent_at_source: t.source, text: messageText(row), media: messageMedia(row) };
}

function timeWarning(): Warning {
  return warning(
    'message-time-approximate',
    'Instagram shows message times only as separators between groups of messages; each message carries the separator shown above it, as displayed (no exact time is in the page).',
  );
}

function sameText(a: string | null, b: string | null): boolean {
  return !!a && !!b && a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
}

interface ConversationRead {
  c: ConversationContext;
  rows: Element[];
  messages: Message[];
  warnings: Warning[];
}

/**
 * The messages of an open conversation. When the page also embeds the thread's LightSpeed
 * records, each text message is paired, in order, with the next record of identical text:
 * that gives its id and exact time, and its sender where the DOM shows none. Pictures and
 * messages whose text has no twin keep what the DOM shows.
 */
function readConversation(grid: Element, ctx: ExtractContext): ConversationRead {
  const c = conversationContext(grid, ctx);
  const data = pageData(grid.ownerDocument);
  const rows = messageRows(grid);
  const messages = rows.map((r) => messageFromRow(r, c));
  const warnings: Warning[] = [];
  const thread = data.messages.length ? (c.threadId && data.threads.has(c.threadId) ? data.threads.get(c.threadId)! : matchThread(data, c.otherName, null)?.thread) : undefined;
  if (thread) {
    const records = data.messages.filter((m) => m.threadKey === thread.key);
    let next = 0;
    let matched = 0;
    let conflicts = 0;
    for (const m of messages) {
      const k = records.findIndex((r, i) => i >= next && sameText(r.text, m.text));
      if (k < 0) continue;
      const r = records[k];
      next = k + 1;
      matched++;
      const outgoing = data.viewerId ? r.senderId === data.viewerId : null;
      if (m.outgoing !== null && outgoing !== null && m.outgoing !== outgoing) {
        conflicts++;
        continue;
      }
      const t = fromJson(r.timestampMs, m.sent_at_text);
      m.id = r.id;
      m.sent_at = t.iso;
      m.sent_at_text = t.text;
      m.sent_at_source = t.source;
      const contact = data.contacts.get(r.senderId);
      if (m.outgoing === null && outgoing !== null) {
        m.outgoing = outgoing;
        m.sender = outgoing ? c.viewer : lsAccount(contact) ?? c.other;
      } else if (m.sender && contact && contact.username === m.sender.handle) {
        // Same person as the DOM shows: the record adds their messaging id.
        m.sender = { ...m.sender, platform_account_id: m.sender.platform_account_id ?? `igd:${contact.id}` };
      }
    }
    const other = c.other?.handle ? [...data.contacts.values()].find((x) => x.username === c.other!.handle && !x.isSelf) : undefined;
    if (other && c.other && !c.other.platform_account_id) c.other.platform_account_id = `igd:${other.id}`;
    if (matched)
      warnings.push(warning('messages-matched-to-page-data', `${matched - conflicts} of ${messages.length} message(s) were matched by their text to data embedded in the page, which gave their id and exact time.`));
    if (conflicts)
      warnings.push(warning('page-data-conflict', `${conflicts} message(s) matched by text to embedded data that names a different sender; the page's own markings were kept and the data was not used for them.`));
  }
  const unknown = messages.filter((m) => m.outgoing === null).length;
  if (unknown)
    warnings.push(warning('sender-unknown', `${unknown} message(s) carry no mark of who sent them (Instagram shows the sender's picture only beside the last message of a group); their sender is left empty.`));
  if (messages.some((m) => m.sent_at_source === 'text')) warnings.push(timeWarning());
  return { c, rows, messages, warnings };
}

function extractConversation(grid: Element, ctx: ExtractContext): Extraction {
  const { c, messages, warnings } = readConversation(grid, ctx);
  const item = emptyItem();
  item.platform_item_id = c.threadId;
  item.thread_id = c.threadId;
  item.url = c.threadId ? `${BASE}/direct/t/${c.threadId}/` : null;
  item.title = c.otherName;
  const last = messages[messages.length - 1];
  item.posted_at = last?.sent_at ?? null;
  item.posted_at_text = last?.sent_at_text ?? null;
  item.posted_at_source = last?.sent_at_source ?? null;
  if (!messages.length) warnings.push(warning('no-messages', 'No messages were found in the open conversation.'));
  return makeExtraction(instagramAdapter, 'conversation', c.other, item, warnings, messages);
}

function extractMessage(row: Element, ctx: ExtractContext): Extraction {
  const grid = row.closest(SEL.conversation)!;
  const read = readConversation(grid, ctx);
  const m = read.messages[read.rows.indexOf(row)] ?? messageFromRow(row, read.c);
  const warnings: Warning[] = [];
  if (m.sent_at_source === 'text') warnings.push(timeWarning());
  if (m.outgoing === null) warnings.push(warning('sender-unknown', 'This message carries no mark of who sent it (Instagram shows the sender only beside the last message of a group).'));
  if (m.id) warnings.push(warning('message-matched-to-page-data', "This message's id and exact time come from data embedded in the page, matched by its text."));
  const item = emptyItem();
  item.platform_item_id = m.id;
  item.thread_id = read.c.threadId;
  item.url = null;
  item.posted_at = m.sent_at;
  item.posted_at_text = m.sent_at_text;
  item.posted_at_source = m.sent_at_source;
  item.text = m.text;
  item.media = m.media;
  return makeExtraction(instagramAdapter, 'message', m.sender, item, warnings, [m]);
}

// ---------------------------------------------------------------------------
// The adapter
// ---------------------------------------------------------------------------

function failed(kind: ItemKind, e: unknown): Extraction {
  return makeExtraction(instagramAdapter, kind, null, emptyItem(), [
    warning('extraction-failed', `The page had an unexpected structure and this item could not be read (${e instanceof Error ? e.message : String(e)}).`),
  ]);
}

export const instagramAdapter: PlatformAdapter = {
  id: 'instagram',
  version: '1.0.0',
  label: 'Instagram',
  matchesUrl(url: URL): boolean {
    return /(^|\.)instagram\.com$/.test(url.hostname);
  },
  matchesDocument(doc: Document): boolean {
    const meta = readMeta(doc);
    return meta['og:site_name'] === 'Instagram' || meta['al:ios:app_name'] === 'Instagram';
  },
  findItems(doc: Document, ctx: ExtractContext): Element[] {
    try {
      return findAll(doc, ctx.url);
    } catch {
      return [];
    }
  },
  enclosingItem(el: Element, ctx: ExtractContext): Element | null {
    const items = instagramAdapter.findItems(el.ownerDocument, ctx).filter((i) => i === el || i.contains(el));
    // Document order puts an ancestor before its descendants, so the last is the innermost.
    return items[items.length - 1] ?? null;
  },
  kindOf(el: Element, ctx: ExtractContext): ItemKind {
    try {
      return classify(el, ctx.url);
    } catch {
      return 'post';
    }
  },
  extract(el: Element, ctx: ExtractContext): Extraction {
    let kind: ItemKind = 'post';
    try {
      kind = classify(el, ctx.url);
      switch (kind) {
        case 'conversation':
          return el.matches(SEL.conversation) ? extractConversation(el, ctx) : extractThreadRow(el, ctx);
        case 'message':
          return extractMessage(el, ctx);
        case 'profile':
          return extractProfile(el.ownerDocument, ctx, el);
        case 'comment':
          return extractComment(el, ctx);
        default:
          return extractPost(el, ctx);
      }
    } catch (e) {
      return failed(kind, e);
    }
  },
  extractPage(doc: Document, ctx: ExtractContext): Extraction | null {
    try {
      if (isProfilePage(doc, ctx.url) && !pageShortcode(doc, ctx.url)) return extractProfile(doc, ctx, profileHeaders(doc, ctx.url)[0] ?? null);
      // A rendered post is captured from its own element; the page record is only for served pages.
      if (postTimeLinks(doc).length > 0) return null;
      const ld = readJsonLd(doc).some((o) => ldTypes(o).some((t) => /ImageObject|VideoObject|SocialMediaPosting/.test(t)));
      const meta = readMeta(doc);
      if (!meta['og:title'] && !meta['og:description'] && !ld) return null;
      return extractServedPost(doc, ctx);
    } catch (e) {
      return failed('page', e);
    }
  },
};

export default instagramAdapter;
