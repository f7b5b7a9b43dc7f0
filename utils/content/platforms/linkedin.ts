import type { Account, Extraction, Item, ItemKind, MediaRef, Message, Warning } from '../../shared/types';
import { absUrl, emptyAccount, emptyItem, ldTypes, makeExtraction, pick, readJsonLd, readMeta, textOf, warning, jsonAt as at, jsonStr as str } from '../dom';
import { cleanText, decodeLinkedInId, firstTime, fromId, fromJson, fromRelativeText, textOnly, type ResolvedTime } from '../time';
import type { ExtractContext, PlatformAdapter } from './types';

/**
 * LinkedIn (www.linkedin.com and the country hosts such as uk./se./bd.linkedin.com).
 *
 * Page generations handled:
 *  - guest (logged-out) pages: public post (`/posts/…-activity-<id>-…`), company and profile
 *    pages, with `article[data-activity-urn]` cards, `data-tracking-control-name="*_actor-name"`
 *    links, `section.comment` comments and JSON-LD (SocialMediaPosting, Person, Organization);
 *  - the logged-in feed (`div[data-urn^="urn:li:activity:"]`, `update-components-*`,
 *    `comments-comment-entity`, older `comments-comment-item`);
 *  - messaging, full page and overlay bubble (`msg-s-message-list`, `msg-s-event-listitem`).
 * LinkedIn's logged-in and messaging DOM has no test ids; its BEM class names (`msg-s-…`,
 * `update-components-…`) have been stable for years and are what is anchored on.
 *
 * Ids are LinkedIn URNs throughout: a post is `urn:li:activity:<id>`; a comment is normalised to
 * `urn:li:comment:(urn:li:<activity|ugcPost>:<post id>,<comment id>)`; a message is its
 * `urn:li:msg_message:(…)` and a conversation its thread id (`2-…`, as in /messaging/thread/).
 * Activity, comment and message ids all encode their creation time (first 41 bits in ms, or an
 * ms timestamp inside the message id), recorded as `id_time` / used for `posted_at` when the page
 * has nothing machine-readable. A comment's `thread_id` and `in_reply_to` are the post's URN
 * (the parent comment's URN for a reply). Profiles are recorded with `platform_account_id` =
 * the member id (`ACoAA…`) or organisation URN when the page shows one, `handle` = the public
 * vanity name from /in/<name> or /company/<name>.
 */

const SEL = {
  // guest (logged-out) pages
  guestCard: 'article[data-activity-urn]',
  guestLockup: '[data-test-id="main-feed-activity-card__entity-lockup"]',
  guestActorName: 'a[data-tracking-control-name$="feed-actor-name"]',
  guestActorImage: 'a[data-tracking-control-name$="feed-actor-image"]',
  guestReactionHeader: 'a[data-tracking-control-name$="feed-reaction-header"]',
  guestCommentary: '[data-test-id="main-feed-activity-card__commentary"]',
  guestComment: 'section.comment',
  commentUrnHolder: '[data-semaphore-content-urn^="urn:li:comment:"]',
  guestCommentAuthor: ['a[data-tracking-control-name$="comment_actor-name"]', 'a.comment__author'],
  guestCommentImage: 'a[data-tracking-control-name$="comment_actor-image"]',
  guestCommentTime: '.comment__duration-since',
  guestCommentText: '.comment__text',
  guestCommentReactions: 'a[data-tracking-control-name$="comment_reactions"]',
  reactionCount: '[data-test-id="social-actions__reaction-count"]',
  commentCount: '[data-id="social-actions__comments"], [data-test-id="social-actions__comments"]',
  reactionIcon: '[data-reaction-type]',
  documentFrame: 'iframe[data-native-document-config]',
  activityCard: '[data-test-id="activities__list"] > li',
  activityCardLink: 'a[href*="/posts/"], a[href*="activity-"], a[href*="/feed/update/"]',
  activityCardTitle: ['.base-main-card__title', 'h3'],
  activityCardSubtitle: ['.base-main-card__subtitle', 'h4'],
  topCard: 'section.top-card-layout',
  topCardName: ['.top-card-layout__title', 'h1'],
  topCardHeadline: ['.top-card-layout__headline', 'h2'],
  topCardImage: '.top-card-layout__entity-image',
  coverImage: '.cover-img__image',
  summary: ['section[data-section="summary"] .core-section-container__content', '[data-test-id="about-us__description"]'],
  orgUrn: '[data-semaphore-content-urn^="urn:li:organization:"]',
  notFound: '.page-not-found',
  loggedInName: 'main h1',
  // logged-in feed
  feedUpdate: 'div[data-urn^="urn:li:activity:"], div.feed-shared-update-v2[data-urn], div[data-id^="urn:li:activity:"], [data-view-name="feed-full-update"]',
  actor: '.update-components-actor',
  actorTitle: '.update-components-actor__title',
  actorLink: ['a.update-components-actor__meta-link', 'a.update-components-actor__image', '.update-components-actor a[href*="/in/"]', '.update-components-actor a[href*="/company/"]'],
  actorSub: '.update-components-actor__sub-description',
  feedCommentary: ['.update-components-update-v2__commentary', '.feed-shared-update-v2__description', '.feed-shared-inline-show-more-text'],
  feedHeader: '.update-components-header',
  feedQuoted: '.feed-shared-update-v2__update-content-wrapper, .update-components-mini-update-v2',
  feedQuotedLink: 'a.update-components-mini-update-v2__link-to-details-page, a[href*="/feed/update/urn:li:"]',
  feedComments: '.comments-comments-list, .comments-comment-list, .feed-shared-update-v2__comments-container',
  feedComment: 'article.comments-comment-entity, article.comments-comment-item, [data-id^="urn:li:comment:"]',
  feedCommentAuthor: ['.comments-comment-meta__description-title', '.comments-post-meta__name-text', '.comments-comment-meta__actor a'],
  feedCommentLink: ['a.comments-comment-meta__description-container', 'a.comments-post-meta__actor-link', 'a.comments-comment-meta__image-link', 'a[href*="/in/"]', 'a[href*="/company/"]'],
  feedCommentTime: ['time.comments-comment-meta__data', '.comments-comment-item__timestamp', 'time'],
  feedCommentText: ['.comments-comment-entity__content .update-components-text', '.comments-comment-item__main-content', '.comments-comment-item-content-body'],
  // messaging
  convo: '.msg-convo-wrapper, .msg-thread, .msg-overlay-conversation-bubble',
  msgList: '.msg-s-message-list',
  msgEvent: '.msg-s-event-listitem',
  msgEventRow: 'li.msg-s-message-list__event, .msg-s-message-list__event',
  msgDayHeading: '.msg-s-message-list__time-heading',
  msgGroupMeta: '.msg-s-message-group__meta',
  msgGroupName: '.msg-s-message-group__name',
  msgGroupTime: '.msg-s-message-group__timestamp',
  msgSenderLink: ['.msg-s-message-group__meta a[href]', 'a.msg-s-event-listitem__link[href]'],
  msgAvatar: '.msg-s-event-listitem__link, .msg-s-event-listitem__profile-picture, .presence-entity, .msg-s-message-group__meta',
  msgBody: '.msg-s-event-listitem__body',
  msgBubble: '.msg-s-event-listitem__message-bubble',
  msgAttachmentLink: 'a.msg-s-event-listitem__attachment-item[href], .msg-s-event-listitem__attachment-item a[href], a[href*="/dms/"], a[download]',
  msgReactions: '.msg-reactions-reaction-summary-presenter, .msg-s-event-listitem__reactions',
  convoTitle: ['.msg-entity-lockup__entity-title', '.msg-overlay-bubble-header__title', '#thread-detail-jump-target', '.msg-thread__link-to-profile'],
  convoTitleLink: ['a.msg-thread__link-to-profile[href]', '.msg-overlay-bubble-header__title a[href]', '.msg-entity-lockup a[href*="/in/"]'],
  // shared
  screenReaderOnly: '.visually-hidden, .a11y-text, .sr-only',
} as const;

