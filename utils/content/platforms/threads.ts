import type { Account, Extraction, Item, ItemKind, MediaRef, Warning } from '../../shared/types';
import { absUrl, emptyAccount, emptyItem, makeExtraction, mediaIn, readMeta, textOf, warning } from '../dom';
import { cleanText, decodeInstagramShortcode, firstTime, fromAttribute, fromJson, textOnly, type ResolvedTime } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * Threads (www.threads.com, formerly www.threads.net).
 *
 * Ids written to the record:
 * - posts and replies: platform_item_id = the post code from /@user/post/<code> (the same
 *   base64url media shortcode Instagram uses; its top bits are the creation time, stored in
 *   id_time). item.url = the absolute permalink as linked on the page.
 * - in_reply_to / thread_id: the code of the post being answered and of the first post of the
 *   thread, taken from the page's embedded Relay data (thread_items) when it states them.
 * - accounts: platform_account_id = the Instagram/Threads user pk from the embedded data,
 *   only when its username is the one shown.
 */

const SEL = {
  container: '[data-pressable-container]',
  link: 'a[href]',
  time: 'time[datetime]',
  textSpan: 'span[dir="auto"]',
  ui: 'button, [role="button"], svg',
  /** A link card (preview of an outside page) is an anchor through Threads' redirector that wraps a picture. */
  linkCard: 'a[href*="l.threads.com"], a[href*="l.threads.net"]',
  profileName: 'h1',
  /** The profile header never grows past the page column. */
  columnBoundary: 'main, body, [role="region"]',
  img: 'img',
  picture: 'img, picture',
  profileTabs: 'a[href$="/replies"], [role="tablist"]',
  followersCount: 'span[title]',
  metricIcon: 'svg[aria-label]',
  editedMark: 'svg[aria-label="Edited"]',
  metricNames: { Like: 'likes', Unlike: 'likes', Comment: 'replies', Reply: 'replies', Repost: 'reposts', Share: 'shares' } as Record<string, string>,
  dataScripts: 'script[type="application/json"]',
  postPath: /^\/@([A-Za-z0-9._]{1,30})\/post\/([A-Za-z0-9_-]{5,})\/?$/,
  profilePath: /^\/@([A-Za-z0-9._]{1,30})\/?$/,
  avatarAlt: /profile picture$/i,
  ogTitle: /^(?:(.+?) \()?@([A-Za-z0-9._]{1,30})\)?\s*(?:on|•) Threads/,
  ogProfileDesc: /^([\d.,]+[KMB]?) Followers • ([\d.,]+[KMB]?) Threads(?: • ([\s\S]*?))?(?:\.? See the latest conversations with @[A-Za-z0-9._]+\.?)?$/,
} as const;

const DEFAULT_ORIGIN = 'https://www.threads.com';
const NO_TIME: ResolvedTime = { iso: null, text: null, source: null };

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function isThreadsHost(host: string): boolean {
  return /(^|\.)threads\.(net|com)$/.test(host);
}

function originOf(url: URL): string {
  return isThreadsHost(url.hostname) ? url.origin : DEFAULT_ORIGIN;
}

function pathOf(href: string | null | undefined, base: URL | string): string | null {
  const abs = absUrl(href, base);
  if (!abs) return null;
  const u = new URL(abs);
  return isThreadsHost(u.hostname) || u.origin === new URL(String(base)).origin ? u.pathname : null;
}

function docBase(el: Element): string {
  const u = el.ownerDocument.URL;
  return u && /^https?:/.test(u) ? u : DEFAULT_ORIGIN + '/';
}

function postRef(a: Element): { user: string; code: string } | null {
  const m = SEL.postPath.exec(pathOf(a.getAttribute('href'), docBase(a)) ?? '');
  return m ? { user: m[1], code: m[2] } : null;
}

function profileHandle(a: Element | null | undefined): string | null {
  if (!a) return null;
  return SEL.profilePath.exec(pathOf(a.getAttribute('href'), docBase(a)) ?? '')?.[1] ?? null;
}

