import { browser } from '@wxt-dev/webextension-polyfill/browser';
import type { Tabs } from 'webextension-polyfill';
import type { CairnDb } from './db';
import { lockVault } from './lock-state';
import { getSettings } from './settings';
import { envelope, type Responses } from '../shared/messages';
import { sendToTab } from '../shared/messaging';
import { DEFAULT_QUICK_EXIT_URL, leaveNow, normaliseExitUrl, pickExitTabs, type ExitMethod, type TabInfo } from '../shared/quick-exit';
import { ok } from '../shared/result';

/**
 * Quick exit: lock the vault, put an ordinary website in place of the page
 * the user was on, and close every Cairn tab and the popup. The page is
 * replaced with `location.replace`, so the tab's Back button does not return
 * to it; the navigation is the user's own (they pressed the button), made in
 * their tab, not a request of Cairn's.
 */

/** How long to wait for the settings before using the default site: quick exit must not hang on storage. */
const SETTINGS_WAIT_MS = 300;

async function exitUrl(db: CairnDb): Promise<string> {
  const fromSettings = getSettings(db).then((s) => s.quick_exit_url);
  const fallback = new Promise<string>((r) => setTimeout(() => r(DEFAULT_QUICK_EXIT_URL), SETTINGS_WAIT_MS));
  const url = await Promise.race([fromSettings.catch(() => DEFAULT_QUICK_EXIT_URL), fallback]);
  const checked = normaliseExitUrl(url);
  return checked.ok ? checked.value : DEFAULT_QUICK_EXIT_URL;
}

/**
 * Replaces the page in `tab` with `url`, best way first:
 * 1. our collector, if it is already in the page (platform pages, or a page
 *    captured before), calls location.replace from the isolated world;
 * 2. a small injected script does the same where Cairn may run scripts
 *    (activeTab from the popup or the shortcut, or host access);
 * 3. otherwise (a browser page, or no access) the tab is closed and a new one
 *    opened in its place: a new tab has no Back history at all.
 */
async function replaceTab(tab: TabInfo, url: string): Promise<ExitMethod> {
  const tabId = tab.id!;
  try {
    const r = await sendToTab(tabId, 'bg:leave', { url });
    if (r?.ok) return 'collector';
  } catch {
    /* no collector in this page */
  }
  try {
    await browser.scripting.executeScript({ target: { tabId }, func: leaveNow, args: [url] });
    return 'script';
  } catch {
    /* no access to this page */
  }
  return reopen(tab, url);
}

/** Closes the tab and opens the site in a new one in its place (a new tab has no Back history). */
async function reopen(tab: TabInfo, url: string): Promise<'new-tab'> {
  await browser.tabs.create({ url, windowId: tab.windowId, index: tab.index, active: true });
  // Chromium does not close a tab that is showing its "Leave site?" question until it is answered: do not wait on it.
  const removed = browser.tabs.remove(tab.id!).catch(() => undefined);
  await Promise.race([removed, new Promise((r) => setTimeout(r, 500))]);
  return 'new-tab';
}

/** How long a replaced page may take to start leaving before quick exit closes its tab instead. */
const LEAVE_WAIT_MS = 1500;

/**
 * True once the tab has started to leave `from` (loading, or at another
 * address). leaveNow() keeps the page's own "Leave site?" prompt from
 * holding the navigation back; if the page still did (a handler of its own
 * that runs first), the site opens in a new tab in front of it.
 */
async function leftPage(tabId: number, from: string | undefined): Promise<boolean> {
  const end = Date.now() + LEAVE_WAIT_MS;
  for (;;) {
    const t = (await browser.tabs.get(tabId).catch(() => null)) as (Tabs.Tab & { pendingUrl?: string }) | null;
    if (!t) return true;
    if (t.status === 'loading' || t.url !== from || (t.pendingUrl && t.pendingUrl !== from)) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function quickExit(db: CairnDb, preferredTabId?: number): Promise<Responses['ui:quick-exit']> {
  await lockVault('quick-exit');
  const url = await exitUrl(db);
  const tabs = (await browser.tabs.query({})) as Tabs.Tab[];
  const { target, close } = pickExitTabs(tabs, browser.runtime.getURL('/'), preferredTabId);
  let method: ExitMethod;
  if (target) {
    method = await replaceTab(target, url);
    if (method !== 'new-tab') {
      await browser.tabs.update(target.id!, { active: true }).catch(() => undefined);
      if (target.windowId !== undefined) await browser.windows.update(target.windowId, { focused: true }).catch(() => undefined);
    }
  } else {
    // Only Cairn's tabs are open: open the site first, so closing ours does not close the browser.
    const win = tabs.find((t) => t.url?.startsWith(browser.runtime.getURL('/')))?.windowId;
    await browser.tabs.create({ url, windowId: win, active: true });
    method = 'new-tab';
  }
  // Ours close next: they are what must not stay on screen. Not before the site is open: a Cairn page that is the
  // last tab of its window would take the window with it. The popup is not a tab; it (like any of our pages) closes
  // itself on this message, which nobody need be listening for.
  browser.runtime.sendMessage(envelope('bg:close-pages', {})).catch(() => undefined);
  await browser.tabs.remove(close).catch(() => undefined);
  if (target && method !== 'new-tab' && !(await leftPage(target.id!, target.url))) method = await reopen(target, url);
  return ok({ method, url, closed: close.length });
}
