import type { CaptureDraft } from '../../utils/background/store';
import { utf8 } from '../../utils/shared/encoding';

/** A tiny valid PNG (1×1, red). */
export const PNG_1X1 = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='),
  (c) => c.charCodeAt(0),
);

/** A capture draft as the background would build it, with synthetic page content. */
export function sampleDraft(n: number, at = new Date(Date.UTC(2026, 10, 29, 12, 0, n))): CaptureDraft {
  const url = `http://127.0.0.1:8080/post/${n}`;
  return {
    format: 'cairn-capture/1',
    case_id: null,
    captured_at: at.toISOString(),
    captured_at_local: at.toISOString(),
    tz: 'UTC',
    clock: { source: 'system', tsa_time: null, skew_ms: null },
    page_url: url,
    canonical_url: null,
    page_title: `Post ${n}`,
    page_meta: { page_url: url, canonical_url: null, page_title: `Post ${n}`, og: {}, json_ld_types: [], lang: 'en' },
    platform: 'page',
    adapter_version: '1',
    kind: 'page',
    account: null,
    item: null,
    messages: null,
    artefacts: [
      { role: 'screenshot_viewport', name: 'screenshot.png', data: PNG_1X1, media_type: 'image/png', width: 1, height: 1, method: 'test', transformations: [] },
      { role: 'dom_original', name: 'original.html', data: utf8(`<html><body><p>post ${n}</p></body></html>`), media_type: 'text/html; charset=utf-8', method: 'test', transformations: [] },
      { role: 'text', name: 'text.txt', data: utf8(`post ${n}`), media_type: 'text/plain; charset=utf-8', method: 'test', transformations: [] },
    ],
    warnings: [],
    environment: {
      tool: 'Cairn', tool_version: '0.1.0', browser: 'test', browser_version: '0', os: 'linux x86-64', user_agent: 'test',
      viewport: { width: 800, height: 600 }, device_pixel_ratio: 1, locale: 'en-GB',
    },
    collector: { pseudonym: 'collector', role: 'victim' },
  };
}