function isAvatar(m: Element): boolean {
  return SEL.avatarAlt.test((m.getAttribute('alt') ?? '').trim());
}

function isEmojiImg(m: Element): boolean {
  const alt = m.getAttribute('alt') ?? '';
  return alt !== '' && [...alt].length <= 4 && /\p{Extended_Pictographic}/u.test(alt);
}

/**
 * Text of a Threads text span. Threads renders line breaks as literal newlines in the text
 * (white-space: pre-wrap), which the shared textOf folds into spaces; a post's line
 * structure is part of what was said, so it is kept here.
 */
const PRE_BLOCKS = new Set(['DIV', 'P', 'LI']);

function preText(el: Element, skip: (e: Element) => boolean): string | null {
  return textOf(el, {
    preserveWhitespace: true,
    includeAriaHidden: true,
    blocks: PRE_BLOCKS,
    skip,
    image: (e) => (isEmojiImg(e) ? e.getAttribute('alt') : null),
  });
}

function byDocumentOrder(a: Element, b: Element): number {
  if (a === b) return 0;
  return a.compareDocumentPosition(b) & 4 ? -1 : 1;
}

// ---------------------------------------------------------------------------
// Embedded Relay data (script[type="application/json"][data-sjs]) — read once per document
// ---------------------------------------------------------------------------

interface JsonUser {
  pk: string | null;
  username: string;
  full_name: string | null;
}
interface JsonPost {
  pk: string | null;
  taken_at: number | null;
  user: JsonUser | null;
  isReply: boolean | null;
  replyToAuthor: string | null;
  /** Code of the item before this one in the same thread_items group. */
  previous: string | null;
  root: string | null;
}
interface PageData {
  posts: Map<string, JsonPost>;
  users: Map<string, JsonUser>;
}
const cache = new WeakMap<Document, PageData>();

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

function jsonUser(v: unknown): JsonUser | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const username = str(o.username);
  if (!username) return null;
  return { pk: str(o.pk) ?? str(o.id), username, full_name: str(o.full_name) };
}

function jsonPost(v: unknown): (JsonPost & { code: string }) | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const user = jsonUser(o.user);
  if (typeof o.code !== 'string' || !user) return null;
  const info = (o.text_post_app_info ?? {}) as Record<string, unknown>;
  const replyTo = jsonUser(info.reply_to_author);
  return {
    code: o.code,
    pk: str(o.pk),
    taken_at: typeof o.taken_at === 'number' ? o.taken_at : null,
    user,
    isReply: typeof info.is_reply === 'boolean' ? info.is_reply : null,
    replyToAuthor: replyTo?.username ?? null,
    previous: null,
    root: null,
  };
}

function walk(v: unknown, data: PageData, depth = 0): void {
  if (depth > 200 || !v || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) walk(x, data, depth + 1);
    return;
  }
  const o = v as Record<string, unknown>;
  const user = jsonUser(o);
  if (user?.pk && /^\d+$/.test(user.pk) && !data.users.has(user.username)) data.users.set(user.username, user);
  if (Array.isArray(o.thread_items)) {
    const group = o.thread_items.map((t) => jsonPost((t as Record<string, unknown> | null)?.post ?? t));
    group.forEach((p, i) => {
      if (!p) return;
      p.previous = group[i - 1]?.code ?? null;
      p.root = group[0]?.code ?? null;
      data.posts.set(p.code, p);
    });
  } else {
    const p = jsonPost(o);
    if (p && !data.posts.has(p.code)) data.posts.set(p.code, p);
  }
  for (const val of Object.values(o)) walk(val, data, depth + 1);
}

function pageData(doc: Document): PageData {
  const hit = cache.get(doc);
  if (hit) return hit;
  const data: PageData = { posts: new Map(), users: new Map() };
  for (const s of Array.from(doc.querySelectorAll(SEL.dataScripts))) {
    const text = s.textContent ?? '';
    if (!text.includes('"username"')) continue;
    try {
      walk(JSON.parse(text), data);
    } catch {
      /* an unreadable payload is not the page's error */
    }
  }
  cache.set(doc, data);
  return data;
}

