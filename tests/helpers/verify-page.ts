import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type ElementHandle, type HTTPRequest, type Page } from 'puppeteer-core';
import { requireBrowser, TMP, type BrowserName } from '../../scripts/lib/browsers';
import type { CheckStatus, Verdict } from '../../utils/verify/verify';

/**
 * Drives verify.html the way an officer does: opened from a file:// URL in a
 * browser with no extension and no network, a package chosen through the
 * page's own file inputs.
 */

/** Where every network-capable setting points: a closed port on loopback. */
const DEAD_PROXY = { host: '127.0.0.1', port: 9 };

export interface OfflineBrowser {
  browser: Browser;
  name: BrowserName;
  /** Every request any page made, as the browser reported it (the page's own file:// load included). */
  requests: string[];
  close(): Promise<void>;
}

export async function launchOffline(name: BrowserName): Promise<OfflineBrowser> {
  mkdirSync(TMP, { recursive: true });
  const profileDir = mkdtempSync(join(TMP, `${name}-offline-`));
  const home = join(profileDir, 'home');
  mkdirSync(home, { recursive: true });
  const env = { ...process.env, HOME: home };
  let browser: Browser;
  if (name === 'chromium') {
    browser = await puppeteer.launch({
      executablePath: requireBrowser('chromium'),
      headless: true,
      pipe: true,
      userDataDir: join(profileDir, 'data'),
      env,
      // No route out: every host resolves to nothing and every connection goes to a dead proxy.
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
        `--proxy-server=http://${DEAD_PROXY.host}:${DEAD_PROXY.port}`, '--proxy-bypass-list=<-loopback>', '--host-resolver-rules=MAP * ~NOTFOUND',
      ],
    });
  } else {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: requireBrowser('firefox'),
      headless: true,
      userDataDir: join(profileDir, 'data'),
      env,
      extraPrefsFirefox: {
        'network.proxy.type': 1,
        'network.proxy.http': DEAD_PROXY.host,
        'network.proxy.http_port': DEAD_PROXY.port,
        'network.proxy.ssl': DEAD_PROXY.host,
        'network.proxy.ssl_port': DEAD_PROXY.port,
        'network.proxy.socks': DEAD_PROXY.host,
        'network.proxy.socks_port': DEAD_PROXY.port,
        'network.proxy.no_proxies_on': '',
        'network.proxy.allow_hijacking_localhost': true,
        'network.dns.disabled': true,
        'network.connectivity-service.enabled': false,
        'network.captive-portal-service.enabled': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'browser.shell.checkDefaultBrowser': false,
      },
    });
  }
  const requests: string[] = [];
  return {
    browser,
    name,
    requests,
    close: async () => {
      await browser.close().catch(() => undefined);
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

export interface PageResult {
  verdict: Verdict;
  summary: string;
  /** Lower-case hex from the fingerprint block, or null when the page shows none. */
  fingerprint: string | null;
  /** The fingerprint as laid out on the page, group by group. */
  fingerprintGroups: string[];
  checks: { id: string; status: CheckStatus; file: string; detail: string }[];
  captures: { ok: boolean; cells: Record<string, string> }[];
  facts: Record<string, string>;
}

/** Opens verify.html from disk; records every request the page makes and every console error or CSP violation. */
export async function openVerifyHtml(ob: OfflineBrowser, file: string): Promise<{ page: Page; errors: string[] }> {
  const page = await ob.browser.newPage();
  const errors: string[] = [];
  page.on('request', (r: HTTPRequest) => ob.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForSelector('#choose-zip:not([disabled])');
  await page.evaluate(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)));
  return { page, errors };
}

/** Reads the result the page shows: everything an officer would read, as data. */
export function readResult(page: Page): Promise<PageResult> {
  // No named helpers inside: tsx would wrap them in a __name() call that does not exist in the page.
  return page.evaluate(() => {
    const fp = document.querySelector('#fingerprint[data-fingerprint]');
    const facts: Record<string, string> = {};
    document.querySelectorAll('#facts > dt').forEach((dt) => (facts[dt.textContent ?? ''] = dt.nextElementSibling?.textContent ?? ''));
    return {
      verdict: (document.querySelector('#verdict')?.textContent ?? '') as Verdict,
      summary: document.querySelector('#summary')?.textContent ?? '',
      fingerprint: fp?.getAttribute('data-fingerprint') ?? null,
      fingerprintGroups: [...document.querySelectorAll('#fingerprint .fp-group')].map((e) => e.textContent ?? ''),
      checks: [...document.querySelectorAll('#checks tbody tr')].map((tr) => ({
        id: tr.getAttribute('data-id') ?? '',
        status: tr.getAttribute('data-status') as CheckStatus,
        file: tr.querySelector('.file')?.textContent ?? '',
        detail: tr.querySelector('.detail')?.textContent ?? '',
      })),
      captures: [...document.querySelectorAll('#captures tbody tr')].map((tr) => ({
        ok: tr.getAttribute('data-ok') === 'true',
        cells: Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.getAttribute('data-col') ?? '', td.textContent ?? ''])),
      })),
      facts,
    };
  });
}

/** Chooses a file or folder through one of the page's inputs and waits for the new result. */
async function choose(page: Page, input: '#zip-input' | '#folder-input', paths: string[]): Promise<PageResult> {
  return afterAction(page, async () => {
    const el = (await page.$(input)) as ElementHandle<HTMLInputElement>;
    await el.uploadFile(...paths);
  });
}

/** Drops a file or a folder from disk onto the page's drop zone, as a drag from a file manager does (Chromium: CDP). */
export function dropOnPage(page: Page, path: string): Promise<PageResult> {
  return afterAction(page, async () => {
    const box = (await (await page.$('#drop'))!.boundingBox())!;
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const cdp = await page.createCDPSession();
    const data = { items: [], files: [path], dragOperationsMask: 1 };
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
    await cdp.detach();
  });
}

async function afterAction(page: Page, act: () => Promise<void>): Promise<PageResult> {
  // "Check another package" hides the last result, so the next one read is the new one.
  await page.evaluate(() => (document.getElementById('again') as HTMLButtonElement | null)?.click());
  await act();
  await page.waitForFunction(
    () => !document.body.classList.contains('busy') && (!!document.querySelector('#result:not([hidden]) #verdict') || !!document.querySelector('#status .error')),
    { timeout: 120_000 },
  );
  const error = await page.$eval('#status', (s) => s.querySelector('.error')?.textContent ?? null);
  if (error) throw new Error(`verify.html showed an error: ${error}`);
  return readResult(page);
}

export function chooseZip(page: Page, zipPath: string): Promise<PageResult> {
  return choose(page, '#zip-input', [zipPath]);
}

/** Chooses an unzipped package folder (a webkitdirectory input given a directory). */
export function chooseFolder(page: Page, dir: string): Promise<PageResult> {
  return choose(page, '#folder-input', [dir]);
}
