import { browser } from '@wxt-dev/webextension-polyfill/browser';
import { dataUrlBytes } from '../shared/png';
import type { ItemLocation } from '../shared/messages';

/**
 * Chromium allows two captureVisibleTab calls a second per extension
 * (MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND); a faster call fails. Calls are
 * spaced just past that.
 */
const MIN_INTERVAL_MS = 505;
let last = 0;
let chain: Promise<unknown> = Promise.resolve();

export function captureVisible(windowId: number): Promise<Uint8Array> {
  const run = async () => {
    const wait = last + MIN_INTERVAL_MS - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    try {
      return dataUrlBytes(await browser.tabs.captureVisibleTab(windowId, { format: 'png' }));
    } finally {
      last = Date.now();
    }
  };
  const p = chain.then(run, run);
  chain = p.catch(() => undefined);
  return p;
}

async function bitmap(png: Uint8Array): Promise<ImageBitmap> {
  return createImageBitmap(new Blob([png as BlobPart], { type: 'image/png' }));
}

async function encode(canvas: OffscreenCanvas): Promise<Uint8Array> {
  return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
}

export interface Crop {
  png: Uint8Array;
  width: number;
  height: number;
  /** Device pixels per CSS pixel, measured from the screenshot itself. */
  scale: number;
}

/** The part of a viewport screenshot covered by `rect` (CSS pixels), clipped to the viewport. */
export async function cropToRect(shot: Uint8Array, loc: ItemLocation): Promise<Crop> {
  const img = await bitmap(shot);
  const scale = img.width / loc.viewport.width;
  const x = Math.max(0, Math.round(loc.rect.x * scale));
  const y = Math.max(0, Math.round(loc.rect.y * scale));
  const w = Math.max(1, Math.min(img.width - x, Math.round((loc.rect.x + loc.rect.width) * scale) - x));
  const h = Math.max(1, Math.min(img.height - y, Math.round((loc.rect.y + loc.rect.height) * scale) - y));
  const canvas = new OffscreenCanvas(w, h);
  canvas.getContext('2d')!.drawImage(img, x, y, w, h, 0, 0, w, h);
  img.close();
  return { png: await encode(canvas), width: w, height: h, scale };
}

export interface Slice {
  shot: Uint8Array;
  /** The element's rect in that shot (CSS pixels, viewport-relative). */
  rect: ItemLocation['rect'];
}

/**
 * Joins viewport slices of a tall element into one image. Each slice
 * contributes the rows of the element it shows that earlier slices did not.
 */
export async function stitch(slices: Slice[], viewport: ItemLocation['viewport'], elementHeight: number, maxHeight: number): Promise<Crop & { truncated: boolean }> {
  const first = await bitmap(slices[0].shot);
  const scale = first.width / viewport.width;
  first.close();
  const left = Math.max(0, slices[0].rect.x);
  const right = Math.min(viewport.width, slices[0].rect.x + slices[0].rect.width);
  const w = Math.max(1, Math.round((right - left) * scale));
  const fullH = Math.round(elementHeight * scale);
  const h = Math.min(fullH, maxHeight);
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d')!;
  let done = 0; // element rows (CSS px) already drawn
  for (const s of slices) {
    const img = await bitmap(s.shot);
    // Element rows visible in this slice: from max(0, -rect.y) to min(height, viewport - rect.y).
    const from = Math.max(done, -s.rect.y);
    const to = Math.min(elementHeight, viewport.height - s.rect.y);
    if (to > from) {
      const sy = Math.round((s.rect.y + from) * scale);
      const dy = Math.round(from * scale);
      const sh = Math.min(Math.round((to - from) * scale), img.height - sy, h - dy);
      if (sh > 0) ctx.drawImage(img, Math.round(left * scale), sy, w, sh, 0, dy, w, sh);
      done = to;
    }
    img.close();
    if (done >= elementHeight || Math.round(done * scale) >= h) break;
  }
  return { png: await encode(canvas), width: w, height: h, scale, truncated: fullH > maxHeight };
}
