import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { Account, Message, Warning } from '../../../utils/shared/types';
import { messengerAdapter as ms } from '../../../utils/content/platforms/messenger';
import { loadFixture } from '../../helpers/fixtures';
import { extractionOf, item } from '../../helpers/extraction';

// The thread is our own synthetic fixture (no real Messenger conversation page was available):
// tests/fixtures/messaging/messenger-thread.html, built from the markers listed in its header.
const capturedAt = new Date('2026-11-29T12:00:00Z');
const ctxFor = (url: string) => ({ url: new URL(url), capturedAt });

const ex = extractionOf('messenger');
const robin: Account = {
  display_name: 'Robin Vale',
  handle: 'robin.vale.9041',
  platform_account_id: null,
  profile_url: 'https://www.facebook.com/robin.vale.9041',
};
const msg = (outgoing: boolean, shown: string, text: string | null, media: Message['media'] = []): Message => ({
  id: null,
  sender: outgoing ? null : robin,
  outgoing,
  sent_at: null,
  sent_at_text: shown,
  sent_at_source: 'text',
  text,
  media,
});
const EVENING = 'March 12, 2026, 9:14 PM';
const MORNING = 'Today at 9:41 AM';
const photo = { kind: 'image' as const, url: 'https://scontent.xx.fbcdn.net/v/t1.15752-9/400000002_333_444_n.jpg?stp=dst-jpg_s260x260', alt: '' };
const messageWarnings = (shown: string, outgoing: boolean): Warning[] => [
  { code: 'item-id-missing', message: 'Messenger shows no id for a single message.' },
  { code: 'permalink-missing', message: 'A message has no link of its own; the conversation is https://www.messenger.com/t/100090000000001/.' },
  { code: 'time-unparsed', message: `Messenger shows only the time above this group of messages ("${shown}"), in the viewer's time zone; it is kept as shown.` },
  ...(outgoing ? [{ code: 'account-missing', message: 'This message was sent by you (the logged-in account); Messenger does not print your name beside it.' }] : []),
];

describe('messenger: open one-to-one thread (synthetic messaging/messenger-thread.html)', () => {
  const url = 'https://www.messenger.com/t/100090000000001/';
  const doc = loadFixture('messaging/messenger-thread.html', url, true);
  const ctx = ctxFor(url);
  const items = ms.findItems(doc, ctx);

  it('finds the conversation and its six messages (not separators, chat list rows or the composer)', () => {
    expect(items).toHaveLength(7);
    expect(items[0].getAttribute('role')).toBe('main');
    expect(items.map((e) => ms.kindOf(e, ctx))).toEqual(['conversation', 'message', 'message', 'message', 'message', 'message', 'message']);
  });

  it('extracts the conversation with every message, its sender group and the time separator above it', () => {
    expect(ms.extract(items[0], ctx)).toEqual(
      ex(
        'conversation',
        robin,
        item({ platform_item_id: '100090000000001', thread_id: '100090000000001', url, title: 'Robin Vale' }),
        [
          {
            code: 'message-times-approximate',
            message: "Messenger shows times only between groups of messages; each message records the time shown above it, in the viewer's time zone.",
          },
          { code: 'time-missing', message: 'A conversation has no single time; see the time recorded with each message.' },
        ],
        [
          msg(false, EVENING, 'Saw you at the station tonight. Nice coat.'),
          msg(false, EVENING, 'You should have said hello.'),
          msg(true, EVENING, 'Please stop messaging me.'),
          msg(false, MORNING, null, [photo]),
          msg(false, MORNING, 'Recognise your street? 👍'),
          msg(true, MORNING, 'I am keeping a copy of these messages.'),
        ],
      ),
    );
  });

  it('extracts a single incoming message that continues its sender group', () => {
    expect(ms.extract(items[2], ctx)).toEqual(
      ex(
        'message',
        robin,
        item({ thread_id: '100090000000001', posted_at_text: EVENING, posted_at_source: 'text', text: 'You should have said hello.' }),
        messageWarnings(EVENING, false),
      ),
    );
  });

  it('extracts the photo message (avatar left out, photo kept)', () => {
    expect(ms.extract(items[4], ctx)).toEqual(
      ex('message', robin, item({ thread_id: '100090000000001', posted_at_text: MORNING, posted_at_source: 'text', media: [photo] }), messageWarnings(MORNING, false)),
    );
  });

  it('extracts the last, outgoing message without its "Sent" receipt', () => {
    expect(ms.extract(items[6], ctx)).toEqual(
      ex(
        'message',
        null,
        item({ thread_id: '100090000000001', posted_at_text: MORNING, posted_at_source: 'text', text: 'I am keeping a copy of these messages.' }),
        messageWarnings(MORNING, true),
      ),
    );
  });

  it('finds the message row from its text and the conversation from its header', () => {
    const text = items[3].querySelector('div[dir="auto"]');
    expect(ms.enclosingItem(text!, ctx)).toBe(items[3]);
    const header = doc.querySelector('[role="main"] h2 span');
    expect(ms.enclosingItem(header!, ctx)).toBe(items[0]);
    const chatList = doc.querySelector('[role="navigation"] a');
    expect(ms.enclosingItem(chatList!, ctx)).toBeNull();
  });

  it('has no page-level record', () => {
    expect(ms.extractPage!(doc, ctx)).toBeNull();
  });
});

