import JSZip from 'jszip';
import { canonicalBytes } from '../shared/canonical-json';
import { importSpki, pemToSpki, spkiFingerprint, verifyDer } from '../shared/ecdsa';
import { fromBase64, fromUtf8 } from '../shared/encoding';
import { GENESIS_PREV, ledgerCore } from '../shared/ledger-format';
import { sha256Hex } from '../shared/sha256';
import { checkTimestamps, type TimestampResult } from './timestamp';

/**
 * The package verifier (DESIGN.md section 6). Written against the package
 * format alone: it imports nothing from the exporter, so it also proves the
 * format is complete. Every check is reported separately and a failure never
 * stops the others.
 */

export type CheckStatus = 'pass' | 'fail' | 'skip';
export type Verdict = 'VERIFIED' | 'FAILED' | 'UNSIGNED' | 'PARTIAL' | 'UNUSABLE';

export interface Check {
  /** Stable check id: archive, manifest, signature, signers, file, unlisted, sha256sums, record, ledger, completeness. */
  id: string;
  status: CheckStatus;
  /** The file the check is about, when it is about one. */
  file?: string;
  detail: string;
}

export interface CaptureResult {
  seq: number | null;
  folder: string;
  record_sha256: string | null;
  ok: boolean;
  /** The capture's trusted timestamp, when it has one (set by the timestamp checks). */
  timestamp?: { status: 'stamped' | 'pending' | 'invalid'; gen_time: string | null; skew_ms: number | null };
}

export interface VerifyReport {
  verdict: Verdict;
  summary: string;
  fingerprint: string | null;
  export_id: string | null;
  created: string | null;
  checks: Check[];
  captures: CaptureResult[];
  /** Every RFC 3161 token in the package (and each capture still waiting for one). */
  timestamps?: TimestampResult[];
}

export const LIMITS = {
  /** Largest package accepted (bytes). */
  maxPackage: 4 * 1024 ** 3,
  /** Most entries in the archive. */
  maxEntries: 200_000,
  /** Largest single file once decompressed. */
  maxFile: 1024 ** 3,
  /** Largest total once decompressed. */
  maxTotal: 8 * 1024 ** 3,
  /** Largest manifest / record / ledger we parse as JSON. */
  maxJson: 256 * 1024 ** 2,
} as const;

const SEAL_FILES = new Set(['manifest.json', 'manifest.json.sig', 'SHA256SUMS', 'manifest.json.sig.tsr']);

/** One file of a package, whether it comes from the ZIP or from the folder it was unzipped into. */
export interface PackageFile {
  /** Path inside the package, '/'-separated (e.g. `captures/000001-x-post/record.json`). */
  path: string;
  /** Size in bytes, as the ZIP's directory or the file system declares it; checked again when read. */
  size: number;
  read(): Promise<Uint8Array>;
}

export interface VerifyProgress {
  /** Bytes read and hashed so far, out of the package's total. */
  done: number;
  total: number;
}

export interface VerifyOptions {
  onProgress?: (p: VerifyProgress) => void;
}

interface Entry {
  name: string;
  size: number;
  read(): Promise<Uint8Array>;
}

function declaredSize(f: JSZip.JSZipObject): number {
  // JSZip keeps the central directory's uncompressed size here; it is checked again after inflating.
  const d = (f as unknown as { _data?: { uncompressedSize?: number } })._data;
  return typeof d?.uncompressedSize === 'number' ? d.uncompressedSize : 0;
}

function unsafePath(name: string): boolean {
  return name.startsWith('/') || name.startsWith('\\') || /(^|[\\/])\.\.([\\/]|$)/.test(name) || /^[a-zA-Z]:/.test(name) || name.includes('\0');
}

