import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { Account, Message } from '../../../utils/shared/types';
import { telegramAdapter as telegram } from '../../../utils/content/platforms/telegram';
import { loadFixture } from '../../helpers/fixtures';
import { extractionOf } from '../../helpers/extraction';

// Telegram Web A shows clock times in the browser's zone; pin it so the test means the same everywhere.
process.env.TZ = 'UTC';

const capturedAt = new Date('2026-11-29T12:00:00Z');
const ctxFor = (url: string) => ({ url: new URL(url), capturedAt });
const ex = extractionOf('telegram');
const PERMALINK_MISSING = { code: 'permalink-missing', message: 'No permalink for this item was found.' };
const OUTGOING = { code: 'outgoing', message: 'This message was sent from the logged-in account; Telegram Web does not name that account beside its own messages.' };
const ACCOUNT_MISSING = { code: 'account-missing', message: 'The author of this item could not be identified on the page.' };

describe('telegram: t.me post wrapper page (metascraper, chollometro/28542)', () => {
  const url = 'https://t.me/chollometro/28542';
  const ctx = ctxFor(url);
  const doc = loadFixture('telegram/metascraper__tg-post-full-image.html', url);

  it('has no message DOM (the post is in an iframe); the page record comes from metadata and the widget', () => {
    expect(telegram.findItems(doc, ctx)).toEqual([]);
    expect(telegram.matchesDocument?.(doc, ctx.url)).toBe(true);
    expect(telegram.extractPage?.(doc, ctx)).toEqual(
      ex(
        'post',
        { display_name: 'Chollometro', handle: 'chollometro', platform_account_id: null, profile_url: 'https://t.me/chollometro' },
        {
          platform_item_id: 'chollometro/28542',
          url: 'https://t.me/chollometro/28542',
          posted_at: null,
          posted_at_text: null,
          posted_at_source: null,
          text: 'CHOLLO COMPARTIDO❗️🔥#Amazon\n\n🔹Lámpara de pie LED regulable con mando a distancia 39.07€ ❗️🔥(PVP: 73€)\n\n🛒https://chollo.to/pj4t0\n\n🗣Compartido por Mankyky\n🔥Más chollos: @chollos / @descuentos',
          in_reply_to: null,
          thread_id: null,
          visibility: null,
          // og:image on this page is the channel picture, so no media is claimed for the post.
          media: [],
        },
        [
          {
            code: 'embedded-post',
            message:
              "The post itself is inside an embedded frame (https://t.me/chollometro/28542?embed=1&mode=tme) that this page does not contain: the author and text come from the page's link-preview metadata, and its time and media are only in the frame.",
          },
          { code: 'time-missing', message: 'The page shows no time for this item.' },
        ],
      ),
    );
  });
});

