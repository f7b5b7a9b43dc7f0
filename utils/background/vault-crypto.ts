import { exactBuffer, fromBase64, toBase64, utf8 } from '../shared/encoding';

/**
 * Encryption at rest: the primitives, free of any database or browser API so
 * they can be tested alone.
 *
 * Key hierarchy
 * - The passphrase, stretched with PBKDF2-SHA-256 (600,000 iterations, random
 *   salt), gives a key-encryption key that wraps (AES-GCM) a random 256-bit
 *   data key. Changing the passphrase re-wraps only the data key.
 * - The data key encrypts rows and blobs (AES-GCM, random 96-bit IV, the row's
 *   table and primary key as additional data so a ciphertext cannot be moved
 *   to another row).
 * - A vault ECDH P-256 key pair is made with the passphrase; its private half
 *   is encrypted under the data key, its public half stays in clear. While the
 *   vault is locked the background still stores captures: each envelope is
 *   encrypted to the public half (ephemeral ECDH → HKDF-SHA-256 → AES-GCM), so
 *   nothing readable is written and nothing secret is needed to write. After
 *   unlock those envelopes are re-encrypted under the data key (reading them is
 *   slower: one ECDH per envelope).
 *
 * Every WebCrypto promise is passed through Promise.resolve: these functions
 * run inside Dexie liveQuery queriers, whose zone tracking requires it for
 * non-Dexie async calls (dexie.org, liveQuery rules).
 */

export const PBKDF2_ITERATIONS = 600_000;
/** Bounds on a stored iteration count: below is too weak to accept, above would hang the page. */
export const PBKDF2_MIN_ITERATIONS = 600_000;
export const PBKDF2_MAX_ITERATIONS = 20_000_000;

export interface KdfParams {
  name: 'PBKDF2';
  hash: 'SHA-256';
  iterations: number;
  salt: Uint8Array;
}

/** AES-GCM output: IV and ciphertext with its 16-byte tag. */
export interface Cipher {
  iv: Uint8Array;
  ct: Uint8Array;
}

/** The data key wrapped under a passphrase. */
export interface WrappedKey extends Cipher {
  kdf: KdfParams;
}

/**
 * One encrypted value as stored: under the data key (`dk`), or to the vault's
 * public key (`pk`, written while locked; `epk` is the ephemeral public point).
 */
export interface Envelope extends Cipher {
  v: 1;
  k: 'dk' | 'pk';
  epk?: Uint8Array;
}

/** What an unlocked context holds. */
export interface VaultKeys {
  lockId: string;
  dataKey: CryptoKey;
  ecdhPrivate: CryptoKey;
}

const subtle = () => globalThis.crypto.subtle;
const wrapP = <T>(p: Promise<T>): Promise<T> => Promise.resolve(p);

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

const AES = { name: 'AES-GCM', length: 256 } as const;
const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;

export async function importDataKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.byteLength !== 32) throw new Error('a data key is 32 bytes');
  return wrapP(subtle().importKey('raw', exactBuffer(raw), AES, false, ['encrypt', 'decrypt']));
}

export async function aesEncrypt(key: CryptoKey, plaintext: Uint8Array, aad: Uint8Array): Promise<Cipher> {
  const iv = randomBytes(12);
  const ct = new Uint8Array(await wrapP(subtle().encrypt({ name: 'AES-GCM', iv: exactBuffer(iv), additionalData: exactBuffer(aad) }, key, exactBuffer(plaintext))));
  return { iv, ct };
}

/** Throws (OperationError) when the key, IV, additional data or ciphertext is wrong. */
export async function aesDecrypt(key: CryptoKey, c: Cipher, aad: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await wrapP(subtle().decrypt({ name: 'AES-GCM', iv: exactBuffer(c.iv), additionalData: exactBuffer(aad) }, key, exactBuffer(c.ct))));
}

/** PBKDF2-SHA-256 → AES-GCM-256 key for wrapping. */
export async function deriveKek(passphrase: string, kdf: KdfParams): Promise<CryptoKey> {
  if (kdf.name !== 'PBKDF2' || kdf.hash !== 'SHA-256') throw new Error(`unsupported key derivation ${kdf.name}/${kdf.hash}`);
  if (!Number.isInteger(kdf.iterations) || kdf.iterations < PBKDF2_MIN_ITERATIONS || kdf.iterations > PBKDF2_MAX_ITERATIONS)
    throw new Error(`refusing PBKDF2 with ${kdf.iterations} iterations`);
  const base = await wrapP(subtle().importKey('raw', exactBuffer(utf8(passphrase.normalize('NFC'))), 'PBKDF2', false, ['deriveKey']));
  return wrapP(
    subtle().deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: exactBuffer(kdf.salt), iterations: kdf.iterations }, base, AES, false, ['encrypt', 'decrypt']),
  );
}

export function newKdf(): KdfParams {
  return { name: 'PBKDF2', hash: 'SHA-256', iterations: PBKDF2_ITERATIONS, salt: randomBytes(16) };
}

const dkAad = (lockId: string) => utf8(`cairn/data-key/${lockId}`);
const privAad = (lockId: string) => utf8(`cairn/vault-private/${lockId}`);

