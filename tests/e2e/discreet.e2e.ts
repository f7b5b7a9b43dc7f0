import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { ROOT, type BrowserName, type Launched } from '../../scripts/lib/browsers';
import { contextMenuClick, launch, openPopup, openVault } from '../../scripts/lib/driver';
import { serveStatic, type StaticServer } from '../../scripts/lib/server';

/**
 * Issue #5 parts 3 and 7: discreet mode (neutral toolbar title and icon, no
 * badge, neutral menu wording and tab titles, media blurred in the vault until
 * clicked) and the popup's note on pages where viewing can notify the other
 * person.
 */

const BROWSERS: BrowserName[] = ['chromium', 'firefox'];

type ActionApi = { getTitle(d: object): Promise<string>; getBadgeText(d: object): Promise<string> };

/** The toolbar button's title and badge, read from one of our pages. */
async function toolbar(page: Page): Promise<{ title: string; badge: string }> {
  return page.evaluate(async () => {
    const g = globalThis as unknown as { browser?: { action?: ActionApi; browserAction?: ActionApi }; chrome?: { action?: ActionApi } };
    const a = (g.browser?.action ?? g.browser?.browserAction ?? g.chrome?.action)!;
    return { title: await a.getTitle({}), badge: await a.getBadgeText({}) };
  });
}

async function setDiscreet(vault: Page, on: boolean): Promise<void> {
  await vault.evaluate(() => (location.hash = '#/settings'));
  await vault.waitForSelector('#discreet-toggle');
  if ((await vault.$eval('#discreet-toggle', (e) => (e as HTMLInputElement).checked)) !== on) await vault.$eval('#discreet-toggle', (e) => (e as HTMLInputElement).click());
  await vault.waitForFunction((want: string) => document.querySelector('#settings-status .status.ok')?.textContent === want, {}, on ? 'Discreet mode is on.' : 'Discreet mode is off.');
}

describe.each(BROWSERS)('%s: discreet mode', (name) => {
  let l: Launched;
  let srv: StaticServer;
  let vault: Page;
  const url = () => `${srv.origin}/index.html`;

  beforeAll(async () => {
    srv = await serveStatic(join(ROOT, 'tests/fixtures/demo'));
    l = await launch(name, 'e2e');
    vault = await openVault(l);
    const page = await l.browser.newPage();
    await page.goto(url(), { waitUntil: 'load' });
    await page.bringToFront();
    const r = await contextMenuClick(l, vault, url(), 'cairn-capture-page');
    expect(r.error).toBeUndefined();
  });
  afterAll(async () => {
    await l?.close();
    await srv?.close();
  });

  it('off by default: Cairn’s own title, no badge, “Capture” wording, nothing blurred', async () => {
    expect(await toolbar(vault)).toEqual({ title: 'Cairn', badge: '' });
    await vault.evaluate(() => (location.hash = '#/captures'));
    await vault.waitForSelector('#capture-list li img.thumb');
    expect(await vault.$$eval('[data-veiled]', (e) => e.length)).toBe(0);
    expect(await vault.title()).toBe('Cairn vault');
  });

  it('on: the toolbar says “Notes”, the tab says “Notes”, the menu says “Save”, still no badge', async () => {
    await vault.bringToFront();
    await setDiscreet(vault, true);
    expect(await toolbar(vault)).toEqual({ title: 'Notes', badge: '' });
    await vault.waitForFunction(() => document.title === 'Notes');
    const page = (await l.browser.pages()).find((p) => p.url() === url())!;
    await page.bringToFront();
    await page.click('#post-1042 .e-content', { button: 'right' });
    await page.keyboard.press('Escape');
    await new Promise((r) => setTimeout(r, 300));
    const r = await contextMenuClick(l, vault, url(), 'cairn-capture-item');
    expect(r.error).toBeUndefined();
    expect(r.value!.label).toBe('Save this post');
  });

  it('on: screenshots and snapshots in the vault stay blurred until clicked, or Enter is pressed on them', async () => {
    await vault.bringToFront();
    await vault.evaluate(() => (location.hash = '#/captures'));
    await vault.waitForFunction(() => document.querySelectorAll('#capture-list li').length === 2);
    await vault.waitForFunction(() => document.querySelectorAll('#capture-list [data-veiled="true"] img.thumb').length === 2);
    const filter = await vault.$eval('#capture-list [data-veiled="true"] .veil-content', (e) => getComputedStyle(e).filter);
    expect(filter).toMatch(/blur\(18px\)/);
    expect(await vault.$eval('#capture-list li:first-child .veil-show', (b) => b.getAttribute('aria-label'))).toBe('Show the screenshot of capture 2');
    // A click shows that one only.
    await vault.$eval('#capture-list li:first-child .veil-show', (b) => (b as HTMLButtonElement).click());
    await vault.waitForFunction(() => document.querySelectorAll('#capture-list [data-veiled="true"]').length === 1);
    expect(await vault.$('#capture-list li:first-child [data-veiled]')).toBeNull();
    // The keyboard: the veil is a button; Enter shows the picture.
    await vault.focus('#capture-list li:last-child .veil-show');
    await vault.keyboard.press('Enter');
    await vault.waitForFunction(() => document.querySelectorAll('#capture-list [data-veiled="true"]').length === 0);
    // The capture page: screenshot and snapshot veiled.
    await vault.$eval('#capture-list li:last-child .title', (el) => (el as HTMLElement).click());
    await vault.waitForSelector('#snapshot-frame');
    expect(await vault.$$eval('[data-veiled="true"]', (els) => els.map((e) => (e.querySelector('#screenshot, #snapshot-frame') as HTMLElement | null)?.id))).toEqual(['screenshot', 'snapshot-frame']);
  });

  it('off again: everything back as it was', async () => {
    await setDiscreet(vault, false);
    expect(await toolbar(vault)).toEqual({ title: 'Cairn', badge: '' });
    await vault.waitForFunction(() => document.title === 'Cairn vault');
    await vault.evaluate(() => (location.hash = '#/captures'));
    await vault.waitForSelector('#capture-list li img.thumb');
    expect(await vault.$$eval('[data-veiled]', (e) => e.length)).toBe(0);
  });
});

