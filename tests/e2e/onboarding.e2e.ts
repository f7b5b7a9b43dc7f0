import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { Launched } from '../../scripts/lib/browsers';
import { gotoExtensionPage, launch } from '../../scripts/lib/driver';

/**
 * Issue #5 parts 7 and 8: the first-run page (opened once, on install, by
 * the shipped build; the test build skips it so it never takes focus from the
 * pages under test) and the safety page.
 */

/** Ids (or tag names) of what Tab reaches, in order, starting from the top of the page. */
async function tabOrder(page: Page, presses: number): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const seen: string[] = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName.toLowerCase() || ''));
  }
  return seen;
}

describe('chromium, production build: the first-run page', () => {
  let l: Launched;
  let welcome: Page;

  beforeAll(async () => {
    l = await launch('chromium', 'default', { keepWelcome: true });
    const t = await l.browser.waitForTarget((x) => x.url() === `${l.extensionOrigin}/welcome.html`, { timeout: 15_000 });
    welcome = (await t.asPage())!;
    await welcome.waitForSelector('#welcome');
  });
  afterAll(async () => {
    await l?.close();
  });

  it('opens once, on install', async () => {
    await new Promise((r) => setTimeout(r, 1500));
    expect(l.browser.targets().filter((t) => t.url().startsWith(`${l.extensionOrigin}/welcome.html`))).toHaveLength(1);
  });

  it('warns about browser sync, recommends a separate signed-out profile, and points at the lock, quick exit and safety page', async () => {
    const text = await welcome.$eval('#welcome', (e) => (e as HTMLElement).innerText.replace(/\s+/g, ' '));
    expect(text).toContain('the browser can install Cairn on every other computer signed in to that account');
    expect(text).toContain('We recommend a separate browser profile that is not signed in');
    expect(text).toContain('You can set a passphrase so that the vault is locked and encrypted on this computer');
    expect(text).toContain('Quick exit (the button on every Cairn page, or its keyboard shortcut)');
    expect(await welcome.$eval('#welcome-settings', (a) => (a as HTMLAnchorElement).href)).toBe(`${l.extensionOrigin}/vault.html#/settings`);
    expect(await welcome.$eval('#welcome-safety', (a) => (a as HTMLAnchorElement).href)).toBe(`${l.extensionOrigin}/safety.html`);
  });

  it('is usable from the keyboard: Tab reaches quick exit, the links and the buttons in order', async () => {
    await welcome.bringToFront();
    expect(await tabOrder(welcome, 5)).toEqual(['quick-exit', 'welcome-settings', 'welcome-safety', 'welcome-vault', 'welcome-close']);
  });
});

describe('chromium, test build: no first-run page', () => {
  it('the e2e build does not open it', async () => {
    const l = await launch('chromium', 'e2e');
    await new Promise((r) => setTimeout(r, 2000));
    expect(l.browser.targets().filter((t) => t.url().includes('/welcome.html'))).toEqual([]);
    await l.close();
  });
});

describe.each(['chromium', 'firefox'] as const)('%s: the safety page', (name) => {
  let l: Launched;
  let page: Page;

  beforeAll(async () => {
    l = await launch(name, 'e2e');
    page = await l.browser.newPage();
    await gotoExtensionPage(l, page, 'safety.html', '#safety');
  });
  afterAll(async () => {
    await l?.close();
  });

  it('says, calmly and briefly: capture before blocking, do not engage, keep a diary at the time, where to get help', async () => {
    expect(await page.$$eval('#safety h2', (hs) => hs.map((h) => h.textContent))).toEqual([
      'In an emergency',
      'Capture before you block or report',
      'Do not engage',
      'Keep a diary at the time',
      'Where to get help',
      'On this computer',
    ]);
    const services = await page.$$eval('#safety .services li', (lis) => lis.map((li) => (li as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    expect(services).toEqual([
      'National Stalking Helpline (run by the Suzy Lamplugh Trust): 0808 802 0300, suzylamplugh.org',
      'The Cyber Helpline: free help from cyber security volunteers for people affected by cyber crime and online harm, including cyberstalking: thecyberhelpline.com',
      'Refuge, National Domestic Abuse Helpline, free and open 24 hours: 0808 2000 247, nationaldahelpline.org.uk',
      'Police: 999 in an emergency.',
    ]);
  });

  it('links open only when clicked, in a new tab, without telling the site where they came from', async () => {
    const links = await page.$$eval('#safety a', (as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')]));
    expect(links).toEqual([
      ['tel:999', null, null],
      ['tel:08088020300', null, null],
      ['https://www.suzylamplugh.org/', '_blank', 'noopener noreferrer'],
      ['https://www.thecyberhelpline.com/', '_blank', 'noopener noreferrer'],
      ['tel:08082000247', null, null],
      ['https://www.nationaldahelpline.org.uk/', '_blank', 'noopener noreferrer'],
      ['tel:999', null, null],
    ]);
    // Nothing on the page asks the browser to fetch ahead (no prefetch, preconnect or preload hints).
    expect(await page.$$eval('link[rel~="prefetch"], link[rel~="preconnect"], link[rel~="dns-prefetch"], link[rel~="prerender"], script[type="speculationrules"]', (e) => e.length)).toBe(0);
  });

  it('has the quick-exit button with its plain note about browser history', async () => {
    expect(await page.$eval('#quick-exit', (b) => b.textContent)).toBe('Quick exit');
    const note = await page.$eval('#quick-exit-note', (e) => e.textContent ?? '');
    expect(note).toContain("Your browser's history still lists the sites you visited");
    expect(note).toContain('Ctrl+Shift+Delete');
  });
});
