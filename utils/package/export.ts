import type { CairnDb, CaptureRow, SignerRow } from '../background/db';
import { deviceKey, signDer } from '../background/keys';
import { appendEntry } from '../background/ledger';
import { getSettings } from '../background/settings';
import { requestTimestamp } from '../background/timestamp';
import { readBlobs, readCaptures, readLedger } from '../background/vault-data';
import { canonicalJson } from '../shared/canonical-json';
import { spkiToPem } from '../shared/ecdsa';
import type { LedgerEntry } from '../shared/ledger-format';
import { concatBytes, fromBase64, fromHex, groupHex, utf8 } from '../shared/encoding';
import { sha256Hex } from '../shared/sha256';
import { exportedRecord, TsaCertificates } from './timestamps';
import { verifyText, type VerifyTimestamps } from './verify-text';
import { buildWacz, WACZ_MEDIA_TYPE, type WaczCapture } from './wacz';
import { ZipWriter } from './zip-writer';

/** The package format version; the verifier is written against this. */
export const PACKAGE_FORMAT = 'cairn-package/1';

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
  media_type: string;
}

export interface ExportProgress {
  phase: 'collecting' | 'hashing' | 'wacz' | 'timestamping' | 'zipping' | 'done';
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
  /** The authority for the export's own timestamp (over manifest.json.sig); by default the one in the settings when timestamps are on. Null: none. */
  timestampAuthority?: string | null;
  /** How long to wait for the authority at export (ms). */
  timestampTimeoutMs?: number;
  /**
   * The offline verifier page that goes into every package (built from utils/verify/page by
   * scripts/lib/verify-html.ts; the extension ships it as /verify.html, Node tests build it).
   */
  verifyHtml: Uint8Array;
}

/** Whether the package got its export timestamp (manifest.json.sig.tsr). */
export type ExportTimestamp =
  | { status: 'off' }
  | { status: 'stamped'; authority_url: string; gen_time: string }
  | { status: 'failed'; authority_url: string; error: string };

