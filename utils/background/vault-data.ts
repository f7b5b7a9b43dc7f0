import {
  CLEAR_FIELDS,
  type AccountRow,
  type AnnotationRow,
  type CaseRow,
  type DiaryRow,
  type BlobRow,
  type CairnDb,
  type CaptureRow,
  type SealedTable,
  type StoredBlob,
  type StoredCapture,
  type StoredLedgerEntry,
} from './db';
import { openEnvelope, packValue, rowAad, sealToPublic, sealWithDataKey, unpackValue, type Envelope, type VaultKeys } from './vault-crypto';
import { assertWriteMode, readLock, vaultKeys, writeMode, WriteModeMoved, type WriteMode } from './vault-lock';
import type { LedgerEntry } from '../shared/ledger-format';
import type { CaptureBody, CaptureRecord, CaptureSeal } from '../shared/types';

/**
 * Reading and writing rows whether or not the vault is encrypted. Everything
 * that reads captures, blobs or the ledger (the vault pages, the exporter, the
 * backup) goes through here and gets plain rows back; writers seal rows with
 * the current WriteMode before their transaction (WebCrypto is async and would
 * let an IndexedDB transaction commit early).
 */

export class VaultLockedError extends Error {
  readonly code = 'locked';
  constructor() {
    super('The vault is locked. Unlock it to read this.');
  }
}

export function searchText(r: CaptureBody): string {
  return [r.page_title, r.page_url, r.account?.handle, r.account?.display_name, r.item?.text, r.platform]
    .filter(Boolean)
    .join('\n')
    .toLowerCase()
    .slice(0, 4000);
}

/** Primary key of each table that holds content. */
export const PRIMARY_KEY: Record<SealedTable | 'blobs', string> = {
  captures: 'id',
  ledger: 'seq',
  cases: 'id',
  accounts: 'id',
  diary: 'id',
  annotations: 'id',
  blobs: 'sha256',
};

export const CONTENT_TABLES = ['captures', 'blobs', 'ledger', 'cases', 'accounts', 'diary', 'annotations'] as const;
export type ContentTable = (typeof CONTENT_TABLES)[number];

export async function seal(mode: Exclude<WriteMode, { kind: 'plain' }>, plaintext: Uint8Array, aad: Uint8Array): Promise<Envelope> {
  return mode.kind === 'dk' ? sealWithDataKey(mode.keys.dataKey, plaintext, aad) : sealToPublic(mode.vaultPublic, plaintext, aad);
}

export type AnyRow = Record<string, unknown>;

/** Splits a plain row into the fields kept in clear and the rest (captures: `search` is derived, so dropped). */
export function splitRow(table: SealedTable, row: AnyRow): { clear: AnyRow; hidden: AnyRow } {
  const clearNames = CLEAR_FIELDS[table] as readonly string[];
  const clear: AnyRow = {};
  const hidden: AnyRow = {};
  for (const [k, v] of Object.entries(row)) {
    if (clearNames.includes(k)) clear[k] = v;
    else if (!(table === 'captures' && (k === 'search' || k === 'seal')) && k !== 'enc') hidden[k] = v;
  }
  return { clear, hidden };
}

/** The stored form of a row from its clear fields and an envelope over its hidden ones. */
export function sealedFrom(table: SealedTable, clear: AnyRow, hidden: AnyRow, enc: Envelope): AnyRow {
  const out: AnyRow = { ...clear, enc };
  if (table === 'captures') out.seal = (hidden.record as CaptureRecord).seal;
  return out;
}

export async function sealHidden(mode: Exclude<WriteMode, { kind: 'plain' }>, table: SealedTable, key: string | number, hidden: AnyRow): Promise<Envelope> {
  return seal(mode, packValue(hidden), rowAad(table, key));
}

/** Seals one plain row of a content table. */
export async function sealRow(mode: WriteMode, table: SealedTable, row: AnyRow): Promise<AnyRow> {
  if (mode.kind === 'plain') return row;
  const { clear, hidden } = splitRow(table, row);
  return sealedFrom(table, clear, hidden, await sealHidden(mode, table, row[PRIMARY_KEY[table]] as string | number, hidden));
}

