import { browser } from '@wxt-dev/webextension-polyfill/browser';
import { useEffect, useState } from 'preact/hooks';
import { db } from '../../utils/background/db';
import { getSettings, updateSettings, DEFAULT_SETTINGS } from '../../utils/background/settings';
import { checkAuthorityUrl, originPattern } from '../../utils/background/timestamp';
import { tsaCounts } from '../../utils/background/timestamp-queue';
import { sendToBackground } from '../../utils/shared/messaging';
import { useLive } from '../use-live';

/** Well-known authorities, offered as suggestions only: none is contacted until the user turns timestamps on. */
export const TSA_SUGGESTIONS = [
  { name: 'FreeTSA', url: 'https://freetsa.org/tsr', note: 'free, run by volunteers; root certificate at freetsa.org/files/cacert.pem' },
  { name: 'DigiCert', url: 'http://timestamp.digicert.com', note: "a commercial certificate authority's public service" },
  { name: 'Sectigo', url: 'http://timestamp.sectigo.com', note: "a commercial certificate authority's public service; it asks for 15 seconds between requests, which Cairn keeps" },
  { name: 'GlobalSign', url: 'http://timestamp.globalsign.com/tsa/r6advanced1', note: "a commercial certificate authority's public service" },
  { name: 'Certum', url: 'http://time.certum.pl', note: "a commercial certificate authority's public service" },
] as const;

type Note = { kind: 'ok' | 'error' | 'info'; text: string } | null;

