import type { CairnDb, SealedTable, StoredBlob } from './db';
import { openEnvelope, packValue, rowAad, unpackValue, type Envelope, type VaultKeys } from './vault-crypto';
import { plainFrom, seal, sealedFrom, splitRow, CONTENT_TABLES, PRIMARY_KEY, type AnyRow, type ContentTable } from './vault-data';
import { lockNow, LOCK_META, readLock, vaultKeys, type LockRecord, type WriteMode } from './vault-lock';
import { err, ok, type Result } from '../shared/result';

/**
 * The long changes of encryption at rest, each crash-safe: rows are changed
 * in small transactions, each row whole or not at all, and readers accept
 * both forms, so closing the browser mid-way loses nothing; the lock record's
 * state says what is unfinished and the next unlock carries on.
 *
 * - encrypting: after the first passphrase, every row stored before it is encrypted.
 * - decrypting: after the passphrase is removed, every row is decrypted, then the lock record goes.
 * - rewrapping: rows written while locked (to the public key) are re-encrypted under the data key.
 */

export type MaintenancePhase = 'encrypting' | 'decrypting' | 'rewrapping';

export interface MaintenanceProgress {
  phase: MaintenancePhase;
  done: number;
  total: number;
}

export interface MaintenanceHooks {
  /** Test hook: runs after each committed batch; throwing stops the run there (as a closed browser would). */
  afterBatch?: (p: MaintenanceProgress) => void | Promise<void>;
}

/** Tables that other code may write to without going through the sealing helpers; checked on every run. */
const SMALL_TABLES: SealedTable[] = ['cases', 'accounts', 'diary', 'annotations'];
const BATCH_ROWS = 100;
const BATCH_BYTES = 8 * 1024 * 1024;

export class LockChanged extends Error {
  constructor() {
    super('The passphrase was changed in another window while this was running. Nothing was lost; it will carry on at the next unlock.');
  }
}

/** What still needs doing, without reading any content. */
export async function pendingMaintenance(db: CairnDb): Promise<MaintenancePhase | null> {
  const lock = await readLock(db);
  if (!lock) return null;
  if (lock.state === 'encrypting') return 'encrypting';
  if (lock.state === 'removing') return 'decrypting';
  if ((await db.rewrap.count()) > 0) return 'rewrapping';
  // A row another part of the app stored in clear (the small tables are cheap to look through).
  for (const t of SMALL_TABLES) if (await tableOf(db, t).filter((r: AnyRow) => !r.enc).first()) return 'encrypting';
  return null;
}

function tableOf(db: CairnDb, t: ContentTable) {
  return db.table(t);
}

