import { exactBuffer, fromBase64, toBase64, toHex } from './encoding';

/**
 * ECDSA P-256 helpers shared by the signer and the verifier. WebCrypto gives
 * and takes raw r‖s (64 bytes); openssl and X.509 tooling want DER
 * (SEQUENCE { INTEGER r, INTEGER s }), so packages carry DER.
 */

function derInt(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  let v = bytes.subarray(i);
  if (v[0] & 0x80) v = Uint8Array.of(0, ...v);
  return Uint8Array.of(0x02, v.length, ...v);
}

export function rawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length !== 64) throw new Error(`expected a 64-byte P-256 signature, got ${raw.length}`);
  const r = derInt(raw.subarray(0, 32));
  const s = derInt(raw.subarray(32));
  return Uint8Array.of(0x30, r.length + s.length, ...r, ...s);
}

/** DER → raw r‖s; throws on anything that is not a well-formed P-256 signature. */
export function derToRaw(der: Uint8Array): Uint8Array {
  const fail = (why: string): never => {
    throw new Error(`malformed signature: ${why}`);
  };
  if (der.length < 8 || der[0] !== 0x30) fail('not a DER sequence');
  if (der[1] !== der.length - 2) fail('length mismatch');
  const out = new Uint8Array(64);
  let p = 2;
  for (let k = 0; k < 2; k++) {
    if (der[p] !== 0x02) fail('missing integer');
    const len = der[p + 1];
    const start = p + 2;
    if (len < 1 || len > 33 || start + len > der.length) fail('bad integer length');
    let v = der.subarray(start, start + len);
    while (v.length > 32 && v[0] === 0) v = v.subarray(1);
    if (v.length > 32) fail('integer too large');
    out.set(v, k * 32 + (32 - v.length));
    p = start + len;
  }
  if (p !== der.length) fail('trailing bytes');
  return out;
}

export const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

export async function importSpki(spkiDer: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('spki', exactBuffer(spkiDer), ECDSA_P256, true, ['verify']);
}

export async function verifyDer(key: CryptoKey, derSig: Uint8Array, data: Uint8Array): Promise<boolean> {
  let raw: Uint8Array;
  try {
    raw = derToRaw(derSig);
  } catch {
    return false;
  }
  return crypto.subtle.verify(ECDSA_SHA256, key, exactBuffer(raw), exactBuffer(data));
}

export function spkiToPem(spkiDer: Uint8Array): string {
  const b64 = toBase64(spkiDer).replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN PUBLIC KEY-----\n${b64}\n-----END PUBLIC KEY-----\n`;
}

export function pemToSpki(pem: string): Uint8Array {
  const m = /-----BEGIN PUBLIC KEY-----([\s\S]+?)-----END PUBLIC KEY-----/.exec(pem);
  if (!m) throw new Error('not a PEM public key');
  return fromBase64(m[1]);
}

/** Key fingerprint: SHA-256 of the SPKI DER, lower-case hex. */
export async function spkiFingerprint(spkiDer: Uint8Array): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', exactBuffer(spkiDer)));
}
