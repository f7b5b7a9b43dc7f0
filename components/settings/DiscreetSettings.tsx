import { useEffect, useState } from 'preact/hooks';
import { ERROR_TEXT } from '../../utils/shared/messages';
import { sendToBackground } from '../../utils/shared/messaging';
import { DEFAULT_QUICK_EXIT_URL, normaliseExitUrl } from '../../utils/shared/quick-exit';
import { QuickExitButton } from '../QuickExit';
import { useSettings } from '../use-settings';

type Status = { kind: 'idle' } | { kind: 'saved'; text: string } | { kind: 'error'; text: string };

/** Settings: discreet mode and where quick exit goes. */
export function DiscreetSettings() {
  const settings = useSettings();
  const [url, setUrl] = useState(settings.quick_exit_url);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  useEffect(() => setUrl(settings.quick_exit_url), [settings.quick_exit_url]);

  const toggle = async (discreet: boolean) => {
    const r = await sendToBackground('ui:update-privacy', { discreet });
    setStatus(r.ok ? { kind: 'saved', text: discreet ? 'Discreet mode is on.' : 'Discreet mode is off.' } : { kind: 'error', text: ERROR_TEXT[r.error.code] ?? r.error.message });
  };

  const saveUrl = async (e: Event) => {
    e.preventDefault();
    // Checked here for a quick answer, and again by the background, which is what counts.
    const checked = normaliseExitUrl(url);
    if (!checked.ok) return setStatus({ kind: 'error', text: checked.error.message });
    const r = await sendToBackground('ui:update-privacy', { quick_exit_url: checked.value });
    if (!r.ok) return setStatus({ kind: 'error', text: r.error.message });
    setUrl(r.value.quick_exit_url);
    setStatus({ kind: 'saved', text: `Quick exit will open ${r.value.quick_exit_url}` });
  };

  return (
    <section aria-labelledby="discreet-h" class="settings-section">
      <h3 id="discreet-h">Discreet mode</h3>
      <label class="check">
        <input type="checkbox" id="discreet-toggle" checked={settings.discreet} onChange={(e) => toggle((e.target as HTMLInputElement).checked)} />
        Use discreet mode
      </label>
      <p class="muted">
        The toolbar button shows a plain grey page titled “Notes”, Cairn's tabs are titled “Notes”, the right-click menu says
        “Save this …”, and screenshots and snapshots in the vault stay blurred until you click them. Cairn never shows badges
        or notifications in either mode. The browser's list of extensions still names Cairn.
      </p>

      <h3 id="exit-h">Quick exit</h3>
      <form onSubmit={saveUrl} class="toolbar">
        <label>
          Website quick exit opens{' '}
          <input type="url" id="quick-exit-url" value={url} size={40} maxLength={2000} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} placeholder={DEFAULT_QUICK_EXIT_URL} />
        </label>
        <button type="submit" id="quick-exit-save">Save</button>
      </form>
      <div role="status" aria-live="polite" id="settings-status">
        {status.kind === 'saved' && <p class="status ok">{status.text}</p>}
        {status.kind === 'error' && <p class="status error">{status.text}</p>}
      </div>
      <QuickExitButton withNote />
    </section>
  );
}
