import type { BlobRow, CairnDb, CaptureRow, MetaRow, SealedTable, SignerRow } from './db';
import { deviceKey } from './keys';
import { appendWith, buildEntry } from './ledger';
import { getSettings, updateSettings, type Settings } from './settings';
import { aesDecrypt, deriveKek, newKdf, packValue, randomBytes, unpackValue, PBKDF2_MAX_ITERATIONS, PBKDF2_MIN_ITERATIONS, type KdfParams } from './vault-crypto';
import { openBlob, readCaptures, searchText, readLedger, readRows, sealBlob, sealRow, type AnyRow } from './vault-data';
import { assertWriteMode, LOCK_META, readLock, vaultKeys, writeMode, type WriteMode } from './vault-lock';
import { concatBytes, exactBuffer, fromBase64, fromUtf8, toBase64, utf8 } from '../shared/encoding';
import type { LedgerEntry } from '../shared/ledger-format';
import { err, ok, type Result } from '../shared/result';
import { sha256Hex } from '../shared/sha256';

/**
 * The encrypted backup: the whole vault in one file, restorable into a fresh
 * profile or another browser.
 *
 * File layout (all integers big-endian):
 *
 *   "CAIRNBAK"                      8 bytes
 *   header length H                 uint32
 *   header                          H bytes of UTF-8 JSON: format, created, kdf (PBKDF2-SHA-256,
 *                                   iterations, salt), cipher (AES-GCM-256, chunk size, nonce prefix),
 *                                   key_check
 *   chunks, each:  length L uint32, then L bytes of AES-GCM ciphertext (with its 16-byte tag)
 *
 * The key is PBKDF2-SHA-256(passphrase, salt, iterations). Chunk i uses the IV
 * nonce_prefix ‖ uint32(i) and the additional data "cairn-backup/1" ‖
 * SHA-256(header bytes) ‖ uint32(i) ‖ final-flag, so a changed header, a
 * reordered, removed or appended chunk, or a cut-off file all fail to decrypt.
 * `key_check` (a fixed string under IV nonce_prefix ‖ FFFFFFFF) tells a wrong
 * passphrase apart from a damaged file.
 *
 * The decrypted chunks form one stream of frames: type (1 JSON, 2 bytes),
 * uint32 length, payload. JSON frames, in order: head (counts, settings,
 * counters), signer keys, ledger entries, capture rows, blobs (each followed by
 * a bytes frame), cases, accounts, diary, annotations, end.
 */

export const BACKUP_FORMAT = 'cairn-backup/1';
const MAGIC = utf8('CAIRNBAK');
const CHUNK_BYTES = 4 * 1024 * 1024;
const KEY_CHECK = utf8('cairn-backup key check');
const ROW_BATCH = 200;
/** Meta rows that belong to this vault, not to its contents. */
const LOCAL_META = new Set([LOCK_META, 'restore_in_progress']);

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  created: string;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  cipher: { name: 'AES-GCM'; key_bits: 256; chunk_bytes: number; nonce_prefix: string };
  key_check: string;
  note: string;
}

export interface BackupCounts {
  captures: number;
  blobs: number;
  ledger: number;
  cases: number;
  accounts: number;
  diary: number;
  annotations: number;
  signers: number;
}

interface HeadFrame {
  t: 'head';
  format: 'cairn-backup-content/1';
  created: string;
  tool_version: string;
  device_fingerprint: string;
  counts: BackupCounts;
  ledger_head: { seq: number; hash: string } | null;
  meta: MetaRow[];
}

type JsonFrame =
  | HeadFrame
  | { t: 'rows'; table: 'signers' | 'ledger' | 'captures' | SealedTable; rows: AnyRow[] }
  | { t: 'blob'; sha256: string; media_type: string; refs: number; bytes: number }
  | { t: 'end'; counts: BackupCounts };

export interface BackupProgress {
  phase: 'collecting' | 'checking' | 'writing' | 'done';
  done: number;
  total: number;
}

export type BackupErrorCode = 'not-a-backup' | 'unsupported' | 'wrong-passphrase' | 'damaged' | 'not-empty' | 'locked' | 'weak-passphrase' | 'interrupted-other';

