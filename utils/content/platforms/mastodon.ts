import type { Account, Extraction, Item, ItemKind, MediaRef, Warning } from '../../shared/types';
import { absUrl, canonicalUrl, emptyAccount, emptyItem, inertCopy, makeExtraction, readMeta, textOf, warning, attr, tidyLines as tidy } from '../dom';
import { cleanText, decodeMastodonId, fromAttribute, type ResolvedTime } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * Mastodon (any instance, and forks that keep its web client). Recognised by the DOM
 * (`matchesDocument`), not by domain: there are thousands of instances.
 *
 * Ids: `platform_item_id` is the status id *on the instance being viewed* (a remote
 * author's post has a different id on its home server). Handles keep the instance:
 * "user@instance" (a local account, shown as "@user", gets the local domain added).
 * `platform_account_id` is the instance's account id (`data-hover-card-account`).
 * Status ids are snowflakes: `id >> 16` is the creation time in ms, which fills `id_time`
 * and is the time of last resort (the focused status shows only a formatted local date).
 */

const SEL = {
  appRoot: '#mastodon[data-props]',
  initialState: 'script#initial-state',
  status: '.status[data-id]',
  statusFallback: 'article[data-id]',
  detailed: '.detailed-status',
  detailedWrapper: '.detailed-status__wrapper',
  accountHeader: '.account__header',
  relTime: 'a.status__relative-time',
  time: 'time[datetime]',
  displayNameLink: 'a.status__display-name, a.detailed-status__display-name',
  displayNameHtml: '.display-name__html',
  displayNameAccount: '.display-name__account',
  detailedDatetime: 'a.detailed-status__datetime',
  content: '.status__content',
  contentText: '.status__content__text',
  contentWarning: '.content-warning, .status__content__spoiler, .spoiler-button',
  hiddenContentToggle: '.status__content__spoiler-link, .content-warning button, .spoiler-button button',
  mediaGallery: '.media-gallery',
  mediaThumb: 'a.media-gallery__item-thumbnail',
  videoPlayer: '.video-player, .audio-player, .media-gallery__item-gifv-thumbnail',
  avatar: '.account__avatar, .status__avatar, .detailed-status__display-avatar, .account__header__tabs .avatar',
  customEmoji: 'img.emojione, img.custom-emoji',
  headerName: '.account__header__tabs__name h1',
  headerBio: '.account__header__content, .account__header__bio .account__header__content',
  headerCounters: '.account__header__extra__links a',
  headerImage: '.account__header__image img',
  prepend: '.status__prepend',
} as const;

const ITEM_QUERY = [SEL.status, SEL.statusFallback, SEL.detailed, SEL.accountHeader].join(', ');

type Shape = 'status' | 'detailed' | 'profile';

function shape(el: Element): Shape | null {
  if (el.matches(SEL.status)) return 'status';
  if (el.matches(SEL.detailed)) return 'detailed';
  if (el.matches(SEL.accountHeader)) return 'profile';
  // Some clients and future versions drop the `.status` class; an article that carries the
  // status id and a timestamp link is still one status (unless it wraps a `.status`).
  if (el.matches(SEL.statusFallback) && !el.querySelector(SEL.status) && el.querySelector(`a[href*="/@"] ${SEL.time}`)) return 'status';
  return null;
}

const KIND: Record<Shape, ItemKind> = { status: 'post', detailed: 'post', profile: 'profile' };

// ---------------------------------------------------------------------------
// helpers

/** The item element that owns `node` (a quoted status nested inside another owns its own parts). */
function ownerOf(node: Element): Element | null {
  for (let e: Element | null = node; e; e = e.parentElement) if (shape(e)) return e;
  return null;
}

/** First match inside `el` that belongs to `el` itself, not to a status nested in it. */
function own(el: Element, selector: string): Element | null {
  for (const m of Array.from(el.querySelectorAll(selector))) if (ownerOf(m) === el) return m;
  return null;
}

/**
 * Readable text where custom emoji (images with ":shortcode:" alt text) keep their
 * shortcode. Works on a detached copy so the page is never touched.
 */
function textWithEmoji(el: Element | null): string | null {
  if (!el) return null;
  const copy = inertCopy(el);
  for (const img of Array.from(copy.querySelectorAll(SEL.customEmoji))) {
    img.replaceWith(copy.ownerDocument.createTextNode(img.getAttribute('alt') ?? ''));
  }
  return textOf(copy);
}

/** The instance's own domain: the client's initial state says it; the page host is the fallback. */
function localDomain(doc: Document, url: URL): string {
  const raw = doc.querySelector(SEL.initialState)?.textContent;
  if (raw) {
    try {
      const state = JSON.parse(raw) as { meta?: { domain?: unknown } };
      if (typeof state.meta?.domain === 'string' && state.meta.domain) return state.meta.domain;
    } catch {
      /* a broken state blob is not fatal: fall back to the host */
    }
  }
  return url.hostname;
}

function fullHandle(shown: string | null, doc: Document, url: URL): string | null {
  const h = cleanText(shown)?.replace(/^@/, '') ?? null;
  if (!h) return null;
  return h.includes('@') ? h : `${h}@${localDomain(doc, url)}`;
}

/** "/@user@host/123" and "/@user/123" → "123". */
function idFromHref(href: string | null | undefined): string | null {
  const m = href ? /\/(?:@[^/]+|users\/[^/]+\/statuses|web\/statuses)\/(\d+)(?:[/?#]|$)/.exec(href) : null;
  return m ? m[1] : null;
}

const VISIBILITY = ['public', 'unlisted', 'private', 'direct', 'limited'] as const;

function visibilityOf(...els: (Element | null)[]): string | null {
  for (const el of els) {
    if (!el) continue;
    for (const c of Array.from(el.classList)) {
      const m = /^(?:status|status__wrapper|detailed-status__wrapper)-(\w+)$/.exec(c);
      if (m && (VISIBILITY as readonly string[]).includes(m[1])) return m[1];
    }
  }
  return null;
}

function isChrome(e: Element): boolean {
  return !!e.closest(SEL.avatar) || e.matches(SEL.customEmoji);
}

/** Attachments: the gallery link points at the original file; the <img> is a small preview. */
function mediaOf(el: Element, base: URL): MediaRef[] {
  const out: MediaRef[] = [];
  const seen = new Set<string>();
  const push = (m: MediaRef): void => {
    const key = m.url ?? m.poster ?? '';
    if (!key || seen.has(key)) return;
    seen.add(key);
    out.push(m);
  };
  for (const m of Array.from(el.querySelectorAll(`${SEL.mediaThumb}, video, audio, img`))) {
    if (ownerOf(m) !== el || isChrome(m)) continue;
    if (!m.closest(`${SEL.mediaGallery}, ${SEL.videoPlayer}`) && m.tagName !== 'VIDEO' && m.tagName !== 'AUDIO') continue;
    const tag = m.tagName.toUpperCase();
    if (tag === 'A') {
      const img = m.querySelector('img');
      push({ kind: 'image', url: absUrl(m.getAttribute('href'), base) ?? absUrl(img?.getAttribute('src'), base), alt: img?.getAttribute('alt') || null });
    } else if (tag === 'IMG') {
      if (m.closest(SEL.mediaThumb)) continue; // taken from its link above
      push({ kind: 'image', url: absUrl(m.getAttribute('src'), base), alt: m.getAttribute('alt') || null });
    } else {
      const src = m.getAttribute('src') ?? m.querySelector('source')?.getAttribute('src') ?? null;
      const url = src && !src.startsWith('blob:') ? absUrl(src, base) : null;
      push({
        kind: tag === 'AUDIO' ? 'audio' : 'video',
        url,
        poster: absUrl(m.getAttribute('poster'), base),
        why_missing: url ? null : 'streamed media (blob: URL); no direct address on the page',
      });
    }
  }
  return out;
}

function accountFrom(el: Element, doc: Document, ctx: ExtractContext): Account {
  const acc = emptyAccount();
  const link = own(el, SEL.displayNameLink);
  acc.display_name = cleanText(textWithEmoji(link?.querySelector(SEL.displayNameHtml) ?? null));
  acc.handle = fullHandle(textOf(link?.querySelector(SEL.displayNameAccount)) ?? attr(link, 'title'), doc, ctx.url);
  acc.platform_account_id = attr(link, 'data-hover-card-account');
  acc.profile_url = absUrl(link?.getAttribute('href'), ctx.url);
  return acc;
}

function setTime(item: Item, t: ResolvedTime): void {
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;
}

/** Body text and content warning; a collapsed warning hides the body, which is then said. */
function contentOf(el: Element, item: Item, w: Warning[]): void {
  const body = own(el, SEL.contentText) ?? own(el, SEL.content);
  item.text = textWithEmoji(body);
  const cw = own(el, SEL.contentWarning);
  if (cw) {
    item.title = cleanText(textWithEmoji(cw));
    if (!item.text) {
      w.push(warning('content-hidden', `The post is behind a content warning ("${item.title ?? ''}") that was not opened, so its text is not on the page.`));
    }
  }
}

// ---------------------------------------------------------------------------
// thread context: ancestors come before the focused status, in order from the root

interface Thread {
  detailed: Element | null;
  /** Top-level statuses above the focused one: the chain from the root to its parent. */
  ancestors: Element[];
  root: string | null;
}

function threadContext(doc: Document): Thread {
  const detailed = doc.querySelector(SEL.detailed);
  if (!detailed) return { detailed: null, ancestors: [], root: null };
  const column = detailed.closest('.scrollable') ?? doc.body;
  const ancestors = Array.from(column.querySelectorAll(SEL.status)).filter(
    (s) => !s.parentElement?.closest(SEL.status) && (s.compareDocumentPosition(detailed) & 4) !== 0, // 4: detailed follows s
  );
  return { detailed, ancestors, root: ancestors.length ? attr(ancestors[0], 'data-id') : detailedIdOf(detailed) };
}

function detailedIdOf(el: Element): string | null {
  return idFromHref(own(el, SEL.detailedDatetime)?.getAttribute('href')) ?? attr(el.closest('[data-id]'), 'data-id');
}

// ---------------------------------------------------------------------------

function extractStatus(el: Element, ctx: ExtractContext): Extraction {
  const doc = el.ownerDocument;
  const w: Warning[] = [];
  const item = emptyItem();
  item.platform_item_id = attr(el, 'data-id');
  const time = own(el, `${SEL.relTime} ${SEL.time}`) ?? own(el, SEL.time);
  const rel = own(el, SEL.relTime) ?? time?.closest('a[href]') ?? null;
  item.url = absUrl(rel?.getAttribute('href'), ctx.url);
  const idTime = decodeMastodonId(item.platform_item_id);
  const t = fromAttribute(time?.getAttribute('datetime'), textOf(time));
  setTime(item, t.iso ? t : { iso: idTime, text: textOf(time) ?? item.platform_item_id, source: idTime ? 'id-decoded' : null });
  item.id_time = idTime;
  contentOf(el, item, w);
  item.media = mediaOf(el, ctx.url);
  item.visibility = visibilityOf(el, el.closest('.status__wrapper'));

  const thread = threadContext(doc);
  const at = thread.ancestors.indexOf(el);
  if (thread.detailed && (at >= 0 || (el.compareDocumentPosition(thread.detailed) & 2) !== 0)) {
    // On a thread page every status belongs to the conversation shown. Ancestors are the
    // chain root → parent, so an ancestor's parent is the one just above it; replies below
    // the focused status are not ordered that strictly, so theirs stays unknown.
    item.thread_id = thread.root;
    if (at > 0) item.in_reply_to = attr(thread.ancestors[at - 1], 'data-id');
  }
  if (el.classList.contains('status-reply') && !item.in_reply_to) {
    w.push(warning('parent-unknown', 'This post is a reply, but the page does not say which post it answers.'));
  }

  const nested = Array.from(el.querySelectorAll(SEL.status)).find((s) => ownerOf(s.parentElement ?? s) === el);
  if (nested) {
    const q = extractStatus(nested, ctx);
    item.quoted = { platform_item_id: q.item.platform_item_id, url: q.item.url, account: q.account, text: q.item.text };
  }
  const prepend = own(el, SEL.prepend) ?? el.closest('.status__wrapper')?.querySelector(SEL.prepend) ?? null;
  if (prepend && /boost/i.test(prepend.textContent ?? '')) {
    w.push(warning('boosted', `Shown because it was boosted ("${cleanText(textOf(prepend))}"); the author below is the original author.`));
  }
  return makeExtraction(mastodonAdapter, 'post', accountFrom(el, doc, ctx), item, w);
}

function extractDetailed(el: Element, ctx: ExtractContext): Extraction {
  const doc = el.ownerDocument;
  const w: Warning[] = [];
  const item = emptyItem();
  const dt = own(el, SEL.detailedDatetime);
  item.platform_item_id = detailedIdOf(el) ?? idFromHref(ctx.url.pathname);
  item.url = absUrl(dt?.getAttribute('href'), ctx.url);
  const shown = cleanText(textOf(dt));
  const idTime = decodeMastodonId(item.platform_item_id);
  item.id_time = idTime;
  // The focused status prints a formatted local date with no machine time. The server-rendered
  // head states the time when it describes this very status; otherwise the id's time is used.
  const meta = readMeta(doc);
  const t = fromAttribute((own(el, SEL.time) ?? dt?.querySelector(SEL.time))?.getAttribute('datetime'), shown);
  const ogId = idFromHref(meta['og:url']);
  const og = ogId && ogId === item.platform_item_id ? fromAttribute(meta['og:published_time'], shown) : { iso: null, text: null, source: null };
  if (t.iso) setTime(item, t);
  else if (og.iso) setTime(item, og);
  else setTime(item, { iso: idTime, text: shown ?? item.platform_item_id, source: idTime ? 'id-decoded' : shown ? 'text' : null });
  contentOf(el, item, w);
  item.media = mediaOf(el, ctx.url);
  item.visibility = visibilityOf(el, el.closest(SEL.detailedWrapper));
  const thread = threadContext(doc);
  item.thread_id = thread.root;
  item.in_reply_to = thread.ancestors.length ? attr(thread.ancestors[thread.ancestors.length - 1], 'data-id') : null;
  const nested = Array.from(el.querySelectorAll(SEL.status))[0];
  if (nested) {
    const q = extractStatus(nested, ctx);
    item.quoted = { platform_item_id: q.item.platform_item_id, url: q.item.url, account: q.account, text: q.item.text };
  }
  return makeExtraction(mastodonAdapter, 'post', accountFrom(el, doc, ctx), item, w);
}

function extractProfile(el: Element, ctx: ExtractContext): Extraction {
  const doc = el.ownerDocument;
  const acc = emptyAccount();
  const h1 = el.querySelector(SEL.headerName);
  const nameSpan = h1 ? Array.from(h1.children).find((c) => c.tagName !== 'SMALL') ?? null : null;
  acc.display_name = cleanText(textWithEmoji(nameSpan ?? el.querySelector(SEL.displayNameHtml)));
  const small = h1?.querySelector('small span') ?? h1?.querySelector('small') ?? el.querySelector(SEL.displayNameAccount);
  const fromUrl = /^\/@([^/]+)\/?$/.exec(ctx.url.pathname)?.[1] ?? null;
  // The client titles the page "Name (@user@domain)"; the redesigned header splits the
  // domain into a button, so the title is the surer source when the shown handle is cut.
  const fromTitle = /\(@([^)@\s]+@[^)\s]+)\)/.exec(doc.title)?.[1] ?? null;
  const shown = cleanText(textOf(small))?.replace(/@$/, '') ?? null;
  acc.handle = shown?.replace(/^@/, '').includes('@') ? fullHandle(shown, doc, ctx.url) : (fromTitle ?? fullHandle(shown ?? fromUrl, doc, ctx.url));
  acc.profile_url = fromUrl ? absUrl(`/@${fromUrl}`, ctx.url) : canonicalUrl(doc, ctx.url);
  const item = emptyItem();
  item.url = acc.profile_url;
  item.text = textWithEmoji(el.querySelector(SEL.headerBio));
  const m: Record<string, string> = {};
  for (const a of Array.from(el.querySelectorAll(SEL.headerCounters))) {
    const label = cleanText(a.querySelector('span')?.textContent)?.toLowerCase();
    const value = attr(a, 'title') ?? cleanText(a.querySelector('strong')?.textContent);
    if (label && value) m[label] = value;
  }
  if (Object.keys(m).length) item.metrics = m;
  const banner = absUrl(el.querySelector(SEL.headerImage)?.getAttribute('src'), ctx.url);
  if (banner && !/\/missing\.png$/.test(banner)) item.media = [{ kind: 'image', url: banner, alt: 'header image' }];
  return makeExtraction(mastodonAdapter, 'profile', acc, item, []);
}

/** A page whose body has no rendered client (served HTML for link previews, or saved head only). */
function extractPage(doc: Document, ctx: ExtractContext): Extraction | null {
  const items = mastodonAdapter.findItems(doc, ctx);
  const header = items.find((e) => shape(e) === 'profile');
  if (header && !doc.querySelector(SEL.detailed)) return extractProfile(header, ctx);
  if (items.length) return null;
  const meta = readMeta(doc);
  const pageUrl = absUrl(meta['og:url'], ctx.url) ?? canonicalUrl(doc, ctx.url) ?? ctx.url.href;
  const path = new URL(pageUrl).pathname;
  const id = idFromHref(path);
  // og:title is "Display Name (@user@instance)" for both statuses and profiles.
  const titleMatch = /^(.*)\s+\(@([^)@\s]+@[^)\s]+)\)\s*$/.exec(meta['og:title'] ?? '');
  const acc = emptyAccount();
  acc.display_name = cleanText(titleMatch?.[1]) ?? null;
  acc.handle = titleMatch?.[2] ?? fullHandle(/^\/@([^/]+)/.exec(path)?.[1] ?? null, doc, new URL(pageUrl));
  const user = /^\/@([^/]+)/.exec(path)?.[1];
  acc.profile_url = user ? absUrl(`/@${user}`, pageUrl) : null;
  const w = [warning('metadata-only', 'The page holds only link-preview metadata (Open Graph), not the rendered post: the text may be shortened and the account id is not stated.')];
  const item = emptyItem();
  item.text = tidy(meta['og:description'] ?? meta['description'] ?? null);
  if (!id) {
    if (!user) return null;
    item.url = acc.profile_url;
    return makeExtraction(mastodonAdapter, 'profile', acc, item, w);
  }
  item.platform_item_id = id;
  item.url = pageUrl;
  item.id_time = decodeMastodonId(id);
  const t = fromAttribute(meta['og:published_time'] ?? meta['article:published_time'], null);
  setTime(item, t.iso ? t : { iso: item.id_time, text: item.id_time ? id : null, source: item.id_time ? 'id-decoded' : null });
  const img = absUrl(meta['og:image'], pageUrl);
  // Without attachments Mastodon puts the author's avatar in og:image: that is not post media.
  if (img && !/\/accounts\/avatars\//.test(img)) item.media = [{ kind: 'image', url: img, alt: meta['og:image:alt'] ?? null }];
  return makeExtraction(mastodonAdapter, 'post', acc, item, w);
}

