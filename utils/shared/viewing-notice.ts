/**
 * Pages where simply looking can tell the other person: stories list their
 * viewers, some sites show whose profile was visited, and message views send
 * read receipts. The popup shows a calm note on these pages (issue #5 part 7).
 * Only behaviour the platforms document is listed; anything else returns null.
 */

export type ViewingNoticeKind = 'story' | 'profile-view' | 'messages';

export interface ViewingNotice {
  kind: ViewingNoticeKind;
  /** The platform's name as people know it. */
  platform: string;
  /** One or two calm sentences, facts only. */
  text: string;
}

const TEXT: Record<ViewingNoticeKind, (platform: string) => string> = {
  story: (p) => `${p} shows the person who posted a story who has viewed it. Opening it may let them know you looked.`,
  'profile-view': (p) => `${p} can show people who viewed their profile. Opening a profile may let that person know you looked.`,
  messages: (p) => `${p} can show the sender when their messages have been seen. Opening a conversation may mark it as read.`,
};

/** The registrable host without the subdomains that do not matter here (www., m., web., country codes on LinkedIn). */
function siteOf(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  for (const site of ['instagram.com', 'facebook.com', 'messenger.com', 'x.com', 'twitter.com', 'linkedin.com', 'tiktok.com']) {
    if (h === site || h.endsWith(`.${site}`)) return site;
  }
  return h;
}

function notice(kind: ViewingNoticeKind, platform: string): ViewingNotice {
  return { kind, platform, text: TEXT[kind](platform) };
}

/** The note for a page address, or null when opening it tells nobody anything. */
export function viewingNotice(address: string | null | undefined): ViewingNotice | null {
  let url: URL;
  try {
    url = new URL(address ?? '');
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const path = url.pathname.toLowerCase();
  const host = url.hostname.toLowerCase();
  switch (siteOf(host)) {
    case 'instagram.com':
      if (path.startsWith('/stories/')) return notice('story', 'Instagram');
      if (path === '/direct' || path.startsWith('/direct/')) return notice('messages', 'Instagram');
      return null;
    case 'facebook.com':
      // /story.php is an ordinary post permalink, not a story.
      if (path.startsWith('/stories/')) return notice('story', 'Facebook');
      if (path === '/messages' || path.startsWith('/messages/')) return notice('messages', 'Messenger');
      return null;
    case 'messenger.com':
      return notice('messages', 'Messenger');
    case 'x.com':
    case 'twitter.com':
      if (path === '/messages' || path.startsWith('/messages/') || path === '/i/chat' || path.startsWith('/i/chat/')) return notice('messages', 'X');
      return null;
    case 'linkedin.com':
      if (path.startsWith('/in/')) return notice('profile-view', 'LinkedIn');
      if (path === '/messaging' || path.startsWith('/messaging/')) return notice('messages', 'LinkedIn');
      return null;
    case 'tiktok.com':
      // A profile is /@handle; a video under it (/@handle/video/…) is not.
      if (/^\/@[^/]+\/?$/.test(path)) return notice('profile-view', 'TikTok');
      return null;
    default:
      if (host === 'web.whatsapp.com') return notice('messages', 'WhatsApp');
      if (host === 'web.telegram.org') return notice('messages', 'Telegram');
      return null;
  }
}