export const BACKUP_ERROR_TEXT: Record<BackupErrorCode, string> = {
  'not-a-backup': 'This file is not a Cairn backup. Nothing was changed.',
  unsupported: 'This backup was made by a newer version of Cairn, or its settings are not ones Cairn accepts. Nothing was changed.',
  'wrong-passphrase': 'That passphrase does not open this backup. Nothing was changed; check the passphrase you chose when you made the backup.',
  damaged: 'This backup file is damaged or incomplete, so it cannot be restored safely. Nothing was changed. Try another copy of the file.',
  'not-empty':
    'This vault already holds captures or ledger entries. A backup can only be restored into an empty vault (a new browser profile, or this browser after Cairn was removed and added again), so that two histories are never mixed. Nothing was changed.',
  locked: 'The vault is locked. Unlock it first.',
  'weak-passphrase': 'Use a backup passphrase of at least 8 characters.',
  'interrupted-other': 'An earlier restore of a different backup file did not finish. Restore that same file again to finish it. Nothing was changed.',
};

export function backupFileName(at: Date): string {
  return `cairn-backup-${at.toISOString().slice(0, 10)}.cairnbak`;
}

const u32 = (n: number) => Uint8Array.of((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
const readU32 = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

function chunkAad(headerHash: Uint8Array, index: number, final: boolean): Uint8Array {
  return concatBytes([utf8(BACKUP_FORMAT), headerHash, u32(index), Uint8Array.of(final ? 1 : 0)]);
}

const ivFor = (prefix: Uint8Array, index: number) => concatBytes([prefix, u32(index)]);

/** Encrypts frames into chunks as they come. */
class ChunkWriter {
  private pending: Uint8Array[] = [];
  private size = 0;
  private index = 0;
  readonly out: Uint8Array[] = [];
  constructor(
    private key: CryptoKey,
    private prefix: Uint8Array,
    private headerHash: Uint8Array,
  ) {}

  async frame(type: 1 | 2, payload: Uint8Array): Promise<void> {
    this.pending.push(Uint8Array.of(type), u32(payload.byteLength), payload);
    this.size += 5 + payload.byteLength;
    while (this.size > CHUNK_BYTES) {
      const all = concatBytes(this.pending);
      await this.emit(all.subarray(0, CHUNK_BYTES), false);
      this.pending = [all.slice(CHUNK_BYTES)];
      this.size = all.byteLength - CHUNK_BYTES;
    }
  }

  json(f: JsonFrame): Promise<void> {
    return this.frame(1, packValue(f));
  }

  private async emit(plain: Uint8Array, final: boolean): Promise<void> {
    const iv = ivFor(this.prefix, this.index);
    const ct = new Uint8Array(
      await crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv as BufferSource, additionalData: chunkAad(this.headerHash, this.index, final) as BufferSource }, this.key, plain as BufferSource),
    );
    this.out.push(u32(ct.byteLength), ct);
    this.index++;
  }

  async finish(): Promise<void> {
    await this.emit(concatBytes(this.pending), true);
    this.pending = [];
  }
}

export interface BuiltBackup {
  /** The file, in parts (for a Blob without one more copy). */
  parts: Uint8Array[];
  bytes: number;
  filename: string;
  counts: BackupCounts;
}

