import { describe, expect, it } from 'vitest';
import { DEFAULT_QUICK_EXIT_URL, normaliseExitUrl, pickExitTabs, type TabInfo } from '../../utils/shared/quick-exit';
import { menuWording } from '../../utils/background/discreet';

describe('the quick-exit address', () => {
  it.each([
    ['https://www.bbc.co.uk/weather', 'https://www.bbc.co.uk/weather'],
    ['  https://www.bbc.co.uk/news  ', 'https://www.bbc.co.uk/news'],
    ['bbc.co.uk/weather', 'https://bbc.co.uk/weather'],
    ['www.metoffice.gov.uk', 'https://www.metoffice.gov.uk/'],
    ['http://127.0.0.1:8080/privacy/neutral.html', 'http://127.0.0.1:8080/privacy/neutral.html'],
    ['HTTPS://Example.ORG/Path?q=1#top', 'https://example.org/Path?q=1#top'],
  ])('%s is used as %s', (input, out) => {
    expect(normaliseExitUrl(input)).toEqual({ ok: true, value: out });
  });

  it.each([
    ['', 'Enter the address of an ordinary website, for example https://www.bbc.co.uk/weather.'],
    ['   ', 'Enter the address of an ordinary website, for example https://www.bbc.co.uk/weather.'],
    ['javascript:alert(1)', 'Quick exit can only open an ordinary website (an address starting with https://).'],
    ['data:text/html,<p>hi</p>', 'Quick exit can only open an ordinary website (an address starting with https://).'],
    ['file:///etc/passwd', 'Quick exit can only open an ordinary website (an address starting with https://).'],
    ['chrome://history', 'Quick exit can only open an ordinary website (an address starting with https://).'],
    ['moz-extension://abc/vault.html', 'Quick exit can only open an ordinary website (an address starting with https://).'],
    ['https://user:secret@example.org/', 'The address must not contain a user name or password.'],
    ['https://exa mple.org/', 'That is not a web address. Use one like https://www.bbc.co.uk/weather.'],
    [`https://example.org/${'a'.repeat(2000)}`, 'That address is too long.'],
  ])('%s is refused', (input, message) => {
    expect(normaliseExitUrl(input)).toEqual({ ok: false, error: { code: 'bad-exit-url', message } });
  });

  it('the default is an ordinary site and passes its own check', () => {
    expect(normaliseExitUrl(DEFAULT_QUICK_EXIT_URL)).toEqual({ ok: true, value: DEFAULT_QUICK_EXIT_URL });
  });
});

describe('which tab quick exit replaces, and which it closes', () => {
  const OWN = 'chrome-extension://abcdef/';
  const tabs: TabInfo[] = [
    { id: 1, url: 'https://www.instagram.com/stories/x/1/', active: false, lastAccessed: 3000, windowId: 1, index: 0 },
    { id: 2, url: `${OWN}vault.html#/captures`, active: true, lastAccessed: 5000, windowId: 1, index: 1 },
    { id: 3, url: 'https://x.com/messages', active: false, lastAccessed: 4000, windowId: 1, index: 2 },
    { id: 4, url: `${OWN}safety.html`, active: false, lastAccessed: 1000, windowId: 2, index: 0 },
    { id: 5, url: 'about:blank', active: true, lastAccessed: 2000, windowId: 2, index: 1 },
    { url: 'https://no-id.example/' },
  ];

  it('the tab the popup named, when it is not ours', () => {
    expect(pickExitTabs(tabs, OWN, 1)).toEqual({ target: tabs[0], close: [2, 4] });
  });

  it('otherwise the most recently used tab that is not ours', () => {
    expect(pickExitTabs(tabs, OWN)).toEqual({ target: tabs[2], close: [2, 4] });
    // A named tab that is ours (the popup opened as a page) does not count.
    expect(pickExitTabs(tabs, OWN, 2)).toEqual({ target: tabs[2], close: [2, 4] });
    // A named tab that has gone.
    expect(pickExitTabs(tabs, OWN, 99)).toEqual({ target: tabs[2], close: [2, 4] });
  });

  it('where the browser does not say when a tab was used, an active tab first', () => {
    const bare: TabInfo[] = [
      { id: 7, url: 'https://a.example/', active: false },
      { id: 8, url: 'https://b.example/', active: true },
      { id: 9, url: `${OWN}vault.html`, active: true },
    ];
    expect(pickExitTabs(bare, OWN)).toEqual({ target: bare[1], close: [9] });
  });

  it('no tab to replace when every tab is ours', () => {
    expect(pickExitTabs([{ id: 2, url: `${OWN}vault.html` }], OWN)).toEqual({ target: null, close: [2] });
    expect(pickExitTabs([], OWN)).toEqual({ target: null, close: [] });
  });
});

describe('context-menu wording', () => {
  it('normal and discreet, word for word', () => {
    expect(menuWording(false)).toEqual({
      page: 'Capture this page',
      item: { post: 'Capture this post', comment: 'Capture this comment', message: 'Capture this message', conversation: 'Capture this conversation', profile: 'Capture this profile', page: 'Capture this item', element: 'Capture this item' },
      none: 'Capture this item',
    });
    expect(menuWording(true)).toEqual({
      page: 'Save this page',
      item: { post: 'Save this post', comment: 'Save this comment', message: 'Save this message', conversation: 'Save this conversation', profile: 'Save this profile', page: 'Save this item', element: 'Save this item' },
      none: 'Save this item',
    });
  });
});
