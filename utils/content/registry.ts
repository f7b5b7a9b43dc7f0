import type { Extraction } from '../shared/types';
import type { ExtractContext, PlatformAdapter } from './platforms/types';
import bluesky from './platforms/bluesky';
import discord from './platforms/discord';
import facebook from './platforms/facebook';
import generic from './platforms/generic';
import instagram from './platforms/instagram';
import linkedin from './platforms/linkedin';
import mastodon from './platforms/mastodon';
import messenger from './platforms/messenger';
import reddit from './platforms/reddit';
import telegram from './platforms/telegram';
import threads from './platforms/threads';
import tiktok from './platforms/tiktok';
import twitter from './platforms/twitter';
import whatsapp from './platforms/whatsapp';
import youtube from './platforms/youtube';

/**
 * The one adapter registry. Order matters where URLs overlap: Messenger
 * before Facebook (facebook.com/messages). Mastodon has no fixed domain and is
 * recognised from the document; the generic adapter serves everything else.
 */
export const PLATFORM_ADAPTERS: readonly PlatformAdapter[] = [
  twitter, messenger, facebook, instagram, threads, reddit, tiktok, youtube, linkedin, bluesky, telegram, whatsapp, discord, mastodon,
];
export const GENERIC_ADAPTER: PlatformAdapter = generic;
export const ALL_ADAPTERS: readonly PlatformAdapter[] = [...PLATFORM_ADAPTERS, generic];

export function adapterFor(doc: Document, url: URL): PlatformAdapter {
  return (
    PLATFORM_ADAPTERS.find((a) => a.matchesUrl(url)) ??
    PLATFORM_ADAPTERS.find((a) => {
      try {
        return a.matchesDocument?.(doc, url) ?? false;
      } catch {
        return false;
      }
    }) ??
    generic
  );
}

/** Every item on the page, or the page-level record when the page has none (what `npm run extract` prints). */
export function extractAll(doc: Document, ctx: ExtractContext): Extraction[] {
  const adapter = adapterFor(doc, ctx.url);
  const items = adapter.findItems(doc, ctx);
  const out: Extraction[] = [];
  const page = adapter.extractPage?.(doc, ctx) ?? null;
  if (page) out.push(page);
  const sameProfile = (e: Extraction) =>
    page?.kind === 'profile' &&
    e.kind === 'profile' &&
    ((!!e.account?.handle && e.account.handle === page.account?.handle) ||
      (!!e.account?.platform_account_id && e.account.platform_account_id === page.account?.platform_account_id));
  for (const el of items) {
    const e = adapter.extract(el, ctx);
    // A profile page's header is the same profile as the page-level record: list it once.
    if (!sameProfile(e)) out.push(e);
  }
  if (out.length === 0) {
    const g = adapter === generic ? null : generic.extractPage?.(doc, ctx);
    if (g) out.push(g);
  }
  return out;
}