/** Settings → Trusted timestamps: the switch, the authority, what is sent, and the queue. */
export function TimestampSettings() {
  const settings = useLive(() => getSettings(db()), [], DEFAULT_SETTINGS);
  const counts = useLive(() => tsaCounts(db()), [], { pending: 0, stamped: 0 });
  const saved = settings.timestamps;
  const [url, setUrl] = useState('');
  const [touched, setTouched] = useState(false);
  const [note, setNote] = useState<Note>(null);
  const [busy, setBusy] = useState<'switch' | 'retry' | null>(null);

  // Show the saved address until the user starts typing.
  useEffect(() => {
    if (!touched) setUrl(saved.authority_url ?? '');
  }, [saved.authority_url, touched]);

  /**
   * Turns timestamps on for `raw`. The permission request must be the first
   * thing the click does: browsers grant it only inside the user's gesture
   * (Firefox refuses it after any other await).
   */
  const enable = (raw: string) => {
    const u = checkAuthorityUrl(raw);
    if (!u.ok) {
      setNote({ kind: 'error', text: u.error.message });
      return;
    }
    const href = u.value.href;
    setBusy('switch');
    setNote({ kind: 'info', text: `Asking your browser to let Cairn contact ${u.value.host}…` });
    browser.permissions
      .request({ origins: [originPattern(href)] })
      .then(async (granted) => {
        if (!granted) {
          setNote({ kind: 'error', text: `Cairn was not allowed to contact ${u.value.host}, so timestamps stay off. Nothing was sent.` });
          return;
        }
        await updateSettings(db(), { timestamps: { enabled: true, authority_url: href } });
        setTouched(false);
        setNote({ kind: 'ok', text: `Timestamps are on. Each new capture's hash will be sent to ${u.value.host} right after it is saved.` });
        void sendToBackground('ui:tsa-retry', {});
      })
      .catch((e: unknown) => setNote({ kind: 'error', text: `Timestamps stay off: the browser refused the permission (${(e as Error).message}).` }))
      .finally(() => setBusy(null));
  };

  const disable = async () => {
    setBusy('switch');
    try {
      await updateSettings(db(), { timestamps: { enabled: false, authority_url: saved.authority_url } });
      setNote({ kind: 'ok', text: 'Timestamps are off. Nothing more will be sent.' });
      // Give the access back; a build that holds it permanently (tests) refuses, which is fine.
      if (saved.authority_url) await browser.permissions.remove({ origins: [originPattern(saved.authority_url)] }).catch(() => false);
    } finally {
      setBusy(null);
    }
  };

  const retry = async () => {
    setBusy('retry');
    setNote({ kind: 'info', text: 'Asking the authority for the waiting timestamps…' });
    const r = await sendToBackground('ui:tsa-retry', {});
    setBusy(null);
    if (!r.ok) setNote({ kind: 'error', text: r.error.message });
    else if (r.value.error) setNote({ kind: 'error', text: `${r.value.stamped} timestamp${r.value.stamped === 1 ? '' : 's'} received; ${r.value.pending} still waiting. ${r.value.error}` });
    else setNote({ kind: 'ok', text: r.value.stamped ? `${r.value.stamped} timestamp${r.value.stamped === 1 ? '' : 's'} received. None waiting.` : 'Nothing is waiting.' });
  };

  const changed = saved.enabled && url.trim() !== (saved.authority_url ?? '');

  return (
    <section aria-labelledby="tsa-h" id="tsa-settings">
      <h3 id="tsa-h">Trusted timestamps</h3>
      <p>
        A trusted timestamp is a time-stamping authority's signed statement that a capture existed at a given time, so the time
        does not rest on this computer's clock alone. It follows the RFC 3161 standard, which police and courts can check with
        ordinary tools.
      </p>
      <p id="tsa-privacy">
        <strong>What is sent:</strong> only each capture's hash (a 64-character fingerprint of the record; nothing of what was
        captured can be read from it) and, like any connection, your IP address. The authority learns that someone at that address
        used it at that time. Nothing is sent until you turn this on.
      </p>
      <p class="muted">
        When you turn this on, your browser asks whether Cairn may access the authority's site (browsers word it as reading and
        changing data there). Cairn needs that only to read the authority's reply; it sends nothing else there.
      </p>
      <div class="toolbar">
        <button
          role="switch"
          aria-checked={saved.enabled}
          id="tsa-enabled"
          class={saved.enabled ? 'primary' : undefined}
          disabled={busy !== null}
          onClick={() => (saved.enabled ? void disable() : enable(url))}
        >
          Timestamps: {saved.enabled ? 'on' : 'off'}
        </button>
        <label>
          Time-stamping authority address{' '}
          <input
            id="tsa-url"
            type="url"
            size={40}
            list="tsa-suggestions"
            placeholder="https://freetsa.org/tsr"
            value={url}
            onInput={(e) => {
              setTouched(true);
              setUrl((e.target as HTMLInputElement).value);
            }}
          />
        </label>
        <datalist id="tsa-suggestions">
          {TSA_SUGGESTIONS.map((s) => <option key={s.url} value={s.url}>{s.name}</option>)}
        </datalist>
        {changed && (
          <button id="tsa-save" disabled={busy !== null} onClick={() => enable(url)}>
            Use this address
          </button>
        )}
      </div>
      <details>
        <summary>Suggested authorities</summary>
        <ul id="tsa-suggestion-list">
          {TSA_SUGGESTIONS.map((s) => (
            <li key={s.url}>
              <button
                type="button"
                onClick={() => {
                  setTouched(true);
                  setUrl(s.url);
                }}
              >
                {s.name}
              </button>{' '}
              <span class="mono">{s.url}</span> <span class="muted">({s.note})</span>
            </li>
          ))}
        </ul>
        <p class="muted">Cairn contacts none of these unless you choose it and turn timestamps on.</p>
      </details>
      <p id="tsa-counts">
        {counts.stamped} capture{counts.stamped === 1 ? '' : 's'} witnessed, {counts.pending} waiting for a timestamp.
        {counts.pending > 0 && ' Waiting captures are kept safely and retried automatically; their packages say "pending" until the token arrives.'}
      </p>
      <div class="toolbar">
        <button id="tsa-retry" disabled={busy !== null || counts.pending === 0 || !saved.enabled} onClick={() => void retry()}>
          Retry now
        </button>
      </div>
      <div role="status" aria-live="polite" id="tsa-note">
        {note && <p class={`status ${note.kind === 'info' ? '' : note.kind}`}>{note.text}</p>}
      </div>
    </section>
  );
}