// ---------------------------------------------------------------------------
// Finding items
// ---------------------------------------------------------------------------

/** The permalink (wrapping the time) of a container's own post, not of a quoted one. */
function ownPostLink(container: Element): Element | null {
  return (
    Array.from(container.querySelectorAll(SEL.link)).find(
      (a) => a.querySelector(SEL.time) && postRef(a) && a.closest(SEL.container) === container,
    ) ?? null
  );
}

function postContainers(doc: Document): Element[] {
  return Array.from(doc.querySelectorAll(SEL.container)).filter((c) => !c.parentElement?.closest(SEL.container) && ownPostLink(c));
}

function isProfilePage(doc: Document, url: URL): boolean {
  return readMeta(doc)['og:type'] === 'profile' || SEL.profilePath.test(url.pathname);
}

/** The profile header: the block around the page's name heading, up to (not including) the tabs and posts. */
function profileHeader(doc: Document, url: URL): Element | null {
  if (!isProfilePage(doc, url)) return null;
  const h1 = Array.from(doc.querySelectorAll(SEL.profileName)).find((h) => !h.closest(SEL.link) && !h.closest(SEL.container));
  if (!h1) return null;
  let el: Element = h1;
  while (el.parentElement && !el.parentElement.matches(SEL.columnBoundary)) {
    const p: Element = el.parentElement;
    if (p.querySelector(SEL.container) || p.querySelector(SEL.profileTabs)) break;
    el = p;
  }
  return el;
}

function findAll(doc: Document, url: URL): Element[] {
  const items = postContainers(doc);
  const header = profileHeader(doc, url);
  if (header) items.push(header);
  return [...new Set(items)].sort(byDocumentOrder);
}

// ---------------------------------------------------------------------------
// Extraction
// ---------------------------------------------------------------------------

function postText(container: Element, handle: string | null): string | null {
  const isNested = (e: Element): boolean => e.closest(SEL.container) !== container;
  const holdsHeader = (e: Element): boolean =>
    !!e.querySelector(SEL.time) || Array.from(e.querySelectorAll(SEL.link)).some((a) => handle !== null && profileHandle(a) === handle && !(cleanText(a.textContent) ?? '').startsWith('@'));
  const spans = Array.from(container.querySelectorAll(SEL.textSpan)).filter(
    (s) => !isNested(s) && !s.closest(`${SEL.link}, ${SEL.ui}, ${SEL.time}`) && !holdsHeader(s),
  );
  const outer = spans.filter((s) => !spans.some((o) => o !== s && o.contains(s)));
  const skip = (e: Element): boolean => e.matches(SEL.ui) || (e.matches(SEL.linkCard) && !!e.querySelector(SEL.picture));
  const parts = outer.map((s) => preText(s, skip)).filter((t): t is string => !!t && !/^[•·]$/.test(t));
  return parts.length ? parts.join('\n') : null;
}

function metrics(container: Element): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const b of Array.from(container.querySelectorAll(SEL.ui))) {
    if (b.closest(SEL.container) !== container || !b.matches('[role="button"], button')) continue;
    const icon = b.querySelector(SEL.metricIcon);
    const key = icon ? SEL.metricNames[icon.getAttribute('aria-label') ?? ''] : undefined;
    const count = cleanText(textOf(b));
    if (key && count && !(key in out)) out[key] = count;
  }
  return Object.keys(out).length ? out : undefined;
}

function accountFor(handle: string | null, json: JsonUser | null, url: URL): Account | null {
  if (!handle) return null;
  const a = emptyAccount();
  a.handle = handle;
  a.profile_url = `${originOf(url)}/@${handle}`;
  if (json && json.username === handle) {
    a.platform_account_id = json.pk;
    a.display_name = json.full_name;
  }
  return a;
}

function timeOf(t: Element | null | undefined): ResolvedTime {
  if (!t) return NO_TIME;
  // The label ("18h") sits in an aria-hidden span, so it is read as plain text content.
  const shown = cleanText(t.textContent);
  return firstTime(fromAttribute(t.getAttribute('datetime'), shown), textOnly(shown ?? t.getAttribute('title')));
}

