import { browser } from '@wxt-dev/webextension-polyfill/browser';
import { useEffect, useState } from 'preact/hooks';
import { db } from '../../utils/background/db';
import { buildPackage, type ExportProgress, type ExportResult, type ExportTimestamp } from '../../utils/package/export';
import { buildWaczExport } from '../../utils/package/wacz-export';
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
  | { kind: 'done'; what: 'package' | 'wacz'; url: string; filename: string; bytes: number; count: number; timestamp: ExportTimestamp | null }
  | { kind: 'error'; text: string };

const PHASE: Record<ExportProgress['phase'], string> = {
  collecting: 'Gathering captures',
  hashing: 'Adding captures',
  wacz: 'Writing evidence.wacz (for ReplayWeb.page)',
  timestamping: 'Asking the time-stamping authority to witness the package',
  zipping: 'Writing the ZIP',
  done: 'Done',
};

export function ExportPanel({ selected, total }: { selected: string[]; total: number }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [caseName, setCaseName] = useState('');

  useEffect(() => () => { if (state.kind === 'done') URL.revokeObjectURL(state.url); }, [state]);

  const run = async (what: 'package' | 'wacz') => {
    setState({ kind: 'busy', progress: { phase: 'collecting', done: 0, total: 0 } });
    try {
      const pkg = await (what === 'wacz' ? buildWaczExport : buildPackage)(db(), {
        captureIds: selected.length ? selected : undefined,
        caseName: caseName.trim() || undefined,
        toolVersion: browser.runtime.getManifest().version,
        verifyHtml: await loadVerifyHtml(),
        onProgress: (progress) => setState({ kind: 'busy', progress }),
      });
      // From the chunks as written: no second copy of a large package in memory.
      const url = URL.createObjectURL(new Blob(pkg.chunks as BlobPart[], { type: 'application/zip' }));
      setState({ kind: 'done', what, url, filename: pkg.filename, bytes: pkg.size, count: pkg.captureCount, timestamp: (pkg as Partial<ExportResult>).timestamp ?? null });
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
      <button class="primary" onClick={() => run('package')} disabled={total === 0 || state.kind === 'busy'} id="export">
        {selected.length ? `Export ${selected.length} selected` : `Export all ${total}`}
      </button>
      <button onClick={() => run('wacz')} disabled={total === 0 || state.kind === 'busy'} id="export-wacz" aria-describedby="export-wacz-hint">
        Export WACZ only
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
            {state.what === 'wacz' ? 'Web archive (WACZ)' : 'Package'} of {state.count} capture{state.count === 1 ? '' : 's'} ready ({formatBytes(state.bytes)}).{' '}
            <a href={state.url} download={state.filename} id="export-link">Save {state.filename}</a>
          </p>
        )}
        {state.kind === 'done' && state.timestamp?.status === 'stamped' && (
          <p class="status ok" id="export-timestamp" data-status="stamped">
            The package carries a trusted timestamp from {new URL(state.timestamp.authority_url).host} ({state.timestamp.gen_time} UTC).
          </p>
        )}
        {state.kind === 'done' && state.timestamp?.status === 'failed' && (
          <p class="status error" id="export-timestamp" data-status="failed">
            This package has no export timestamp: the time-stamping authority could not witness it ({state.timestamp.error}). The package is
            complete and can still be checked, and captures that already have their own timestamps keep them. Export again later to add one.
          </p>
        )}
        {state.kind === 'error' && <p class="status error">{state.text}</p>}
        {state.kind === 'idle' && n > 0 && <span class="muted">The package can be checked by anyone with ordinary tools (see VERIFY.txt inside it).</span>}
        <span class="muted" id="export-wacz-hint" style={{ display: 'block' }}>
          “Export WACZ only” saves just the web archive of the same captures, for ReplayWeb.page; the package already contains it as evidence.wacz.
        </span>
      </div>
    </div>
  );
}