const ITEM_QUERY = [
  SEL.msgList,
  SEL.msgEvent,
  SEL.guestCard,
  SEL.guestComment,
  SEL.activityCard,
  SEL.topCard,
  SEL.feedUpdate,
  SEL.feedComment,
].join(', ');

const ORIGIN = 'https://www.linkedin.com';

type Kind = 'conversation' | 'message' | 'guest-post' | 'guest-comment' | 'activity-card' | 'profile' | 'feed-post' | 'feed-comment';

// ---------------------------------------------------------------------------
// helpers

/** Visible text: LinkedIn repeats names and times in screen-reader-only spans. */
function visibleText(el: Element | null | undefined): string | null {
  return textOf(el, { skip: (e) => e.matches(SEL.screenReaderOnly) });
}

/**
 * Text of a guest-page text block. These are `white-space: pre-wrap` paragraphs whose text nodes
 * hold the author's own line breaks (and no template indentation), which textOf would fold.
 */
function preText(el: Element | null | undefined): string | null {
  return textOf(el, {
    preserveWhitespace: true,
    blocks: new Set(),
    skip: (e) => e.getAttribute('aria-hidden') === 'true' || e.matches(SEL.screenReaderOnly),
    image: (e) => e.getAttribute('alt'),
  });
}

function oneLine(s: string | null | undefined): string | null {
  return cleanText(s);
}

function isLinkedInHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'linkedin.com' || h.endsWith('.linkedin.com');
}

interface ProfileRef {
  type: 'in' | 'company' | 'school' | 'showcase';
  slug: string;
  memberId: string | null;
}

