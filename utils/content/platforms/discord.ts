import type { Account, Extraction, ItemKind, MediaRef, Message, Warning } from '../../shared/types';
import { emptyAccount, emptyItem, makeExtraction, mediaIn, pick, textOf, warning } from '../dom';
import { cleanText, decodeDiscordId, fromAttribute, type ResolvedTime } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * Discord web client (discord.com/channels/<guild or @me>/<channel>): channel and DM
 * messages, and the open channel as a conversation.
 *
 * Ids: `platform_item_id` of a message is its snowflake id, of a conversation the channel
 * id; `thread_id` of a message is its channel id and `in_reply_to` the id of the message it
 * replies to. `platform_account_id` is the user's snowflake id, read from their avatar's
 * CDN address (cdn.discordapp.com/avatars/<userId>/…); Discord shows display names and
 * server nicknames, not the unique username, so `handle` stays null.
 *
 * Time: every message carries `time[datetime]` (ISO); the snowflake id also encodes the
 * creation time, decoded into `id_time` as a cross-check.
 */

const SEL = {
  list: ['ol[data-list-id="chat-messages"]', '[data-list-id="chat-messages"]', '[role="list"][aria-label^="Messages in"]'],
  message: 'li[id^="chat-messages-"]',
  article: '[role="article"]',
  content: '[id^="message-content-"]',
  username: ['[id^="message-username-"]', 'h3 [class*="username_"]'],
  header: 'h3',
  time: 'time[datetime]',
  replyContext: '[id^="message-reply-context-"], [class*="repliedMessage_"]',
  accessories: '[id^="message-accessories-"]',
  avatar: 'img[src*="/avatars/"]',
  emoji: 'img.emoji, img[data-type="emoji"], img[src*="/emojis/"]',
  ownAvatar: ['section[aria-label="User area"] img[src*="/avatars/"]', '[class*="panels_"] img[src*="/avatars/"]'],
  channelTitle: ['section[aria-label="Channel header"] h1', '[class*="chatContent_"] h1', 'main h1'],
} as const;

const VERSION = '1.0.0';
const ORIGIN = 'https://discord.com';
const LI_ID = /^chat-messages-(\d+)-(\d+)$/;
const USER_ID_IN_AVATAR = /\/avatars\/(\d{5,20})\//;
const CHANNEL_PATH = /^\/channels\/(@me|\d+)\/(\d+)(?:\/(\d+))?/;
// How far back to look for the header of a message group (groups are short; this bounds the walk).
const MAX_GROUP_WALK = 200;

const BLOCK_TAGS = new Set(['DIV', 'P', 'LI', 'UL', 'OL', 'BLOCKQUOTE', 'PRE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TABLE', 'TR']);

/**
 * Message text as written. Discord renders text with `white-space: pre-wrap`, so line
 * breaks live in the text nodes; plain textOf() would fold them. The "(edited)" marker (a
 * <time> inside the content) is left out; emoji give their alt text (":name:" for custom).
 */
function verbatimText(el: Element | null | undefined): string | null {
  return textOf(el, {
    preserveWhitespace: 'verbatim',
    includeAriaHidden: true,
    blocks: BLOCK_TAGS,
    skipTags: new Set(['TIME']),
    image: (e) => (e.matches(SEL.emoji) ? e.getAttribute('alt') : null),
  });
}

function idsOf(li: Element): { channel: string; message: string } | null {
  const m = LI_ID.exec(li.id);
  return m ? { channel: m[1], message: m[2] } : null;
}

function route(url: URL): { guild: string; channel: string } | null {
  const m = CHANNEL_PATH.exec(url.pathname);
  return m ? { guild: m[1], channel: m[2] } : null;
}

function permalink(ctx: ExtractContext, channel: string, message?: string): string | null {
  const r = route(ctx.url);
  // The guild is only in the page address; without it the link cannot be built.
  if (!r || r.channel !== channel) return null;
  return `${ORIGIN}/channels/${r.guild}/${channel}${message ? `/${message}` : ''}`;
}

function outside(el: Element, container: Element | null): boolean {
  return !container || !container.contains(el);
}

interface Header {
  name: string | null;
  userId: string | null;
}

/** The author shown in a message's own header, or null when the message continues a group. */
function ownHeader(li: Element): Header | null {
  const reply = li.querySelector(SEL.replyContext);
  const nameEl = Array.from(li.querySelectorAll(SEL.username.join(', '))).find((e) => outside(e, reply) && e.closest(SEL.header));
  if (!nameEl) return null;
  // The first span inside the header text is the name; role icons and tags follow it.
  const first = nameEl.matches('[id^="message-username-"]') ? nameEl.firstElementChild ?? nameEl : nameEl;
  const name = cleanText(first.getAttribute('data-text')) ?? cleanText(textOf(first));
  const avatar = Array.from(li.querySelectorAll(SEL.avatar)).find((e) => outside(e, reply));
  const userId = USER_ID_IN_AVATAR.exec(avatar?.getAttribute('src') ?? '')?.[1] ?? null;
  return { name, userId };
}