/** Writes the whole vault (decrypted; it must be unlocked) into one encrypted backup. */
export async function buildBackup(
  db: CairnDb,
  passphrase: string,
  opts: { now?: Date; toolVersion?: string; onProgress?: (p: BackupProgress) => void } = {},
): Promise<Result<BuiltBackup, BackupErrorCode>> {
  if (passphrase.length < 8) return err('weak-passphrase', BACKUP_ERROR_TEXT['weak-passphrase']);
  const now = opts.now ?? new Date();
  const progress = opts.onProgress ?? (() => {});
  if ((await readLock(db)) && !(await vaultKeys(db))) return err('locked', BACKUP_ERROR_TEXT.locked);

  const kdf = newKdf();
  const prefix = randomBytes(8);
  const key = await deriveKek(passphrase, kdf);
  const keyCheck = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: ivFor(prefix, 0xffffffff) as BufferSource, additionalData: utf8(`${BACKUP_FORMAT} key check`) as BufferSource }, key, KEY_CHECK as BufferSource),
  );
  const header: BackupHeader = {
    format: BACKUP_FORMAT,
    created: now.toISOString(),
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: kdf.iterations, salt: toBase64(kdf.salt) },
    cipher: { name: 'AES-GCM', key_bits: 256, chunk_bytes: CHUNK_BYTES, nonce_prefix: toBase64(prefix) },
    key_check: toBase64(keyCheck),
    note: 'Encrypted backup of a Cairn vault. Restore it in Cairn (vault → Settings → Backup and restore). Without its passphrase it cannot be read.',
  };
  const headerBytes = utf8(JSON.stringify(header));
  const headerHash = new Uint8Array(await crypto.subtle.digest('SHA-256', headerBytes as BufferSource));
  const w = new ChunkWriter(key, prefix, headerHash);

  const dev = await deviceKey(db);
  const signers = await db.signers.toArray();
  const ledger = await readLedger(db);
  const captureKeys = (await db.captures.orderBy('seq').primaryKeys()) as string[];
  const blobKeys = (await db.blobs.toCollection().primaryKeys()) as string[];
  const small = {
    cases: (await readRows(db, 'cases', await db.cases.toArray())) as unknown as AnyRow[],
    accounts: (await readRows(db, 'accounts', await db.accounts.toArray())) as unknown as AnyRow[],
    diary: (await readRows(db, 'diary', await db.diary.toArray())) as unknown as AnyRow[],
    annotations: (await readRows(db, 'annotations', await db.annotations.toArray())) as unknown as AnyRow[],
  };
  const counts: BackupCounts = {
    captures: captureKeys.length,
    blobs: blobKeys.length,
    ledger: ledger.length,
    cases: small.cases.length,
    accounts: small.accounts.length,
    diary: small.diary.length,
    annotations: small.annotations.length,
    signers: signers.length,
  };
  const meta = (await db.meta.toArray()).filter((m) => !LOCAL_META.has(m.key));
  const last = ledger.at(-1);
  await w.json({
    t: 'head',
    format: 'cairn-backup-content/1',
    created: header.created,
    tool_version: opts.toolVersion ?? '0.0.0',
    device_fingerprint: dev.fingerprint,
    counts,
    ledger_head: last ? { seq: last.seq, hash: last.hash } : null,
    meta,
  });
  await w.json({ t: 'rows', table: 'signers', rows: signers as unknown as AnyRow[] });
  for (let i = 0; i < ledger.length; i += ROW_BATCH) await w.json({ t: 'rows', table: 'ledger', rows: ledger.slice(i, i + ROW_BATCH) as unknown as AnyRow[] });

  const total = counts.captures + counts.blobs;
  let done = 0;
  progress({ phase: 'collecting', done, total });
  for (let i = 0; i < captureKeys.length; i += ROW_BATCH) {
    const rows = await readCaptures(db, captureKeys.slice(i, i + ROW_BATCH));
    await w.json({ t: 'rows', table: 'captures', rows: rows.map(({ search: _s, ...r }) => r) as unknown as AnyRow[] });
    done += rows.length;
    progress({ phase: 'collecting', done, total });
  }
  const keys = await vaultKeys(db);
  for (const sha of blobKeys) {
    const stored = await db.blobs.get(sha);
    if (!stored) continue;
    const b = await openBlob(keys, stored);
    await w.json({ t: 'blob', sha256: b.sha256, media_type: b.media_type, refs: b.refs, bytes: b.bytes.byteLength });
    await w.frame(2, b.bytes);
    done++;
    if (done % 20 === 0) progress({ phase: 'collecting', done, total });
  }
  for (const t of ['cases', 'accounts', 'diary', 'annotations'] as const) {
    for (let i = 0; i < small[t].length; i += ROW_BATCH) await w.json({ t: 'rows', table: t, rows: small[t].slice(i, i + ROW_BATCH) });
  }
  await w.json({ t: 'end', counts });
  await w.finish();
  progress({ phase: 'done', done: total, total });
  const parts = [MAGIC, u32(headerBytes.byteLength), headerBytes, ...w.out];
  return ok({ parts, bytes: parts.reduce((n, p) => n + p.byteLength, 0), filename: backupFileName(now), counts });
}

