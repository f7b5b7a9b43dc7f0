import type { Account, Extraction, Item, ItemKind, MediaRef, Message, Warning } from '../../shared/types';
import { absUrl, canonicalUrl, emptyAccount, emptyItem, makeExtraction, readMeta, textOf, warning, attr, tidyLines as tidy } from '../dom';
import { cleanText, fromAttribute, type ResolvedTime } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * Telegram, in three front-ends:
 *  - t.me public pages: a channel's preview list (t.me/s/<channel>), a single post's embed
 *    (t.me/<channel>/<id>?embed=1), the post wrapper page (t.me/<channel>/<id>, which shows the
 *    post in an iframe and carries only metadata) and contact/channel pages.
 *  - Telegram Web K (web.telegram.org/k/, "tweb"): chat bubbles `.bubble[data-mid]`.
 *  - Telegram Web A (web.telegram.org/a/, "telegram-tt"): `.Message[data-message-id]`.
 *
 * Ids: a public post's `platform_item_id` is its t.me path, "<channel>/<message id>" (the
 * message id alone is only unique inside its channel). In Telegram Web a message's id is the
 * client's message id (`data-mid` / `data-message-id`), unique inside its chat, and
 * `thread_id` is the chat's peer id. Telegram ids carry no time.
 */

const SEL = {
  // t.me
  tmeMessage: '.tgme_widget_message[data-post]',
  tmeOwner: '.tgme_widget_message_owner_name',
  tmeFromAuthor: '.tgme_widget_message_from_author',
  tmeText: '.tgme_widget_message_text',
  tmeDate: 'a.tgme_widget_message_date',
  tmeTime: 'time[datetime]',
  tmeViews: '.tgme_widget_message_views',
  tmeMeta: '.tgme_widget_message_meta',
  tmeReply: 'a.tgme_widget_message_reply',
  tmeReplyAuthor: '.tgme_widget_message_author_name',
  tmeReplyText: '.tgme_widget_message_metatext',
  tmeForwardedName: '.tgme_widget_message_forwarded_from_name',
  tmePhoto: '.tgme_widget_message_photo_wrap',
  tmeVideo: 'video',
  tmeVideoThumb: '.tgme_widget_message_video_thumb, .tgme_widget_message_roundvideo_thumb',
  tmeAudio: 'audio',
  tmeDocument: '.tgme_widget_message_document',
  tmeLinkPreview: '.tgme_widget_message_link_preview',
  tmeUserPhoto: '.tgme_widget_message_user, .tgme_widget_message_user_photo',
  tmePagePost: '.tgme_page_post',
  tmePageProfile: '.tgme_page',
  tmePageTitle: '.tgme_page_title',
  tmePageExtra: '.tgme_page_extra',
  tmePageDescription: '.tgme_page_description',
  tmeChannelInfo: '.tgme_channel_info',
  tmeChannelTitle: '.tgme_channel_info_header_title',
  tmeChannelUsername: '.tgme_channel_info_header_username',
  tmeChannelDescription: '.tgme_channel_info_description',
  tmeChannelCounter: '.tgme_channel_info_counter',
  widgetScript: 'script[data-telegram-post]',
  widgetFrame: 'iframe[id^="telegram-post-"]',
  // Telegram Web K
  kChat: '.chat',
  kBubbles: '.bubbles',
  kBubble: '.bubble[data-mid]',
  kChatTitle: '.sidebar-header .peer-title, .chat-info .peer-title',
  kName: '.name',
  kPeerTitle: '.peer-title',
  kMessage: '.message',
  kTranslatable: '.translatable-message',
  kTime: '.time',
  kTimeShown: '.time-inner, .time .inner',
  kReply: '.reply',
  kReplyTitle: '.reply-title',
  kReplySubtitle: '.reply-subtitle',
  kGroupAvatar: '.bubbles-group-avatar',
  kNotText: '.time, .reply, .name, .reactions, reactions-element, .bubble-beside-button, .replies-footer, .bubble-tail',
  // Telegram Web A
  aList: '.MessageList',
  aMessage: '.Message[data-message-id]',
  aText: '.text-content',
  aMeta: '.MessageMeta',
  aTime: '.message-time',
  aSender: '.message-title-name, .sender-title',
  aDateGroup: '.message-date-group',
  aStickyDate: '.sticky-date',
  aHeaderTitle: '.MiddleHeader .ChatInfo .fullName, .MiddleHeader .ChatInfo .title h3, .MiddleHeader .title h3',
  aAvatar: '.Avatar[data-peer-id]',
  aMedia: '.media-inner, .Album, .message-media',
  // shared
  emoji: 'img.emoji, .emoji img, img.custom-emoji',
  avatar: '.avatar, .Avatar, .avatar-photo',
} as const;