function quotedIn(container: Element, ctx: ExtractContext): Item['quoted'] {
  const nested = Array.from(container.querySelectorAll(SEL.container)).find((n) => n.parentElement?.closest(SEL.container) === container);
  if (!nested) return undefined;
  const link = ownPostLink(nested) ?? Array.from(nested.querySelectorAll(SEL.link)).find((a) => postRef(a)) ?? null;
  const ref = link ? postRef(link) : null;
  const handle = ref?.user ?? profileHandle(Array.from(nested.querySelectorAll(SEL.link)).find((a) => profileHandle(a)));
  return {
    platform_item_id: ref?.code ?? null,
    url: ref ? `${originOf(ctx.url)}/@${ref.user}/post/${ref.code}` : null,
    account: accountFor(handle, pageData(container.ownerDocument).users.get(handle ?? '') ?? null, ctx.url),
    text: postText(nested, handle),
  };
}

function pagePostCode(url: URL): string | null {
  return SEL.postPath.exec(url.pathname)?.[2] ?? null;
}

interface Analysis {
  kind: ItemKind;
  inReplyTo: string | null;
  threadId: string | null;
  warnings: Warning[];
}

/** Whether a post answers another, and which: from the embedded data, or the post page layout. */
function analyse(container: Element, code: string | null, handle: string | null, ctx: ExtractContext): Analysis {
  const data = pageData(container.ownerDocument);
  const json = code ? data.posts.get(code) : undefined;
  const warnings: Warning[] = [];
  const pageCode = pagePostCode(ctx.url);
  if (json && json.user?.username === handle && json.isReply !== null) {
    if (!json.isReply) return { kind: 'post', inReplyTo: null, threadId: null, warnings };
    const prev = json.previous ? data.posts.get(json.previous) : undefined;
    let parent: string | null = null;
    // The item before a reply in its thread group is the post it answers when its author is the one replied to.
    if (prev && json.previous && (!json.replyToAuthor || prev.user?.username === json.replyToAuthor)) parent = json.previous;
    else if (!json.previous && pageCode && pageCode !== code) {
      const main = data.posts.get(pageCode);
      if (main && (!json.replyToAuthor || main.user?.username === json.replyToAuthor)) parent = pageCode;
    }
    if (!parent)
      warnings.push(warning('parent-unknown', `This is a reply${json.replyToAuthor ? ` to @${json.replyToAuthor}` : ''}, but the post it answers could not be identified on the page.`));
    const root = json.root && json.root !== code ? json.root : parent === pageCode ? pageCode : null;
    return { kind: 'comment', inReplyTo: parent, threadId: root, warnings };
  }
  // Without embedded data: on a post page, the containers after the main post are its replies.
  if (pageCode && code && code !== pageCode) {
    const main = postContainers(container.ownerDocument).find((c) => postRef(ownPostLink(c)!)?.code === pageCode);
    if (main && byDocumentOrder(main, container) < 0) {
      warnings.push(warning('parent-inferred', 'The page does not state which post this reply answers; it was taken to answer the post the page is about.'));
      return { kind: 'comment', inReplyTo: pageCode, threadId: pageCode, warnings };
    }
  }
  return { kind: 'post', inReplyTo: null, threadId: null, warnings };
}

