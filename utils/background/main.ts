import { browser } from '@wxt-dev/webextension-polyfill/browser';
import type { Menus, Tabs } from 'webextension-polyfill';
import { applyAutoLock, onIdleState, type IdleApi } from './auto-lock';
import { captureItem } from './capture-item';
import { captureTab, ensureCollector } from './capture-page';
import { db } from './db';
import { applyActionLook, menuWording } from './discreet';
import { deviceKey } from './keys';
import { browserSessionBackend } from './session-browser';
import { connectSession, lockNow, lockStatus } from './vault-lock';
import { kickTimestamps, startTimestamps } from './timestamp-service';
import { lastLock, lockVault } from './lock-state';
import { quickExit } from './quick-exit';
import { getSettings, updateSettings } from './settings';
import type { Payload, Responses } from '../shared/messages';
import { isExtensionPage, listen, sendToTab } from '../shared/messaging';
import { PLATFORM_MATCHES } from '../shared/platform-hosts';
import { normaliseExitUrl } from '../shared/quick-exit';
import { err, ok } from '../shared/result';
import type { ItemKind } from '../shared/types';

/** Context-menu ids. Labels stay neutral: nothing names stalking (someone else may see the menu). */
export const MENU = { capturePage: 'cairn-capture-page', captureItem: 'cairn-capture-item' } as const;
export const COMMAND_CAPTURE_ITEM = 'capture-item';
export const COMMAND_QUICK_EXIT = 'quick-exit';

/** Menu wording follows discreet mode (see discreet.ts); set from the settings at start-up. */
let wording = menuWording(false);
let itemKind: ItemKind | null = 'post';
let itemLabel = wording.item.post;

function createMenus(): void {
  browser.contextMenus.removeAll().then(() => {
    browser.contextMenus.create({
      id: MENU.captureItem,
      title: itemLabel,
      contexts: ['page', 'selection', 'link', 'image', 'video'],
      // Where our content script runs, it tells us what is under the pointer.
      documentUrlPatterns: [...PLATFORM_MATCHES],
    });
    browser.contextMenus.create({
      id: MENU.capturePage,
      title: wording.page,
      contexts: ['page', 'frame', 'selection', 'link', 'image', 'video'],
      documentUrlPatterns: ['http://*/*', 'https://*/*', 'file:///*'],
    });
  });
}

/** Follows what is under the pointer: "Capture this comment" on a comment. */
async function setItemLabel(kind: ItemKind | null): Promise<string> {
  itemKind = kind;
  itemLabel = kind ? wording.item[kind] : wording.none;
  await browser.contextMenus.update(MENU.captureItem, { title: itemLabel, enabled: kind !== null }).catch(() => undefined);
  // Firefox can redraw a menu that is already open.
  const menus = (browser as unknown as { menus?: { refresh?: () => Promise<void> } }).menus;
  await menus?.refresh?.().catch(() => undefined);
  return itemLabel;
}

async function onMenuClick(info: Pick<Menus.OnClickData, 'menuItemId'>, tab?: Tabs.Tab) {
  if (tab?.id === undefined) return err('no-tab', 'There is no page to capture.');
  const r =
    info.menuItemId === MENU.captureItem
      ? await captureItem(db(), tab.id, 'context')
      : info.menuItemId === MENU.capturePage
        ? await captureTab(db(), tab.id)
        : err('bad-message', 'Unknown menu item.');
  if (!r.ok) console.warn(`[cairn] capture from the menu failed: ${r.error.code}`);
  return afterCapture(r);
}

/** Discreet mode on or off: toolbar icon and title, and the menu wording. */
async function applyDiscreet(discreet: boolean): Promise<void> {
  wording = menuWording(discreet);
  itemLabel = itemKind ? wording.item[itemKind] : wording.none;
  await Promise.all([
    applyActionLook(discreet).catch((e: unknown) => console.warn('[cairn] toolbar look not applied', (e as Error)?.name)),
    browser.contextMenus.update(MENU.capturePage, { title: wording.page }).catch(() => undefined),
    browser.contextMenus.update(MENU.captureItem, { title: itemLabel }).catch(() => undefined),
  ]);
}

async function updatePrivacy(p: Payload<'ui:update-privacy'>): Promise<Responses['ui:update-privacy']> {
  const change: { discreet?: boolean; quick_exit_url?: string } = {};
  if (p.discreet !== undefined) change.discreet = p.discreet;
  if (p.quick_exit_url !== undefined) {
    const url = normaliseExitUrl(p.quick_exit_url);
    if (!url.ok) return url;
    change.quick_exit_url = url.value;
  }
  const next = await updateSettings(db(), change);
  await applyDiscreet(next.discreet);
  return ok({ discreet: next.discreet, quick_exit_url: next.quick_exit_url });
}

