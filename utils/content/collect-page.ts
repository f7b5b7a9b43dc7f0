import type { PageCollection } from '../shared/messages';
import type { PageMeta } from '../shared/types';
import { canonicalUrl, inertCopy, ldTypes, readJsonLd, readMeta, textOf } from './dom';

/**
 * Serialises the page as it is now, without changing it: the live DOM is only
 * read and copied into a document of our own that has no window (so the
 * page's MutationObservers see nothing, and the copy's images do not load and
 * its custom elements do not run), and nothing is fetched: images are inlined only from pixels the
 * browser already decoded, and cross-origin ones it will not give us stay as
 * links (recorded as such).
 */

/** Blocks every network load and script when the snapshot is opened. */
export const SNAPSHOT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; media-src data:";

const INLINE_IMAGE_BUDGET = 24 * 1024 * 1024;

export function pageMeta(doc: Document, url: URL): PageMeta {
  const og: Record<string, string> = {};
  for (const [k, val] of Object.entries(readMeta(doc))) {
    if (/^(og|article|profile|twitter|al):/.test(k) || k === 'description' || k === 'author') og[k] = val.slice(0, 2000);
  }
  return {
    page_url: url.href,
    canonical_url: canonicalUrl(doc, url),
    page_title: (doc.title ?? '').trim(),
    og,
    json_ld_types: [...new Set(readJsonLd(doc).flatMap(ldTypes))].slice(0, 50),
    lang: doc.documentElement.getAttribute('lang'),
  };
}

function doctypeOf(doc: Document): string {
  const dt = doc.doctype;
  if (!dt) return '';
  return `<!DOCTYPE ${dt.name}${dt.publicId ? ` PUBLIC "${dt.publicId}"` : ''}${dt.systemId ? ` "${dt.systemId}"` : ''}>\n`;
}

/** The DOM exactly as rendered now (outerHTML of the document element, with its doctype). */
export function originalHtml(doc: Document): string {
  return doctypeOf(doc) + doc.documentElement.outerHTML;
}

function cssTextOf(doc: Document): { css: string; blocked: number } {
  let css = '';
  let blocked = 0;
  for (const sheet of Array.from(doc.styleSheets)) {
    try {
      const rules = Array.from(sheet.cssRules);
      const media = sheet.media?.mediaText;
      const text = rules.map((r) => r.cssText).join('\n');
      css += media && media !== 'all' ? `@media ${media} {\n${text}\n}\n` : `${text}\n`;
    } catch {
      blocked++; // cross-origin stylesheet without CORS: the browser will not show us its rules
    }
  }
  return { css, blocked };
}

const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'xlink:href', 'srcset', 'poster', 'data'];

/** Removes everything that could run or load when the snapshot is opened. */
export function neutralise(root: Element): { scripts: number; handlers: number; jsUrls: number; frames: number } {
  let scripts = 0;
  let handlers = 0;
  let jsUrls = 0;
  let frames = 0;
  for (const s of Array.from(root.querySelectorAll('script, noscript'))) {
    if (s.tagName.toLowerCase() === 'script') scripts++;
    s.remove();
  }
  for (const f of Array.from(root.querySelectorAll('iframe, frame, object, embed, portal'))) {
    frames++;
    f.remove();
  }
  for (const m of Array.from(root.querySelectorAll('meta[http-equiv], base, link[rel~="preload"], link[rel~="prefetch"], link[rel~="modulepreload"], link[rel~="manifest"], link[rel~="import"]'))) m.remove();
  for (const el of Array.from(root.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) {
        el.removeAttribute(attr.name);
        handlers++;
      } else if (URL_ATTRS.includes(name) && /^\s*(javascript|vbscript|data:text\/html)/i.test(attr.value)) {
        el.removeAttribute(attr.name);
        jsUrls++;
      }
    }
  }
  return { scripts, handlers, jsUrls, frames };
}

