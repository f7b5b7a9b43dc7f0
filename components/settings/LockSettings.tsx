import { useEffect, useState } from 'preact/hooks';
import { db } from '../../utils/background/db';
import { getSettings, updateSettings } from '../../utils/background/settings';
import { beginRemovePassphrase, changePassphrase, lockNow, setPassphrase, MIN_PASSPHRASE } from '../../utils/background/vault-lock';
import { sendToBackground } from '../../utils/shared/messaging';
import { useLockState } from '../vault/use-lock';

const AUTO_LOCK = [
  { minutes: 5, label: 'after 5 minutes' },
  { minutes: 15, label: 'after 15 minutes' },
  { minutes: 30, label: 'after 30 minutes' },
  { minutes: 60, label: 'after 1 hour' },
  { minutes: 240, label: 'after 4 hours' },
  { minutes: 0, label: 'only when the browser closes' },
] as const;

type Status = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'ok'; text: string } | { kind: 'error'; text: string };

const value = (e: Event) => (e.target as HTMLInputElement).value;

function NoRecovery() {
  return (
    <p class="status" role="note">
      <strong>There is no recovery.</strong> If the passphrase is forgotten, nobody can open the vault — not Cairn, not anyone. Make an encrypted backup (below) and keep
      it, and its passphrase, somewhere safe.
    </p>
  );
}

