/**
 * The evidence data model (DESIGN.md section 4). Content scripts produce the
 * `Extraction` half; the background adds artefacts, hashes and the seal.
 */

export const ITEM_KINDS = ['post', 'comment', 'message', 'conversation', 'profile', 'page', 'element'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** Where a time came from, best first. */
export const TIME_SOURCES = ['attribute', 'json', 'id-decoded', 'relative-text', 'text'] as const;
export type TimeSource = (typeof TIME_SOURCES)[number];

/** A completeness warning: a machine code and a sentence a person can read. */
export interface Warning {
  code: string;
  message: string;
}

export interface Account {
  display_name: string | null;
  handle: string | null;
  platform_account_id: string | null;
  profile_url: string | null;
}

export interface MediaRef {
  kind: 'image' | 'video' | 'audio' | 'file';
  /** The URL the page loaded the media from (src / poster / href). */
  url: string | null;
  alt?: string | null;
  /** Poster frame for videos, when the page has one. */
  poster?: string | null;
  /** Filled by the background once bytes are stored. */
  sha256?: string | null;
  why_missing?: string | null;
}

export interface Item {
  platform_item_id: string | null;
  /** Permalink of the item. */
  url: string | null;
  /** ISO 8601 UTC, or null when the page gives no time. */
  posted_at: string | null;
  /** The time exactly as displayed (or the attribute value when nothing is displayed). */
  posted_at_text: string | null;
  posted_at_source: TimeSource | null;
  /** A second opinion on the time decoded from the item id, when the platform's ids carry one. */
  id_time?: string | null;
  text: string | null;
  title?: string | null;
  in_reply_to: string | null;
  thread_id: string | null;
  visibility: string | null;
  media: MediaRef[];
  /** A quoted/embedded item (X quote tweets, Reddit crossposts, shared posts). */
  quoted?: { platform_item_id: string | null; url: string | null; account: Account | null; text: string | null } | null;
  /** Counts as displayed (likes, replies...), kept verbatim. */
  metrics?: Record<string, string>;
}

export interface Message {
  /** Platform message id when the DOM carries one. */
  id: string | null;
  sender: Account | null;
  /** True when the message was sent by the logged-in user (the victim) rather than received. */
  outgoing: boolean | null;
  sent_at: string | null;
  sent_at_text: string | null;
  sent_at_source: TimeSource | null;
  text: string | null;
  media: MediaRef[];
}

/** What an adapter returns for one item. */
export interface Extraction {
  platform: string;
  adapter_version: string;
  kind: ItemKind;
  account: Account | null;
  item: Item;
  messages?: Message[];
  warnings: Warning[];
}

export const ARTEFACT_ROLES = [
  'dom_original',
  'dom_snapshot',
  'screenshot_viewport',
  'screenshot_element',
  'screenshot_full',
  'media',
  'text',
] as const;
export type ArtefactRole = (typeof ARTEFACT_ROLES)[number];

export interface Artefact {
  role: ArtefactRole;
  /** File name inside the capture folder of an export. */
  name: string;
  sha256: string;
  bytes: number;
  media_type: string;
  width?: number;
  height?: number;
  /** The browser API or routine that produced it. */
  method: string;
  transformations: string[];
  source_url?: string | null;
}

export interface PageMeta {
  page_url: string;
  canonical_url: string | null;
  page_title: string;
  og: Record<string, string>;
  json_ld_types: string[];
  lang: string | null;
}

export interface Environment {
  tool: string;
  tool_version: string;
  browser: string;
  browser_version: string;
  os: string;
  user_agent: string;
  viewport: { width: number; height: number };
  device_pixel_ratio: number;
  locale: string;
}

export interface Collector {
  pseudonym: string;
  role: 'victim' | 'advocate' | 'officer';
}

/** The capture record, without its seal. Hashed as canonical JSON. */
export interface CaptureBody {
  format: 'cairn-capture/1';
  id: string;
  seq: number;
  case_id: string | null;
  captured_at: string;
  captured_at_local: string;
  tz: string;
  clock: { source: 'system' | 'tsa'; tsa_time: string | null; skew_ms: number | null };
  page_url: string;
  canonical_url: string | null;
  page_title: string;
  page_meta: PageMeta;
  platform: string;
  adapter_version: string;
  kind: ItemKind;
  account: Account | null;
  item: Item | null;
  messages: Message[] | null;
  artefacts: Artefact[];
  warnings: Warning[];
  environment: Environment;
  collector: Collector;
  signer_fingerprint: string;
}

export interface CaptureSeal {
  record_sha256: string;
  /** ECDSA P-256 signature over the canonical record bytes, DER, base64. */
  signature: string;
  ledger_seq: number;
}

export type CaptureRecord = CaptureBody & { seal: CaptureSeal };