describe('telegram: Telegram Web K private chat (synthetic fixture)', () => {
  const url = 'https://web.telegram.org/k/#@jordan_r_example';
  const ctx = ctxFor(url);
  const doc = loadFixture('messaging/telegram-web.html', url, true);
  const items = telegram.findItems(doc, ctx);
  const jordan = { display_name: 'Jordan R', handle: 'jordan_r_example', platform_account_id: '5123456789', profile_url: 'https://t.me/jordan_r_example' };
  const msg = (id: string, sender: Account | null, iso: string, shown: string, text: string, media: Message['media'] = []): Message => ({
    id,
    sender,
    outgoing: sender === null,
    sent_at: iso,
    sent_at_text: shown,
    sent_at_source: 'attribute',
    text,
    media,
  });
  const blobPhoto = { kind: 'image' as const, url: null, alt: null, why_missing: 'loaded as a blob: URL that only exists inside the open Telegram tab' };

  it('finds the open chat and its six message bubbles (day separators are not messages)', () => {
    expect(items.length).toBe(7);
    expect(items.map((e) => telegram.kindOf(e, ctx))).toEqual(['conversation', 'message', 'message', 'message', 'message', 'message', 'message']);
    expect(telegram.extractPage?.(doc, ctx)).toBeNull();
  });

  it('extracts the conversation with every message, both directions', () => {
    expect(telegram.extract(items[0], ctx)).toEqual(
      ex(
        'conversation',
        jordan,
        {
          platform_item_id: '5123456789',
          url,
          title: 'Jordan R',
          posted_at: '2026-11-28T21:04:10.000Z',
          posted_at_text: '21:04',
          posted_at_source: 'attribute',
          text: null,
          in_reply_to: null,
          thread_id: '5123456789',
          visibility: 'private',
          media: [],
        },
        [{ code: 'visible-only', message: 'Only the 6 messages loaded in the page are included; earlier ones appear only after scrolling up.' }],
        [
          msg('4101', jordan, '2026-11-28T21:04:10.000Z', '21:04', "Why aren't you answering me?"),
          msg('4102', jordan, '2026-11-28T21:05:33.000Z', '21:05', 'I saw you at the station today.\nBlue scarf 😉'),
          msg('4103', null, '2026-11-28T21:20:02.000Z', '21:20', 'Please leave me alone.'),
          msg('4104', jordan, '2026-11-29T07:45:19.000Z', '07:45', 'Nice coat.', [blobPhoto]),
          msg('4105', jordan, '2026-11-29T07:46:01.000Z', 'edited 07:46', 'Not going to happen.'),
          msg('4106', null, '2026-11-29T08:02:44.000Z', '08:02', 'I am reporting this.'),
        ],
      ),
    );
  });

  it('extracts one incoming message with a photo', () => {
    expect(telegram.extract(items[4], ctx)).toEqual(
      ex(
        'message',
        jordan,
        {
          platform_item_id: '4104',
          url: null,
          posted_at: '2026-11-29T07:45:19.000Z',
          posted_at_text: '07:45',
          posted_at_source: 'attribute',
          text: 'Nice coat.',
          in_reply_to: null,
          thread_id: '5123456789',
          visibility: 'private',
          media: [blobPhoto],
        },
        [PERMALINK_MISSING],
      ),
    );
  });

  it('extracts an edited reply with the quoted message', () => {
    expect(telegram.extract(items[5], ctx)).toEqual(
      ex(
        'message',
        jordan,
        {
          platform_item_id: '4105',
          url: null,
          posted_at: '2026-11-29T07:46:01.000Z',
          posted_at_text: 'edited 07:46',
          posted_at_source: 'attribute',
          text: 'Not going to happen.',
          in_reply_to: null,
          thread_id: '5123456789',
          visibility: 'private',
          media: [],
          quoted: { platform_item_id: null, url: null, account: { display_name: 'You', handle: null, platform_account_id: null, profile_url: null }, text: 'Please leave me alone.' },
        },
        [{ code: 'edited', message: 'Telegram marks this message as edited (29 November 2026, 07:50:12); the text captured is the edited version.' }, PERMALINK_MISSING],
      ),
    );
  });

  it('extracts an outgoing message and says whose it is', () => {
    expect(telegram.extract(items[6], ctx)).toEqual(
      ex(
        'message',
        null,
        {
          platform_item_id: '4106',
          url: null,
          posted_at: '2026-11-29T08:02:44.000Z',
          posted_at_text: '08:02',
          posted_at_source: 'attribute',
          text: 'I am reporting this.',
          in_reply_to: null,
          thread_id: '5123456789',
          visibility: 'private',
          media: [],
        },
        [OUTGOING, ACCOUNT_MISSING, PERMALINK_MISSING],
      ),
    );
  });

  it('encloses text in its bubble, and the chat header in the conversation', () => {
    const bubble = items[2];
    const textNodeParent = bubble.querySelector('.message')!;
    expect(telegram.enclosingItem(textNodeParent, ctx)).toBe(bubble);
    expect(telegram.enclosingItem(doc.querySelector('.chat-info .peer-title')!, ctx)).toBe(items[0]);
    expect(telegram.enclosingItem(doc.querySelector('.chatlist')!, ctx)).toBeNull();
  });
});

