import { collectPage, SNAPSHOT_CSP } from './collect-page';
import { collectItem, ctxFor, KIND_LABEL, locate, measure, type Located } from './item';
import { startPicker } from './picker';
import { listen, sendToBackground } from '../shared/messaging';
import { leaveNow } from '../shared/quick-exit';
import { ok, err } from '../shared/result';

const FLAG = Symbol.for('cairn.content.loaded');

/**
 * Starts the content-side listener once per frame. It lives in the isolated
 * world: the flag and listeners are invisible to the page's own scripts, and
 * nothing is added to the page's DOM (the picker, started by the user, is the
 * one exception; see picker.ts).
 */
export function startContent(): void {
  const g = globalThis as unknown as Record<symbol, boolean>;
  if (g[FLAG]) return;
  g[FLAG] = true;

  let contextTarget: Element | null = null;
  let pointer: { x: number; y: number } | null = null;
  let picked: Element | null = null;
  let located: Located | null = null;

  // Passive listeners: they never change what the page's own handlers see.
  addEventListener(
    'contextmenu',
    (e) => {
      contextTarget = e.target instanceof Element ? e.target : null;
      const loc = locate(document, contextTarget, ctxFor(window));
      void sendToBackground('content:context-target', { kind: loc?.kind ?? null });
    },
    { capture: true, passive: true },
  );
  addEventListener('mousemove', (e) => (pointer = { x: e.clientX, y: e.clientY }), { capture: true, passive: true });

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
      'bg:locate-item': async ({ source }) => {
        const target =
          source === 'context'
            ? contextTarget
            : source === 'picked'
              ? picked
              : ((pointer && document.elementFromPoint(pointer.x, pointer.y)) ?? (document.activeElement !== document.body ? document.activeElement : null));
        located = locate(document, target, ctxFor(window), source === 'picked');
        if (!located) return err('no-item', 'No post, comment, message or profile was found there.');
        return ok({ kind: located.kind, location: measure(located.element, window) });
      },
      'bg:scroll-to': async ({ x, y }) => {
        window.scrollTo({ left: x, top: y, behavior: 'instant' });
        // Two frames: the scroll is applied and painted before the screenshot.
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const rect = located ? measure(located.element, window).rect : { x: 0, y: 0, width: 0, height: 0 };
        return ok({ x: window.scrollX, y: window.scrollY, rect });
      },
      'bg:collect-item': async () => {
        if (!located) return err('no-item', 'Nothing was located to capture.');
        try {
          return ok(collectItem(located, document, window, ctxFor(window), SNAPSHOT_CSP));
        } catch (e) {
          return err('collect-failed', `Reading the item failed: ${(e as Error).message}`);
        }
      },
      'bg:leave': async ({ url }) => {
        // Quick exit: replace, so Back does not come back here. After answering, so the background hears back first.
        setTimeout(() => leaveNow(url), 0);
        return ok({ leaving: true as const });
      },
      'bg:start-picker': async () => {
        startPicker(document, window, {
          resolve: (el) => locate(document, el, ctxFor(window), true)?.element ?? el,
          describe: (el) => {
            const l = locate(document, el, ctxFor(window), true);
            return l ? `This ${KIND_LABEL[l.kind]}${l.adapter.id !== 'generic' ? ` (${l.adapter.label})` : ''}` : el.tagName.toLowerCase();
          },
          onPick: (el) => {
            picked = el;
            void sendToBackground('content:picked', {});
          },
          onCancel: () => undefined,
        });
        return ok({ started: true as const });
      },
    },
    // Only the background (no tab, no extension page URL) talks to us.
    (type, sender) => type.startsWith('bg:') && !sender.tab,
  );
}
