import { useState } from 'preact/hooks';
import { verifyPackage, type VerifyReport } from '../../utils/verify/verify';
import { formatReport } from '../../utils/verify/format-report';
import { groupHex } from '../../utils/shared/encoding';
import { db } from '../../utils/background/db';
import { importPackage, type ImportSummary } from '../../utils/background/import';

type State = { kind: 'idle' } | { kind: 'busy'; name: string } | { kind: 'done'; name: string; report: VerifyReport; bytes: Uint8Array };

type ImportState =
  | { kind: 'idle' }
  | { kind: 'busy'; done: number; total: number }
  | { kind: 'done'; summary: ImportSummary }
  | { kind: 'error'; text: string };

/** Verifies a package chosen or dropped here, entirely inside this page (nothing is uploaded). */
export function VerifyPanel() {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [over, setOver] = useState(false);
  const [imp, setImp] = useState<ImportState>({ kind: 'idle' });

  const check = async (file: File | undefined) => {
    if (!file) return;
    setState({ kind: 'busy', name: file.name });
    setImp({ kind: 'idle' });
    const bytes = new Uint8Array(await file.arrayBuffer());
    const report = await verifyPackage(bytes);
    setState({ kind: 'done', name: file.name, report, bytes });
  };

  const runImport = async (bytes: Uint8Array) => {
    setImp({ kind: 'busy', done: 0, total: 0 });
    try {
      const summary = await importPackage(db(), bytes, (p) => setImp({ kind: 'busy', ...p }));
      setImp({ kind: 'done', summary });
    } catch (e) {
      setImp({ kind: 'error', text: (e as Error).message });
    }
  };

  return (
    <section aria-labelledby="verify-h">
      <h2 id="verify-h">Verify a package</h2>
      <div
        class={`drop${over ? ' over' : ''}`}
        onDragOver={(e) => { e.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => { e.preventDefault(); setOver(false); void check(e.dataTransfer?.files[0]); }}
      >
        <p>Drop a Cairn package (.zip) here, or</p>
        <input type="file" accept=".zip,application/zip" id="verify-file" aria-label="Choose a package to verify" onChange={(e) => void check((e.target as HTMLInputElement).files?.[0])} />
      </div>
      <div role="status" aria-live="polite">
        {state.kind === 'busy' && <p>Checking {state.name}…</p>}
      </div>
      {state.kind === 'done' && (
        <div id="verify-result">
          <p class={`verdict ${state.report.verdict}`} id="verdict">{state.report.verdict}</p>
          <p>{state.report.summary}</p>
          {state.report.fingerprint && <p>Signer key fingerprint: <span class="mono">{groupHex(state.report.fingerprint)}</span></p>}
          <table>
            <thead><tr><th>Check</th><th>Result</th><th>File</th><th>Detail</th></tr></thead>
            <tbody>
              {state.report.checks.map((c, i) => (
                <tr key={i}><td>{c.id}</td><td class={c.status}>{c.status === 'pass' ? 'passed' : c.status === 'fail' ? 'FAILED' : 'not checked'}</td><td class="mono">{c.file ?? ''}</td><td>{c.detail}</td></tr>
              ))}
            </tbody>
          </table>
          <div class="toolbar" style={{ marginTop: '1em' }}>
            <button onClick={() => print()}>Print the result</button>
            <button onClick={() => navigator.clipboard.writeText(formatReport(state.report))}>Copy as text</button>
            {state.report.verdict === 'VERIFIED' && state.report.captures.length > 0 && (
              <button id="import-package" disabled={imp.kind === 'busy'} onClick={() => void runImport(state.bytes)}>
                Add these {state.report.captures.length} captures to this vault
              </button>
            )}
          </div>
          <div role="status" aria-live="polite" id="import-result">
            {imp.kind === 'busy' && <p>Adding captures… {imp.total ? `${imp.done} of ${imp.total}` : ''}</p>}
            {imp.kind === 'done' && (
              <p>
                Added {imp.summary.imported} capture{imp.summary.imported === 1 ? '' : 's'}
                {imp.summary.skipped ? `; ${imp.summary.skipped} already in this vault` : ''}. They keep the seal of the device that made them
                {imp.summary.signers.length ? ` (key ${imp.summary.signers.map(groupHex).join(', ')})` : ''}; this vault's ledger records the import.
              </p>
            )}
            {imp.kind === 'error' && <p class="error">{imp.text}</p>}
          </div>
        </div>
      )}
    </section>
  );
}
