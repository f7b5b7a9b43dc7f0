import type { Account, Extraction, ItemKind, MediaRef, Message, Warning } from '../../shared/types';
import { absUrl, emptyAccount, emptyItem, makeExtraction, pick, textOf, warning } from '../dom';
import { cleanText } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * WhatsApp Web (web.whatsapp.com): the open chat and its messages.
 *
 * Ids: a message's id is its full `data-id`, WhatsApp's serialised message key
 * `<fromMe>_<chatJid>_<msgId>[_<participantJid>]` (the bare msgId is only unique
 * together with the chat and direction). A conversation's `platform_item_id` is the chat
 * JID (`447700900123@c.us` for a person, `…@g.us` for a group). A person's
 * `platform_account_id` is their JID and `handle` the phone number it contains
 * ("+447700900123"); newer privacy ids (`…@lid`) carry no number, so no handle.
 *
 * WhatsApp Web has no links to chats or messages, so `url` is always null (warned).
 *
 * Time: each message's `data-pre-plain-text` ("[10:31, 29/11/2026] Sam Carter: ") gives
 * time of day, date and sender, written in the computer's own regional format and time
 * zone. It is read as local time of the capturing browser, which is the zone WhatsApp
 * used to write it, and labelled `attribute`; the text is kept verbatim.
 */

const SEL = {
  chat: '#main',
  header: '#main header, header',
  headerName: ['span[dir="auto"][title]', 'span[title]', 'span[dir="auto"]'],
  // Current and older generations: the data-id carries the key; .message-in/.message-out the direction.
  message: 'div[data-id^="true_"], div[data-id^="false_"]',
  messageByClass: '.message-in, .message-out',
  prePlain: '[data-pre-plain-text]',
  text: ['span.selectable-text', '.copyable-text span[dir]'],
  timeSpan: 'span[dir="auto"], span',
  media: 'img, video',
  emoji: 'img.emoji, img[data-plain-text]',
} as const;

const VERSION = '1.0.0';
const DATA_ID = /^(true|false)_([^_]+@[a-z.]+)_([A-Za-z0-9]+)(?:_([^_]+@[a-z.]+))?$/;
const PRE_PLAIN = /^\s*\[([^\]]+)\]\s*(.*?):\s*$/s;
const TIME_OF_DAY = /^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([ap])?\.?\s*m?\.?$/i;
const SHOWN_TIME = /^\d{1,2}[:.]\d{2}(?:\s*[ap]\.?\s*m\.?)?$/i;
// Locales that write month before day. Everything else WhatsApp supports writes day first
// or year first.
const MONTH_FIRST = /^(en-(us|ph|pr|um|as|gu|mp|vi)|fil|es-us)\b/i;

/** Message text as written: <br> and literal line breaks kept, emoji images give their character. */
function verbatimText(el: Element | null | undefined): string | null {
  return textOf(el, {
    preserveWhitespace: 'verbatim',
    includeAriaHidden: true,
    blocks: new Set(),
    image: (e) => e.getAttribute('data-plain-text') ?? e.getAttribute('alt'),
  });
}

interface Key {
  outgoing: boolean;
  chat: string;
  id: string;
  participant: string | null;
}

function parseKey(dataId: string | null): Key | null {
  const m = dataId ? DATA_ID.exec(dataId) : null;
  return m ? { outgoing: m[1] === 'true', chat: m[2], id: m[3], participant: m[4] ?? null } : null;
}

function phoneOf(jid: string | null): string | null {
  const m = jid ? /^(\d{6,15})@(c\.us|s\.whatsapp\.net)$/.exec(jid) : null;
  return m ? `+${m[1]}` : null;
}

function personAccount(name: string | null, jid: string | null): Account {
  const a = emptyAccount();
  a.display_name = name;
  a.platform_account_id = jid && !jid.endsWith('@g.us') ? jid : null;
  a.handle = phoneOf(a.platform_account_id);
  return a;
}

function isMessage(el: Element): boolean {
  return el.matches(SEL.message) || (el.matches(SEL.messageByClass) && !el.parentElement?.closest(SEL.message));
}

