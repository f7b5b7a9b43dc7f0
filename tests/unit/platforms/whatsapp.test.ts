import { afterAll, describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import whatsapp from '../../../utils/content/platforms/whatsapp';
import type { ExtractContext } from '../../../utils/content/platforms/types';
import { loadFixture } from '../../helpers/fixtures';

// WhatsApp shows local wall-clock times; the adapter converts them with the browser's zone.
// Pin a zone that is not UTC (UTC+1 in November) so the conversion is visible and fixed.
const savedTz = process.env.TZ;
process.env.TZ = 'Europe/Berlin';
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const capturedAt = new Date('2026-11-29T12:00:00Z');
const url = 'https://web.whatsapp.com/';
const ctx: ExtractContext = { url: new URL(url), capturedAt };

const SAM = { display_name: 'Sam Carter', handle: '+447700900123', platform_account_id: '447700900123@c.us', profile_url: null };
const JO = { display_name: 'Jo Bloggs', handle: null, platform_account_id: null, profile_url: null };
const BLOB = 'decrypted in the page and shown from a blob: URL; only the screenshot holds it';
const NO_LINKS = { code: 'no-permalinks', message: 'WhatsApp Web has no web addresses for chats or messages; the message key (data-id) identifies the message instead.' };
const LOCAL = {
  code: 'time-local',
  message: "WhatsApp Web shows message times to the minute in the computer's time zone; they were converted to UTC using this browser's time zone at capture.",
};
const PERMALINK = { code: 'permalink-missing', message: 'No permalink for this item was found.' };
const NO_DATE = {
  code: 'time-without-date',
  message: 'A message shows only a time of day ("10:38") and no date (pictures without a caption carry no date); its date was not recorded.',
};

const MESSAGES = [
  {
    id: 'false_447700900123@c.us_3EB0A1B2C3D4E5F60718',
    sender: SAM,
    outgoing: false,
    sent_at: '2026-11-29T09:31:00.000Z',
    sent_at_text: '10:31, 29/11/2026',
    sent_at_source: 'attribute',
    text: 'I know where you were last night.',
    media: [],
  },
  {
    id: 'false_447700900123@c.us_3EB0A1B2C3D4E5F60719',
    sender: SAM,
    outgoing: false,
    sent_at: '2026-11-29T09:32:00.000Z',
    sent_at_text: '10:32, 29/11/2026',
    sent_at_source: 'attribute',
    text: 'Nice coat. Red suits you.\nSee you soon 🙂',
    media: [],
  },
  {
    id: 'true_447700900123@c.us_3EB0F00DCAFE12345678',
    sender: JO,
    outgoing: true,
    sent_at: '2026-11-29T09:35:00.000Z',
    sent_at_text: '10:35, 29/11/2026',
    sent_at_source: 'attribute',
    text: 'Please stop messaging me.',
    media: [],
  },
  {
    id: 'false_447700900123@c.us_3EB0A1B2C3D4E5F60720',
    sender: SAM,
    outgoing: false,
    sent_at: null,
    sent_at_text: '10:38',
    sent_at_source: 'text',
    text: null,
    media: [{ kind: 'image', url: null, alt: null, why_missing: BLOB }],
  },
  {
    id: 'false_447700900123@c.us_3EB0A1B2C3D4E5F60721',
    sender: SAM,
    outgoing: false,
    sent_at: '2026-11-29T09:39:00.000Z',
    sent_at_text: '10:39, 29/11/2026',
    sent_at_source: 'attribute',
    text: 'Your front door.',
    media: [{ kind: 'image', url: null, alt: null, why_missing: BLOB }],
  },
];

describe('whatsapp: matchesUrl', () => {
  it('matches WhatsApp Web only', () => {
    expect(whatsapp.matchesUrl(new URL('https://web.whatsapp.com/'))).toBe(true);
    expect(whatsapp.matchesUrl(new URL('https://web.whatsapp.com/send?phone=447700900123'))).toBe(true);
    expect(whatsapp.matchesUrl(new URL('https://www.whatsapp.com/'))).toBe(false);
    expect(whatsapp.matchesUrl(new URL('https://wa.me/447700900123'))).toBe(false);
  });
});

describe('whatsapp: open chat (synthetic messaging/whatsapp-chat.html)', () => {
  const doc = loadFixture('messaging/whatsapp-chat.html', url, true);
  const items = whatsapp.findItems(doc, ctx);

  it('finds the conversation and its five messages (not the date row or the composer)', () => {
    expect(items).toHaveLength(6);
    expect(items[0].id).toBe('main');
    expect(items.map((i) => whatsapp.kindOf(i, ctx))).toEqual(['conversation', 'message', 'message', 'message', 'message', 'message']);
    expect(whatsapp.extractPage!(doc, ctx)).toBeNull();
  });

  it('extracts the conversation with every message, both directions, and a transcript', () => {
    expect(whatsapp.extract(items[0], ctx)).toEqual({
      platform: 'whatsapp',
      adapter_version: '1.0.0',
      kind: 'conversation',
      account: SAM,
      item: {
        platform_item_id: '447700900123@c.us',
        url: null,
        title: 'Sam Carter',
        posted_at: '2026-11-29T09:31:00.000Z',
        posted_at_text: '10:31, 29/11/2026',
        posted_at_source: 'attribute',
        text: [
          '[10:31, 29/11/2026] Sam Carter: I know where you were last night.',
          '[10:32, 29/11/2026] Sam Carter: Nice coat. Red suits you.',
          'See you soon 🙂',
          '[10:35, 29/11/2026] Jo Bloggs: Please stop messaging me.',
          '[10:38] Sam Carter: (image)',
          '[10:39, 29/11/2026] Sam Carter: (image) Your front door.',
        ].join('\n'),
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        media: [
          { kind: 'image', url: null, alt: null, why_missing: BLOB },
          { kind: 'image', url: null, alt: null, why_missing: BLOB },
        ],
      },
      // 29/11 is unambiguous (29 > 12), so no date-order warning.
      warnings: [NO_DATE, NO_LINKS, LOCAL, PERMALINK],
      messages: MESSAGES,
    });
  });

  it('extracts a single incoming message', () => {
    expect(whatsapp.extract(items[1], ctx)).toEqual({
      platform: 'whatsapp',
      adapter_version: '1.0.0',
      kind: 'message',
      account: SAM,
      item: {
        platform_item_id: 'false_447700900123@c.us_3EB0A1B2C3D4E5F60718',
        url: null,
        posted_at: '2026-11-29T09:31:00.000Z',
        posted_at_text: '10:31, 29/11/2026',
        posted_at_source: 'attribute',
        text: 'I know where you were last night.',
        in_reply_to: null,
        thread_id: '447700900123@c.us',
        visibility: null,
        media: [],
      },
      warnings: [NO_LINKS, LOCAL, PERMALINK],
      messages: [MESSAGES[0]],
    });
  });

  it('extracts the outgoing message as sent by the user', () => {
    const e = whatsapp.extract(items[3], ctx);
    expect(e.account).toEqual(JO);
    expect(e.messages).toEqual([MESSAGES[2]]);
  });

  it('a picture without caption keeps only its shown time, with warnings', () => {
    expect(whatsapp.extract(items[4], ctx)).toEqual({
      platform: 'whatsapp',
      adapter_version: '1.0.0',
      kind: 'message',
      account: SAM,
      item: {
        platform_item_id: 'false_447700900123@c.us_3EB0A1B2C3D4E5F60720',
        url: null,
        posted_at: null,
        posted_at_text: '10:38',
        posted_at_source: 'text',
        text: null,
        in_reply_to: null,
        thread_id: '447700900123@c.us',
        visibility: null,
        media: [{ kind: 'image', url: null, alt: null, why_missing: BLOB }],
      },
      warnings: [
        NO_DATE,
        NO_LINKS,
        PERMALINK,
        { code: 'time-unparsed', message: 'The time shown ("10:38") could not be turned into a date.' },
      ],
      messages: [MESSAGES[3]],
    });
  });

  it('enclosingItem: the message from its text, the chat from its header', () => {
    const span = items[2].querySelector('span.selectable-text span')!;
    expect(whatsapp.enclosingItem(span, ctx)).toBe(items[2]);
    const header = doc.querySelector('#main header span[title]')!;
    expect(whatsapp.enclosingItem(header, ctx)).toBe(items[0]);
    expect(whatsapp.enclosingItem(doc.querySelector('#side')!, ctx)).toBeNull();
  });
});

/** A one-message chat, for the date-format and group cases. */
function chat(lang: string | null, dataId: string, pre: string, header = 'Sam Carter'): Document {
  const html = `<html${lang ? ` lang="${lang}"` : ''}><body><div id="main"><header><span dir="auto" title="${header}">${header}</span></header>
    <div role="application"><div role="row"><div class="message-in" data-id="${dataId}">
      <div class="copyable-text" data-pre-plain-text="${pre}"><span class="selectable-text copyable-text"><span>hello</span></span></div>
      <div><span dir="auto">x</span></div></div></div></div></div></body></html>`;
  return new JSDOM(html, { url }).window.document;
}

describe('whatsapp: dates in the user\'s regional format', () => {
  const id = 'false_447700900123@c.us_3EB0000000000000AAAA';
  const one = (doc: Document) => whatsapp.extract(whatsapp.findItems(doc, ctx)[1], ctx);

  it('day/month when the page language writes day first, with a warning', () => {
    const e = one(chat('en-GB', id, '[09:05, 03/04/2026] Sam Carter: '));
    expect(e.item.posted_at).toBe('2026-04-03T07:05:00.000Z'); // 3 April, CEST (UTC+2)
    expect(e.item.posted_at_text).toBe('09:05, 03/04/2026');
    expect(e.warnings[0]).toEqual({
      code: 'date-order-ambiguous',
      message:
        'WhatsApp writes dates in the computer\'s regional format, which the page does not state. "03/04/2026" was read as day/month because the page language is en-GB; if the computer uses month/day the date is different.',
    });
  });

  it('month/day for en-US pages', () => {
    const e = one(chat('en-US', id, '[9:05 AM, 3/4/2026] Sam Carter: '));
    expect(e.item.posted_at).toBe('2026-03-04T08:05:00.000Z'); // 4 March, CET (UTC+1)
    expect(e.warnings[0].code).toBe('date-order-ambiguous');
  });

  it('day first with no language hint, and no warning when the order is certain', () => {
    const guess = one(chat(null, id, '[21:15, 02/03/2026] Sam Carter: '));
    expect(guess.item.posted_at).toBe('2026-03-02T20:15:00.000Z');
    expect(guess.warnings[0].message).toContain('WhatsApp writes day first in most regions and the page states no language');
    const sure = one(chat('en-US', id, '[21:15, 11/30/2026] Sam Carter: '));
    expect(sure.item.posted_at).toBe('2026-11-30T20:15:00.000Z');
    expect(sure.warnings.map((w) => w.code)).toEqual(['no-permalinks', 'time-local', 'permalink-missing']);
    const iso = one(chat('sv-SE', id, '[21:15, 2026-11-30] Sam Carter: '));
    expect(iso.item.posted_at).toBe('2026-11-30T20:15:00.000Z');
  });

  it('group chats: the sender comes from the participant in the key, the chat has no single account', () => {
    const doc = chat('en-GB', 'false_120363041234567890@g.us_3EB0000000000000BBBB_447700900456@c.us', '[18:00, 28/11/2026] Alex Reed: ', 'Book club');
    const [conv, msg] = whatsapp.findItems(doc, ctx);
    const m = whatsapp.extract(msg, ctx);
    expect(m.account).toEqual({ display_name: 'Alex Reed', handle: '+447700900456', platform_account_id: '447700900456@c.us', profile_url: null });
    const c = whatsapp.extract(conv, ctx);
    expect(c.account).toBeNull();
    expect(c.item.platform_item_id).toBe('120363041234567890@g.us');
    expect(c.warnings.map((w) => w.code)).toEqual(['group-chat', 'no-permalinks', 'time-local', 'account-missing', 'permalink-missing']);
  });

  it('an empty page gives no items and extraction of a stray element does not throw', () => {
    const doc = new JSDOM('<html><body><div>loading</div></body></html>', { url }).window.document;
    expect(whatsapp.findItems(doc, ctx)).toEqual([]);
    const e = whatsapp.extract(doc.querySelector('div')!, ctx);
    expect(e.kind).toBe('message');
    expect(e.warnings.map((w) => w.code)).toEqual(['no-permalinks', 'account-missing', 'item-id-missing', 'permalink-missing', 'time-missing']);
  });
});
