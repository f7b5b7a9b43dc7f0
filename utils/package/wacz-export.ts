import type { CairnDb } from '../background/db';
import { deviceKey, signDer } from '../background/keys';
import { appendEntry } from '../background/ledger';
import { readBlobs, readCaptures } from '../background/vault-data';
import { sha256Hex } from '../shared/sha256';
import { packageFileName, type ExportOptions, type ExportResult } from './export';
import { buildWacz, recordJsonBytes, type WaczCapture } from './wacz';

export function waczFileName(caseName: string | undefined, at: Date): string {
  return packageFileName(caseName, at).replace(/\.zip$/, '.wacz');
}

/**
 * The "WACZ only" export: evidence.wacz on its own, for someone who wants to
 * open the captures in ReplayWeb.page. The device key co-signs the WACZ's
 * datapackage hash, so it can be tied to this device without the package
 * around it, and the export is recorded in the ledger with the file's hash.
 */
export async function buildWaczExport(db: CairnDb, opts: Omit<ExportOptions, 'verifyHtml'> = {}): Promise<Omit<ExportResult, 'timestamp'>> {
  const now = opts.now ?? new Date();
  const progress = opts.onProgress ?? (() => {});
  const key = await deviceKey(db);
  const rows = await readCaptures(db, opts.captureIds);
  if (opts.captureIds && rows.length !== opts.captureIds.length) throw new Error('Some selected captures no longer exist.');
  if (rows.length === 0) throw new Error('There are no captures to put in the WACZ.');
  rows.sort((a, b) => a.seq - b.seq);
  const total = rows.length;
  progress({ phase: 'collecting', done: 0, total });

  const captures: WaczCapture[] = [];
  const BATCH = 64;
  for (let i = 0; i < rows.length; i += BATCH) {
    // Read in batches, like the package export: the reads of one capture overlap with the others'.
    const batch = await Promise.all(rows.slice(i, i + BATCH).map(async (row) => ({ row, blobs: await readBlobs(db, row.record.artefacts.map((a) => a.sha256)) })));
    for (const { row, blobs } of batch) {
      const rec = row.record;
      const files = new Map<string, Uint8Array>();
      rec.artefacts.forEach((a, j) => {
        const b = blobs[j];
        if (!b) throw new Error(`The stored bytes of ${a.name} in capture ${row.seq} are missing from this device.`);
        files.set(a.name, b.bytes);
      });
      captures.push({ record: rec, recordJson: recordJsonBytes(rec), files });
    }
    progress({ phase: 'hashing', done: Math.min(total, i + BATCH), total });
  }

  progress({ phase: 'wacz', done: 0, total });
  const wacz = await buildWacz({
    captures,
    created: now,
    software: { name: 'Cairn', version: opts.toolVersion ?? '0.0.0' },
    title: `Cairn evidence${opts.caseName ? `: ${opts.caseName}` : ''}`,
    cosigner: { fingerprint: key.fingerprint, publicKeyPem: key.pem, sign: (b) => signDer(key, b) },
    onProgress: (done) => progress({ phase: 'wacz', done, total }),
  });
  const exportId = crypto.randomUUID();
  // Recorded once the file exists, so the entry can name its hash.
  await appendEntry(db, 'export', exportId, {
    export_id: exportId,
    format: 'wacz',
    capture_ids: rows.map((r) => r.id),
    record_sha256s: rows.map((r) => r.record.seal.record_sha256),
    file_sha256: await sha256Hex(wacz.bytes),
    datapackage_hash: wacz.datapackageHash,
    wacz_public_key: wacz.publicKey,
  });
  progress({ phase: 'done', done: total, total });
  return { bytes: wacz.bytes, chunks: [wacz.bytes], size: wacz.bytes.byteLength, filename: waczFileName(opts.caseName, now), exportId, captureCount: total };
}