function inlineImages(live: Document, clone: Element): { inlined: number; skipped: number } {
  const liveImgs = Array.from(live.documentElement.querySelectorAll('img'));
  const cloneImgs = Array.from(clone.querySelectorAll('img'));
  let budget = INLINE_IMAGE_BUDGET;
  let inlined = 0;
  let skipped = 0;
  const cache = new Map<string, string | null>();
  for (let i = 0; i < liveImgs.length && i < cloneImgs.length; i++) {
    const img = liveImgs[i] as HTMLImageElement;
    const target = cloneImgs[i];
    const src = img.currentSrc || img.src;
    if (!src || src.startsWith('data:')) continue;
    let data = cache.get(src);
    if (data === undefined) {
      data = null;
      if (img.complete && img.naturalWidth > 0 && budget > 0) {
        try {
          const canvas = live.createElement('canvas');
          canvas.width = img.naturalWidth;
          canvas.height = img.naturalHeight;
          canvas.getContext('2d')?.drawImage(img, 0, 0);
          data = canvas.toDataURL('image/png');
          budget -= data.length;
        } catch {
          data = null; // cross-origin pixels taint the canvas; the browser will not give them to us
        }
      }
      cache.set(src, data);
    }
    if (data) {
      target.setAttribute('data-cairn-original-src', src);
      target.setAttribute('src', data);
      target.removeAttribute('srcset');
      inlined++;
    } else skipped++;
  }
  return { inlined, skipped };
}

/** A cleaned, self-contained copy of the page that opens offline and runs nothing. */
export function snapshotHtml(doc: Document, url: URL): { html: string; transformations: string[] } {
  const clone = inertCopy(doc.documentElement);
  const out = clone.ownerDocument;
  const t: string[] = [];
  const n = neutralise(clone);
  t.push(`scripts removed (${n.scripts})`, `event handler attributes removed (${n.handlers})`);
  if (n.jsUrls) t.push(`javascript: URLs removed (${n.jsUrls})`);
  if (n.frames) t.push(`frames and embedded objects removed (${n.frames})`);
  const { css, blocked } = cssTextOf(doc);
  for (const l of Array.from(clone.querySelectorAll('link[rel~="stylesheet"], style'))) l.remove();
  const head = clone.querySelector('head') ?? clone.insertBefore(out.createElement('head'), clone.firstChild);
  const style = out.createElement('style');
  style.textContent = css;
  head.appendChild(style);
  t.push(`stylesheets inlined from the browser's parsed rules${blocked ? ` (${blocked} cross-origin stylesheet(s) could not be read)` : ''}`);
  const img = inlineImages(doc, clone);
  t.push(`images inlined as PNG from pixels already loaded (${img.inlined})${img.skipped ? `; ${img.skipped} not inlined (cross-origin or not loaded), left as links that the snapshot's CSP blocks` : ''}`);
  const meta = out.createElement('meta');
  meta.setAttribute('http-equiv', 'Content-Security-Policy');
  meta.setAttribute('content', SNAPSHOT_CSP);
  head.insertBefore(meta, head.firstChild);
  const charset = out.createElement('meta');
  charset.setAttribute('charset', 'utf-8');
  head.insertBefore(charset, head.firstChild);
  t.push('content security policy added that blocks scripts and network loads');
  const note = out.createComment(` Cairn snapshot of ${url.href.replace(/--/g, '-\u200b-')} `);
  return { html: `<!DOCTYPE html>\n<!--${note.data}-->\n${clone.outerHTML}`, transformations: t };
}

/** Everything a page capture needs from the page itself. */
export function collectPage(doc: Document, win: Window): PageCollection {
  const url = new URL(win.location.href);
  const snap = snapshotHtml(doc, url);
  const body = doc.body as HTMLElement | null;
  // innerText follows what is rendered (hidden text excluded); fall back where there is no layout.
  const text = (body && typeof body.innerText === 'string' ? body.innerText : textOf(body)) ?? '';
  return {
    original_html: originalHtml(doc),
    snapshot_html: snap.html,
    snapshot_transformations: snap.transformations,
    text,
    meta: pageMeta(doc, url),
    viewport: { width: win.innerWidth, height: win.innerHeight },
    device_pixel_ratio: win.devicePixelRatio || 1,
    locale: win.navigator.language,
    scroll: { x: win.scrollX, y: win.scrollY },
  };
}