function unusable(detail: string, checks: Check[] = []): VerifyReport {
  return {
    verdict: 'UNUSABLE',
    summary: `This file cannot be checked as a Cairn package: ${detail}`,
    fingerprint: null,
    export_id: null,
    created: null,
    checks: [...checks, { id: 'archive', status: 'fail', detail }],
    captures: [],
  };
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** Verifies a package ZIP. */
export async function verifyPackage(input: Uint8Array, opts: VerifyOptions = {}): Promise<VerifyReport> {
  if (input.byteLength > LIMITS.maxPackage) return unusable(`it is larger than ${LIMITS.maxPackage} bytes.`);
  if (input.byteLength < 22 || input[0] !== 0x50 || input[1] !== 0x4b) return unusable('it is not a ZIP archive.');
  let zip: JSZip;
  try {
    // No CRC pass: every file that matters is read and SHA-256 hashed below, which catches any change a CRC would.
    zip = await JSZip.loadAsync(input, { checkCRC32: false, createFolders: false });
  } catch (e) {
    return unusable(`the ZIP archive is damaged (${ownMessage(e, 'its structure is broken')}).`);
  }
  const checks: Check[] = [];
  const entries = new Map<string, Entry>();
  let total = 0;
  let count = 0;
  for (const f of Object.values(zip.files)) {
    if (f.dir) continue;
    if (++count > LIMITS.maxEntries) return unusable(`it holds more than ${LIMITS.maxEntries} files.`);
    const size = declaredSize(f);
    total += size;
    if (size > LIMITS.maxFile) return unusable(`${f.name} would be ${size} bytes once unpacked (more than the ${LIMITS.maxFile}-byte limit; possibly a zip bomb).`);
    if (total > LIMITS.maxTotal) return unusable(`its contents would be more than ${LIMITS.maxTotal} bytes once unpacked (possibly a zip bomb).`);
    // JSZip reads `a/../b` and `./b` as `b`; the path as written in the archive is the one to judge.
    const raw = (f as unknown as { unsafeOriginalName?: string }).unsafeOriginalName ?? f.name;
    if (unsafePath(raw) || unsafePath(f.name)) {
      checks.push({ id: 'archive', status: 'fail', file: raw, detail: 'A file path tries to leave the package folder.' });
      continue;
    }
    if (raw !== f.name) {
      checks.push({ id: 'archive', status: 'fail', file: raw, detail: `A file path is written in a roundabout form (it reads as ${f.name}): the archive was changed after sealing.` });
      continue;
    }
    entries.set(f.name, { name: f.name, size, read: () => f.async('uint8array').then((b) => sized(f.name, size, b, 'the archive declares')) });
  }
  // Two entries with one name (or names that read the same) are kept once by JSZip, but other unzip tools may
  // extract either: count the archive's own directory.
  const listedInArchive = zipEntryCount(input);
  if (listedInArchive !== null && listedInArchive !== Object.keys(zip.files).length)
    checks.push({ id: 'archive', status: 'fail', detail: `The archive's directory lists ${listedInArchive} entries but only ${Object.keys(zip.files).length} distinct names: some names appear twice, so different tools could unpack different files.` });
  return checkPackage(entries, checks, `ZIP archive readable, ${entries.size} files.`, opts);
}

/** The entry count in the ZIP's end-of-central-directory record (ZIP64 when the plain field is full); null when not found. */
function zipEntryCount(b: Uint8Array): number | null {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = b.byteLength - 22; i >= Math.max(0, b.byteLength - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) !== 0x06054b50) continue;
    const n = view.getUint16(i + 10, true);
    if (n !== 0xffff) return n;
    const loc = i - 20;
    if (loc < 0 || view.getUint32(loc, true) !== 0x07064b50) return null;
    const at = Number(view.getBigUint64(loc + 8, true));
    if (at + 56 > b.byteLength || view.getUint32(at, true) !== 0x06064b50) return null;
    return Number(view.getBigUint64(at + 32, true));
  }
  return null;
}

/**
 * Names that operating systems write into a folder when it is opened (Finder,
 * Explorer). In folder mode they are listed as ignored rather than failing the
 * package as added files: they carry no evidence and nothing refers to them.
 */
const OS_METADATA = /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini|\._[^/]*)$|^__MACOSX\//i;

/**
 * Verifies a package that was unzipped into a folder: the same checks as
 * verifyPackage, under the same limits. Paths are relative to the package's
 * top folder (the one holding manifest.json); see packageFolder().
 */