/** Later messages of a group have no header: the author is that of the group's first message. */
function headerFor(li: Element): { header: Header | null; carried: boolean } {
  const own = ownHeader(li);
  if (own) return { header: own, carried: false };
  // The message names its group's header in aria-labelledby.
  const labelled = li.querySelector(SEL.article)?.getAttribute('aria-labelledby') ?? '';
  const ref = labelled.split(/\s+/).find((t) => t.startsWith('message-username-'));
  const refEl = ref ? li.ownerDocument.getElementById(ref) : null;
  const refLi = refEl?.closest(SEL.message);
  if (refLi && refLi !== li) {
    const h = ownHeader(refLi);
    if (h) return { header: h, carried: true };
  }
  let prev = li.previousElementSibling;
  for (let i = 0; prev && i < MAX_GROUP_WALK; i++, prev = prev.previousElementSibling) {
    if (!prev.matches(SEL.message)) continue;
    const h = ownHeader(prev);
    if (h) return { header: h, carried: true };
  }
  return { header: null, carried: false };
}

function ownUserId(doc: Document): string | null {
  const img = pick(doc, SEL.ownAvatar);
  return USER_ID_IN_AVATAR.exec(img?.getAttribute('src') ?? '')?.[1] ?? null;
}

function accountOf(h: Header | null): Account | null {
  if (!h || (!h.name && !h.userId)) return null;
  const a = emptyAccount();
  a.display_name = h.name;
  a.platform_account_id = h.userId;
  a.profile_url = h.userId ? `${ORIGIN}/users/${h.userId}` : null;
  return a;
}

function mediaOf(li: Element, base: URL): MediaRef[] {
  const acc = li.querySelector(SEL.accessories);
  if (!acc) return [];
  return mediaIn(acc, base, (e) => e.matches(SEL.avatar) || e.matches(SEL.emoji));
}

interface ReadMessage {
  message: Message;
  ids: { channel: string; message: string } | null;
  time: ResolvedTime;
  idTime: string | null;
  inReplyTo: string | null;
  edited: string | null;
  carried: boolean;
}

function readMessage(li: Element, ctx: ExtractContext): ReadMessage {
  const ids = idsOf(li);
  const reply = li.querySelector(SEL.replyContext);
  // The reply preview repeats the replied message's content id, so ids are not unique: search this row only.
  const contents = Array.from(li.querySelectorAll(SEL.content)).filter((e) => outside(e, reply));
  const contentIn = contents.find((e) => ids && e.id === `message-content-${ids.message}`) ?? contents[0] ?? null;
  const timeEl =
    (ids ? li.querySelector(`time[id="message-timestamp-${ids.message}"]`) : null) ??
    Array.from(li.querySelectorAll(SEL.time)).find((t) => outside(t, reply) && outside(t, contentIn)) ??
    null;
  const shown = cleanText(textOf(timeEl)) ?? cleanText(timeEl?.getAttribute('aria-label'));
  const idTime = decodeDiscordId(ids?.message);
  let time = fromAttribute(timeEl?.getAttribute('datetime'), shown);
  if (!time.iso && idTime) time = { iso: idTime, text: shown ?? ids?.message ?? null, source: 'id-decoded' };
  const editedEl = contentIn?.querySelector(SEL.time);
  const edited = editedEl ? fromAttribute(editedEl.getAttribute('datetime')).iso : null;
  const repliedId = reply?.querySelector(SEL.content)?.id.replace(/^message-content-/, '') ?? null;
  const { header, carried } = headerFor(li);
  const sender = accountOf(header);
  const own = ownUserId(li.ownerDocument);
  const message: Message = {
    id: ids?.message ?? null,
    sender,
    outgoing: own && header?.userId ? header.userId === own : null,
    sent_at: time.iso,
    sent_at_text: time.text,
    sent_at_source: time.source,
    text: verbatimText(contentIn),
    media: mediaOf(li, ctx.url),
  };
  return { message, ids, time, idTime, inReplyTo: repliedId && /^\d+$/.test(repliedId) ? repliedId : null, edited, carried };
}

function readWarnings(r: ReadMessage): Warning[] {
  const w: Warning[] = [];
  if (r.edited)
    w.push(warning('edited', `A message was edited (at ${r.edited}); the page shows only its current text.`));
  if (r.message.sender && !r.message.sender.platform_account_id)
    w.push(warning('display-name-only', 'Only the display name shown in the channel was found for a sender; display names and server nicknames are not unique and can be changed.'));
  if (r.idTime && r.time.iso && r.time.source === 'attribute' && Math.abs(Date.parse(r.idTime) - Date.parse(r.time.iso)) > 60_000)
    w.push(warning('time-mismatch', `A message's displayed time (${r.time.iso}) differs from the time in its id (${r.idTime}).`));
  return w;
}

function channelTitle(doc: Document): string | null {
  // "Discord | #general | Server" or "Discord | @name"; a leading "(3) " is the unread count.
  const t = cleanText(doc.title)?.replace(/^\(\d+\)\s*/, '') ?? '';
  const m = /^Discord\s*\|\s*(.+)$/.exec(t);
  if (m) return m[1];
  return cleanText(textOf(pick(doc, SEL.channelTitle)));
}

