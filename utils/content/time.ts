import type { TimeSource } from '../shared/types';

/** A resolved time: ISO UTC (or null), the text as shown, and where it came from. */
export interface ResolvedTime {
  iso: string | null;
  text: string | null;
  source: TimeSource | null;
}

const NONE: ResolvedTime = { iso: null, text: null, source: null };

function isoOrNull(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Parses a machine-readable time attribute/JSON value (ISO string, or epoch seconds/ms). */
export function parseMachineTime(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number' || /^\d{9,13}(\.\d+)?$/.test(String(value).trim())) {
    const n = Number(value);
    // Seconds before 2286 have at most 10 digits; anything larger is ms.
    return isoOrNull(n < 1e11 ? n * 1000 : n);
  }
  const s = String(value).trim();
  // Must look like a date, not free text that Date happens to accept.
  if (!/^\d{4}-\d{2}-\d{2}/.test(s) && !/^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4}/.test(s)) return null;
  return isoOrNull(Date.parse(s));
}

/** A time from an attribute such as `time[datetime]`, keeping the displayed text. */
export function fromAttribute(value: string | null | undefined, displayed?: string | null): ResolvedTime {
  const iso = parseMachineTime(value ?? null);
  if (!iso) return NONE;
  return { iso, text: cleanText(displayed) ?? value ?? null, source: 'attribute' };
}

/** A time from embedded JSON (JSON-LD, platform state). */
export function fromJson(value: string | number | null | undefined, displayed?: string | null): ResolvedTime {
  const iso = parseMachineTime(value ?? null);
  if (!iso) return NONE;
  return { iso, text: cleanText(displayed) ?? String(value), source: 'json' };
}

function bigId(id: string): bigint | null {
  if (!/^\d{1,20}$/.test(id)) return null;
  try {
    return BigInt(id);
  } catch {
    return null;
  }
}

/** X/Twitter snowflake: (id >> 22) + 1288834974657 ms. Ids before Nov 2010 carry no time. */
export function decodeXId(id: string): string | null {
  const n = bigId(id);
  if (n === null || n < 1n << 22n) return null;
  return isoOrNull(Number((n >> 22n) + 1288834974657n));
}

/** TikTok video/comment ids: id >> 32 seconds. */
export function decodeTikTokId(id: string): string | null {
  const n = bigId(id);
  if (n === null || n < 1n << 32n) return null;
  return isoOrNull(Number(n >> 32n) * 1000);
}

/** LinkedIn activity/ugcPost ids: first 41 bits, id >> 22 ms. */
export function decodeLinkedInId(id: string): string | null {
  const n = bigId(id);
  if (n === null || n < 1n << 22n) return null;
  return isoOrNull(Number(n >> 22n));
}

/** Discord snowflake: (id >> 22) + 1420070400000 ms (the Discord epoch, 2015-01-01). */
export function decodeDiscordId(id: string | null | undefined): string | null {
  const n = id ? bigId(id) : null;
  if (n === null || n < 1n << 22n) return null;
  return isoOrNull(Number((n >> 22n) + 1420070400000n));
}

/** Mastodon snowflake-style status ids: id >> 16 ms. Pre-2016 sequential ids carry no time. */
export function decodeMastodonId(id: string | null | undefined): string | null {
  if (!id || !/^\d{15,20}$/.test(id)) return null;
  const ms = Number(BigInt(id) >> 16n);
  if (ms < Date.UTC(2016, 0, 1)) return null;
  return isoOrNull(ms);
}

/** Instagram's id epoch (2011-08-24T21:07:01.721Z); sharded media ids carry ms since then in bits 23+. */
const IG_EPOCH_MS = 1314220021721n;
const IG_SHORTCODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Instagram/Threads media id ("3412345678901234567") -> creation time. */
export function decodeInstagramMediaId(id: string): string | null {
  if (!/^\d{15,20}$/.test(id)) return null;
  const ms = Number((BigInt(id) >> 23n) + IG_EPOCH_MS);
  // Before Instagram existed or in the future means this was not a sharded media id.
  if (ms < Date.UTC(2010, 9, 1) || ms > Date.UTC(2100, 0, 1)) return null;
  return isoOrNull(ms);
}

