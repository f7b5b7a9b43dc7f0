import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { launchWithExtension, ROOT, TMP, type BrowserName, type Launched, type LaunchOptions } from './browsers';

/**
 * Drives the built extension the way a person does. Chromium: the production
 * build, opened through the real toolbar action (which grants activeTab).
 * Firefox: automation cannot click the toolbar, so the popup page is opened in
 * its own window and the e2e build (CAIRN_E2E=1, with host access) is used.
 */
export function extensionDir(name: BrowserName, variant: 'default' | 'e2e' = 'default'): string {
  if (name === 'firefox') return join(ROOT, '.output/e2e/firefox-mv2');
  return variant === 'e2e' ? join(ROOT, '.output/e2e/chrome-mv3') : join(ROOT, '.output/chrome-mv3');
}

/**
 * Launches a browser with the extension; `e2e` selects the test variant (needed for context-menu tests).
 * The production build opens its first-run page on install (the e2e build does not); it is closed here,
 * so that it never takes focus from the pages under test, unless `keepWelcome` asks to look at it.
 */
export async function launch(name: BrowserName, variant: 'default' | 'e2e' = 'default', opts: LaunchOptions & { keepWelcome?: boolean } = {}): Promise<Launched> {
  const l = await launchWithExtension(name, extensionDir(name, variant), opts);
  const production = name === 'chromium' && variant === 'default';
  if (production && !opts.keepWelcome) {
    const welcome = await l.browser.waitForTarget((t) => t.url() === `${l.extensionOrigin}/welcome.html`, { timeout: 15_000 });
    await (await welcome.asPage())?.close();
  }
  return l;
}

type TestResult = { ok: boolean; value?: { id: string; seq: number; label?: string }; error?: { code: string; message: string } };

/** Sends an e2e-only test message about the tab showing `pageUrl` (e2e builds only). */
async function testMessage(extPage: Page, pageUrl: string, type: 'test:context-menu' | 'test:command', payload: Record<string, string>): Promise<TestResult> {
  return extPage.evaluate(
    async (url: string, t: string, p: Record<string, string>) => {
      type Api = { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> }; runtime: { sendMessage(m: unknown): Promise<unknown> } };
      const g = globalThis as unknown as { browser?: Api; chrome?: Api };
      const api = (g.browser ?? g.chrome)!;
      // Firefox match patterns take no port, so filter by hand rather than query({url}).
      const tab = (await api.tabs.query({})).find((x) => x.url === url);
      if (!tab?.id) return { ok: false, error: { code: 'no-tab', message: `no tab at ${url}` } };
      return api.runtime.sendMessage({ cairn: 1, type: t, payload: { ...p, tabId: tab.id } }) as Promise<TestResult>;
    },
    pageUrl,
    type,
    payload,
  );
}

/** Runs the context-menu handler for a tab, as a click on our menu item would. */
export function contextMenuClick(_l: Launched, extPage: Page, pageUrl: string, menuItemId: string): Promise<TestResult> {
  return testMessage(extPage, pageUrl, 'test:context-menu', { menuItemId });
}

/** Runs the keyboard-command handler for a tab, as the shortcut would. */
export function keyboardCommand(extPage: Page, pageUrl: string, command: string): Promise<TestResult> {
  return testMessage(extPage, pageUrl, 'test:command', { command });
}

/** A capture record read straight from the extension's IndexedDB. */
export async function readRecord(extPage: Page, id: string): Promise<Record<string, unknown>> {
  return extPage.evaluate(
    (cid: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const req = indexedDB.open('cairn');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const g = req.result.transaction('captures').objectStore('captures').get(cid);
          g.onsuccess = () => {
            req.result.close();
            resolve(g.result?.record);
          };
          g.onerror = () => reject(g.error);
        };
      }),
    id,
  );
}

/** Navigates to an extension page. Firefox never reports moz-extension:// navigations as complete, so wait on location instead. */
export async function gotoExtensionPage(l: Launched, page: Page, path: string, ready: string): Promise<void> {
  const url = `${l.extensionOrigin}/${path}`;
  if (l.name === 'firefox') page.goto(url).catch(() => undefined);
  else await page.goto(url);
  // Firefox's remote agent sometimes fails an evaluation made while the moz-extension page is still being swapped in
  // ("Protocol error (script.evaluate): … right-hand side of 'in' should be an object, got null"); ask again.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.waitForFunction((u: string, sel: string) => location.href.startsWith(u) && !!document.querySelector(sel), { timeout: 20_000 }, url.split('#')[0], ready);
      return;
    } catch (e) {
      if (attempt >= 3 || !/Protocol error/.test(`${String(e)} ${String((e as { cause?: unknown }).cause)}`)) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Opens the popup for `page` and returns it. */
export async function openPopup(l: Launched, page: Page): Promise<Page> {
  if (l.name === 'chromium') {
    const ext = (await l.browser.extensions()).get(l.extensionId);
    if (!ext) throw new Error('extension not installed');
    const target = l.browser.waitForTarget((t) => t.url().startsWith(`${l.extensionOrigin}/popup.html`), { timeout: 15_000 });
    await page.bringToFront();
    await ext.triggerAction(page);
    const popup = await (await target).asPage();
    await popup.waitForSelector('#capture-page');
    return popup;
  }
  await page.bringToFront();
  const popup = await l.browser.newPage({ type: 'window' });
  await gotoExtensionPage(l, popup, 'popup.html', '#capture-page');
  return popup;
}

/** Clicks "Capture this page" in the popup; returns the status line it shows. */
export async function captureViaPopup(l: Launched, page: Page): Promise<{ ok: boolean; text: string }> {
  const popup = await openPopup(l, page);
  await popup.click('#capture-page');
  await popup.waitForSelector('#capture-result, .status.error', { timeout: 60_000 });
  const ok = (await popup.$('#capture-result')) !== null;
  const text = await popup.$eval('[role=status]', (e) => e.textContent ?? '');
  await popup.close().catch(() => undefined);
  return { ok, text };
}

export async function openVault(l: Launched, hash = ''): Promise<Page> {
  const vault = await l.browser.newPage();
  await gotoExtensionPage(l, vault, `vault.html${hash}`, '#fingerprint');
  return vault;
}

/** Counts rows in the extension's real IndexedDB, read from one of its pages. */
export async function idbCounts(vault: Page): Promise<{ captures: number; ledger: number; blobs: number }> {
  return vault.evaluate(
    () =>
      new Promise<{ captures: number; ledger: number; blobs: number }>((resolve, reject) => {
        const req = indexedDB.open('cairn');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction(['captures', 'ledger', 'blobs'], 'readonly');
          const out = { captures: 0, ledger: 0, blobs: 0 };
          let left = 3;
          for (const name of ['captures', 'ledger', 'blobs'] as const) {
            const c = tx.objectStore(name).count();
            c.onsuccess = () => {
              out[name] = c.result;
              if (--left === 0) {
                db.close();
                resolve(out);
              }
            };
          }
        };
      }),
  );
}