/** A plain row from its clear fields and its decrypted hidden ones. */
export function plainFrom(table: SealedTable, stored: AnyRow, hidden: AnyRow): AnyRow {
  const clear: AnyRow = {};
  for (const k of CLEAR_FIELDS[table] as readonly string[]) if (k in stored) clear[k] = stored[k];
  const row: AnyRow = { ...clear, ...hidden };
  if (table === 'captures') row.search = searchText(row.record as CaptureRecord);
  return row;
}

/** Opens one stored row; plain rows come back as they are. */
export async function openRow(keys: VaultKeys | null, table: SealedTable, stored: AnyRow): Promise<AnyRow> {
  const env = stored.enc as Envelope | undefined;
  if (!env) return stored;
  if (!keys) throw new VaultLockedError();
  const key = stored[PRIMARY_KEY[table]] as string | number;
  return plainFrom(table, stored, unpackValue<AnyRow>(await openEnvelope(keys, env, rowAad(table, key))));
}

export async function sealCapture(mode: WriteMode, row: CaptureRow): Promise<StoredCapture> {
  return (await sealRow(mode, 'captures', row as unknown as AnyRow)) as unknown as StoredCapture;
}

export async function sealLedgerEntry(mode: WriteMode, e: LedgerEntry): Promise<StoredLedgerEntry> {
  return (await sealRow(mode, 'ledger', e as unknown as AnyRow)) as unknown as StoredLedgerEntry;
}

export async function sealBlob(mode: WriteMode, b: BlobRow): Promise<StoredBlob> {
  if (mode.kind === 'plain') return b;
  const { bytes, ...rest } = b;
  return { ...rest, enc: await seal(mode, bytes, rowAad('blobs', b.sha256)) };
}

export async function openBlob(keys: VaultKeys | null, s: StoredBlob): Promise<BlobRow> {
  if (!s.enc) return s;
  if (!keys) throw new VaultLockedError();
  const { enc, ...rest } = s;
  return { ...rest, bytes: await openEnvelope(keys, enc, rowAad('blobs', s.sha256)) };
}

export function isSealed(row: { enc?: unknown }): boolean {
  return !!row.enc;
}

/** The seal of a stored capture, readable while locked (for the timestamp queue and the ledger). */
export function captureSeal(s: StoredCapture): CaptureSeal {
  return s.enc ? s.seal : s.record.seal;
}

// Records never change once sealed, so a page keeps what it decrypted until the vault locks (new keys → new cache).
const recordCache = new WeakMap<VaultKeys, Map<string, CaptureRecord>>();

export async function openCapture(keys: VaultKeys | null, s: StoredCapture): Promise<CaptureRow> {
  if (!s.enc) return s;
  if (!keys) throw new VaultLockedError();
  let cache = recordCache.get(keys);
  if (!cache) recordCache.set(keys, (cache = new Map()));
  let record = cache.get(s.id);
  if (!record) {
    record = ((await openRow(keys, 'captures', s as unknown as AnyRow)) as unknown as CaptureRow).record;
    cache.set(s.id, record);
  }
  const { enc: _e, seal: _s, ...clear } = s;
  return { ...clear, record, search: searchText(record) };
}

async function openCaptures(db: CairnDb, stored: StoredCapture[]): Promise<CaptureRow[]> {
  const keys = stored.some((s) => s.enc) ? await vaultKeys(db) : null;
  return Promise.all(stored.map((s) => openCapture(keys, s)));
}

export async function readCapture(db: CairnDb, id: string): Promise<CaptureRow | undefined> {
  const s = await db.captures.get(id);
  return s ? (await openCaptures(db, [s]))[0] : undefined;
}

/** The named captures (missing ones left out), or all of them. */
export async function readCaptures(db: CairnDb, ids?: string[]): Promise<CaptureRow[]> {
  const stored = ids ? (await db.captures.bulkGet(ids)).filter((r): r is StoredCapture => !!r) : await db.captures.toArray();
  return openCaptures(db, stored);
}