/** Settings → Lock: set, change or remove the passphrase, and choose when the vault locks itself. */
export function LockSettings() {
  const lock = useLockState();
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [fields, setFields] = useState({ next: '', confirm: '', current: '', removeCurrent: '' });
  const [minutes, setMinutes] = useState<number | null>(null);
  const set = (k: keyof typeof fields) => (e: Event) => setFields({ ...fields, [k]: value(e) });

  useEffect(() => {
    getSettings(db()).then((s) => setMinutes(s.auto_lock_minutes));
  }, []);

  const busy = status.kind === 'busy';
  const mismatch = fields.confirm.length > 0 && fields.next !== fields.confirm;

  const create = async (e: Event) => {
    e.preventDefault();
    if (fields.next !== fields.confirm) return setStatus({ kind: 'error', text: 'The two passphrases are not the same.' });
    setStatus({ kind: 'busy', text: 'Setting the passphrase…' });
    const r = await setPassphrase(db(), fields.next);
    setFields({ next: '', confirm: '', current: '', removeCurrent: '' });
    setStatus(r.ok ? { kind: 'ok', text: 'Passphrase set. Everything already in the vault is being encrypted now (progress at the top).' } : { kind: 'error', text: r.error.message });
  };

  const change = async (e: Event) => {
    e.preventDefault();
    if (fields.next !== fields.confirm) return setStatus({ kind: 'error', text: 'The two new passphrases are not the same.' });
    setStatus({ kind: 'busy', text: 'Changing the passphrase…' });
    const r = await changePassphrase(db(), fields.current, fields.next);
    setFields({ next: '', confirm: '', current: '', removeCurrent: '' });
    setStatus(r.ok ? { kind: 'ok', text: 'Passphrase changed. Use the new one from now on.' } : { kind: 'error', text: r.error.message });
  };

  const remove = async (e: Event) => {
    e.preventDefault();
    setStatus({ kind: 'busy', text: 'Checking the passphrase…' });
    const r = await beginRemovePassphrase(db(), fields.removeCurrent);
    setFields({ ...fields, removeCurrent: '' });
    setStatus(r.ok ? { kind: 'ok', text: 'Removing the passphrase: the vault is being decrypted (progress at the top).' } : { kind: 'error', text: r.error.message });
  };

  const chooseMinutes = async (m: number) => {
    setMinutes(m);
    await updateSettings(db(), { auto_lock_minutes: m });
    const r = await sendToBackground('ui:lock-config', {});
    setStatus(r.ok ? { kind: 'ok', text: m ? `The vault now locks itself after ${m} minutes without use of the computer, and when the browser closes.` : 'The vault now locks only when the browser closes (or when you lock it).' } : { kind: 'error', text: r.error.message });
  };

  const statusLine = (
    <div role="status" aria-live="polite" id="lock-settings-status">
      {status.kind === 'busy' && <p class="muted">{status.text}</p>}
      {status.kind === 'ok' && <p class="status ok">{status.text}</p>}
      {status.kind === 'error' && <p class="status error">{status.text}</p>}
    </div>
  );

  if (lock.status === 'loading') return <section aria-labelledby="lock-settings-h"><h3 id="lock-settings-h">Lock</h3><p class="muted">…</p></section>;

  if (lock.status === 'none')
    return (
      <section aria-labelledby="lock-settings-h" id="lock-settings">
        <h3 id="lock-settings-h">Lock</h3>
        <p>
          A passphrase encrypts everything Cairn keeps on this device (screenshots, pages, text, addresses, your notes and diary) and locks the vault when you are away.
          Someone who opens this browser then sees only a lock screen. Capturing keeps working while the vault is locked.
        </p>
        <NoRecovery />
        <form onSubmit={create}>
          <p>
            <label>
              New passphrase (at least {MIN_PASSPHRASE} characters; several unrelated words are easiest to remember)
              <br />
              <input type="password" id="lock-new" autocomplete="new-password" value={fields.next} onInput={set('next')} disabled={busy} size={40} />
            </label>
          </p>
          <p>
            <label>
              The same passphrase again
              <br />
              <input type="password" id="lock-confirm" autocomplete="new-password" value={fields.confirm} onInput={set('confirm')} disabled={busy} size={40} aria-invalid={mismatch} />
            </label>
            {mismatch && <span class="muted"> — not the same yet</span>}
          </p>
          <button class="primary" type="submit" id="lock-set" disabled={busy || fields.next.length < MIN_PASSPHRASE || fields.next !== fields.confirm}>
            Encrypt the vault with this passphrase
          </button>
        </form>
        {statusLine}
      </section>
    );

  return (
    <section aria-labelledby="lock-settings-h" id="lock-settings">
      <h3 id="lock-settings-h">Lock</h3>
      <p>
        The vault is encrypted with a passphrase.{' '}
        <button id="settings-lock-now" onClick={() => void lockNow()}>
          Lock now
        </button>
      </p>
      <NoRecovery />
      <p>
        <label>
          Lock the vault by itself{' '}
          <select id="auto-lock-minutes" value={minutes ?? 15} onChange={(e) => void chooseMinutes(Number((e.target as HTMLSelectElement).value))} disabled={minutes === null}>
            {AUTO_LOCK.map((o) => (
              <option key={o.minutes} value={o.minutes}>
                {o.label}
              </option>
            ))}
          </select>
        </label>{' '}
        <span class="muted">(time without using the computer; it also locks when the screen locks and when the browser closes)</span>
      </p>
      <details>
        <summary>Change the passphrase</summary>
        <form onSubmit={change}>
          <p>
            <label>
              Current passphrase
              <br />
              <input type="password" id="change-current" autocomplete="current-password" value={fields.current} onInput={set('current')} disabled={busy} size={40} />
            </label>
          </p>
          <p>
            <label>
              New passphrase
              <br />
              <input type="password" id="change-new" autocomplete="new-password" value={fields.next} onInput={set('next')} disabled={busy} size={40} />
            </label>
          </p>
          <p>
            <label>
              The new passphrase again
              <br />
              <input type="password" id="change-confirm" autocomplete="new-password" value={fields.confirm} onInput={set('confirm')} disabled={busy} size={40} aria-invalid={mismatch} />
            </label>
          </p>
          <button type="submit" id="change-submit" disabled={busy || !fields.current || fields.next.length < MIN_PASSPHRASE || fields.next !== fields.confirm}>
            Change the passphrase
          </button>
          <p class="muted">Only the key that opens the vault is re-encrypted, so this is quick whatever the vault holds. Backups made earlier keep their own passphrase.</p>
        </form>
      </details>
      <details>
        <summary>Remove the passphrase</summary>
        <form onSubmit={remove}>
          <p>Everything will be decrypted and stored unencrypted on this device again, and the vault will no longer lock.</p>
          <p>
            <label>
              Current passphrase
              <br />
              <input type="password" id="remove-current" autocomplete="current-password" value={fields.removeCurrent} onInput={set('removeCurrent')} disabled={busy} size={40} />
            </label>
          </p>
          <button class="danger" type="submit" id="remove-submit" disabled={busy || !fields.removeCurrent}>
            Remove the passphrase and decrypt the vault
          </button>
        </form>
      </details>
      {statusLine}
    </section>
  );
}
