import { isExtensionPage, listen } from '../utils/shared/messaging';
import { ok } from '../utils/shared/result';

/**
 * Every Cairn page calls this once: on quick exit the background asks our
 * pages to close (the popup is not a tab, so it cannot be closed from
 * outside). Only our own extension's other contexts may ask.
 */
export function closeOnQuickExit(): void {
  listen(
    {
      'bg:close-pages': async () => {
        setTimeout(() => window.close(), 0);
        return ok({ closing: true as const });
      },
    },
    (type, sender) => type === 'bg:close-pages' && !sender.tab && isExtensionPage(sender),
  );
}