export async function verifyFiles(files: readonly PackageFile[], opts: VerifyOptions = {}): Promise<VerifyReport> {
  if (files.length > LIMITS.maxEntries) return unusable(`the folder holds more than ${LIMITS.maxEntries} files.`);
  const checks: Check[] = [];
  const entries = new Map<string, Entry>();
  let total = 0;
  for (const f of files) {
    const size = f.size;
    total += size;
    if (size > LIMITS.maxFile) return unusable(`${f.path} is ${size} bytes (more than the ${LIMITS.maxFile}-byte limit).`);
    if (total > LIMITS.maxTotal) return unusable(`the folder holds more than ${LIMITS.maxTotal} bytes.`);
    if (unsafePath(f.path) || f.path === '' || f.path.endsWith('/')) {
      checks.push({ id: 'archive', status: 'fail', file: f.path, detail: 'A file path tries to leave the package folder.' });
      continue;
    }
    if (plainPath(f.path) !== f.path) {
      checks.push({ id: 'archive', status: 'fail', file: f.path, detail: `A file path is written in a roundabout form (it reads as ${plainPath(f.path)}): the archive was changed after sealing.` });
      continue;
    }
    if (OS_METADATA.test(f.path)) {
      checks.push({ id: 'archive', status: 'skip', file: f.path, detail: 'Ignored: the operating system writes this file into folders it opens; it is not part of the package.' });
      continue;
    }
    if (entries.has(f.path)) {
      checks.push({ id: 'archive', status: 'fail', file: f.path, detail: 'The folder lists this file twice.' });
      continue;
    }
    entries.set(f.path, { name: f.path, size, read: () => f.read().then((b) => sized(f.path, size, b, 'the folder listing says')) });
  }
  return checkPackage(entries, checks, `Folder readable, ${entries.size} files.`, opts);
}

/** A path with `.` and empty segments dropped and `..` applied, as unzip tools read it. */
function plainPath(p: string): string {
  const parts = p.split('/');
  const out: string[] = [];
  parts.forEach((part, i) => {
    if (part === '.' || (part === '' && i !== 0 && i !== parts.length - 1)) return;
    if (part === '..') out.pop();
    else out.push(part);
  });
  return out.join('/');
}

function sized(name: string, size: number, b: Uint8Array, source: string): Uint8Array {
  if (b.byteLength !== size) throw new Error(`${name} read as ${b.byteLength} bytes, not the ${size} bytes ${source}`);
  return b;
}

