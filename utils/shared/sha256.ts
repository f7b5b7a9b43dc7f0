import { exactBuffer, toHex, utf8 } from './encoding';

/** SHA-256 as lower-case hex, from WebCrypto (browser, worker or Node). */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? utf8(data) : data;
  return toHex(await crypto.subtle.digest('SHA-256', exactBuffer(bytes)));
}
