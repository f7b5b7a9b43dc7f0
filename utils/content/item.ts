import type { ItemCollection, ItemLocation } from '../shared/messages';
import type { ItemKind } from '../shared/types';
import { neutralise, pageMeta, originalHtml } from './collect-page';
import { inertCopy, textOf } from './dom';
import { collectMedia } from './media';
import type { ExtractContext, PlatformAdapter } from './platforms/types';
import { adapterFor, GENERIC_ADAPTER } from './registry';

/**
 * Item capture, content side: find the item the user pointed at, measure it,
 * and serialise it. Only reads the page (scrolling happens only for a
 * stitched screenshot the user asked for, and is undone).
 */

export interface Located {
  adapter: PlatformAdapter;
  element: Element;
  kind: ItemKind;
}

export function ctxFor(win: Window, capturedAt = new Date()): ExtractContext {
  return { url: new URL(win.location.href), capturedAt };
}

/** The item enclosing `target`, via the page's adapter; for a picked element with no item around it, the element itself. */
export function locate(doc: Document, target: Element | null, ctx: ExtractContext, picked = false): Located | null {
  if (!target) return null;
  const adapter = adapterFor(doc, ctx.url);
  const item = adapter.enclosingItem(target, ctx);
  if (item) return { adapter, element: item, kind: adapter.kindOf(item, ctx) };
  if (adapter !== GENERIC_ADAPTER) {
    const g = GENERIC_ADAPTER.enclosingItem(target, ctx);
    if (g) return { adapter: GENERIC_ADAPTER, element: g, kind: GENERIC_ADAPTER.kindOf(g, ctx) };
  }
  return picked ? { adapter: GENERIC_ADAPTER, element: target, kind: 'element' } : null;
}

export const KIND_LABEL: Record<ItemKind, string> = {
  post: 'post',
  comment: 'comment',
  message: 'message',
  conversation: 'conversation',
  profile: 'profile',
  page: 'page',
  element: 'element',
};

export function measure(el: Element, win: Window): ItemLocation {
  const r = el.getBoundingClientRect();
  return {
    rect: { x: r.left, y: r.top, width: r.width, height: r.height },
    viewport: { width: win.innerWidth, height: win.innerHeight },
    scroll: { x: win.scrollX, y: win.scrollY },
    device_pixel_ratio: win.devicePixelRatio || 1,
  };
}

/** The element on its own, cleaned like the page snapshot, with the page's readable styles, in a document that runs nothing. */
function elementSnapshot(el: Element, doc: Document, cspAndStyle: string): { html: string; transformations: string[] } {
  const clone = inertCopy(el);
  const holder = clone.ownerDocument.createElement('div');
  holder.appendChild(clone);
  const n = neutralise(holder);
  return {
    html: `<!DOCTYPE html>\n<html><head>${cspAndStyle}</head><body>${holder.innerHTML}</body></html>`,
    transformations: [
      'element cut out of its page',
      `scripts removed (${n.scripts})`,
      `event handler attributes removed (${n.handlers})`,
      ...(n.jsUrls ? [`javascript: URLs removed (${n.jsUrls})`] : []),
      ...(n.frames ? [`frames and embedded objects removed (${n.frames})`] : []),
      "page stylesheets that the browser lets us read inlined; content security policy that blocks scripts and loads added",
    ],
  };
}

function readableCss(doc: Document): string {
  let css = '';
  for (const sheet of Array.from(doc.styleSheets)) {
    try {
      css += Array.from(sheet.cssRules).map((r) => r.cssText).join('\n') + '\n';
    } catch {
      /* cross-origin sheet */
    }
  }
  return css.replace(/<\/style/gi, '<\\/style');
}

export function collectItem(loc: Located, doc: Document, win: Window, ctx: ExtractContext, csp: string): ItemCollection {
  const extraction = loc.kind === 'element' ? GENERIC_ADAPTER.extract(loc.element, ctx) : loc.adapter.extract(loc.element, ctx);
  if (loc.kind === 'element') extraction.kind = 'element';
  const head = `<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><style>${readableCss(doc)}</style>`;
  const snap = elementSnapshot(loc.element, doc, head);
  const pageLevel = loc.adapter.extractPage?.(doc, ctx) ?? null;
  const media = collectMedia(loc.element, extraction.item.media, doc);
  return {
    media_files: media.files,
    media_missing: media.reasons,
    extraction,
    page_account: pageLevel?.kind === 'profile' ? pageLevel.account : null,
    element_html: loc.element.outerHTML,
    page_html: originalHtml(doc),
    snapshot_html: snap.html,
    snapshot_transformations: snap.transformations,
    text: textOf(loc.element) ?? '',
    meta: pageMeta(doc, ctx.url),
    location: measure(loc.element, win),
    locale: win.navigator.language,
  };
}
