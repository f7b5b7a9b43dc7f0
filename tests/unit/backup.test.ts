import 'fake-indexeddb/auto';
import JSZip from 'jszip';
import { beforeEach, describe, expect, it } from 'vitest';
import { BACKUP_ERROR_TEXT, buildBackup, readBackupHeader, restoreBackup, unfinishedRestore, type BuiltBackup } from '../../utils/background/backup';
import { openDb, type CairnDb } from '../../utils/background/db';
import { deviceKey } from '../../utils/background/keys';
import { appendEntry } from '../../utils/background/ledger';
import { deleteCapture, storeCapture } from '../../utils/background/store';
import { listCaptures, readBlobs, readCaptures, readLedger, readRows, searchText } from '../../utils/background/vault-data';
import { lockNow, setPassphrase, unlock, connectSession } from '../../utils/background/vault-lock';
import { runMaintenance } from '../../utils/background/vault-maintenance';
import { buildPackage } from '../../utils/package/export';
import { fromUtf8 } from '../../utils/shared/encoding';
import { sha256Hex } from '../../utils/shared/sha256';
import type { CaptureRecord } from '../../utils/shared/types';
import { verifyPackage } from '../../utils/verify/verify';
import { verifyHtmlBytes } from '../helpers/verify-html';
import { sampleDraft } from '../helpers/sample';
import { memorySession, rawDump } from '../helpers/vault';

const PASS = 'vault passphrase one';
const BACKUP_PASS = 'a separate backup passphrase';

