import { err, ok, type Result } from './result';

/**
 * Quick exit, the parts that need no browser: where to send the tab, and
 * which tab that is. The browser side is utils/background/quick-exit.ts.
 */

/** An ordinary, widely visited page that says nothing about the user. The user can change it in settings. */
export const DEFAULT_QUICK_EXIT_URL = 'https://www.bbc.co.uk/weather';

const MAX_URL = 2000;

/**
 * Checks an address typed in settings. Only an ordinary web page (http or
 * https) will do: a browser page, a file or a script could not be opened by
 * an extension, or would give something away.
 */
export function normaliseExitUrl(input: string): Result<string, 'bad-exit-url'> {
  let text = input.trim();
  if (!text) return err('bad-exit-url', 'Enter the address of an ordinary website, for example https://www.bbc.co.uk/weather.');
  if (text.length > MAX_URL) return err('bad-exit-url', 'That address is too long.');
  // A bare host ("bbc.co.uk/weather") means https.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) text = `https://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return err('bad-exit-url', 'That is not a web address. Use one like https://www.bbc.co.uk/weather.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return err('bad-exit-url', 'Quick exit can only open an ordinary website (an address starting with https://).');
  if (url.username || url.password) return err('bad-exit-url', 'The address must not contain a user name or password.');
  if (!url.hostname) return err('bad-exit-url', 'The address has no site name.');
  return ok(url.href);
}

/** What quick exit needs to know about an open tab. */
export interface TabInfo {
  id?: number;
  url?: string;
  active?: boolean;
  lastAccessed?: number;
  windowId?: number;
  index?: number;
}

/**
 * Chooses the tab to replace and the tabs to close. Our own tabs (vault,
 * safety page, the popup opened as a page) all close. The tab to replace is
 * the one the user named (the popup's page), or else the most recently used
 * tab that is not ours; null when every tab is ours.
 */
export function pickExitTabs(tabs: TabInfo[], ownPrefix: string, preferred?: number): { target: TabInfo | null; close: number[] } {
  const isOwn = (t: TabInfo) => (t.url ?? '').startsWith(ownPrefix);
  const close = tabs.filter((t) => isOwn(t) && t.id !== undefined).map((t) => t.id!);
  const others = tabs.filter((t) => !isOwn(t) && t.id !== undefined);
  const named = preferred === undefined ? undefined : others.find((t) => t.id === preferred);
  if (named) return { target: named, close };
  // Most recently used first; where the browser does not say, an active tab beats a background one.
  const ranked = [...others].sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0) || Number(!!b.active) - Number(!!a.active));
  return { target: ranked[0] ?? null, close };
}

/**
 * Runs in the page (the isolated world, from our collector or as an injected
 * one-off script, so it must stay self-contained): leave for `to` at once,
 * replacing this history entry. A page can hold a navigation back with a
 * "Leave site?" prompt from its beforeunload handler (pages with an unsent
 * draft do). Our capture listener on window stops the page's own listeners;
 * that keeps Firefox from asking (measured), while Chromium asks anyway, and
 * there the background opens the site in a new tab in front instead
 * (utils/background/quick-exit.ts).
 */
export function leaveNow(to: string): void {
  addEventListener('beforeunload', (e) => e.stopImmediatePropagation(), { capture: true });
  try {
    (window as unknown as { onbeforeunload: unknown }).onbeforeunload = null;
  } catch {
    /* nothing to clear */
  }
  location.replace(to);
}

/** How to take the page away, best first: see utils/background/quick-exit.ts. */
export const EXIT_METHODS = ['collector', 'script', 'new-tab'] as const;
export type ExitMethod = (typeof EXIT_METHODS)[number];

/**
 * The plain-words note shown next to every quick-exit button: what it does
 * and what it cannot do (the browser's own history).
 */
export const QUICK_EXIT_HISTORY_NOTE =
  "Quick exit locks Cairn, closes its tabs and puts an ordinary website in place of the page you were on, so Back does not return to it. It deletes nothing. Your browser's history still lists the sites you visited, and its list of recently closed tabs shows Cairn's pages. To remove them, press Ctrl+Shift+Delete (⌘⇧Delete on a Mac) in Chrome, Edge or Firefox and choose what to clear.";
