/**
 * Hosts of the platforms Cairn has adapters for. The content script is
 * declared on these (so right-click capture works there at once); every other
 * site is reached through activeTab + scripting when the user asks.
 */
export const PLATFORM_MATCHES = [
  '*://*.x.com/*',
  '*://*.twitter.com/*',
  '*://*.facebook.com/*',
  '*://*.messenger.com/*',
  '*://*.instagram.com/*',
  '*://*.reddit.com/*',
  '*://*.tiktok.com/*',
  '*://*.youtube.com/*',
  '*://*.linkedin.com/*',
  '*://bsky.app/*',
  '*://*.threads.net/*',
  '*://*.threads.com/*',
  '*://t.me/*',
  '*://web.telegram.org/*',
  '*://web.whatsapp.com/*',
  '*://discord.com/*',
  '*://*.discord.com/*',
] as const;
