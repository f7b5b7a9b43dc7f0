import Dexie, { type EntityTable } from 'dexie';
import type { CaptureRecord } from '../shared/types';
import type { LedgerEntry } from '../shared/ledger-format';

/**
 * The one Dexie schema (DESIGN.md section 4). Released versions are never
 * edited: add a version with an upgrade, and a test that opens data written
 * by the previous one.
 */

export interface CaseRow {
  id: string;
  name: string;
  created: string;
  jurisdiction: string | null;
  notes: string | null;
}

/** A stored capture: the sealed record plus fields indexed for the vault. */
export interface CaptureRow {
  id: string;
  seq: number;
  case_id: string | null;
  captured_at: string;
  platform: string;
  kind: string;
  /** Lower-cased title + URL + text for search. */
  search: string;
  record: CaptureRecord;
  /** RFC 3161 token over record_sha256 (outside the sealed body: it arrives after sealing). Absent when timestamps were off. */
  tsa?: TsaState;
  /** Indexed copy of tsa.status, so the retry queue finds pending captures. */
  tsa_status?: TsaState['status'];
}

export interface TsaState {
  status: 'pending' | 'stamped';
  authority_url: string;
  /** DER TimeStampToken (a CMS SignedData), when stamped. */
  token: Uint8Array | null;
  /** The authority's whole DER TimeStampResp exactly as received (exported as record.tsr, the form `openssl ts -verify -in` reads), when stamped. */
  reply: Uint8Array | null;
  /** The authority's genTime (ISO), when stamped. */
  gen_time: string | null;
  attempts: number;
  last_error: string | null;
  last_attempt_at: string | null;
}

export interface BlobRow {
  sha256: string;
  bytes: Uint8Array;
  media_type: string;
  /** How many captures point at these bytes; the blob goes when it reaches 0. */
  refs: number;
}

export interface AccountRow {
  id: string;
  platform: string;
  handle: string | null;
  platform_account_id: string | null;
  display_names: string[];
  first_seen: string;
  last_seen: string;
  aliases: string[];
}

export interface DiaryRow {
  id: string;
  occurred_at: string;
  approximate: boolean;
  recorded_at: string;
  what: string;
  where: string | null;
  impact: string | null;
  fear_of_violence: boolean;
  witnesses: string | null;
  reported_to: { agency: string; officer: string | null; crime_ref: string | null } | null;
}

export interface AnnotationRow {
  id: string;
  capture_id: string;
  type: 'note' | 'tag' | 'redaction';
  value: string;
  created: string;
}

export interface KeyRow {
  id: 'device';
  /** Non-extractable private key: IndexedDB stores the CryptoKey object itself. */
  private_key: CryptoKey;
  spki: Uint8Array;
  fingerprint: string;
  created: string;
}

/** A public key that sealed records or ledger entries held here: this device's, or one that came with an import or a restore. */
export interface SignerRow {
  fingerprint: string;
  spki: Uint8Array;
  /** Where the key came from. */
  source: 'device' | 'import' | 'restore';
  added: string;
}

/** Counters and small settings. */
export interface MetaRow {
  key: string;
  value: unknown;
}

export type CairnDb = Dexie & {
  cases: EntityTable<CaseRow, 'id'>;
  captures: EntityTable<CaptureRow, 'id'>;
  blobs: EntityTable<BlobRow, 'sha256'>;
  accounts: EntityTable<AccountRow, 'id'>;
  diary: EntityTable<DiaryRow, 'id'>;
  annotations: EntityTable<AnnotationRow, 'id'>;
  ledger: EntityTable<LedgerEntry, 'seq'>;
  keys: EntityTable<KeyRow, 'id'>;
  meta: EntityTable<MetaRow, 'key'>;
  signers: EntityTable<SignerRow, 'fingerprint'>;
};

export const DB_NAME = 'cairn';

export function openDb(name = DB_NAME): CairnDb {
  const db = new Dexie(name) as CairnDb;
  db.version(1).stores({
    cases: 'id, created',
    captures: 'id, &seq, case_id, captured_at, platform, kind',
    blobs: 'sha256',
    accounts: 'id, platform, handle, platform_account_id',
    diary: 'id, occurred_at',
    annotations: 'id, capture_id, type',
    ledger: 'seq, type, subject',
    keys: 'id',
    meta: 'key',
  });
  // Version 2: timestamp queue index, and the public keys of other signers (imports, restores).
  db.version(2)
    .stores({ captures: 'id, &seq, case_id, captured_at, platform, kind, tsa_status', signers: 'fingerprint, source' })
    .upgrade(async (tx) => {
      const key = await tx.table('keys').get('device');
      if (key) await tx.table('signers').put({ fingerprint: key.fingerprint, spki: key.spki, source: 'device', added: key.created });
    });
  return db;
}

let shared: CairnDb | null = null;

/** The extension's database (one connection per context). */
export function db(): CairnDb {
  shared ??= openDb();
  return shared;
}
