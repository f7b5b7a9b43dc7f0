import { browser } from '@wxt-dev/webextension-polyfill/browser';
import { useEffect, useState } from 'preact/hooks';
import { buildBackup, markBackedUp, restoreBackup, unfinishedRestore, type BackupProgress } from '../../utils/background/backup';
import { db } from '../../utils/background/db';
import { getSettings } from '../../utils/background/settings';
import { sendToBackground } from '../../utils/shared/messaging';
import { formatBytes, formatTime } from '../format';
import { useLive } from '../use-live';
import { useLockState } from '../vault/use-lock';

type MakeState =
  | { kind: 'idle' }
  | { kind: 'busy'; progress: BackupProgress | null }
  | { kind: 'done'; url: string; filename: string; bytes: number; captures: number }
  | { kind: 'error'; text: string };

type RestoreState = { kind: 'idle' } | { kind: 'busy'; progress: BackupProgress | null } | { kind: 'done'; text: string } | { kind: 'error'; text: string };

const PHASE: Record<BackupProgress['phase'], string> = {
  collecting: 'Reading the vault',
  checking: 'Decrypting and checking the backup',
  writing: 'Restoring',
  done: 'Done',
};

function Progress({ p }: { p: BackupProgress | null }) {
  if (!p) return <p class="muted">Deriving the key from the passphrase…</p>;
  return (
    <div>
      {PHASE[p.phase]}… {p.total ? `${p.done} of ${p.total}` : ''}
      <progress max={p.total || 1} value={p.done} />
    </div>
  );
}

