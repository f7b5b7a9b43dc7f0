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

/** Options for {@link textOf}. */
export interface TextOptions {
  /** Leave out elements for which this returns true (checked on the root too). */
  skip?: (e: Element) => boolean;
  /**
   * How whitespace inside text nodes is treated. false (default): every run of spaces and
   * line breaks folds into one space (normal HTML rendering). true: line breaks inside text
   * nodes are kept (pages with `white-space: pre-wrap`), spaces still collapse within a line,
   * lines are trimmed and at most one blank line is kept. 'verbatim': the text is kept as
   * written (double spaces, blank lines); only spaces before a line break and at the ends are
   * dropped, and block elements inside the root start a new line only when needed.
   */
  preserveWhitespace?: boolean | 'verbatim';
  /** Keep content marked aria-hidden="true" (left out by default, except images). */
  includeAriaHidden?: boolean;
  /** Tags that break lines (upper case). Default: the usual HTML block elements; empty set for none. */
  blocks?: ReadonlySet<string>;
  /** Extra tags to leave out (upper case), besides scripts, styles, SVG, buttons, iframes. */
  skipTags?: ReadonlySet<string>;
  /** Text an <img> contributes. Default: the alt text of emoji images, nothing otherwise. */
  image?: (img: Element) => string | null;
}

/** The alt text of an emoji image (the character as alt text, as X, Facebook and others do). */
export function emojiAlt(img: Element): string | null {
  const alt = img.getAttribute('alt');
  return alt && [...alt].length <= 4 && /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(alt) ? alt : null;
}

/**
 * Readable text of an element: block boundaries and <br> become line breaks,
 * emoji images contribute their alt text, runs of spaces collapse. Scripts,
 * styles, SVG and buttons inside the element are left out (the element itself
 * is read even when it is a button). See {@link TextOptions} for pages that
 * render with `white-space: pre-wrap`.
 */
export function textOf(el: Element | null | undefined, opts: TextOptions = {}): string | null {
  if (!el) return null;
  const mode = opts.preserveWhitespace === 'verbatim' ? 'verbatim' : opts.preserveWhitespace ? 'lines' : 'fold';
  const blocks = opts.blocks ?? BLOCK;
  const image = opts.image ?? emojiAlt;
  const out: string[] = [];
  const endsWithNewline = (): boolean => {
    for (let i = out.length - 1; i >= 0; i--) if (out[i] !== '') return out[i].endsWith('\n');
    return false;
  };
  const isEmpty = (): boolean => out.every((x) => x === '');
  const walk = (node: Node): void => {
    if (node.nodeType === 3) {
      const v = node.nodeValue ?? '';
      out.push(mode === 'fold' ? v.replace(/[\t\n\r ]+/g, ' ') : mode === 'lines' ? v.replace(/\r\n?/g, '\n').replace(/[\t ]+/g, ' ') : v);
      return;
    }
    if (node.nodeType !== 1) return;
    const e = node as Element;
    const tag = e.tagName.toUpperCase();
    if (e !== el || tag !== 'BUTTON') {
      if (SKIP.has(e.tagName) || SKIP.has(tag) || opts.skipTags?.has(tag)) return;
    }
    if (!opts.includeAriaHidden && e.getAttribute('aria-hidden') === 'true' && tag !== 'IMG') return;
    if (opts.skip?.(e)) return;
    if (tag === 'BR') {
      out.push('\n');
      return;
    }
    if (tag === 'IMG') {
      const t = image(e);
      if (t) out.push(t);
      return;
    }
    if (mode === 'verbatim') {
      const block = blocks.has(tag) && e !== el;
      if (block && !isEmpty() && !endsWithNewline()) out.push('\n');
      for (const child of Array.from(e.childNodes)) walk(child);
      if (block && !endsWithNewline()) out.push('\n');
      return;
    }
    const block = blocks.has(tag);
    if (block) out.push('\n');
    for (const child of Array.from(e.childNodes)) walk(child);
    if (block) out.push('\n');
  };
  walk(el);
  const text =
    mode === 'verbatim'
      ? out.join('').replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').trim()
      : out
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

/** Bounds for {@link readJsonLd} on pages that may carry huge or deeply nested JSON-LD. */
export interface JsonLdLimits {
  /** Read at most this many script blocks. */
  maxBlocks?: number;
  /** Skip blocks longer than this many characters. */
  maxChars?: number;
  /** Do not descend deeper than this many array/@graph levels. */
  maxDepth?: number;
  /** Read at most this many entries of any array. */
  maxArray?: number;
}

/**
 * Every JSON-LD object on the page, flattened through @graph and arrays. Raw control
 * characters inside strings (a line break in a bio or description, which real pages
 * serve and JSON.parse rejects) are escaped before a second try; JSON that is still
 * bad is skipped.
 */
export function readJsonLd(doc: Document | Element, limits: JsonLdLimits = {}): Record<string, unknown>[] {
  const { maxBlocks = Infinity, maxChars = Infinity, maxDepth = Infinity, maxArray = Infinity } = limits;
  const out: Record<string, unknown>[] = [];
  const push = (v: unknown, depth: number): void => {
    if (depth > maxDepth) return;
    if (Array.isArray(v)) v.slice(0, maxArray).forEach((x) => push(x, depth + 1));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      out.push(o);
      if (Array.isArray(o['@graph'])) push(o['@graph'], depth + 1);
    }
  };
  for (const s of Array.from(doc.querySelectorAll('script[type="application/ld+json"]')).slice(0, maxBlocks)) {
    const raw = s.textContent ?? '';
    if (raw.length > maxChars) continue;
    try {
      push(JSON.parse(raw), 0);
    } catch {
      try {
        push(JSON.parse(escapeControlsInStrings(raw)), 0);
      } catch {
        /* a broken block on the page is not our error */
      }
    }
  }
  return out;
}

/** Escapes raw control characters (U+0000–U+001F) that appear inside JSON string literals. */
function escapeControlsInStrings(raw: string): string {
  let res = '';
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === '\\') {
        res += c + (raw[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === '"') inString = false;
      const code = c.charCodeAt(0);
      res += code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : c;
    } else {
      if (c === '"') inString = true;
      res += c;
    }
  }
  return res;
}

/** An attribute's value, trimmed; null when missing or blank. */
export function attr(el: Element | null | undefined, name: string): string | null {
  const v = el?.getAttribute(name);
  return v === null || v === undefined || v.trim() === '' ? null : v.trim();
}

/** Multi-line metadata text: each line's whitespace collapsed and trimmed, paragraph breaks kept. */
export function tidyLines(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = s
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return t || null;
}

/** Walks into parsed JSON (embedded page state) without trusting its shape. */
export function jsonAt(v: unknown, ...path: (string | number)[]): unknown {
  let cur = v;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** A JSON value as a non-blank string (finite numbers become strings), else null. */
export function jsonStr(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v : null;
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

/**
 * A deep copy of `el` owned by a document that has no window. Copies made
 * with cloneNode in the page's own document are not passive: their images
 * start loading (a request the platform can see when the image is not
 * cached) and custom elements run the page's constructors. In a document
 * without a browsing context nothing loads and nothing runs.
 */
export function inertCopy<T extends Element>(el: T): T {
  const inert = el.ownerDocument.implementation.createHTMLDocument('');
  return inert.importNode(el, true) as T;
}
