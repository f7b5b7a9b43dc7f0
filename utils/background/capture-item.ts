import type { CairnDb } from './db';
import { closedOr, draftBase, ensureCollector, tabOrNull, type CaptureOptions } from './capture-page';
import { captureVisible, cropToRect, stitch, type Crop, type Slice } from './screenshot';
import { storeCapture, type ArtefactInput, type CaptureDraft } from './store';
import type { ItemCollection, ItemLocation, Responses } from '../shared/messages';
import { sendToTab } from '../shared/messaging';
import { dataUrlBytes, pngSize } from '../shared/png';
import { err, ok, type Result } from '../shared/result';
import { utf8 } from '../shared/encoding';
import type { Warning } from '../shared/types';

export type ItemSource = 'context' | 'pointer' | 'picked';

/** Tallest element screenshot kept, in device pixels (browsers cap canvas sizes near 32k). */
const MAX_STITCH_HEIGHT = 16_384;

function fitsViewport(loc: ItemLocation): boolean {
  const r = loc.rect;
  return r.y >= 0 && r.y + r.height <= loc.viewport.height + 0.5 && r.height > 0;
}

/**
 * Screenshot of one element. Inside the viewport: one shot, cropped. Taller or
 * partly off-screen: the user asked for this item, so the page is scrolled
 * slice by slice and put back where it was.
 */
async function elementShot(tabId: number, windowId: number, loc: ItemLocation, warnings: Warning[]): Promise<Result<{ viewport: Uint8Array; element: Crop; method: string }>> {
  const viewportShot = await captureVisible(windowId);
  if (fitsViewport(loc)) {
    return ok({ viewport: viewportShot, element: await cropToRect(viewportShot, loc), method: 'tabs.captureVisibleTab, cropped to the element' });
  }
  const slices: Slice[] = [];
  const docTop = loc.scroll.y + loc.rect.y;
  try {
    for (let top = docTop; top < docTop + loc.rect.height && slices.length < 64; top += loc.viewport.height) {
      const moved = await sendToTab(tabId, 'bg:scroll-to', { x: loc.scroll.x, y: Math.max(0, top) });
      if (!moved?.ok) return moved ? (moved as Result<never>) : closedOr(tabId, err('collect-failed', 'The page stopped answering while scrolling.'));
      slices.push({ shot: await captureVisible(windowId), rect: moved.value.rect });
      // The page may not scroll further (end of document): the remaining rows are already in this slice.
      if (moved.value.rect.y + loc.rect.height <= loc.viewport.height) break;
    }
  } finally {
    await sendToTab(tabId, 'bg:scroll-to', { x: loc.scroll.x, y: loc.scroll.y }).catch(() => undefined);
  }
  const joined = await stitch(slices, loc.viewport, loc.rect.height, MAX_STITCH_HEIGHT);
  warnings.push({ code: 'screenshot-stitched', message: `The item is taller than the window; its screenshot was joined from ${slices.length} views taken while scrolling. Headers that stay on screen while scrolling may appear in it.` });
  if (joined.truncated) warnings.push({ code: 'screenshot-truncated', message: `The item is taller than ${MAX_STITCH_HEIGHT} pixels; its screenshot stops there. The full text is in the record.` });
  if (loc.rect.width > loc.viewport.width) warnings.push({ code: 'screenshot-clipped', message: 'The item is wider than the window; its screenshot shows only the visible width.' });
  return ok({ viewport: viewportShot, element: joined, method: `tabs.captureVisibleTab × ${slices.length}, scrolled and joined` });
}

