import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { ROOT, type BrowserName, type Launched } from '../../scripts/lib/browsers';
import { fill, gotoExtensionPage, launch, openPopup, openVault } from '../../scripts/lib/driver';
import { serveStatic, type StaticServer } from '../../scripts/lib/server';

/**
 * Issue #5 part 4: quick exit locks the vault, closes every Cairn page (the
 * popup included), and puts the neutral site in place of the page the user was
 * on with location.replace, so Back does not return to it.
 */

const BROWSERS: BrowserName[] = ['chromium', 'firefox'];
const NEUTRAL = '/privacy/neutral.html';

async function serve(): Promise<StaticServer> {
  return serveStatic(join(ROOT, 'tests/fixtures/demo'), { '/privacy/': join(ROOT, 'tests/fixtures/privacy') });
}

/** Sets where quick exit goes, through the settings page, as a user would; first checks a bad address is refused. */
async function setExitSite(l: Launched, url: string): Promise<void> {
  const vault = await openVault(l, '#/settings');
  await vault.waitForSelector('#quick-exit-url');
  const submit = async (value: string) => {
    await vault.$eval('#quick-exit-url', (e, v) => {
      const input = e as HTMLInputElement;
      input.value = v as string;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, value);
    await vault.$eval('#quick-exit-save', (b) => (b as HTMLButtonElement).click());
  };
  await submit('javascript:alert(1)');
  await vault.waitForSelector('#settings-status .status.error');
  expect(await vault.$eval('#settings-status', (e) => e.textContent)).toBe('Quick exit can only open an ordinary website (an address starting with https://).');
  await submit(url);
  await vault.waitForFunction((u: string) => document.querySelector('#settings-status .status.ok')?.textContent === `Quick exit will open ${u}`, {}, url);
  await vault.close();
}

/** Our pages still open (tabs, windows, the popup); the background itself does not count. */
async function cairnPages(l: Launched): Promise<string[]> {
  if (l.name === 'chromium') {
    return l.browser
      .targets()
      .filter((t) => t.url().startsWith(l.extensionOrigin) && t.type() !== 'service_worker')
      .map((t) => t.url());
  }
  // Firefox: automation reports moz-extension tabs' addresses late, so ask each tab where it is.
  const urls = await Promise.all((await l.browser.pages()).map((p) => p.evaluate(() => location.href).catch(() => p.url())));
  return urls.filter((u) => u.startsWith(l.extensionOrigin));
}

async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await f();
  while (!ok(v)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 150));
    v = await f();
  }
  return v;
}

const urlOf = async (p: Page) => {
  try {
    return p.isClosed() ? 'closed' : p.url();
  } catch {
    return 'closed';
  }
};

/** The lock state the background keeps, read through a fresh vault page (e2e builds only). */
async function lockState(l: Launched): Promise<{ status: string; last_lock: { reason: string } | null }> {
  const vault = await openVault(l);
  const r = await vault.evaluate(async () => {
    const g = globalThis as unknown as { browser?: { runtime: { sendMessage(m: unknown): Promise<unknown> } }; chrome?: { runtime: { sendMessage(m: unknown): Promise<unknown> } } };
    return (g.browser ?? g.chrome)!.runtime.sendMessage({ cairn: 1, type: 'test:lock-state', payload: {} });
  });
  await vault.close();
  return (r as { value: { status: string; last_lock: { reason: string } | null } }).value;
}

/**
 * Checks the tab's own history: first page → (the page left, replaced by) the neutral site. The number of entries is
 * what it was before quick exit (location.replace adds none), Back goes to the first page and Forward to the site.
 * Chromium also lists the entries: the page left is not among them.
 */
async function expectHistoryWithout(l: Launched, page: Page, lengthBefore: number, first: string, left: string, neutral: string): Promise<void> {
  if (l.name === 'chromium') {
    const s = await page.createCDPSession();
    const h = (await s.send('Page.getNavigationHistory')) as { currentIndex: number; entries: { url: string }[] };
    await s.detach();
    expect(h.entries.map((e) => e.url)).toEqual(['about:blank', first, neutral]);
    expect(h.currentIndex).toBe(2);
  }
  expect(await page.evaluate(() => history.length)).toBe(lengthBefore);
  await page.goBack({ waitUntil: 'load' }).catch(() => undefined);
  await until('Back', () => urlOf(page), (u) => u === first);
  await page.goForward({ waitUntil: 'load' }).catch(() => undefined);
  await until('Forward', () => urlOf(page), (u) => u === neutral);
  expect([first, neutral]).not.toContain(left);
}

