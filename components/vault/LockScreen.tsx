import { useState } from 'preact/hooks';
import { db } from '../../utils/background/db';
import { unlock, type LockRecord } from '../../utils/background/vault-lock';

/** Shown instead of the vault while it is locked. */
export function LockScreen({ lock }: { lock: LockRecord }) {
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!passphrase || busy) return;
    setBusy(true);
    setError(null);
    const r = await unlock(db(), passphrase);
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      setPassphrase('');
      (document.getElementById('unlock-passphrase') as HTMLInputElement | null)?.focus();
    }
  };

  return (
    <section class="lock-screen" aria-labelledby="lock-h" id="lock-screen">
      <h2 id="lock-h">The vault is locked</h2>
      <p>Enter your passphrase to see your captures. Capturing still works while the vault is locked: new captures are sealed and stored encrypted, and appear here once you unlock.</p>
      {lock.state === 'encrypting' && (
        <p class="status" role="note">
          Encrypting what was stored before the passphrase was set did not finish. Unlock to finish it; until then some earlier captures are still stored unencrypted on this device.
        </p>
      )}
      {lock.state === 'removing' && <p class="status" role="note">Removing the passphrase did not finish. Unlock to finish it.</p>}
      <form onSubmit={submit} class="toolbar">
        <label>
          Passphrase{' '}
          <input
            type="password"
            id="unlock-passphrase"
            autocomplete="current-password"
            value={passphrase}
            onInput={(e) => setPassphrase((e.target as HTMLInputElement).value)}
            disabled={busy}
            autofocus
            aria-describedby={error ? 'unlock-error' : undefined}
          />
        </label>
        <button class="primary" type="submit" id="unlock" disabled={busy || !passphrase}>
          {busy ? 'Checking…' : 'Unlock'}
        </button>
      </form>
      <div role="status" aria-live="polite">{busy && <p class="muted">Checking the passphrase (this takes a second on purpose: it makes guessing slow).</p>}</div>
      {error && (
        <p class="status error" role="alert" id="unlock-error">
          {error}
        </p>
      )}
      <p class="muted">
        There is no way to recover a forgotten passphrase — not by Cairn, not by anyone — and without it the captures cannot be read. Keep an encrypted backup: after
        unlocking, open <a href="#/settings">Settings → Backup</a>.
      </p>
    </section>
  );
}