export interface ExportResult {
  /** The archive in order, as written; a Blob can be made from these without another copy. */
  chunks: Uint8Array[];
  size: number;
  /** The archive as one buffer (joined on first use). */
  readonly bytes: Uint8Array;
  filename: string;
  exportId: string;
  captureCount: number;
  timestamp: ExportTimestamp;
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
 * Every key that sealed an included record or any ledger entry: this device's,
 * and those of captures imported or restored from another device.
 */
async function signerKeys(db: CairnDb, deviceFingerprint: string, rows: CaptureRow[], ledger: LedgerEntry[]) {
  const used = new Set([deviceFingerprint, ...rows.map((r) => r.record.signer_fingerprint), ...ledger.map((e) => e.key_id)]);
  const known = new Map((await db.signers.bulkGet([...used])).filter((s): s is SignerRow => !!s).map((s) => [s.fingerprint, s]));
  return [...used].sort().map((fingerprint) => {
    const s = known.get(fingerprint);
    if (!s) throw new Error(`The public key ${groupHex(fingerprint)}, which sealed some of this evidence, is missing from this vault.`);
    return { fingerprint, public_key: `keys/${fingerprint}.pem`, source: s.source, pem: spkiToPem(s.spki) };
  });
}

/**
 * Captures the ledger records that this package does not carry and that no
 * deletion explains: listed by hash, so a reader can tell "not selected" from
 * "removed".
 */
function notIncluded(rows: CaptureRow[], ledger: LedgerEntry[]) {
  const included = new Set(rows.map((r) => r.record.seal.record_sha256));
  const deleted = new Set(ledger.filter((e) => e.type === 'delete').map((e) => e.payload.record_sha256));
  return ledger
    .filter((e) => (e.type === 'capture' || e.type === 'import') && !included.has(e.payload.record_sha256 as string) && !deleted.has(e.payload.record_sha256))
    .map((e) => ({ ledger_seq: e.seq, capture_id: e.payload.capture_id, record_sha256: e.payload.record_sha256, why: 'not selected for this export' }));
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
  const tsaUrl = opts.timestampAuthority !== undefined ? opts.timestampAuthority : await settingsAuthority(db);
  const rows = await readCaptures(db, opts.captureIds);
  if (opts.captureIds && rows.length !== opts.captureIds.length) throw new Error('Some selected captures no longer exist.');
  rows.sort((a, b) => a.seq - b.seq);
  const exportId = crypto.randomUUID();
  await appendEntry(db, 'export', exportId, {
    export_id: exportId,
    capture_ids: rows.map((r) => r.id),
    record_sha256s: rows.map((r) => r.record.seal.record_sha256),
  });
  const ledger = await readLedger(db);

  // Stored, not deflated: screenshots (most of the bytes) do not compress, and storing keeps export fast.
  // Each file is written (CRC-32 included) as it is added; the archive is a list of chunks, not one copy.
  const zip = new ZipWriter(now);
  const files: ManifestFile[] = [];
  const add = (path: string, data: Uint8Array, media_type: string, sha256: string) => {
    files.push({ path, sha256, bytes: data.byteLength, media_type });
    zip.add(path, data);
  };
  const addGenerated = async (path: string, data: Uint8Array, media_type: string) => add(path, data, media_type, await sha256Hex(data));

  const stamps = new TsaCertificates();
  const tsaLines: VerifyTimestamps['captures'] = [];
  const total = rows.length;
  progress({ phase: 'collecting', done: 0, total });
  const captures = [];
  const waczCaptures: WaczCapture[] = [];
  // Captures are read and hashed in batches: the awaits of one capture overlap with the others'.
  const BATCH = 64;
  for (let i = 0; i < rows.length; i += BATCH) {
    const prepared = await Promise.all(
      rows.slice(i, i + BATCH).map(async (row) => {
        const rec = row.record;
        const recBytes = utf8(JSON.stringify(exportedRecord(row), null, 2) + '\n');
        const sigBytes = fromBase64(rec.seal.signature);
        const tsr = row.tsa?.status === 'stamped' ? row.tsa.reply : null;
        const [recHash, sigHash, tsrHash, blobs] = await Promise.all([
          sha256Hex(recBytes),
          sha256Hex(sigBytes),
          tsr ? sha256Hex(tsr) : Promise.resolve(''),
          readBlobs(db, rec.artefacts.map((a) => a.sha256)),
        ]);
        return { row, rec, recBytes, sigBytes, recHash, sigHash, tsr, tsrHash, blobs };
      }),
    );
    for (const { row, rec, recBytes, sigBytes, recHash, sigHash, tsr, tsrHash, blobs } of prepared) {
      const folder = captureFolder(row);
      add(`${folder}/record.json`, recBytes, 'application/json', recHash);
      add(`${folder}/record.sig`, sigBytes, 'application/octet-stream', sigHash);
      if (tsr) {
        add(`${folder}/record.tsr`, tsr, 'application/timestamp-reply', tsrHash);
        stamps.add(tsr);
        tsaLines.push({ seq: row.seq, folder, record_sha256: rec.seal.record_sha256, status: 'stamped', authority_url: row.tsa!.authority_url });
      } else if (row.tsa) tsaLines.push({ seq: row.seq, folder, record_sha256: rec.seal.record_sha256, status: 'pending', authority_url: row.tsa.authority_url });
      rec.artefacts.forEach((a, j) => {
        const b = blobs[j];
        if (!b) throw new Error(`The stored bytes of ${a.name} in capture ${row.seq} are missing from this device.`);
        add(`${folder}/${a.name}`, b.bytes, a.media_type, a.sha256);
      });
      waczCaptures.push({ record: rec, recordJson: recBytes, files: new Map(rec.artefacts.map((a, j) => [a.name, blobs[j]!.bytes])) });
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
        ...(row.tsa ? { timestamp: { status: row.tsa.status, gen_time: row.tsa.gen_time } } : {}),
      });
    }
    progress({ phase: 'hashing', done: Math.min(rows.length, i + BATCH), total });
  }
  // evidence.wacz: the same captures for ReplayWeb.page (utils/package/wacz.ts), listed and hashed like any file.
  progress({ phase: 'wacz', done: 0, total });
  const wacz = await buildWacz({
    captures: waczCaptures,
    created: now,
    software: { name: 'Cairn', version: opts.toolVersion ?? '0.0.0' },
    title: `Cairn evidence${opts.caseName ? `: ${opts.caseName}` : ''}`,
    cosigner: { fingerprint: key.fingerprint, publicKeyPem: key.pem, sign: (b) => signDer(key, b) },
    onProgress: (done) => progress({ phase: 'wacz', done, total }),
  });
  waczCaptures.length = 0;
  await addGenerated('evidence.wacz', wacz.bytes, WACZ_MEDIA_TYPE);
  await addGenerated('ledger.jsonl', utf8(ledger.map((e) => canonicalJson(e)).join('\n') + '\n'), 'application/x-ndjson');
  await addGenerated('signer-public-key.pem', utf8(key.pem), 'application/x-pem-file');
  const signers = await signerKeys(db, key.fingerprint, rows, ledger);
  for (const s of signers) await addGenerated(s.public_key, utf8(s.pem), 'application/x-pem-file');
  const otherSigners = signers.map((x) => x.fingerprint).filter((f) => f !== key.fingerprint);
  const tsaCerts = await stamps.all();
  for (const c of tsaCerts) await addGenerated(c.file, utf8(c.pem), 'application/x-pem-file');
  const created = now.toISOString();
  await addGenerated('verify.html', opts.verifyHtml, 'text/html; charset=utf-8');
  const timestamps: VerifyTimestamps = {
    authorities: [...new Set([...tsaLines.map((t) => t.authority_url), ...(tsaUrl ? [tsaUrl] : [])])],
    captures: tsaLines,
    certificates: tsaCerts.map(({ file, subject, issuer, sha256 }) => ({ file, subject, issuer, sha256 })),
    exportAuthority: tsaUrl,
  };
  await addGenerated(
    'VERIFY.txt',
    utf8(verifyText({ fingerprint: key.fingerprint, fingerprintGrouped: groupHex(key.fingerprint), created, exportId, otherSigners, timestamps })),
    'text/plain; charset=utf-8',
  );

  const times = rows.map((r) => r.captured_at).sort();
  const head = ledger[ledger.length - 1];
  const baseManifest = {
    format: PACKAGE_FORMAT,
    export_id: exportId,
    created,
    tool: { name: 'Cairn', version: opts.toolVersion ?? '0.0.0' },
    case: { name: opts.caseName ?? null },
    counts: { captures: rows.length, ledger_entries: ledger.length, files: files.length },
    date_range: { first: times[0] ?? null, last: times[times.length - 1] ?? null },
    signer: { fingerprint: key.fingerprint, public_key: 'signer-public-key.pem', algorithm: 'ECDSA P-256 SHA-256, DER signatures' },
    signers: signers.map(({ pem: _pem, ...s }) => s),
    ledger_head: { seq: head.seq, hash: head.hash },
    captures,
    not_included: notIncluded(rows, ledger),
    ...(timestamps.authorities.length
      ? {
          timestamps: {
            standard: 'RFC 3161. Each captures/…/record.tsr is a TimeStampResp over the record hash (seal.record_sha256); manifest.json.sig.tsr, when present, is one over the bytes of manifest.json.sig.',
            authorities: timestamps.authorities,
            certificates: timestamps.certificates,
          },
        }
      : {}),
    files: [...files].sort((a, b) => (a.path < b.path ? -1 : 1)),
    limitations: LIMITATIONS,
    disclaimer: 'Made with Cairn. The collector, not the tool, is the source of this evidence.',
  };
  // The export's own timestamp is over the signature, so it dates the whole signed package. The manifest says
  // whether the package carries one; if the authority does not answer, the manifest is signed again without that
  // promise, so a token missing from a package that promises one can only have been removed.
  const sealManifest = async (tokenPromised: boolean, unavailable: string | null) => {
    const manifest = {
      ...baseManifest,
      ...('timestamps' in baseManifest
        ? { timestamps: { ...baseManifest.timestamps, export_token_requested: tokenPromised, ...(unavailable ? { export_token_unavailable: unavailable } : {}) } }
        : {}),
    };
    const bytes = utf8(JSON.stringify(manifest, null, 2) + '\n');
    return { manifest, bytes, sig: await signDer(key, bytes) };
  };
  let sealed = await sealManifest(tsaUrl !== null, null);
  let timestamp: ExportTimestamp = { status: 'off' };
  let token: Uint8Array | null = null;
  if (tsaUrl) {
    progress({ phase: 'timestamping', done: 0, total: 1 });
    const r = await requestTimestamp(tsaUrl, fromHex(await sha256Hex(sealed.sig)), { timeoutMs: opts.timestampTimeoutMs });
    if (r.ok) {
      token = r.value.reply;
      timestamp = { status: 'stamped', authority_url: tsaUrl, gen_time: r.value.gen_time };
    } else {
      timestamp = { status: 'failed', authority_url: tsaUrl, error: r.error.message };
      sealed = await sealManifest(false, `The authority did not answer at export: ${r.error.message}`);
    }
    progress({ phase: 'timestamping', done: 1, total: 1 });
  }
  const { manifest, bytes: manifestBytes, sig: manifestSig } = sealed;
  zip.add('manifest.json', manifestBytes);
  zip.add('manifest.json.sig', manifestSig);
  if (token) zip.add('manifest.json.sig.tsr', token);
  const sums = [...manifest.files.map((f) => `${f.sha256}  ${f.path}`), `${await sha256Hex(manifestBytes)}  manifest.json`]
    .sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1))
    .join('\n') + '\n';
  zip.add('SHA256SUMS', utf8(sums));

  progress({ phase: 'zipping', done: 0, total: 1 });
  const chunks = zip.finish();
  progress({ phase: 'done', done: total, total });
  return packageResult(chunks, { filename: packageFileName(opts.caseName, now), exportId, captureCount: rows.length, timestamp });
}

/** An export result whose single-buffer form is only made when someone asks for it. */
export function packageResult<T extends object>(chunks: Uint8Array[], rest: T): T & { chunks: Uint8Array[]; size: number; readonly bytes: Uint8Array } {
  let joined: Uint8Array | null = null;
  return {
    ...rest,
    chunks,
    size: chunks.reduce((n, c) => n + c.byteLength, 0),
    get bytes() {
      joined ??= concatBytes(chunks);
      return joined;
    },
  };
}

async function settingsAuthority(db: CairnDb): Promise<string | null> {
  const t = (await getSettings(db)).timestamps;
  return t.enabled ? t.authority_url : null;
}