describe('telegram: t.me channel preview (t.me/s/…) message, inline markup', () => {
  const url = 'https://t.me/s/example_news';
  const html = `
    <section class="tgme_channel_history js-message_history">
      <div class="tgme_widget_message_wrap js-widget_message_wrap">
        <div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="example_news/812" data-view="x">
          <div class="tgme_widget_message_user"><a href="https://t.me/example_news"><i class="tgme_widget_message_user_photo bgcolor3" data-content="E"><img src="https://cdn4.cdn-telegram.org/file/avatar.jpg"></i></a></div>
          <div class="tgme_widget_message_bubble">
            <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/example_news"><span dir="auto">Example News</span></a></div>
            <a class="tgme_widget_message_reply" href="https://t.me/example_news/809"><div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name" dir="auto">Example News</span></div><div class="tgme_widget_message_metatext js-message_reply_text" dir="auto">Earlier update</div></a>
            <a class="tgme_widget_message_photo_wrap 5262 blured" href="https://t.me/example_news/812" style="width:800px;background-image:url('https://cdn4.cdn-telegram.org/file/photo812.jpg')"><div class="tgme_widget_message_photo" style="padding-top:56.25%"></div></a>
            <div class="tgme_widget_message_text js-message_text" dir="auto">We know who you are.<br>Pinned for everyone <i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F918020.png')"><b>👀</b></i></div>
            <div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info">
              <span class="tgme_widget_message_views">1.2K</span><span class="copyonly"> views</span><span class="tgme_widget_message_meta"><span class="tgme_widget_message_from_author" dir="auto">Admin K</span>, edited <a class="tgme_widget_message_date" href="https://t.me/example_news/812"><time datetime="2026-11-20T18:30:00+00:00" class="time">18:30</time></a></span>
            </div></div>
          </div>
        </div>
      </div>
    </section>`;
  const doc = new JSDOM(html, { url }).window.document;
  const ctx = ctxFor(url);

  it('extracts the post: channel, photo from its CSS background, reply target, views, edit mark', () => {
    const items = telegram.findItems(doc, ctx);
    expect(items.length).toBe(1);
    expect(telegram.kindOf(items[0], ctx)).toBe('post');
    expect(telegram.extract(items[0], ctx)).toEqual(
      ex(
        'post',
        { display_name: 'Example News', handle: 'example_news', platform_account_id: null, profile_url: 'https://t.me/example_news' },
        {
          platform_item_id: 'example_news/812',
          url: 'https://t.me/example_news/812',
          posted_at: '2026-11-20T18:30:00.000Z',
          posted_at_text: '18:30',
          posted_at_source: 'attribute',
          text: 'We know who you are.\nPinned for everyone 👀',
          in_reply_to: 'example_news/809',
          thread_id: null,
          visibility: null,
          media: [{ kind: 'image', url: 'https://cdn4.cdn-telegram.org/file/photo812.jpg', alt: null }],
          quoted: {
            platform_item_id: 'example_news/809',
            url: 'https://t.me/example_news/809',
            account: { display_name: 'Example News', handle: null, platform_account_id: null, profile_url: null },
            text: 'Earlier update',
          },
          metrics: { views: '1.2K', signature: 'Admin K' },
        },
        [{ code: 'edited', message: 'Telegram marks this post as edited; the text captured is the edited version.' }],
      ),
    );
    expect(telegram.enclosingItem(doc.querySelector('.tgme_widget_message_text b')!, ctx)).toBe(items[0]);
  });
});

