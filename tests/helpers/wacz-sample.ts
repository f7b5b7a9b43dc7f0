import type { CairnDb } from '../../utils/background/db';
import { openDb } from '../../utils/background/db';
import { deviceKey, signDer } from '../../utils/background/keys';
import { storeCapture, type CaptureDraft } from '../../utils/background/store';
import { utf8 } from '../../utils/shared/encoding';
import type { CaptureRecord } from '../../utils/shared/types';
import { recordJsonBytes, type WaczCapture, type WaczCosigner } from '../../utils/package/wacz';
import { sampleDraft } from './sample';
import { readBlobs } from '../../utils/background/vault-data';

/** A second tiny PNG (1×1, blue) so that screenshots differ from element crops. */
export const PNG_BLUE = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC'),
  (c) => c.charCodeAt(0),
);

export const snapshotHtml = (n: number) =>
  `<!DOCTYPE html>\n<!-- Cairn snapshot of post ${n} -->\n<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"></head><body><p id="post">Snapshot of post ${n} — “quoted” 🙂</p></body></html>`;

/** A page capture that, like the real one, has a cleaned snapshot beside the rendered DOM. */
export function pageDraft(n: number, at: Date, url?: string): CaptureDraft {
  const d = sampleDraft(n, at);
  if (url) {
    d.page_url = url;
    d.page_meta = { ...d.page_meta, page_url: url };
  }
  d.artefacts.push({
    role: 'dom_snapshot', name: 'page.html', data: utf8(snapshotHtml(n)), media_type: 'text/html; charset=utf-8',
    method: 'test', transformations: ['scripts removed (0)'],
  });
  return d;
}

/** An item capture with every kind of artefact an item capture has (element crop, element DOM, media). */
export function itemDraft(n: number, at: Date, url: string): CaptureDraft {
  const d = pageDraft(n, at, url);
  d.kind = 'post';
  d.platform = 'mastodon';
  d.artefacts.push(
    { role: 'screenshot_element', name: 'element.png', data: PNG_BLUE, media_type: 'image/png', width: 1, height: 1, method: 'test', transformations: ['cropped to the element'] },
    { role: 'dom_original', name: 'element.html', data: utf8(`<article>item ${n}</article>`), media_type: 'text/html; charset=utf-8', method: 'test', transformations: [] },
    { role: 'media', name: 'media/01.png', data: PNG_BLUE, media_type: 'image/png', width: 1, height: 1, method: 'test', transformations: ['re-encoded as PNG'] },
  );
  return d;
}

export interface WaczFixture {
  db: CairnDb;
  records: CaptureRecord[];
  captures: WaczCapture[];
  cosigner: WaczCosigner;
}

/**
 * Four sealed captures in a fresh database: two page captures of one URL 250 ms
 * apart (same second), a page capture of another URL, and an item capture whose
 * URL has a fragment.
 */
export async function waczFixture(): Promise<WaczFixture> {
  const db = openDb(`wacz-${crypto.randomUUID()}`);
  const t = Date.UTC(2026, 10, 29, 12, 0, 1);
  const drafts = [
    pageDraft(1, new Date(t + 100)),
    pageDraft(2, new Date(t + 350), 'http://127.0.0.1:8080/post/1'),
    pageDraft(3, new Date(t + 5_000), 'https://social.example/@grey/113?ref=a&b=c'),
    itemDraft(4, new Date(t + 9_000), 'https://social.example/@grey/114#reply-7'),
  ];
  const records: CaptureRecord[] = [];
  for (const d of drafts) records.push(await storeCapture(db, d));
  const key = await deviceKey(db);
  return {
    db,
    records,
    captures: await waczCapturesOf(db, records),
    cosigner: { fingerprint: key.fingerprint, publicKeyPem: key.pem, sign: (b) => signDer(key, b) },
  };
}

export async function waczCapturesOf(db: CairnDb, records: CaptureRecord[]): Promise<WaczCapture[]> {
  const out: WaczCapture[] = [];
  for (const rec of records) {
    const blobs = await readBlobs(db, rec.artefacts.map((a) => a.sha256));
    out.push({ record: rec, recordJson: recordJsonBytes(rec), files: new Map(rec.artefacts.map((a, i) => [a.name, blobs[i]!.bytes])) });
  }
  return out;
}