function extractMessage(li: Element, ctx: ExtractContext): Extraction {
  const r = readMessage(li, ctx);
  const item = emptyItem();
  item.platform_item_id = r.message.id;
  item.url = r.ids ? permalink(ctx, r.ids.channel, r.ids.message) : null;
  item.thread_id = r.ids?.channel ?? null;
  item.in_reply_to = r.inReplyTo;
  item.posted_at = r.time.iso;
  item.posted_at_text = r.time.text;
  item.posted_at_source = r.time.source;
  item.id_time = r.idTime;
  item.text = r.message.text;
  item.media = r.message.media;
  const warnings = readWarnings(r);
  if (r.carried)
    warnings.push(warning('sender-from-group', "This message has no name of its own; Discord shows the sender once per group, so it is taken from the group's first message."));
  return makeExtraction(discordAdapter, 'message', r.message.sender, item, warnings, [r.message]);
}

function extractConversation(list: Element, ctx: ExtractContext): Extraction {
  const doc = list.ownerDocument;
  const reads = Array.from(list.querySelectorAll(SEL.message)).map((li) => readMessage(li, ctx));
  const channel = reads.find((r) => r.ids)?.ids?.channel ?? route(ctx.url)?.channel ?? null;
  const isDm = route(ctx.url)?.guild === '@me';
  const title = channelTitle(doc);
  const warnings: Warning[] = [];
  let account: Account | null = null;
  if (isDm) {
    // In a DM, the other party is every sender who is not the logged-in user.
    const own = ownUserId(doc);
    const others = new Map<string, Account>();
    for (const r of reads) {
      const s = r.message.sender;
      if (s && r.message.outgoing !== true && (!own || s.platform_account_id !== own)) others.set(s.platform_account_id ?? s.display_name ?? '', s);
    }
    if (others.size === 1) account = [...others.values()][0];
    else if (title) account = { ...emptyAccount(), display_name: title.replace(/^@/, '') };
    if (!own) warnings.push(warning('own-account-unknown', "The logged-in account was not found on the page, so which messages were sent by the user is not known."));
  } else {
    warnings.push(warning('channel', 'This is a channel with several participants; each message records its own sender.'));
  }
  const item = emptyItem();
  item.platform_item_id = channel;
  item.url = channel ? permalink(ctx, channel) : null;
  item.title = title;
  const first = reads.find((r) => r.time.iso || r.time.text);
  item.posted_at = first?.time.iso ?? null;
  item.posted_at_text = first?.time.text ?? null;
  item.posted_at_source = first?.time.source ?? null;
  item.id_time = first?.idTime ?? null;
  // A plain transcript for reading; messages[] is the structured record.
  item.text = reads.length
    ? reads
        .map((r) => {
          const media = r.message.media.map((m) => `(${m.kind})`).join(' ');
          return `[${r.message.sent_at_text ?? ''}] ${r.message.sender?.display_name ?? 'Unknown'}: ${[r.message.text ?? '', media].filter(Boolean).join(' ')}`;
        })
        .join('\n')
    : null;
  item.media = reads.flatMap((r) => r.message.media);
  for (const r of reads) warnings.push(...readWarnings(r));
  if (reads.length === 0) warnings.push(warning('no-messages', 'No messages were found in the open channel.'));
  return makeExtraction(discordAdapter, 'conversation', account, item, warnings, reads.map((r) => r.message));
}

function isList(el: Element): boolean {
  return SEL.list.some((s) => el.matches(s));
}

function failed(kind: ItemKind, err: unknown): Extraction {
  return makeExtraction(discordAdapter, kind, null, emptyItem(), [
    warning('extract-failed', `The Discord adapter could not read this item (${err instanceof Error ? err.message : String(err)}).`),
  ]);
}

export const discordAdapter: PlatformAdapter = {
  id: 'discord',
  version: VERSION,
  label: 'Discord',

  matchesUrl(url: URL): boolean {
    return /^((ptb|canary|www)\.)?discord(app)?\.com$/i.test(url.hostname) && url.pathname.startsWith('/channels/');
  },

  findItems(doc: Document): Element[] {
    const list = pick(doc, SEL.list);
    if (!list) return [];
    return [list, ...Array.from(list.querySelectorAll(SEL.message))];
  },

  enclosingItem(el: Element): Element | null {
    const li = el.closest(SEL.message);
    if (li) return li;
    for (const s of SEL.list) {
      const l = el.closest(s);
      if (l) return l;
    }
    return null;
  },

  kindOf(el: Element): ItemKind {
    if (isList(el)) return 'conversation';
    return el.matches(SEL.message) ? 'message' : 'element';
  },

  extract(el: Element, ctx: ExtractContext): Extraction {
    const kind: ItemKind = isList(el) ? 'conversation' : 'message';
    try {
      return kind === 'conversation' ? extractConversation(el, ctx) : extractMessage(el.closest(SEL.message) ?? el, ctx);
    } catch (err) {
      return failed(kind, err);
    }
  },

  // The channel is captured as the conversation element from findItems; the page itself is not an item.
  extractPage(): Extraction | null {
    return null;
  },
};

export default discordAdapter;
