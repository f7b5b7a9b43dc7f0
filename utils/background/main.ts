import { browser } from '@wxt-dev/webextension-polyfill/browser';
import type { Menus, Tabs } from 'webextension-polyfill';
import { captureTab } from './capture-page';
import { db } from './db';
import { deviceKey } from './keys';
import { isExtensionPage, listen } from '../shared/messaging';

/** Context-menu ids. Labels stay neutral: nothing names stalking (someone else may see the menu). */
export const MENU = { capturePage: 'cairn-capture-page' } as const;

function createMenus(): void {
  browser.contextMenus.removeAll().then(() => {
    browser.contextMenus.create({
      id: MENU.capturePage,
      title: 'Capture this page',
      contexts: ['page', 'frame', 'selection', 'link', 'image'],
      documentUrlPatterns: ['http://*/*', 'https://*/*', 'file:///*'],
    });
  });
}

async function onMenuClick(info: Menus.OnClickData, tab?: Tabs.Tab): Promise<void> {
  if (info.menuItemId !== MENU.capturePage || tab?.id === undefined) return;
  const r = await captureTab(db(), tab.id);
  if (!r.ok) console.warn(`[cairn] capture from the menu failed: ${r.error.code}`);
}

/** Wires the background: message handlers, context menu, first-run key. */
export function startBackground(): void {
  listen(
    {
      'ui:capture-tab': (p) => captureTab(db(), p.tabId),
    },
    (type, sender) => (type.startsWith('ui:') ? isExtensionPage(sender) : false),
  );
  browser.runtime.onInstalled.addListener(() => {
    createMenus();
    void deviceKey(db());
  });
  browser.runtime.onStartup?.addListener(createMenus);
  browser.contextMenus.onClicked.addListener((info, tab) => void onMenuClick(info, tab));
}