export const mastodonAdapter: PlatformAdapter = {
  id: 'mastodon',
  version: '1.0.0',
  label: 'Mastodon',
  matchesUrl(url: URL): boolean {
    // Only URL shapes that are near-certainly a Mastodon status; everything else is left
    // to matchesDocument, because any domain can run Mastodon.
    return /^\/@[A-Za-z0-9_.]+(?:@[A-Za-z0-9.-]+)?\/\d{6,20}\/?$/.test(url.pathname) || /^\/users\/[A-Za-z0-9_.]+\/statuses\/\d+\/?$/.test(url.pathname);
  },
  matchesDocument(doc: Document): boolean {
    if (doc.querySelector(`${SEL.appRoot}, ${SEL.detailed}, ${SEL.accountHeader}, .status[data-id] ${SEL.relTime}`)) return true;
    const meta = readMeta(doc);
    return meta['og:site_name'] === 'Mastodon' || meta['application-name'] === 'Mastodon' || /\(@[^)@\s]+@[^)\s]+\)$/.test(meta['og:title'] ?? '') && !!meta['og:published_time'];
  },
  findItems(doc: Document): Element[] {
    return Array.from(doc.querySelectorAll(ITEM_QUERY)).filter((e) => shape(e) !== null);
  },
  enclosingItem(el: Element): Element | null {
    return ownerOf(el);
  },
  kindOf(el: Element): ItemKind {
    const s = shape(el);
    return s ? KIND[s] : 'element';
  },
  extract(el: Element, ctx: ExtractContext): Extraction {
    const s = shape(el);
    if (s === 'status') return extractStatus(el, ctx);
    if (s === 'detailed') return extractDetailed(el, ctx);
    if (s === 'profile') return extractProfile(el, ctx);
    return makeExtraction(mastodonAdapter, 'element', null, emptyItem(), [
      warning('not-an-item', 'The selected element is not a Mastodon post or profile.'),
    ]);
  },
  extractPage,
};

export default mastodonAdapter;
