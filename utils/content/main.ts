import { collectPage } from './collect-page';
import { listen } from '../shared/messaging';
import { ok, err } from '../shared/result';

const FLAG = Symbol.for('cairn.content.loaded');

/**
 * Starts the content-side listener once per frame. It lives in the isolated
 * world: the flag and listeners are invisible to the page's own scripts, and
 * nothing is added to the page's DOM.
 */
export function startContent(): void {
  const g = globalThis as unknown as Record<symbol, boolean>;
  if (g[FLAG]) return;
  g[FLAG] = true;
  listen(
    {
      'bg:ping': async () => ok({ ready: true as const }),
      'bg:collect-page': async () => {
        try {
          return ok(collectPage(document, window));
        } catch (e) {
          return err('collect-failed', `Reading the page failed: ${(e as Error).message}`);
        }
      },
    },
    // Only the background (no tab, no extension page URL) talks to us.
    (type, sender) => type.startsWith('bg:') && !sender.tab,
  );
}
