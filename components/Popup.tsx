import { browser } from '@wxt-dev/webextension-polyfill/browser';
import type { Tabs } from 'webextension-polyfill';
import { useEffect, useState } from 'preact/hooks';
import { sendToBackground } from '../utils/shared/messaging';
import { ERROR_TEXT } from '../utils/shared/messages';
import { viewingNotice, type ViewingNotice } from '../utils/shared/viewing-notice';
import { DISCREET_TITLE } from '../utils/background/discreet';
import { QuickExitButton } from './QuickExit';
import { usePageTitle, useSettings } from './use-settings';

/**
 * The tab the popup acts on: the active tab of the popup's own window. When
 * this page is open in a tab or window of its own (keyboard users, tests),
 * it is the most recently used active tab that is not one of ours.
 */
async function targetTab(): Promise<Tabs.Tab | undefined> {
  const own = browser.runtime.getURL('/');
  const notOurs = (t: Tabs.Tab) => !(t.url ?? '').startsWith(own);
  const [current] = await browser.tabs.query({ active: true, currentWindow: true });
  if (current && notOurs(current)) return current;
  const candidates = (await browser.tabs.query({ active: true })).filter(notOurs);
  return candidates.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
}

type State = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; seq: number; hash: string } | { kind: 'error'; text: string; detail?: string };

export function Popup() {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [notice, setNotice] = useState<ViewingNotice | null>(null);
  const { discreet } = useSettings();
  usePageTitle('Cairn', discreet);
  useEffect(() => {
    targetTab().then((t) => setNotice(viewingNotice(t?.url)), () => setNotice(null));
  }, []);

  const capture = async () => {
    setState({ kind: 'busy' });
    const tab = await targetTab();
    if (tab?.id === undefined) return setState({ kind: 'error', text: ERROR_TEXT['no-tab'] });
    const r = await sendToBackground('ui:capture-tab', { tabId: tab.id });
    if (r.ok) setState({ kind: 'done', seq: r.value.seq, hash: r.value.record_sha256 });
    else setState({ kind: 'error', text: ERROR_TEXT[r.error.code] ?? r.error.message, detail: r.error.message });
  };

  const pick = async () => {
    const tab = await targetTab();
    if (tab?.id === undefined) return setState({ kind: 'error', text: ERROR_TEXT['no-tab'] });
    const r = await sendToBackground('ui:pick-element', { tabId: tab.id });
    if (!r.ok) return setState({ kind: 'error', text: ERROR_TEXT[r.error.code] ?? r.error.message, detail: r.error.message });
    // The picker runs in the page; the popup gets out of the way.
    window.close();
  };

  const openVault = async () => {
    await browser.tabs.create({ url: browser.runtime.getURL('/vault.html') });
    window.close();
  };

  return (
    <div class="popup">
      <h1>{discreet ? DISCREET_TITLE : 'Cairn'}</h1>
      {notice && (
        <p class="notice" role="note" id="viewing-notice" data-kind={notice.kind}>
          {notice.text}
        </p>
      )}
      <button class="primary" id="capture-page" onClick={capture} disabled={state.kind === 'busy'}>
        {state.kind === 'busy' ? 'Capturing…' : 'Capture this page'}
      </button>
      <button id="pick-element" onClick={pick} disabled={state.kind === 'busy'}>
        Pick an element…
      </button>
      <p class="muted" style={{ fontSize: '.85em', margin: '.3em 0' }}>
        Or right-click a post, comment or message and choose “Capture this …”. Shortcut: Alt+Shift+S captures the item under the pointer.
      </p>
      <div role="status" aria-live="polite">
        {state.kind === 'done' && (
          <p class="status ok" id="capture-result">
            Saved as capture {state.seq}. Sealed: <span class="mono">{state.hash.slice(0, 16)}…</span>
          </p>
        )}
        {state.kind === 'error' && (
          <div class="status error">
            <p>{state.text}</p>
            {state.detail && state.detail !== state.text && <details><summary>Details</summary><p class="mono">{state.detail}</p></details>}
          </div>
        )}
      </div>
      <button id="open-vault" onClick={openVault}>
        Open the vault
      </button>
      <a href="/safety.html" target="_blank" rel="noopener" id="open-safety" class="small">
        Safety and help
      </a>
      <QuickExitButton tabId={async () => (await targetTab())?.id} />
    </div>
  );
}
