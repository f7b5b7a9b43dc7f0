import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { FIREFOX_ADDON_ID, ROOT, type BrowserName, type Launched } from '../../scripts/lib/browsers';
import { contextMenuClick, launch, openPopup, openVault, readRecord, workDir } from '../../scripts/lib/driver';
import { serveStatic, type StaticServer } from '../../scripts/lib/server';

/**
 * Issue #5 part 6: no traces the page can detect. The page under test
 * (tests/fixtures/privacy/watchful.html, and a Messenger-shaped conversation
 * with the same watcher) records every DOM mutation, scroll, focus and
 * selection change, window message, known extension event, new global,
 * stylesheet and resource, and probes for Cairn's files. Page capture,
 * right-click capture of an item in the window and conversation capture must
 * leave that log empty; the captures that scroll or pick at the user's request
 * must put back exactly what they touched.
 */

const BROWSERS: BrowserName[] = ['chromium', 'firefox'];

interface LogEntry { section: string; kind: string; detail: Record<string, unknown>; t: number }
interface Report {
  section: string;
  sinceMark: LogEntry[];
  all: LogEntry[];
  changedSinceMark: { what: string }[];
  changedSinceLoad: { what: string }[];
  probesFound: { how: string; url: string }[];
  probesTried: number;
  now: { scroll: { x: number; y: number }; active: string; htmlChildren: string[] };
}

/** What an extension would leave at any time, not only during a capture: these kinds must never appear. */
const NEVER = ['mutation', 'message', 'extension-event'];

let genDir = '';

/** The Messenger-shaped conversation fixture with the watcher added; its remote images point at a local blank one. */
function writeConversationPage(): void {
  genDir = workDir('watchful-');
  mkdirSync(genDir, { recursive: true });
  const html = readFileSync(join(ROOT, 'tests/fixtures/messaging/messenger-thread.html'), 'utf8')
    .replace('<head>', '<head>\n<script src="/watch.js"></script>')
    // As in the Messenger web app, the open conversation is a pane the height of the window that scrolls inside itself.
    .replace('</head>', '<style>div[role="main"] { position: fixed; top: 0; right: 0; width: 62%; height: 100vh; overflow: auto; }</style>\n</head>')
    .replace(/src="https:\/\/[^"]+"/g, 'src="/blank.svg"');
  writeFileSync(join(genDir, 'conversation.html'), html);
}

async function serve(): Promise<StaticServer> {
  if (!genDir) writeConversationPage();
  return serveStatic(join(ROOT, 'tests/fixtures/privacy'), { '/gen/': genDir });
}

/** The watcher's query: what to probe for, and a label that gives each test its own tab address. */
function probeQuery(l: Launched, label: string): string {
  const id = l.name === 'chromium' ? l.extensionId : FIREFOX_ADDON_ID;
  return `?probe=${encodeURIComponent(l.extensionOrigin)}&ids=${encodeURIComponent(id)}&test=${label}`;
}

async function openWatched(l: Launched, url: string): Promise<Page> {
  const page = await l.browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => (window as unknown as { __watch?: { ready(): boolean } }).__watch?.ready() === true);
  await page.bringToFront();
  return page;
}

async function until<T>(f: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 300));
  }
}

const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));
const mark = (page: Page, label: string) => page.evaluate((x: string) => void (window as unknown as { __watch: { mark(l: string): unknown } }).__watch.mark(x), label);
// As JSON: Firefox's WebDriver BiDi drops parts of a deep result object (the window's ~1,000 global names are in it).
const report = async (page: Page): Promise<Report> =>
  JSON.parse(await page.evaluate(async () => JSON.stringify(await (window as unknown as { __watch: { report(): Promise<unknown> } }).__watch.report())));
const state = async (page: Page): Promise<Report['now']> => JSON.parse(await page.evaluate(() => JSON.stringify((window as unknown as { __watch: { state(): unknown } }).__watch.state())));

/** The log entries no capture may cause, over the page's whole life (the collector's arrival included). */
const never = (r: Report) => r.all.filter((e) => NEVER.includes(e.kind));

async function rightClick(page: Page, selector: string): Promise<void> {
  await page.click(selector, { button: 'right' });
  // Dismiss the native menu (headless shows none); the menu item is then run by the test message, as a click would.
  await page.keyboard.press('Escape');
  await settle(300);
}

