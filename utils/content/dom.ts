import type { Account, Extraction, Item, ItemKind, MediaRef, Warning } from '../shared/types';

/**
 * DOM helpers shared by the adapters. They work the same in a real browser and
 * in jsdom (no innerText, no layout), so extraction tested on saved pages
 * behaves the same in the extension.
 */

const BLOCK = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE',
  'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE',
  'SECTION', 'TABLE', 'TR', 'UL',
]);
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'svg', 'BUTTON', 'IFRAME']);

/**
 * Readable text of an element: block boundaries and <br> become line breaks,
 * emoji images contribute their alt text, runs of spaces collapse. Scripts,
 * styles, SVG and buttons are left out.
 */
export function textOf(el: Element | null | undefined, opts: { skip?: (e: Element) => boolean } = {}): string | null {
  if (!el) return null;
  const out: string[] = [];
  const walk = (node: Node): void => {
    if (node.nodeType === 3) {
      out.push((node.nodeValue ?? '').replace(/[\t\n\r ]+/g, ' '));
      return;
    }
    if (node.nodeType !== 1) return;
    const e = node as Element;
    const tag = e.tagName.toUpperCase();
    if (SKIP.has(e.tagName) || SKIP.has(tag)) return;
    if (e.getAttribute('aria-hidden') === 'true' && tag !== 'IMG') return;
    if (opts.skip?.(e)) return;
    if (tag === 'BR') {
      out.push('\n');
      return;
    }
    if (tag === 'IMG') {
      const alt = e.getAttribute('alt');
      // Emoji are images with the character as alt text on X, Facebook and others.
      if (alt && [...alt].length <= 4 && /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(alt)) out.push(alt);
      return;
    }
    const block = BLOCK.has(tag);
    if (block) out.push('\n');
    for (const child of Array.from(e.childNodes)) walk(child);
    if (block) out.push('\n');
  };
  walk(el);
  const text = out
    .join('')
    .split('\n')
    .map((l) => l.replace(/ +/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text === '' ? null : text;
}

/** Absolute URL, or null for empty/unusable values. javascript: and data: URLs are dropped. */
export function absUrl(href: string | null | undefined, base: URL | string): string | null {
  if (!href) return null;
  try {
    const u = new URL(href, base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.href;
  } catch {
    return null;
  }
}

/** Open Graph, Twitter card and article:* meta tags of a document. First value wins. */
export function readMeta(doc: Document): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const m of Array.from(doc.querySelectorAll('meta[property], meta[name], meta[itemprop]'))) {
    const key = m.getAttribute('property') ?? m.getAttribute('name') ?? m.getAttribute('itemprop');
    const value = m.getAttribute('content') ?? m.getAttribute('value');
    if (!key || value === null) continue;
    if (!(key in meta)) meta[key] = value;
  }
  return meta;
}

/** Every JSON-LD object on the page, flattened through @graph and arrays. Bad JSON is skipped. */
export function readJsonLd(doc: Document | Element): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const push = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(push);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      out.push(o);
      if (Array.isArray(o['@graph'])) (o['@graph'] as unknown[]).forEach(push);
    }
  };
  for (const s of Array.from(doc.querySelectorAll('script[type="application/ld+json"]'))) {
    try {
      push(JSON.parse(s.textContent ?? ''));
    } catch {
      /* a broken block on the page is not our error */
    }
  }
  return out;
}

/** The JSON-LD @type as a list of strings. */
export function ldTypes(o: Record<string, unknown>): string[] {
  const t = o['@type'];
  return Array.isArray(t) ? t.map(String) : t ? [String(t)] : [];
}

export function canonicalUrl(doc: Document, base: URL): string | null {
  return absUrl(doc.querySelector('link[rel="canonical"]')?.getAttribute('href'), base);
}

export function emptyAccount(): Account {
  return { display_name: null, handle: null, platform_account_id: null, profile_url: null };
}