/** Days without a backup before the vault reminds, and days the reminder stays away once dismissed. */
export const BACKUP_REMINDER_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** True when the vault holds captures, no backup was made in the last N days, and the reminder was not dismissed in the last N days. */
export function backupReminderDue(s: Pick<Settings, 'last_backup_at' | 'backup_reminded_at'>, captures: number, now = Date.now()): boolean {
  if (captures === 0) return false;
  const older = (iso: string | null) => !iso || !(now - Date.parse(iso) <= BACKUP_REMINDER_DAYS * DAY_MS);
  return older(s.last_backup_at) && older(s.backup_reminded_at);
}

/** Records that a backup was made (for the reminder). */
export async function markBackedUp(db: CairnDb, at = new Date()): Promise<void> {
  await updateSettings(db, { last_backup_at: at.toISOString() });
}

// ---- reading ----

class Damaged extends Error {}

interface Opened {
  header: BackupHeader;
  key: CryptoKey;
  headerHash: Uint8Array;
  prefix: Uint8Array;
  chunksAt: number;
}

/** Reads the header (no passphrase needed): what the file says about itself. */
export function readBackupHeader(file: Uint8Array): Result<BackupHeader, BackupErrorCode> {
  if (file.byteLength < 12 || !MAGIC.every((b, i) => file[i] === b)) return err('not-a-backup', BACKUP_ERROR_TEXT['not-a-backup']);
  const len = readU32(file, 8);
  if (len > 64 * 1024 || 12 + len > file.byteLength) return err('damaged', BACKUP_ERROR_TEXT.damaged);
  let h: BackupHeader;
  try {
    h = JSON.parse(fromUtf8(file.subarray(12, 12 + len))) as BackupHeader;
  } catch {
    return err('damaged', BACKUP_ERROR_TEXT.damaged);
  }
  if (!h || typeof h !== 'object' || h.format !== BACKUP_FORMAT) return err('unsupported', BACKUP_ERROR_TEXT.unsupported);
  const k = h.kdf;
  if (
    k?.name !== 'PBKDF2' ||
    k.hash !== 'SHA-256' ||
    !Number.isInteger(k.iterations) ||
    k.iterations < PBKDF2_MIN_ITERATIONS ||
    k.iterations > PBKDF2_MAX_ITERATIONS ||
    h.cipher?.name !== 'AES-GCM' ||
    h.cipher.key_bits !== 256 ||
    typeof h.cipher.nonce_prefix !== 'string' ||
    typeof h.key_check !== 'string'
  )
    return err('unsupported', BACKUP_ERROR_TEXT.unsupported);
  return ok(h);
}

async function openBackup(file: Uint8Array, passphrase: string): Promise<Result<Opened, BackupErrorCode>> {
  const h = readBackupHeader(file);
  if (!h.ok) return h;
  const header = h.value;
  let salt: Uint8Array, prefix: Uint8Array, check: Uint8Array;
  try {
    salt = fromBase64(header.kdf.salt);
    prefix = fromBase64(header.cipher.nonce_prefix);
    check = fromBase64(header.key_check);
  } catch {
    return err('damaged', BACKUP_ERROR_TEXT.damaged);
  }
  if (prefix.byteLength !== 8) return err('unsupported', BACKUP_ERROR_TEXT.unsupported);
  const kdf: KdfParams = { name: 'PBKDF2', hash: 'SHA-256', iterations: header.kdf.iterations, salt };
  const key = await deriveKek(passphrase, kdf);
  try {
    const plain = await aesDecrypt(key, { iv: ivFor(prefix, 0xffffffff), ct: check }, utf8(`${BACKUP_FORMAT} key check`));
    if (fromUtf8(plain) !== fromUtf8(KEY_CHECK)) throw new Error('key check');
  } catch {
    return err('wrong-passphrase', BACKUP_ERROR_TEXT['wrong-passphrase']);
  }
  const len = readU32(file, 8);
  const headerHash = new Uint8Array(await crypto.subtle.digest('SHA-256', exactBuffer(file.subarray(12, 12 + len))));
  return ok({ header, key, headerHash, prefix, chunksAt: 12 + len });
}

