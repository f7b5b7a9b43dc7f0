import * as v from 'valibot';
import type { Result } from './result';
import type { PageMeta } from './types';

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

export interface Responses {
  'ui:capture-tab': Result<{ id: string; seq: number; record_sha256: string }>;
  'bg:ping': Result<{ ready: true }>;
  'bg:collect-page': Result<PageCollection>;
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
};