export function emptyItem(): Item {
  return {
    platform_item_id: null,
    url: null,
    posted_at: null,
    posted_at_text: null,
    posted_at_source: null,
    text: null,
    in_reply_to: null,
    thread_id: null,
    visibility: null,
    media: [],
  };
}

export function warning(code: string, message: string): Warning {
  return { code, message };
}

/**
 * Adds the standard warnings for required fields that are missing, so a
 * half-empty record never looks complete (DESIGN.md principle 5).
 */
export function requiredFieldWarnings(kind: ItemKind, account: Account | null, item: Item): Warning[] {
  const w: Warning[] = [];
  if (kind === 'page' || kind === 'element') return w;
  if (!account || (!account.handle && !account.platform_account_id && !account.display_name))
    w.push(warning('account-missing', 'The author of this item could not be identified on the page.'));
  if (kind !== 'profile') {
    if (!item.platform_item_id) w.push(warning('item-id-missing', "The platform's id for this item was not found."));
    if (!item.url) w.push(warning('permalink-missing', 'No permalink for this item was found.'));
    if (!item.posted_at && !item.posted_at_text) w.push(warning('time-missing', 'The page shows no time for this item.'));
    else if (item.posted_at_source === 'relative-text')
      w.push(warning('time-relative', `The page shows only a relative time ("${item.posted_at_text}"); the time recorded is approximate, counted back from the capture time.`));
    else if (!item.posted_at) w.push(warning('time-unparsed', `The time shown ("${item.posted_at_text}") could not be turned into a date.`));
  }
  return w;
}

/** Assemble an Extraction, adding the required-field warnings after the adapter's own. */
export function makeExtraction(
  adapter: { id: string; version: string },
  kind: ItemKind,
  account: Account | null,
  item: Item,
  warnings: Warning[] = [],
  messages?: Extraction['messages'],
): Extraction {
  const all = [...warnings, ...requiredFieldWarnings(kind, account, item)];
  const seen = new Set<string>();
  const dedup = all.filter((x) => (seen.has(x.code) ? false : (seen.add(x.code), true)));
  const e: Extraction = { platform: adapter.id, adapter_version: adapter.version, kind, account, item, warnings: dedup };
  if (messages) e.messages = messages;
  return e;
}

/**
 * Images and videos inside an element, excluding those matched by `exclude`
 * (avatars, emoji, icons). Video elements give their src (or a note that it is
 * streamed) and poster.
 */
export function mediaIn(el: Element, base: URL | string, exclude?: (e: Element) => boolean): MediaRef[] {
  const media: MediaRef[] = [];
  const seen = new Set<string>();
  for (const m of Array.from(el.querySelectorAll('img, video'))) {
    if (exclude?.(m)) continue;
    if (m.tagName.toUpperCase() === 'VIDEO') {
      const src = m.getAttribute('src') ?? m.querySelector('source')?.getAttribute('src') ?? null;
      const poster = absUrl(m.getAttribute('poster'), base);
      const url = src && !src.startsWith('blob:') ? absUrl(src, base) : null;
      const key = url ?? poster ?? src ?? '';
      if (seen.has(key)) continue;
      seen.add(key);
      media.push({
        kind: 'video',
        url,
        poster,
        why_missing: url ? null : src?.startsWith('blob:') ? 'streamed video (blob: URL); only the poster frame is available' : null,
      });
    } else {
      const alt = m.getAttribute('alt');
      if (alt && [...alt].length <= 4 && /\p{Extended_Pictographic}/u.test(alt)) continue; // emoji
      const url = absUrl(m.getAttribute('src'), base);
      if (!url || seen.has(url)) continue;
      seen.add(url);
      media.push({ kind: 'image', url, alt: alt ?? null });
    }
  }
  return media;
}

/** First element matching any of the selectors, in selector order (fallbacks). */
export function pick(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const s of selectors) {
    const e = root.querySelector(s);
    if (e) return e;
  }
  return null;
}
