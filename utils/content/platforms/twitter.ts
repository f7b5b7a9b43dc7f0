import type { Account, Extraction, Item, ItemKind, MediaRef, Message, Warning } from '../../shared/types';
import { absUrl, emptyAccount, emptyItem, ldTypes, makeExtraction, mediaIn, readJsonLd, readMeta, warning } from '../dom';
import { decodeXId, firstTime, fromAttribute, fromId, fromJson, fromRelativeText, textOnly, type ResolvedTime } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * X / Twitter (x.com, twitter.com, mobile.twitter.com).
 *
 * Conventions of this adapter (the record's fields, as X fills them):
 * - platform_item_id: a post's numeric tweet id (the <id> of /<handle>/status/<id>); a profile's
 *   numeric user id ("rest id") when the page carries it (JSON-LD or the Follow button's test id);
 *   a DM conversation's id from its URL (/messages/<id> or /i/chat/<id>); a message's DM event id
 *   when the page shows one.
 * - in_reply_to: the parent tweet's id when the page's thread layout places the post; otherwise the
 *   handles of the "Replying to" line, each with its '@', space-separated (so a handle list can
 *   never be mistaken for an id). thread_id: the id of the post at the top of the conversation
 *   shown on a status page.
 * - id_time: the time decoded from the tweet id (snowflake), as a cross-check of posted_at.
 * - A link-preview card is recorded in item.quoted (no id, no account): X hides the card's URL
 *   from the post text, so the card is the only place the link appears.
 */

const SEL = {
  // Posts. Before 2021 the testid sat on a div inside <article>; the article is the item then.
  tweet: '[data-testid="tweet"]',
  // 2022 to early 2023 used the plural "User-Names".
  userName: '[data-testid="User-Name"], [data-testid="User-Names"]',
  avatar: '[data-testid="Tweet-User-Avatar"], [data-testid^="UserAvatar-Container-"]',
  avatarContainer: '[data-testid^="UserAvatar-Container-"]',
  tweetText: '[data-testid="tweetText"]',
  showMore: '[data-testid="tweet-text-show-more-link"]',
  time: 'time[datetime]',
  socialContext: '[data-testid="socialContext"]',
  // A quoted post is a nested role=link (or, in some builds, role=blockquote) holding its own author block.
  quoteCandidate: '[role="link"], [role="blockquote"]',
  card: '[data-testid="card.wrapper"]',
  video: '[data-testid="videoPlayer"], [data-testid="videoComponent"]',
  lock: '[data-testid="icon-lock"]',
  counter: '[data-testid="app-text-transition-container"]',
  // Toggled states (unlike, unretweet, removeBookmark) appear when the viewer has acted on the post.
  actions: {
    reply: 'replies',
    retweet: 'reposts',
    unretweet: 'reposts',
    like: 'likes',
    unlike: 'likes',
    bookmark: 'bookmarks',
    removeBookmark: 'bookmarks',
  },
  // Count links on a focal post (2023) and the views link.
  countLinks: [
    [/\/retweets\/with_comments$|\/quotes$/, 'quotes'],
    [/\/retweets$/, 'reposts'],
    [/\/likes$/, 'likes'],
    [/\/analytics$/, 'views'],
  ],
  // A bare permalink (no /photo/1, /analytics...): its text is the displayed time when <time> is missing.
  permalinkHref: /\/status(?:es)?\/\d+\/?(?:[?#]|$)/,
  primaryColumn: '[data-testid="primaryColumn"]',
  cell: '[data-testid="cellInnerDiv"]',
  heading: 'h1, h2, h3, [role="heading"]',
  // X Articles (long-form posts).
  articleView: '[data-testid="twitterArticleReadView"]',
  articleTitle: '[data-testid="twitter-article-title"]',
  articleBody: ['[data-testid="twitterArticleRichTextView"]', '[data-testid="longformRichTextComponent"]'],
  // Profile header.
  profile: {
    name: '[data-testid="UserName"]',
    // Hover cards repeat a profile's markers over any page; they are not the page's profile.
    hoverCard: '[data-testid="HoverCard"], [role="dialog"]',
    bio: '[data-testid="UserDescription"]',
    items: '[data-testid="UserProfileHeader_Items"]',
    schema: 'script[data-testid="UserProfileSchema-test"]',
    followsYou: '[data-testid="userFollowIndicator"]',
    followButton: '[data-testid$="-follow"], [data-testid$="-unfollow"]',
    photo: 'a[href$="/photo"] img',
    banner: 'a[href$="/header_photo"] img',
    following: 'a[href$="/following"]',
    followers: 'a[href$="/verified_followers"], a[href$="/followers"]',
    // The header is the largest ancestor of UserName that holds none of these.
    stop: 'nav, [role="tablist"], section, [data-testid="cellInnerDiv"], [data-testid="tweet"], [data-testid="primaryColumn"], [data-testid="app-bar-back"]',
  },
  viewer: '[data-testid="SideNav_AccountSwitcher_Button"]',
  dm: {
    // Classic DM pane (/messages/<id>) and the 2025 chat pane (/i/chat/<id>).
    conversation: '[data-testid="DmActivityContainer"], [data-testid="dm-conversation-panel"]',
    conversationFallback:
      '[data-testid="DmScrollerContainer"], [data-testid="DmActivityViewport"], [data-testid="dm-message-list"], [data-testid="dm-container"], [data-testid="DMDrawer"]',
    header: '[data-testid="dm-conversation-header"], [data-testid="DMDrawerHeader"]',
    // messageEntry (classic); message-<id> rows (chat). message-text-<id> is the text inside a row.
    message: '[data-testid="messageEntry"], [data-testid^="message-"]',
    text: '[data-testid="tweetText"], [data-testid^="message-text-"]',
    // Shared posts and cards inside a message: their avatars are not the sender's.
    embedded: '[data-testid="tweet"], [role="blockquote"], div[role="link"], [data-testid="card.wrapper"]',
  },
} as const;

const ADAPTER = { id: 'twitter', version: '1.0.0' };
const HOSTS = new Set(['x.com', 'www.x.com', 'mobile.x.com', 'twitter.com', 'www.twitter.com', 'mobile.twitter.com']);
// First path segments that are X routes, not handles.
const RESERVED = new Set([
  'home', 'explore', 'notifications', 'messages', 'i', 'settings', 'search', 'compose', 'login', 'logout', 'signup',
  'tos', 'privacy', 'hashtag', 'intent', 'share', 'jobs', 'communities', 'lists', 'bookmarks', 'premium', 'grok',
]);
const STATUS_PATH = /^\/([A-Za-z0-9_]{1,15})\/status(?:es)?\/(\d{1,20})(?:\/|$)/;
const HANDLE_TEXT = /^@([A-Za-z0-9_]{1,15})$/;
const NONE: ResolvedTime = { iso: null, text: null, source: null };

// ---------------------------------------------------------------- small helpers

function tid(e: Element): string {
  return e.getAttribute('data-testid') ?? '';
}

function all(root: ParentNode, sel: string): Element[] {
  return Array.from(root.querySelectorAll(sel));
}

function same(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

function precedes(a: Node, b: Node): boolean {
  return (a.compareDocumentPosition(b) & 4) !== 0; // Node.DOCUMENT_POSITION_FOLLOWING
}

function docOrder(list: Element[]): Element[] {
  return [...new Set(list)].sort((a, b) => (a === b ? 0 : precedes(a, b) ? -1 : 1));
}

function isXHost(host: string): boolean {
  return HOSTS.has(host.toLowerCase());
}

/** Handle from a profile link ("/jack", "https://x.com/jack"), or null for routes and other sites. */
function handleFromHref(href: string | null | undefined, base: URL): string | null {
  const abs = absUrl(href, base);
  if (!abs) return null;
  const u = new URL(abs);
  if (!isXHost(u.hostname) && u.hostname !== base.hostname) return null;
  const m = /^\/([A-Za-z0-9_]{1,15})\/?$/.exec(u.pathname);
  return m && !RESERVED.has(m[1].toLowerCase()) ? m[1] : null;
}

function statusFromHref(href: string | null | undefined, base: URL): { handle: string; id: string } | null {
  const abs = absUrl(href, base);
  if (!abs) return null;
  const u = new URL(abs);
  if (!isXHost(u.hostname) && u.hostname !== base.hostname) return null;
  const m = STATUS_PATH.exec(u.pathname);
  return m ? { handle: m[1], id: m[2] } : null;
}

function permalinkFor(handle: string, id: string, base: URL): string | null {
  return absUrl(`/${handle}/status/${id}`, base);
}

function profileUrl(handle: string | null, base: URL): string | null {
  return handle ? absUrl(`/${handle}`, base) : null;
}

function firstLine(s: string | null): string | null {
  const line = s?.split('\n').map((l) => l.trim()).find((l) => l !== '');
  return line ?? null;
}

const PICTO = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
function isEmojiImg(e: Element): boolean {
  const alt = e.getAttribute('alt');
  const src = e.getAttribute('src') ?? '';
  return (!!alt && [...alt].length <= 8 && PICTO.test(alt)) || /\/emoji\//.test(src);
}

// ---------------------------------------------------------------- text

const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'BUTTON', 'IFRAME', 'TEXTAREA', 'INPUT']);
const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1',
  'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'TABLE', 'TR', 'UL',
]);
const INLINE_PARENTS = new Set(['SPAN', 'A', 'B', 'I', 'EM', 'STRONG', 'CODE', 'PRE', 'S', 'U', 'SUB', 'SUP', 'MARK', 'SMALL', 'DEL', 'INS', 'Q']);
// Placeholders keep <pre> spacing and line breaks through the whitespace clean-up.
const PRE_SPACE = '\uE000';
const PRE_NL = '\uE001';

/**
 * Text of post-like content. X renders posts with `white-space: pre-wrap`, so line breaks
 * inside text nodes are the author's own and are kept (textOf would flatten them). In
 * `inline` mode every element is inline (X wraps @mentions in divs); `blocks` mode breaks
 * lines at block elements (long-form Articles). Inside links the aria-hidden parts (the
 * "https://" prefix and the cut-off tail of a long URL) are kept so the URL reads whole,
 * except the "…" marker. Whitespace-only runs with a line break that sit between block
 * elements are markup formatting (pretty-printed saves), not text.
 */
function readText(root: Element | null | undefined, mode: 'inline' | 'blocks', skip?: (e: Element) => boolean): string | null {
  if (!root) return null;
  const out: string[] = [];
  const walk = (node: Node, inLink: boolean, inPre: boolean, isRoot: boolean): void => {
    if (node.nodeType === 3) {
      const v = node.nodeValue ?? '';
      const parent = node.parentElement;
      if (inPre) {
        out.push(v.replace(/ /g, PRE_SPACE).replace(/\r?\n/g, PRE_NL));
        return;
      }
      if (/^\s*$/.test(v) && v.includes('\n') && parent && !INLINE_PARENTS.has(parent.tagName.toUpperCase())) return;
      out.push(v.replace(/\r\n?/g, '\n').replace(/[\t\f\v ]+/g, ' '));
      return;
    }
    if (node.nodeType !== 1) return;
    const e = node as Element;
    const tag = e.tagName.toUpperCase();
    if (!isRoot) {
      if (SKIP_TAGS.has(tag)) return;
      if (skip?.(e)) return;
      if (e.getAttribute('aria-hidden') === 'true' && tag !== 'IMG') {
        if (!inLink) return;
        if ((e.textContent ?? '').trim() === '…') return;
      }
    }
    if (tag === 'BR') {
      out.push(inPre ? PRE_NL : '\n');
      return;
    }
    if (tag === 'IMG') {
      // Emoji are images with the character as alt text.
      const alt = e.getAttribute('alt');
      if (alt && isEmojiImg(e)) out.push(alt);
      return;
    }
    const block = mode === 'blocks' && BLOCK_TAGS.has(tag);
    if (block) out.push('\n');
    for (const c of Array.from(e.childNodes)) walk(c, inLink || tag === 'A', inPre || tag === 'PRE', false);
    if (block) out.push('\n');
  };
  walk(root, false, false, true);
  const text = out
    .join('')
    .split('\n')
    .map((l) => l.replace(/ {2,}/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .replace(new RegExp(PRE_SPACE, 'g'), ' ')
    .replace(new RegExp(PRE_NL, 'g'), '\n')
    // A code block's own leading/trailing line breaks add to the block break around it.
    .replace(/\n{3,}/g, '\n\n');
  return text === '' ? null : text;
}

/** Plain readable text (names, labels): like textOf, but never skips the root element itself. */
function plain(el: Element | null | undefined): string | null {
  const t = readText(el, 'blocks');
  return t ? t.replace(/\n{2,}/g, '\n') : null;
}

// ---------------------------------------------------------------- accounts

/** Author from an author block (User-Name / User-Names / UserName). Quoted posts carry no links there. */
function accountFromNameBlock(block: Element | null, base: URL): Account {
  const acc = emptyAccount();
  if (!block) return acc;
  for (const a of all(block, 'a[href]')) {
    const h = handleFromHref(a.getAttribute('href'), base);
    if (h) {
      acc.handle = h;
      break;
    }
  }
  if (!acc.handle) {
    for (const e of all(block, 'span, div, a')) {
      const m = HANDLE_TEXT.exec((e.textContent ?? '').trim());
      if (m) {
        acc.handle = m[1];
        break;
      }
    }
  }
  const nameEl = block.querySelector('a[href]') ?? block.querySelector('[dir]') ?? block;
  const name = firstLine(plain(nameEl));
  acc.display_name = name && !HANDLE_TEXT.test(name) && name !== '·' ? name : null;
  acc.profile_url = profileUrl(acc.handle, base);
  return acc;
}

/** Avatar uploads live under /profile_images/<upload id>/; the id names the picture whatever its size suffix. */
function avatarKey(img: Element | null): string | null {
  return /\/profile_images\/(\d+)\//.exec(img?.getAttribute('src') ?? '')?.[1] ?? null;
}

function handleFromAvatar(el: Element | null): string | null {
  const m = /^UserAvatar-Container-([A-Za-z0-9_]{1,15})$/.exec(el ? tid(el) : '');
  return m ? m[1] : null;
}

/** The logged-in person (the victim, on a DM page), from the side navigation. */
function viewerAccount(doc: Document, base: URL): Account | null {
  const btn = doc.querySelector(SEL.viewer);
  if (!btn) return null;
  const acc = emptyAccount();
  acc.handle = handleFromAvatar(btn.querySelector(SEL.avatarContainer));
  const lines = (plain(btn) ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  if (!acc.handle) acc.handle = lines.map((l) => HANDLE_TEXT.exec(l)?.[1]).find((h) => !!h) ?? null;
  const name = lines.find((l) => !HANDLE_TEXT.test(l));
  acc.display_name = name ?? null;
  acc.profile_url = profileUrl(acc.handle, base);
  return acc.handle ? acc : null;
}

interface ProfileLd {
  id: string | null;
  handle: string | null;
  name: string | null;
  description: string | null;
  url: string | null;
  image: string | null;
  counts: Record<string, string>;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : null;
}

function obj(v: unknown): Record<string, unknown> | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** ProfilePage JSON-LD: 2025 pages put the person in mainEntity, 2023 pages in author (name in givenName). */
function profileLd(doc: Document): ProfileLd | null {
  const page = readJsonLd(doc).find((o) => ldTypes(o).includes('ProfilePage'));
  if (!page) return null;
  const p = obj(page.mainEntity) ?? obj(page.author);
  if (!p) return null;
  const counts: Record<string, string> = {};
  const stats = Array.isArray(p.interactionStatistic) ? p.interactionStatistic : [];
  for (const s of stats) {
    const o = obj(s);
    const type = str(o?.interactionType) ?? '';
    const n = str(o?.userInteractionCount);
    if (!n) continue;
    if (/FollowAction$/.test(type)) counts.followers = n;
    else if (/SubscribeAction$/.test(type)) counts.following = n;
    else if (/WriteAction$/.test(type)) counts.posts = n;
  }
  const image = obj(p.image);
  return {
    id: str(p.identifier),
    handle: str(p.additionalName),
    name: str(p.name) ?? str(p.givenName),
    description: str(p.description),
    url: str(p.url),
    image: str(image?.contentUrl) ?? str(p.image),
    counts,
  };
}

// ---------------------------------------------------------------- posts

/** The quoted-post card inside a post: the outermost nested link/blockquote that holds its own author block. */
function quoteCard(post: Element): Element | null {
  for (const c of all(post, SEL.quoteCandidate)) {
    if (c.tagName.toUpperCase() === 'A') continue;
    if (c.querySelector(SEL.userName) || c.querySelector(SEL.tweetText)) return c;
  }
  return null;
}

function postOf(el: Element): Element {
  return el.closest('article') ?? el;
}

function findPosts(root: ParentNode): Element[] {
  return docOrder(all(root, SEL.tweet).map(postOf));
}

interface PostParts {
  quote: Element | null;
  nameBlock: Element | null;
  inMain: (e: Element) => boolean;
}

function postParts(post: Element): PostParts {
  const quote = quoteCard(post);
  const inMain = (e: Element): boolean => !quote || !quote.contains(e);
  const nameBlock = all(post, SEL.userName).find(inMain) ?? null;
  return { quote, nameBlock, inMain };
}

/** The post's own id and author handle, from its permalink (the link around its time, else any status link). */
function postIdentity(post: Element, parts: PostParts, base: URL): { id: string | null; handle: string | null } {
  const time = all(post, SEL.time).find(parts.inMain);
  const link = time?.closest('a[href]');
  const fromTime = statusFromHref(link?.getAttribute('href'), base);
  if (fromTime) return fromTime;
  for (const a of all(post, 'a[href]').filter(parts.inMain)) {
    const s = statusFromHref(a.getAttribute('href'), base);
    if (s) return s;
  }
  return { id: null, handle: null };
}

/** Handles on the "Replying to" line: @links above the text that are not part of the author block or text. */
function replyingTo(post: Element, parts: PostParts, base: URL): string[] {
  const text = all(post, SEL.tweetText).find(parts.inMain) ?? null;
  const out: string[] = [];
  for (const a of all(post, 'a[href]')) {
    if (!parts.inMain(a)) continue;
    if (a.closest(`${SEL.userName}, ${SEL.tweetText}, ${SEL.socialContext}, ${SEL.card}`)) continue;
    if (text && !precedes(a, text)) continue;
    const m = HANDLE_TEXT.exec((a.textContent ?? '').trim());
    const h = handleFromHref(a.getAttribute('href'), base);
    if (m && h && same(m[1], h) && !out.some((x) => same(x, h))) out.push(h);
  }
  return out;
}

interface ThreadInfo {
  kind: ItemKind;
  in_reply_to: string | null;
  thread_id: string | null;
}

/**
 * Where the post sits in the conversation of a status page. Posts above the focal post are its
 * ancestors, each the parent of the next. Below it, X (2022-23) printed "Replying to @a @b"; the
 * first handle tells whether the reply answers the post just above it or the focal post. When
 * both readings are possible, or the line is absent, the parent is not guessed.
 */
function threadInfo(post: Element, ctx: ExtractContext): ThreadInfo {
  const doc = post.ownerDocument;
  const base = ctx.url;
  const parts = postParts(post);
  const handles = replyingTo(post, parts, base);
  const handleList = handles.length ? handles.map((h) => `@${h}`).join(' ') : null;
  const fallback: ThreadInfo = { kind: handles.length ? 'comment' : 'post', in_reply_to: handleList, thread_id: null };

  // The focal post is the one the page is about: /<handle>/status/<id>, or an Article's /<handle>/article/<id>.
  const pageStatus = statusFromHref(base.href, base) ?? statusFromHref(base.href.replace(/\/article\/(\d+)/, '/status/$1'), base);
  if (!pageStatus) return fallback;
  const scope = doc.querySelector(SEL.primaryColumn) ?? doc;
  const posts = findPosts(scope);
  const idx = posts.indexOf(post);
  const ids = posts.map((p) => postIdentity(p, postParts(p), base));
  const focal = ids.findIndex((x) => x.id === pageStatus.id);
  if (idx < 0 || focal < 0) return fallback;
  // The conversation ends where X starts another section ("Discover more"): a heading cell between posts.
  const cells = all(scope, SEL.cell);
  let end = posts.length;
  for (let i = focal + 1; i < posts.length; i++) {
    const prev = posts[i - 1];
    const cur = posts[i];
    if (cells.some((c) => !c.querySelector(SEL.tweet) && c.querySelector(SEL.heading) && precedes(prev, c) && precedes(c, cur))) {
      end = i;
      break;
    }
  }
  if (idx >= end) return fallback;
  const firstHasReplyLine = replyingTo(posts[0], postParts(posts[0]), base).length > 0;
  const thread_id = firstHasReplyLine ? null : ids[0].id;
  let in_reply_to: string | null = handleList;
  if (idx <= focal) {
    if (idx > 0) in_reply_to = ids[idx - 1].id ?? handleList;
  } else if (handles.length) {
    const prevAuthor = ids[idx - 1].handle;
    const focalAuthor = ids[focal].handle;
    const first = handles[0];
    if (idx - 1 === focal) in_reply_to = same(first, focalAuthor) ? ids[focal].id : handleList;
    else if (same(first, prevAuthor) && !same(first, focalAuthor)) in_reply_to = ids[idx - 1].id;
    else if (same(first, focalAuthor) && !same(prevAuthor, focalAuthor)) in_reply_to = ids[focal].id;
  }
  const kind: ItemKind = idx > 0 || handles.length ? 'comment' : 'post';
  return { kind, in_reply_to: in_reply_to ?? null, thread_id };
}

function counterText(el: Element): string | null {
  const c = el.matches(SEL.counter) ? el : el.querySelector(SEL.counter);
  return c ? plain(c) : null;
}

/** Counts as displayed ("2.5K"), from the action bar, the count links and the focal post's view count. */
function postMetrics(post: Element, parts: PostParts): Record<string, string> {
  const m: Record<string, string> = {};
  const actions = SEL.actions as Record<string, string>;
  for (const el of all(post, '[data-testid]')) {
    if (!parts.inMain(el)) continue;
    const key = actions[tid(el)];
    if (!key || m[key]) continue;
    const v = counterText(el);
    if (v) m[key] = v;
  }
  for (const a of all(post, 'a[href]')) {
    if (!parts.inMain(a)) continue;
    const href = a.getAttribute('href') ?? '';
    for (const [re, key] of SEL.countLinks) {
      if (re.test(href) && !m[key]) {
        const v = counterText(a);
        if (v) m[key] = v;
      }
    }
  }
  // A focal post shows "29.9K Views" as a bare counter outside buttons and links.
  if (!m.views) {
    const bare = all(post, SEL.counter).find((c) => parts.inMain(c) && !c.closest('a, button, [role="button"]'));
    const v = bare ? plain(bare) : null;
    if (v) m.views = v;
  }
  return m;
}

function postMediaExclude(post: Element, parts: PostParts): (e: Element) => boolean {
  return (e: Element): boolean => {
    if (!parts.inMain(e)) return true;
    if (e.closest(`${SEL.avatar}, ${SEL.userName}, ${SEL.socialContext}`)) return true;
    const src = e.getAttribute('src') ?? '';
    if (/\/profile_images\//.test(src)) return true;
    if (e.tagName.toUpperCase() === 'IMG') {
      if (isEmojiImg(e)) return true;
      // The player paints its poster as an <img> too; the <video> entry already carries it.
      if (e.closest(SEL.video)) return true;
    }
    return !post.contains(e);
  };
}

function quotedFromCard(quote: Element, base: URL): NonNullable<Item['quoted']> {
  const nameBlock = quote.querySelector(SEL.userName);
  const account = accountFromNameBlock(nameBlock, base);
  if (!account.handle) {
    account.handle = handleFromAvatar(quote.querySelector(SEL.avatarContainer));
    account.profile_url = profileUrl(account.handle, base);
  }
  let id: string | null = null;
  let url: string | null = null;
  for (const a of all(quote, 'a[href]')) {
    const s = statusFromHref(a.getAttribute('href'), base);
    if (s) {
      id = s.id;
      url = permalinkFor(s.handle, s.id, base);
      break;
    }
  }
  const text = readText(quote.querySelector(SEL.tweetText), 'inline');
  return { platform_item_id: id, url, account: account.handle || account.display_name ? account : null, text };
}

function quotedFromLinkCard(card: Element, base: URL): NonNullable<Item['quoted']> {
  const href = card.querySelector('a[href]')?.getAttribute('href');
  // 2025 builds print the card's domain ("From example.com") just outside the wrapper.
  const parent = card.parentElement;
  const box = parent && !parent.querySelector(`${SEL.tweetText}, ${SEL.time}, ${SEL.userName}, [role="group"]`) ? parent : card;
  return { platform_item_id: null, url: absUrl(href, base), account: null, text: plain(box) };
}

function extractPost(post: Element, ctx: ExtractContext): Extraction {
  const base = ctx.url;
  const warnings: Warning[] = [];
  const parts = postParts(post);
  const { quote, nameBlock, inMain } = parts;

  const account = accountFromNameBlock(nameBlock, base);
  const identity = postIdentity(post, parts, base);
  if (!account.handle) {
    account.handle = handleFromAvatar(all(post, SEL.avatarContainer).find(inMain) ?? null) ?? identity.handle;
    account.profile_url = profileUrl(account.handle, base);
  }
  if (!nameBlock && account.handle) {
    // Builds before the author block had a testid: the name is the text of a link to the author's profile.
    const names = all(post, 'a[href]')
      .filter((a) => inMain(a) && same(handleFromHref(a.getAttribute('href'), base), account.handle))
      .map((a) => firstLine(plain(a)))
      .filter((n): n is string => !!n && !HANDLE_TEXT.test(n));
    account.display_name = names[0] ?? null;
  }
  const ld = profileLd(post.ownerDocument);
  if (ld?.id && same(ld.handle, account.handle)) account.platform_account_id = ld.id;

  const item = emptyItem();
  item.platform_item_id = identity.id;
  item.url = identity.id && identity.handle ? permalinkFor(identity.handle, identity.id, base) : null;
  item.id_time = identity.id ? decodeXId(identity.id) : null;

  // Time: the datetime attribute; else the id; else whatever the link shows ("4h").
  const timeEl = all(post, SEL.time).find(inMain) ?? null;
  const permalinkEl = timeEl ? null : all(post, 'a[href]').find((a) => inMain(a) && SEL.permalinkHref.test(a.getAttribute('href') ?? '')) ?? null;
  const shown = plain(timeEl) ?? plain(permalinkEl);
  let t = firstTime(
    fromAttribute(timeEl?.getAttribute('datetime'), shown),
    identity.id ? fromId(item.id_time, identity.id) : NONE,
    fromRelativeText(shown, ctx.capturedAt),
    textOnly(shown),
  );
  if (t.source === 'id-decoded' && shown) t = { ...t, text: shown };
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;

  // Text: an X Article has a title and a long-form body instead of tweetText.
  const view = post.querySelector(SEL.articleView);
  if (view) {
    item.title = plain(view.querySelector(SEL.articleTitle));
    const body = SEL.articleBody.map((s) => view.querySelector(s)).find((e) => !!e) ?? null;
    item.text = readText(body, 'blocks');
  } else {
    const textEl = all(post, SEL.tweetText).find((e) => inMain(e) && !e.closest(SEL.card)) ?? null;
    item.text = readText(textEl, 'inline');
  }
  if (all(post, SEL.showMore).some(inMain))
    warnings.push(warning('text-truncated', 'The page shows this post cut short ("Show more"); the text recorded is only the part displayed.'));

  item.media = mediaIn(post, base, postMediaExclude(post, parts));

  if (quote) {
    item.quoted = quotedFromCard(quote, base);
    if (!item.quoted.platform_item_id)
      warnings.push(warning('quoted-id-missing', "The quoted post's id is not on the page (X opens it by script), so only its author and text are recorded."));
    const quotedMedia = mediaIn(quote, base, (e) => !!e.closest(SEL.avatar) || !!e.closest(SEL.userName) || isEmojiImg(e) || (e.tagName.toUpperCase() === 'IMG' && !!e.closest(SEL.video)));
    if (quotedMedia.length)
      warnings.push(warning('quoted-media', `The quoted post shows ${quotedMedia.length} image(s) or video(s); they appear in the screenshot but are not listed in this record's media.`));
  } else {
    const card = all(post, SEL.card).find(inMain);
    if (card) item.quoted = quotedFromLinkCard(card, base);
  }

  const metrics = postMetrics(post, parts);
  if (Object.keys(metrics).length) item.metrics = metrics;

  if (nameBlock?.querySelector(SEL.lock)) item.visibility = 'protected';

  // A repost shows the reposter in the social context line; the author recorded is the original author.
  const social = all(post, SEL.socialContext).find(inMain);
  if (social) {
    // The line is a link to the reposter (the testid sits on the label inside it, or around it).
    const links = [social.closest('a[href]'), ...all(social, 'a[href]')].filter((a): a is Element => !!a && post.contains(a));
    const reposter = links.map((a) => handleFromHref(a.getAttribute('href'), base)).find((h) => !!h);
    if (reposter && !same(reposter, account.handle))
      warnings.push(warning('shown-as-repost', `The page shows this post as a repost by @${reposter} ("${plain(social)}"); the author recorded is the original author.`));
  }

  const thread = threadInfo(post, ctx);
  item.in_reply_to = thread.in_reply_to;
  item.thread_id = thread.thread_id;
  return makeExtraction(ADAPTER, thread.kind, account, item, warnings);
}

// ---------------------------------------------------------------- profiles

/** The profile header: the largest ancestor of UserName that holds no timeline, tabs or posts. */
function profileHeader(doc: Document): Element | null {
  const name = all(doc, SEL.profile.name).find((e) => !e.closest(SEL.profile.hoverCard) && !e.closest(SEL.tweet));
  if (!name) return null;
  let header: Element = name;
  for (let p = name.parentElement; p && p !== doc.body; p = p.parentElement) {
    if (p.matches(SEL.profile.stop) || p.querySelector(SEL.profile.stop)) break;
    header = p;
  }
  return header;
}

function countIn(link: Element | null): string | null {
  if (!link) return null;
  // The number is the first piece of text with a digit; the label after it is language-dependent.
  for (const s of all(link, 'span')) {
    if (s.querySelector('span')) continue;
    const t = (s.textContent ?? '').trim();
    if (/\d/.test(t)) return t;
  }
  return null;
}

function extractProfile(header: Element, ctx: ExtractContext): Extraction {
  const doc = header.ownerDocument;
  const base = ctx.url;
  const warnings: Warning[] = [];
  const scope = doc.querySelector(SEL.primaryColumn) ?? doc;
  const nameEl = header.querySelector(SEL.profile.name) ?? header;
  const lines = (readText(nameEl, 'blocks', (e) => e.matches(SEL.profile.followsYou)) ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const account = emptyAccount();
  account.handle = lines.map((l) => HANDLE_TEXT.exec(l)?.[1]).find((h) => !!h) ?? null;
  account.display_name = lines.find((l) => !HANDLE_TEXT.test(l)) ?? null;
  const ld = profileLd(doc);
  if (ld && (!account.handle || same(ld.handle, account.handle))) {
    account.handle ??= ld.handle;
    account.display_name ??= ld.name;
    account.platform_account_id = ld.id;
  }
  if (!account.platform_account_id && account.handle) {
    // The Follow button's test id is "<user id>-follow"; its label names the account.
    for (const b of all(scope, SEL.profile.followButton)) {
      const m = /^(\d+)-(?:un)?follow$/.exec(tid(b));
      if (m && (b.getAttribute('aria-label') ?? '').toLowerCase().includes(`@${account.handle.toLowerCase()}`)) {
        account.platform_account_id = m[1];
        break;
      }
    }
  }
  account.profile_url = profileUrl(account.handle, base);
  if (!account.platform_account_id)
    warnings.push(warning('account-id-missing', "X's numeric account id (which stays the same when the handle changes) was not found on the page."));

  const item = emptyItem();
  item.platform_item_id = account.platform_account_id;
  item.url = account.profile_url;
  item.title = account.display_name;
  const bio = readText(header.querySelector(SEL.profile.bio), 'inline');
  const itemsEl = header.querySelector(SEL.profile.items);
  const facts = itemsEl
    ? Array.from(itemsEl.children).map((c) => plain(c)).filter((s): s is string => !!s).join('\n')
    : null;
  item.text = [bio, facts].filter((s) => !!s).join('\n\n') || null;

  const media: MediaRef[] = [];
  for (const sel of [SEL.profile.banner, SEL.profile.photo]) {
    const img = scope.querySelector(sel);
    const url = absUrl(img?.getAttribute('src'), base);
    if (img && url && !media.some((m) => m.url === url)) media.push({ kind: 'image', url, alt: img.getAttribute('alt') ?? null });
  }
  item.media = media;

  const metrics: Record<string, string> = {};
  const following = countIn(scope.querySelector(SEL.profile.following));
  const followers = countIn(scope.querySelector(SEL.profile.followers));
  if (following) metrics.following = following;
  if (followers) metrics.followers = followers;
  if (Object.keys(metrics).length) item.metrics = metrics;
  if (nameEl.querySelector(SEL.lock)) item.visibility = 'protected';
  return makeExtraction(ADAPTER, 'profile', account, item, warnings);
}

/** A profile page whose header did not render (or a bot page): JSON-LD ProfilePage, else Open Graph. */
function profileFromHead(doc: Document, ctx: ExtractContext, ld: ProfileLd | null, headOnly: boolean): Extraction {
  const meta = readMeta(doc);
  const og = ogAuthor(meta['og:title']);
  const account = emptyAccount();
  account.handle = ld?.handle ?? og?.handle ?? handleFromHref(meta['og:url'], ctx.url) ?? handleFromHref(ctx.url.href, ctx.url);
  account.display_name = ld?.name ?? og?.name ?? null;
  account.platform_account_id = ld?.id ?? null;
  account.profile_url = absUrl(ld?.url ?? meta['og:url'], ctx.url) ?? profileUrl(account.handle, ctx.url);
  const item = emptyItem();
  item.platform_item_id = account.platform_account_id;
  item.url = account.profile_url;
  item.title = account.display_name;
  item.text = metaText(ld?.description ?? meta['og:description']);
  const image = absUrl(ld?.image ?? meta['og:image'], ctx.url);
  item.media = image ? [{ kind: 'image', url: image, alt: null }] : [];
  if (ld && Object.keys(ld.counts).length) item.metrics = { ...ld.counts };
  const warnings: Warning[] = [];
  if (headOnly)
    warnings.push(warning('head-only', "Only the page's link-preview data (Open Graph / JSON-LD) was available; the profile itself was not rendered, so its header details and posts are missing."));
  if (!account.platform_account_id)
    warnings.push(warning('account-id-missing', "X's numeric account id (which stays the same when the handle changes) was not found on the page."));
  return makeExtraction(ADAPTER, 'profile', account, item, warnings);
}

/** Meta text with the source's line indentation and doubled spaces removed (the rendered page shows it so). */
function metaText(v: string | null | undefined): string | null {
  if (!v) return null;
  const t = v.split('\n').map((l) => l.replace(/[ \t]+/g, ' ').trim()).join('\n').trim();
  return t === '' ? null : t;
}

/** "Name (@handle) on X" / "... on Twitter" (og:title of posts and profiles). */
function ogAuthor(title: string | undefined): { name: string; handle: string } | null {
  const m = /^(.*) \(@([A-Za-z0-9_]{1,15})\) (?:on|en|auf|sur|su|em|op) (?:X|Twitter)\b/.exec(title ?? '');
  return m ? { name: m[1], handle: m[2] } : null;
}

/** A post page served without rendered posts (bots, unfurlers): SocialMediaPosting JSON-LD, else Open Graph. */
function postFromHead(doc: Document, ctx: ExtractContext): Extraction | null {
  const meta = readMeta(doc);
  const ld = readJsonLd(doc).find((o) => ldTypes(o).some((t) => /^(SocialMediaPosting|DiscussionForumPosting|BlogPosting|Article)$/.test(t)));
  const appUrl = meta['al:ios:url'] ?? meta['al:android:url'] ?? '';
  const appId = /status\?id=(\d+)/.exec(appUrl)?.[1] ?? null;
  const ldUrl = str(ld?.url);
  const status = statusFromHref(ldUrl, ctx.url) ?? statusFromHref(meta['og:url'], ctx.url) ?? statusFromHref(ctx.url.href, ctx.url);
  const id = str(ld?.identifier) ?? status?.id ?? appId;
  if (!id && !ld && meta['og:type'] !== 'article') return null;

  const author = obj(ld?.author);
  const og = ogAuthor(meta['og:title']);
  const account = emptyAccount();
  account.handle = str(author?.additionalName) ?? og?.handle ?? status?.handle ?? null;
  account.display_name = str(author?.name) ?? og?.name ?? null;
  account.platform_account_id = str(author?.identifier);
  account.profile_url = absUrl(str(author?.url), ctx.url) ?? profileUrl(account.handle, ctx.url);

  const item = emptyItem();
  item.platform_item_id = id;
  item.url = absUrl(ldUrl ?? meta['og:url'], ctx.url) ?? (id && account.handle ? permalinkFor(account.handle, id, ctx.url) : null);
  item.id_time = id ? decodeXId(id) : null;
  const t = firstTime(fromJson(str(ld?.datePublished) ?? str(ld?.dateCreated)), id ? fromId(item.id_time, id) : NONE);
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;
  item.text = metaText(str(ld?.articleBody) ?? str(ld?.text) ?? meta['og:description']);
  const headline = str(ld?.headline);
  if (headline && headline !== item.text) item.title = headline;
  // With no media X's og:image is the author's avatar, which is not part of the post.
  const images = [obj(ld?.image) ? str(obj(ld?.image)?.contentUrl) : str(ld?.image), meta['og:image']];
  item.media = [...new Set(images.map((u) => absUrl(u, ctx.url)).filter((u): u is string => !!u && !/\/profile_images\//.test(u)))].map((url) => ({ kind: 'image' as const, url, alt: null }));
  const warnings = [
    warning('head-only', "Only the page's link-preview data (Open Graph / JSON-LD) was available; the post was not rendered, so its text may be shortened and its media, counts and reply context are missing."),
  ];
  return makeExtraction(ADAPTER, 'post', account, item, warnings);
}

// ---------------------------------------------------------------- direct messages

function isMessageEl(e: Element): boolean {
  const t = tid(e);
  return t === 'messageEntry' || (t.startsWith('message-') && !t.startsWith('message-text-'));
}

function conversationOf(el: Element): Element | null {
  return el.closest(SEL.dm.conversation) ?? el.closest(SEL.dm.conversationFallback);
}

function conversationIdFromUrl(url: URL): string | null {
  if (!isXHost(url.hostname)) return null;
  const m = /^\/(?:messages|i\/chat)\/([A-Za-z0-9:_-]+)\/?$/.exec(url.pathname);
  return m && !/^(requests|compose|settings|pin)$/.test(m[1]) ? m[1] : null;
}

function messagesIn(root: ParentNode): Element[] {
  return all(root, SEL.dm.message).filter((m) => isMessageEl(m) && !m.parentElement?.closest(SEL.dm.message) && !!conversationOf(m));
}

function findConversations(doc: Document, ctx: ExtractContext): Element[] {
  const convs = messagesIn(doc).map((m) => conversationOf(m)).filter((c): c is Element => !!c);
  if (!convs.length && conversationIdFromUrl(ctx.url)) {
    const empty = doc.querySelector(SEL.dm.conversation) ?? doc.querySelector(SEL.dm.conversationFallback);
    if (empty) convs.push(empty);
  }
  return docOrder(convs);
}

function isConversation(el: Element, ctx: ExtractContext): boolean {
  if (!el.matches(`${SEL.dm.conversation}, ${SEL.dm.conversationFallback}`) || conversationOf(el) !== el) return false;
  return messagesIn(el).length > 0 || !!conversationIdFromUrl(ctx.url);
}

/** The message's row: chat builds put avatar and time beside the message element, in its list item. */
function messageRow(m: Element): Element {
  const li = m.closest('li');
  return li && messagesIn(li).length === 1 ? li : m;
}

/**
 * Handle of the person a marker in the row points to: an avatar container, a profile link, or a bare
 * avatar picture that is the same upload as a known participant's. Shared posts are skipped.
 */
function senderMarker(row: Element, base: URL, avatars: Map<string, string>): string | null {
  for (const e of all(row, `${SEL.avatarContainer}, a[href], img[src]`)) {
    if (e.closest(SEL.dm.text) || e.closest(SEL.dm.embedded)) continue;
    const tag = e.tagName.toUpperCase();
    const key = tag === 'IMG' ? avatarKey(e) : null;
    const h = handleFromAvatar(e) ?? (tag === 'A' ? handleFromHref(e.getAttribute('href'), base) : null) ?? (key ? avatars.get(key) ?? null : null);
    if (h) return h;
  }
  return null;
}

const CLOCK = /\b\d{1,2}[:.]\d{2}\b/;

/** The time printed under a message (X prints one under the last message of each run), else null. */
function messageTimeEl(row: Element): { el: Element; machine: boolean } | null {
  const time = all(row, SEL.time).find((e) => !e.closest(SEL.dm.text) && !e.closest(SEL.dm.embedded));
  if (time) return { el: time, machine: true };
  // The deepest short clock-like text ("2:14 PM", "Nov 27, 2026, 9:05 AM") outside the message text;
  // a "9:45 PM · Seen" line yields its "9:45 PM" part.
  const isClock = (e: Element): boolean => {
    const t = (e.textContent ?? '').trim();
    return t.length <= 40 && CLOCK.test(t);
  };
  const candidates = all(row, 'span, div').filter(
    (e) => !e.closest(SEL.dm.text) && !e.closest(SEL.dm.embedded) && !e.closest('a, button') && isClock(e) && !all(e, 'span, div').some(isClock),
  );
  return candidates.length ? { el: candidates[candidates.length - 1], machine: false } : null;
}

/**
 * DM event id: chat builds put it in the row's test id; classic DM media carry it in the media URL
 * (ton.twitter.com/.../dm/<event id>/<media id>/...) and in the viewer link (/messages/media/<event id>).
 */
function messageId(m: Element): string | null {
  const t = tid(m);
  if (t.startsWith('message-') && !t.startsWith('message-text-')) return t.slice('message-'.length) || null;
  for (const e of all(m, 'img[src], video[poster], source[src], a[href]')) {
    const u = e.getAttribute('src') ?? e.getAttribute('poster') ?? e.getAttribute('href') ?? '';
    const id = /\/dm(?:_gif|_video)?\/(\d{6,20})\//.exec(u)?.[1] ?? /\/messages\/media\/(\d{6,20})(?:[/?#]|$)/.exec(u)?.[1];
    if (id) return id;
  }
  return null;
}

interface ConversationRead {
  el: Element;
  id: string | null;
  url: string | null;
  title: string | null;
  partners: Account[];
  viewer: Account | null;
  messages: { el: Element; message: Message; inferred: boolean }[];
  warnings: Warning[];
}

function participantsFromHeader(conv: Element, base: URL, viewer: Account | null, avatars: Map<string, string>): Account[] {
  const scope = conv.querySelector(SEL.dm.header) ?? conv;
  const found = new Map<string, Account>();
  for (const e of all(scope, `${SEL.avatarContainer}, a[href]`)) {
    const msg = e.closest(SEL.dm.message);
    if ((msg && isMessageEl(msg)) || e.closest(SEL.dm.text) || e.closest(SEL.dm.embedded)) continue;
    const h = handleFromAvatar(e) ?? (e.tagName.toUpperCase() === 'A' ? handleFromHref(e.getAttribute('href'), base) : null);
    if (!h || same(h, viewer?.handle)) continue;
    for (const img of all(e, 'img')) {
      const key = avatarKey(img);
      if (key && !avatars.has(key)) avatars.set(key, h);
    }
    let acc = found.get(h.toLowerCase());
    if (!acc) {
      acc = emptyAccount();
      acc.handle = h;
      acc.profile_url = profileUrl(h, base);
      found.set(h.toLowerCase(), acc);
    }
    // A profile link's text is the name, the @handle, then details.
    if (!acc.display_name && e.tagName.toUpperCase() === 'A') {
      const at = new RegExp(`\\s*@${h}\\b`, 'i');
      const name = (plain(e) ?? '').split('\n').map((l) => l.replace(at, '').trim()).find((l) => l !== '');
      if (name) acc.display_name = name;
    }
  }
  return [...found.values()];
}

/**
 * Reads a whole conversation. Who sent each message: the row's own avatar or profile link when it
 * has one. X shows the other person's picture only beside the last message of each run of their
 * messages (the run ends where a time is printed) and never beside the viewer's own messages, so
 * a run takes the sender of its marked message, and an unmarked run is the viewer's, once the
 * conversation shows that layout (some run carries another person's picture). These are labelled
 * in the warnings as inferred.
 */
function readConversation(conv: Element, ctx: ExtractContext): ConversationRead {
  const doc = conv.ownerDocument;
  const base = ctx.url;
  const viewer = viewerAccount(doc, base);
  const warnings: Warning[] = [];
  const id = conversationIdFromUrl(ctx.url);
  const url = id ? absUrl(ctx.url.pathname, base) : null;
  const headerEl = conv.querySelector(SEL.dm.header);
  const heading = (headerEl ?? conv).querySelector(SEL.heading);
  const title = heading && !heading.closest(SEL.dm.message) ? plain(heading) : null;
  // Avatar uploads of the people in the header (and the viewer), to name bare avatar pictures in rows.
  const avatars = new Map<string, string>();
  const viewerKey = avatarKey(doc.querySelector(SEL.viewer)?.querySelector('img') ?? null);
  if (viewerKey && viewer?.handle) avatars.set(viewerKey, viewer.handle);
  const partners = participantsFromHeader(conv, base, viewer, avatars);

  const els = messagesIn(conv);
  const rows = els.map(messageRow);
  const markers = rows.map((r) => senderMarker(r, base, avatars));
  const times = rows.map((r) => messageTimeEl(r));
  // Runs end at a printed time.
  const runs: number[][] = [];
  let cur: number[] = [];
  els.forEach((_, i) => {
    cur.push(i);
    if (times[i]) {
      runs.push(cur);
      cur = [];
    }
  });
  if (cur.length) runs.push(cur);
  const layoutShown = markers.some((h) => h && !same(h, viewer?.handle));

  const senders: (string | null)[] = markers.slice();
  const inferredAt = new Set<number>();
  for (const run of runs) {
    const marked = [...new Set(run.map((i) => markers[i]).filter((h): h is string => !!h).map((h) => h.toLowerCase()))];
    for (const i of run) {
      if (markers[i]) continue;
      if (marked.length === 1) senders[i] = run.map((j) => markers[j]).find((h) => !!h) ?? null;
      else if (marked.length === 0 && layoutShown && viewer?.handle) senders[i] = viewer.handle;
      if (senders[i]) inferredAt.add(i);
    }
  }
  const inferred = inferredAt.size;

  const accountFor = (h: string | null): Account | null => {
    if (!h) return null;
    if (viewer && same(h, viewer.handle)) return { ...viewer };
    const p = partners.find((a) => same(a.handle, h));
    if (p) return { ...p };
    const acc = emptyAccount();
    acc.handle = h;
    acc.profile_url = profileUrl(h, base);
    return acc;
  };
  for (const h of senders) {
    if (h && !same(h, viewer?.handle) && !partners.some((p) => same(p.handle, h))) {
      const acc = accountFor(h);
      if (acc) partners.push(acc);
    }
  }

  let untimed = 0;
  let clockOnly = 0;
  const messages = els.map((el, i) => {
    const mid = messageId(el);
    const tm = times[i];
    const shown = tm ? plain(tm.el) : null;
    const decoded = mid && /^\d+$/.test(mid) ? fromId(decodeXId(mid), mid) : NONE;
    let t = firstTime(tm?.machine ? fromAttribute(tm.el.getAttribute('datetime'), shown) : NONE, decoded, textOnly(shown));
    if (t.source === 'id-decoded' && shown) t = { ...t, text: shown };
    if (!t.iso && !t.text) untimed++;
    else if (!t.iso) clockOnly++;
    const textEl = all(el, SEL.dm.text).find((e) => !e.closest(SEL.dm.embedded)) ?? null;
    const text = textEl
      ? readText(textEl, 'inline')
      : readText(el, 'inline', (e) => e.matches(SEL.avatar) || (!!tm && e === tm.el) || e.matches(SEL.dm.embedded));
    const media = mediaIn(el, base, (e) => !!e.closest(SEL.avatar) || isEmojiImg(e) || /\/profile_images\//.test(e.getAttribute('src') ?? '') || !!e.closest(SEL.dm.embedded));
    const sender = accountFor(senders[i]);
    // A marked sender without a known viewer is the other person: X never pictures the viewer's own messages.
    const outgoing = senders[i] ? (viewer?.handle ? same(senders[i], viewer.handle) : false) : null;
    const message: Message = {
      id: mid,
      sender,
      outgoing,
      sent_at: t.iso,
      sent_at_text: t.text,
      sent_at_source: t.source,
      text,
      media,
    };
    return { el, message, inferred: inferredAt.has(i) };
  });

  if (inferred)
    warnings.push(warning('message-sender-inferred', `Who sent ${inferred} of the ${els.length} messages was inferred from the layout: X shows the other person's picture only beside the last message of each of their runs, and never beside your own. Check against the screenshot.`));
  const unknown = messages.filter((m) => !m.message.sender).length;
  if (unknown)
    warnings.push(warning('message-sender-unknown', `The sender of ${unknown} of the ${els.length} messages could not be told from the page.`));
  if (untimed)
    warnings.push(warning('message-time-missing', `${untimed} of the ${els.length} messages show no time of their own (X prints one time under each run of messages).`));
  if (clockOnly)
    warnings.push(warning('message-time-text', `${clockOnly} message time(s) are shown only as clock text without a machine-readable date; they are recorded as displayed.`));
  if (partners.length > 1)
    warnings.push(warning('group-conversation', `This conversation has ${partners.length} other participants; each message records its own sender.`));
  if (!els.length) warnings.push(warning('no-messages', 'No messages were found in this conversation on the page.'));
  return { el: conv, id, url, title, partners, viewer, messages, warnings };
}

function conversationTime(read: ConversationRead): ResolvedTime {
  // The conversation's time is that of its latest message with a time.
  for (let i = read.messages.length - 1; i >= 0; i--) {
    const m = read.messages[i].message;
    if (m.sent_at || m.sent_at_text) return { iso: m.sent_at, text: m.sent_at_text, source: m.sent_at_source };
  }
  return NONE;
}

function extractConversation(conv: Element, ctx: ExtractContext): Extraction {
  const read = readConversation(conv, ctx);
  const account = read.partners.length === 1 ? read.partners[0] : null;
  if (account && !account.display_name && read.title) account.display_name = read.title;
  const item = emptyItem();
  item.platform_item_id = read.id;
  item.url = read.url;
  item.title = read.title;
  item.thread_id = read.id;
  item.visibility = 'private';
  const t = conversationTime(read);
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;
  return makeExtraction(ADAPTER, 'conversation', account, item, read.warnings, read.messages.map((m) => m.message));
}

function extractMessage(el: Element, ctx: ExtractContext): Extraction {
  const conv = conversationOf(el);
  const read = conv ? readConversation(conv, ctx) : null;
  const found = read?.messages.find((m) => m.el === el);
  const item = emptyItem();
  item.visibility = 'private';
  if (!read || !found) {
    item.text = readText(el, 'inline');
    return makeExtraction(ADAPTER, 'message', null, item, [warning('conversation-missing', 'The conversation this message belongs to was not found on the page.')]);
  }
  const m = found.message;
  item.platform_item_id = m.id;
  item.url = read.url;
  item.thread_id = read.id;
  item.posted_at = m.sent_at;
  item.posted_at_text = m.sent_at_text;
  item.posted_at_source = m.sent_at_source;
  if (m.id && /^\d+$/.test(m.id)) item.id_time = decodeXId(m.id);
  item.text = m.text;
  item.media = m.media;
  const warnings: Warning[] = [];
  if (found.inferred)
    warnings.push(warning('message-sender-inferred', "Who sent this message was inferred from the layout: X shows the other person's picture only beside the last message of each of their runs, and never beside your own. Check against the screenshot."));
  if (!m.sender) warnings.push(warning('message-sender-unknown', 'The sender of this message could not be told from the page.'));
  if (!m.sent_at && !m.sent_at_text)
    warnings.push(warning('message-time-missing', 'This message shows no time of its own (X prints one time under each run of messages).'));
  if (m.outgoing === true) warnings.push(warning('message-outgoing', 'This message was sent by the logged-in account, not received.'));
  return makeExtraction(ADAPTER, 'message', m.sender, item, warnings, [m]);
}

// ---------------------------------------------------------------- the adapter

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

function failed(kind: ItemKind, e: unknown): Extraction {
  return makeExtraction(ADAPTER, kind, null, emptyItem(), [
    warning('adapter-error', `The X adapter could not read this item (${e instanceof Error ? e.message : String(e)}).`),
  ]);
}

function itemKind(el: Element, ctx: ExtractContext): ItemKind | null {
  if (isMessageEl(el) && conversationOf(el)) return 'message';
  if (el.matches(SEL.tweet) || (el.tagName.toUpperCase() === 'ARTICLE' && el.querySelector(SEL.tweet))) return 'post';
  if (isConversation(el, ctx)) return 'conversation';
  if (el === profileHeader(el.ownerDocument)) return 'profile';
  return null;
}

export const twitterAdapter: PlatformAdapter = {
  id: ADAPTER.id,
  version: ADAPTER.version,
  label: 'X',

  matchesUrl(url: URL): boolean {
    return (url.protocol === 'https:' || url.protocol === 'http:') && isXHost(url.hostname);
  },

  matchesDocument(doc: Document): boolean {
    return safe(() => {
      if (doc.querySelector(`article${SEL.tweet} [data-testid="User-Name"], article${SEL.tweet} [data-testid="User-Names"], ${SEL.profile.schema}, [data-testid="DmActivityContainer"] [data-testid="messageEntry"]`)) return true;
      const meta = readMeta(doc);
      return meta['al:android:package'] === 'com.twitter.android';
    }, false);
  },

  findItems(doc: Document, ctx: ExtractContext): Element[] {
    return safe(() => {
      const header = profileHeader(doc);
      const posts = findPosts(doc);
      const convs = findConversations(doc, ctx);
      const messages = messagesIn(doc);
      return docOrder([...(header ? [header] : []), ...posts, ...convs, ...messages]);
    }, []);
  },

  enclosingItem(el: Element, ctx: ExtractContext): Element | null {
    return safe(() => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        if (isMessageEl(e) && conversationOf(e)) return e;
        if (e.matches(SEL.tweet)) return postOf(e);
        if (e.tagName.toUpperCase() === 'ARTICLE' && e.querySelector(SEL.tweet)) return e;
        if (isConversation(e, ctx)) return e;
      }
      const header = profileHeader(el.ownerDocument);
      return header && header.contains(el) ? header : null;
    }, null);
  },

  kindOf(el: Element, ctx: ExtractContext): ItemKind {
    return safe(() => {
      const k = itemKind(el, ctx);
      if (k === 'post') return threadInfo(postOf(el), ctx).kind;
      return k ?? 'element';
    }, 'element');
  },

  extract(el: Element, ctx: ExtractContext): Extraction {
    let kind: ItemKind = 'element';
    try {
      kind = itemKind(el, ctx) ?? 'element';
      if (kind === 'message') return extractMessage(el, ctx);
      if (kind === 'conversation') return extractConversation(el, ctx);
      if (kind === 'profile') return extractProfile(el, ctx);
      if (kind === 'post') return extractPost(postOf(el), ctx);
      // Not an item this adapter knows: the innermost one around it, if any.
      const inner = twitterAdapter.enclosingItem(el, ctx);
      if (inner && inner !== el) return twitterAdapter.extract(inner, ctx);
      const item = emptyItem();
      item.text = plain(el);
      return makeExtraction(ADAPTER, 'element', null, item, [warning('not-an-item', 'This element is not a post, profile or message that the X adapter recognises.')]);
    } catch (e) {
      return failed(kind, e);
    }
  },

  extractPage(doc: Document, ctx: ExtractContext): Extraction | null {
    try {
      const header = profileHeader(doc);
      if (header) return extractProfile(header, ctx);
      const hasPosts = !!doc.querySelector(SEL.tweet);
      const ld = profileLd(doc);
      if (ld) return profileFromHead(doc, ctx, ld, !hasPosts);
      if (hasPosts || messagesIn(doc).length) return null;
      const meta = readMeta(doc);
      if (meta['og:type'] === 'profile') return profileFromHead(doc, ctx, null, true);
      return postFromHead(doc, ctx);
    } catch (e) {
      return failed('page', e);
    }
  },
};

export default twitterAdapter;