function extractPost(container: Element, ctx: ExtractContext): Extraction {
  const data = pageData(container.ownerDocument);
  const link = ownPostLink(container);
  const ref = link ? postRef(link) : null;
  const code = ref?.code ?? null;
  const authorLink = Array.from(container.querySelectorAll(SEL.link)).find(
    (a) => profileHandle(a) && a.closest(SEL.container) === container && !(cleanText(a.textContent) ?? '').startsWith('@'),
  );
  // The permalink names the author (/@<author>/post/<code>); a repost header may link the reposter first.
  const handle = ref?.user ?? profileHandle(authorLink) ?? null;
  const json = code ? data.posts.get(code) : undefined;
  const account = accountFor(handle, json?.user ?? data.users.get(handle ?? '') ?? null, ctx.url);
  const a = analyse(container, code, handle, ctx);

  const item = emptyItem();
  item.platform_item_id = code;
  item.url = ref ? `${originOf(ctx.url)}/@${ref.user}/post/${ref.code}` : null;
  const t = firstTime(timeOf(link?.querySelector(SEL.time)), json?.taken_at ? fromJson(json.taken_at) : NO_TIME);
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;
  item.id_time = code ? decodeInstagramShortcode(code) : null;
  item.text = postText(container, handle);
  item.in_reply_to = a.inReplyTo;
  item.thread_id = a.threadId;
  item.media = mediaIn(container, ctx.url, (m) => isAvatar(m) || isEmojiImg(m) || m.closest(SEL.container) !== container);
  const quoted = quotedIn(container, ctx);
  if (quoted) item.quoted = quoted;
  const m = metrics(container);
  if (m) item.metrics = m;
  const warnings = [...a.warnings];
  if (Array.from(container.querySelectorAll(SEL.editedMark)).some((e) => e.closest(SEL.container) === container))
    warnings.push(warning('edited', 'Threads marks this post as edited; the text recorded is the version shown at capture, not necessarily what was first posted.'));
  if (!item.text && item.media.length === 0) warnings.push(warning('text-not-found', 'No text or media was found for this post.'));
  return makeExtraction(threadsAdapter, a.kind, account, item, warnings);
}

function extractProfile(doc: Document, ctx: ExtractContext, header: Element | null): Extraction {
  const meta = readMeta(doc);
  const warnings: Warning[] = [];
  const og = meta['og:title'] ? SEL.ogTitle.exec(meta['og:title']) : null;
  const ogPath = pathOf(meta['og:url'], ctx.url);
  const handle = SEL.profilePath.exec(ctx.url.pathname)?.[1] ?? SEL.profilePath.exec(ogPath ?? '')?.[1] ?? og?.[2] ?? null;
  const json = handle ? pageData(doc).users.get(handle) ?? null : null;

  const account = emptyAccount();
  account.handle = handle;
  account.profile_url = handle ? `${originOf(ctx.url)}/@${handle}` : null;
  account.platform_account_id = json?.pk ?? null;
  const h1 = header?.querySelector(SEL.profileName);
  account.display_name = cleanText(textOf(h1)) ?? json?.full_name ?? cleanText(og?.[1]) ?? null;

  const item = emptyItem();
  item.platform_item_id = account.platform_account_id;
  item.url = account.profile_url;
  const desc = SEL.ogProfileDesc.exec(meta['og:description'] ?? meta.description ?? '');
  if (header) {
    const bio = Array.from(header.querySelectorAll(SEL.textSpan)).find(
      (s) => !s.closest(`${SEL.link}, ${SEL.ui}, ${SEL.profileName}, [translate="no"]`) && !s.querySelector(SEL.followersCount) && !/^[•·]$/.test(cleanText(s.textContent) ?? ''),
    );
    item.text = bio ? preText(bio, (e) => e.matches(SEL.ui)) : null;
    const followers = header.querySelector(SEL.followersCount);
    const count = cleanText(followers?.getAttribute('title')) ?? cleanText(followers?.textContent);
    if (count) item.metrics = { followers: count };
  } else {
    warnings.push(warning('served-page-only', 'The profile was not rendered on the page; the record comes from its link-preview (Open Graph) tags.'));
    item.text = cleanText(desc?.[3]) ?? null;
    if (desc) item.metrics = { followers: desc[1], threads: desc[2] };
  }
  const avatar = (header && Array.from(header.querySelectorAll(SEL.img)).find(isAvatar)?.getAttribute('src')) ?? meta['og:image'] ?? null;
  const avatarUrl = absUrl(avatar, ctx.url);
  item.media = avatarUrl ? [{ kind: 'image', url: avatarUrl, alt: 'profile picture' } satisfies MediaRef] : [];
  if (!item.text) warnings.push(warning('bio-not-found', 'The profile description (bio) was not found on the page.'));
  return makeExtraction(threadsAdapter, 'profile', account, item, warnings);
}

