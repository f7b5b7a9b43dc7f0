import type { CairnDb } from './db';
import {
  importVaultPublic,
  makeVaultKeyMaterial,
  openVaultKeys,
  unwrapDataKey,
  wrapDataKey,
  type Cipher,
  type VaultKeys,
  type WrappedKey,
} from './vault-crypto';
import { fromBase64, toBase64 } from '../shared/encoding';
import { err, ok, type Result } from '../shared/result';

/**
 * The passphrase lock: the lock record kept in `meta` (wrapped data key, the
 * vault's public key, its encrypted private key), and the unlocked state.
 *
 * Where the unwrapped key lives: `browser.storage.session`, in both browsers.
 * It is held in memory only, cleared when the browser closes or the extension
 * reloads, and readable only by the extension's own pages and background
 * (never by content scripts). It survives the Chrome MV3 service worker being
 * stopped, which plain memory would not, and every vault tab and the
 * background see the same state; a change (lock) reaches them all through
 * storage.onChanged. Locking removes it. (session-browser.ts connects it;
 * this module imports no browser API so Node scripts and tests can use it.)
 */

export const LOCK_META = 'vault_lock';

export interface LockRecord {
  format: 'cairn-lock/1';
  /** New for every passphrase set-up; binds the data key, session and envelopes together. */
  id: string;
  /**
   * encrypting: rows stored before the passphrase was set are still being
   * encrypted (resumed after unlock); encrypted: all done; removing: the
   * passphrase is being removed, rows are being decrypted, new rows are stored in clear.
   */
  state: 'encrypting' | 'encrypted' | 'removing';
  created: string;
  changed: string;
  data_key: WrappedKey;
  /** Raw P-256 point; captures made while locked are encrypted to it. */
  vault_public: Uint8Array;
  /** PKCS#8 of the vault's private key, under the data key. */
  vault_private: Cipher;
}

export type LockErrorCode = 'wrong-passphrase' | 'no-passphrase' | 'already-set' | 'weak-passphrase' | 'locked' | 'busy';

/** Plain words for each error code (the e2e test asserts the wrong-passphrase text exactly). */
export const LOCK_ERROR_TEXT: Record<LockErrorCode, string> = {
  'wrong-passphrase': 'That passphrase is not right. Nothing was changed; please try again.',
  'no-passphrase': 'This vault has no passphrase.',
  'already-set': 'This vault already has a passphrase. Change it instead.',
  'weak-passphrase': 'Use a passphrase of at least 8 characters; several unrelated words are easiest to remember.',
  locked: 'The vault is locked. Unlock it first.',
  busy: 'The vault is still finishing an earlier change. Wait for it to finish, then try again.',
};

export const MIN_PASSPHRASE = 8;

export async function readLock(db: CairnDb): Promise<LockRecord | null> {
  const row = await db.meta.get(LOCK_META);
  return (row?.value as LockRecord | undefined) ?? null;
}

/** True when new rows must be written encrypted. */
export function writesEncrypted(lock: LockRecord | null): lock is LockRecord {
  return !!lock && lock.state !== 'removing';
}

// ---- session (unlocked state) ----

export interface SessionValue {
  lock_id: string;
  /** The raw data key, base64. */
  dk: string;
}

/** Memory-only storage shared by the extension's own contexts (storage.session in the extension; a Map in tests). */
export interface SessionBackend {
  get(): Promise<SessionValue | null>;
  set(v: SessionValue): Promise<void>;
  remove(): Promise<void>;
  /** Called when another context (or this one) changes the value. */
  onChange(f: (v: SessionValue | null) => void): void;
}

let backend: SessionBackend | null = null;
let keysCache: { tag: string; keys: Promise<VaultKeys> } | null = null;
let cachedSession: SessionValue | null | undefined;
const sessionListeners = new Set<() => void>();