/**
 * Instagram/Threads shortcode (base64url of the media id, "DM5F3Vzq6TN") -> creation time.
 * Long shortcodes (private media) carry extra data, so they are skipped.
 */
export function decodeInstagramShortcode(code: string): string | null {
  if (!/^[A-Za-z0-9_-]{5,11}$/.test(code)) return null;
  let n = 0n;
  for (const ch of code) n = n * 64n + BigInt(IG_SHORTCODE_ALPHABET.indexOf(ch));
  return decodeInstagramMediaId(n.toString());
}

const B32_SORTABLE = '234567abcdefghijklmnopqrstuvwxyz';

/** Bluesky/AT Protocol TID (13 chars base32-sortable): top bits >> 10 are µs since epoch. */
export function decodeBlueskyTid(tid: string): string | null {
  if (!/^[234567a-z]{13}$/.test(tid)) return null;
  let n = 0n;
  for (const ch of tid) n = (n << 5n) | BigInt(B32_SORTABLE.indexOf(ch));
  return isoOrNull(Number(n >> 10n) / 1000);
}

/** A time decoded from an item id. */
export function fromId(iso: string | null, id: string): ResolvedTime {
  if (!iso) return NONE;
  return { iso, text: id, source: 'id-decoded' };
}

const UNIT_MS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  w: 604_800_000,
  wk: 604_800_000,
  week: 604_800_000,
  mo: 2_592_000_000,
  month: 2_592_000_000,
  y: 31_536_000_000,
  yr: 31_536_000_000,
  year: 31_536_000_000,
};

/**
 * Resolves relative text ("2h", "3 days ago", "5m", "1 yr", "just now",
 * "yesterday") against the capture time. The result is approximate and is
 * labelled `relative-text` so nobody mistakes it for a platform timestamp.
 */
export function fromRelativeText(text: string | null | undefined, capturedAt: Date): ResolvedTime {
  const shown = cleanText(text);
  if (!shown) return NONE;
  const t = shown.toLowerCase().replace(/[•·]/g, ' ').replace(/\s+/g, ' ').trim();
  if (/^(just now|now|moments? ago)$/.test(t)) return { iso: capturedAt.toISOString(), text: shown, source: 'relative-text' };
  if (t === 'yesterday') return { iso: new Date(capturedAt.getTime() - 86_400_000).toISOString(), text: shown, source: 'relative-text' };
  const m = /^(?:about |an? |)(\d+|an?|one)?\s*(s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mo|mos|months?|y|yrs?|years?)\b(?:\s*ago)?(?:\s*\(edited\)|\s*edited)?$/.exec(t);
  if (!m) return NONE;
  const count = m[1] === undefined || /^(an?|one)$/.test(m[1]) ? 1 : Number(m[1]);
  let unit = m[2];
  if (!(unit in UNIT_MS)) unit = unit.replace(/s$/, '');
  if (!(unit in UNIT_MS)) return NONE;
  return { iso: new Date(capturedAt.getTime() - count * UNIT_MS[unit]).toISOString(), text: shown, source: 'relative-text' };
}

/** First of several candidate times that resolved, in the order given (best first). */
export function firstTime(...candidates: ResolvedTime[]): ResolvedTime {
  return candidates.find((c) => c.iso !== null) ?? candidates.find((c) => c.text !== null) ?? NONE;
}

/** Displayed text only (no machine time could be found): keep it verbatim. */
export function textOnly(text: string | null | undefined): ResolvedTime {
  const shown = cleanText(text);
  return shown ? { iso: null, text: shown, source: 'text' } : NONE;
}

export function cleanText(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = s.replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
}