/** The checks proper, on files from either source. */
async function checkPackage(entries: Map<string, Entry>, checks: Check[], readable: string, opts: VerifyOptions): Promise<VerifyReport> {
  checks.push({ id: 'archive', status: 'pass', detail: readable });
  const totalBytes = [...entries.values()].reduce((n, e) => n + e.size, 0);
  let doneBytes = 0;
  opts.onProgress?.({ done: 0, total: totalBytes });

  // Bytes are read once and hashed once; the same file may be needed by several checks.
  const bytesCache = new Map<string, Promise<Uint8Array>>();
  const read = (name: string): Promise<Uint8Array> => {
    let p = bytesCache.get(name);
    if (!p) {
      const e = entries.get(name);
      if (!e) return Promise.reject(new Error(`${name} is missing`));
      p = e.read().then((b) => {
        doneBytes += b.byteLength;
        opts.onProgress?.({ done: doneBytes, total: totalBytes });
        return b;
      });
      bytesCache.set(name, p);
    }
    return p;
  };
  const hashCache = new Map<string, Promise<string>>();
  const hash = (name: string): Promise<string> => {
    let p = hashCache.get(name);
    if (!p) {
      p = read(name).then(sha256Hex);
      hashCache.set(name, p);
    }
    return p;
  };
  const readJson = async (name: string): Promise<unknown> => {
    const e = entries.get(name);
    if (!e) throw new Error(`${name} is missing`);
    if (e.size > LIMITS.maxJson) throw new Error(`${name} is too large to read (${e.size} bytes)`);
    const text = fromUtf8(await read(name));
    try {
      return JSON.parse(text);
    } catch {
      // The engine's own wording differs between Node, Chromium and Firefox; the report must not.
      throw new Error(`${name} is not valid JSON`);
    }
  };

  // Manifest
  let manifest: Record<string, unknown>;
  try {
    const m = asRecord(await readJson('manifest.json'));
    if (!m || !Array.isArray(m.files)) throw new Error('it has no file list');
    manifest = m;
    checks.push({ id: 'manifest', status: 'pass', file: 'manifest.json', detail: 'manifest.json read.' });
  } catch (e) {
    return unusable(`manifest.json cannot be read (${(e as Error).message}).`, checks);
  }
  const exportId = typeof manifest.export_id === 'string' ? manifest.export_id : null;
  const created = typeof manifest.created === 'string' ? manifest.created : null;

  // Keys: the signer key file named by the manifest, checked against its fingerprint.
  const keys = new Map<string, CryptoKey>();
  let fingerprint: string | null = null;
  const signer = asRecord(manifest.signer);
  const keyFile = typeof signer?.public_key === 'string' ? signer.public_key : 'signer-public-key.pem';
  let signerKey: CryptoKey | null = null;
  try {
    const spki = pemToSpki(fromUtf8(await read(keyFile)));
    fingerprint = await spkiFingerprint(spki);
    signerKey = await importSpki(spki);
    keys.set(fingerprint, signerKey);
    if (signer?.fingerprint !== fingerprint)
      checks.push({ id: 'signature', status: 'fail', file: keyFile, detail: `The key's fingerprint ${fingerprint} is not the one the manifest names (${String(signer?.fingerprint)}).` });
  } catch (e) {
    checks.push({ id: 'signature', status: 'fail', file: keyFile, detail: `The signer's public key cannot be read: ${ownMessage(e, 'it is not a valid ECDSA P-256 public key')}.` });
  }

  // Other signers (captures imported or restored from another device): each key file must match its fingerprint.
  const signerFailures = await loadSigners(manifest.signers, keys, entries.has.bind(entries), read);
  checks.push(...signerFailures);
  if (Array.isArray(manifest.signers) && signerFailures.length === 0)
    checks.push({ id: 'signers', status: 'pass', detail: `${keys.size} signer key(s): ${[...keys.keys()].join(', ')}.` });

  // Manifest signature
  let unsigned = false;
  if (!entries.has('manifest.json.sig')) {
    unsigned = true;
    checks.push({ id: 'signature', status: 'fail', file: 'manifest.json.sig', detail: 'The package has no signature (manifest.json.sig is missing).' });
  } else if (signerKey) {
    const okSig = await verifyDer(signerKey, await read('manifest.json.sig'), await read('manifest.json'));
    checks.push(
      okSig
        ? { id: 'signature', status: 'pass', file: 'manifest.json.sig', detail: 'The signature over manifest.json is valid for the signer key.' }
        : { id: 'signature', status: 'fail', file: 'manifest.json.sig', detail: 'The signature over manifest.json does not match: the manifest or the signature was changed.' },
    );
  }

  // Every listed file: present, right size, right hash.
  const listed = new Map<string, { sha256: string; bytes: number }>();
  let fileFailures = 0;
  for (const raw of manifest.files as unknown[]) {
    const f = asRecord(raw);
    if (!f || typeof f.path !== 'string' || typeof f.sha256 !== 'string' || typeof f.bytes !== 'number') {
      checks.push({ id: 'file', status: 'fail', file: 'manifest.json', detail: 'The manifest lists a file without path, hash or size.' });
      fileFailures++;
      continue;
    }
    listed.set(f.path, { sha256: f.sha256.toLowerCase(), bytes: f.bytes });
    const e = entries.get(f.path);
    if (!e) {
      checks.push({ id: 'file', status: 'fail', file: f.path, detail: 'Listed in the manifest but missing from the package.' });
      fileFailures++;
      continue;
    }
    if (e.size !== f.bytes) {
      checks.push({ id: 'file', status: 'fail', file: f.path, detail: `Size is ${e.size} bytes; the manifest says ${f.bytes}.` });
      fileFailures++;
      continue;
    }
    try {
      const h = await hash(f.path);
      if (h !== f.sha256.toLowerCase()) {
        checks.push({ id: 'file', status: 'fail', file: f.path, detail: `SHA-256 is ${h}; the manifest says ${f.sha256}. The file was changed.` });
        fileFailures++;
      }
    } catch (e2) {
      checks.push({ id: 'file', status: 'fail', file: f.path, detail: `Cannot be read: ${(e2 as Error).message}.` });
      fileFailures++;
    }
  }
  if (fileFailures === 0) checks.push({ id: 'file', status: 'pass', detail: `All ${listed.size} listed files are present with the right size and SHA-256.` });

  // Nothing extra
  const extra = [...entries.keys()].filter((n) => !listed.has(n) && !SEAL_FILES.has(n));
  for (const n of extra) checks.push({ id: 'unlisted', status: 'fail', file: n, detail: 'This file is in the package but not in the manifest: it was added after sealing.' });
  if (extra.length === 0) checks.push({ id: 'unlisted', status: 'pass', detail: 'No files beyond those the manifest lists.' });

  // SHA256SUMS agrees with the manifest and with manifest.json itself.
  try {
    const text = fromUtf8(await read('SHA256SUMS'));
    const sums = new Map<string, string>();
    let bad = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const m = /^([0-9a-f]{64}) [ *](.+)$/i.exec(line);
      if (!m) {
        checks.push({ id: 'sha256sums', status: 'fail', file: 'SHA256SUMS', detail: `A line is not in sha256sum format: ${line.slice(0, 80)}` });
        bad++;
        continue;
      }
      sums.set(m[2], m[1].toLowerCase());
    }
    const expected = new Map([...listed].map(([p, f]) => [p, f.sha256]));
    expected.set('manifest.json', await hash('manifest.json'));
    for (const [p, h] of expected) {
      if (sums.get(p) !== h) {
        checks.push({ id: 'sha256sums', status: 'fail', file: 'SHA256SUMS', detail: sums.has(p) ? `The hash for ${p} differs from the manifest's.` : `${p} is not listed.` });
        bad++;
      }
    }
    for (const p of sums.keys())
      if (!expected.has(p)) {
        checks.push({ id: 'sha256sums', status: 'fail', file: 'SHA256SUMS', detail: `Lists ${p}, which the manifest does not.` });
        bad++;
      }
    // SHA256SUMS is not itself sealed, so its exact bytes are checked too: the exporter writes one text
    // (lower-case hex, two spaces, sorted by path), and a changed case, '*' marker, order or blank line is an edit.
    const exact = [...expected].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([p, h]) => `${h}  ${p}\n`).join('');
    if (!bad && text !== exact) {
      checks.push({ id: 'sha256sums', status: 'fail', file: 'SHA256SUMS', detail: 'The hashes agree with the manifest, but the file was edited (its case, spacing, order or blank lines differ from what Cairn writes).' });
      bad++;
    }
    if (!bad) checks.push({ id: 'sha256sums', status: 'pass', file: 'SHA256SUMS', detail: 'SHA256SUMS matches the manifest and manifest.json.' });
  } catch (e) {
    checks.push({ id: 'sha256sums', status: 'fail', file: 'SHA256SUMS', detail: `Cannot be read: ${(e as Error).message}.` });
  }

  // Ledger
  const ledgerBySeq = new Map<number, Record<string, unknown>>();
  try {
    const text = fromUtf8(await read('ledger.jsonl'));
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    let prevHash = GENESIS_PREV;
    let prevSeq = 0;
    let bad = 0;
    for (let i = 0; i < lines.length; i++) {
      const where = `ledger.jsonl line ${i + 1}`;
      let e: Record<string, unknown> | null;
      try {
        e = asRecord(JSON.parse(lines[i]));
      } catch {
        e = null;
      }
      if (!e || typeof e.seq !== 'number' || typeof e.hash !== 'string' || typeof e.prev !== 'string') {
        checks.push({ id: 'ledger', status: 'fail', file: 'ledger.jsonl', detail: `${where} is not a ledger entry.` });
        bad++;
        continue;
      }
      const seq = e.seq;
      if (seq <= prevSeq) {
        checks.push({ id: 'ledger', status: 'fail', file: 'ledger.jsonl', detail: `${where}: entry ${seq} comes after entry ${prevSeq}: the ledger was reordered.` });
        bad++;
      } else if (seq !== prevSeq + 1) {
        const missing = seq - prevSeq - 1 === 1 ? `entry ${prevSeq + 1} is` : `entries ${prevSeq + 1}–${seq - 1} are`;
        checks.push({ id: 'ledger', status: 'fail', file: 'ledger.jsonl', detail: `${where}: ${missing} missing.` });
        bad++;
      }
      const core = ledgerCore(e as unknown as Parameters<typeof ledgerCore>[0]);
      const coreBytes = canonicalBytes(core);
      const h = await sha256Hex(coreBytes);
      if (h !== e.hash) {
        checks.push({ id: 'ledger', status: 'fail', file: 'ledger.jsonl', detail: `${where} (entry ${seq}) was edited: its hash does not match its content.` });
        bad++;
      } else if (e.prev !== prevHash && seq === prevSeq + 1) {
        checks.push({ id: 'ledger', status: 'fail', file: 'ledger.jsonl', detail: `${where} (entry ${seq}) does not follow the entry before it: the chain is broken.` });
        bad++;
      }
      if (e.payload !== undefined && (await sha256Hex(canonicalBytes(e.payload))) !== e.payload_sha256) {
        checks.push({ id: 'ledger', status: 'fail', file: 'ledger.jsonl', detail: `${where} (entry ${seq}): its details were edited.` });
        bad++;
      }
      const k = typeof e.key_id === 'string' ? keys.get(e.key_id) : undefined;
      if (!k) {
        checks.push({ id: 'ledger', status: 'fail', file: 'ledger.jsonl', detail: `${where} (entry ${seq}) names a key that is not in the package.` });
        bad++;
      } else if (typeof e.sig !== 'string' || !(await verifyDer(k, safeB64(e.sig), coreBytes))) {
        checks.push({ id: 'ledger', status: 'fail', file: 'ledger.jsonl', detail: `${where} (entry ${seq}): the signature does not match.` });
        bad++;
      }
      ledgerBySeq.set(seq, e);
      prevHash = e.hash as string;
      prevSeq = Math.max(prevSeq, seq);
    }
    const head = asRecord(manifest.ledger_head);
    if (head && (head.seq !== prevSeq || head.hash !== prevHash)) {
      checks.push({ id: 'ledger', status: 'fail', file: 'ledger.jsonl', detail: `The ledger ends at entry ${prevSeq}, but the manifest says it ends at ${String(head.seq)}: entries were removed or added.` });
      bad++;
    }
    if (!bad) checks.push({ id: 'ledger', status: 'pass', file: 'ledger.jsonl', detail: `Ledger chain intact: ${lines.length} entries, each signed and linked to the one before.` });
  } catch (e) {
    checks.push({ id: 'ledger', status: 'fail', file: 'ledger.jsonl', detail: `Cannot be read: ${(e as Error).message}.` });
  }

  // Capture records
  const captures: CaptureResult[] = [];
  const includedHashes = new Set<string>();
  const listedCaptures = Array.isArray(manifest.captures) ? manifest.captures : [];
  for (const raw of listedCaptures) {
    const c = asRecord(raw);
    const folder = typeof c?.folder === 'string' ? c.folder : '?';
    const recPath = `${folder}/record.json`;
    const result: CaptureResult = { seq: typeof c?.seq === 'number' ? c.seq : null, folder, record_sha256: null, ok: false };
    captures.push(result);
    let good = true;
    const fail = (detail: string, file = recPath) => {
      good = false;
      checks.push({ id: 'record', status: 'fail', file, detail });
    };
    try {
      const rec = asRecord(await readJson(recPath));
      const seal = asRecord(rec?.seal);
      if (!rec || !seal) throw new Error('it has no seal');
      const { seal: _omit, ...body } = rec;
      void _omit;
      const bodyBytes = canonicalBytes(body);
      const h = await sha256Hex(bodyBytes);
      result.record_sha256 = h;
      if (h !== seal.record_sha256) fail(`The record's content hashes to ${h}, not to the sealed ${String(seal.record_sha256)}: the record was edited.`);
      if (c?.record_sha256 !== seal.record_sha256) fail('The manifest names a different record hash for this capture.');
      const k = typeof rec.signer_fingerprint === 'string' ? keys.get(rec.signer_fingerprint) : undefined;
      if (!k) fail("The record's signer key is not in the package.");
      else if (typeof seal.signature !== 'string' || !(await verifyDer(k, safeB64(seal.signature), bodyBytes)))
        fail("The record's signature does not match its content.");
      const sigPath = `${folder}/record.sig`;
      if (entries.has(sigPath)) {
        const sigFile = await read(sigPath);
        const sealed = typeof seal.signature === 'string' ? safeB64(seal.signature) : new Uint8Array();
        if (sigFile.length !== sealed.length || sigFile.some((b, i) => b !== sealed[i])) fail('record.sig differs from the signature inside record.json.', sigPath);
      } else fail('record.sig is missing.', sigPath);
      for (const a of Array.isArray(rec.artefacts) ? rec.artefacts : []) {
        const art = asRecord(a);
        if (!art || typeof art.name !== 'string') continue;
        const p = `${folder}/${art.name}`;
        if (!entries.has(p)) fail(`${art.name}, named in the record, is missing.`, p);
        else if ((await hash(p).catch(() => '')) !== art.sha256) fail(`${art.name} does not match the hash sealed in the record at capture time.`, p);
      }
      // Sealed here: the capture entry the seal names. Sealed on another device and imported: this ledger's import entry.
      const le = typeof seal.ledger_seq === 'number' ? ledgerBySeq.get(seal.ledger_seq) : undefined;
      const own = le?.type === 'capture' && asRecord(le.payload)?.record_sha256 === seal.record_sha256;
      const imported = [...ledgerBySeq.values()].some((e) => e.type === 'import' && asRecord(e.payload)?.record_sha256 === seal.record_sha256);
      if (!own && !imported) fail(`The ledger has no capture entry ${String(seal.ledger_seq)} and no import entry for this record.`, 'ledger.jsonl');
      if (typeof seal.record_sha256 === 'string') includedHashes.add(seal.record_sha256);
      result.ok = good;
    } catch (e) {
      fail(`Cannot be read: ${(e as Error).message}.`);
    }
  }
  const goodCaptures = captures.filter((c) => c.ok).length;
  if (captures.length && goodCaptures === captures.length)
    checks.push({ id: 'record', status: 'pass', detail: `All ${captures.length} capture records match their seal and signature.` });
  checks.push(...completeness(ledgerBySeq, includedHashes, manifest.not_included, exportId));

  // Trusted timestamps (RFC 3161): each record.tsr and manifest.json.sig.tsr (see timestamp.ts).
  const exportTokenRequested = asRecord(manifest.timestamps)?.export_token_requested === true;
  const ts = await checkTimestamps({ has: (n) => entries.has(n), read, readJson, names: () => entries.keys() }, captures, created, exportTokenRequested);
  checks.push(...ts.checks);

  const failed = checks.filter((c) => c.status === 'fail');
  let verdict: Verdict;
  if (failed.length === 0) verdict = 'VERIFIED';
  else if (unsigned && failed.length === 1) verdict = 'UNSIGNED';
  else verdict = 'FAILED';
  const summary =
    verdict === 'VERIFIED'
      ? `VERIFIED: ${captures.length} captures, ${listed.size} files, signature and ledger all check out.`
      : verdict === 'UNSIGNED'
        ? 'UNSIGNED: the files match their hashes, but the package carries no signature.'
        : `FAILED: ${failed.length} check(s) failed, first: ${failed[0].file ? `${failed[0].file}: ` : ''}${failed[0].detail}`;
  return { verdict, summary, fingerprint, export_id: exportId, created, checks, captures, timestamps: ts.timestamps };
}