/** /in/<vanity>, /company/<name> … from any LinkedIn host; `ACoAA…` slugs are member ids. */
function profileRef(href: string | null | undefined, base: string | URL = ORIGIN): ProfileRef | null {
  if (!href) return null;
  let u: URL;
  try {
    u = new URL(href, base);
  } catch {
    return null;
  }
  if (!isLinkedInHost(u.hostname)) return null;
  const m = /^\/(?:public-profile\/)?(in|company|school|showcase)\/([^/?#]+)/.exec(u.pathname);
  if (!m) return null;
  let slug = m[2];
  try {
    slug = decodeURIComponent(slug);
  } catch {
    /* keep it encoded */
  }
  const mini = /fs(?:d)?_(?:miniProfile|profile):(ACoAA[\w-]+)/.exec(decodeURIComponent(u.search))?.[1] ?? null;
  return { type: m[1] as ProfileRef['type'], slug, memberId: /^ACoAA[\w-]+$/.test(slug) ? slug : mini };
}

function refUrl(ref: ProfileRef): string {
  return `${ORIGIN}/${ref.type}/${encodeURIComponent(ref.slug)}`;
}

function accountFrom(ref: ProfileRef | null, name: string | null): Account {
  const a = emptyAccount();
  a.display_name = name;
  if (ref) {
    const isMemberId = ref.memberId !== null && ref.slug === ref.memberId;
    a.handle = isMemberId ? null : ref.slug;
    a.platform_account_id = ref.memberId;
    a.profile_url = refUrl(ref);
  }
  return a;
}

const ACTIVITY_URN = /urn:li:(activity|ugcPost|share):(\d{10,})/;

interface CommentUrn {
  urn: string;
  parentType: string;
  parentId: string;
  id: string;
}

/** Both `(activity:1,2)` (logged-in) and `(urn:li:ugcPost:1,2)` (guest) forms, normalised. */
function parseCommentUrn(raw: string | null | undefined): CommentUrn | null {
  const m = /urn:li:comment:\((?:urn:li:)?(activity|ugcPost|share):(\d+),(\d+)\)/.exec(raw ?? '');
  if (!m) return null;
  return { urn: `urn:li:comment:(urn:li:${m[1]}:${m[2]},${m[3]})`, parentType: m[1], parentId: m[2], id: m[3] };
}

/** LinkedIn's own comment link: the post's update page with the comment's URN in `commentUrn`. */
function commentPermalink(c: CommentUrn): string {
  const short = `urn:li:comment:(${c.parentType}:${c.parentId},${c.id})`;
  const enc = encodeURIComponent(short).replace(/\(/g, '%28').replace(/\)/g, '%29');
  return `${ORIGIN}/feed/update/urn:li:${c.parentType}:${c.parentId}/?commentUrn=${enc}`;
}

function updateUrl(urn: string): string {
  return `${ORIGIN}/feed/update/${urn}/`;
}

function idOf(urn: string | null | undefined): string | null {
  return ACTIVITY_URN.exec(urn ?? '')?.[2] ?? null;
}

/** First text shown inside a time element ("1w"), leaving out "· Edited" and hidden copies. */
function shownTimeText(el: Element | null): string | null {
  if (!el) return null;
  for (const n of Array.from(el.childNodes)) {
    if (n.nodeType === 3) {
      const t = cleanText(n.nodeValue);
      if (t) return t;
    }
  }
  const visible = el.querySelector('[aria-hidden="true"]');
  const t = cleanText(visible?.textContent ?? visibleText(el));
  // Logged-in feed: "3d • Edited • 🌐" → "3d"
  return t ? (t.split(/\s*[•·]\s*/)[0] || null) : null;
}

function relative(shown: string | null, ctx: ExtractContext): ResolvedTime {
  return firstTime(fromRelativeText(shown, ctx.capturedAt), textOnly(shown));
}

/** id-decoded time shown with the page's own text when there is one. */
function byId(id: string | null, shown: string | null): ResolvedTime {
  if (!id) return textOnly(null);
  const t = fromId(decodeLinkedInId(id), id);
  return t.iso && shown ? { ...t, text: shown } : t;
}

function setTime(item: Item, t: ResolvedTime): void {
  item.posted_at = t.iso;
  item.posted_at_text = t.text;
  item.posted_at_source = t.source;
}

function flat(s: string | null | undefined): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

/** Guest pages lazy-load images: the address is in data-delayed-url until they scroll into view. */
function imgSrc(img: Element): string | null {
  return absUrl(img.getAttribute('src'), ORIGIN) ?? absUrl(img.getAttribute('data-delayed-url'), ORIGIN);
}

function isStaticAsset(url: string): boolean {
  return /static\.licdn\.com\/aero|\/sc\/h\/|data:image/.test(url);
}

// ---------------------------------------------------------------------------
// media

function mediaOf(root: Element, exclude: (e: Element) => boolean): MediaRef[] {
  const out: MediaRef[] = [];
  const seen = new Set<string>();
  const push = (m: MediaRef): void => {
    const key = `${m.kind}:${m.url ?? m.poster ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(m);
  };
  for (const e of Array.from(root.querySelectorAll(`img, video, [data-sources], ${SEL.documentFrame}`))) {
    if (exclude(e)) continue;
    const tag = e.tagName.toUpperCase();
    if (tag === 'IFRAME') {
      let cfg: unknown;
      try {
        cfg = JSON.parse(e.getAttribute('data-native-document-config') ?? '');
      } catch {
        cfg = undefined;
      }
      const url = str(at(cfg, 'doc', 'url')) ?? str(at(cfg, 'doc', 'manifestUrl'));
      const title = str(at(cfg, 'doc', 'title'));
      const pages = str(at(cfg, 'doc', 'totalPageCount'));
      push({
        kind: 'file',
        url,
        alt: title ? (pages ? `${title} (${pages} pages)` : title) : null,
        poster: str(at(cfg, 'doc', 'coverPages', 0, 'config', 'src')),
        why_missing: url ? null : 'the document viewer gave no file address',
      });
      continue;
    }
    if (tag === 'VIDEO' || e.hasAttribute('data-sources')) {
      // Guest pages keep the MP4 list in data-sources and the poster in data-poster-url.
      const holder = tag === 'VIDEO' ? e : e.querySelector('video') ?? e;
      let src: string | null = null;
      try {
        const list = JSON.parse(holder.getAttribute('data-sources') ?? e.getAttribute('data-sources') ?? '[]') as unknown;
        src = Array.isArray(list) ? str(at(list, 0, 'src')) : null;
      } catch {
        src = null;
      }
      const raw = src ?? holder.getAttribute('src');
      const url = raw && !raw.startsWith('blob:') ? absUrl(raw, ORIGIN) : null;
      const poster = absUrl(holder.getAttribute('data-poster-url') ?? holder.getAttribute('poster') ?? e.getAttribute('data-poster-url'), ORIGIN);
      if (tag !== 'VIDEO' && e.querySelector('video')) continue; // the inner <video> reports it
      push({ kind: 'video', url, poster, why_missing: url ? null : 'streamed video; only the poster frame is available' });
      continue;
    }
    const url = imgSrc(e);
    if (!url || isStaticAsset(url)) continue;
    const alt = e.getAttribute('alt');
    push({ kind: 'image', url, alt: alt && alt !== 'No alternative text description for this image' ? alt : null });
  }
  return out;
}

// ---------------------------------------------------------------------------
// JSON-LD about posts

function postLd(doc: Document, ids: (string | null)[]): Record<string, unknown> | null {
  const wanted = ids.filter((x): x is string => !!x);
  if (!wanted.length) return null;
  for (const o of readJsonLd(doc)) {
    if (!ldTypes(o).some((t) => /SocialMediaPosting|DiscussionForumPosting/.test(t))) continue;
    const where = [o['@id'], o['url'], o['mainEntityOfPage']].map((x) => str(x) ?? '').join(' ');
    if (wanted.some((id) => where.includes(id))) return o;
  }
  return null;
}

function ldCommentFor(post: Record<string, unknown> | null, author: string | null, text: string | null): Record<string, unknown> | null {
  const list = post && Array.isArray(post['comment']) ? (post['comment'] as unknown[]) : [];
  const a = flat(author);
  const t = flat(text);
  for (const c of list) {
    if (!c || typeof c !== 'object') continue;
    if (flat(str(at(c, 'author', 'name'))) === a && flat(str(at(c, 'text'))) === t) return c as Record<string, unknown>;
  }
  return null;
}

// ---------------------------------------------------------------------------
// guest post cards and their comments

function guestActor(card: Element): { account: Account; shown: Element | null } {
  const lockup = card.querySelector(SEL.guestLockup) ?? card;
  const link = lockup.querySelector(SEL.guestActorName) ?? lockup.querySelector(SEL.guestActorImage);
  const name = oneLine(visibleText(lockup.querySelector(SEL.guestActorName)));
  return { account: accountFrom(profileRef(link?.getAttribute('href')), name), shown: lockup.querySelector('time') };
}

function isGuestChrome(e: Element, card: Element): boolean {
  return (
    e.closest(`${SEL.guestLockup}, ${SEL.guestComment}, ${SEL.reactionIcon}, ${SEL.guestActorImage}, .social-action-bar, .main-feed-activity-card__social-actions`) !== null ||
    (e.closest('a') !== null && /actor-image|reaction-header/.test(e.closest('a')?.getAttribute('data-tracking-control-name') ?? '')) ||
    e.closest(SEL.guestCard) !== card
  );
}

function extractGuestPost(card: Element, ctx: ExtractContext): Extraction {
  const doc = card.ownerDocument;
  const warnings: Warning[] = [];
  const item = emptyItem();
  const activity = card.getAttribute('data-activity-urn');
  const featured = card.getAttribute('data-featured-activity-urn');
  const attributed = card.getAttribute('data-attributed-urn');
  const activityId = idOf(activity);
  const { account: actor, shown } = guestActor(card);
  const shownText = shownTimeText(shown);
  const edited = /edited/i.test(shown?.textContent ?? '');
  const commentary = card.querySelector(SEL.guestCommentary);
  const ld = postLd(doc, [activityId, idOf(featured), idOf(attributed)]);
  const text = str(ld?.['articleBody'])?.trim() ?? preText(commentary);
  const media = mediaOf(card, (e) => isGuestChrome(e, card));
  const header = card.querySelector(SEL.guestReactionHeader);
  const isRepost = !!header || (featured !== null && activity !== null && featured !== activity);

  item.platform_item_id = activityId ? `urn:li:activity:${activityId}` : null;
  item.thread_id = item.platform_item_id;
  const canonical = doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? readMeta(doc)['og:url'] ?? '';
  item.url =
    activityId && !isRepost && canonical.includes(`activity-${activityId}`)
      ? (absUrl(canonical.split('?')[0], ORIGIN) ?? updateUrl(`urn:li:activity:${activityId}`))
      : activityId
        ? updateUrl(`urn:li:activity:${activityId}`)
        : null;
  if (activityId) item.id_time = decodeLinkedInId(activityId);
  item.media = media;
  const metrics: Record<string, string> = {};
  const reactions = oneLine(card.querySelector(SEL.reactionCount)?.textContent);
  if (reactions) metrics.reactions = reactions;
  const comments = oneLine(card.querySelector(SEL.commentCount)?.textContent);
  if (comments) metrics.comments = comments;
  if (Object.keys(metrics).length) item.metrics = metrics;

  let account: Account = actor;
  if (isRepost) {
    // The card is someone else's post that this account shared; the sharer is responsible for
    // the repost, the original stays in `quoted`.
    const reposter = header ? accountFrom(profileRef(header.getAttribute('href')), oneLine(visibleText(header))) : emptyAccount();
    account = reposter;
    const originalUrn = featured && featured !== activity ? featured : attributed;
    item.quoted = {
      platform_item_id: originalUrn ? (ACTIVITY_URN.exec(originalUrn)?.[0] ?? originalUrn) : null,
      url: originalUrn && ACTIVITY_URN.test(originalUrn) ? updateUrl(ACTIVITY_URN.exec(originalUrn)![0]) : null,
      account: actor,
      text,
    };
    item.text = null;
    setTime(item, byId(activityId, null));
    warnings.push(
      warning(
        'repost',
        `This card is a repost by ${reposter.display_name ?? 'another account'} of a post by ${actor.display_name ?? 'another account'}${shownText ? ` (shown as posted ${shownText} ago)` : ''}; the original is recorded under "quoted", the repost time comes from the repost's id.`,
      ),
    );
  } else {
    item.text = text;
    setTime(item, firstTime(fromJson(str(ld?.['datePublished']), shownText), byId(activityId, shownText), relative(shownText, ctx)));
  }
  if (edited)
    warnings.push(
      warning('edited', `LinkedIn marks ${isRepost ? 'the original post' : 'this post'} as edited; the text captured is the edited version.`),
    );
  return makeExtraction(linkedinAdapter, 'post', account, item, warnings);
}

