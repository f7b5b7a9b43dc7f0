import JSZip from 'jszip';
import type { CairnDb, CaptureRow } from '../background/db';
import { deviceKey, signDer } from '../background/keys';
import { appendEntry } from '../background/ledger';
import { canonicalJson } from '../shared/canonical-json';
import { fromBase64, groupHex, utf8 } from '../shared/encoding';
import { sha256Hex } from '../shared/sha256';
import { verifyText } from './verify-text';

/** The package format version; the verifier is written against this. */
export const PACKAGE_FORMAT = 'cairn-package/1';

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
  media_type: string;
}

export interface ExportProgress {
  phase: 'collecting' | 'hashing' | 'zipping' | 'done';
  done: number;
  total: number;
}

export interface ExportOptions {
  /** Capture ids to include; all captures when omitted. */
  captureIds?: string[];
  caseName?: string;
  onProgress?: (p: ExportProgress) => void;
  toolVersion?: string;
  now?: Date;
  /**
   * The offline verifier page that goes into every package (built from utils/verify/page by
   * scripts/lib/verify-html.ts; the extension ships it as /verify.html, Node tests build it).
   */
  verifyHtml: Uint8Array;
}

export interface ExportResult {
  bytes: Uint8Array;
  filename: string;
  exportId: string;
  captureCount: number;
}

const LIMITATIONS = [
  'Hashes and signatures prove that the files are unchanged since they were sealed on the collecting device, and which device key sealed them. They do not prove that the platform served this content.',
  "Times in records come from the collecting device's clock unless a trusted timestamp is included.",
  'Screenshots show what the browser displayed; the snapshot (page.html) is a cleaned copy of the page with scripts removed, and may render differently from the live page.',
];

export function captureFolder(r: CaptureRow): string {
  const safe = (s: string) => s.replace(/[^a-z0-9_-]+/gi, '-').slice(0, 32) || 'x';
  return `captures/${String(r.seq).padStart(6, '0')}-${safe(r.platform)}-${safe(r.kind)}`;
}

export function packageFileName(caseName: string | undefined, at: Date): string {
  const slug = (caseName ?? 'export').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'export';
  return `cairn-${slug}-${at.toISOString().slice(0, 10)}.zip`;
}

/**
 * Builds the export package (DESIGN.md section 5). Records an `export` entry
 * in the ledger first, so the package's ledger ends with its own export.
 */
