import JSZip from 'jszip';
import type { CairnDb, CaptureRow, SignerRow, StoredBlob, StoredCapture } from './db';
import { appendWith, buildEntry } from './ledger';
import { queueRewrap, readLedger, sealBlob, sealCapture, searchText } from './vault-data';
import { pemToSpki, spkiFingerprint } from '../shared/ecdsa';
import { fromUtf8 } from '../shared/encoding';
import { sha256Hex } from '../shared/sha256';
import type { CaptureRecord } from '../shared/types';
import { verifyPackage } from '../verify/verify';

/**
 * Imports the captures of another Cairn package (a victim's export, say, into
 * an advocate's vault). Records keep the seal and signature of the device that
 * made them; this vault adds the signer's public key and an `import` ledger
 * entry per capture, signed by its own key. Only packages that verify are
 * accepted, and a capture already held (same record hash) is not added twice.
 */

export interface ImportProgress {
  done: number;
  total: number;
}

export interface ImportSummary {
  imported: number;
  /** Captures already in this vault (same record hash). */
  skipped: number;
  /** Fingerprints of the keys that sealed the imported captures. */
  signers: string[];
  export_id: string | null;
}

export class ImportRefused extends Error {}

interface PackageCapture {
  record: CaptureRecord;
  files: { sha256: string; bytes: Uint8Array; media_type: string }[];
}

export async function importPackage(db: CairnDb, input: Uint8Array, onProgress: (p: ImportProgress) => void = () => {}): Promise<ImportSummary> {
  const report = await verifyPackage(input);
  if (report.verdict !== 'VERIFIED')
    throw new ImportRefused(`This package did not verify (${report.verdict}), so nothing was imported. ${report.summary}`);
  const zip = await JSZip.loadAsync(input, { checkCRC32: false });
  const text = async (name: string) => fromUtf8(await zip.file(name)!.async('uint8array'));
  const manifest = JSON.parse(await text('manifest.json')) as {
    export_id?: string;
    signer: { fingerprint: string; public_key: string };
    signers?: { fingerprint: string; public_key: string }[];
    captures: { folder: string; record_sha256: string }[];
  };
  const keyFiles = new Map<string, string>([[manifest.signer.fingerprint, manifest.signer.public_key]]);
  for (const s of manifest.signers ?? []) keyFiles.set(s.fingerprint, s.public_key);

  const held = await heldRecordHashes(db);
  const total = manifest.captures.length;
  const summary: ImportSummary = { imported: 0, skipped: 0, signers: [], export_id: manifest.export_id ?? null };
  const signers = new Set<string>();
  for (const [i, c] of manifest.captures.entries()) {
    onProgress({ done: i, total });
    if (held.has(c.record_sha256)) {
      summary.skipped++;
      continue;
    }
    const record = JSON.parse(await text(`${c.folder}/record.json`)) as CaptureRecord;
    const files = await Promise.all(
      record.artefacts.map(async (a) => {
        const bytes = await zip.file(`${c.folder}/${a.name}`)!.async('uint8array');
        // The verifier checked these already; hashing again here keeps the rule that stored bytes are hashed where they are stored.
        if ((await sha256Hex(bytes)) !== a.sha256) throw new ImportRefused(`${c.folder}/${a.name} changed while it was being imported.`);
        return { sha256: a.sha256, bytes, media_type: a.media_type };
      }),
    );
    const fp = record.signer_fingerprint;
    const pemFile = keyFiles.get(fp);
    if (!pemFile) throw new ImportRefused(`The package does not carry the public key ${fp} that sealed ${c.folder}.`);
    const spki = pemToSpki(await text(pemFile));
    if ((await spkiFingerprint(spki)) !== fp) throw new ImportRefused(`The key file ${pemFile} does not match its fingerprint.`);
    await storeImported(db, { record, files }, { fingerprint: fp, spki, source: 'import', added: new Date().toISOString() }, manifest.export_id ?? null);
    held.add(c.record_sha256);
    signers.add(fp);
    summary.imported++;
  }
  onProgress({ done: total, total });
  summary.signers = [...signers].sort();
  return summary;
}

/** Record hashes this vault holds now: captured or imported, and not deleted since (read from the ledger, which stays readable). */
async function heldRecordHashes(db: CairnDb): Promise<Set<string>> {
  const held = new Set<string>();
  for (const e of await readLedger(db)) {
    const h = e.payload.record_sha256 as string | undefined;
    if (!h) continue;
    if (e.type === 'capture' || e.type === 'import') held.add(h);
    else if (e.type === 'delete') held.delete(h);
  }
  return held;
}

/** Stores one imported capture, its blobs, its signer's key and the `import` ledger entry in one transaction. */
async function storeImported(db: CairnDb, c: PackageCapture, signer: SignerRow, sourceExport: string | null): Promise<void> {
  const { record } = c;
  await appendWith<{ row: CaptureRow; stored: StoredCapture; blobs: StoredBlob[] }>(
    db,
    ['captures', 'blobs', 'meta', 'signers'],
    async (head, key, mode) => {
      const seq = (((await db.meta.get('capture_seq'))?.value as number | undefined) ?? 0) + 1;
      const row: CaptureRow = {
        id: record.id,
        seq,
        case_id: record.case_id,
        captured_at: record.captured_at,
        platform: record.platform,
        kind: record.kind,
        search: searchText(record),
        record,
      };
      const entry = await buildEntry(key, head, 'import', record.id, {
        capture_id: record.id,
        capture_seq: seq,
        record_sha256: record.seal.record_sha256,
        signer_fingerprint: record.signer_fingerprint,
        source_export_id: sourceExport,
        source_capture_seq: record.seq,
        platform: record.platform,
        kind: record.kind,
      });
      // Encrypted here when the vault has a passphrase, before the transaction (see vault-data.ts).
      const stored = await sealCapture(mode, row);
      const blobs = await Promise.all(c.files.map((f) => sealBlob(mode, { sha256: f.sha256, bytes: f.bytes, media_type: f.media_type, refs: 1 })));
      return { entry, value: { row, stored, blobs } };
    },
    async ({ row, stored, blobs }, _entry, mode) => {
      const seqNow = ((await db.meta.get('capture_seq'))?.value as number | undefined) ?? 0;
      if (seqNow + 1 !== row.seq) throw new Error('capture numbering moved; retry');
      if (await db.captures.get(row.id)) throw new ImportRefused(`A different capture with the id ${row.id} is already in this vault.`);
      for (const b of blobs) {
        const existing = await db.blobs.get(b.sha256);
        if (existing) await db.blobs.update(b.sha256, { refs: existing.refs + 1 });
        else {
          await db.blobs.add(b);
          await queueRewrap(db, mode, 'blobs', b.sha256);
        }
      }
      if (!(await db.signers.get(signer.fingerprint))) await db.signers.add(signer);
      await db.captures.add(stored);
      await queueRewrap(db, mode, 'captures', row.id);
      await db.meta.put({ key: 'capture_seq', value: row.seq });
    },
  );
}