describe.each(BROWSERS)('%s: the popup notes where viewing may notify the other person', (name) => {
  let l: Launched;
  let srv: StaticServer;

  beforeAll(async () => {
    srv = await serveStatic(join(ROOT, 'tests/fixtures/demo'));
    l = await launch(name, 'e2e');
  });
  afterAll(async () => {
    await l?.close();
    await srv?.close();
  });

  /** A tab at a platform address, answered locally (nothing leaves the machine). */
  async function platformTab(address: string): Promise<Page> {
    const page = await l.browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (r) => void (r.url().startsWith(address) ? r.respond({ status: 200, contentType: 'text/html', body: '<!doctype html><title>page</title><p>page</p>' }) : r.abort()));
    await page.goto(address, { waitUntil: 'load' });
    return page;
  }

  it.each([
    ['https://www.instagram.com/stories/grey_heron/3500000000000000000/', 'story', 'Instagram shows the person who posted a story who has viewed it. Opening it may let them know you looked.'],
    ['https://www.linkedin.com/in/dana-whitlock-4b2a17/', 'profile-view', 'LinkedIn can show people who viewed their profile. Opening a profile may let that person know you looked.'],
    ['https://www.instagram.com/direct/t/17849900112233445/', 'messages', 'Instagram can show the sender when their messages have been seen. Opening a conversation may mark it as read.'],
  ])('%s', async (address, kind, text) => {
    const page = await platformTab(address);
    const popup = await openPopup(l, page);
    await popup.waitForSelector('#viewing-notice');
    expect(await popup.$eval('#viewing-notice', (e) => [e.getAttribute('data-kind'), e.getAttribute('role'), e.textContent])).toEqual([kind, 'note', text]);
    await popup.close();
    await page.close();
  });

  it('and says nothing on an ordinary page', async () => {
    const page = await l.browser.newPage();
    await page.goto(`${srv.origin}/index.html`, { waitUntil: 'load' });
    const popup = await openPopup(l, page);
    await new Promise((r) => setTimeout(r, 500));
    expect(await popup.$('#viewing-notice')).toBeNull();
    await popup.close();
    await page.close();
  });
});