describe.each(BROWSERS)('%s: a page that watches itself sees nothing during capture', (name) => {
  let l: Launched;
  let srv: StaticServer;
  let ext: Page;

  beforeAll(async () => {
    srv = await serve();
    // The e2e build: its collector is declared for 127.0.0.1 (present from page load, as on the platforms) and it
    // answers the test message that stands in for a click on the context menu.
    l = await launch(name, 'e2e');
    ext = await openVault(l);
  });
  afterAll(async () => {
    await l?.close();
    await srv?.close();
  });

  it('page capture: no change, no event, no file found', async () => {
    const url = `${srv.origin}/watchful.html${probeQuery(l, 'page')}`;
    const page = await openWatched(l, url);
    await page.focus('#reply');
    await page.evaluate(() => scrollTo(0, 40));
    await settle();
    await mark(page, 'capture');
    const r = await contextMenuClick(l, ext, url, 'cairn-capture-page');
    expect(r.error).toBeUndefined();
    const rep = await report(page);
    expect(rep.sinceMark).toEqual([]);
    expect(rep.changedSinceMark).toEqual([]);
    expect(never(rep)).toEqual([]);
    expect(rep.probesTried).toBe(20);
    expect(rep.probesFound).toEqual([]);
    expect(rep.now).toMatchObject({ scroll: { x: 0, y: 40 }, active: 'input#reply' });
    await page.close();
  });

  it('right-click capture of an item inside the window: no change, no event, no file found', async () => {
    const url = `${srv.origin}/watchful.html${probeQuery(l, 'item')}`;
    const page = await openWatched(l, url);
    await page.focus('#reply');
    await rightClick(page, '#post-short .e-content');
    await mark(page, 'capture');
    const r = await contextMenuClick(l, ext, url, 'cairn-capture-item');
    expect(r.error).toBeUndefined();
    const rec = (await readRecord(ext, r.value!.id)) as { kind: string; platform: string; warnings: { code: string }[] };
    expect([rec.platform, rec.kind]).toEqual(['generic', 'post']);
    expect(rec.warnings.map((w) => w.code)).not.toContain('screenshot-stitched');
    const rep = await report(page);
    expect(rep.sinceMark).toEqual([]);
    expect(rep.changedSinceMark).toEqual([]);
    expect(never(rep)).toEqual([]);
    expect(rep.probesFound).toEqual([]);
    await page.close();
  });

  it('conversation capture of the loaded messages: no change, no event, no file found', async () => {
    const url = `${srv.origin}/gen/conversation.html${probeQuery(l, 'conversation')}`;
    const page = await openWatched(l, url);
    await rightClick(page, 'div[role="main"] h2');
    await mark(page, 'capture');
    const r = await contextMenuClick(l, ext, url, 'cairn-capture-item');
    expect(r.error).toBeUndefined();
    expect(r.value!.label).toBe('Capture this conversation');
    const rec = (await readRecord(ext, r.value!.id)) as { kind: string; platform: string; messages: { text: string }[] };
    expect([rec.platform, rec.kind]).toEqual(['messenger', 'conversation']);
    expect(rec.messages.map((m) => m.text)).toContain('Please stop messaging me.');
    const rep = await report(page);
    expect(rep.sinceMark).toEqual([]);
    expect(rep.changedSinceMark).toEqual([]);
    expect(never(rep)).toEqual([]);
    expect(rep.probesFound).toEqual([]);
    await page.close();
  });

  it('an item taller than the window: the page sees only scroll events and is put back exactly', async () => {
    const url = `${srv.origin}/watchful.html${probeQuery(l, 'long')}`;
    const page = await openWatched(l, url);
    // Scrolled a little (the field stays on screen, so focusing it does not scroll), the long post's top in view.
    await page.evaluate(() => scrollTo(0, 31));
    await rightClick(page, '#post-long .e-content p');
    // The right-click moved focus off the field (it landed on text); give it back so a change of focus would show.
    await page.focus('#reply');
    await settle();
    await mark(page, 'capture');
    const before = await state(page);
    expect(before.scroll).toEqual({ x: 0, y: 31 });
    expect(before.active).toBe('input#reply');
    const r = await contextMenuClick(l, ext, url, 'cairn-capture-item');
    expect(r.error).toBeUndefined();
    const rec = (await readRecord(ext, r.value!.id)) as { warnings: { code: string }[] };
    expect(rec.warnings.map((w) => w.code)).toContain('screenshot-stitched');
    const rep = await report(page);
    // The scroll is what the user asked for; nothing else happens, and everything is as it was.
    expect([...new Set(rep.sinceMark.map((e) => e.kind))]).toEqual(['scroll']);
    expect(rep.sinceMark.length).toBeGreaterThanOrEqual(2);
    expect(rep.sinceMark.at(-1)!.detail).toEqual({ x: 0, y: 31 });
    expect(rep.changedSinceMark).toEqual([]);
    expect(rep.now.scroll).toEqual({ x: 0, y: 31 });
    expect(rep.now.active).toBe('input#reply');
    expect(never(rep)).toEqual([]);
    await page.close();
  });

  it('the element picker on a long item: one overlay element added and removed, no click reaches the page, scroll put back, focus unchanged', async () => {
    const url = `${srv.origin}/watchful.html${probeQuery(l, 'picker')}`;
    const page = await openWatched(l, url);
    await page.focus('#reply');
    await page.evaluate(() => scrollTo(0, 30));
    await settle();
    const popup = await openPopup(l, page);
    await settle();
    await mark(page, 'pick');
    await popup.click('#pick-element');
    if (name === 'firefox') await popup.close().catch(() => undefined);
    await page.bringToFront();
    await page.waitForFunction(() => document.documentElement.children.length === 3);
    // The long post is three windows tall: picking it means a scrolled, joined screenshot.
    const box = await page.$eval('#post-long .e-content p', (e) => {
      const b = e.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    });
    await page.mouse.move(box.x, box.y);
    await page.mouse.click(box.x, box.y);
    await page.waitForFunction(() => document.documentElement.children.length === 2);
    const rec = await until(async () => {
      const rows = (await ext.evaluate(
        () =>
          new Promise<unknown[]>((resolve) => {
            const req = indexedDB.open('cairn');
            req.onsuccess = () => {
              const all = req.result.transaction('captures').objectStore('captures').getAll();
              all.onsuccess = () => {
                req.result.close();
                resolve((all.result as { record: unknown }[]).map((x) => x.record));
              };
            };
          }),
      )) as { page_url: string; item: { platform_item_id: string | null } | null; warnings: { code: string }[] }[];
      return rows.find((r) => r.page_url === url && r.item?.platform_item_id === 'post-long');
    });
    expect(rec.warnings.map((w) => w.code)).toContain('screenshot-stitched');
    const rep = await report(page);
    const mutations = rep.sinceMark.filter((e) => e.kind === 'mutation').map((e) => e.detail);
    expect(mutations).toEqual([
      { type: 'childList', target: 'html', attribute: null, added: ['div'], removed: [] },
      { type: 'childList', target: 'html', attribute: null, added: [], removed: ['div'] },
    ]);
    expect(rep.sinceMark.filter((e) => e.kind === 'click')).toEqual([]);
    // Moving between the popup and the page moves the browser's focus between windows, as any toolbar button does:
    // the page sees its window, and the field that has focus, lose focus and get it back. Which element has focus
    // does not change. The scrolling is the joined screenshot's, and ends where the page was.
    const windowFocus = (e: LogEntry) => ['focus', 'blur', 'focusin', 'focusout'].includes(e.kind) && ['window', 'document', 'input#reply'].includes(e.detail.target as string);
    const scrolls = rep.sinceMark.filter((e) => e.kind === 'scroll');
    expect(scrolls.length).toBeGreaterThanOrEqual(2);
    expect(scrolls.at(-1)!.detail).toEqual({ x: 0, y: 30 });
    expect(rep.sinceMark.filter((e) => e.kind !== 'mutation' && e.kind !== 'scroll' && !windowFocus(e))).toEqual([]);
    expect(rep.changedSinceMark).toEqual([]);
    expect(rep.now).toMatchObject({ scroll: { x: 0, y: 30 }, active: 'input#reply', htmlChildren: ['head', 'body'] });
    await page.close();
  });
});

describe('chromium, production build: page capture from the toolbar injects the collector without a trace', () => {
  let l: Launched;
  let srv: StaticServer;

  beforeAll(async () => {
    srv = await serve();
    l = await launch('chromium');
  });
  afterAll(async () => {
    await l?.close();
    await srv?.close();
  });

  it('the collector arrives during the capture (activeTab), and the page sees nothing', async () => {
    const url = `${srv.origin}/watchful.html${probeQuery(l, 'production')}`;
    const page = await openWatched(l, url);
    await page.focus('#reply');
    await settle();
    const popup = await openPopup(l, page);
    await settle();
    await mark(page, 'capture');
    await popup.click('#capture-page');
    await popup.waitForSelector('#capture-result, .status.error', { timeout: 60_000 });
    expect(await popup.$('#capture-result')).not.toBeNull();
    const rep = await report(page);
    expect(rep.sinceMark).toEqual([]);
    expect(rep.changedSinceMark).toEqual([]);
    expect(never(rep)).toEqual([]);
    expect(rep.probesFound).toEqual([]);
    await popup.close();
    await page.close();
  });
});
