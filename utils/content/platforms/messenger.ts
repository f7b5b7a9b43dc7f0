import type { Account, Extraction, ItemKind, MediaRef, Message, Warning } from '../../shared/types';
import { absUrl, emptyItem, makeExtraction, mediaIn, textOf, warning } from '../dom';
import { cleanText, textOnly, type ResolvedTime } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * Messenger web (www.messenger.com, www.facebook.com/messages/...).
 *
 * The web app exposes no message ids or machine-readable times in its markup:
 * times appear only as separators between groups of messages ("Today at 9:41 AM"),
 * in the viewer's own time zone. Each message therefore carries the separator
 * above it, verbatim, labelled as text.
 *
 * Ids: the conversation's platform_item_id is the thread id from the URL
 * (/t/<id>, /e2ee/t/<id>); messages have none (Message.id = null).
 */

const SEL = {
  conversation: ['[role="main"][aria-label^="Conversation "]', '[role="main"][aria-label^="Conversation"]'],
  messageList: [
    '[aria-label^="Messages in conversation"]',
    '[role="log"]',
    '[role="grid"][aria-label^="Messages"]',
    '[data-scope="messages_table"]',
  ],
  row: '[role="row"]',
  cell: '[role="gridcell"]',
  separator: 'h4',
  senderHeading: 'h5, h6, [role="heading"]',
  text: 'div[dir="auto"]',
  /** Accessible summary some builds put on a message: "Enter, Message sent <time> by <name>: <text>". */
  a11ySummary: '[aria-label*="Message sent "]',
  header: 'h1, h2',
  profileLink: 'a[href*="facebook.com/"]:not([href*="/messages/"])',
  composer: '[role="textbox"], [contenteditable="true"]',
  /** Receipts, reactions and controls that sit inside a message row. */
  chrome: '[role="button"]:not([aria-label="Open photo"]):not([aria-label="Open video"]), [role="textbox"], [contenteditable="true"]',
} as const;

const ADAPTER = { id: 'messenger', version: '1.0.0' };

const YOU_SENT = /^you sent$/i;
const NAME_SENT = /^(.+?) sent$/i;
const A11Y = /^(?:Enter,\s*)?Message sent\s+(.+?)\s+by\s+(.+?):\s*([\s\S]*)$/i;

function messageList(root: ParentNode): Element | null {
  for (const s of SEL.messageList) {
    const e = root.querySelector(s);
    if (e) return e;
  }
  return null;
}

function conversationOf(doc: Document): Element | null {
  for (const s of SEL.conversation) {
    const e = doc.querySelector(s);
    if (e && messageList(e)) return e;
  }
  const list = messageList(doc);
  if (!list) return null;
  return list.closest('[role="main"]') ?? list;
}

/** Rows of the message list; when a build has no rows, its grid cells. */
function rowsOf(list: Element): Element[] {
  const rows = Array.from(list.querySelectorAll(SEL.row));
  if (rows.length) return rows.filter((r) => !r.parentElement?.closest(SEL.row));
  return Array.from(list.querySelectorAll(SEL.cell));
}

function isSeparator(row: Element): boolean {
  return !!row.querySelector(SEL.separator) && !row.querySelector(SEL.text);
}

function isMessageRow(row: Element): boolean {
  if (isSeparator(row)) return false;
  return !!row.querySelector(`${SEL.text}, img, video, [aria-label="Open photo"], ${SEL.a11ySummary}`);
}

/** Title and kind of the open conversation from its accessible labels. */
function conversationTitle(conv: Element | null, list: Element | null): { title: string | null; oneToOne: boolean } {
  for (const e of [conv, list]) {
    const label = e?.getAttribute('aria-label') ?? '';
    const m = /^(?:Messages in )?[Cc]onversation (with|titled) (.+?)\.?$/.exec(label.trim());
    if (m) return { title: cleanText(m[2]), oneToOne: m[1] === 'with' };
  }
  const h = conv?.querySelector(SEL.header);
  return { title: cleanText(textOf(h)), oneToOne: false };
}