type Frame = { kind: 'json'; value: JsonFrame } | { kind: 'bytes'; bytes: Uint8Array };

/** Decrypts the chunks in order and yields frames; throws Damaged on any inconsistency. */
async function* frames(file: Uint8Array, o: Opened, onChunk: (done: number, total: number) => void): AsyncGenerator<Frame> {
  let at = o.chunksAt;
  let index = 0;
  let buf: Uint8Array = new Uint8Array(0);
  let sawFinal = false;
  while (at < file.byteLength) {
    if (sawFinal) throw new Damaged('data after the final chunk');
    if (at + 4 > file.byteLength) throw new Damaged('cut off');
    const len = readU32(file, at);
    if (len < 16 || at + 4 + len > file.byteLength) throw new Damaged('cut off');
    const ct = file.subarray(at + 4, at + 4 + len);
    at += 4 + len;
    const final = at === file.byteLength;
    let plain: Uint8Array;
    try {
      plain = await aesDecrypt(o.key, { iv: ivFor(o.prefix, index), ct }, chunkAad(o.headerHash, index, final));
    } catch {
      throw new Damaged(`chunk ${index}`);
    }
    sawFinal = final;
    index++;
    onChunk(at, file.byteLength);
    buf = buf.byteLength ? concatBytes([buf, plain]) : plain;
    let p = 0;
    while (buf.byteLength - p >= 5) {
      const type = buf[p];
      const n = readU32(buf, p + 1);
      if (buf.byteLength - p - 5 < n) break;
      const payload = buf.subarray(p + 5, p + 5 + n);
      p += 5 + n;
      if (type === 1) {
        let value: JsonFrame;
        try {
          value = unpackValue<JsonFrame>(payload);
        } catch {
          throw new Damaged('unreadable frame');
        }
        yield { kind: 'json', value };
      } else if (type === 2) yield { kind: 'bytes', bytes: payload.slice() };
      else throw new Damaged('unknown frame');
    }
    buf = buf.slice(p);
  }
  if (!sawFinal) throw new Damaged('no final chunk');
  if (buf.byteLength) throw new Damaged('trailing bytes');
}

const TABLES_IN_ORDER = ['signers', 'ledger', 'captures', 'blobs', 'cases', 'accounts', 'diary', 'annotations'] as const;

/** Pass one: every chunk decrypts, the frames are in order, blob bytes match their hashes, counts match. */
async function check(file: Uint8Array, o: Opened, progress: (p: BackupProgress) => void): Promise<HeadFrame> {
  let head: HeadFrame | null = null;
  let ended = false;
  let pendingBlob: { sha256: string; bytes: number } | null = null;
  let stage = -1;
  const seen: BackupCounts = { captures: 0, blobs: 0, ledger: 0, cases: 0, accounts: 0, diary: 0, annotations: 0, signers: 0 };
  for await (const f of frames(file, o, (done, total) => progress({ phase: 'checking', done, total }))) {
    if (ended) throw new Damaged('frames after the end');
    if (pendingBlob) {
      if (f.kind !== 'bytes' || f.bytes.byteLength !== pendingBlob.bytes || (await sha256Hex(f.bytes)) !== pendingBlob.sha256) throw new Damaged('blob bytes');
      pendingBlob = null;
      seen.blobs++;
      continue;
    }
    if (f.kind !== 'json') throw new Damaged('stray bytes');
    const v = f.value;
    if (!head) {
      if (v.t !== 'head' || v.format !== 'cairn-backup-content/1') throw new Damaged('no head');
      head = v;
      continue;
    }
    if (v.t === 'end') {
      ended = true;
      if (JSON.stringify(v.counts) !== JSON.stringify(head.counts) || JSON.stringify(seen) !== JSON.stringify(head.counts)) throw new Damaged('counts');
      continue;
    }
    const table = v.t === 'blob' ? 'blobs' : v.t === 'rows' ? v.table : null;
    const s = table ? TABLES_IN_ORDER.indexOf(table as (typeof TABLES_IN_ORDER)[number]) : -1;
    if (s < stage || s < 0) throw new Damaged('order');
    stage = s;
    if (v.t === 'blob') pendingBlob = { sha256: v.sha256, bytes: v.bytes };
    else if (v.t === 'rows' && Array.isArray(v.rows)) seen[v.table] += v.rows.length;
    else throw new Damaged('frame');
  }
  if (!head || !ended) throw new Damaged('incomplete');
  return head;
}

