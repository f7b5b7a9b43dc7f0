import { describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import discord from '../../../utils/content/platforms/discord';
import { decodeDiscordId } from '../../../utils/content/time';
import type { ExtractContext } from '../../../utils/content/platforms/types';
import { loadFixture } from '../../helpers/fixtures';

const capturedAt = new Date('2026-11-29T12:00:00Z');
const url = 'https://discord.com/channels/1179934890393600123/1180000000000000000';
const ctx: ExtractContext = { url: new URL(url), capturedAt };

const HERON = {
  display_name: 'GreyHeron',
  handle: null,
  platform_account_id: '1186000000000000002',
  profile_url: 'https://discord.com/users/1186000000000000002',
};
const JO = {
  display_name: 'joplot',
  handle: null,
  platform_account_id: '1186000000000000001',
  profile_url: 'https://discord.com/users/1186000000000000001',
};
const IMAGE = {
  kind: 'image',
  url: 'https://media.discordapp.net/attachments/1180000000000000000/1576546817015939078/IMG_2231.jpg?ex=6750a1b2&is=674f5032&hm=00aa11bb22cc33dd44ee55ff66778899aabbccddeeff00112233445566778899&=&format=webp&width=400&height=300',
  alt: 'Image',
};
const EDITED = { code: 'edited', message: 'A message was edited (at 2026-11-29T10:33:02.000Z); the page shows only its current text.' };
const CARRIED = {
  code: 'sender-from-group',
  message: "This message has no name of its own; Discord shows the sender once per group, so it is taken from the group's first message.",
};

const MESSAGES = [
  {
    id: '1576546041069699073',
    sender: HERON,
    outgoing: false,
    sent_at: '2026-11-29T10:31:07.000Z',
    sent_at_text: 'Today at 10:31',
    sent_at_source: 'attribute',
    text: 'saw your car outside the library again',
    media: [],
  },
  {
    id: '1576546141732995074',
    sender: HERON,
    outgoing: false,
    sent_at: '2026-11-29T10:31:31.000Z',
    sent_at_text: '10:31',
    sent_at_source: 'attribute',
    text: 'you should be more careful who you talk to\nthere are people watching :eyes:',
    media: [],
  },
  {
    id: '1576546397585539075',
    sender: JO,
    outgoing: true,
    sent_at: '2026-11-29T10:32:32.000Z',
    sent_at_text: 'Today at 10:32',
    sent_at_source: 'attribute',
    text: "Please leave me alone. I've reported this to the mods.",
    media: [],
  },
  {
    id: '1576546821210243076',
    sender: HERON,
    outgoing: false,
    sent_at: '2026-11-29T10:34:13.000Z',
    sent_at_text: 'Today at 10:34',
    sent_at_source: 'attribute',
    text: null,
    media: [IMAGE],
  },
  {
    id: '1576546910548918277',
    sender: HERON,
    outgoing: false,
    sent_at: '2026-11-29T10:34:34.300Z',
    sent_at_text: '10:34',
    sent_at_source: 'attribute',
    text: "nice plot. number 14 isn't it",
    media: [],
  },
];

describe('discord: snowflake ids', () => {
  it('decodes (id >> 22) + 1420070400000 ms', () => {
    // Discord's documentation example: 175928847299117063 → 2016-04-30T11:18:25.796Z.
    expect(decodeDiscordId('175928847299117063')).toBe('2016-04-30T11:18:25.796Z');
    expect(decodeDiscordId('1576546910548918277')).toBe('2026-11-29T10:34:34.300Z');
    expect(decodeDiscordId('12')).toBeNull();
    expect(decodeDiscordId('not-an-id')).toBeNull();
    expect(decodeDiscordId(null)).toBeNull();
  });
});

describe('discord: matchesUrl', () => {
  it('matches the web client channel and DM routes', () => {
    expect(discord.matchesUrl(new URL(url))).toBe(true);
    expect(discord.matchesUrl(new URL('https://discord.com/channels/@me/1190000000000000000'))).toBe(true);
    expect(discord.matchesUrl(new URL('https://ptb.discord.com/channels/1/2/3'))).toBe(true);
    expect(discord.matchesUrl(new URL('https://discord.com/invite/abcdef'))).toBe(false);
    expect(discord.matchesUrl(new URL('https://discord.gg/abcdef'))).toBe(false);
    expect(discord.matchesUrl(new URL('https://example.com/channels/1/2'))).toBe(false);
  });
});

describe('discord: channel (synthetic messaging/discord-channel.html)', () => {
  const doc = loadFixture('messaging/discord-channel.html', url, true);
  const items = discord.findItems(doc, ctx);

  it('finds the message list and its five messages', () => {
    expect(items).toHaveLength(6);
    expect(items[0].getAttribute('data-list-id')).toBe('chat-messages');
    expect(items.map((i) => discord.kindOf(i, ctx))).toEqual(['conversation', 'message', 'message', 'message', 'message', 'message']);
    expect(discord.extractPage!(doc, ctx)).toBeNull();
  });

  it('extracts the channel as a conversation, senders carried through message groups', () => {
    expect(discord.extract(items[0], ctx)).toEqual({
      platform: 'discord',
      adapter_version: '1.0.0',
      kind: 'conversation',
      account: null,
      item: {
        platform_item_id: '1180000000000000000',
        url: 'https://discord.com/channels/1179934890393600123/1180000000000000000',
        title: '#general | Hillside Allotments',
        posted_at: '2026-11-29T10:31:07.000Z',
        posted_at_text: 'Today at 10:31',
        posted_at_source: 'attribute',
        id_time: '2026-11-29T10:31:07.000Z',
        text: [
          '[Today at 10:31] GreyHeron: saw your car outside the library again',
          '[10:31] GreyHeron: you should be more careful who you talk to',
          'there are people watching :eyes:',
          "[Today at 10:32] joplot: Please leave me alone. I've reported this to the mods.",
          '[Today at 10:34] GreyHeron: (image)',
          "[10:34] GreyHeron: nice plot. number 14 isn't it",
        ].join('\n'),
        in_reply_to: null,
        thread_id: null,
        visibility: null,
        media: [IMAGE],
      },
      warnings: [
        { code: 'channel', message: 'This is a channel with several participants; each message records its own sender.' },
        EDITED,
        { code: 'account-missing', message: 'The author of this item could not be identified on the page.' },
      ],
      messages: MESSAGES,
    });
  });

  it('extracts the first message with its permalink and id time', () => {
    expect(discord.extract(items[1], ctx)).toEqual({
      platform: 'discord',
      adapter_version: '1.0.0',
      kind: 'message',
      account: HERON,
      item: {
        platform_item_id: '1576546041069699073',
        url: 'https://discord.com/channels/1179934890393600123/1180000000000000000/1576546041069699073',
        posted_at: '2026-11-29T10:31:07.000Z',
        posted_at_text: 'Today at 10:31',
        posted_at_source: 'attribute',
        id_time: '2026-11-29T10:31:07.000Z',
        text: 'saw your car outside the library again',
        in_reply_to: null,
        thread_id: '1180000000000000000',
        visibility: null,
        media: [],
      },
      warnings: [],
      messages: [MESSAGES[0]],
    });
  });

  it('a headerless, edited message: sender carried forward, "(edited)" left out of the text', () => {
    expect(discord.extract(items[2], ctx)).toEqual({
      platform: 'discord',
      adapter_version: '1.0.0',
      kind: 'message',
      account: HERON,
      item: {
        platform_item_id: '1576546141732995074',
        url: 'https://discord.com/channels/1179934890393600123/1180000000000000000/1576546141732995074',
        posted_at: '2026-11-29T10:31:31.000Z',
        posted_at_text: '10:31',
        posted_at_source: 'attribute',
        id_time: '2026-11-29T10:31:31.000Z',
        text: 'you should be more careful who you talk to\nthere are people watching :eyes:',
        in_reply_to: null,
        thread_id: '1180000000000000000',
        visibility: null,
        media: [],
      },
      warnings: [EDITED, CARRIED],
      messages: [MESSAGES[1]],
    });
  });

  it('a reply: in_reply_to names the replied message, not its preview text', () => {
    const e = discord.extract(items[3], ctx);
    expect(e.account).toEqual(JO);
    expect(e.item.in_reply_to).toBe('1576546141732995074');
    expect(e.item.text).toBe("Please leave me alone. I've reported this to the mods.");
    expect(e.messages).toEqual([MESSAGES[2]]);
  });

  it('an image attachment, and the last message of the group', () => {
    expect(discord.extract(items[4], ctx).item.media).toEqual([IMAGE]);
    expect(discord.extract(items[5], ctx)).toEqual({
      platform: 'discord',
      adapter_version: '1.0.0',
      kind: 'message',
      account: HERON,
      item: {
        platform_item_id: '1576546910548918277',
        url: 'https://discord.com/channels/1179934890393600123/1180000000000000000/1576546910548918277',
        posted_at: '2026-11-29T10:34:34.300Z',
        posted_at_text: '10:34',
        posted_at_source: 'attribute',
        id_time: '2026-11-29T10:34:34.300Z',
        text: "nice plot. number 14 isn't it",
        in_reply_to: null,
        thread_id: '1180000000000000000',
        visibility: null,
        media: [],
      },
      warnings: [CARRIED],
      messages: [MESSAGES[4]],
    });
  });

  it('enclosingItem: the message from its content, the list from a divider', () => {
    const content = doc.querySelector('[id="message-content-1576546141732995074"]')!;
    expect(discord.enclosingItem(content.firstChild!.parentElement!, ctx)).toBe(items[2]);
    const emoji = items[2].querySelector('img.emoji')!;
    expect(discord.enclosingItem(emoji, ctx)).toBe(items[2]);
    expect(discord.enclosingItem(doc.querySelector('[role="separator"]')!, ctx)).toBe(items[0]);
    expect(discord.enclosingItem(doc.querySelector('form')!, ctx)).toBeNull();
  });
});

describe('discord: DMs and older markup', () => {
  const dm = (withLabels: boolean): Document =>
    new JSDOM(
      `<html><head><title>Discord | @greyheron</title></head><body>
      <section aria-label="User area"><img src="https://cdn.discordapp.com/avatars/1186000000000000001/aa.webp?size=32"></section>
      <ol data-list-id="chat-messages">
        <li id="chat-messages-1190000000000000000-1576546041069699073"><div role="article"${withLabels ? ' aria-labelledby="message-username-1576546041069699073"' : ''}>
          <img src="https://cdn.discordapp.com/avatars/1186000000000000002/bb.webp?size=80">
          <h3><span id="message-username-1576546041069699073"><span>GreyHeron</span></span><time datetime="2026-11-29T10:31:07.000Z">Today at 10:31</time></h3>
          <div id="message-content-1576546041069699073">answer me</div></div></li>
        <li id="chat-messages-1190000000000000000-1576546141732995074"><div role="article"${withLabels ? ' aria-labelledby="message-username-1576546041069699073"' : ''}>
          <time datetime="2026-11-29T10:31:31.000Z" aria-label="10:31"></time>
          <div id="message-content-1576546141732995074">line one<br>line two</div></div></li>
      </ol></body></html>`,
      { url: 'https://discord.com/channels/@me/1190000000000000000' },
    ).window.document;
  const dmCtx: ExtractContext = { url: new URL('https://discord.com/channels/@me/1190000000000000000'), capturedAt };

  it('a DM names the other person as the account and links with @me', () => {
    const doc = dm(true);
    const [list, first] = discord.findItems(doc, dmCtx);
    const c = discord.extract(list, dmCtx);
    expect(c.account).toEqual(HERON);
    expect(c.item.url).toBe('https://discord.com/channels/@me/1190000000000000000');
    expect(c.item.title).toBe('@greyheron');
    expect(c.warnings).toEqual([]);
    expect(discord.extract(first, dmCtx).item.url).toBe('https://discord.com/channels/@me/1190000000000000000/1576546041069699073');
  });

  it('without aria-labelledby the sender is found by walking back to the group header; <br> keeps the line break', () => {
    const doc = dm(false);
    const second = discord.findItems(doc, dmCtx)[2];
    const e = discord.extract(second, dmCtx);
    expect(e.account).toEqual(HERON);
    expect(e.item.text).toBe('line one\nline two');
    expect(e.item.posted_at_text).toBe('10:31');
    expect(e.messages?.[0].outgoing).toBe(false);
  });

  it('a message without a time element falls back to the time in its id', () => {
    const doc = new JSDOM(
      '<ol data-list-id="chat-messages"><li id="chat-messages-1-1576546910548918277"><div id="message-content-1576546910548918277">hi</div></li></ol>',
      { url },
    ).window.document;
    const e = discord.extract(discord.findItems(doc, ctx)[1], ctx);
    expect(e.item.posted_at).toBe('2026-11-29T10:34:34.300Z');
    expect(e.item.posted_at_source).toBe('id-decoded');
    // The page URL names another channel, so no permalink can be built.
    expect(e.item.url).toBeNull();
    expect(e.warnings.map((w) => w.code)).toEqual(['account-missing', 'permalink-missing']);
  });
});
