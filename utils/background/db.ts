import Dexie, { type EntityTable, type Table } from 'dexie';
import type { CaptureRecord, CaptureSeal } from '../shared/types';
import type { LedgerEntry } from '../shared/ledger-format';
import type { Envelope } from './vault-crypto';

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

/**
 * Encryption at rest (see vault-data.ts). When the vault has a passphrase a
 * row keeps only these fields in clear; everything else is in `enc`. They are
 * listed in the README: times, platform and kind, ids, hashes and signatures,
 * never a URL, title, text, handle or image.
 */
export const CLEAR_FIELDS = {
  captures: ['id', 'seq', 'case_id', 'captured_at', 'platform', 'kind', 'tsa', 'tsa_status'],
  ledger: ['seq', 'at', 'type', 'subject', 'payload_sha256', 'prev', 'hash', 'sig', 'key_id'],
  cases: ['id', 'created'],
  accounts: ['id', 'platform', 'first_seen', 'last_seen'],
  diary: ['id', 'occurred_at', 'recorded_at'],
  annotations: ['id', 'capture_id', 'type', 'created'],
} as const;
export type SealedTable = keyof typeof CLEAR_FIELDS;

/** A row as stored: in clear (no passphrase), or its clear fields plus an envelope holding the rest. */
export type Stored<T, C extends keyof T> = (T & { enc?: undefined }) | (Pick<T, C> & { enc: Envelope });

/** An encrypted capture also keeps its seal in clear (hash, signature, ledger seq: no content), for the timestamp queue. */
export type StoredCapture =
  | (CaptureRow & { enc?: undefined })
  | (Pick<CaptureRow, (typeof CLEAR_FIELDS.captures)[number]> & { enc: Envelope; seal: CaptureSeal });
export type StoredLedgerEntry = Stored<LedgerEntry, (typeof CLEAR_FIELDS.ledger)[number]>;
/** An encrypted blob keeps its hash (of the plaintext), media type and reference count; the bytes are in `enc`. */
export type StoredBlob = (BlobRow & { enc?: undefined }) | (Omit<BlobRow, 'bytes'> & { enc: Envelope });

/** An envelope written while locked (to the vault's public key), waiting to be re-encrypted under the data key. */
export interface RewrapRow {
  /** `<table>\u0000<key>` */
  ref: string;
  table: string;
  key: string | number;
}

export type CairnDb = Dexie & {
  cases: Table<Stored<CaseRow, (typeof CLEAR_FIELDS.cases)[number]>, string>;
  captures: Table<StoredCapture, string>;
  blobs: Table<StoredBlob, string>;
  accounts: Table<Stored<AccountRow, (typeof CLEAR_FIELDS.accounts)[number]>, string>;
  diary: Table<Stored<DiaryRow, (typeof CLEAR_FIELDS.diary)[number]>, string>;
  annotations: Table<Stored<AnnotationRow, (typeof CLEAR_FIELDS.annotations)[number]>, string>;
  ledger: Table<StoredLedgerEntry, number>;
  keys: EntityTable<KeyRow, 'id'>;
  meta: EntityTable<MetaRow, 'key'>;
  signers: EntityTable<SignerRow, 'fingerprint'>;
  rewrap: EntityTable<RewrapRow, 'ref'>;
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
  // Version 2: timestamp queue index, the public keys of other signers (imports, restores), and the queue of rows encrypted while locked.
  db.version(2)
    .stores({ captures: 'id, &seq, case_id, captured_at, platform, kind, tsa_status', signers: 'fingerprint, source', rewrap: 'ref' })
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
