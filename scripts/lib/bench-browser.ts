import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { ROOT } from './browsers';
import { buildChromeE2E } from './build';
import { contextMenuClick, gotoExtensionPage, launch } from './driver';
import { serveStatic } from './server';
import { FIXTURES_DIR } from '../../tests/helpers/fixtures';

export interface Timing {
  samples: number[];
}

type Api = {
  tabs: { query(q: object): Promise<{ id?: number; url?: string; windowId?: number }[]>; captureVisibleTab(w: number, o: object): Promise<string> };
  runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; error?: { message: string } }> };
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Chromium's captureVisibleTab limit is 2 calls a second; space runs so no run waits on the previous one. */
const SPACING_MS = 1100;

/**
 * Capture timings in headless Chromium with the e2e build, each beside a bare
 * captureVisibleTab of the same page in the same browser. The extension page
 * doing the timing sits in its own window so the captured page stays visible.
 */
export async function browserTimings(runs: number): Promise<{ bare: number[]; item: number[]; page: number[]; tall: number[]; tallShots: number }> {
  buildChromeE2E();
  const srv = await serveStatic(join(ROOT, 'tests/fixtures/demo'), { '/fx/': FIXTURES_DIR });
  const l = await launch('chromium', 'e2e');
  try {
    const ext = await l.browser.newPage({ type: 'window' });
    await gotoExtensionPage(l, ext, 'vault.html', '#fingerprint');
    const open = async (path: string): Promise<{ page: Page; url: string }> => {
      const page = await l.browser.newPage();
      await page.setRequestInterception(true);
      page.on('request', (r) => (new URL(r.url()).hostname === '127.0.0.1' ? r.continue() : r.abort()));
      const url = srv.origin + path;
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      await page.bringToFront();
      return { page, url };
    };
    const demo = await open('/index.html');
    const bare: number[] = [];
    const item: number[] = [];
    const page: number[] = [];
    for (let i = 0; i < runs; i++) {
      await pause(SPACING_MS);
      bare.push(
        await ext.evaluate(async (url: string) => {
          const g = globalThis as unknown as { browser?: Api; chrome?: Api };
          const api = (g.browser ?? g.chrome)!;
          const tab = (await api.tabs.query({})).find((t) => t.url === url)!;
          const t0 = performance.now();
          await api.tabs.captureVisibleTab(tab.windowId!, { format: 'png' });
          return performance.now() - t0;
        }, demo.url),
      );
      await pause(SPACING_MS);
      await demo.page.click('#post-1042 .e-content', { button: 'right' });
      await demo.page.keyboard.press('Escape');
      const t0 = performance.now();
      const r = await contextMenuClick(l, ext, demo.url, 'cairn-capture-item');
      item.push(performance.now() - t0);
      if (!r.ok) throw new Error(`item capture failed: ${r.error?.message}`);
      await pause(SPACING_MS);
      page.push(
        await ext.evaluate(async (url: string) => {
          const g = globalThis as unknown as { browser?: Api; chrome?: Api };
          const api = (g.browser ?? g.chrome)!;
          const tab = (await api.tabs.query({})).find((t) => t.url === url)!;
          const t1 = performance.now();
          const res = await api.runtime.sendMessage({ cairn: 1, type: 'ui:capture-tab', payload: { tabId: tab.id } });
          if (!res.ok) throw new Error(res.error?.message);
          return performance.now() - t1;
        }, demo.url),
      );
    }

    // A comment taller than the window: the capture scrolls and joins views.
    const reddit = await open('/fx/reddit/webscrapers__old-reddit-post-comments-2025.html');
    const sel = 'div.thing[data-fullname="t1_n113cp2"]';
    const geo = await reddit.page.$eval(sel, (e) => ({ h: e.getBoundingClientRect().height, vh: innerHeight }));
    const tallShots = 1 + Math.ceil(geo.h / geo.vh); // one viewport shot, then one per slice
    const tall: number[] = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
      await pause(SPACING_MS);
      await reddit.page.click(`${sel} > .entry .usertext-body .md`, { button: 'right' });
      await reddit.page.keyboard.press('Escape');
      const t0 = performance.now();
      const r = await contextMenuClick(l, ext, reddit.url, 'cairn-capture-item');
      tall.push(performance.now() - t0);
      if (!r.ok) throw new Error(`tall capture failed: ${r.error?.message}`);
    }
    return { bare, item, page, tall, tallShots };
  } finally {
    await l.close();
    await srv.close();
  }
}