/** Wraps the raw data key under a passphrase (fresh salt each time). */
export async function wrapDataKey(dkRaw: Uint8Array, passphrase: string, lockId: string): Promise<WrappedKey> {
  const kdf = newKdf();
  const kek = await deriveKek(passphrase, kdf);
  return { kdf, ...(await aesEncrypt(kek, dkRaw, dkAad(lockId))) };
}

/** The raw data key, or null when the passphrase is not the one that wrapped it. */
export async function unwrapDataKey(w: WrappedKey, passphrase: string, lockId: string): Promise<Uint8Array | null> {
  const kek = await deriveKek(passphrase, w.kdf);
  try {
    return await aesDecrypt(kek, w, dkAad(lockId));
  } catch {
    return null;
  }
}

/** Fresh keys for a vault that is being locked for the first time. */
export async function makeVaultKeyMaterial(lockId: string): Promise<{ dkRaw: Uint8Array; vaultPublic: Uint8Array; vaultPrivate: Cipher }> {
  const dkRaw = randomBytes(32);
  const pair = (await wrapP(subtle().generateKey(ECDH, true, ['deriveBits']))) as CryptoKeyPair;
  const vaultPublic = new Uint8Array(await wrapP(subtle().exportKey('raw', pair.publicKey)));
  const pkcs8 = new Uint8Array(await wrapP(subtle().exportKey('pkcs8', pair.privateKey)));
  const vaultPrivate = await aesEncrypt(await importDataKey(dkRaw), pkcs8, privAad(lockId));
  pkcs8.fill(0);
  return { dkRaw, vaultPublic, vaultPrivate };
}

/** Opens the data key and the vault's private key for an unlocked context. */
export async function openVaultKeys(lockId: string, dkRaw: Uint8Array, vaultPrivate: Cipher): Promise<VaultKeys> {
  const dataKey = await importDataKey(dkRaw);
  const pkcs8 = await aesDecrypt(dataKey, vaultPrivate, privAad(lockId));
  const ecdhPrivate = await wrapP(subtle().importKey('pkcs8', exactBuffer(pkcs8), ECDH, false, ['deriveBits']));
  pkcs8.fill(0);
  return { lockId, dataKey, ecdhPrivate };
}

export async function importVaultPublic(raw: Uint8Array): Promise<CryptoKey> {
  return wrapP(subtle().importKey('raw', exactBuffer(raw), ECDH, true, []));
}

const PK_INFO = utf8('cairn/pk-envelope/1');

async function pkKey(privateKey: CryptoKey, publicKey: CryptoKey, epkRaw: Uint8Array): Promise<CryptoKey> {
  const shared = await wrapP(subtle().deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256));
  const ikm = await wrapP(subtle().importKey('raw', shared, 'HKDF', false, ['deriveKey']));
  return wrapP(subtle().deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: exactBuffer(epkRaw), info: exactBuffer(PK_INFO) }, ikm, AES, false, ['encrypt', 'decrypt']));
}

export async function sealWithDataKey(dataKey: CryptoKey, plaintext: Uint8Array, aad: Uint8Array): Promise<Envelope> {
  return { v: 1, k: 'dk', ...(await aesEncrypt(dataKey, plaintext, aad)) };
}

/** Encrypts to the vault's public key: needs no secret, so a locked vault can still store. */
export async function sealToPublic(vaultPublic: CryptoKey, plaintext: Uint8Array, aad: Uint8Array): Promise<Envelope> {
  const eph = (await wrapP(subtle().generateKey(ECDH, true, ['deriveBits']))) as CryptoKeyPair;
  const epk = new Uint8Array(await wrapP(subtle().exportKey('raw', eph.publicKey)));
  const key = await pkKey(eph.privateKey, vaultPublic, epk);
  return { v: 1, k: 'pk', epk, ...(await aesEncrypt(key, plaintext, aad)) };
}

/** Decrypts either kind of envelope; throws when it was altered or belongs elsewhere. */
export async function openEnvelope(keys: VaultKeys, env: Envelope, aad: Uint8Array): Promise<Uint8Array> {
  if (env.v !== 1) throw new Error(`unknown envelope version ${String(env.v)}`);
  if (env.k === 'dk') return aesDecrypt(keys.dataKey, env, aad);
  if (env.k !== 'pk' || !env.epk) throw new Error('malformed envelope');
  const epk = await wrapP(subtle().importKey('raw', exactBuffer(env.epk), ECDH, false, []));
  return aesDecrypt(await pkKey(keys.ecdhPrivate, epk, env.epk), env, aad);
}

/** Additional data binding a ciphertext to one row. */
export function rowAad(table: string, key: string | number): Uint8Array {
  return utf8(`cairn/${table}/${typeof key}/${String(key)}`);
}

const BYTES_TAG = '__cairn_bytes__';

/** JSON with byte arrays kept (as tagged base64), for the encrypted part of a row. */
export function packValue(value: unknown): Uint8Array {
  return utf8(
    JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? { [BYTES_TAG]: toBase64(v) } : v instanceof ArrayBuffer ? { [BYTES_TAG]: toBase64(new Uint8Array(v)) } : v)),
  );
}

export function unpackValue<T>(bytes: Uint8Array): T {
  return JSON.parse(new TextDecoder().decode(bytes), (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o[BYTES_TAG] === 'string' && Object.keys(o).length === 1) return fromBase64(o[BYTES_TAG] as string);
    }
    return v;
  }) as T;
}
