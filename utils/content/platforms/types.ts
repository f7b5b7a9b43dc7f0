import type { Extraction, ItemKind } from '../../shared/types';

/**
 * The adapter contract (DESIGN.md section 7). Every function is pure: it reads
 * the DOM it is given and never changes it, clicks, scrolls or fetches.
 */
export interface ExtractContext {
  /** The page URL (location.href at capture time, or the saved page's URL). */
  url: URL;
  /** Capture time, used to resolve relative times such as "2h". */
  capturedAt: Date;
}

export interface PlatformAdapter {
  /** Adapter id = file name = `platform` in the record. */
  id: string;
  /** Bumped whenever extraction output changes. */
  version: string;
  /** Human name ("X", "Reddit"). */
  label: string;
  /** True when this adapter handles pages at this URL. */
  matchesUrl(url: URL): boolean;
  /**
   * For platforms recognised by DOM rather than domain (Mastodon instances,
   * saved pages): true when the document carries the platform's markers.
   */
  matchesDocument?(doc: Document, url: URL): boolean;
  /** Every capturable item element on the page, in document order, outermost first. */
  findItems(doc: Document, ctx: ExtractContext): Element[];
  /** The innermost item that encloses `el` (for right-click), or null. */
  enclosingItem(el: Element, ctx: ExtractContext): Element | null;
  /** The kind of item `el` is (used to label the context menu). */
  kindOf(el: Element, ctx: ExtractContext): ItemKind;
  /** Extract one item found by findItems/enclosingItem. */
  extract(el: Element, ctx: ExtractContext): Extraction;
  /**
   * A page-level record when the page is itself the item (a profile, a served
   * page with only Open Graph / JSON-LD), or null.
   */
  extractPage?(doc: Document, ctx: ExtractContext): Extraction | null;
}