type Shape = 'tme-post' | 'tme-profile' | 'k-chat' | 'k-message' | 'a-chat' | 'a-message';

const KIND: Record<Shape, ItemKind> = {
  'tme-post': 'post',
  'tme-profile': 'profile',
  'k-chat': 'conversation',
  'k-message': 'message',
  'a-chat': 'conversation',
  'a-message': 'message',
};

/** The element that stands for a Web K conversation: the open chat pane, or the bubble list itself. */
function isKChat(el: Element): boolean {
  if (el.matches(SEL.kBubbles)) return !el.closest(SEL.kChat) && !!el.querySelector(SEL.kBubble);
  return el.matches(SEL.kChat) && !!el.querySelector(`${SEL.kBubbles} ${SEL.kBubble}`);
}

function shape(el: Element): Shape | null {
  if (el.matches(SEL.tmeMessage)) return 'tme-post';
  if (el.matches(SEL.kBubble)) return el.classList.contains('service') ? null : 'k-message';
  if (el.matches(SEL.aMessage)) return 'a-message';
  if (isKChat(el)) return 'k-chat';
  if (el.matches(SEL.aList) && el.querySelector(SEL.aMessage)) return 'a-chat';
  if (el.matches(SEL.tmeChannelInfo)) return 'tme-profile';
  if (el.matches(SEL.tmePageProfile) && !el.matches(SEL.tmePagePost) && el.querySelector(SEL.tmePageTitle)) return 'tme-profile';
  return null;
}

const ITEM_QUERY = [SEL.tmeChannelInfo, SEL.tmePageProfile, SEL.tmeMessage, SEL.kChat, SEL.kBubbles, SEL.kBubble, SEL.aList, SEL.aMessage].join(', ');

// ---------------------------------------------------------------------------
// helpers