/**
 * An error's message when it is one of ours or the ZIP library's (plain Error, same words everywhere); the
 * fallback for errors the JavaScript engine or WebCrypto raised, whose wording differs between browsers and Node.
 */
function ownMessage(e: unknown, fallback: string): string {
  return e instanceof Error && e.constructor === Error ? e.message : fallback;
}

function safeB64(s: string): Uint8Array {
  try {
    return fromBase64(s);
  } catch {
    return new Uint8Array();
  }
}

/** Reads every key the manifest lists under `signers`, checks it against its fingerprint, and adds it to `keys`. */
async function loadSigners(
  raw: unknown,
  keys: Map<string, CryptoKey>,
  has: (name: string) => boolean,
  read: (name: string) => Promise<Uint8Array>,
): Promise<Check[]> {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return [{ id: 'signers', status: 'fail', file: 'manifest.json', detail: 'The list of signer keys is not a list.' }];
  const out: Check[] = [];
  for (const item of raw) {
    const s = asRecord(item);
    const file = typeof s?.public_key === 'string' ? s.public_key : null;
    const declared = typeof s?.fingerprint === 'string' ? s.fingerprint : null;
    if (!file || !declared) {
      out.push({ id: 'signers', status: 'fail', file: 'manifest.json', detail: 'A signer key is listed without its file or fingerprint.' });
      continue;
    }
    if (!has(file)) {
      out.push({ id: 'signers', status: 'fail', file, detail: `The public key of signer ${declared} is missing.` });
      continue;
    }
    try {
      const spki = pemToSpki(fromUtf8(await read(file)));
      const fp = await spkiFingerprint(spki);
      if (fp !== declared) out.push({ id: 'signers', status: 'fail', file, detail: `This key's fingerprint is ${fp}, not ${declared} as the manifest says.` });
      else if (!keys.has(fp)) keys.set(fp, await importSpki(spki));
    } catch {
      // Fixed wording: the engine's own message differs between Node and the browsers, and the reports must match.
      out.push({ id: 'signers', status: 'fail', file, detail: 'The key cannot be read: it is not a valid PEM public key.' });
    }
  }
  return out;
}

