import canonicalize from 'canonicalize';
import { utf8 } from './encoding';

/**
 * RFC 8785 canonical JSON (sorted keys, no whitespace), so a record's hash can
 * be reproduced by anyone from record.json. `undefined` members are dropped,
 * as JSON.stringify would.
 */
export function canonicalJson(value: unknown): string {
  const s = canonicalize(value);
  if (s === undefined) throw new Error('value cannot be represented as JSON');
  return s;
}

export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalJson(value));
}