function styleUrl(el: Element | null, base: URL): string | null {
  const m = /background-image\s*:\s*url\((['"]?)(.*?)\1\)/i.exec(el?.getAttribute('style') ?? '');
  return m ? absUrl(m[2], base) : null;
}

/** The t.me path of a link ("https://t.me/chan/12?single" → "chan/12"). */
function tmePath(href: string | null | undefined, base: URL): string | null {
  const u = absUrl(href, base);
  if (!u) return null;
  const p = new URL(u);
  if (!/^(t\.me|telegram\.me|telegram\.dog)$/i.test(p.hostname)) return null;
  return p.pathname.replace(/^\/(s\/)?/, '').replace(/\/$/, '') || null;
}

function setTime(item: Item, t: ResolvedTime): void {
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;
}

/** Media as Telegram Web loads it: blob: URLs only valid inside the open page. */
function blobAware(kind: MediaRef['kind'], src: string | null, base: URL, extra: Partial<MediaRef> = {}): MediaRef {
  const url = src && !src.startsWith('blob:') ? absUrl(src, base) : null;
  return {
    kind,
    url,
    ...extra,
    why_missing: url ? null : src?.startsWith('blob:') ? 'loaded as a blob: URL that only exists inside the open Telegram tab' : 'no address on the page',
  };
}

function webMedia(el: Element, scope: string, base: URL): MediaRef[] {
  const out: MediaRef[] = [];
  for (const m of Array.from(el.querySelectorAll(`${scope} img, ${scope} video, ${scope} audio`))) {
    if (m.closest(SEL.avatar) || m.matches(SEL.emoji) || m.closest(SEL.kReply)) continue;
    const tag = m.tagName.toUpperCase();
    if (tag === 'IMG' && m.parentElement?.closest('video')) continue;
    const src = m.getAttribute('src') ?? m.querySelector('source')?.getAttribute('src') ?? null;
    if (tag === 'IMG') out.push(blobAware('image', src, base, { alt: m.getAttribute('alt') || null }));
    else out.push(blobAware(tag === 'AUDIO' ? 'audio' : 'video', src, base, { poster: absUrl(m.getAttribute('poster'), base) }));
  }
  return out;
}

// ---------------------------------------------------------------------------
// t.me public pages

function tmePost(el: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const item = emptyItem();
  const post = attr(el, 'data-post');
  item.platform_item_id = post;
  const dateLink = el.querySelector(SEL.tmeDate);
  item.url = absUrl(dateLink?.getAttribute('href'), ctx.url) ?? (post ? `https://t.me/${post}` : null);
  const time = dateLink?.querySelector(SEL.tmeTime) ?? el.querySelector(SEL.tmeTime);
  setTime(item, fromAttribute(time?.getAttribute('datetime'), textOf(time)));
  // The reply preview and a forwarded header are inside the bubble but are not this post's words.
  const text = Array.from(el.querySelectorAll(SEL.tmeText)).find((t) => !t.closest(`${SEL.tmeReply}, ${SEL.tmeLinkPreview}`)) ?? null;
  item.text = textOf(text);
  const reply = el.querySelector(SEL.tmeReply);
  if (reply) {
    item.in_reply_to = tmePath(reply.getAttribute('href'), ctx.url);
    const name = cleanText(textOf(reply.querySelector(SEL.tmeReplyAuthor)));
    item.quoted = {
      platform_item_id: item.in_reply_to,
      url: absUrl(reply.getAttribute('href'), ctx.url),
      account: name ? { ...emptyAccount(), display_name: name } : null,
      text: textOf(reply.querySelector(SEL.tmeReplyText)),
    };
  }
  item.media = tmeMedia(el, ctx.url);
  const views = cleanText(textOf(el.querySelector(SEL.tmeViews)));
  const signature = cleanText(textOf(el.querySelector(SEL.tmeFromAuthor)));
  item.metrics = views || signature ? { ...(views ? { views } : {}), ...(signature ? { signature } : {}) } : undefined;
  if (!item.metrics) delete item.metrics;
  const meta = el.querySelector(SEL.tmeMeta);
  if (meta && /\bedited\b/i.test(meta.textContent ?? '')) {
    w.push(warning('edited', 'Telegram marks this post as edited; the text captured is the edited version.'));
  }
  const fwd = el.querySelector(SEL.tmeForwardedName);
  if (fwd) {
    w.push(warning('forwarded', `This post was forwarded from "${cleanText(textOf(fwd))}"${attr(fwd, 'href') ? ` (${absUrl(attr(fwd, 'href'), ctx.url)})` : ''}; its author there is not the account that shared it.`));
  }
  const owner = el.querySelector(SEL.tmeOwner);
  const acc = emptyAccount();
  acc.display_name = cleanText(textOf(owner));
  const ownerHref = absUrl(owner?.getAttribute('href'), ctx.url);
  acc.handle = tmePath(ownerHref, ctx.url) ?? post?.split('/')[0] ?? null;
  acc.profile_url = ownerHref ?? (acc.handle ? `https://t.me/${acc.handle}` : null);
  return makeExtraction(telegramAdapter, 'post', acc, item, w);
}

function tmeMedia(el: Element, base: URL): MediaRef[] {
  const out: MediaRef[] = [];
  // Photos are CSS backgrounds on the link that wraps them.
  for (const p of Array.from(el.querySelectorAll(SEL.tmePhoto))) {
    if (p.closest(SEL.tmeLinkPreview) || p.closest(SEL.tmeReply)) continue;
    const url = styleUrl(p, base);
    if (url) out.push({ kind: 'image', url, alt: null });
  }
  for (const v of Array.from(el.querySelectorAll(SEL.tmeVideo))) {
    if (v.closest(SEL.tmeLinkPreview)) continue;
    const thumb = v.parentElement?.querySelector(SEL.tmeVideoThumb) ?? v.closest('a')?.querySelector(SEL.tmeVideoThumb) ?? null;
    out.push(blobAware('video', v.getAttribute('src'), base, { poster: styleUrl(thumb, base) }));
  }
  for (const a of Array.from(el.querySelectorAll(SEL.tmeAudio))) out.push(blobAware('audio', a.getAttribute('src'), base));
  for (const d of Array.from(el.querySelectorAll(SEL.tmeDocument))) {
    out.push({ kind: 'file', url: null, alt: cleanText(textOf(d)), why_missing: 'Telegram only offers files in its apps, not on the public page' });
  }
  return out;
}

function tmeProfile(el: Element, ctx: ExtractContext): Extraction {
  const acc = emptyAccount();
  const item = emptyItem();
  const channel = el.matches(SEL.tmeChannelInfo);
  acc.display_name = cleanText(textOf(el.querySelector(channel ? SEL.tmeChannelTitle : SEL.tmePageTitle)));
  const shownHandle = cleanText(textOf(el.querySelector(channel ? SEL.tmeChannelUsername : SEL.tmePageExtra)));
  const fromShown = shownHandle && /^@\w{4,}$/.test(shownHandle) ? shownHandle.slice(1) : null;
  acc.handle = fromShown ?? tmePath(ctx.url.href, ctx.url)?.split('/')[0] ?? null;
  acc.profile_url = acc.handle ? `https://t.me/${acc.handle}` : null;
  item.url = acc.profile_url;
  item.text = textOf(el.querySelector(channel ? SEL.tmeChannelDescription : SEL.tmePageDescription));
  const metrics: Record<string, string> = {};
  for (const c of Array.from(el.querySelectorAll(SEL.tmeChannelCounter))) {
    const value = cleanText(c.querySelector('.counter_value')?.textContent);
    const type = cleanText(c.querySelector('.counter_type')?.textContent);
    if (value && type) metrics[type] = value;
  }
  if (!channel && shownHandle && !fromShown) metrics.extra = shownHandle; // e.g. "12 345 subscribers"
  if (Object.keys(metrics).length) item.metrics = metrics;
  return makeExtraction(telegramAdapter, 'profile', acc, item, []);
}

/**
 * The post wrapper page (t.me/<channel>/<id>) shows the post inside an iframe, so only the
 * head's metadata and the widget's post id are in this document.
 */
function tmeWrapperPage(doc: Document, ctx: ExtractContext): Extraction | null {
  const script = doc.querySelector(SEL.widgetScript);
  const frame = doc.querySelector(SEL.widgetFrame);
  const fromUrl = tmePath(ctx.url.href, ctx.url);
  const post = attr(script, 'data-telegram-post') ?? (fromUrl && /^[\w]+\/\d+$/.test(fromUrl) ? fromUrl : null);
  if (!post || !(doc.querySelector(SEL.tmePagePost) || script || frame)) return null;
  const meta = readMeta(doc);
  const item = emptyItem();
  item.platform_item_id = post;
  item.url = `https://t.me/${post}`;
  item.text = tidy(meta['og:description'] ?? meta['twitter:description']);
  const acc = emptyAccount();
  acc.display_name = cleanText(meta['og:title']) ?? null;
  acc.handle = post.split('/')[0];
  acc.profile_url = `https://t.me/${acc.handle}`;
  // og:image on these pages is the channel's picture, not the post's media.
  const embed = absUrl(frame?.getAttribute('src'), ctx.url);
  const w = [
    warning(
      'embedded-post',
      `The post itself is inside an embedded frame${embed ? ` (${embed})` : ''} that this page does not contain: the author and text come from the page's link-preview metadata, and its time and media are only in the frame.`,
    ),
  ];
  return makeExtraction(telegramAdapter, 'post', acc, item, w);
}

// ---------------------------------------------------------------------------
// Telegram Web K

interface Peer {
  account: Account;
  peerId: string | null;
}

function peerFromHash(url: URL): { handle: string | null; id: string | null } {
  const h = decodeURIComponent(url.hash.replace(/^#/, ''));
  if (/^@\w{4,}$/.test(h)) return { handle: h.slice(1), id: null };
  if (/^-?\d+$/.test(h)) return { handle: null, id: h };
  return { handle: null, id: null };
}

function kChatPeer(chatEl: Element, ctx: ExtractContext): Peer {
  const scope = chatEl.closest(SEL.kChat) ?? chatEl.ownerDocument;
  const title = scope.querySelector(SEL.kChatTitle);
  const bubblePeer = attr(scope.querySelector(SEL.kBubble), 'data-peer-id');
  const hash = peerFromHash(ctx.url);
  const peerId = attr(title, 'data-peer-id') ?? bubblePeer ?? hash.id;
  const acc = emptyAccount();
  acc.display_name = cleanText(textOf(title));
  acc.handle = hash.handle;
  acc.platform_account_id = peerId;
  acc.profile_url = hash.handle ? `https://t.me/${hash.handle}` : null;
  return { account: acc, peerId };
}

function kSender(bubble: Element, chat: Peer): Account | null {
  if (bubble.classList.contains('is-out')) return null;
  // Group chats name each sender (the name stays in the DOM even where CSS hides it);
  // in a private chat every incoming message is from the other party.
  const name = bubble.querySelector(`${SEL.kName} ${SEL.kPeerTitle}`) ?? bubble.querySelector(SEL.kName);
  const avatarPeer = attr(bubble.closest('.bubbles-group')?.querySelector(SEL.kGroupAvatar), 'data-peer-id');
  const namePeer = attr(name, 'data-peer-id') ?? attr(bubble.querySelector(SEL.kName), 'data-peer-id');
  if (name || avatarPeer) {
    const id = namePeer ?? avatarPeer;
    if (id && id === chat.peerId) return chat.account;
    return { ...emptyAccount(), display_name: cleanText(textOf(name)), platform_account_id: id };
  }
  return chat.account;
}

function kMessage(bubble: Element, ctx: ExtractContext, chat: Peer): Message {
  const msgEl = bubble.querySelector(SEL.kTranslatable) ?? bubble.querySelector(SEL.kMessage);
  const timeEl = bubble.querySelector(SEL.kTimeShown) ?? bubble.querySelector(SEL.kTime);
  const shown = cleanText(textOf(timeEl));
  const t = fromAttribute(attr(bubble, 'data-timestamp'), shown);
  const fallback = t.iso ? t : fromFullDate(attr(timeEl, 'title') ?? attr(bubble.querySelector(SEL.kTime), 'title'), shown);
  return {
    id: attr(bubble, 'data-mid'),
    sender: kSender(bubble, chat),
    outgoing: bubble.classList.contains('is-out') ? true : bubble.classList.contains('is-in') ? false : null,
    sent_at: fallback.iso,
    sent_at_text: fallback.text ?? shown,
    sent_at_source: fallback.source,
    text: textOf(msgEl, { skip: (e) => e.matches(SEL.kNotText) }),
    media: webMedia(bubble, '.attachment', ctx.url).concat(webMedia(bubble, '.media-container:not(.attachment)', ctx.url)),
  };
}

/** Web K's tooltip date ("28 November 2026, 21:04:10"), read in the browser's time zone. */
function fromFullDate(title: string | null, shown: string | null): ResolvedTime {
  const first = title?.split('\n')[0]?.replace(/\bat\b/, ' ').replace(/,(?=\s*\d{1,2}:)/, ' ') ?? '';
  const ms = first ? Date.parse(first) : NaN;
  return Number.isFinite(ms) ? { iso: new Date(ms).toISOString(), text: shown ?? first, source: 'text' } : { iso: null, text: shown, source: shown ? 'text' : null };
}

function kConversationMessages(chatEl: Element, ctx: ExtractContext): { chat: Peer; messages: Message[] } {
  const chat = kChatPeer(chatEl, ctx);
  const bubbles = Array.from(chatEl.querySelectorAll(SEL.kBubble)).filter((b) => !b.classList.contains('service'));
  return { chat, messages: bubbles.map((b) => kMessage(b, ctx, chat)) };
}

function kBubbleExtraction(bubble: Element, ctx: ExtractContext): Extraction {
  const w: Warning[] = [];
  const chatEl = bubble.closest(SEL.kChat) ?? bubble.closest(SEL.kBubbles) ?? bubble.ownerDocument.documentElement;
  const chat = kChatPeer(chatEl, ctx);
  const m = kMessage(bubble, ctx, chat);
  const item = messageItem(m, attr(bubble, 'data-peer-id') ?? chat.peerId);
  const reply = bubble.querySelector(SEL.kReply);
  if (reply) {
    const who = cleanText(textOf(reply.querySelector(SEL.kReplyTitle)));
    item.quoted = { platform_item_id: null, url: null, account: who ? { ...emptyAccount(), display_name: who } : null, text: textOf(reply.querySelector(SEL.kReplySubtitle)) };
  }
  const title = attr(bubble.querySelector(SEL.kTimeShown), 'title') ?? '';
  const edited = /^Edited:\s*(.+)$/im.exec(title)?.[1];
  if (bubble.classList.contains('is-edited') || edited) {
    w.push(warning('edited', `Telegram marks this message as edited${edited ? ` (${edited})` : ''}; the text captured is the edited version.`));
  }
  if (m.outgoing) w.push(outgoingWarning());
  return makeExtraction(telegramAdapter, 'message', m.sender, item, w);
}

function messageItem(m: Message, chatId: string | null): Item {
  const item = emptyItem();
  item.platform_item_id = m.id;
  item.posted_at = m.sent_at;
  item.posted_at_text = m.sent_at_text;
  item.posted_at_source = m.sent_at_source;
  item.text = m.text;
  item.media = m.media;
  item.thread_id = chatId;
  item.visibility = 'private';
  return item;
}

function outgoingWarning(): Warning {
  return warning('outgoing', 'This message was sent from the logged-in account; Telegram Web does not name that account beside its own messages.');
}

function conversationExtraction(chat: Peer, messages: Message[], ctx: ExtractContext, w: Warning[]): Extraction {
  const item = emptyItem();
  item.platform_item_id = chat.peerId;
  item.thread_id = chat.peerId;
  item.url = ctx.url.href;
  item.title = chat.account.display_name;
  item.visibility = 'private';
  // A conversation is dated by its earliest message on screen.
  const first = messages.find((m) => m.sent_at);
  if (first) {
    item.posted_at = first.sent_at;
    item.posted_at_text = first.sent_at_text;
    item.posted_at_source = first.sent_at_source;
  }
  w.push(warning('visible-only', `Only the ${messages.length} messages loaded in the page are included; earlier ones appear only after scrolling up.`));
  return makeExtraction(telegramAdapter, 'conversation', chat.account, item, w, messages);
}

// ---------------------------------------------------------------------------
// Telegram Web A

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/**
 * Web A shows only a clock time per message and a day heading per group ("Today",
 * "Friday", "November 28", "November 28, 2025"). Both are in the browser's local time,
 * so the date is rebuilt with local-time Date arithmetic, to the minute.
 */
function fromDayAndClock(day: string | null, clock: string | null, at: Date): ResolvedTime {
  const shown = cleanText([day, clock].filter(Boolean).join(' '));
  const tm = clock ? /(\d{1,2}):(\d{2})(?:\s*([AP]M))?/i.exec(clock) : null;
  if (!tm) return { iso: null, text: shown, source: shown ? 'text' : null };
  let hh = Number(tm[1]) % 24;
  if (tm[3]) hh = (hh % 12) + (/pm/i.test(tm[3]) ? 12 : 0);
  const mm = Number(tm[2]);
  const d = (day ?? 'today').trim().toLowerCase();
  const base = new Date(at.getFullYear(), at.getMonth(), at.getDate());
  let date: Date | null = null;
  if (d === 'today') date = base;
  else if (d === 'yesterday') date = new Date(base.getFullYear(), base.getMonth(), base.getDate() - 1);
  else if (WEEKDAYS.includes(d)) {
    const back = (base.getDay() - WEEKDAYS.indexOf(d) + 7) % 7 || 7;
    date = new Date(base.getFullYear(), base.getMonth(), base.getDate() - back);
  } else {
    const md = /^([a-z]+)\s+(\d{1,2})(?:,?\s+(\d{4}))?$/.exec(d) ?? null;
    const dm = /^(\d{1,2})\s+([a-z]+)(?:,?\s+(\d{4}))?$/.exec(d) ?? null;
    const month = MONTHS.indexOf((md?.[1] ?? dm?.[2] ?? '').toLowerCase());
    const dayNum = Number(md?.[2] ?? dm?.[1]);
    if (month >= 0 && dayNum) {
      const year = Number(md?.[3] ?? dm?.[3]) || base.getFullYear();
      date = new Date(year, month, dayNum);
      // A heading without a year is this year's date, or last year's if that would be in the future.
      if (!(md?.[3] ?? dm?.[3]) && date > base) date = new Date(year - 1, month, dayNum);
    }
  }
  if (!date) return { iso: null, text: shown, source: 'text' };
  return { iso: new Date(date.getFullYear(), date.getMonth(), date.getDate(), hh, mm).toISOString(), text: shown, source: 'text' };
}

function aChatPeer(doc: Document, ctx: ExtractContext): Peer {
  const hash = peerFromHash(ctx.url);
  const acc = emptyAccount();
  acc.display_name = cleanText(textOf(doc.querySelector(SEL.aHeaderTitle)));
  acc.handle = hash.handle;
  acc.platform_account_id = hash.id ?? attr(doc.querySelector(`.MiddleHeader ${SEL.aAvatar}`), 'data-peer-id');
  acc.profile_url = hash.handle ? `https://t.me/${hash.handle}` : null;
  return { account: acc, peerId: acc.platform_account_id };
}

function aMessage(el: Element, ctx: ExtractContext, chat: Peer): Message {
  const own = el.classList.contains('own');
  const group = el.closest(SEL.aDateGroup);
  const day = cleanText(textOf(group?.querySelector(SEL.aStickyDate)));
  const clock = cleanText(textOf(el.querySelector(SEL.aTime)));
  const t = fromDayAndClock(day, clock, ctx.capturedAt);
  let sender: Account | null = null;
  if (!own) {
    const name = el.querySelector(SEL.aSender);
    const avatarPeer = attr(el.closest('.sender-group-container')?.querySelector(SEL.aAvatar) ?? el.querySelector(SEL.aAvatar), 'data-peer-id');
    sender = name || avatarPeer ? { ...emptyAccount(), display_name: cleanText(textOf(name)), platform_account_id: avatarPeer } : chat.account;
  }
  return {
    id: attr(el, 'data-message-id'),
    sender,
    outgoing: own,
    sent_at: t.iso,
    sent_at_text: t.text,
    sent_at_source: t.source,
    text: textOf(el.querySelector(SEL.aText), { skip: (e) => e.matches(SEL.aMeta) }),
    media: webMedia(el, '.media-inner', ctx.url).concat(webMedia(el, '.Album', ctx.url)),
  };
}

function aTimeWarning(): Warning {
  return warning(
    'time-from-text',
    'Telegram Web A shows only the clock time of each message and a day heading; times were rebuilt from that text in this browser\'s time zone, to the minute.',
  );
}

// ---------------------------------------------------------------------------

function extract(el: Element, ctx: ExtractContext): Extraction {
  const s = shape(el);
  switch (s) {
    case 'tme-post':
      return tmePost(el, ctx);
    case 'tme-profile':
      return tmeProfile(el, ctx);
    case 'k-message':
      return kBubbleExtraction(el, ctx);
    case 'k-chat': {
      const { chat, messages } = kConversationMessages(el, ctx);
      return conversationExtraction(chat, messages, ctx, []);
    }
    case 'a-message': {
      const chat = aChatPeer(el.ownerDocument, ctx);
      const m = aMessage(el, ctx, chat);
      const w = [aTimeWarning()];
      if (m.outgoing) w.push(outgoingWarning());
      return makeExtraction(telegramAdapter, 'message', m.sender, messageItem(m, chat.peerId), w);
    }
    case 'a-chat': {
      const chat = aChatPeer(el.ownerDocument, ctx);
      const messages = Array.from(el.querySelectorAll(SEL.aMessage)).map((m) => aMessage(m, ctx, chat));
      return conversationExtraction(chat, messages, ctx, [aTimeWarning()]);
    }
    default:
      return makeExtraction(telegramAdapter, 'element', null, emptyItem(), [
        warning('not-an-item', 'The selected element is not a Telegram post, message or chat.'),
      ]);
  }
}

function extractPage(doc: Document, ctx: ExtractContext): Extraction | null {
  const items = telegramAdapter.findItems(doc, ctx);
  const profile = items.find((e) => shape(e) === 'tme-profile');
  if (profile && !items.some((e) => shape(e) === 'tme-post')) return tmeProfile(profile, ctx);
  if (items.length) return null;
  const wrapper = tmeWrapperPage(doc, ctx);
  if (wrapper) return wrapper;
  // Any other t.me page with metadata only (a served page for link previews).
  const meta = readMeta(doc);
  const path = tmePath(canonicalUrl(doc, ctx.url) ?? ctx.url.href, ctx.url);
  if (!path || !meta['og:title']) return null;
  const acc = emptyAccount();
  acc.display_name = cleanText(meta['og:title']) ?? null;
  acc.handle = path.split('/')[0];
  acc.profile_url = `https://t.me/${acc.handle}`;
  const item = emptyItem();
  item.url = acc.profile_url;
  item.text = tidy(meta['og:description']);
  return makeExtraction(telegramAdapter, 'profile', acc, item, [
    warning('metadata-only', 'The page holds only link-preview metadata (Open Graph).'),
  ]);
}

export const telegramAdapter: PlatformAdapter = {
  id: 'telegram',
  version: '1.0.0',
  label: 'Telegram',
  matchesUrl(url: URL): boolean {
    return /^(t\.me|telegram\.me|telegram\.dog|web\.telegram\.org)$/i.test(url.hostname);
  },
  matchesDocument(doc: Document): boolean {
    return !!doc.querySelector(`${SEL.tmeMessage}, ${SEL.tmePagePost}, ${SEL.widgetScript}, ${SEL.kBubble}, ${SEL.aMessage}`);
  },
  findItems(doc: Document): Element[] {
    const all = Array.from(doc.querySelectorAll(ITEM_QUERY)).filter((e) => shape(e) !== null);
    // Web K keeps the previous chat's pane in the DOM while switching; only the active one counts.
    const active = all.some((e) => shape(e) === 'k-chat' && e.classList.contains('active'));
    if (!active) return all;
    return all.filter((e) => {
      const chat = e.matches(SEL.kChat) ? e : e.closest(SEL.kChat);
      return !chat || chat.classList.contains('active');
    });
  },
  enclosingItem(el: Element): Element | null {
    for (let e: Element | null = el; e; e = e.parentElement) if (shape(e)) return e;
    return null;
  },
  kindOf(el: Element): ItemKind {
    const s = shape(el);
    return s ? KIND[s] : 'element';
  },
  extract,
  extractPage,
};

export default telegramAdapter;