/** Connects the unlocked state to where it lives (called once by each entrypoint). Without one the vault stays locked. */
export function connectSession(b: SessionBackend): void {
  backend = b;
  cachedSession = undefined;
  keysCache = null;
  b.onChange((v) => {
    if (backend !== b) return;
    cachedSession = v;
    // Locked: forget the opened keys, and with them every record this context decrypted (vault-data caches by key).
    if (!v) keysCache = null;
    for (const f of sessionListeners) f();
  });
}

async function readSession(): Promise<SessionValue | null> {
  if (!backend) return null;
  if (cachedSession !== undefined) return cachedSession;
  cachedSession = await Promise.resolve(backend.get());
  return cachedSession;
}

async function writeSession(v: SessionValue): Promise<void> {
  if (!backend) throw new Error('This context cannot hold the unlocked key.');
  await backend.set(v);
  cachedSession = v;
  for (const f of sessionListeners) f();
}

/** Locks every context at once: the key leaves memory-only storage; each page drops what it decrypted. */
export async function lockNow(): Promise<void> {
  await backend?.remove();
  cachedSession = null;
  keysCache = null;
  for (const f of sessionListeners) f();
}

/** Calls `f` when this or another context locks or unlocks. */
export function onLockChange(f: () => void): () => void {
  sessionListeners.add(f);
  return () => sessionListeners.delete(f);
}

// ---- keys ----

/** The unlocked keys, or null when the vault has no passphrase or is locked. */
export async function vaultKeys(db: CairnDb): Promise<VaultKeys | null> {
  const lock = await readLock(db);
  if (!lock) return null;
  const s = await readSession();
  if (!s || s.lock_id !== lock.id) return null;
  const tag = `${lock.id}:${s.dk}`;
  if (keysCache?.tag !== tag) {
    const p = openVaultKeys(lock.id, fromBase64(s.dk), lock.vault_private);
    keysCache = { tag, keys: p };
    p.catch(() => {
      if (keysCache?.keys === p) keysCache = null;
    });
  }
  return keysCache.keys;
}

export type LockStatus = { status: 'none' } | { status: 'locked'; lock: LockRecord } | { status: 'unlocked'; lock: LockRecord };

export async function lockStatus(db: CairnDb): Promise<LockStatus> {
  const lock = await readLock(db);
  if (!lock) return { status: 'none' };
  const s = await readSession();
  return s && s.lock_id === lock.id ? { status: 'unlocked', lock } : { status: 'locked', lock };
}

// ---- how a writer encrypts ----

export type WriteMode =
  | { kind: 'plain' }
  | { kind: 'dk'; lockId: string; keys: VaultKeys }
  | { kind: 'pk'; lockId: string; vaultPublic: CryptoKey };

/** How rows written now must be stored: in clear, under the data key (unlocked), or to the public key (locked). */
export async function writeMode(db: CairnDb): Promise<WriteMode> {
  const lock = await readLock(db);
  if (!writesEncrypted(lock)) return { kind: 'plain' };
  const keys = await vaultKeys(db);
  if (keys) return { kind: 'dk', lockId: lock.id, keys };
  return { kind: 'pk', lockId: lock.id, vaultPublic: await importVaultPublic(lock.vault_public) };
}

export class WriteModeMoved extends Error {
  constructor() {
    super('the passphrase was set or removed while this was being written');
  }
}

/** Inside a write transaction that includes `meta`: fails if the lock changed since `mode` was chosen. */
export async function assertWriteMode(db: CairnDb, mode: WriteMode): Promise<void> {
  const lock = await readLock(db);
  const encrypted = writesEncrypted(lock);
  if (encrypted !== (mode.kind !== 'plain') || (encrypted && mode.kind !== 'plain' && lock.id !== mode.lockId)) throw new WriteModeMoved();
}

// ---- passphrase operations ----

/**
 * Sets the first passphrase: makes the keys, stores the lock record (state
 * `encrypting`) and unlocks this session. From here every new row is written
 * encrypted; vault-maintenance.ts then encrypts what was stored before.
 */
