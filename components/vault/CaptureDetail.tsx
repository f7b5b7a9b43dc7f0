import { useEffect, useState } from 'preact/hooks';
import { db } from '../../utils/background/db';
import { deleteCapture } from '../../utils/background/store';
import { readBlob, readCapture, readLedgerEntry } from '../../utils/background/vault-data';
import { fromUtf8 } from '../../utils/shared/encoding';
import { formatBytes, formatTime } from '../format';
import { useLive } from '../use-live';
import { Veil } from '../Veil';
import { BlobImage } from './Thumb';
import { TimestampStatus } from './TimestampStatus';

/** The snapshot is shown only inside a sandboxed frame: no scripts, no same-origin access, and its own CSP blocks loads. */
function Snapshot({ sha256 }: { sha256: string }) {
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    readBlob(db(), sha256).then((b) => setHtml(b ? fromUtf8(b.bytes) : null), () => setHtml(null));
  }, [sha256]);
  if (html === null) return <p class="muted">Loading snapshot…</p>;
  return (
    <Veil label="the snapshot" class="veil-block">
      <iframe sandbox="" srcDoc={html} title="Cleaned snapshot of the page (scripts removed)" referrerpolicy="no-referrer" id="snapshot-frame" />
    </Veil>
  );
}

export function CaptureDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const row = useLive(() => readCapture(db(), id), [id], undefined);
  const entry = useLive(() => (row ? readLedgerEntry(db(), row.record.seal.ledger_seq) : Promise.resolve(undefined)), [row?.id], undefined);
  const [deleting, setDeleting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  if (!row) return (
    <section>
      <button onClick={onBack}>← All captures</button>
      <p class="muted">This capture is not in the vault (it may have been deleted).</p>
    </section>
  );
  const r = row.record;
  const shot = r.artefacts.find((a) => a.role === 'screenshot_viewport');
  const snap = r.artefacts.find((a) => a.role === 'dom_snapshot');

  const doDelete = async () => {
    setError(null);
    try {
      await deleteCapture(db(), id, reason);
      onBack();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section class="detail" aria-labelledby="capture-h">
      <div class="toolbar">
        <button onClick={onBack}>← All captures</button>
      </div>
      <h2 id="capture-h">
        Capture {r.seq}: {r.page_title || r.page_url}
      </h2>
      <table>
        <tbody>
          <tr><th>Address</th><td class="mono">{r.page_url}</td></tr>
          {r.canonical_url && r.canonical_url !== r.page_url && <tr><th>Canonical address</th><td class="mono">{r.canonical_url}</td></tr>}
          <tr><th>Captured</th><td>{formatTime(r.captured_at)} <span class="muted">({r.captured_at} UTC, {r.tz})</span></td></tr>
          <tr><th>Platform · kind</th><td>{r.platform} · {r.kind}</td></tr>
          <tr><th>Browser</th><td>{r.environment.browser} {r.environment.browser_version} on {r.environment.os}; viewport {r.environment.viewport.width}×{r.environment.viewport.height} at {r.environment.device_pixel_ratio}×</td></tr>
          <tr><th>Record hash</th><td class="mono" id="record-hash">{r.seal.record_sha256}</td></tr>
          <tr><th>Trusted timestamp</th><td><TimestampStatus row={row} /></td></tr>
          <tr><th>Signed by key</th><td class="mono">{r.signer_fingerprint}</td></tr>
        </tbody>
      </table>
      {r.warnings.length > 0 && (
        <div class="status" role="note">
          <strong>What this capture could not get:</strong>
          <ul>{r.warnings.map((w) => <li key={w.code}>{w.message}</li>)}</ul>
        </div>
      )}
      <h3>Screenshot</h3>
      <BlobImage sha256={shot?.sha256} alt="Screenshot of the visible page at capture time" class="shot" id="screenshot" />
      {snap && (
        <>
          <h3>Snapshot (scripts removed)</h3>
          <Snapshot sha256={snap.sha256} />
        </>
      )}
      <h3>Files and their hashes</h3>
      <table id="artefacts">
        <thead><tr><th>File</th><th>SHA-256</th><th>Size</th><th>How it was made</th></tr></thead>
        <tbody>
          {r.artefacts.map((a) => (
            <tr key={a.name}>
              <td>{a.name}</td>
              <td class="mono">{a.sha256}</td>
              <td>{formatBytes(a.bytes)}{a.width ? ` · ${a.width}×${a.height}` : ''}</td>
              <td>{a.method}{a.transformations.length > 0 && <ul>{a.transformations.map((t) => <li key={t}>{t}</li>)}</ul>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Ledger entry</h3>
      {entry ? (
        <table>
          <tbody>
            <tr><th>Entry</th><td>{entry.seq} ({entry.type}) at {entry.at}</td></tr>
            <tr><th>Hash</th><td class="mono">{entry.hash}</td></tr>
            <tr><th>Follows</th><td class="mono">{entry.prev}</td></tr>
          </tbody>
        </table>
      ) : <p class="muted">…</p>}
      <h3>Delete</h3>
      {!deleting ? (
        <button class="danger" onClick={() => setDeleting(true)} id="delete-start">Delete this capture…</button>
      ) : (
        <div>
          <p>Deleting removes the files from this device. The ledger keeps a record that capture {r.seq} existed, its hash, and your reason, so a package made later shows the gap was deliberate.</p>
          <label>Reason (required)<br /><textarea rows={2} cols={60} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} id="delete-reason" /></label>
          <div class="toolbar">
            <button class="danger" onClick={doDelete} disabled={!reason.trim()} id="delete-confirm">Delete capture {r.seq}</button>
            <button onClick={() => setDeleting(false)}>Keep it</button>
          </div>
          {error && <p class="status error">{error}</p>}
        </div>
      )}
    </section>
  );
}