/**
 * Newest first, at most `limit`, filtered by a search over title, address,
 * handle and text. Encrypted records are searched in memory after unlock
 * (the search text is never stored for them).
 */
export async function listCaptures(db: CairnDb, opts: { query?: string; limit: number }): Promise<CaptureRow[]> {
  const q = (opts.query ?? '').trim().toLowerCase();
  const ordered = db.captures.orderBy('seq').reverse();
  if (!q) return openCaptures(db, await ordered.limit(opts.limit).toArray());
  // No passphrase: every row carries its search text, so the query can stop at the limit.
  if (!(await readLock(db))) return (await ordered.filter((r) => !r.enc && r.search.includes(q)).limit(opts.limit).toArray()) as CaptureRow[];
  const rows = await openCaptures(db, await ordered.toArray());
  return rows.filter((r) => r.search.includes(q)).slice(0, opts.limit);
}

export async function readBlob(db: CairnDb, sha256: string): Promise<BlobRow | undefined> {
  const s = await db.blobs.get(sha256);
  if (!s) return undefined;
  return openBlob(s.enc ? await vaultKeys(db) : null, s);
}

export async function readBlobs(db: CairnDb, shas: string[]): Promise<(BlobRow | undefined)[]> {
  const stored = await db.blobs.bulkGet(shas);
  const keys = stored.some((s) => s?.enc) ? await vaultKeys(db) : null;
  return Promise.all(stored.map((s) => (s ? openBlob(keys, s) : undefined)));
}

async function openLedger(db: CairnDb, stored: StoredLedgerEntry[]): Promise<LedgerEntry[]> {
  const keys = stored.some((s) => s.enc) ? await vaultKeys(db) : null;
  return Promise.all(stored.map(async (s) => (await openRow(keys, 'ledger', s as unknown as AnyRow)) as unknown as LedgerEntry));
}

/** The whole ledger in order, payloads decrypted. */
export async function readLedger(db: CairnDb): Promise<LedgerEntry[]> {
  return openLedger(db, await db.ledger.orderBy('seq').toArray());
}

export async function readLedgerEntry(db: CairnDb, seq: number): Promise<LedgerEntry | undefined> {
  const s = await db.ledger.get(seq);
  return s ? (await openLedger(db, [s]))[0] : undefined;
}

/** The plain row type of each small content table. */
export interface SmallTables {
  cases: CaseRow;
  accounts: AccountRow;
  diary: DiaryRow;
  annotations: AnnotationRow;
}

/** Rows of cases, accounts, diary or annotations as read from Dexie, decrypted. */
export async function readRows<K extends keyof SmallTables>(db: CairnDb, table: K, stored: readonly object[]): Promise<SmallTables[K][]> {
  const rows = stored as AnyRow[];
  const keys = rows.some((s) => s.enc) ? await vaultKeys(db) : null;
  return Promise.all(rows.map(async (s) => (await openRow(keys, table, s)) as unknown as SmallTables[K]));
}

/**
 * Writes (puts) rows of cases, accounts, diary or annotations, encrypted when
 * the vault has a passphrase. Use this instead of `db.<table>.put`, which
 * would store them in clear.
 */
export async function putRows<K extends keyof SmallTables>(db: CairnDb, table: K, rows: SmallTables[K][]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const mode = await writeMode(db);
    const sealed = await Promise.all(rows.map((r) => sealRow(mode, table, r as unknown as AnyRow)));
    try {
      await db.transaction('rw', [table, 'meta', 'rewrap'], async () => {
        await assertWriteMode(db, mode);
        await db.table(table).bulkPut(sealed);
        for (const r of sealed) await queueRewrap(db, mode, table, r.id as string);
      });
      return;
    } catch (e) {
      if (!(e instanceof WriteModeMoved) || attempt >= 5) throw e;
    }
  }
}

/** Queues a row written while locked, so unlocking re-encrypts it under the data key. Call inside the write transaction. */
export async function queueRewrap(db: CairnDb, mode: WriteMode, table: ContentTable, key: string | number): Promise<void> {
  if (mode.kind === 'pk') await db.rewrap.put({ ref: `${table}\u0000${String(key)}`, table, key });
}
