import type { CairnDb, CaptureRow, StoredBlob } from './db';
import { appendWith, buildEntry } from './ledger';
import { openCapture, queueRewrap, sealBlob, sealCapture, searchText } from './vault-data';
import { vaultKeys } from './vault-lock';
import { signDer } from './keys';
import { getSettings } from './settings';
import { pendingTsa } from './timestamp-queue';
import { canonicalBytes } from '../shared/canonical-json';
import { toBase64 } from '../shared/encoding';
import { sha256Hex } from '../shared/sha256';
import type { Artefact, CaptureBody, CaptureRecord } from '../shared/types';
import type { LedgerEntry } from '../shared/ledger-format';

/** Bytes of one artefact as collected, before hashing. */
export interface ArtefactInput extends Omit<Artefact, 'sha256' | 'bytes'> {
  data: Uint8Array;
}

/** A capture as collected: everything except what the store assigns (id, seq, artefact hashes, signer, seal). */
export type CaptureDraft = Omit<CaptureBody, 'id' | 'seq' | 'artefacts' | 'signer_fingerprint'> & {
  artefacts: ArtefactInput[];
  /** item.media index → name of the artefact holding that media's bytes; its hash is filled in when the artefacts are hashed. */
  mediaFiles?: Record<number, string>;
};

export interface StoreHooks {
  /** Test hook: runs inside the write transaction after all writes, before commit. */
  beforeCommit?: () => void | Promise<void>;
}

export { searchText };

/** Record hash and signature over the canonical body. */
export async function sealBody(body: CaptureBody, sign: (b: Uint8Array) => Promise<Uint8Array>) {
  const bytes = canonicalBytes(body);
  return { record_sha256: await sha256Hex(bytes), signature: toBase64(await sign(bytes)) };
}

/**
 * Hashes every artefact from the exact bytes stored, seals the record, and
 * writes record + blobs + ledger entry in one transaction: a capture is
 * stored whole or not at all.
 */
export async function storeCapture(db: CairnDb, draft: CaptureDraft, hooks: StoreHooks = {}): Promise<CaptureRecord> {
  const hashed = await Promise.all(
    draft.artefacts.map(async ({ data, ...a }) => ({ artefact: { ...a, sha256: await sha256Hex(data), bytes: data.byteLength } as Artefact, data })),
  );
  const id = crypto.randomUUID();
  const { value } = await appendWith<{ record: CaptureRecord; row: CaptureRow; stored: { row: Awaited<ReturnType<typeof sealCapture>>; blobs: StoredBlob[] } }>(
    db,
    ['captures', 'blobs', 'meta'],
    async (head, key, mode) => {
      const seq = ((await db.meta.get('capture_seq'))?.value as number | undefined ?? 0) + 1;
      const { mediaFiles, ...rest } = draft;
      const byName = new Map(hashed.map((h) => [h.artefact.name, h.artefact.sha256]));
      const item = rest.item && mediaFiles
        ? { ...rest.item, media: rest.item.media.map((m, i) => (mediaFiles[i] ? { ...m, sha256: byName.get(mediaFiles[i]) ?? null } : m)) }
        : rest.item;
      const body: CaptureBody = {
        ...rest,
        item,
        id,
        seq,
        artefacts: hashed.map((h) => h.artefact),
        signer_fingerprint: key.fingerprint,
      };
      const seal = await sealBody(body, (b) => signDer(key, b));
      const entry = await buildEntry(key, head, 'capture', id, {
        capture_id: id,
        capture_seq: seq,
        record_sha256: seal.record_sha256,
        platform: body.platform,
        kind: body.kind,
      });
      const record: CaptureRecord = { ...body, seal: { ...seal, ledger_seq: entry.seq } };
      const row: CaptureRow = {
        id,
        seq,
        case_id: body.case_id,
        captured_at: body.captured_at,
        platform: body.platform,
        kind: body.kind,
        search: searchText(body),
        record,
      };
      // Sealed here, after hashing and signing over the plaintext, and before the transaction.
      const unique = [...new Map(hashed.map((h) => [h.artefact.sha256, h])).values()];
      const stored = {
        row: await sealCapture(mode, row),
        blobs: await Promise.all(unique.map((h) => sealBlob(mode, { sha256: h.artefact.sha256, bytes: h.data, media_type: h.artefact.media_type, refs: 1 }))),
      };
      return { entry, value: { record, row, stored } };
    },
    async ({ row, stored }, _entry, mode) => {
      const seqNow = ((await db.meta.get('capture_seq'))?.value as number | undefined) ?? 0;
      if (seqNow + 1 !== row.seq) throw new Error('capture numbering moved; retry');
      const refs = new Map<string, number>();
      for (const h of hashed) refs.set(h.artefact.sha256, (refs.get(h.artefact.sha256) ?? 0) + 1);
      for (const b of stored.blobs) {
        const existing = await db.blobs.get(b.sha256);
        const n = refs.get(b.sha256) ?? 1;
        if (existing) await db.blobs.update(b.sha256, { refs: existing.refs + n });
        else {
          await db.blobs.add({ ...b, refs: n });
          await queueRewrap(db, mode, 'blobs', b.sha256);
        }
      }
      // Timestamps on: the capture is stored already queued for its token (the request is made after it is stored; its state stays in clear).
      const tsa = pendingTsa(await getSettings(db));
      await db.captures.add(tsa ? { ...stored.row, tsa, tsa_status: tsa.status } : stored.row);
      await queueRewrap(db, mode, 'captures', row.id);
      await db.meta.put({ key: 'capture_seq', value: row.seq });
      await hooks.beforeCommit?.();
    },
  );
  return value.record;
}

/**
 * Deletes a capture and its unshared blobs, leaving a tombstone in the ledger
 * that names the record hash and the reason. Never silent.
 */
export async function deleteCapture(db: CairnDb, id: string, reason: string): Promise<LedgerEntry> {
  const stored = await db.captures.get(id);
  if (!stored) throw new Error('No capture with that id.');
  const row = await openCapture(stored.enc ? await vaultKeys(db) : null, stored);
  const why = reason.trim();
  if (!why) throw new Error('A reason is needed: the deletion is recorded in the ledger.');
  const { entry } = await appendWith(
    db,
    ['captures', 'blobs', 'rewrap'],
    async (head, key) => ({
      entry: await buildEntry(key, head, 'delete', id, {
        capture_id: id,
        capture_seq: row.seq,
        record_sha256: row.record.seal.record_sha256,
        reason: why,
      }),
      value: null,
    }),
    async () => {
      if (!(await db.captures.get(id))) throw new Error('The capture was already deleted.');
      for (const a of row.record.artefacts) {
        const b = await db.blobs.get(a.sha256);
        if (!b) continue;
        if (b.refs <= 1) {
          await db.blobs.delete(a.sha256);
          await db.rewrap.delete(`blobs\u0000${a.sha256}`);
        } else await db.blobs.update(a.sha256, { refs: b.refs - 1 });
      }
      await db.captures.delete(id);
      await db.rewrap.delete(`captures\u0000${id}`);
    },
  );
  return entry;
}