function extractGuestComment(section: Element, ctx: ExtractContext): Extraction {
  const doc = section.ownerDocument;
  const warnings: Warning[] = [];
  const item = emptyItem();
  const cu = parseCommentUrn(section.querySelector(SEL.commentUrnHolder)?.getAttribute('data-semaphore-content-urn'));
  const authorEl = pick(section, SEL.guestCommentAuthor);
  const link = authorEl ?? section.querySelector(SEL.guestCommentImage);
  const name = oneLine(visibleText(authorEl));
  const account = accountFrom(profileRef(link?.getAttribute('href')), name);
  const textEl = section.querySelector(SEL.guestCommentText);
  const domText = preText(textEl);
  const card = section.closest(SEL.guestCard);
  const postUrn = card?.getAttribute('data-activity-urn') ?? null;
  const ld = postLd(doc, [idOf(postUrn), cu?.parentId ?? null, idOf(card?.getAttribute('data-attributed-urn'))]);
  const ldc = ldCommentFor(ld, name, domText);
  const shown = oneLine(section.querySelector(SEL.guestCommentTime)?.textContent);

  item.platform_item_id = cu?.urn ?? null;
  item.url = cu ? commentPermalink(cu) : null;
  item.thread_id = postUrn ?? (cu ? `urn:li:${cu.parentType}:${cu.parentId}` : null);
  const parentComment = section.parentElement?.closest(SEL.guestComment);
  const parentUrn = parentComment ? parseCommentUrn(parentComment.querySelector(SEL.commentUrnHolder)?.getAttribute('data-semaphore-content-urn')) : null;
  item.in_reply_to = parentUrn?.urn ?? item.thread_id;
  item.text = str(at(ldc, 'text'))?.trim() ?? domText;
  if (cu) item.id_time = decodeLinkedInId(cu.id);
  setTime(item, firstTime(fromJson(str(at(ldc, 'datePublished')) ?? str(at(ldc, 'dateCreated')), shown), byId(cu?.id ?? null, shown), relative(shown, ctx)));
  item.media = textEl ? mediaOf(section, (e) => e.closest(SEL.guestCommentImage) !== null || e.closest('a[data-tracking-control-name$="comment_actor-image"]') !== null) : [];
  const reactions = oneLine(section.querySelector(SEL.guestCommentReactions)?.textContent);
  if (reactions) item.metrics = { reactions };
  return makeExtraction(linkedinAdapter, 'comment', account, item, warnings);
}

// ---------------------------------------------------------------------------
// profile pages: "Activity" cards, top card, not-found page

