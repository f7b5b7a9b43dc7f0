import type { CairnDb } from './db';
import { deviceKey, signDer, type DeviceKey } from './keys';
import { canonicalBytes } from '../shared/canonical-json';
import { toBase64 } from '../shared/encoding';
import { GENESIS_PREV, ledgerCore, type LedgerEntry, type LedgerType } from '../shared/ledger-format';
import { sha256Hex } from '../shared/sha256';
import { queueRewrap, sealLedgerEntry } from './vault-data';
import { assertWriteMode, writeMode, WriteModeMoved, type WriteMode } from './vault-lock';

/** The chain's end as last read; a write checks it is still the end before appending. */
export interface LedgerHead {
  seq: number;
  hash: string;
}

export async function readHead(db: CairnDb): Promise<LedgerHead> {
  const last = await db.ledger.orderBy('seq').last();
  return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_PREV };
}

/** Builds and signs the next entry after `head` (pure with respect to the database). */
export async function buildEntry(
  key: DeviceKey,
  head: LedgerHead,
  type: LedgerType,
  subject: string,
  payload: Record<string, unknown>,
  at = new Date(),
): Promise<LedgerEntry> {
  const core = ledgerCore({
    seq: head.seq + 1,
    at: at.toISOString(),
    type,
    subject,
    payload_sha256: await sha256Hex(canonicalBytes(payload)),
    prev: head.hash,
    key_id: key.fingerprint,
  });
  const bytes = canonicalBytes(core);
  return { ...core, payload, hash: await sha256Hex(bytes), sig: toBase64(await signDer(key, bytes)) };
}

export class LedgerMoved extends Error {
  constructor() {
    super('the ledger changed while this entry was being prepared');
  }
}

/** Inside a transaction: fails if another writer appended since `head` was read. */
export async function assertHead(db: CairnDb, head: LedgerHead): Promise<void> {
  const now = await readHead(db);
  if (now.seq !== head.seq || now.hash !== head.hash) throw new LedgerMoved();
}

// Writers in this context queue behind each other; other contexts are caught by assertHead and retried.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `prepare` (async, outside any transaction: hashing, signing and
 * encrypting cannot run inside an IndexedDB transaction without it committing
 * early) and then `write` in one transaction that also appends the entry. All
 * or nothing; retried if another context appended in between, or if the
 * passphrase was set or removed in between (`mode` says how rows written now
 * are stored: see vault-lock.ts; the entry's payload is sealed with it).
 */
export function appendWith<T>(
  db: CairnDb,
  tables: string[],
  prepare: (head: LedgerHead, key: DeviceKey, mode: WriteMode) => Promise<{ entry: LedgerEntry; value: T }>,
  write: (value: T, entry: LedgerEntry, mode: WriteMode) => Promise<void>,
): Promise<{ entry: LedgerEntry; value: T }> {
  const run = async (): Promise<{ entry: LedgerEntry; value: T }> => {
    const key = await deviceKey(db);
    for (let attempt = 0; ; attempt++) {
      const head = await readHead(db);
      const mode = await writeMode(db);
      const prepared = await prepare(head, key, mode);
      const stored = await sealLedgerEntry(mode, prepared.entry);
      try {
        await db.transaction('rw', [...new Set(['ledger', 'meta', 'rewrap', ...tables])], async () => {
          await assertHead(db, head);
          await assertWriteMode(db, mode);
          await write(prepared.value, prepared.entry, mode);
          await db.ledger.add(stored);
          await queueRewrap(db, mode, 'ledger', stored.seq);
        });
        return prepared;
      } catch (e) {
        if (!(e instanceof LedgerMoved || e instanceof WriteModeMoved) || attempt >= 5) throw e;
      }
    }
  };
  const p = queue.then(run, run);
  queue = p.catch(() => undefined);
  return p;
}

/** Appends a plain entry (export, note...) with no other write. */
export async function appendEntry(db: CairnDb, type: LedgerType, subject: string, payload: Record<string, unknown>): Promise<LedgerEntry> {
  const { entry } = await appendWith(
    db,
    [],
    async (head, key) => ({ entry: await buildEntry(key, head, type, subject, payload), value: null }),
    async () => {},
  );
  return entry;
}