describe.each(BROWSERS)('%s: quick exit', (name) => {
  let l: Launched;
  let srv: StaticServer;
  let neutral = '';

  beforeAll(async () => {
    srv = await serve();
    neutral = srv.origin + NEUTRAL;
    l = await launch(name, 'e2e');
    await setExitSite(l, neutral);
  });
  afterAll(async () => {
    await l?.close();
    await srv?.close();
  });

  it('from the popup: locks, closes the popup and every Cairn tab, and Back does not return to the page', async () => {
    const page = await l.browser.newPage();
    await page.goto(srv.origin + '/index.html', { waitUntil: 'load' });
    await page.goto(srv.origin + '/profile.html', { waitUntil: 'load' });
    const before = await page.evaluate(() => history.length);
    await openVault(l);
    await gotoExtensionPage(l, await l.browser.newPage(), 'safety.html', '#safety');
    const popup = await openPopup(l, page);
    expect((await cairnPages(l)).length).toBeGreaterThanOrEqual(3);
    await popup.$eval('#quick-exit', (b) => (b as HTMLButtonElement).click());
    await until('the neutral site', () => urlOf(page), (u) => u === neutral);
    expect(await until('Cairn pages to close', () => cairnPages(l), (p) => p.length === 0)).toEqual([]);
    expect(await lockState(l)).toMatchObject({ status: 'none', last_lock: { reason: 'quick-exit' } });
    await expectHistoryWithout(l, page, before, srv.origin + '/index.html', srv.origin + '/profile.html', neutral);
    await page.close();
  });

  it('from the keyboard, on the vault page: the same, for the page last used', async () => {
    const page = await l.browser.newPage();
    await page.goto(srv.origin + '/index.html', { waitUntil: 'load' });
    await page.goto(srv.origin + '/conversation.html', { waitUntil: 'load' });
    // The user was looking at this page last (Firefox counts a tab as used when it is brought to the front).
    await page.bringToFront();
    const before = await page.evaluate(() => history.length);
    const vault = await openVault(l);
    await vault.bringToFront();
    await vault.focus('#quick-exit');
    // Chromium acts on the key going down and closes the page before the key comes up; the release then has nowhere to go.
    await vault.keyboard.press('Enter').catch(() => undefined);
    await until('the neutral site', () => urlOf(page), (u) => u === neutral);
    expect(await until('Cairn pages to close', () => cairnPages(l), (p) => p.length === 0)).toEqual([]);
    await expectHistoryWithout(l, page, before, srv.origin + '/index.html', srv.origin + '/conversation.html', neutral);
    await page.close();
  });

  it('a page that asks “Leave site?” does not hold quick exit back', async () => {
    const page = await l.browser.newPage();
    const dialogs: string[] = [];
    // Nobody answers the question (as when the user has turned away); the dialog stays open.
    page.on('dialog', (d) => void dialogs.push(d.type()));
    await page.goto(srv.origin + '/index.html', { waitUntil: 'load' });
    await page.goto(srv.origin + '/privacy/holds.html', { waitUntil: 'load' });
    // A click and typing give the page the user activation browsers require before they show its prompt.
    await page.click('#draft');
    await page.keyboard.type(' more');
    const popup = await openPopup(l, page);
    await popup.$eval('#quick-exit', (b) => (b as HTMLButtonElement).click());
    expect(await until('Cairn pages to close', () => cairnPages(l), (p) => p.length === 0)).toEqual([]);
    if (name === 'firefox') {
      // The page's handler is not run (utils/shared/quick-exit.ts, leaveNow): no question, the page is replaced.
      await until('the neutral site', () => urlOf(page), (u) => u === neutral);
      expect(dialogs).toEqual([]);
      await page.close();
      return;
    }
    // Chromium asks the question even so, and keeps the tab until it is answered: the site opens in a new tab in front.
    const target = await l.browser.waitForTarget((t) => t.url() === neutral, { timeout: 15_000 });
    const fresh = (await target.asPage())!;
    expect(await fresh.evaluate(() => [document.visibilityState, history.length])).toEqual(['visible', 1]);
    expect(dialogs).toEqual(['beforeunload']);
    expect(l.browser.targets().filter((t) => t.url() === srv.origin + '/privacy/holds.html')).toHaveLength(1);
  });

  it('the shortcut (run as the browser runs the quick-exit command for the focused tab): the same', async () => {
    const page = await l.browser.newPage();
    await page.goto(srv.origin + '/index.html', { waitUntil: 'load' });
    await page.goto(srv.origin + '/heavy.html', { waitUntil: 'load' });
    await page.bringToFront();
    const before = await page.evaluate(() => history.length);
    const vault = await openVault(l);
    // The page that sends the test message is one of ours and closes with the rest, so nothing waits for an answer.
    await vault.evaluate((url: string) => {
      type Api = { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> }; runtime: { sendMessage(m: unknown): Promise<unknown> } };
      const g = globalThis as unknown as { browser?: Api; chrome?: Api };
      const api = (g.browser ?? g.chrome)!;
      void api.tabs.query({}).then((all) => {
        const tab = all.find((t) => t.url === url);
        void api.runtime.sendMessage({ cairn: 1, type: 'test:command', payload: { command: 'quick-exit', tabId: tab!.id } }).catch(() => undefined);
      });
    }, srv.origin + '/heavy.html');
    await until('the neutral site', () => urlOf(page), (u) => u === neutral);
    expect(await until('Cairn pages to close', () => cairnPages(l), (p) => p.length === 0)).toEqual([]);
    expect(await lockState(l)).toMatchObject({ status: 'none', last_lock: { reason: 'quick-exit' } });
    await expectHistoryWithout(l, page, before, srv.origin + '/index.html', srv.origin + '/heavy.html', neutral);
    await page.close();
  });

  it('with only Cairn’s pages open: the site opens in a new tab, and the browser stays open', async () => {
    const vault = await openVault(l);
    for (const p of await l.browser.pages()) if (p !== vault) await p.close();
    await vault.bringToFront();
    await vault.$eval('#quick-exit', (b) => (b as HTMLButtonElement).click());
    const target = await l.browser.waitForTarget((t) => t.url() === neutral, { timeout: 15_000 }).catch((e) => {
      throw new Error(`${(e as Error).message}; open: ${l.browser.targets().map((t) => `${t.type()} ${t.url()}`).join(', ')}`);

    });
    expect(await until('Cairn pages to close', () => cairnPages(l), (p) => p.length === 0)).toEqual([]);
    const fresh = (await target.asPage())!;
    expect(await fresh.evaluate(() => history.length)).toBe(1);
    expect(l.browser.connected).toBe(true);
  });

  // Last: it sets a passphrase, which the tests above do not expect.
  it('with a passphrase set and the vault unlocked, quick exit leaves the vault locked', async () => {
    const vault = await openVault(l, '#/settings');
    await fill(vault, '#lock-new', 'slate harbour under a winter moon');
    await fill(vault, '#lock-confirm', 'slate harbour under a winter moon');
    await vault.waitForSelector('#lock-set:not([disabled])');
    await vault.$eval('#lock-set', (b) => (b as HTMLButtonElement).click());
    await vault.waitForSelector('#maintenance-done', { timeout: 60_000 });
    await vault.close();
    expect((await lockState(l)).status).toBe('unlocked');
    const page = await l.browser.newPage();
    await page.goto(srv.origin + '/index.html', { waitUntil: 'load' });
    const popup = await openPopup(l, page);
    await popup.$eval('#quick-exit', (b) => (b as HTMLButtonElement).click());
    await until('the neutral site', () => urlOf(page), (u) => u === neutral);
    expect(await until('Cairn pages to close', () => cairnPages(l), (p) => p.length === 0)).toEqual([]);
    expect(await lockState(l)).toMatchObject({ status: 'locked', last_lock: { reason: 'quick-exit' } });
    await page.close();
  });
});