/** A post page served without its rendered content: the post from its Open Graph tags. */
function extractServedPost(doc: Document, ctx: ExtractContext): Extraction | null {
  const code = pagePostCode(ctx.url);
  const meta = readMeta(doc);
  if (!code || (!meta['og:title'] && !meta['og:description'])) return null;
  const handle = SEL.postPath.exec(ctx.url.pathname)?.[1] ?? null;
  const og = meta['og:title'] ? SEL.ogTitle.exec(meta['og:title']) : null;
  const json = pageData(doc).posts.get(code);
  const account = accountFor(handle, json?.user ?? null, ctx.url);
  if (account && !account.display_name) account.display_name = cleanText(og?.[1]);
  const item = emptyItem();
  item.platform_item_id = code;
  item.url = `${originOf(ctx.url)}/@${handle}/post/${code}`;
  item.id_time = decodeInstagramShortcode(code);
  const t = firstTime(json?.taken_at ? fromJson(json.taken_at) : NO_TIME, item.id_time ? { iso: item.id_time, text: code, source: 'id-decoded' } : NO_TIME);
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;
  item.text = cleanText(meta['og:description']);
  const image = absUrl(meta['og:image'], ctx.url);
  item.media = image ? [{ kind: 'image', url: image, alt: null }] : [];
  return makeExtraction(threadsAdapter, 'post', account, item, [
    warning('served-page-only', "The post was not rendered on the page; the record comes from its link-preview (Open Graph) tags, which may shorten the text."),
  ]);
}

function failed(kind: ItemKind, e: unknown): Extraction {
  return makeExtraction(threadsAdapter, kind, null, emptyItem(), [
    warning('extraction-failed', `The page had an unexpected structure and this item could not be read (${e instanceof Error ? e.message : String(e)}).`),
  ]);
}

// ---------------------------------------------------------------------------
// The adapter
// ---------------------------------------------------------------------------

export const threadsAdapter: PlatformAdapter = {
  id: 'threads',
  version: '1.0.0',
  label: 'Threads',
  matchesUrl(url: URL): boolean {
    return isThreadsHost(url.hostname);
  },
  matchesDocument(doc: Document): boolean {
    const meta = readMeta(doc);
    return meta['og:site_name'] === 'Threads' || meta['al:android:package'] === 'com.instagram.barcelona';
  },
  findItems(doc: Document, ctx: ExtractContext): Element[] {
    try {
      return findAll(doc, ctx.url);
    } catch {
      return [];
    }
  },
  enclosingItem(el: Element, ctx: ExtractContext): Element | null {
    const items = threadsAdapter.findItems(el.ownerDocument, ctx).filter((i) => i === el || i.contains(el));
    return items[items.length - 1] ?? null;
  },
  kindOf(el: Element, ctx: ExtractContext): ItemKind {
    try {
      if (el === profileHeader(el.ownerDocument, ctx.url)) return 'profile';
      const link = ownPostLink(el);
      const ref = link ? postRef(link) : null;
      return analyse(el, ref?.code ?? null, ref?.user ?? null, ctx).kind;
    } catch {
      return 'post';
    }
  },
  extract(el: Element, ctx: ExtractContext): Extraction {
    try {
      if (el === profileHeader(el.ownerDocument, ctx.url)) return extractProfile(el.ownerDocument, ctx, el);
      return extractPost(el, ctx);
    } catch (e) {
      return failed('post', e);
    }
  },
  extractPage(doc: Document, ctx: ExtractContext): Extraction | null {
    try {
      if (pagePostCode(ctx.url)) return postContainers(doc).length ? null : extractServedPost(doc, ctx);
      if (isProfilePage(doc, ctx.url)) return extractProfile(doc, ctx, profileHeader(doc, ctx.url));
      return null;
    } catch (e) {
      return failed('page', e);
    }
  },
};

export default threadsAdapter;
