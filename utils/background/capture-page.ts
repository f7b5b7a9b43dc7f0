import { browser } from '@wxt-dev/webextension-polyfill/browser';
import type { Tabs } from 'webextension-polyfill';
import type { CairnDb } from './db';
import { environment, localIso } from './environment';
import { storeCapture, type ArtefactInput, type CaptureDraft } from './store';
import type { Responses, PageCollection } from '../shared/messages';
import { sendToTab } from '../shared/messaging';
import { pngSize } from '../shared/png';
import { captureVisible } from './screenshot';
import { err, ok, type Result } from '../shared/result';
import { utf8 } from '../shared/encoding';
import type { Collector, PageMeta, Warning } from '../shared/types';

/** The built content script, injected on demand where it is not declared. */
export const CONTENT_SCRIPT_FILE = '/collector.js';

const CAPTURABLE = /^(https?|file):/;

/** Makes sure our collector is listening in the tab's top frame, injecting it with activeTab if needed. */
export async function ensureCollector(tabId: number): Promise<Result<true>> {
  const ping = async () => {
    try {
      const r = await sendToTab(tabId, 'bg:ping', {});
      return r?.ok === true;
    } catch {
      return false;
    }
  };
  if (await ping()) return ok(true);
  try {
    await browser.scripting.executeScript({ target: { tabId }, files: [CONTENT_SCRIPT_FILE] });
  } catch (e) {
    return err('no-access', `Could not read the page: ${(e as Error).message}`);
  }
  return (await ping()) ? ok(true) : err('no-access', 'The page did not let Cairn read it.');
}

export async function tabOrNull(tabId: number): Promise<Tabs.Tab | null> {
  try {
    return await browser.tabs.get(tabId);
  } catch {
    return null;
  }
}

export interface CaptureOptions {
  collector?: Collector;
  case_id?: string | null;
}

/** The fields every capture shares: time, page, environment, collector. */
export async function draftBase(
  capturedAt: Date,
  meta: PageMeta,
  geometry: { viewport: { width: number; height: number }; device_pixel_ratio: number; locale: string },
  opts: CaptureOptions,
) {
  return {
    format: 'cairn-capture/1' as const,
    case_id: opts.case_id ?? null,
    captured_at: capturedAt.toISOString(),
    captured_at_local: localIso(capturedAt),
    tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
    clock: { source: 'system' as const, tsa_time: null, skew_ms: null },
    page_url: meta.page_url,
    canonical_url: meta.canonical_url,
    page_title: meta.page_title,
    page_meta: meta,
    environment: await environment(geometry),
    collector: opts.collector ?? { pseudonym: 'collector', role: 'victim' as const },
  };
}

/** Waits briefly, then tells a closed tab apart from another failure (Firefox tears a closing tab down slowly). */
export async function closedOr<T>(tabId: number, fallback: Result<T>): Promise<Result<T>> {
  await new Promise((r) => setTimeout(r, 200));
  return (await tabOrNull(tabId)) ? fallback : err('tab-closed', 'The tab was closed during the capture.');
}

/**
 * Captures what the tab shows now: screenshot of the visible area first (the
 * moment the user asked), then the DOM, snapshot, text and metadata from the
 * page. Nothing is stored unless everything was collected.
 */
export async function captureTab(db: CairnDb, tabId: number, opts: CaptureOptions = {}): Promise<Responses['ui:capture-tab']> {
  const tab = await tabOrNull(tabId);
  if (!tab) return err('no-tab', 'That tab is no longer open.');
  if (!tab.url || !CAPTURABLE.test(tab.url)) return err('restricted-page', 'Pages of the browser itself cannot be captured.');
  const capturedAt = new Date();

  let png: Uint8Array;
  try {
    if (!tab.active) await browser.tabs.update(tabId, { active: true });
    png = await captureVisible(tab.windowId!);
  } catch (e) {
    return (await tabOrNull(tabId)) ? err('no-access', `The browser refused a screenshot: ${(e as Error).message}`) : err('tab-closed', 'The tab was closed.');
  }

  const ready = await ensureCollector(tabId);
  if (!ready.ok) return (await tabOrNull(tabId)) ? ready : err('tab-closed', 'The tab was closed.');

  let page: PageCollection;
  try {
    const r = await sendToTab(tabId, 'bg:collect-page', {});
    if (!r) return closedOr(tabId, err('collect-failed', 'The page gave no answer.'));
    if (!r.ok) return r;
    page = r.value;
  } catch (e) {
    return closedOr(tabId, err('collect-failed', (e as Error).message));
  }

  const shotSize = pngSize(png);
  const warnings: Warning[] = [];
  if (page.meta.page_url !== tab.url)
    warnings.push({ code: 'url-changed', message: 'The page address changed between the screenshot and reading the page.' });
  const artefacts: ArtefactInput[] = [
    {
      role: 'screenshot_viewport',
      name: 'screenshot.png',
      data: png,
      media_type: 'image/png',
      width: shotSize?.width,
      height: shotSize?.height,
      method: 'tabs.captureVisibleTab (PNG)',
      transformations: [],
    },
    {
      role: 'dom_original',
      name: 'original.html',
      data: utf8(page.original_html),
      media_type: 'text/html; charset=utf-8',
      method: 'document.documentElement.outerHTML (rendered DOM at capture time)',
      transformations: [],
    },
    {
      role: 'dom_snapshot',
      name: 'page.html',
      data: utf8(page.snapshot_html),
      media_type: 'text/html; charset=utf-8',
      method: 'cleaned clone of the rendered DOM',
      transformations: page.snapshot_transformations,
    },
    {
      role: 'text',
      name: 'text.txt',
      data: utf8(page.text),
      media_type: 'text/plain; charset=utf-8',
      method: 'document.body.innerText',
      transformations: [],
    },
  ];
  const draft: CaptureDraft = {
    ...(await draftBase(capturedAt, page.meta, page, opts)),
    platform: 'page',
    adapter_version: '1',
    kind: 'page',
    account: null,
    item: null,
    messages: null,
    artefacts,
    warnings,
  };
  if (!(await tabOrNull(tabId))) return err('tab-closed', 'The tab was closed during the capture. Nothing was saved.');
  try {
    const record = await storeCapture(db, draft);
    return ok({ id: record.id, seq: record.seq, record_sha256: record.seal.record_sha256 });
  } catch (e) {
    return err('store-failed', `The capture could not be saved: ${(e as Error).message}`);
  }
}