/** Captures the item the user pointed at (right-click, shortcut, or picker). */
export async function captureItem(db: CairnDb, tabId: number, source: ItemSource, opts: CaptureOptions = {}): Promise<Responses['content:picked']> {
  const tab = await tabOrNull(tabId);
  if (!tab) return err('no-tab', 'That tab is no longer open.');
  const capturedAt = new Date();
  const ready = await ensureCollector(tabId);
  if (!ready.ok) return ready;
  let located: Responses['bg:locate-item'];
  try {
    located = await sendToTab(tabId, 'bg:locate-item', { source });
  } catch (e) {
    return closedOr(tabId, err('collect-failed', (e as Error).message));
  }
  if (!located) return closedOr(tabId, err('collect-failed', 'The page gave no answer.'));
  if (!located.ok) return located;

  const warnings: Warning[] = [];
  let shots: { viewport: Uint8Array; element: Crop; method: string };
  try {
    const r = await elementShot(tabId, tab.windowId!, located.value.location, warnings);
    if (!r.ok) return r;
    shots = r.value;
  } catch (e) {
    return closedOr(tabId, err('no-access', `The browser refused a screenshot: ${(e as Error).message}`));
  }

  let item: ItemCollection;
  try {
    const r = await sendToTab(tabId, 'bg:collect-item', {});
    if (!r) return closedOr(tabId, err('collect-failed', 'The page gave no answer.'));
    if (!r.ok) return r;
    item = r.value;
  } catch (e) {
    return closedOr(tabId, err('collect-failed', (e as Error).message));
  }

  const ex = item.extraction;
  const vp = pngSize(shots.viewport);
  const artefacts: ArtefactInput[] = [
    { role: 'screenshot_element', name: 'element.png', data: shots.element.png, media_type: 'image/png', width: shots.element.width, height: shots.element.height, method: shots.method, transformations: ['cropped to the element'] },
    { role: 'screenshot_viewport', name: 'screenshot.png', data: shots.viewport, media_type: 'image/png', width: vp?.width, height: vp?.height, method: 'tabs.captureVisibleTab (PNG)', transformations: [] },
    { role: 'dom_original', name: 'element.html', data: utf8(item.element_html), media_type: 'text/html; charset=utf-8', method: 'element.outerHTML (rendered DOM at capture time)', transformations: [] },
    { role: 'dom_snapshot', name: 'page.html', data: utf8(item.snapshot_html), media_type: 'text/html; charset=utf-8', method: 'cleaned clone of the element', transformations: item.snapshot_transformations },
    { role: 'dom_original', name: 'original.html', data: utf8(item.page_html), media_type: 'text/html; charset=utf-8', method: 'document.documentElement.outerHTML (the whole page around the item)', transformations: [] },
    { role: 'text', name: 'text.txt', data: utf8(item.text), media_type: 'text/plain; charset=utf-8', method: 'text of the element', transformations: [] },
  ];
  const files = new Map<number, ArtefactInput>();
  for (const f of item.media_files) {
    if (!f.data_url.startsWith('data:image/png;base64,')) continue;
    files.set(f.index, { role: 'media', name: `media/${String(f.index + 1).padStart(2, '0')}.png`, data: dataUrlBytes(f.data_url), media_type: 'image/png', width: f.width, height: f.height, method: f.method, transformations: ['re-encoded as PNG'], source_url: ex.item.media[f.index]?.url ?? ex.item.media[f.index]?.poster ?? null });
  }
  artefacts.push(...files.values());
  const media = ex.item.media.map((m, i) => ({
    ...m,
    sha256: null,
    why_missing: files.has(i)
      ? (m.why_missing ?? null)
      : (item.media_missing[i] ?? m.why_missing ?? 'Not saved as a separate file: getting its bytes would need a new request to the platform. It appears in the screenshots.'),
  }));
  const draft: CaptureDraft = {
    ...(await draftBase(capturedAt, item.meta, { viewport: item.location.viewport, device_pixel_ratio: item.location.device_pixel_ratio, locale: item.locale }, opts)),
    platform: ex.platform,
    adapter_version: ex.adapter_version,
    kind: ex.kind,
    account: ex.account ?? item.page_account,
    item: { ...ex.item, media },
    messages: ex.messages ?? null,
    artefacts,
    mediaFiles: Object.fromEntries([...files].map(([i, a]) => [i, a.name])),
    warnings: [...ex.warnings, ...warnings],
  };
  if (!(await tabOrNull(tabId))) return err('tab-closed', 'The tab was closed during the capture. Nothing was saved.');
  try {
    const record = await storeCapture(db, draft);
    return ok({ id: record.id, seq: record.seq, record_sha256: record.seal.record_sha256 });
  } catch (e) {
    return err('store-failed', `The capture could not be saved: ${(e as Error).message}`);
  }
}
