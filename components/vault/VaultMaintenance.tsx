import { useEffect, useState } from 'preact/hooks';
import { db } from '../../utils/background/db';
import { pendingMaintenance, runMaintenance, type MaintenanceProgress } from '../../utils/background/vault-maintenance';

const TEXT: Record<MaintenanceProgress['phase'], string> = {
  encrypting: 'Encrypting the vault',
  decrypting: 'Removing the encryption',
  rewrapping: 'Re-encrypting captures made while the vault was locked',
};

/**
 * Runs pending encryption work while the vault is unlocked and shows its
 * progress. `epoch` changes whenever there may be new work (unlock, passphrase set or removed).
 */
export function VaultMaintenance({ epoch }: { epoch: string }) {
  const [progress, setProgress] = useState<MaintenanceProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<MaintenanceProgress['phase'] | null>(null);

  useEffect(() => {
    let live = true;
    (async () => {
      if (!(await pendingMaintenance(db()))) return;
      setError(null);
      try {
        const r = await runMaintenance(db(), (p) => live && setProgress(p));
        if (!live) return;
        setProgress(null);
        if (!r.ok) setError(r.error.message);
        else if (r.value) setDone(r.value);
      } catch (e) {
        if (live) setError(`The vault could not be fully ${progress?.phase === 'decrypting' ? 'decrypted' : 'encrypted'}: ${(e as Error).message}. Nothing was lost; it will be tried again.`);
      }
    })();
    return () => {
      live = false;
    };
  }, [epoch]);

  if (error) return <p class="status error" id="maintenance-error">{error}</p>;
  if (progress && progress.total > 0)
    return (
      <div class="status" role="status" aria-live="polite" id="maintenance">
        {TEXT[progress.phase]}… {progress.done} of {progress.total}. You can keep using Cairn; if the browser closes, nothing is lost and this carries on at the next unlock.
        <progress max={progress.total} value={progress.done} />
      </div>
    );
  if (done === 'encrypting') return <p class="status ok" role="status" id="maintenance-done">The vault is encrypted.</p>;
  if (done === 'decrypting') return <p class="status ok" role="status" id="maintenance-done">The passphrase was removed; the vault is no longer encrypted.</p>;
  return null;
}