describe('messenger: other builds and odd DOM', () => {
  it('reads a group thread and the accessible "Message sent … by …" summary when a build provides it', () => {
    const html = `
      <div role="main" aria-label="Conversation titled Book club">
        <div role="log" aria-label="Messages in conversation titled Book club">
          <div role="row"><div role="gridcell" aria-label="Enter, Message sent Monday 18:02 by Sam Reed: See you Thursday">
            <div dir="auto">See you Thursday</div></div></div>
          <div role="row"><div role="gridcell" aria-label="Enter, Message sent Monday 18:05 by You: I cannot come">
            <div dir="auto">I cannot come</div></div></div>
        </div>
      </div>`;
    const url = 'https://www.facebook.com/messages/e2ee/t/7700000000000001';
    const d = new JSDOM(html, { url }).window.document;
    const ctx = ctxFor(url);
    const items = ms.findItems(d, ctx);
    expect(items).toHaveLength(3);
    const e = ms.extract(items[0], ctx);
    expect(e.kind).toBe('conversation');
    expect(e.account).toBeNull();
    expect(e.item).toEqual(item({ platform_item_id: '7700000000000001', thread_id: '7700000000000001', url, title: 'Book club' }));
    expect(e.messages).toEqual([
      {
        id: null,
        sender: { display_name: 'Sam Reed', handle: null, platform_account_id: null, profile_url: null },
        outgoing: false,
        sent_at: null,
        sent_at_text: 'Monday 18:02',
        sent_at_source: 'text',
        text: 'See you Thursday',
        media: [],
      },
      { id: null, sender: null, outgoing: true, sent_at: null, sent_at_text: 'Monday 18:05', sent_at_source: 'text', text: 'I cannot come', media: [] },
    ]);
    expect(e.warnings.map((w) => w.code)).toEqual(['message-times-approximate', 'time-missing', 'account-missing']);
  });

  it('never throws on a page without a conversation', () => {
    const d = new JSDOM('<div role="main"><p>Chats</p></div>', { url: 'https://www.messenger.com/' }).window.document;
    const ctx = ctxFor('https://www.messenger.com/');
    expect(ms.findItems(d, ctx)).toEqual([]);
    const e = ms.extract(d.querySelector('div')!, ctx);
    expect(e.kind).toBe('conversation');
    expect(e.messages).toEqual([]);
    expect(e.warnings.map((w) => w.code)).toEqual(['messages-missing', 'time-missing', 'account-missing', 'item-id-missing', 'permalink-missing']);
  });

  it('matches Messenger and facebook.com/messages, nothing else', () => {
    for (const u of [
      'https://www.messenger.com/t/100090000000001/',
      'https://www.messenger.com/e2ee/t/7700000000000001',
      'https://www.facebook.com/messages/t/100090000000001',
      'https://www.facebook.com/messages/e2ee/t/7700000000000001',
    ])
      expect(ms.matchesUrl(new URL(u))).toBe(true);
    for (const u of ['https://www.facebook.com/robin.vale.9041', 'https://www.facebook.com/messagesabc', 'https://messenger.com.example/t/1', 'https://m.me/robin'])
      expect(ms.matchesUrl(new URL(u))).toBe(false);
  });
});
