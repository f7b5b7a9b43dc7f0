import { browser } from '@wxt-dev/webextension-polyfill/browser';
import type { SessionBackend, SessionValue } from './vault-lock';

const KEY = 'cairn_unlocked';

type SessionArea = { get(k: string): Promise<Record<string, unknown>>; set(v: Record<string, unknown>): Promise<void>; remove(k: string): Promise<void> };

/**
 * The unlocked key in `browser.storage.session`: memory only, cleared when the
 * browser closes, shared by the background (it survives the Chrome MV3 worker
 * being stopped) and our pages, and not exposed to content scripts (the
 * default access level in both browsers; we never widen it).
 */
export function browserSessionBackend(): SessionBackend {
  // The polyfill does not wrap storage.session; Chrome's MV3 API and Firefox's both return promises.
  const area = (browser.storage as unknown as { session?: SessionArea }).session;
  if (!area) throw new Error('This browser has no in-memory extension storage (storage.session); Cairn needs Chrome 102+ or Firefox 115+.');
  return {
    get: async () => ((await area.get(KEY))[KEY] as SessionValue | undefined) ?? null,
    set: (v) => area.set({ [KEY]: v }),
    remove: () => area.remove(KEY),
    onChange: (f) =>
      browser.storage.onChanged.addListener((changes, areaName) => {
        if (areaName === 'session' && KEY in changes) f((changes[KEY].newValue as SessionValue | undefined) ?? null);
      }),
  };
}
