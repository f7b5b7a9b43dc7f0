import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { type BrowserName, type Launched } from '../../scripts/lib/browsers';
import { contextMenuClick, keyboardCommand, launch, openPopup, openVault, readRecord } from '../../scripts/lib/driver';
import { serveStatic, type StaticServer } from '../../scripts/lib/server';
import { FIXTURES_DIR } from '../helpers/fixtures';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/browsers';

const BROWSERS: BrowserName[] = ['chromium', 'firefox'];
const OLD_REDDIT = '/fx/reddit/webscrapers__old-reddit-post-comments-2025.html';

/** Opens a served page with every request that would leave 127.0.0.1 blocked (the saved pages reference platform CDNs). */
async function openServed(l: Launched, url: string): Promise<Page> {
  const page = await l.browser.newPage();
  await page.setRequestInterception(true);
  page.on('request', (r) => (new URL(r.url()).hostname === '127.0.0.1' ? r.continue() : r.abort()));
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.bringToFront();
  return page;
}

interface Rect { width: number; height: number; dpr: number }
async function rectOf(page: Page, selector: string): Promise<Rect> {
  return page.$eval(selector, (e) => {
    const r = e.getBoundingClientRect();
    return { width: r.width, height: r.height, dpr: devicePixelRatio };
  });
}

type Artefact = { role: string; name: string; width?: number; height?: number; sha256: string };