function authorFromPostUrl(href: string | null): string | null {
  const m = /\/posts\/([^/?#]+?)_[^/?#]*-activity-\d+/.exec(href ?? '');
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

function extractActivityCard(li: Element): Extraction {
  const warnings: Warning[] = [];
  const item = emptyItem();
  const link = li.querySelector(SEL.activityCardLink);
  const href = link?.getAttribute('href') ?? null;
  const id = /activity[-:](\d{10,})/.exec(href ?? '')?.[1] ?? null;
  const slug = authorFromPostUrl(href);
  // "Shared by <owner>" cards link the author; "Liked by <owner>" cards only name the author
  // in the post address (/posts/<vanity>_…), which may be a person or a company.
  const byLink = pick(li, SEL.activityCardSubtitle)?.querySelector('a[href]') ?? null;
  const byRef = profileRef(byLink?.getAttribute('href'));
  const account = byRef && slug && byRef.slug === slug ? accountFrom(byRef, oneLine(visibleText(byLink))) : emptyAccount();
  if (!account.handle) account.handle = slug;
  item.platform_item_id = id ? `urn:li:activity:${id}` : null;
  item.thread_id = item.platform_item_id;
  item.url = href ? (absUrl(href.split('?')[0], ORIGIN) ?? null) : null;
  if (id) item.id_time = decodeLinkedInId(id);
  setTime(item, byId(id, null));
  item.text = oneLine(visibleText(pick(li, SEL.activityCardTitle)));
  item.media = mediaOf(li, () => false);
  const subtitle = oneLine(visibleText(pick(li, SEL.activityCardSubtitle)));
  const owner = oneLine(visibleText(li.ownerDocument.querySelector(SEL.topCardName[0]) ?? null));
  warnings.push(
    warning(
      'profile-activity',
      `This card is from the "Activity" list of ${owner ?? 'the profile'}${subtitle ? ` ("${subtitle}")` : ''}. It shows only the start of the post and its author's public name from the address; open the post to capture it in full.`,
    ),
  );
  return makeExtraction(linkedinAdapter, 'post', account, item, warnings);
}

function pageRef(doc: Document, url: URL): ProfileRef | null {
  return (
    profileRef(url.href) ??
    profileRef(doc.querySelector('link[rel="canonical"]')?.getAttribute('href'), url) ??
    profileRef(readMeta(doc)['og:url'], url)
  );
}

function extractProfile(doc: Document, card: Element | null, ctx: ExtractContext): Extraction {
  const warnings: Warning[] = [];
  const item = emptyItem();
  const ref = pageRef(doc, ctx.url);
  const lds = readJsonLd(doc);
  const person = lds.find((o) => ldTypes(o).includes('Person') && (!ref || flat(str(o['url'])).includes(`/${ref.type}/`))) ?? null;
  const org = lds.find((o) => ldTypes(o).includes('Organization') && !!str(o['url']) && (!ref || flat(str(o['url'])).includes(`/${ref.slug}`))) ?? null;
  const entity = ref?.type === 'in' ? person : org ?? person;
  const name =
    oneLine(visibleText(card ? pick(card, SEL.topCardName) : null)) ??
    str(entity?.['name']) ??
    // logged-in profile pages have neither the guest card nor JSON-LD; the name is the page's h1
    (doc.querySelector(SEL.notFound) ? null : oneLine(visibleText(doc.querySelector(SEL.loggedInName))));
  const account = accountFrom(ref, name);
  const orgUrn = doc.querySelector(SEL.orgUrn)?.getAttribute('data-semaphore-content-urn') ?? null;
  if (!account.platform_account_id && orgUrn && ref?.type !== 'in') account.platform_account_id = orgUrn;

  item.platform_item_id = account.platform_account_id;
  item.url = account.profile_url;
  item.title = oneLine(visibleText(card ? pick(card, SEL.topCardHeadline) : null)) ?? (Array.isArray(entity?.['jobTitle']) ? str((entity?.['jobTitle'] as unknown[])[0]) : str(entity?.['jobTitle']));
  // JSON-LD keeps the author's line breaks (as <br> for people); the DOM copy folds them.
  const ldAbout = str(entity?.['description'])?.replace(/<br\s*\/?>/gi, '\n').trim() ?? null;
  item.text = ldAbout || visibleText(pick(doc, SEL.summary));

  const media: MediaRef[] = [];
  const photo = card?.querySelector(SEL.topCardImage);
  const photoUrl = (photo ? imgSrc(photo) : null) ?? str(at(entity, 'image', 'contentUrl')) ?? str(at(entity, 'logo', 'contentUrl'));
  if (photoUrl && !isStaticAsset(photoUrl)) media.push({ kind: 'image', url: photoUrl, alt: ref?.type === 'in' ? 'profile photo' : 'logo' });
  const cover = card?.querySelector(SEL.coverImage);
  const coverUrl = cover ? imgSrc(cover) : null;
  if (coverUrl && !isStaticAsset(coverUrl)) media.push({ kind: 'image', url: coverUrl, alt: 'cover image' });
  item.media = media;

  const metrics: Record<string, string> = {};
  if (card) {
    for (const e of Array.from(card.querySelectorAll('span, h3, h4, div, p'))) {
      for (const n of Array.from(e.childNodes)) {
        if (n.nodeType !== 3) continue;
        const t = oneLine(n.nodeValue);
        const m = t ? /^([\d.,]+\+?)\s+(followers|connections|employees)$/i.exec(t) : null;
        if (m && !(m[2].toLowerCase() in metrics)) metrics[m[2].toLowerCase()] = t!;
      }
    }
  }
  const follows = at(entity, 'interactionStatistic', 'userInteractionCount');
  if (!metrics.followers && str(follows)) metrics.followers = str(follows)!;
  if (Object.keys(metrics).length) item.metrics = metrics;

  const notFound = doc.querySelector(SEL.notFound);
  if (notFound) {
    warnings.push(
      warning(
        'profile-not-found',
        `LinkedIn showed "Profile Not Found" to this viewer ("${oneLine(visibleText(notFound.querySelector('h1') ?? notFound))}"): the profile may be private, visible to signed-in members only, renamed or removed.`,
      ),
    );
    if (!account.handle && !account.platform_account_id) {
      const strong = oneLine(notFound.querySelector('strong')?.textContent);
      if (strong) account.handle = strong;
    }
  } else if (!card && !entity) {
    warnings.push(warning('profile-data-missing', 'The page carried no profile card or profile data; only its address was recorded.'));
  }
  return makeExtraction(linkedinAdapter, 'profile', account, item, warnings);
}

// ---------------------------------------------------------------------------
// logged-in feed

function feedUrn(el: Element): string | null {
  for (const v of [el.getAttribute('data-urn'), el.getAttribute('data-id')]) {
    const m = ACTIVITY_URN.exec(v ?? '');
    if (m) return m[0];
  }
  const inner = el.querySelector('[data-urn*="urn:li:activity:"], [data-id*="urn:li:activity:"]');
  const m = ACTIVITY_URN.exec(inner?.getAttribute('data-urn') ?? inner?.getAttribute('data-id') ?? '');
  if (m) return m[0];
  const link = el.querySelector('a[href*="/feed/update/urn:li:activity:"]');
  return ACTIVITY_URN.exec(decodeURIComponent(link?.getAttribute('href') ?? ''))?.[0] ?? null;
}

/**
 * A name as seen: the logged-in feed renders it twice, an aria-hidden copy on screen and a
 * visually-hidden copy for screen readers; take the on-screen one.
 */
function shownName(el: Element | null): string | null {
  if (!el) return null;
  const onScreen = el.querySelector('[aria-hidden="true"]');
  return oneLine(onScreen ? onScreen.textContent : visibleText(el));
}

function feedActor(scope: Element): Account {
  const actor = scope.querySelector(SEL.actor) ?? scope;
  const link = pick(actor, SEL.actorLink);
  const title = actor.querySelector(SEL.actorTitle);
  return accountFrom(profileRef(link?.getAttribute('href')), shownName(title));
}

function extractFeedPost(el: Element, ctx: ExtractContext): Extraction {
  const warnings: Warning[] = [];
  const item = emptyItem();
  const urn = feedUrn(el);
  const id = idOf(urn);
  const quotedWrap = el.querySelector(SEL.feedQuoted);
  const comments = el.querySelector(SEL.feedComments);
  const own = (e: Element): boolean => !(quotedWrap?.contains(e) ?? false) && !(comments?.contains(e) ?? false) && e.closest(SEL.feedComment) === null;
  const actorScope = Array.from(el.querySelectorAll(SEL.actor)).find(own) ?? el;
  const account = feedActor(actorScope.parentElement ?? el);
  const sub = Array.from(el.querySelectorAll(SEL.actorSub)).find(own) ?? null;
  const shown = shownTimeText(sub);
  const commentary = SEL.feedCommentary.map((s) => Array.from(el.querySelectorAll(s)).find(own)).find((x) => x) ?? null;

  item.platform_item_id = urn && urn.startsWith('urn:li:activity:') ? urn : id ? `urn:li:activity:${id}` : null;
  item.thread_id = item.platform_item_id;
  item.url = item.platform_item_id ? updateUrl(item.platform_item_id) : null;
  if (id) item.id_time = decodeLinkedInId(id);
  setTime(item, firstTime(byId(id, shown), relative(shown, ctx)));
  item.text = visibleText(commentary);
  item.media = mediaOf(el, (e) => !own(e) || e.closest(`${SEL.actor}, .reactions-icon, .social-details-social-counts, button`) !== null || /profile-displayphoto|avm-avatar|company-logo/.test(e.getAttribute('src') ?? ''));
  if (quotedWrap) {
    const qLink = quotedWrap.querySelector(SEL.feedQuotedLink);
    const qUrn = ACTIVITY_URN.exec(decodeURIComponent(qLink?.getAttribute('href') ?? ''))?.[0] ?? null;
    const qText = SEL.feedCommentary.map((s) => quotedWrap.querySelector(s)).find((x) => x) ?? null;
    item.quoted = { platform_item_id: qUrn, url: qUrn ? updateUrl(qUrn) : null, account: feedActor(quotedWrap), text: visibleText(qText) };
  }
  const header = Array.from(el.querySelectorAll(SEL.feedHeader)).find(own);
  const headerText = oneLine(visibleText(header));
  if (headerText)
    warnings.push(warning('feed-context', `LinkedIn shows this post under the line "${headerText}"; the account recorded is the post's author.`));
  if (/edited/i.test(sub?.textContent ?? '')) warnings.push(warning('edited', 'LinkedIn marks this post as edited; the text captured is the edited version.'));
  return makeExtraction(linkedinAdapter, 'post', account, item, warnings);
}

function extractFeedComment(el: Element, ctx: ExtractContext): Extraction {
  const warnings: Warning[] = [];
  const item = emptyItem();
  const cu = parseCommentUrn(el.getAttribute('data-id') ?? el.querySelector('[data-id^="urn:li:comment:"]')?.getAttribute('data-id'));
  const own = (e: Element): boolean => e.parentElement?.closest(SEL.feedComment) === el || e.closest(SEL.feedComment) === el;
  const nameEl = SEL.feedCommentAuthor.map((s) => Array.from(el.querySelectorAll(s)).find(own)).find((x) => x) ?? null;
  const link = SEL.feedCommentLink.map((s) => Array.from(el.querySelectorAll(s)).find(own)).find((x) => x) ?? null;
  const account = accountFrom(profileRef(link?.getAttribute('href')), shownName(nameEl));
  const timeEl = SEL.feedCommentTime.map((s) => Array.from(el.querySelectorAll(s)).find(own)).find((x) => x) ?? null;
  const shown = shownTimeText(timeEl);
  const textEl = SEL.feedCommentText.map((s) => Array.from(el.querySelectorAll(s)).find(own)).find((x) => x) ?? null;

  item.platform_item_id = cu?.urn ?? null;
  item.url = cu ? commentPermalink(cu) : null;
  const post = el.closest(SEL.feedUpdate);
  item.thread_id = (post ? feedUrn(post) : null) ?? (cu ? `urn:li:${cu.parentType}:${cu.parentId}` : null);
  const parent = el.parentElement?.closest(SEL.feedComment);
  item.in_reply_to = parseCommentUrn(parent?.getAttribute('data-id'))?.urn ?? item.thread_id;
  if (cu) item.id_time = decodeLinkedInId(cu.id);
  setTime(item, firstTime(byId(cu?.id ?? null, shown), relative(shown, ctx)));
  item.text = visibleText(textEl);
  item.media = mediaOf(el, (e) => !own(e) || e.closest('a[href*="/in/"], a[href*="/company/"], .comments-comment-meta, .comments-post-meta, button') !== null);
  if (/edited/i.test(el.querySelector('.comments-comment-meta__data, .comments-comment-item__timestamp')?.parentElement?.textContent ?? ''))
    warnings.push(warning('edited', 'LinkedIn marks this comment as edited; the text captured is the edited version.'));
  return makeExtraction(linkedinAdapter, 'comment', account, item, warnings);
}

// ---------------------------------------------------------------------------
// messaging

interface MsgUrnInfo {
  /** Mailbox owner's profile id inside the URN (the logged-in member, not the sender). */
  owner: string | null;
  sentMs: number | null;
  threadId: string | null;
}

function b64decode(s: string): string | null {
  try {
    return typeof atob === 'function' ? atob(s) : null;
  } catch {
    return null;
  }
}

function b64encode(s: string): string | null {
  try {
    return typeof btoa === 'function' ? btoa(s) : null;
  } catch {
    return null;
  }
}

/**
 * `urn:li:msg_message:(urn:li:fsd_profile:<owner>,2-<base64>)`: the base64 part decodes to
 * `<ms since epoch>b<…>&<thread uuid>_<n>`, and `2-<base64 of "<thread uuid>_<n>">` is the
 * thread id used in /messaging/thread/ URLs. This layout is observed, not documented, so
 * each part is used only when it has the expected shape.
 */
function parseMsgUrn(urn: string | null): MsgUrnInfo {
  const m = /^urn:li:msg_message:\(urn:li:fsd_profile:([\w-]+),2-([A-Za-z0-9+/=_-]+)\)$/.exec(urn ?? '');
  if (!m) return { owner: null, sentMs: null, threadId: null };
  const decoded = b64decode(m[2].replace(/-/g, '+').replace(/_/g, '/')) ?? '';
  const ms = /^(\d{13})b/.exec(decoded)?.[1];
  const thread = /&([0-9a-f-]{36}_\d+)$/i.exec(decoded)?.[1] ?? null;
  const enc = thread ? b64encode(thread) : null;
  return { owner: m[1], sentMs: ms ? Number(ms) : null, threadId: enc ? `2-${enc}` : null };
}

interface ParsedMessage {
  el: Element;
  message: Message;
  threadId: string | null;
}

function conversationFor(list: Element): Element {
  return list.closest('.msg-convo-wrapper') ?? list.closest(SEL.convo) ?? list;
}

function readMessages(convo: Element): ParsedMessage[] {
  const out: ParsedMessage[] = [];
  const list = convo.matches(SEL.msgList) ? convo : convo.querySelector(SEL.msgList);
  if (!list) return out;
  let day: string | null = null;
  let groupName: string | null = null;
  let groupLink: Element | null = null;
  let groupTime: string | null = null;
  let seenRow: Element | null = null;
  for (const ev of Array.from(list.querySelectorAll(SEL.msgEvent))) {
    const row = ev.closest(SEL.msgEventRow) ?? ev;
    if (row !== seenRow) {
      seenRow = row;
      const heading = oneLine(row.querySelector(SEL.msgDayHeading)?.textContent);
      if (heading) day = heading;
    }
    const meta = ev.querySelector(SEL.msgGroupMeta);
    if (meta) {
      groupName = oneLine(visibleText(meta.querySelector(SEL.msgGroupName)));
      groupLink = pick(ev, SEL.msgSenderLink);
      groupTime = oneLine(meta.querySelector(SEL.msgGroupTime)?.textContent);
    }
    const urn = ev.getAttribute('data-event-urn');
    const info = parseMsgUrn(urn);
    const incoming = ev.classList.contains('msg-s-event-listitem--other');
    const sender = accountFrom(profileRef(groupLink?.getAttribute('href')), groupName);
    const outgoing = incoming ? false : sender.platform_account_id && info.owner ? sender.platform_account_id === info.owner : true;
    const shown = [day, groupTime].filter(Boolean).join(' ') || null;
    const t: ResolvedTime = info.sentMs !== null ? { iso: new Date(info.sentMs).toISOString(), text: shown ?? urn ?? null, source: 'id-decoded' } : textOnly(shown);
    const body = ev.querySelector(SEL.msgBody);
    const bubble = ev.querySelector(SEL.msgBubble) ?? ev;
    const media = mediaOf(bubble, (e) => e.closest(SEL.msgAvatar) !== null || e.closest(SEL.msgReactions) !== null);
    for (const a of Array.from(bubble.querySelectorAll(SEL.msgAttachmentLink))) {
      const url = absUrl(a.getAttribute('href'), ORIGIN);
      if (url && !media.some((m) => m.url === url)) media.push({ kind: 'file', url, alt: oneLine(visibleText(a)) });
    }
    out.push({
      el: ev,
      threadId: info.threadId,
      message: {
        id: urn,
        sender: sender.display_name || sender.profile_url ? sender : null,
        outgoing,
        sent_at: t.iso,
        sent_at_text: t.text,
        sent_at_source: t.source,
        text: visibleText(body),
        media,
      },
    });
  }
  return out;
}

function threadIdFor(ctx: ExtractContext, msgs: ParsedMessage[]): string | null {
  const fromUrl = /\/messaging\/thread\/([^/?#]+)/.exec(ctx.url.pathname)?.[1];
  if (fromUrl) {
    try {
      return decodeURIComponent(fromUrl);
    } catch {
      return fromUrl;
    }
  }
  return msgs.find((m) => m.threadId)?.threadId ?? null;
}

function threadUrl(id: string | null): string | null {
  return id ? `${ORIGIN}/messaging/thread/${id}/` : null;
}

function extractConversation(convo: Element, ctx: ExtractContext): Extraction {
  const warnings: Warning[] = [];
  const item = emptyItem();
  const msgs = readMessages(convo);
  const titleEl = pick(convo, SEL.convoTitle);
  const title = oneLine(visibleText(titleEl));
  const titleLink = pick(convo, SEL.convoTitleLink);
  const other = msgs.find((m) => m.message.outgoing === false)?.message.sender ?? null;
  const fromTitle = accountFrom(profileRef(titleLink?.getAttribute('href')), title);
  const account: Account | null = fromTitle.display_name || fromTitle.profile_url ? fromTitle : other;
  const threadId = threadIdFor(ctx, msgs);
  item.platform_item_id = threadId;
  item.thread_id = threadId;
  item.url = threadUrl(threadId);
  item.title = title;
  const first = msgs.find((m) => m.message.sent_at) ?? msgs[0];
  if (first) {
    item.posted_at = first.message.sent_at;
    item.posted_at_text = first.message.sent_at_text;
    item.posted_at_source = first.message.sent_at_source;
  }
  item.media = msgs.flatMap((m) => m.message.media);
  if (!msgs.length) warnings.push(warning('no-messages', 'No messages were loaded in this conversation.'));
  else
    warnings.push(
      warning('messages-loaded-only', `${msgs.length} message(s) were on screen. LinkedIn loads older messages only when scrolled to; scroll up first to capture more.`),
    );
  return makeExtraction(
    linkedinAdapter,
    'conversation',
    account,
    item,
    warnings,
    msgs.map((m) => m.message),
  );
}

function extractMessage(ev: Element, ctx: ExtractContext): Extraction {
  const warnings: Warning[] = [];
  const item = emptyItem();
  const list = ev.closest(SEL.msgList);
  const convo = list ? conversationFor(list) : ev;
  const msgs = readMessages(convo);
  const mine = msgs.find((m) => m.el === ev);
  const threadId = threadIdFor(ctx, msgs);
  const msg = mine?.message ?? null;
  item.platform_item_id = msg?.id ?? null;
  item.thread_id = threadId;
  item.url = threadUrl(threadId);
  item.posted_at = msg?.sent_at ?? null;
  item.posted_at_text = msg?.sent_at_text ?? null;
  item.posted_at_source = msg?.sent_at_source ?? null;
  if (msg?.sent_at_source === 'id-decoded') item.id_time = msg.sent_at;
  item.text = msg?.text ?? null;
  item.media = msg?.media ?? [];
  warnings.push(warning('permalink-thread', "LinkedIn messages have no address of their own; the conversation's address is recorded."));
  return makeExtraction(linkedinAdapter, 'message', msg?.sender ?? null, item, warnings, msg ? [msg] : undefined);
}

// ---------------------------------------------------------------------------
// classification

function classify(el: Element): Kind | null {
  if (el.matches(SEL.msgEvent)) return 'message';
  if (el.matches(SEL.convo) || el.matches(SEL.msgList)) {
    const list = el.matches(SEL.msgList) ? el : el.querySelector(SEL.msgList);
    return list && conversationFor(list) === el ? 'conversation' : null;
  }
  if (el.matches(SEL.guestCard)) return 'guest-post';
  if (el.matches(SEL.guestComment) && (el.querySelector(SEL.commentUrnHolder) || el.querySelector(SEL.guestCommentText))) return 'guest-comment';
  if (el.matches(SEL.activityCard) && el.querySelector(SEL.activityCardLink)) return 'activity-card';
  if (el.matches(SEL.topCard)) return 'profile';
  if (el.matches(SEL.feedComment)) {
    // An inner node repeating its article's comment URN is the same comment.
    const outer = el.parentElement?.closest(SEL.feedComment);
    const id = el.getAttribute('data-id');
    return outer && id && outer.getAttribute('data-id') === id ? null : 'feed-comment';
  }
  if (el.matches(SEL.feedUpdate)) {
    const outer = el.parentElement?.closest(SEL.feedUpdate);
    return outer ? null : 'feed-post';
  }
  return null;
}

const KIND_MAP: Record<Kind, ItemKind> = {
  conversation: 'conversation',
  message: 'message',
  'guest-post': 'post',
  'guest-comment': 'comment',
  'activity-card': 'post',
  profile: 'profile',
  'feed-post': 'post',
  'feed-comment': 'comment',
};

function itemFor(marker: Element): Element | null {
  if (marker.matches(SEL.msgList)) return conversationFor(marker);
  return classify(marker) ? marker : null;
}

function runExtract(el: Element, ctx: ExtractContext): Extraction {
  switch (classify(el)) {
    case 'conversation':
      return extractConversation(el, ctx);
    case 'message':
      return extractMessage(el, ctx);
    case 'guest-post':
      return extractGuestPost(el, ctx);
    case 'guest-comment':
      return extractGuestComment(el, ctx);
    case 'activity-card':
      return extractActivityCard(el);
    case 'profile':
      return extractProfile(el.ownerDocument, el, ctx);
    case 'feed-post':
      return extractFeedPost(el, ctx);
    case 'feed-comment':
      return extractFeedComment(el, ctx);
    default:
      return makeExtraction(linkedinAdapter, 'element', null, emptyItem(), [
        warning('not-an-item', 'This element is not a LinkedIn post, comment, message, conversation or profile card.'),
      ]);
  }
}

function isProfilePath(url: URL): boolean {
  return /^\/(?:public-profile\/)?(in|company|school|showcase)\/[^/]+/.test(url.pathname);
}

export const linkedinAdapter: PlatformAdapter = {
  id: 'linkedin',
  version: '1.0.0',
  label: 'LinkedIn',

  matchesUrl(url: URL): boolean {
    return isLinkedInHost(url.hostname);
  },

  findItems(doc: Document): Element[] {
    const out: Element[] = [];
    const seen = new Set<Element>();
    for (const marker of Array.from(doc.querySelectorAll(ITEM_QUERY))) {
      const el = itemFor(marker);
      if (!el || seen.has(el)) continue;
      seen.add(el);
      out.push(el);
    }
    return out.sort((a, b) => (a === b ? 0 : a.compareDocumentPosition(b) & 4 ? -1 : 1));
  },

  enclosingItem(el: Element): Element | null {
    for (let cur: Element | null = el; cur; cur = cur.parentElement) if (classify(cur)) return cur;
    return null;
  },

  kindOf(el: Element): ItemKind {
    const k = classify(el);
    return k ? KIND_MAP[k] : 'element';
  },

  extract(el: Element, ctx: ExtractContext): Extraction {
    try {
      return runExtract(el, ctx);
    } catch (e) {
      const k = classify(el);
      return makeExtraction(linkedinAdapter, k ? KIND_MAP[k] : 'element', null, emptyItem(), [
        warning('adapter-error', `The LinkedIn adapter could not read this item (${e instanceof Error ? e.message : String(e)}).`),
      ]);
    }
  },

  extractPage(doc: Document, ctx: ExtractContext): Extraction | null {
    try {
      if (isProfilePath(ctx.url) || doc.querySelector(SEL.notFound)) {
        const card = doc.querySelector(SEL.topCard);
        return extractProfile(doc, card, ctx);
      }
      // A post page served without its card (bots, previews): the JSON-LD is the post.
      if (!doc.querySelector(`${SEL.guestCard}, ${SEL.feedUpdate}, ${SEL.msgList}`)) {
        const id = /activity[-:](\d{10,})/.exec(ctx.url.pathname)?.[1] ?? null;
        const ld = postLd(doc, [id]);
        if (!ld || !id) return null;
        const item = emptyItem();
        item.platform_item_id = `urn:li:activity:${id}`;
        item.thread_id = item.platform_item_id;
        item.url = absUrl(str(ld['@id']) ?? ctx.url.href, ORIGIN);
        item.text = str(ld['articleBody'])?.trim() ?? null;
        item.id_time = decodeLinkedInId(id);
        setTime(item, firstTime(fromJson(str(ld['datePublished'])), byId(id, null)));
        const account = accountFrom(profileRef(str(at(ld, 'author', 'url'))), str(at(ld, 'author', 'name')));
        return makeExtraction(linkedinAdapter, 'post', account, item);
      }
      return null;
    } catch (e) {
      return makeExtraction(linkedinAdapter, 'page', null, emptyItem(), [
        warning('adapter-error', `The LinkedIn adapter could not read this page (${e instanceof Error ? e.message : String(e)}).`),
      ]);
    }
  },
};

export default linkedinAdapter;