/** Settings → Backup and restore. */
export function BackupSettings() {
  const lock = useLockState();
  const [make, setMake] = useState<MakeState>({ kind: 'idle' });
  const [restore, setRestore] = useState<RestoreState>({ kind: 'idle' });
  const [pass, setPass] = useState({ make: '', confirm: '', restore: '' });
  const [file, setFile] = useState<File | null>(null);
  const captures = useLive(() => db().captures.count(), [], 0);
  const ledger = useLive(() => db().ledger.count(), [], 0);
  const settings = useLive(() => getSettings(db()), [], null);
  const unfinished = useLive(() => unfinishedRestore(db()), [], null);

  useEffect(() => () => { if (make.kind === 'done') URL.revokeObjectURL(make.url); }, [make]);

  const mismatch = pass.confirm.length > 0 && pass.make !== pass.confirm;

  const doMake = async (e: Event) => {
    e.preventDefault();
    setMake({ kind: 'busy', progress: null });
    try {
      const r = await buildBackup(db(), pass.make, { toolVersion: browser.runtime.getManifest().version, onProgress: (progress) => setMake({ kind: 'busy', progress }) });
      if (!r.ok) return setMake({ kind: 'error', text: r.error.message });
      const url = URL.createObjectURL(new Blob(r.value.parts as BlobPart[], { type: 'application/octet-stream' }));
      await markBackedUp(db());
      setPass({ ...pass, make: '', confirm: '' });
      setMake({ kind: 'done', url, filename: r.value.filename, bytes: r.value.bytes, captures: r.value.counts.captures });
      const a = document.createElement('a');
      a.href = url;
      a.download = r.value.filename;
      a.click();
    } catch (err) {
      setMake({ kind: 'error', text: `The backup could not be made, and nothing was saved: ${(err as Error).message}` });
    }
  };

  const doRestore = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setRestore({ kind: 'busy', progress: null });
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const r = await restoreBackup(db(), bytes, pass.restore, { onProgress: (progress) => setRestore({ kind: 'busy', progress }) });
      setPass({ ...pass, restore: '' });
      if (!r.ok) return setRestore({ kind: 'error', text: r.error.message });
      // The restored settings include the auto-lock time; the background applies it.
      await sendToBackground('ui:lock-config', {});
      const c = r.value.counts;
      setRestore({
        kind: 'done',
        text: `Restored ${c.captures} capture${c.captures === 1 ? '' : 's'}, ${c.ledger} ledger entries, ${c.diary} diary entr${c.diary === 1 ? 'y' : 'ies'} and ${c.annotations} note${c.annotations === 1 ? '' : 's'} and tags from the backup of ${formatTime(r.value.backup_created)}. Every record keeps its original seal; the restore itself is recorded in the ledger.`,
      });
    } catch (err) {
      setRestore({ kind: 'error', text: `The restore stopped: ${(err as Error).message}. Choose the same file again to finish it.` });
    }
  };

  const lastBackup = settings?.last_backup_at;
  return (
    <section aria-labelledby="backup-h" id="backup-settings">
      <h3 id="backup-h">Backup and restore</h3>
      <p>
        Cairn keeps everything inside this browser. <strong>Removing the extension, resetting the browser or clearing its data deletes the vault</strong>, and a
        lost or broken computer takes it along. A backup is one encrypted file holding everything — every capture with its files and seals, the ledger, the diary,
        notes and tags, and the public keys needed to check them. Keep it away from this computer (a USB stick, another account), together with its passphrase.
      </p>
      <p class="muted" id="last-backup">{lastBackup ? `Last backup made ${formatTime(lastBackup)}.` : 'No backup has been made from this vault yet.'}</p>

      <h4>Make a backup</h4>
      <form onSubmit={doMake}>
        <p>
          <label>
            Passphrase for the backup (at least 8 characters; it may be the same as the vault's)
            <br />
            <input type="password" id="backup-pass" autocomplete="new-password" size={40} value={pass.make} onInput={(e) => setPass({ ...pass, make: (e.target as HTMLInputElement).value })} disabled={make.kind === 'busy'} />
          </label>
        </p>
        <p>
          <label>
            The same passphrase again
            <br />
            <input type="password" id="backup-confirm" autocomplete="new-password" size={40} value={pass.confirm} onInput={(e) => setPass({ ...pass, confirm: (e.target as HTMLInputElement).value })} disabled={make.kind === 'busy'} aria-invalid={mismatch} />
          </label>
          {mismatch && <span class="muted"> — not the same yet</span>}
        </p>
        <button class="primary" type="submit" id="backup-make" disabled={make.kind === 'busy' || pass.make.length < 8 || pass.make !== pass.confirm || lock.status === 'locked'}>
          Make an encrypted backup
        </button>
        <p class="muted">Without this passphrase the backup cannot be opened by anyone, including you.</p>
      </form>
      <div role="status" aria-live="polite">
        {make.kind === 'busy' && <Progress p={make.progress} />}
        {make.kind === 'done' && (
          <p class="status ok">
            Backup of {make.captures} capture{make.captures === 1 ? '' : 's'} ready ({formatBytes(make.bytes)}).{' '}
            <a href={make.url} download={make.filename} id="backup-link">
              Save {make.filename}
            </a>
          </p>
        )}
        {make.kind === 'error' && <p class="status error" id="backup-error">{make.text}</p>}
      </div>

      <h4>Restore a backup</h4>
      <p>
        A backup can be restored into an empty vault: a new browser profile, another browser, or this one after Cairn was removed and added again. Restored captures keep
        their original seals and verify as before.
      </p>
      {unfinished && <p class="status" role="note">An earlier restore did not finish. Choose the same backup file again to finish it.</p>}
      {!unfinished && (captures > 0 || ledger > 0) && <p class="status" role="note">This vault already holds captures, so a backup cannot be restored into it (two histories are never mixed).</p>}
      {lock.status === 'none' && <p class="muted">Tip: set a passphrase first (Lock, above), so the restored vault is encrypted from the start.</p>}
      <form onSubmit={doRestore}>
        <p>
          <label>
            Backup file (.cairnbak){' '}
            <input type="file" id="restore-file" accept=".cairnbak,application/octet-stream" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} disabled={restore.kind === 'busy'} />
          </label>
        </p>
        <p>
          <label>
            The backup's passphrase
            <br />
            <input type="password" id="restore-pass" autocomplete="off" size={40} value={pass.restore} onInput={(e) => setPass({ ...pass, restore: (e.target as HTMLInputElement).value })} disabled={restore.kind === 'busy'} />
          </label>
        </p>
        <button type="submit" id="restore-start" disabled={restore.kind === 'busy' || !file || !pass.restore}>
          Restore this backup
        </button>
      </form>
      <div role="status" aria-live="polite">
        {restore.kind === 'busy' && <Progress p={restore.progress} />}
        {restore.kind === 'done' && <p class="status ok" id="restore-result">{restore.text}</p>}
        {restore.kind === 'error' && <p class="status error" id="restore-error">{restore.text}</p>}
      </div>
    </section>
  );
}
