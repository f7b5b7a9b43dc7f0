import { useState } from 'preact/hooks';
import { db, type CaptureRow } from '../../utils/background/db';
import { listCaptures } from '../../utils/background/vault-data';
import { formatTime } from '../format';
import { useLive } from '../use-live';
import { ExportPanel } from './ExportPanel';
import { BlobImage } from './Thumb';

const PAGE = 200;

export function CaptureList({ onOpen }: { onOpen: (id: string) => void }) {
  const [limit, setLimit] = useState(PAGE);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const total = useLive(() => db().captures.count(), [], 0);
  const rows = useLive<CaptureRow[]>(
    () => listCaptures(db(), { query, limit }),
    [limit, query],
    [],
  );

  const toggle = (id: string) => {
    const s = new Set(selected);
    if (s.has(id)) s.delete(id);
    else s.add(id);
    setSelected(s);
  };

  return (
    <section aria-labelledby="captures-h">
      <h2 id="captures-h">Captures ({total})</h2>
      <ExportPanel selected={[...selected]} total={total} />
      <div class="toolbar">
        <label>
          Search <input type="search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} placeholder="title, address, text" />
        </label>
        {selected.size > 0 && <button onClick={() => setSelected(new Set())}>Clear selection ({selected.size})</button>}
      </div>
      {total === 0 && <p class="muted">Nothing captured yet. Use the Cairn button in the toolbar, or right-click a page and choose "Capture this page".</p>}
      <ul class="list" id="capture-list">
        {rows.map((r) => {
          const shot = r.record.artefacts.find((a) => a.role === 'screenshot_viewport' || a.role === 'screenshot_element');
          return (
            <li key={r.id} data-capture-id={r.id}>
              <input type="checkbox" aria-label={`Select capture ${r.seq}`} checked={selected.has(r.id)} onChange={() => toggle(r.id)} />
              <BlobImage sha256={shot?.sha256} alt="" class="thumb" label={`the screenshot of capture ${r.seq}`} />
              <div>
                <button class="open title" onClick={() => onOpen(r.id)}>
                  {r.seq}. {r.record.page_title || r.record.page_url}
                </button>
                <div class="muted mono">{r.record.page_url}</div>
                <div class="muted">
                  {r.platform} · {r.kind} · {formatTime(r.captured_at)} · <span class="mono" title={r.record.seal.record_sha256}>{r.record.seal.record_sha256.slice(0, 12)}</span>
                </div>
              </div>
              <span />
            </li>
          );
        })}
      </ul>
      {rows.length >= limit && <button onClick={() => setLimit(limit + PAGE)}>Show more</button>}
    </section>
  );
}
