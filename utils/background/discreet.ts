import { browser } from '@wxt-dev/webextension-polyfill/browser';
import type { ItemKind } from '../shared/types';

/**
 * Discreet mode, background side: the toolbar icon and title, and the wording
 * of the context menu. The pages (vault, popup) read the same setting to
 * blur media and use a neutral tab title. Cairn never sets a badge or shows a
 * notification, in either mode (tests/unit/privacy-static.test.ts checks the
 * source for them).
 */

export const CAIRN_TITLE = 'Cairn';
/** What the toolbar button, and our tab titles, say in discreet mode. */
export const DISCREET_TITLE = 'Notes';

const ICONS = {
  cairn: { 16: '/icon/16.png', 32: '/icon/32.png' },
  neutral: { 16: '/icon-neutral/16.png', 32: '/icon-neutral/32.png' },
} as const;

export interface MenuWording {
  page: string;
  item: Record<ItemKind, string>;
  /** When nothing capturable is under the pointer (the item entry is then disabled). */
  none: string;
}

/** Menu labels. Both sets are neutral (nothing names stalking or abuse); the discreet set reads as ordinary saving. */
export function menuWording(discreet: boolean): MenuWording {
  const verb = discreet ? 'Save' : 'Capture';
  return {
    page: `${verb} this page`,
    item: {
      post: `${verb} this post`,
      comment: `${verb} this comment`,
      message: `${verb} this message`,
      conversation: `${verb} this conversation`,
      profile: `${verb} this profile`,
      page: `${verb} this item`,
      element: `${verb} this item`,
    },
    none: `${verb} this item`,
  };
}

type ActionApi = {
  setIcon(details: { path: Record<number, string> }): Promise<void>;
  setTitle(details: { title: string }): Promise<void>;
};

/** The toolbar button (`action` in MV3, `browserAction` in Firefox's MV2). */
function actionApi(): ActionApi | undefined {
  const b = browser as unknown as { action?: ActionApi; browserAction?: ActionApi };
  return b.action ?? b.browserAction;
}

/** Sets the toolbar icon and title for the mode. Applied at every background start and whenever the setting changes. */
export async function applyActionLook(discreet: boolean): Promise<void> {
  const action = actionApi();
  if (!action) return;
  await action.setIcon({ path: discreet ? ICONS.neutral : ICONS.cairn });
  await action.setTitle({ title: discreet ? DISCREET_TITLE : CAIRN_TITLE });
}