/**
 * Ledger completeness: every capture the ledger records (sealed here or
 * imported) is in this package, or deleted with a tombstone, or listed in the
 * manifest as not selected with the same hash. Anything else is an
 * unexplained absence.
 */
function completeness(ledger: Map<number, Record<string, unknown>>, included: Set<string>, rawNotIncluded: unknown, exportId: string | null): Check[] {
  const out: Check[] = [];
  const fail = (detail: string, file = 'ledger.jsonl') => out.push({ id: 'completeness', status: 'fail', file, detail });
  const recorded = new Map<string, number>();
  const deleted = new Map<string, { seq: number; reason: string }>();
  let exportEntry: Record<string, unknown> | null = null;
  for (const [seq, e] of ledger) {
    const p = asRecord(e.payload);
    const h = typeof p?.record_sha256 === 'string' ? p.record_sha256 : null;
    if ((e.type === 'capture' || e.type === 'import') && h) recorded.set(h, seq);
    if (e.type === 'delete' && h) deleted.set(h, { seq, reason: typeof p?.reason === 'string' ? p.reason : '' });
    if (e.type === 'export' && exportId && e.subject === exportId) exportEntry = p;
  }
  const notSelected = new Map<string, Record<string, unknown>>();
  for (const item of Array.isArray(rawNotIncluded) ? rawNotIncluded : []) {
    const n = asRecord(item);
    if (typeof n?.record_sha256 === 'string') notSelected.set(n.record_sha256, n);
  }
  const explainedDeleted: string[] = [];
  const explainedNotSelected: string[] = [];
  for (const [h, seq] of [...recorded].sort((a, b) => a[1] - b[1])) {
    const d = deleted.get(h);
    if (included.has(h)) {
      if (d) fail(`Ledger entry ${seq}'s capture is in the package, but entry ${d.seq} records its deletion.`);
      continue;
    }
    if (d) explainedDeleted.push(`entry ${seq} (deleted in entry ${d.seq}: "${d.reason}")`);
    else if (notSelected.has(h)) explainedNotSelected.push(`entry ${seq}`);
    else fail(`The capture of ledger entry ${seq} (record ${h}) is absent from this package and nothing explains why: no deletion is recorded and the manifest does not list it as not selected.`);
  }
  for (const h of notSelected.keys())
    if (!recorded.has(h)) fail(`The manifest lists record ${h} as not selected, but the ledger never recorded it.`, 'manifest.json');
    else if (included.has(h)) fail(`The manifest lists record ${h} as not selected, but it is in the package.`, 'manifest.json');
  if (exportId) {
    const listed = Array.isArray(exportEntry?.record_sha256s) ? (exportEntry.record_sha256s as unknown[]).filter((x): x is string => typeof x === 'string') : null;
    if (!listed) fail(`The ledger has no entry for this export (${exportId}).`);
    else if (listed.length !== included.size || listed.some((h) => !included.has(h)))
      fail(`The ledger's entry for this export lists ${listed.length} captures; the package carries ${included.size} other or different ones.`);
  }
  if (out.length === 0) {
    const parts = [`${included.size} of ${recorded.size} captures in the ledger are in this package`];
    if (explainedDeleted.length) parts.push(`${explainedDeleted.length} deleted with a recorded reason: ${explainedDeleted.slice(0, 20).join('; ')}${explainedDeleted.length > 20 ? '; …' : ''}`);
    if (explainedNotSelected.length) parts.push(`${explainedNotSelected.length} not selected for this export (listed by hash in the manifest): ${explainedNotSelected.slice(0, 20).join(', ')}${explainedNotSelected.length > 20 ? ', …' : ''}`);
    out.push({ id: 'completeness', status: 'pass', file: 'ledger.jsonl', detail: `Every absence is explained. ${parts.join('. ')}.` });
  }
  return out;
}
