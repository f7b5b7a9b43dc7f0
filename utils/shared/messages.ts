import * as v from 'valibot';
import type { Result } from './result';
import type { Account, Extraction, PageMeta } from './types';

/**
 * The one typed message protocol. Each message is declared once here with its
 * direction in the name (`ui:` from our pages to the background, `bg:` from
 * the background to a content script), a payload schema checked at the
 * receiver, and a response type. Logs name the type, never the payload.
 */

export const MESSAGES = {
  /** Popup/vault → background: capture the whole page in a tab. */
  'ui:capture-tab': v.object({ tabId: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  /** Background → content: is the collector loaded in this tab? */
  'bg:ping': v.object({}),
  /** Background → content: serialise the page (original DOM, cleaned snapshot, text, metadata). */
  'bg:collect-page': v.object({}),
  /** Popup → background: start the element picker in a tab. */
  'ui:pick-element': v.object({ tabId: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  /** Content → background: the user right-clicked; this is what is under the pointer (for the menu label). */
  'content:context-target': v.object({ kind: v.nullable(v.picklist(['post', 'comment', 'message', 'conversation', 'profile', 'page', 'element'])) }),
  /** Content → background: the user picked an element with the picker. */
  'content:picked': v.object({}),
  /** Background → content: find and measure the item (from the right-click target, the pointer/focus, or the picker). */
  'bg:locate-item': v.object({ source: v.picklist(['context', 'pointer', 'picked']) }),
  /** Background → content: scroll to a position for one slice of a stitched screenshot. */
  'bg:scroll-to': v.object({ x: v.number(), y: v.number() }),
  /** Background → content: serialise the located item. */
  'bg:collect-item': v.object({}),
  /** Background → content: show the element picker. */
  'bg:start-picker': v.object({}),
  /** Our pages → background: lock the vault now (the lock button, quick exit). Every open vault page locks with it. */
  'ui:lock': v.object({}),
  /** Settings page → background: the auto-lock setting changed; apply it. */
  'ui:lock-config': v.object({}),
  /** E2E builds only: run the idle handler as the browser's idle event would. */
  'test:idle': v.object({ state: v.picklist(['active', 'idle', 'locked']) }),
  /** Vault → background: ask the time-stamping authority now for every capture still waiting for a timestamp. */
  'ui:tsa-retry': v.object({}),
  /** E2E builds only: run the context-menu handler as a click on the menu item would. */
  'test:context-menu': v.object({ menuItemId: v.string(), tabId: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  /** E2E builds only: run the keyboard-command handler as the shortcut would. */
  'test:command': v.object({ command: v.string(), tabId: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  /** Our pages → background: quick exit (lock, close Cairn's tabs, replace the page the user was on). `tabId`: the page to replace, when the popup knows it. */
  'ui:quick-exit': v.object({ tabId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))) }),
  /** Background → our pages: quick exit is under way; close yourself (reaches the popup, which is not a tab). */
  'bg:close-pages': v.object({}),
  /** Background → content: leave this page for `url` with location.replace, so Back does not return (quick exit). */
  'bg:leave': v.object({ url: v.pipe(v.string(), v.url(), v.regex(/^https?:/)) }),
  /** Settings page → background: change the discreet-mode settings and apply them (icon, title, menu wording). */
  'ui:update-privacy': v.object({ discreet: v.optional(v.boolean()), quick_exit_url: v.optional(v.pipe(v.string(), v.maxLength(2000))) }),
  /** E2E builds only: the vault's lock status and the last lock's time and cause, to check quick exit locked the vault. */
  'test:lock-state': v.object({}),
} as const;

export type MessageType = keyof typeof MESSAGES;
export type Payload<T extends MessageType> = v.InferOutput<(typeof MESSAGES)[T]>;

/** What the content script hands back for a page capture. */
export interface PageCollection {
  original_html: string;
  snapshot_html: string;
  snapshot_transformations: string[];
  text: string;
  meta: PageMeta;
  viewport: { width: number; height: number };
  device_pixel_ratio: number;
  locale: string;
  scroll: { x: number; y: number };
}

/** Where an item is, in CSS pixels relative to the viewport, and the page geometry around it. */
export interface ItemLocation {
  rect: { x: number; y: number; width: number; height: number };
  viewport: { width: number; height: number };
  scroll: { x: number; y: number };
  device_pixel_ratio: number;
}

/** What the content script hands back for an item capture. */
export interface ItemCollection {
  extraction: Extraction;
  /** The profile's account when the item was captured on a profile page. */
  page_account: Account | null;
  element_html: string;
  page_html: string;
  snapshot_html: string;
  snapshot_transformations: string[];
  text: string;
  meta: PageMeta;
  location: ItemLocation;
  locale: string;
  /** Pixels of the item's media that the page already had (see content/media.ts). */
  media_files: { index: number; data_url: string; width: number; height: number; method: string }[];
  /** Why a media entry has no file, by index into item.media. */
  media_missing: Record<number, string>;
}

export interface Responses {
  'ui:capture-tab': Result<{ id: string; seq: number; record_sha256: string }>;
  'bg:ping': Result<{ ready: true }>;
  'bg:collect-page': Result<PageCollection>;
  'ui:pick-element': Result<{ started: true }>;
  'content:context-target': Result<{ label: string }>;
  'content:picked': Result<{ id: string; seq: number; record_sha256: string }>;
  'bg:locate-item': Result<{ kind: Extraction['kind']; location: ItemLocation }>;
  'bg:scroll-to': Result<{ x: number; y: number; rect: ItemLocation['rect'] }>;
  'bg:collect-item': Result<ItemCollection>;
  'bg:start-picker': Result<{ started: true }>;
  'ui:lock': Result<{ locked: true }>;
  'ui:lock-config': Result<{ auto_lock_minutes: number }>;
  'test:idle': Result<{ locked: boolean }>;
  'ui:tsa-retry': Result<{ stamped: number; pending: number; error: string | null }>;
  'test:context-menu': Result<{ id: string; seq: number; record_sha256: string; label: string }>;
  'test:command': Result<{ id: string; seq: number; record_sha256: string }> | Responses['ui:quick-exit'];
  'ui:quick-exit': Result<{ method: 'collector' | 'script' | 'new-tab'; url: string; closed: number }>;
  'bg:close-pages': Result<{ closing: true }>;
  'bg:leave': Result<{ leaving: true }>;
  'ui:update-privacy': Result<{ discreet: boolean; quick_exit_url: string }>;
  'test:lock-state': Result<{ status: 'none' | 'locked' | 'unlocked'; last_lock: { at: string; reason: string } | null }>;
}

export interface Envelope<T extends MessageType = MessageType> {
  cairn: 1;
  type: T;
  payload: Payload<T>;
}

export function envelope<T extends MessageType>(type: T, payload: Payload<T>): Envelope<T> {
  return { cairn: 1, type, payload };
}

/** Parses an incoming message; null when it is not ours or is malformed. */
export function parseEnvelope(raw: unknown): Envelope | null {
  if (!raw || typeof raw !== 'object') return null;
  const m = raw as Record<string, unknown>;
  if (m.cairn !== 1 || typeof m.type !== 'string' || !(m.type in MESSAGES)) return null;
  const type = m.type as MessageType;
  const parsed = v.safeParse(MESSAGES[type], m.payload);
  if (!parsed.success) return null;
  return { cairn: 1, type, payload: parsed.output } as Envelope;
}

/** Error codes the UI can explain in plain words. */
export const ERROR_TEXT: Record<string, string> = {
  'no-tab': 'There is no page open to capture.',
  'restricted-page': "This page belongs to the browser and can't be captured.",
  'no-access': 'Cairn was not allowed to read this page. Use the toolbar button or right-click on the page, then try again.',
  'tab-closed': 'The page was closed before the capture finished. Nothing was saved; please try again.',
  'collect-failed': 'The page could not be read. Nothing was saved.',
  'store-failed': 'The capture could not be saved. Nothing was kept half-written; please try again.',
  'bad-message': 'Cairn received a request it did not understand.',
  'no-item': 'No post, comment, message or profile was found there. Try "Pick an element" in the Cairn menu.',
  'picker-cancelled': 'Picking was cancelled. Nothing was captured.',
  'bad-exit-url': 'That address cannot be used for quick exit. Use an ordinary website, for example https://www.bbc.co.uk/weather.',
};
