import JSZip from 'jszip';
import { openDb } from '../../utils/background/db';
import { deleteCapture, storeCapture, type CaptureDraft } from '../../utils/background/store';
import { buildPackage } from '../../utils/package/export';
import { updateSettings } from '../../utils/background/settings';
import { stampPending } from '../../utils/background/timestamp-queue';
import { startTestTsa } from './tsa-server';
import { utf8 } from '../../utils/shared/encoding';
import { PNG_1X1, sampleDraft } from './sample';

/** An item capture as the right-click path would store it: element crop, snapshots, text, one media file. */
export function itemDraft(n: number, kind: 'post' | 'comment' | 'message' | 'conversation', at = new Date(Date.UTC(2026, 10, 29, 13, 0, n))): CaptureDraft {
  const base = sampleDraft(n, at);
  const url = `https://x.example/heron/status/19${n}0000000000000`;
  const account = { display_name: 'Grey Heron', handle: '@grey_heron', platform_account_id: '4242', profile_url: 'https://x.example/grey_heron' };
  return {
    ...base,
    page_url: url,
    page_title: `Grey Heron on X: item ${n}`,
    platform: 'x',
    kind,
    account,
    item: {
      platform_item_id: `19${n}0000000000000`,
      url,
      posted_at: '2026-11-28T22:10:00.000Z',
      posted_at_text: '10:10 PM · Nov 28, 2026',
      posted_at_source: 'attribute',
      text: `I know where you are tonight (${n})`,
      in_reply_to: kind === 'comment' ? 'https://x.example/victim/status/1' : null,
      thread_id: null,
      visibility: 'public',
      media: [{ kind: 'image', url: `https://pbs.x.example/media/${n}.png`, alt: 'a photo of a street' }],
    },
    messages:
      kind === 'conversation'
        ? [
            { id: 'm1', sender: account, outgoing: false, sent_at: '2026-11-28T22:11:00.000Z', sent_at_text: '22:11', sent_at_source: 'attribute', text: 'answer me', media: [] },
            { id: 'm2', sender: null, outgoing: true, sent_at: null, sent_at_text: 'Yesterday', sent_at_source: 'relative-text', text: 'leave me alone', media: [] },
          ]
        : null,
    artefacts: [
      { role: 'screenshot_element', name: 'element.png', data: PNG_1X1, media_type: 'image/png', width: 1, height: 1, method: 'test crop', transformations: ['cropped to the element'] },
      { role: 'screenshot_viewport', name: 'screenshot.png', data: PNG_1X1, media_type: 'image/png', width: 1, height: 1, method: 'test', transformations: [] },
      { role: 'dom_original', name: 'element.html', data: utf8(`<article data-testid="tweet"><p>item ${n}</p></article>`), media_type: 'text/html; charset=utf-8', method: 'test', transformations: [] },
      { role: 'dom_snapshot', name: 'page.html', data: utf8(`<!doctype html><article><p>item ${n}</p><img src="media/01.png"></article>`), media_type: 'text/html; charset=utf-8', method: 'test', transformations: ['scripts removed'] },
      { role: 'dom_original', name: 'original.html', data: utf8(`<html><body><main><article><p>item ${n}</p></article></main></body></html>`), media_type: 'text/html; charset=utf-8', method: 'test', transformations: [] },
      { role: 'text', name: 'text.txt', data: utf8(`I know where you are tonight (${n})`), media_type: 'text/plain; charset=utf-8', method: 'test', transformations: [] },
      { role: 'media', name: 'media/01.png', data: Uint8Array.from([...PNG_1X1, n]), media_type: 'image/png', width: 1, height: 1, method: 'test', transformations: ['re-encoded as PNG'], source_url: `https://pbs.x.example/media/${n}.png` },
    ],
    mediaFiles: { 0: 'media/01.png' },
  };
}

export interface SamplePackage {
  name: string;
  bytes: Uint8Array;
  /** The package's files as unzipped, path → bytes. */
  files: Map<string, Uint8Array>;
}

export async function unzipAll(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, Uint8Array>();
  for (const f of Object.values(zip.files)) if (!f.dir) out.set(f.name, await f.async('uint8array'));
  return out;
}

/** Writes files into a fresh ZIP, in the given order. */
export function zipAll(files: Map<string, Uint8Array>): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, data] of files) zip.file(name, data, { binary: true, createFolders: false });
  return zip.generateAsync({ type: 'uint8array' });
}

async function sample(name: string, bytes: Uint8Array): Promise<SamplePackage> {
  return { name, bytes, files: await unzipAll(bytes) };
}

/**
 * A few packages that between them hold every kind of file an export makes today:
 * page captures; item captures (post, comment, conversation) with element crops,
 * snapshots and media; a deleted capture (its tombstone in the ledger); a device
 * that exported twice (two packages under one key); and a one-capture package
 * from another device; and a device with trusted timestamps on (two captures
 * stamped by a local RFC 3161 authority, one still pending, a token over the
 * package signature).
 */
export async function samplePackages(verifyHtml: Uint8Array): Promise<SamplePackage[]> {
  const a = openDb(`pages-${crypto.randomUUID()}`);
  for (let i = 1; i <= 3; i++) await storeCapture(a, sampleDraft(i));
  const pages = await buildPackage(a, { verifyHtml, caseName: 'pages', now: new Date('2026-11-29T15:00:00Z') });

  const b = openDb(`mixed-${crypto.randomUUID()}`);
  const gone = await storeCapture(b, sampleDraft(1));
  await storeCapture(b, itemDraft(2, 'post'));
  await storeCapture(b, itemDraft(3, 'conversation'));
  await storeCapture(b, itemDraft(4, 'comment'));
  const first = await buildPackage(b, { verifyHtml, caseName: 'mixed first', now: new Date('2026-11-29T15:01:00Z') });
  await deleteCapture(b, gone.id, 'Captured the wrong page');
  const mixed = await buildPackage(b, { verifyHtml, caseName: 'mixed', now: new Date('2026-11-29T15:02:00Z') });

  const c = openDb(`single-${crypto.randomUUID()}`);
  await storeCapture(c, itemDraft(7, 'message'));
  const single = await buildPackage(c, { verifyHtml, caseName: 'single', now: new Date('2026-11-29T15:03:00Z') });

  const tsa = await startTestTsa();
  let stamped: Uint8Array;
  try {
    const d = openDb(`stamped-${crypto.randomUUID()}`);
    await updateSettings(d, { timestamps: { enabled: true, authority_url: tsa.url } });
    await storeCapture(d, sampleDraft(1));
    await storeCapture(d, itemDraft(2, 'post'));
    await stampPending(d, { gapMs: 0 });
    await storeCapture(d, sampleDraft(3));
    stamped = (await buildPackage(d, { verifyHtml, caseName: 'stamped', now: new Date('2026-11-29T15:04:00Z') })).bytes;
  } finally {
    await tsa.dispose();
  }

  return Promise.all([
    sample('pages', pages.bytes),
    sample('mixed', mixed.bytes),
    sample('mixed-first', first.bytes),
    sample('single', single.bytes),
    sample('stamped', stamped),
  ]);
}
