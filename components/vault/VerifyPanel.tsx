import { useState } from 'preact/hooks';
import { verifyPackage, type VerifyReport } from '../../utils/verify/verify';
import { formatReport } from '../../utils/verify/format-report';
import { groupHex } from '../../utils/shared/encoding';

type State = { kind: 'idle' } | { kind: 'busy'; name: string } | { kind: 'done'; name: string; report: VerifyReport };

/** Verifies a package chosen or dropped here, entirely inside this page (nothing is uploaded). */
export function VerifyPanel() {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [over, setOver] = useState(false);

  const check = async (file: File | undefined) => {
    if (!file) return;
    setState({ kind: 'busy', name: file.name });
    const report = await verifyPackage(new Uint8Array(await file.arrayBuffer()));
    setState({ kind: 'done', name: file.name, report });
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
          </div>
        </div>
      )}
    </section>
  );
}