export async function setPassphrase(db: CairnDb, passphrase: string): Promise<Result<LockRecord, LockErrorCode>> {
  if (passphrase.length < MIN_PASSPHRASE) return err('weak-passphrase', LOCK_ERROR_TEXT['weak-passphrase']);
  if (await readLock(db)) return err('already-set', LOCK_ERROR_TEXT['already-set']);
  const id = crypto.randomUUID();
  const { dkRaw, vaultPublic, vaultPrivate } = await makeVaultKeyMaterial(id);
  const now = new Date().toISOString();
  const lock: LockRecord = {
    format: 'cairn-lock/1',
    id,
    state: 'encrypting',
    created: now,
    changed: now,
    data_key: await wrapDataKey(dkRaw, passphrase, id),
    vault_public: vaultPublic,
    vault_private: vaultPrivate,
  };
  const wrote = await db.transaction('rw', db.meta, async () => {
    if (await readLock(db)) return false;
    await db.meta.put({ key: LOCK_META, value: lock });
    return true;
  });
  if (!wrote) return err('already-set', LOCK_ERROR_TEXT['already-set']);
  await writeSession({ lock_id: id, dk: toBase64(dkRaw) });
  dkRaw.fill(0);
  return ok(lock);
}

/** Unlocks with the passphrase. A wrong one changes nothing. */
export async function unlock(db: CairnDb, passphrase: string): Promise<Result<LockRecord, LockErrorCode>> {
  const lock = await readLock(db);
  if (!lock) return err('no-passphrase', LOCK_ERROR_TEXT['no-passphrase']);
  const dk = await unwrapDataKey(lock.data_key, passphrase, lock.id);
  if (!dk) return err('wrong-passphrase', LOCK_ERROR_TEXT['wrong-passphrase']);
  await writeSession({ lock_id: lock.id, dk: toBase64(dk) });
  dk.fill(0);
  return ok(lock);
}

/** Re-wraps the data key under a new passphrase; nothing else is re-encrypted. */
export async function changePassphrase(db: CairnDb, current: string, next: string): Promise<Result<LockRecord, LockErrorCode>> {
  if (next.length < MIN_PASSPHRASE) return err('weak-passphrase', LOCK_ERROR_TEXT['weak-passphrase']);
  const lock = await readLock(db);
  if (!lock) return err('no-passphrase', LOCK_ERROR_TEXT['no-passphrase']);
  const dk = await unwrapDataKey(lock.data_key, current, lock.id);
  if (!dk) return err('wrong-passphrase', LOCK_ERROR_TEXT['wrong-passphrase']);
  const data_key = await wrapDataKey(dk, next, lock.id);
  dk.fill(0);
  const updated = await db.transaction('rw', db.meta, async () => {
    const now = await readLock(db);
    if (!now || now.id !== lock.id) return null;
    const u: LockRecord = { ...now, data_key, changed: new Date().toISOString() };
    await db.meta.put({ key: LOCK_META, value: u });
    return u;
  });
  return updated ? ok(updated) : err('busy', LOCK_ERROR_TEXT.busy);
}

/**
 * Starts removing the passphrase (checked first): new rows are stored in
 * clear from now on; vault-maintenance.ts decrypts the rest and then deletes
 * the lock record.
 */
export async function beginRemovePassphrase(db: CairnDb, current: string): Promise<Result<LockRecord, LockErrorCode>> {
  const lock = await readLock(db);
  if (!lock) return err('no-passphrase', LOCK_ERROR_TEXT['no-passphrase']);
  const dk = await unwrapDataKey(lock.data_key, current, lock.id);
  if (!dk) return err('wrong-passphrase', LOCK_ERROR_TEXT['wrong-passphrase']);
  await writeSession({ lock_id: lock.id, dk: toBase64(dk) });
  dk.fill(0);
  const updated = await db.transaction('rw', db.meta, async () => {
    const now = await readLock(db);
    if (!now || now.id !== lock.id) return null;
    const u: LockRecord = { ...now, state: 'removing', changed: new Date().toISOString() };
    await db.meta.put({ key: LOCK_META, value: u });
    return u;
  });
  return updated ? ok(updated) : err('busy', LOCK_ERROR_TEXT.busy);
}