/** Batches of rows, bounded in count (and, for blobs, read one by one up to a byte budget). */
async function* batches(db: CairnDb, t: ContentTable): AsyncGenerator<AnyRow[]> {
  const table = tableOf(db, t);
  const keys = (await table.toCollection().primaryKeys()) as (string | number)[];
  if (t !== 'blobs') {
    for (let i = 0; i < keys.length; i += BATCH_ROWS)
      yield ((await table.bulkGet(keys.slice(i, i + BATCH_ROWS))) as (AnyRow | undefined)[]).filter((r): r is AnyRow => !!r);
    return;
  }
  for (let i = 0; i < keys.length; ) {
    const out: AnyRow[] = [];
    let bytes = 0;
    while (i < keys.length && out.length < BATCH_ROWS && bytes < BATCH_BYTES) {
      const row = (await table.get(keys[i++])) as AnyRow | undefined;
      if (!row) continue;
      out.push(row);
      bytes += (row.bytes as Uint8Array | undefined)?.byteLength ?? (row.enc as Envelope | undefined)?.ct.byteLength ?? 0;
    }
    yield out;
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && a.every((x, i) => x === b[i]);
const sameEnvelope = (a: unknown, b: Envelope) => !!a && sameBytes((a as Envelope).iv, b.iv);

/** One planned change: applied only if the row is still what was read. */
interface Change {
  key: string | number;
  unchanged: (cur: AnyRow) => boolean;
  next: (cur: AnyRow) => AnyRow;
}

async function encryptChange(mode: Exclude<WriteMode, { kind: 'plain' }>, t: ContentTable, row: AnyRow): Promise<Change | null> {
  if (row.enc) return null;
  if (t === 'blobs') {
    const b = row as unknown as StoredBlob & { bytes: Uint8Array };
    const enc = await seal(mode, b.bytes, rowAad('blobs', b.sha256));
    // Blob bytes never change (content-addressed); refs may, so they are taken from the row as it is at write time.
    return { key: b.sha256, unchanged: (cur) => !cur.enc, next: (cur) => ({ sha256: cur.sha256, media_type: cur.media_type, refs: cur.refs, enc }) };
  }
  const { hidden } = splitRow(t, row);
  const packed = packValue(hidden);
  const key = row[PRIMARY_KEY[t]] as string | number;
  const enc = await seal(mode, packed, rowAad(t, key));
  return {
    key,
    unchanged: (cur) => !cur.enc && sameBytes(packValue(splitRow(t, cur).hidden), packed),
    next: (cur) => sealedFrom(t, splitRow(t, cur).clear, hidden, enc),
  };
}

async function decryptChange(keys: VaultKeys, t: ContentTable, row: AnyRow): Promise<Change | null> {
  const enc = row.enc as Envelope | undefined;
  if (!enc) return null;
  const key = row[PRIMARY_KEY[t]] as string | number;
  const plain = await openEnvelope(keys, enc, rowAad(t, key));
  if (t === 'blobs') return { key, unchanged: (cur) => sameEnvelope(cur.enc, enc), next: (cur) => ({ sha256: cur.sha256, media_type: cur.media_type, refs: cur.refs, bytes: plain }) };
  const hidden = unpackValue<AnyRow>(plain);
  return { key, unchanged: (cur) => sameEnvelope(cur.enc, enc), next: (cur) => plainFrom(t, cur, hidden) };
}

async function rewrapChange(keys: VaultKeys, mode: Exclude<WriteMode, { kind: 'plain' }>, t: ContentTable, row: AnyRow): Promise<Change | null> {
  const enc = row.enc as Envelope | undefined;
  if (!enc || enc.k !== 'pk') return null;
  const key = row[PRIMARY_KEY[t]] as string | number;
  const aad = rowAad(t, key);
  const next = await seal(mode, await openEnvelope(keys, enc, aad), aad);
  return { key, unchanged: (cur) => sameEnvelope(cur.enc, enc), next: (cur) => ({ ...cur, enc: next }) };
}

/** Applies changes in one transaction, if the lock is still the one they were made for. */
async function apply(db: CairnDb, t: ContentTable, lock: LockRecord, changes: Change[], refs: string[] = []): Promise<void> {
  await db.transaction('rw', [t, 'meta', 'rewrap'], async () => {
    const now = await readLock(db);
    if (!now || now.id !== lock.id || now.state !== lock.state) throw new LockChanged();
    for (const c of changes) {
      const cur = (await tableOf(db, t).get(c.key)) as AnyRow | undefined;
      if (cur && c.unchanged(cur)) await tableOf(db, t).put(c.next(cur));
    }
    if (refs.length) await db.rewrap.bulkDelete(refs);
  });
}

async function sweep(
  db: CairnDb,
  lock: LockRecord,
  tables: readonly ContentTable[],
  phase: MaintenancePhase,
  plan: (t: ContentTable, row: AnyRow) => Promise<Change | null>,
  progress: (p: MaintenanceProgress) => void,
  hooks: MaintenanceHooks,
): Promise<void> {
  let total = 0;
  for (const t of tables) total += await tableOf(db, t).count();
  let done = 0;
  progress({ phase, done, total });
  for (const t of tables) {
    for await (const rows of batches(db, t)) {
      const changes = (await Promise.all(rows.map((r) => plan(t, r)))).filter((c): c is Change => !!c);
      if (changes.length) await apply(db, t, lock, changes);
      done += rows.length;
      progress({ phase, done: Math.min(done, total), total });
      await hooks.afterBatch?.({ phase, done, total });
    }
  }
}

async function rewrapQueue(db: CairnDb, lock: LockRecord, keys: VaultKeys, progress: (p: MaintenanceProgress) => void, hooks: MaintenanceHooks): Promise<void> {
  const mode = { kind: 'dk', lockId: lock.id, keys } as const;
  const queue = await db.rewrap.toArray();
  const total = queue.length;
  let done = 0;
  progress({ phase: 'rewrapping', done, total });
  const byTable = new Map<ContentTable, typeof queue>();
  for (const q of queue) {
    if (!(CONTENT_TABLES as readonly string[]).includes(q.table)) continue;
    const list = byTable.get(q.table as ContentTable) ?? [];
    list.push(q);
    byTable.set(q.table as ContentTable, list);
  }
  for (const [t, list] of byTable) {
    for (let i = 0; i < list.length; i += 20) {
      const part = list.slice(i, i + 20);
      const rows = (await tableOf(db, t).bulkGet(part.map((q) => q.key))) as (AnyRow | undefined)[];
      const changes = (await Promise.all(rows.map((r) => (r ? rewrapChange(keys, mode, t, r) : null)))).filter((c): c is Change => !!c);
      await apply(db, t, lock, changes, part.map((q) => q.ref));
      done += part.length;
      progress({ phase: 'rewrapping', done, total });
      await hooks.afterBatch?.({ phase: 'rewrapping', done, total });
    }
  }
  // Refs to rows that are gone (deleted captures) or tables we do not know.
  const left = (await db.rewrap.toArray()).filter((q) => !(CONTENT_TABLES as readonly string[]).includes(q.table));
  if (left.length) await db.rewrap.bulkDelete(left.map((q) => q.ref));
}

let running: Promise<Result<MaintenancePhase | null>> | null = null;

/**
 * Does whatever encryption work is pending (needs the vault unlocked). One
 * run at a time per page, and across pages through a Web Lock where the
 * browser has them; a second window simply finds less to do.
 */
export function runMaintenance(db: CairnDb, onProgress: (p: MaintenanceProgress) => void = () => {}, hooks: MaintenanceHooks = {}): Promise<Result<MaintenancePhase | null>> {
  if (running) return running;
  const work = async (): Promise<Result<MaintenancePhase | null>> => {
    const lock = await readLock(db);
    if (!lock) {
      if (await db.rewrap.count()) await db.rewrap.clear();
      return ok(null);
    }
    const keys = await vaultKeys(db);
    if (!keys) return err('locked', 'The vault is locked. Unlock it first.');
    const mode = { kind: 'dk', lockId: lock.id, keys } as const;
    try {
      if (lock.state === 'encrypting') {
        await sweep(db, lock, CONTENT_TABLES, 'encrypting', (t, r) => encryptChange(mode, t, r), onProgress, hooks);
        await db.transaction('rw', db.meta, async () => {
          const now = await readLock(db);
          if (!now || now.id !== lock.id || now.state !== 'encrypting') throw new LockChanged();
          await db.meta.put({ key: LOCK_META, value: { ...now, state: 'encrypted', changed: new Date().toISOString() } });
        });
        await rewrapQueue(db, { ...lock, state: 'encrypted' }, keys, onProgress, hooks);
        return ok('encrypting');
      }
      if (lock.state === 'removing') {
        await sweep(db, lock, CONTENT_TABLES, 'decrypting', (t, r) => decryptChange(keys, t, r), onProgress, hooks);
        await db.transaction('rw', db.meta, db.rewrap, async () => {
          const now = await readLock(db);
          if (!now || now.id !== lock.id || now.state !== 'removing') throw new LockChanged();
          await db.meta.delete(LOCK_META);
          await db.rewrap.clear();
        });
        await lockNow();
        return ok('decrypting');
      }
      // Encrypted: rows written while locked, and any plain row another part of the app wrote to the small tables.
      await sweep(db, lock, SMALL_TABLES, 'encrypting', (t, r) => encryptChange(mode, t, r), () => {}, {});
      if (await db.rewrap.count()) {
        await rewrapQueue(db, lock, keys, onProgress, hooks);
        return ok('rewrapping');
      }
      return ok(null);
    } catch (e) {
      if (e instanceof LockChanged) return err('busy', e.message);
      throw e;
    }
  };
  const locks = (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks;
  const p = (locks ? (locks.request('cairn-vault-maintenance', work) as unknown as Promise<Result<MaintenancePhase | null>>) : work()).finally(() => {
    running = null;
  });
  running = p;
  return p;
}