function file(b: BuiltBackup): Uint8Array {
  const out = new Uint8Array(b.bytes);
  let at = 0;
  for (const p of b.parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Pseudo-random bytes that do not compress: a screenshot-sized blob that spans several 4 MiB chunks. */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

/** Offsets of the chunks in a backup file: [start of length field, end]. */
function chunks(f: Uint8Array): [number, number][] {
  const dv = new DataView(f.buffer, f.byteOffset, f.byteLength);
  let at = 12 + dv.getUint32(8);
  const out: [number, number][] = [];
  while (at < f.byteLength) {
    const len = dv.getUint32(at);
    out.push([at, at + 4 + len]);
    at += 4 + len;
  }
  return out;
}

interface Source {
  db: CairnDb;
  records: CaptureRecord[];
  built: BuiltBackup;
  bytes: Uint8Array;
}

/** A source vault, locked with a passphrase, holding captures, a deletion, a note, a diary entry and an annotation. */
async function source(): Promise<Source> {
  const db = openDb(`src-${crypto.randomUUID()}`);
  const big = sampleDraft(1);
  big.artefacts[0] = { ...big.artefacts[0], data: noise(9 * 1024 * 1024, 7) };
  const records = [await storeCapture(db, big), await storeCapture(db, sampleDraft(2)), await storeCapture(db, sampleDraft(3))];
  await deleteCapture(db, records[1].id, 'duplicate');
  await appendEntry(db, 'note', records[0].id, { text: 'he waited outside the office' });
  await db.diary.add({ id: 'd1', occurred_at: '2026-11-20T08:00:00.000Z', approximate: true, recorded_at: '2026-11-21T09:00:00.000Z', what: 'Followed me to the bus stop', where: 'High Street', impact: 'Scared to go out', fear_of_violence: true, witnesses: null, reported_to: null });
  await db.annotations.add({ id: 'a1', capture_id: records[0].id, type: 'tag', value: 'monitoring', created: '2026-11-29T12:00:00.000Z' });
  await setPassphrase(db, PASS);
  await runMaintenance(db);
  const built = await buildBackup(db, BACKUP_PASS, { now: new Date('2026-12-01T10:00:00Z'), toolVersion: '0.1.0' });
  if (!built.ok) throw new Error(built.error.message);
  return { db, records: [records[0], records[2]], built: built.value, bytes: file(built.value) };
}

let src: Source;
beforeEach(async () => {
  connectSession(memorySession());
  src ??= await source();
  // Each test starts as a fresh browser session with the source unlocked.
  expect((await unlock(src.db, PASS)).ok).toBe(true);
});

describe('backup file', () => {
  it('has a plain, versioned header naming PBKDF2-SHA-256 with at least 600,000 iterations, and nothing readable after it', async () => {
    const f = src.bytes;
    expect(src.built.filename).toBe('cairn-backup-2026-12-01.cairnbak');
    expect(fromUtf8(f.subarray(0, 8))).toBe('CAIRNBAK');
    const len = new DataView(f.buffer).getUint32(8);
    const header = JSON.parse(fromUtf8(f.subarray(12, 12 + len)));
    expect(header.format).toBe('cairn-backup/1');
    expect(header.kdf.name).toBe('PBKDF2');
    expect(header.kdf.hash).toBe('SHA-256');
    expect(header.kdf.iterations).toBeGreaterThanOrEqual(600_000);
    expect(header.cipher).toMatchObject({ name: 'AES-GCM', key_bits: 256, chunk_bytes: 4 * 1024 * 1024 });
    expect(readBackupHeader(f)).toEqual({ ok: true, value: header });
    expect(chunks(f).length).toBe(3);
    const body = Buffer.from(f.subarray(12 + len));
    for (const needle of ['127.0.0.1:8080/post/1', 'Post 3', 'High Street', 'monitoring', 'he waited', 'duplicate'])
      expect(body.indexOf(Buffer.from(needle)), needle).toBe(-1);
    expect(src.built.counts).toEqual({ captures: 2, blobs: 6, ledger: 5, cases: 0, accounts: 0, diary: 1, annotations: 1, signers: 1 });
  });
});

describe('restore', () => {
  it('restores into a fresh vault exactly, keeps the original signatures, and chains a signed restore entry onto the restored ledger', async () => {
    const db = openDb(`dst-${crypto.randomUUID()}`);
    const newKey = await deviceKey(db); // a fresh profile has already made its own key
    const srcKey = await deviceKey(src.db);
    const phases = new Set<string>();
    const r = await restoreBackup(db, src.bytes, BACKUP_PASS, { onProgress: (p) => phases.add(p.phase) });
    if (!r.ok) throw new Error(r.error.message);
    expect([...phases]).toEqual(['checking', 'writing', 'done']);
    expect(r.value.backup_sha256).toBe(await sha256Hex(src.bytes));
    expect(r.value.source_device_fingerprint).toBe(srcKey.fingerprint);

    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect((await readCaptures(db)).map((c) => c.record).sort(byId)).toEqual((await readCaptures(src.db)).map((c) => c.record).sort(byId));
    expect((await readCaptures(db)).map((c) => c.record).sort(byId)).toEqual([...src.records].sort(byId));
    // Stored in clear here (no passphrase), with their search text, so search works as for any capture.
    expect((await db.captures.orderBy('seq').toArray()).map((c) => (c.enc ? null : c.search))).toEqual(src.records.map((r) => searchText(r)));
    expect((await listCaptures(db, { query: 'post 3', limit: 10 })).map((c) => c.seq)).toEqual([3]);
    const shas = (await src.db.blobs.toCollection().primaryKeys()) as string[];
    // Compared through their hashes (deep equality over 9 MB arrays takes minutes): the hash of the bytes read back must be the key.
    const digest = async (rows: Awaited<ReturnType<typeof readBlobs>>) =>
      Promise.all(rows.map(async (b) => b && { sha256: b.sha256, media_type: b.media_type, refs: b.refs, length: b.bytes.byteLength, bytes_sha256: await sha256Hex(b.bytes) }));
    const restoredBlobs = await digest(await readBlobs(db, shas));
    expect(restoredBlobs).toEqual(await digest(await readBlobs(src.db, shas)));
    expect(restoredBlobs.every((b) => b && b.bytes_sha256 === b.sha256)).toBe(true);
    expect(await db.blobs.count()).toBe(6);
    expect(await readRows(db, 'diary', await db.diary.toArray())).toEqual(await readRows(src.db, 'diary', await src.db.diary.toArray()));
    expect(await readRows(db, 'annotations', await db.annotations.toArray())).toEqual(await readRows(src.db, 'annotations', await src.db.annotations.toArray()));

    const before = await readLedger(src.db);
    const after = await readLedger(db);
    expect(after.slice(0, before.length)).toEqual(before);
    const restore = after[before.length];
    expect(after.length).toBe(before.length + 1);
    expect(restore).toEqual(r.value.restore_entry);
    expect(restore).toMatchObject({ seq: 6, type: 'restore', subject: r.value.backup_sha256, prev: before.at(-1)!.hash, key_id: newKey.fingerprint });
    expect(restore.payload).toEqual({
      backup_sha256: r.value.backup_sha256,
      backup_created: '2026-12-01T10:00:00.000Z',
      backup_format: 'cairn-backup/1',
      source_device_fingerprint: srcKey.fingerprint,
      restored: { captures: 2, blobs: 6, ledger: 5, cases: 0, accounts: 0, diary: 1, annotations: 1, signers: 1 },
      restored_ledger_head: { seq: 5, hash: before.at(-1)!.hash },
    });
    expect((await db.signers.orderBy('source').toArray()).map((s) => [s.fingerprint, s.source])).toEqual([
      [newKey.fingerprint, 'device'],
      [srcKey.fingerprint, 'restore'],
    ]);
    expect((await db.meta.get('capture_seq'))?.value).toBe(3);
    expect(await unfinishedRestore(db)).toBeNull();

    // A capture made afterwards is numbered after the restored ones and chains on.
    const next = await storeCapture(db, sampleDraft(4));
    expect([next.seq, next.seal.ledger_seq, next.signer_fingerprint]).toEqual([4, 7, newKey.fingerprint]);
    const pkg = await buildPackage(db, { verifyHtml: await verifyHtmlBytes() });
    const report = await verifyPackage(pkg.bytes);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.verdict).toBe('VERIFIED');
    expect(report.captures.map((c) => [c.seq, c.record_sha256])).toEqual([...src.records, next].map((x) => [x.seq, x.seal.record_sha256]));
    const zip = await JSZip.loadAsync(pkg.bytes);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(manifest.signers).toEqual(
      [
        { fingerprint: newKey.fingerprint, public_key: `keys/${newKey.fingerprint}.pem`, source: 'device' },
        { fingerprint: srcKey.fingerprint, public_key: `keys/${srcKey.fingerprint}.pem`, source: 'restore' },
      ].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1)),
    );
  });

  it('restores into a fresh vault that has a passphrase: everything is stored encrypted and reads back the same', async () => {
    const db = openDb(`dst-${crypto.randomUUID()}`);
    await setPassphrase(db, 'the new vault passphrase');
    await runMaintenance(db);
    const r = await restoreBackup(db, src.bytes, BACKUP_PASS);
    expect(r.ok).toBe(true);
    expect((await db.captures.toArray()).every((c) => c.enc?.k === 'dk')).toBe(true);
    expect((await db.blobs.toArray()).every((b) => b.enc?.k === 'dk')).toBe(true);
    expect((await db.ledger.toArray()).every((e) => e.enc?.k === 'dk')).toBe(true);
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect((await readCaptures(db)).map((c) => c.record).sort(byId)).toEqual([...src.records].sort(byId));
    await lockNow();
    const dump = await rawDump(db);
    for (const needle of ['127.0.0.1:8080/post/1', 'Post 3', 'High Street', 'monitoring', 'he waited']) expect(dump.indexOf(Buffer.from(needle)), needle).toBe(-1);
  });

  it('a wrong passphrase, a damaged, cut-off, reordered or foreign file changes nothing and says which', async () => {
    const db = openDb(`dst-${crypto.randomUUID()}`);
    await deviceKey(db);
    const empty = await rawDump(db);
    const f = src.bytes;
    const cs = chunks(f);
    const flip = (at: number) => {
      const c = f.slice();
      c[at] ^= 1;
      return c;
    };
    const headerLen = new DataView(f.buffer).getUint32(8);
    const headerText = fromUtf8(f.subarray(12, 12 + headerLen));
    const withHeader = (h: string) => {
      const hb = new TextEncoder().encode(h);
      const out = new Uint8Array(12 + hb.byteLength + f.byteLength - 12 - headerLen);
      out.set(f.subarray(0, 8));
      new DataView(out.buffer).setUint32(8, hb.byteLength);
      out.set(hb, 12);
      out.set(f.subarray(12 + headerLen), 12 + hb.byteLength);
      return out;
    };
    const swapped = (() => {
      const [a, b] = [cs[0], cs[1]];
      const out = f.slice();
      const first = f.subarray(a[0], a[1]);
      const second = f.subarray(b[0], b[1]);
      if (first.byteLength !== second.byteLength) throw new Error('chunks differ in size');
      out.set(second, a[0]);
      out.set(first, b[0]);
      return out;
    })();
    const cases: [string, Uint8Array, string, string][] = [
      ['wrong passphrase', f, 'a different backup passphrase', 'wrong-passphrase'],
      ['a byte changed in the middle chunk', flip(Math.floor((cs[1][0] + cs[1][1]) / 2)), BACKUP_PASS, 'damaged'],
      ['a byte changed in the last chunk', flip(f.byteLength - 3), BACKUP_PASS, 'damaged'],
      ['the header date edited', withHeader(headerText.replace('2026-12-01', '2026-12-02')), BACKUP_PASS, 'damaged'],
      ['the salt edited', withHeader(headerText.replace(/"salt":"(.)/, (_m, c: string) => `"salt":"${c === 'A' ? 'B' : 'A'}`)), BACKUP_PASS, 'wrong-passphrase'],
      ['the iteration count lowered', withHeader(headerText.replace('"iterations":600000', '"iterations":1000')), BACKUP_PASS, 'unsupported'],
      ['cut off after the first chunk', f.slice(0, cs[0][1]), BACKUP_PASS, 'damaged'],
      ['cut off mid-chunk', f.slice(0, f.byteLength - 10), BACKUP_PASS, 'damaged'],
      ['two chunks swapped', swapped, BACKUP_PASS, 'damaged'],
      ['not a backup', new TextEncoder().encode('PK\u0003\u0004 this is a zip file, not a backup'), BACKUP_PASS, 'not-a-backup'],
    ];
    for (const [what, bytes, pass, code] of cases) {
      const r = await restoreBackup(db, bytes, pass);
      expect(r, what).toEqual({ ok: false, error: { code, message: BACKUP_ERROR_TEXT[code as keyof typeof BACKUP_ERROR_TEXT] } });
      expect((await rawDump(db)).equals(empty), what).toBe(true);
    }
  });

  it('refuses to merge into a vault that already has captures', async () => {
    const db = openDb(`dst-${crypto.randomUUID()}`);
    await storeCapture(db, sampleDraft(9));
    const before = await rawDump(db);
    expect(await restoreBackup(db, src.bytes, BACKUP_PASS)).toEqual({ ok: false, error: { code: 'not-empty', message: BACKUP_ERROR_TEXT['not-empty'] } });
    expect((await rawDump(db)).equals(before)).toBe(true);
  });

  it('an interrupted restore is finished by restoring the same file again, and no other file may be mixed in', async () => {
    const db = openDb(`dst-${crypto.randomUUID()}`);
    let n = 0;
    await expect(restoreBackup(db, src.bytes, BACKUP_PASS, { afterBatch: () => { if (++n === 2) throw new Error('browser closed'); } })).rejects.toThrow('browser closed');
    expect(await unfinishedRestore(db)).toMatchObject({ backup_sha256: await sha256Hex(src.bytes) });
    expect(await db.ledger.count()).toBe(5);
    expect(await db.blobs.count()).toBeLessThan(6);

    const other = await buildBackup(src.db, BACKUP_PASS);
    if (!other.ok) throw new Error(other.error.message);
    expect((await restoreBackup(db, file(other.value), BACKUP_PASS)).ok).toBe(false);

    const r = await restoreBackup(db, src.bytes, BACKUP_PASS);
    expect(r.ok).toBe(true);
    expect(await unfinishedRestore(db)).toBeNull();
    expect((await readLedger(db)).map((e) => e.type)).toEqual(['capture', 'capture', 'capture', 'delete', 'note', 'restore']);
    expect(await db.blobs.count()).toBe(6);
    expect((await verifyPackage((await buildPackage(db, { verifyHtml: await verifyHtmlBytes() })).bytes)).verdict).toBe('VERIFIED');
  });

  it('a locked vault cannot be backed up', async () => {
    await lockNow();
    const r = await buildBackup(src.db, BACKUP_PASS);
    expect(r).toEqual({ ok: false, error: { code: 'locked', message: BACKUP_ERROR_TEXT.locked } });
  });
});
