import { browser } from '@wxt-dev/webextension-polyfill/browser';
import { useEffect, useState } from 'preact/hooks';
import { db } from '../../utils/background/db';
import { buildPackage, type ExportProgress } from '../../utils/package/export';
import { formatBytes } from '../format';

/** The offline verifier page shipped inside the extension (an extension file, not a network fetch). */
async function loadVerifyHtml(): Promise<Uint8Array> {
  const res = await fetch(browser.runtime.getURL('/verify.html')).catch(() => null);
  if (!res?.ok) throw new Error('the offline verifier page (verify.html) is missing from this installation of Cairn; reinstall Cairn');
  return new Uint8Array(await res.arrayBuffer());
}

type State =
  | { kind: 'idle' }
  | { kind: 'busy'; progress: ExportProgress }
  | { kind: 'done'; url: string; filename: string; bytes: number; count: number }
  | { kind: 'error'; text: string };

const PHASE: Record<ExportProgress['phase'], string> = {
  collecting: 'Gathering captures',
  hashing: 'Adding captures',
  zipping: 'Writing the ZIP',
  done: 'Done',
};

export function ExportPanel({ selected, total }: { selected: string[]; total: number }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [caseName, setCaseName] = useState('');

  useEffect(() => () => { if (state.kind === 'done') URL.revokeObjectURL(state.url); }, [state]);

  const run = async () => {
    setState({ kind: 'busy', progress: { phase: 'collecting', done: 0, total: 0 } });
    try {
      const pkg = await buildPackage(db(), {
        captureIds: selected.length ? selected : undefined,
        caseName: caseName.trim() || undefined,
        toolVersion: browser.runtime.getManifest().version,
        verifyHtml: await loadVerifyHtml(),
        onProgress: (progress) => setState({ kind: 'busy', progress }),
      });
      const url = URL.createObjectURL(new Blob([pkg.bytes as BlobPart], { type: 'application/zip' }));
      setState({ kind: 'done', url, filename: pkg.filename, bytes: pkg.bytes.byteLength, count: pkg.captureCount });
      const a = document.createElement('a');
      a.href = url;
      a.download = pkg.filename;
      a.click();
    } catch (e) {
      setState({ kind: 'error', text: `The export failed and nothing was saved: ${(e as Error).message}` });
    }
  };

  const n = selected.length || total;
  return (
    <div class="toolbar" aria-label="Export">
      <label>
        Case name (optional, appears in the file name){' '}
        <input value={caseName} onInput={(e) => setCaseName((e.target as HTMLInputElement).value)} maxLength={80} id="case-name" />
      </label>
      <button class="primary" onClick={run} disabled={total === 0 || state.kind === 'busy'} id="export">
        {selected.length ? `Export ${selected.length} selected` : `Export all ${total}`}
      </button>
      <div role="status" aria-live="polite" style={{ flexBasis: '100%' }}>
        {state.kind === 'busy' && (
          <div>
            {PHASE[state.progress.phase]}… {state.progress.total ? `${state.progress.done} of ${state.progress.total}` : ''}
            <progress max={state.progress.total || 1} value={state.progress.done} />
          </div>
        )}
        {state.kind === 'done' && (
          <p class="status ok">
            Package of {state.count} capture{state.count === 1 ? '' : 's'} ready ({formatBytes(state.bytes)}).{' '}
            <a href={state.url} download={state.filename} id="export-link">Save {state.filename}</a>
          </p>
        )}
        {state.kind === 'error' && <p class="status error">{state.text}</p>}
        {state.kind === 'idle' && n > 0 && <span class="muted">The package can be checked by anyone with ordinary tools (see VERIFY.txt inside it).</span>}
      </div>
    </div>
  );
}
