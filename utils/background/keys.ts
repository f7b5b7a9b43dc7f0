import type { CairnDb, KeyRow } from './db';
import { rawToDer, spkiFingerprint, spkiToPem, ECDSA_P256, ECDSA_SHA256 } from '../shared/ecdsa';
import { exactBuffer } from '../shared/encoding';

/**
 * The device signing key: ECDSA P-256 made on first use, private half
 * non-extractable and kept in IndexedDB as a CryptoKey (so page script can
 * never read it, and neither can a backup of the profile's files in clear).
 */

export interface DeviceKey {
  privateKey: CryptoKey;
  spki: Uint8Array;
  fingerprint: string;
  pem: string;
  created: string;
}

const cache = new WeakMap<CairnDb, Promise<DeviceKey>>();

function toDeviceKey(row: KeyRow): DeviceKey {
  return { privateKey: row.private_key, spki: row.spki, fingerprint: row.fingerprint, pem: spkiToPem(row.spki), created: row.created };
}

async function loadOrCreate(db: CairnDb): Promise<DeviceKey> {
  const existing = await db.keys.get('device');
  if (existing) return toDeviceKey(existing);
  const pair = await crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify']);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const row: KeyRow = {
    id: 'device',
    private_key: pair.privateKey,
    spki,
    fingerprint: await spkiFingerprint(spki),
    created: new Date().toISOString(),
  };
  // Two contexts may race on first run; whoever writes first wins and both use that key.
  await db.transaction('rw', db.keys, db.signers, async () => {
    if (await db.keys.get('device')) return;
    await db.keys.add(row);
    await db.signers.put({ fingerprint: row.fingerprint, spki: row.spki, source: 'device', added: row.created });
  });
  return toDeviceKey((await db.keys.get('device'))!);
}

export function deviceKey(db: CairnDb): Promise<DeviceKey> {
  let p = cache.get(db);
  if (!p) {
    p = loadOrCreate(db);
    p.catch(() => cache.delete(db));
    cache.set(db, p);
  }
  return p;
}

/** Signs bytes with the device key; returns the DER signature. */
export async function signDer(key: DeviceKey, data: Uint8Array): Promise<Uint8Array> {
  const raw = new Uint8Array(await crypto.subtle.sign(ECDSA_SHA256, key.privateKey, exactBuffer(data)));
  return rawToDer(raw);
}