describe.each(BROWSERS)('%s: capture the item the user points at', (name) => {
  let l: Launched;
  let srv: StaticServer;
  let ext: Page;

  beforeAll(async () => {
    srv = await serveStatic(join(ROOT, 'tests/fixtures/demo'), { '/fx/': FIXTURES_DIR });
    l = await launch(name, 'e2e');
    ext = await openVault(l);
  });
  afterAll(async () => {
    await l?.close();
    await srv?.close();
  });

  async function rightClickCapture(page: Page, url: string, target: string) {
    await page.bringToFront();
    await page.click(target, { button: 'right' });
    // Dismiss the native menu the right-click opened (headless shows none); the handler then runs as the menu's click would.
    await page.keyboard.press('Escape');
    await new Promise((r) => setTimeout(r, 300));
    return contextMenuClick(l, ext, url, 'cairn-capture-item');
  }

  function expectElementSize(artefacts: Artefact[], rect: Rect) {
    const el = artefacts.find((a) => a.role === 'screenshot_element')!;
    expect(el.name).toBe('element.png');
    expect(Math.abs(el.width! - rect.width * rect.dpr)).toBeLessThanOrEqual(2 * rect.dpr);
    expect(Math.abs(el.height! - rect.height * rect.dpr)).toBeLessThanOrEqual(2 * rect.dpr);
  }

  it('right-click on a Reddit post captures the post with its extracted fields and an element screenshot of its size', async () => {
    const url = srv.origin + OLD_REDDIT;
    const page = await openServed(l, url);
    const post = 'div.thing[data-fullname="t3_1lqa2hj"]';
    const title = await page.$eval(`${post} a.title`, (a) => a.textContent);
    const r = await rightClickCapture(page, url, `${post} a.title`);
    expect(r.error).toBeUndefined();
    expect(r.value!.label).toBe('Capture this post');
    const rect = await rectOf(page, post);
    const rec = (await readRecord(ext, r.value!.id)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(rec.platform).toBe('reddit');
    expect(rec.kind).toBe('post');
    expect(rec.item.platform_item_id).toBe('t3_1lqa2hj');
    expect((rec.item.title ?? rec.item.text).replace(/\s+/g, ' ')).toContain(title!.replace(/\s+/g, ' ').trim());
    expect(rec.account.handle).toBe(await page.$eval(post, (e) => e.getAttribute('data-author')));
    expect(rec.item.posted_at).toBe(new Date(Number(await page.$eval(post, (e) => e.getAttribute('data-timestamp')))).toISOString());
    expect(rec.item.url).toBe(new URL((await page.$eval(post, (e) => e.getAttribute('data-permalink')))!, url).href);
    expectElementSize(rec.artefacts, rect);
    expect(rec.artefacts.map((a: Artefact) => a.name)).toEqual(['element.png', 'screenshot.png', 'element.html', 'page.html', 'original.html', 'text.txt']);
  });

  it('right-click on a comment captures that comment, not its post', async () => {
    const url = srv.origin + OLD_REDDIT;
    const pages = await l.browser.pages();
    const page = pages.find((p) => p.url() === url)!;
    const comment = 'div.thing[data-fullname="t1_n113cp2"]';
    const r = await rightClickCapture(page, url, `${comment} > .entry .usertext-body .md`);
    expect(r.error).toBeUndefined();
    expect(r.value!.label).toBe('Capture this comment');
    const rec = (await readRecord(ext, r.value!.id)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(rec.kind).toBe('comment');
    expect(rec.item.platform_item_id).toBe('t1_n113cp2');
    expect(rec.item.thread_id).toBe('t3_1lqa2hj');
    expect(rec.account.handle).toBe(await page.$eval(comment, (e) => e.getAttribute('data-author')));
    const text = await page.$eval(`${comment} > .entry .usertext-body .md`, (e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());
    expect(rec.item.text.replace(/\s+/g, ' ').trim()).toBe(text);
    // The comment element: its own entry and its replies live in one div.thing; the screenshot is that element.
    expectElementSize(rec.artefacts, await rectOf(page, comment));
  });

  it('the keyboard shortcut captures the item under the pointer', async () => {
    const url = `${srv.origin}/index.html`;
    const page = await l.browser.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await page.bringToFront();
    const box = await page.$eval('#post-1039 .e-content', (e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    });
    await page.mouse.move(box.x, box.y);
    await new Promise((r) => setTimeout(r, 200));
    const r = await keyboardCommand(ext, url, 'capture-item');
    expect(r.error).toBeUndefined();
    const rec = (await readRecord(ext, r.value!.id)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect([rec.platform, rec.kind, rec.item.platform_item_id, rec.item.url]).toEqual(['generic', 'post', 'post-1039', `${srv.origin}/post/1039`]);
    expect(rec.item.text).toBe('Lovely walk by the river today.');
    expect(rec.account.display_name).toBe('Sam Quill');
    expectElementSize(rec.artefacts, await rectOf(page, '#post-1039'));
    await page.close();
  });

  it('the picker captures an element on a generic page', async () => {
    const page = await l.browser.newPage();
    await page.goto(`${srv.origin}/index.html`, { waitUntil: 'load' });
    const popup = await openPopup(l, page);
    await popup.click('#pick-element');
    await page.bringToFront();
    const target = '#post-1041 .e-content';
    await page.waitForFunction(() => document.documentElement.lastElementChild?.shadowRoot === null && document.documentElement.children.length > 2, { timeout: 10_000 }).catch(() => undefined);
    const box = (await page.$eval(target, (e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }))!;
    await page.mouse.move(box.x, box.y);
    await page.mouse.click(box.x, box.y);
    const before = Date.now();
    let rec: Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
    while (!rec && Date.now() - before < 20_000) {
      await new Promise((r) => setTimeout(r, 300));
      rec = await ext.evaluate(
        () =>
          new Promise<Record<string, unknown> | undefined>((resolve) => {
            const req = indexedDB.open('cairn');
            req.onsuccess = () => {
              const all = req.result.transaction('captures').objectStore('captures').getAll();
              all.onsuccess = () => {
                req.result.close();
                const rows = (all.result as { record: Record<string, unknown> }[]).map((x) => x.record);
                resolve(rows.find((x) => String(x.page_url).endsWith('/index.html') && (x.item as { platform_item_id?: string } | null)?.platform_item_id === 'post-1041'));
              };
            };
          }),
      );
    }
    expect(rec).toBeDefined();
    expect(rec!.platform).toBe('generic');
    expect(rec!.kind).toBe('post');
    expect(rec!.item.text).toContain('Nice view from outside your building this morning.');
    expect(rec!.item.posted_at).toBe('2026-11-28T07:02:44.000Z');
    expect(rec!.account.display_name).toBe('Grey Heron');
    expectElementSize(rec!.artefacts, await rectOf(page, '#post-1041'));
    // The post's photo was already loaded by the page: its pixels are kept as a file, and the record points at it.
    const photo = rec!.artefacts.find((a: Artefact) => a.role === 'media');
    expect(photo).toMatchObject({ name: 'media/01.png', media_type: 'image/png', width: 600, height: 300, source_url: `${srv.origin}/photo.svg` });
    expect(rec!.item.media).toEqual([{ kind: 'image', url: `${srv.origin}/photo.svg`, alt: 'A hillside at dawn', sha256: photo.sha256, why_missing: null }]);
    // The picker's overlay is gone.
    expect(await page.evaluate(() => document.documentElement.children.length)).toBe(2);
  });
});