function threadIdFrom(url: URL): string | null {
  const m = /\/(?:messages\/)?(?:e2ee\/)?t\/([^/?#]+)/.exec(url.pathname);
  return m ? decodeURIComponent(m[1]) : null;
}

function profileOf(href: string | null | undefined, base: URL): { handle: string | null; id: string | null; url: string | null } {
  const abs = absUrl(href, base);
  if (!abs) return { handle: null, id: null, url: null };
  try {
    const u = new URL(abs);
    if (!/(^|\.)facebook\.com$/.test(u.hostname)) return { handle: null, id: null, url: null };
    if (u.pathname === '/profile.php') {
      const id = u.searchParams.get('id');
      return { handle: null, id, url: id ? `${u.origin}/profile.php?id=${id}` : null };
    }
    const first = u.pathname.split('/').filter(Boolean)[0] ?? '';
    if (/^\d+$/.test(first)) return { handle: null, id: first, url: `${u.origin}/${first}` };
    if (/^[A-Za-z0-9.]+$/.test(first)) return { handle: first, id: null, url: `${u.origin}/${first}` };
  } catch {
    /* unusable link: treated as absent */
  }
  return { handle: null, id: null, url: null };
}

/** Media of one message: attachments, not avatars, emoji or icons. */
function rowMedia(row: Element, base: URL, senderName: string | null): MediaRef[] {
  return mediaIn(row, base, (m) => {
    const src = m.getAttribute('src') ?? '';
    if (/\/rsrc\.php\/|\/emoji\.php\/|^data:/.test(src)) return true;
    const w = Number(m.getAttribute('width') ?? '0');
    const h = Number(m.getAttribute('height') ?? '0');
    if ((w > 0 && w <= 40) || (h > 0 && h <= 40)) return true;
    const alt = m.getAttribute('alt');
    if (senderName && alt === senderName) return true;
    return !!m.closest('a[aria-hidden="true"]');
  });
}

interface RowRead {
  message: Message;
  warnings: Warning[];
}

interface Context {
  separator: string | null;
  sender: Account | null;
  outgoing: boolean | null;
}

function senderAccount(name: string | null, row: Element, base: URL, partner: Account | null): Account | null {
  if (!name) return null;
  if (partner && partner.display_name === name) return { ...partner };
  const link = row.querySelector(SEL.profileLink);
  const p = profileOf(link?.getAttribute('href'), base);
  return { display_name: name, handle: p.handle, platform_account_id: p.id, profile_url: p.url };
}

/** Reads one message row, continuing the sender and time of the group it belongs to. */
function readRow(row: Element, base: URL, state: Context, partner: Account | null): RowRead {
  const w: Warning[] = [];
  let sentText: string | null = state.separator;

  const summary = row.matches(SEL.a11ySummary) ? row : row.querySelector(SEL.a11ySummary);
  const sm = summary ? A11Y.exec((summary.getAttribute('aria-label') ?? '').trim()) : null;
  const heading = row.querySelector(SEL.senderHeading);
  const headingText = cleanText(textOf(heading));

  if (sm) {
    sentText = cleanText(sm[1]);
    const who = cleanText(sm[2]);
    if (who && /^you$/i.test(who)) {
      state.outgoing = true;
      state.sender = null;
    } else {
      state.outgoing = false;
      state.sender = senderAccount(who, row, base, partner);
    }
  } else if (headingText) {
    if (YOU_SENT.test(headingText)) {
      state.outgoing = true;
      state.sender = null;
    } else {
      state.outgoing = false;
      state.sender = senderAccount(NAME_SENT.exec(headingText)?.[1] ?? headingText, row, base, partner);
    }
  } else {
    // No heading: the row continues the group above it. An avatar names the sender when present.
    const avatar = row.querySelector('a[aria-hidden="true"] img[alt], img[alt][width="28"]');
    const alt = cleanText(avatar?.getAttribute('alt'));
    if (alt && state.outgoing !== false) {
      state.outgoing = false;
      state.sender = senderAccount(alt, row, base, partner);
    }
  }

  const blocks = Array.from(row.querySelectorAll(SEL.text)).filter((d) => !d.parentElement?.closest(SEL.text) && !d.closest(SEL.chrome));
  const parts = blocks.map((b) => textOf(b)).filter((x): x is string => !!x);
  let text = parts.length ? parts.join('\n') : null;
  if (!text && sm) text = cleanText(sm[3]);

  const time: ResolvedTime = textOnly(sentText);
  if (state.outgoing === null) w.push(warning('sender-unknown', 'The sender of a message could not be told from the page.'));

  return {
    message: {
      id: null,
      sender: state.sender ? { ...state.sender } : null,
      outgoing: state.outgoing,
      sent_at: time.iso,
      sent_at_text: time.text,
      sent_at_source: time.source,
      text,
      media: rowMedia(row, base, state.sender?.display_name ?? null),
    },
    warnings: w,
  };
}

/** Walks the rows in order so every message knows the separator and sender group above it. */
function readAll(list: Element, base: URL, partner: Account | null): Map<Element, RowRead> {
  const out = new Map<Element, RowRead>();
  const state: Context = { separator: null, sender: null, outgoing: null };
  for (const row of rowsOf(list)) {
    if (isSeparator(row)) {
      state.separator = cleanText(textOf(row.querySelector(SEL.separator)));
      // A separator starts a new group: the next sender is announced again.
      state.sender = null;
      state.outgoing = null;
      continue;
    }
    if (!isMessageRow(row)) continue;
    out.set(row, readRow(row, base, state, partner));
  }
  return out;
}

function partnerOf(conv: Element | null, list: Element | null, base: URL): Account | null {
  const { title, oneToOne } = conversationTitle(conv, list);
  if (!oneToOne || !title) return null;
  const link = conv ? Array.from(conv.querySelectorAll(SEL.profileLink)).find((a) => !list?.contains(a)) : undefined;
  const p = profileOf(link?.getAttribute('href'), base);
  return { display_name: title, handle: p.handle, platform_account_id: p.id, profile_url: p.url };
}

function threadUrl(ctx: ExtractContext): string {
  const u = new URL(ctx.url.href);
  u.search = '';
  u.hash = '';
  return u.href;
}

function extractConversation(conv: Element, ctx: ExtractContext): Extraction {
  const doc = conv.ownerDocument;
  const list = messageList(conv) ?? messageList(doc);
  const base = ctx.url;
  const { title, oneToOne } = conversationTitle(conv, list);
  const partner = partnerOf(conv, list, base);
  const item = emptyItem();
  const w: Warning[] = [];
  item.platform_item_id = threadIdFrom(ctx.url);
  item.thread_id = item.platform_item_id;
  item.url = item.platform_item_id ? threadUrl(ctx) : null;
  item.title = title;
  const reads = list ? Array.from(readAll(list, base, partner).values()) : [];
  const messages = reads.map((r) => r.message);
  for (const r of reads) for (const x of r.warnings) if (!w.some((y) => y.code === x.code)) w.push(x);
  if (!list) w.push(warning('messages-missing', 'No message list was found in the conversation.'));
  else if (!messages.length) w.push(warning('messages-empty', 'The conversation showed no messages when it was captured; scroll to load them first.'));
  if (messages.length)
    w.push(warning('message-times-approximate', 'Messenger shows times only between groups of messages; each message records the time shown above it, in the viewer\'s time zone.'));
  w.push(warning('time-missing', 'A conversation has no single time; see the time recorded with each message.'));
  if (!oneToOne) w.push(warning('account-missing', 'This is a group conversation (or its other party could not be named); see the sender of each message.'));
  return makeExtraction(ADAPTER, 'conversation', oneToOne ? partner : null, item, w, messages);
}

function extractMessage(row: Element, ctx: ExtractContext): Extraction {
  const doc = row.ownerDocument;
  const conv = conversationOf(doc);
  const list = row.closest(SEL.messageList.join(', ')) ?? messageList(doc);
  const base = ctx.url;
  const partner = partnerOf(conv, list, base);
  const read = list ? readAll(list, base, partner).get(row) : undefined;
  const item = emptyItem();
  const w: Warning[] = [];
  item.thread_id = threadIdFrom(ctx.url);
  if (!read) {
    return makeExtraction(ADAPTER, 'message', null, item, [warning('not-a-message', 'The selected element is not a message row.')]);
  }
  const m = read.message;
  item.text = m.text;
  item.media = m.media;
  item.posted_at = m.sent_at;
  item.posted_at_text = m.sent_at_text;
  item.posted_at_source = m.sent_at_source;
  w.push(...read.warnings);
  w.push(warning('item-id-missing', 'Messenger shows no id for a single message.'));
  w.push(warning('permalink-missing', `A message has no link of its own; the conversation is ${item.thread_id ? threadUrl(ctx) : 'this page'}.`));
  if (m.sent_at_text && !m.sent_at)
    w.push(warning('time-unparsed', `Messenger shows only the time above this group of messages ("${m.sent_at_text}"), in the viewer's time zone; it is kept as shown.`));
  if (m.outgoing) w.push(warning('account-missing', 'This message was sent by you (the logged-in account); Messenger does not print your name beside it.'));
  return makeExtraction(ADAPTER, 'message', m.sender, item, w);
}

function findAll(doc: Document): Element[] {
  const conv = conversationOf(doc);
  if (!conv) return [];
  const list = messageList(conv) ?? messageList(doc);
  const rows = list ? rowsOf(list).filter(isMessageRow) : [];
  return [conv, ...rows];
}

function kindOfImpl(el: Element): ItemKind {
  try {
    return el.matches(`${SEL.row}, ${SEL.cell}`) ? 'message' : 'conversation';
  } catch {
    return 'conversation';
  }
}

function failed(kind: ItemKind, e: unknown): Extraction {
  return makeExtraction(ADAPTER, kind, null, emptyItem(), [
    warning('extract-failed', `The item could not be read (${e instanceof Error ? e.message : String(e)}).`),
  ]);
}

export const messengerAdapter: PlatformAdapter = {
  id: ADAPTER.id,
  version: ADAPTER.version,
  label: 'Messenger',

  matchesUrl(url: URL): boolean {
    if (/^(?:www\.)?messenger\.com$/.test(url.hostname)) return true;
    return /^(?:www\.|web\.|m\.)?facebook\.com$/.test(url.hostname) && /^\/messages(\/|$)/.test(url.pathname);
  },

  matchesDocument(doc: Document): boolean {
    return !!doc.querySelector('[aria-label^="Messages in conversation"]');
  },

  findItems(doc: Document): Element[] {
    try {
      return findAll(doc);
    } catch {
      return [];
    }
  },

  enclosingItem(el: Element): Element | null {
    try {
      const doc = el.ownerDocument;
      const items = findAll(doc);
      let cur: Element | null = el;
      while (cur) {
        if (items.includes(cur)) return cur;
        cur = cur.parentElement;
      }
      return null;
    } catch {
      return null;
    }
  },

  kindOf(el: Element): ItemKind {
    return kindOfImpl(el);
  },

  extract(el: Element, ctx: ExtractContext): Extraction {
    const kind = kindOfImpl(el);
    try {
      return kind === 'message' ? extractMessage(el, ctx) : extractConversation(el, ctx);
    } catch (e) {
      return failed(kind, e);
    }
  },

  extractPage(): Extraction | null {
    // A conversation is always rendered DOM; there is no head-only form of it.
    return null;
  },
};

export default messengerAdapter;