export async function buildPackage(db: CairnDb, opts: ExportOptions): Promise<ExportResult> {
  const now = opts.now ?? new Date();
  const progress = opts.onProgress ?? (() => {});
  if (!opts.verifyHtml?.byteLength) throw new Error('The offline verifier page (verify.html) is missing, so the package could not be made complete.');
  const key = await deviceKey(db);
  const rows = opts.captureIds
    ? (await db.captures.bulkGet(opts.captureIds)).filter((r): r is CaptureRow => !!r)
    : await db.captures.toArray();
  if (opts.captureIds && rows.length !== opts.captureIds.length) throw new Error('Some selected captures no longer exist.');
  rows.sort((a, b) => a.seq - b.seq);
  const exportId = crypto.randomUUID();
  await appendEntry(db, 'export', exportId, {
    export_id: exportId,
    capture_ids: rows.map((r) => r.id),
    record_sha256s: rows.map((r) => r.record.seal.record_sha256),
  });
  const ledger = await db.ledger.orderBy('seq').toArray();

  const zip = new JSZip();
  const files: ManifestFile[] = [];
  const date = now;
  // Stored, not deflated: screenshots (most of the bytes) do not compress, and storing keeps export fast.
  const add = (path: string, data: Uint8Array, media_type: string, sha256: string) => {
    files.push({ path, sha256, bytes: data.byteLength, media_type });
    zip.file(path, data, { date, binary: true, compression: 'STORE' });
  };
  const addGenerated = async (path: string, data: Uint8Array, media_type: string) => add(path, data, media_type, await sha256Hex(data));

  const total = rows.length;
  progress({ phase: 'collecting', done: 0, total });
  const captures = [];
  // Captures are read and hashed in batches: the awaits of one capture overlap with the others'.
  const BATCH = 64;
  for (let i = 0; i < rows.length; i += BATCH) {
    const prepared = await Promise.all(
      rows.slice(i, i + BATCH).map(async (row) => {
        const rec = row.record;
        const recBytes = utf8(JSON.stringify(rec, null, 2) + '\n');
        const sigBytes = fromBase64(rec.seal.signature);
        const [recHash, sigHash, blobs] = await Promise.all([sha256Hex(recBytes), sha256Hex(sigBytes), db.blobs.bulkGet(rec.artefacts.map((a) => a.sha256))]);
        return { row, rec, recBytes, sigBytes, recHash, sigHash, blobs };
      }),
    );
    for (const { row, rec, recBytes, sigBytes, recHash, sigHash, blobs } of prepared) {
      const folder = captureFolder(row);
      add(`${folder}/record.json`, recBytes, 'application/json', recHash);
      add(`${folder}/record.sig`, sigBytes, 'application/octet-stream', sigHash);
      rec.artefacts.forEach((a, j) => {
        const b = blobs[j];
        if (!b) throw new Error(`The stored bytes of ${a.name} in capture ${row.seq} are missing from this device.`);
        add(`${folder}/${a.name}`, b.bytes, a.media_type, a.sha256);
      });
      captures.push({
        id: rec.id,
        seq: rec.seq,
        folder,
        record_sha256: rec.seal.record_sha256,
        ledger_seq: rec.seal.ledger_seq,
        signer_fingerprint: rec.signer_fingerprint,
        captured_at: rec.captured_at,
        platform: rec.platform,
        kind: rec.kind,
        page_url: rec.page_url,
      });
    }
    progress({ phase: 'hashing', done: Math.min(rows.length, i + BATCH), total });
  }
  await addGenerated('ledger.jsonl', utf8(ledger.map((e) => canonicalJson(e)).join('\n') + '\n'), 'application/x-ndjson');
  await addGenerated('signer-public-key.pem', utf8(key.pem), 'application/x-pem-file');
  const created = now.toISOString();
  await addGenerated('verify.html', opts.verifyHtml, 'text/html; charset=utf-8');
  await addGenerated('VERIFY.txt', utf8(verifyText({ fingerprint: key.fingerprint, fingerprintGrouped: groupHex(key.fingerprint), created, exportId })), 'text/plain; charset=utf-8');

  const times = rows.map((r) => r.captured_at).sort();
  const head = ledger[ledger.length - 1];
  const manifest = {
    format: PACKAGE_FORMAT,
    export_id: exportId,
    created,
    tool: { name: 'Cairn', version: opts.toolVersion ?? '0.0.0' },
    case: { name: opts.caseName ?? null },
    counts: { captures: rows.length, ledger_entries: ledger.length, files: files.length },
    date_range: { first: times[0] ?? null, last: times[times.length - 1] ?? null },
    signer: { fingerprint: key.fingerprint, public_key: 'signer-public-key.pem', algorithm: 'ECDSA P-256 SHA-256, DER signatures' },
    ledger_head: { seq: head.seq, hash: head.hash },
    captures,
    files: [...files].sort((a, b) => (a.path < b.path ? -1 : 1)),
    limitations: LIMITATIONS,
    disclaimer: 'Made with Cairn. The collector, not the tool, is the source of this evidence.',
  };
  const manifestBytes = utf8(JSON.stringify(manifest, null, 2) + '\n');
  zip.file('manifest.json', manifestBytes, { date, compression: 'DEFLATE', compressionOptions: { level: 1 } });
  zip.file('manifest.json.sig', await signDer(key, manifestBytes), { date, compression: 'STORE' });
  const sums = [...manifest.files.map((f) => `${f.sha256}  ${f.path}`), `${await sha256Hex(manifestBytes)}  manifest.json`]
    .sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1))
    .join('\n') + '\n';
  zip.file('SHA256SUMS', sums, { date, compression: 'DEFLATE', compressionOptions: { level: 1 } });

  progress({ phase: 'zipping', done: 0, total: 100 });
  const bytes = await zip.generateAsync({ type: 'uint8array', streamFiles: false }, (m) =>
    progress({ phase: 'zipping', done: Math.round(m.percent), total: 100 }),
  );
  progress({ phase: 'done', done: total, total });
  return { bytes, filename: packageFileName(opts.caseName, now), exportId, captureCount: rows.length };
}