function messagesIn(root: ParentNode): Element[] {
  const keyed = Array.from(root.querySelectorAll(SEL.message));
  if (keyed.length) return keyed;
  return Array.from(root.querySelectorAll(SEL.messageByClass));
}

function chatOf(doc: Document): Element | null {
  return doc.querySelector(SEL.chat);
}

function contactName(doc: Document): string | null {
  const header = doc.querySelector(SEL.header);
  if (!header) return null;
  const el = pick(header, SEL.headerName);
  return cleanText(el?.getAttribute('title')) ?? cleanText(el?.textContent);
}

// ---------------------------------------------------------------------------
// Time

interface ParsedStamp {
  iso: string | null;
  text: string;
  warning: Warning | null;
}

/**
 * "[10:31, 29/11/2026]" → local time. The order of day and month follows the user's
 * regional settings, which the page does not state: when both are 12 or less it is
 * decided from the page language and a warning says so.
 */
function parseStamp(stamp: string, lang: string | null): ParsedStamp {
  const text = stamp.trim();
  const parts = text.split(/,\s*/);
  const timePart = parts.find((p) => TIME_OF_DAY.test(p.trim()));
  const datePart = parts.find((p) => p !== timePart && /\d/.test(p));
  const t = timePart ? TIME_OF_DAY.exec(timePart.trim()) : null;
  if (!t || !datePart) return { iso: null, text, warning: null };
  let hour = Number(t[1]);
  const minute = Number(t[2]);
  const second = t[3] ? Number(t[3]) : 0;
  if (t[4]) hour = (hour % 12) + (t[4].toLowerCase() === 'p' ? 12 : 0);
  const nums = datePart.trim().split(/[./\-\s]+/).filter(Boolean).map(Number);
  if (nums.length !== 3 || nums.some((n) => !Number.isInteger(n))) return { iso: null, text, warning: null };
  let year: number;
  let month: number;
  let day: number;
  let warn: Warning | null = null;
  if (nums[0] > 999) [year, month, day] = nums;
  else {
    const [a, b, y] = nums;
    year = y < 100 ? 2000 + y : y;
    let dayFirst: boolean;
    if (a > 12) dayFirst = true;
    else if (b > 12) dayFirst = false;
    else {
      dayFirst = !(lang && MONTH_FIRST.test(lang));
      if (a !== b) {
        const why = lang ? `because the page language is ${lang}` : 'because WhatsApp writes day first in most regions and the page states no language';
        warn = warning(
          'date-order-ambiguous',
          `WhatsApp writes dates in the computer's regional format, which the page does not state. "${datePart.trim()}" was read as ${dayFirst ? 'day/month' : 'month/day'} ${why}; if the computer uses ${dayFirst ? 'month/day' : 'day/month'} the date is different.`,
        );
      }
    }
    [day, month] = dayFirst ? [a, b] : [b, a];
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return { iso: null, text, warning: null };
  // Local wall-clock time of the capturing browser: the zone WhatsApp Web wrote it in.
  const d = new Date(year, month - 1, day, hour, minute, second);
  if (d.getDate() !== day) return { iso: null, text, warning: null };
  return { iso: d.toISOString(), text, warning: warn };
}

// ---------------------------------------------------------------------------
// Messages

function mediaOf(msg: Element, base: URL): MediaRef[] {
  const out: MediaRef[] = [];
  const seen = new Set<string>();
  for (const m of Array.from(msg.querySelectorAll(SEL.media))) {
    if (m.matches(SEL.emoji)) continue;
    const tag = m.tagName.toUpperCase();
    const src = m.getAttribute('src') ?? m.querySelector('source')?.getAttribute('src') ?? '';
    // Profile pictures (group senders) and inline data: images (emoji, icons, blurred previews) are not content.
    if (/pps\.whatsapp\.net/.test(src) || src.startsWith('data:')) continue;
    if (seen.has(src)) continue;
    seen.add(src);
    const kind: MediaRef['kind'] = tag === 'VIDEO' ? 'video' : 'image';
    if (src.startsWith('blob:')) {
      // WhatsApp decrypts media in the page and shows it from a blob: URL that only lives in this tab.
      out.push({ kind, url: null, alt: cleanText(m.getAttribute('alt')), why_missing: 'decrypted in the page and shown from a blob: URL; only the screenshot holds it' });
      continue;
    }
    const url = absUrl(src, base);
    if (url) out.push({ kind, url, alt: cleanText(m.getAttribute('alt')) });
  }
  return out;
}

/** The time of day printed in the bubble ("10:38"), for messages without data-pre-plain-text. */
function shownTime(msg: Element, copyable: Element | null): string | null {
  const spans = Array.from(msg.querySelectorAll(SEL.timeSpan)).filter((s) => !copyable?.contains(s) && !s.querySelector('span'));
  for (let i = spans.length - 1; i >= 0; i--) {
    const t = cleanText(spans[i].textContent);
    if (t && SHOWN_TIME.test(t)) return t;
  }
  return null;
}

interface ReadMessage {
  message: Message;
  key: Key | null;
  warnings: Warning[];
  /** The "[time, date] Name: " line WhatsApp itself uses when copying, for the transcript. */
  prefix: string;
}

function readMessage(msg: Element, ctx: ExtractContext): ReadMessage {
  const doc = msg.ownerDocument;
  const warnings: Warning[] = [];
  const rowKey = msg.getAttribute('data-id') ?? msg.closest('[data-id]')?.getAttribute('data-id') ?? null;
  const key = parseKey(rowKey);
  const outgoing = key ? key.outgoing : msg.matches('.message-out') || !!msg.querySelector('.message-out') ? true : msg.matches('.message-in') || !!msg.querySelector('.message-in') ? false : null;
  const copyable = msg.querySelector(SEL.prePlain);
  const pre = copyable?.getAttribute('data-pre-plain-text') ?? null;
  const parsed = pre ? PRE_PLAIN.exec(pre) : null;
  const name = parsed ? cleanText(parsed[2]) : null;

  let sent_at: string | null = null;
  let sent_at_text: string | null = null;
  let sent_at_source: Message['sent_at_source'] = null;
  if (parsed) {
    const s = parseStamp(parsed[1], doc.documentElement.getAttribute('lang'));
    sent_at = s.iso;
    sent_at_text = s.text;
    sent_at_source = s.iso ? 'attribute' : 'text';
    if (s.warning) warnings.push(s.warning);
  } else {
    sent_at_text = shownTime(msg, copyable);
    sent_at_source = sent_at_text ? 'text' : null;
    if (sent_at_text)
      warnings.push(warning('time-without-date', `A message shows only a time of day ("${sent_at_text}") and no date (pictures without a caption carry no date); its date was not recorded.`));
  }

  let sender: Account | null = null;
  if (outgoing) sender = name ? personAccount(name, null) : null;
  else {
    const jid = key?.participant ?? (key && !key.chat.endsWith('@g.us') ? key.chat : null);
    const shown = name ?? (key && !key.chat.endsWith('@g.us') ? contactName(doc) : null);
    sender = shown || jid ? personAccount(shown, jid) : null;
  }

  const textEl = copyable ? pick(copyable, SEL.text) : pick(msg, SEL.text);
  const message: Message = {
    id: rowKey && key ? rowKey : null,
    sender,
    outgoing,
    sent_at,
    sent_at_text,
    sent_at_source,
    text: verbatimText(textEl),
    media: mediaOf(msg, ctx.url),
  };
  const prefix = `[${sent_at_text ?? ''}] ${sender?.display_name ?? (outgoing ? 'You' : 'Unknown')}: `;
  return { message, key, warnings, prefix };
}

function transcriptLine(r: ReadMessage): string {
  const media = r.message.media.map((m) => `(${m.kind})`).join(' ');
  return `${r.prefix}${[media, r.message.text ?? ''].filter(Boolean).join(' ')}`;
}

const NO_LINKS = warning('no-permalinks', 'WhatsApp Web has no web addresses for chats or messages; the message key (data-id) identifies the message instead.');
const LOCAL_TIME = warning(
  'time-local',
  "WhatsApp Web shows message times to the minute in the computer's time zone; they were converted to UTC using this browser's time zone at capture.",
);

function extractMessage(msg: Element, ctx: ExtractContext): Extraction {
  const r = readMessage(msg, ctx);
  const item = emptyItem();
  item.platform_item_id = r.message.id;
  item.thread_id = r.key?.chat ?? null;
  item.posted_at = r.message.sent_at;
  item.posted_at_text = r.message.sent_at_text;
  item.posted_at_source = r.message.sent_at_source;
  item.text = r.message.text;
  item.media = r.message.media;
  const warnings = [...r.warnings, NO_LINKS];
  if (r.message.sent_at_source === 'attribute') warnings.push(LOCAL_TIME);
  return makeExtraction(whatsappAdapter, 'message', r.message.sender, item, warnings, [r.message]);
}

function extractConversation(chat: Element, ctx: ExtractContext): Extraction {
  const doc = chat.ownerDocument;
  const reads = messagesIn(chat).map((m) => readMessage(m, ctx));
  const warnings: Warning[] = [];
  const jid = reads.find((r) => r.key)?.key?.chat ?? null;
  const name = contactName(doc);
  const group = !!jid?.endsWith('@g.us');
  const account = group || (!name && !jid) ? null : personAccount(name, jid);
  if (group) warnings.push(warning('group-chat', 'This is a group chat; each message records its own sender.'));

  const item = emptyItem();
  item.platform_item_id = jid;
  item.title = name;
  // The conversation is dated by its first visible message.
  const first = reads.find((r) => r.message.sent_at || r.message.sent_at_text);
  item.posted_at = first?.message.sent_at ?? null;
  item.posted_at_text = first?.message.sent_at_text ?? null;
  item.posted_at_source = first?.message.sent_at_source ?? null;
  // A plain transcript in WhatsApp's own copy format; messages[] is the structured record.
  item.text = reads.length ? reads.map(transcriptLine).join('\n') : null;
  item.media = reads.flatMap((r) => r.message.media);
  for (const r of reads) warnings.push(...r.warnings);
  if (reads.length === 0) warnings.push(warning('no-messages', 'No messages were found in the open chat.'));
  warnings.push(NO_LINKS);
  if (reads.some((r) => r.message.sent_at_source === 'attribute')) warnings.push(LOCAL_TIME);
  return makeExtraction(whatsappAdapter, 'conversation', account, item, warnings, reads.map((r) => r.message));
}

function failed(kind: ItemKind, err: unknown): Extraction {
  return makeExtraction(whatsappAdapter, kind, null, emptyItem(), [
    warning('extract-failed', `The WhatsApp adapter could not read this item (${err instanceof Error ? err.message : String(err)}).`),
  ]);
}

export const whatsappAdapter: PlatformAdapter = {
  id: 'whatsapp',
  version: VERSION,
  label: 'WhatsApp',

  matchesUrl(url: URL): boolean {
    return url.hostname.toLowerCase() === 'web.whatsapp.com';
  },

  findItems(doc: Document): Element[] {
    const chat = chatOf(doc);
    if (!chat) return [];
    return [chat, ...messagesIn(chat)];
  },

  enclosingItem(el: Element): Element | null {
    const msg = el.closest(SEL.message) ?? el.closest(SEL.messageByClass);
    if (msg) return msg;
    return el.closest(SEL.chat);
  },

  kindOf(el: Element): ItemKind {
    if (el.matches(SEL.chat)) return 'conversation';
    return isMessage(el) ? 'message' : 'element';
  },

  extract(el: Element, ctx: ExtractContext): Extraction {
    const kind: ItemKind = el.matches(SEL.chat) ? 'conversation' : 'message';
    try {
      return kind === 'conversation' ? extractConversation(el, ctx) : extractMessage(el, ctx);
    } catch (err) {
      return failed(kind, err);
    }
  },

  // The chat is captured as the conversation element from findItems; the page itself is not an item.
  extractPage(): Extraction | null {
    return null;
  },
};

export default whatsappAdapter;
