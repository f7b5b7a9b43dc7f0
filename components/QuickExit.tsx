import { browser } from '@wxt-dev/webextension-polyfill/browser';
import { useEffect, useState } from 'preact/hooks';
import { sendToBackground } from '../utils/shared/messaging';
import { QUICK_EXIT_HISTORY_NOTE } from '../utils/shared/quick-exit';

/** The shortcut the browser actually gave quick exit (the user or another extension may have changed it). */
function useShortcut(): string | null | undefined {
  const [shortcut, setShortcut] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    browser.commands
      ?.getAll()
      .then((all) => setShortcut(all.find((c) => c.name === 'quick-exit')?.shortcut || null))
      .catch(() => setShortcut(null));
  }, []);
  return shortcut;
}

/**
 * The quick-exit button, on every Cairn page. `tabId` names the page to
 * replace when this page knows it (the popup); otherwise the background uses
 * the last page the user was on.
 */
export function QuickExitButton({ tabId, withNote = false }: { tabId?: () => Promise<number | undefined>; withNote?: boolean }) {
  const shortcut = useShortcut();
  const [busy, setBusy] = useState(false);
  const exit = async () => {
    setBusy(true);
    const id = tabId ? await tabId().catch(() => undefined) : undefined;
    // The background closes this page; if it could not, say nothing changed rather than pretend.
    const r = await sendToBackground('ui:quick-exit', id === undefined ? {} : { tabId: id });
    if (r.ok) window.close();
    else setBusy(false);
  };
  return (
    <div class="quick-exit">
      <button class="exit" id="quick-exit" onClick={exit} disabled={busy} aria-describedby={withNote ? 'quick-exit-note' : undefined} title={shortcut ? `Quick exit (${shortcut})` : 'Quick exit'}>
        {busy ? 'Leaving…' : 'Quick exit'}
      </button>
      {withNote && (
        <p class="muted small" id="quick-exit-note">
          {shortcut ? <>Shortcut: <kbd>{shortcut}</kbd>. </> : shortcut === null ? <>No shortcut is set (the browser's extension shortcuts page can set one). </> : null}
          {QUICK_EXIT_HISTORY_NOTE}
        </p>
      )}
    </div>
  );
}