/** The keyboard shortcuts: capture the item under the pointer (or the focused one); quick exit. */
async function onCommand(command: string, tab?: Tabs.Tab) {
  if (command === COMMAND_QUICK_EXIT) return quickExit(db(), tab?.id);
  if (command !== COMMAND_CAPTURE_ITEM) return err('bad-message', 'Unknown command.');
  const t = tab ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0];
  if (t?.id === undefined) return err('no-tab', 'There is no page to capture.');
  const r = await captureItem(db(), t.id, 'pointer');
  if (!r.ok) console.warn(`[cairn] capture from the shortcut failed: ${r.error.code}`);
  return afterCapture(r);
}

/** A stored capture starts its trusted timestamp (when on) without delaying the capture's own reply. */
function afterCapture<T extends { ok: true; value: { id: string } } | { ok: false }>(r: T): T {
  if (r.ok) void kickTimestamps(r.value.id).catch(() => undefined);
  return r;
}

async function startPicker(tabId: number) {
  const ready = await ensureCollector(tabId);
  if (!ready.ok) return ready;
  const r = await sendToTab(tabId, 'bg:start-picker', {});
  return r ?? err('collect-failed', 'The page did not answer.');
}

/** Wires the background: message handlers, context menu, keyboard command, first-run key. */
export function startBackground(): void {
  const e2e = import.meta.env.CAIRN_E2E === '1';
  connectSession(browserSessionBackend());
  // The polyfill passes browser.idle through; Chrome needs the "idle" permission for it.
  const idle = (browser as unknown as { idle?: IdleApi }).idle;
  idle?.onStateChanged.addListener((state) => void onIdleState(db(), state));
  void applyAutoLock(db(), idle);
  // Closing the last window locks too (on some systems the browser keeps running without windows).
  browser.windows?.onRemoved.addListener(() => {
    void browser.windows.getAll().then((w) => (w.length === 0 ? lockNow() : undefined));
  });
  listen(
    {
      'ui:capture-tab': async (p) => afterCapture(await captureTab(db(), p.tabId)),
      'ui:lock': async () => {
        await lockVault('user');
        return ok({ locked: true as const });
      },
      'ui:lock-config': async () => ok({ auto_lock_minutes: await applyAutoLock(db(), idle) }),
      'ui:pick-element': (p) => startPicker(p.tabId),
      'content:context-target': async (p) => ok({ label: await setItemLabel(p.kind) }),
      'content:picked': async (_p, sender) => afterCapture(await captureItem(db(), sender.tab!.id!, 'picked')),
      'ui:tsa-retry': async () => {
        const r = await kickTimestamps();
        return ok({ stamped: r.stamped, pending: r.pending, error: r.error });
      },
      'ui:quick-exit': (p) => quickExit(db(), p.tabId),
      'ui:update-privacy': updatePrivacy,
      ...(e2e
        ? {
            'test:context-menu': async (p) => {
              const tab = await browser.tabs.get(p.tabId);
              const r = await onMenuClick({ menuItemId: p.menuItemId }, tab);
              return r.ok ? ok({ ...r.value, label: itemLabel }) : r;
            },
            'test:command': async (p) => onCommand(p.command, await browser.tabs.get(p.tabId)),
            'test:idle': async (p) => ok({ locked: await onIdleState(db(), p.state) }),
            'test:lock-state': async () => ok({ status: (await lockStatus(db())).status, last_lock: lastLock() }),
          }
        : {}),
    },
    (type, sender) =>
      type.startsWith('ui:') || type.startsWith('test:')
        ? isExtensionPage(sender)
        : type.startsWith('content:')
          ? sender.tab?.id !== undefined && !isExtensionPage(sender)
          : false,
  );
  browser.runtime.onInstalled.addListener((details) => {
    createMenus();
    void deviceKey(db());
    // The first-run page, once. Test builds skip it so it does not take focus from the pages under test.
    if (details.reason === 'install' && !e2e) void browser.tabs.create({ url: browser.runtime.getURL('/welcome.html') });
  });
  // Discreet mode is applied at every start: the browser does not keep an icon set at run time across restarts.
  void getSettings(db()).then((s) => applyDiscreet(s.discreet), (e: unknown) => console.warn('[cairn] settings not read at start', (e as Error)?.name));
  browser.runtime.onStartup?.addListener(createMenus);
  browser.contextMenus.onClicked.addListener((info, tab) => void onMenuClick(info, tab));
  browser.commands?.onCommand.addListener((command: string, tab?: Tabs.Tab) => void onCommand(command, tab));
  startTimestamps();
}