describe('chromium, production build: quick exit where Cairn has no script in the page', () => {
  let l: Launched;
  let srv: StaticServer;
  let neutral = '';

  beforeAll(async () => {
    srv = await serve();
    neutral = srv.origin + NEUTRAL;
    l = await launch('chromium');
    await setExitSite(l, neutral);
  });
  afterAll(async () => {
    await l?.close();
    await srv?.close();
  });

  it('from the popup (activeTab): a one-line script replaces the page in its own tab', async () => {
    const page = await l.browser.newPage();
    await page.goto(srv.origin + '/index.html', { waitUntil: 'load' });
    await page.goto(srv.origin + '/profile.html', { waitUntil: 'load' });
    const before = await page.evaluate(() => history.length);
    const popup = await openPopup(l, page);
    await popup.$eval('#quick-exit', (b) => (b as HTMLButtonElement).click());
    await until('the neutral site', () => urlOf(page), (u) => u === neutral);
    expect(await until('Cairn pages to close', () => cairnPages(l), (p) => p.length === 0)).toEqual([]);
    await expectHistoryWithout(l, page, before, srv.origin + '/index.html', srv.origin + '/profile.html', neutral);
    await page.close();
  });

  it('from the vault, with no access to the page: the tab is closed and the site opens in a new tab with no history', async () => {
    const page = await l.browser.newPage();
    await page.goto(srv.origin + '/index.html', { waitUntil: 'load' });
    await page.goto(srv.origin + '/profile.html', { waitUntil: 'load' });
    const vault = await openVault(l);
    await vault.bringToFront();
    await vault.$eval('#quick-exit', (b) => (b as HTMLButtonElement).click());
    await until('the page to close', () => urlOf(page), (u) => u === 'closed');
    const target = await l.browser.waitForTarget((t) => t.url() === neutral, { timeout: 15_000 });
    const fresh = (await target.asPage())!;
    expect(await until('Cairn pages to close', () => cairnPages(l), (p) => p.length === 0)).toEqual([]);
    const s = await fresh.createCDPSession();
    const h = (await s.send('Page.getNavigationHistory')) as { entries: { url: string }[] };
    expect(h.entries.map((e) => e.url)).toEqual([neutral]);
    expect(await fresh.evaluate(() => history.length)).toBe(1);
  });
});