describe('telegram: Telegram Web A chat, inline markup', () => {
  const url = 'https://web.telegram.org/a/#5123456789';
  const html = `
    <div class="MiddleHeader"><div class="ChatInfo"><div class="Avatar" data-peer-id="5123456789"></div><div class="info"><div class="title"><h3 class="fullName">Jordan R</h3></div></div></div></div>
    <div class="MessageList custom-scroll"><div class="messages-container">
      <div class="message-date-group"><div class="sticky-date"><span>Yesterday</span></div>
        <div id="message-880" class="Message message-list-item first-in-group last-in-group" data-message-id="880">
          <div class="bottom-marker" data-message-id="880"></div>
          <div class="message-content-wrapper"><div class="message-content text has-shadow" dir="auto"><div class="content-inner" dir="auto">
            <div class="text-content clearfix with-meta" dir="auto">Answer me.<span class="MessageMeta" dir="ltr"><span class="message-time">23:58</span></span></div>
          </div></div></div>
        </div>
      </div>
      <div class="message-date-group"><div class="sticky-date"><span>Today</span></div>
        <div id="message-881" class="Message message-list-item own first-in-group last-in-group" data-message-id="881">
          <div class="message-content-wrapper"><div class="message-content text has-shadow" dir="auto"><div class="content-inner" dir="auto">
            <div class="text-content clearfix with-meta" dir="auto">Stop.<span class="MessageMeta" dir="ltr"><span class="message-time">07:02</span><div class="MessageOutgoingStatus"><i class="icon-message-read"></i></div></span></div>
          </div></div></div>
        </div>
      </div>
    </div></div>`;
  const doc = new JSDOM(html, { url }).window.document;
  const ctx = ctxFor(url);
  const jordan = { display_name: 'Jordan R', handle: null, platform_account_id: '5123456789', profile_url: null };
  const timeWarning = {
    code: 'time-from-text',
    message: "Telegram Web A shows only the clock time of each message and a day heading; times were rebuilt from that text in this browser's time zone, to the minute.",
  };

  it('rebuilds times from the day heading and the clock, and labels them as read from text', () => {
    const items = telegram.findItems(doc, ctx);
    expect(items.map((e) => telegram.kindOf(e, ctx))).toEqual(['conversation', 'message', 'message']);
    expect(telegram.extract(items[0], ctx)).toEqual(
      ex(
        'conversation',
        jordan,
        {
          platform_item_id: '5123456789',
          url,
          title: 'Jordan R',
          posted_at: '2026-11-28T23:58:00.000Z',
          posted_at_text: 'Yesterday 23:58',
          posted_at_source: 'text',
          text: null,
          in_reply_to: null,
          thread_id: '5123456789',
          visibility: 'private',
          media: [],
        },
        [timeWarning, { code: 'visible-only', message: 'Only the 2 messages loaded in the page are included; earlier ones appear only after scrolling up.' }],
        [
          { id: '880', sender: jordan, outgoing: false, sent_at: '2026-11-28T23:58:00.000Z', sent_at_text: 'Yesterday 23:58', sent_at_source: 'text', text: 'Answer me.', media: [] },
          { id: '881', sender: null, outgoing: true, sent_at: '2026-11-29T07:02:00.000Z', sent_at_text: 'Today 07:02', sent_at_source: 'text', text: 'Stop.', media: [] },
        ],
      ),
    );
    expect(telegram.enclosingItem(doc.querySelector('#message-881 .text-content')!, ctx)).toBe(items[2]);
  });
});

describe('telegram: URL matching', () => {
  it('matches t.me and Telegram Web, nothing else', () => {
    for (const u of ['https://t.me/s/example_news', 'https://t.me/chollometro/28542', 'https://telegram.me/x', 'https://web.telegram.org/k/#@someone', 'https://web.telegram.org/a/#123'])
      expect(telegram.matchesUrl(new URL(u))).toBe(true);
    for (const u of ['https://telegram.org/blog', 'https://not-t.me/', 'https://example.com/t.me/x']) expect(telegram.matchesUrl(new URL(u))).toBe(false);
  });
});