/** Clicks Export in the vault and returns the package bytes the UI offers for saving. */
export async function exportFromVault(vault: Page): Promise<{ bytes: Buffer; filename: string }> {
  await vault.waitForSelector('#export:not([disabled])');
  // A DOM click: puppeteer's pointer click needs layout, which a background tab in headless Chromium may not have.
  await vault.$eval('#export', (el) => (el as HTMLElement).click());
  return linkBytes(vault, '#export-link');
}

export function workDir(prefix: string): string {
  mkdirSync(TMP, { recursive: true });
  return mkdtempSync(join(TMP, prefix));
}

/** Runs the project's CLI verifier on a file. */
export function cliVerify(file: string): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/verify.ts'), file], { encoding: 'utf8' }) };
  } catch (e) {
    const x = e as { status: number; stdout: string };
    return { code: x.status, out: x.stdout };
  }
}

export function writePackage(dir: string, name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/**
 * Every object store of the extension's IndexedDB, read with the raw
 * IndexedDB API from one of its pages: every key and value, strings as UTF-8,
 * byte arrays as their bytes (what someone reading the profile's database
 * would find, short of the on-disk format).
 */
export async function rawIdbDump(extPage: Page): Promise<Buffer> {
  const b64 = await extPage.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const req = indexedDB.open('cairn');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const names = Array.from(db.objectStoreNames);
          const tx = db.transaction(names, 'readonly');
          const parts: Uint8Array[] = [];
          const enc = new TextEncoder();
          const text = (s: string) => parts.push(enc.encode(s));
          const walk = (v: unknown): void => {
            if (v === null || v === undefined) return;
            if (typeof v === 'string') text(v + '\n');
            else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') text(`${v}\n`);
            else if (v instanceof ArrayBuffer) parts.push(new Uint8Array(v), enc.encode('\n'));
            else if (ArrayBuffer.isView(v)) parts.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), enc.encode('\n'));
            else if (typeof CryptoKey !== 'undefined' && v instanceof CryptoKey) text(`[CryptoKey ${v.type} extractable=${v.extractable}]\n`);
            else if (Array.isArray(v)) v.forEach(walk);
            else if (typeof v === 'object')
              for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
                text(`${k}=`);
                walk(x);
              }
          };
          let left = names.length * 2;
          const done = () => {
            if (--left > 0) return;
            db.close();
            const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
            let at = 0;
            for (const p of parts) {
              all.set(p, at);
              at += p.byteLength;
            }
            let s = '';
            for (let i = 0; i < all.length; i += 0x8000) s += String.fromCharCode(...all.subarray(i, i + 0x8000));
            resolve(btoa(s));
          };
          for (const n of names) {
            const store = tx.objectStore(n);
            const k = store.getAllKeys();
            k.onsuccess = () => {
              text(`#${n} keys\n`);
              walk(k.result);
              done();
            };
            const v = store.getAll();
            v.onsuccess = () => {
              text(`#${n} values\n`);
              walk(v.result);
              done();
            };
            k.onerror = v.onerror = () => reject(tx.error);
          }
          if (!names.length) resolve('');
        };
      }),
  );
  return Buffer.from(b64, 'base64');
}

/** The bytes behind a download link (a blob: URL) the page offers. */
export async function linkBytes(page: Page, selector: string, timeout = 120_000): Promise<{ bytes: Buffer; filename: string }> {
  await page.waitForSelector(selector, { timeout });
  const { b64, filename } = await page.$eval(selector, async (a) => {
    const blob = await (await fetch((a as HTMLAnchorElement).href)).blob();
    const buf = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
    return { b64: btoa(s), filename: (a as HTMLAnchorElement).download };
  });
  return { bytes: Buffer.from(b64, 'base64'), filename };
}

/** A DOM click (puppeteer's pointer click needs layout, which a background tab in headless Chromium may not have). */
export function press(page: Page, selector: string): Promise<void> {
  return page.$eval(selector, (el) => (el as HTMLElement).click());
}

/** Replaces an input's value as typing would. */
export async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.waitForSelector(selector);
  await page.$eval(selector, (el) => ((el as HTMLInputElement).value = ''));
  await page.type(selector, value);
}
