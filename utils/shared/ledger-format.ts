/**
 * The ledger entry format (DESIGN.md section 4): an append-only chain where each
 * entry's hash covers its predecessor's. `payload` travels beside the entry in
 * ledger.jsonl so a reader can see what was done; only its hash is chained.
 */
export const LEDGER_TYPES = ['key-created', 'capture', 'delete', 'export', 'import', 'note', 'tag', 'restore'] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

export interface LedgerEntry {
  seq: number;
  at: string;
  type: LedgerType;
  /** What the entry is about: a capture id, an export id, a key fingerprint. */
  subject: string;
  payload: Record<string, unknown>;
  payload_sha256: string;
  /** Hash of the previous entry; 64 zeros for the first. */
  prev: string;
  hash: string;
  /** ECDSA P-256 DER signature over the canonical core, base64. */
  sig: string;
  key_id: string;
}

export const GENESIS_PREV = '0'.repeat(64);

/** The part of an entry that is hashed and signed. */
export function ledgerCore(e: Pick<LedgerEntry, 'seq' | 'at' | 'type' | 'subject' | 'payload_sha256' | 'prev' | 'key_id'>) {
  return { seq: e.seq, at: e.at, type: e.type, subject: e.subject, payload_sha256: e.payload_sha256, prev: e.prev, key_id: e.key_id };
}