export interface RestoreSummary {
  counts: BackupCounts;
  backup_sha256: string;
  backup_created: string;
  source_device_fingerprint: string;
  restore_entry: LedgerEntry;
}

interface Marker {
  backup_sha256: string;
  started: string;
}

async function sealAll(mode: WriteMode, table: SealedTable, rows: AnyRow[]): Promise<AnyRow[]> {
  return Promise.all(rows.map((r) => sealRow(mode, table, r)));
}

/**
 * Restores a backup into an empty vault. Nothing is written until the whole
 * file has been decrypted and checked; then rows are written in batches under
 * a marker, so an interrupted restore is finished by restoring the same file
 * again. Restored records and ledger entries keep their original signatures;
 * the signers' public keys are kept (source 'restore'); a 'restore' entry,
 * signed by this device, is chained onto the restored ledger's head.
 */
export async function restoreBackup(
  db: CairnDb,
  file: Uint8Array,
  passphrase: string,
  opts: { onProgress?: (p: BackupProgress) => void; /** Test hook: runs after each written batch; throwing stops there, as a closed browser would. */ afterBatch?: () => void } = {},
): Promise<Result<RestoreSummary, BackupErrorCode>> {
  const progress = opts.onProgress ?? (() => {});
  const afterBatch = opts.afterBatch ?? (() => {});
  const opened = await openBackup(file, passphrase);
  if (!opened.ok) return opened;
  const o = opened.value;
  let head: HeadFrame;
  try {
    head = await check(file, o, progress);
  } catch (e) {
    if (e instanceof Damaged) return err('damaged', BACKUP_ERROR_TEXT.damaged);
    throw e;
  }
  const backupSha = await sha256Hex(file);
  const marker = (await db.meta.get('restore_in_progress'))?.value as Marker | undefined;
  if (marker && marker.backup_sha256 !== backupSha) return err('interrupted-other', BACKUP_ERROR_TEXT['interrupted-other']);
  if (!marker && ((await db.captures.count()) > 0 || (await db.ledger.count()) > 0)) return err('not-empty', BACKUP_ERROR_TEXT['not-empty']);
  const mode = await writeMode(db);
  if (mode.kind === 'pk') return err('locked', BACKUP_ERROR_TEXT.locked);
  const dev = await deviceKey(db);

  const total = head.counts.captures + head.counts.blobs + head.counts.ledger + head.counts.cases + head.counts.accounts + head.counts.diary + head.counts.annotations;
  let done = 0;
  progress({ phase: 'writing', done, total });
  const now = new Date().toISOString();
  const guard = async () => {
    await assertWriteMode(db, mode);
    const m = (await db.meta.get('restore_in_progress'))?.value as Marker | undefined;
    if (m?.backup_sha256 !== backupSha) throw new Error('the restore marker disappeared');
  };

  // The ledger and counters go first, in the transaction that checks the vault is empty and sets the marker:
  // from then on a capture made meanwhile takes the next number and chains onto the restored ledger.
  const ledger: AnyRow[] = [];
  const signers: AnyRow[] = [];
  let started = false;
  let pendingBlob: { sha256: string; media_type: string; refs: number } | null = null;
  const start = async () => {
    const sealedLedger = await sealAll(mode, 'ledger', ledger);
    await db.transaction('rw', ['captures', 'ledger', 'meta', 'signers', 'rewrap'], async () => {
      const m = (await db.meta.get('restore_in_progress'))?.value as Marker | undefined;
      if (m ? m.backup_sha256 !== backupSha : (await db.captures.count()) > 0 || (await db.ledger.count()) > 0) throw new NotEmpty();
      await assertWriteMode(db, mode);
      await db.meta.put({ key: 'restore_in_progress', value: { backup_sha256: backupSha, started: now } satisfies Marker });
      const have = new Set(await db.ledger.toCollection().primaryKeys());
      for (const e of sealedLedger) if (!have.has(e.seq as number)) await db.ledger.add(e as never);
      for (const s of signers as unknown as SignerRow[])
        if (s.fingerprint !== dev.fingerprint && !(await db.signers.get(s.fingerprint))) await db.signers.add({ fingerprint: s.fingerprint, spki: s.spki, source: 'restore', added: now });
      for (const m2 of head.meta) {
        if (LOCAL_META.has(m2.key)) continue;
        const cur = await db.meta.get(m2.key);
        if (m2.key === 'settings') {
          const mine = await getSettings(db);
          const theirs = m2.value as Partial<Settings>;
          await db.meta.put({ key: 'settings', value: { ...mine, ...theirs, last_backup_at: head.created, backup_reminded_at: null } });
        } else if (typeof m2.value === 'number') await db.meta.put({ key: m2.key, value: Math.max(m2.value, typeof cur?.value === 'number' ? cur.value : 0) });
        else if (!cur) await db.meta.put(m2);
      }
    });
    started = true;
    done += ledger.length;
    progress({ phase: 'writing', done, total });
  };

  try {
    for await (const f of frames(file, o, () => {})) {
      if (f.kind === 'bytes') {
        const b = pendingBlob!;
        pendingBlob = null;
        const stored = await sealBlob(mode, { sha256: b.sha256, media_type: b.media_type, refs: b.refs, bytes: f.bytes } satisfies BlobRow);
        await db.transaction('rw', ['blobs', 'meta', 'rewrap'], async () => {
          await guard();
          if (!(await db.blobs.get(b.sha256))) await db.blobs.add(stored);
        });
        afterBatch();
        done++;
        if (done % 20 === 0) progress({ phase: 'writing', done, total });
        continue;
      }
      const v = f.value;
      if (v.t === 'head' || v.t === 'end') continue;
      if (v.t === 'rows' && v.table === 'signers') {
        signers.push(...v.rows);
        continue;
      }
      if (v.t === 'rows' && v.table === 'ledger') {
        ledger.push(...v.rows);
        continue;
      }
      if (!started) await start();
      if (v.t === 'blob') {
        pendingBlob = v;
        continue;
      }
      const table = v.table as SealedTable;
      // A capture's search text is not in the backup (it is derived); a vault without a passphrase stores it again.
      const plain = table === 'captures' ? v.rows.map((r) => ({ ...r, search: searchText((r as unknown as CaptureRow).record) })) : v.rows;
      const rows = await sealAll(mode, table, plain);
      // Every table restored here is keyed by `id`; rows already written by an interrupted run are kept.
      await db.transaction('rw', [table, 'meta', 'rewrap'], async () => {
        await guard();
        const t = db.table(table);
        const have = new Set(await t.where('id').anyOf(rows.map((r) => r.id as string)).primaryKeys());
        await t.bulkAdd(rows.filter((r) => !have.has(r.id as string)));
      });
      afterBatch();
      done += rows.length;
      progress({ phase: 'writing', done, total });
    }
    if (!started) await start();
  } catch (e) {
    if (e instanceof NotEmpty) return err('not-empty', BACKUP_ERROR_TEXT['not-empty']);
    if (e instanceof Damaged) return err('damaged', BACKUP_ERROR_TEXT.damaged);
    throw e;
  }

  const restored = { ...head.counts };
  const { entry } = await appendWith(
    db,
    ['meta'],
    async (h, key) => ({
      entry: await buildEntry(key, h, 'restore', backupSha, {
        backup_sha256: backupSha,
        backup_created: head.created,
        backup_format: BACKUP_FORMAT,
        source_device_fingerprint: head.device_fingerprint,
        restored,
        restored_ledger_head: head.ledger_head,
      }),
      value: null,
    }),
    async () => {
      await db.meta.delete('restore_in_progress');
    },
  );
  progress({ phase: 'done', done: total, total });
  return ok({ counts: restored, backup_sha256: backupSha, backup_created: head.created, source_device_fingerprint: head.device_fingerprint, restore_entry: entry });
}

class NotEmpty extends Error {}

/** An unfinished restore, if one is waiting for its file. */
export async function unfinishedRestore(db: CairnDb): Promise<Marker | null> {
  return ((await db.meta.get('restore_in_progress'))?.value as Marker | undefined) ?? null;
}
