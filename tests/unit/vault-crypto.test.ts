import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDb, type CairnDb } from '../../utils/background/db';
import { appendEntry } from '../../utils/background/ledger';
import { deleteCapture, storeCapture, type CaptureDraft } from '../../utils/background/store';
import {
  deriveKek,
  importVaultPublic,
  makeVaultKeyMaterial,
  newKdf,
  openEnvelope,
  openVaultKeys,
  packValue,
  rowAad,
  sealToPublic,
  sealWithDataKey,
  unpackValue,
  unwrapDataKey,
  wrapDataKey,
  PBKDF2_ITERATIONS,
} from '../../utils/background/vault-crypto';
import { listCaptures, putRows, readBlob, readCapture, readCaptures, readLedger, readRows, VaultLockedError } from '../../utils/background/vault-data';
import {
  assertWriteMode,
  beginRemovePassphrase,
  changePassphrase,
  lockNow,
  lockStatus,
  readLock,
  setPassphrase,
  unlock,
  connectSession,
  writeMode,
  WriteModeMoved,
  LOCK_ERROR_TEXT,
} from '../../utils/background/vault-lock';
import { pendingMaintenance, runMaintenance } from '../../utils/background/vault-maintenance';
import { buildPackage } from '../../utils/package/export';
import { utf8 } from '../../utils/shared/encoding';
import type { CaptureRecord } from '../../utils/shared/types';
import { verifyPackage } from '../../utils/verify/verify';
import { verifyHtmlBytes } from '../helpers/verify-html';
import { PNG_1X1, sampleDraft } from '../helpers/sample';
import { leaks, memorySession, rawDump } from '../helpers/vault';

const PASS = 'correct horse battery staple';

/** A draft whose title, address, text and image are unique, so a leak of any of them is found. */
function secretDraft(n: number): CaptureDraft {
  const d = sampleDraft(n);
  const url = `https://pebble.example/secret/zq81-${n}`;
  const png = PNG_1X1.slice();
  return {
    ...d,
    page_url: url,
    page_title: `Heron lantern ${n}`,
    page_meta: { ...d.page_meta, page_url: url, page_title: `Heron lantern ${n}` },
    account: { display_name: 'Grey Heron', handle: '@grey_heron_zq', platform_account_id: '777', profile_url: 'https://pebble.example/@grey_heron_zq' },
    artefacts: [
      { ...d.artefacts[0], data: png },
      { ...d.artefacts[1], data: utf8(`<html><body><p>I know which bus you take ${n}</p></body></html>`) },
      { ...d.artefacts[2], data: utf8(`I know which bus you take ${n}`) },
    ],
  };
}

function needles(n: number): Record<string, Uint8Array | string> {
  return {
    url: `pebble.example/secret/zq81-${n}`,
    title: `Heron lantern ${n}`,
    titleLower: `heron lantern ${n}`,
    text: `I know which bus you take ${n}`,
    handle: 'grey_heron_zq',
  };
}

const PNG = { png: PNG_1X1, pngSignature: PNG_1X1.subarray(0, 8) };

let db: CairnDb;
beforeEach(() => {
  connectSession(memorySession());
  db = openDb(`t-${crypto.randomUUID()}`);
});

describe('primitives', () => {
  it('wraps the data key under a passphrase with PBKDF2-SHA-256 at 600,000 iterations; a wrong passphrase unwraps nothing', async () => {
    const dk = crypto.getRandomValues(new Uint8Array(32));
    const w = await wrapDataKey(dk, PASS, 'lock-1');
    expect(w.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: 600_000 });
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    expect(w.kdf.salt.byteLength).toBe(16);
    expect(await unwrapDataKey(w, PASS, 'lock-1')).toEqual(dk);
    expect(await unwrapDataKey(w, PASS + ' ', 'lock-1')).toBeNull();
    expect(await unwrapDataKey(w, PASS, 'lock-2')).toBeNull();
    await expect(deriveKek(PASS, { ...newKdf(), iterations: 1000 })).rejects.toThrow('refusing PBKDF2 with 1000 iterations');
  });

  it('envelopes under the data key and to the public key open with the vault keys, and only for their own row', async () => {
    const m = await makeVaultKeyMaterial('lock-x');
    const keys = await openVaultKeys('lock-x', m.dkRaw, m.vaultPrivate);
    const data = utf8('I know which bus you take');
    const a = await sealWithDataKey(keys.dataKey, data, rowAad('captures', 'id-1'));
    const b = await sealToPublic(await importVaultPublic(m.vaultPublic), data, rowAad('captures', 'id-1'));
    expect([a.k, b.k, b.epk?.byteLength]).toEqual(['dk', 'pk', 65]);
    expect(await openEnvelope(keys, a, rowAad('captures', 'id-1'))).toEqual(data);
    expect(await openEnvelope(keys, b, rowAad('captures', 'id-1'))).toEqual(data);
    await expect(openEnvelope(keys, a, rowAad('captures', 'id-2'))).rejects.toThrow();
    await expect(openEnvelope(keys, b, rowAad('ledger', 1))).rejects.toThrow();
    const flipped = { ...a, ct: a.ct.slice() };
    flipped.ct[0] ^= 1;
    await expect(openEnvelope(keys, flipped, rowAad('captures', 'id-1'))).rejects.toThrow();
    const other = await makeVaultKeyMaterial('lock-x');
    await expect(openEnvelope(await openVaultKeys('lock-x', other.dkRaw, other.vaultPrivate), b, rowAad('captures', 'id-1'))).rejects.toThrow();
  });

  it('packs values with their bytes', () => {
    const v = { a: 'x', b: new Uint8Array([0, 1, 255]), c: [{ d: new Uint8Array([9]) }], e: null, f: 3 };
    expect(unpackValue(packValue(v))).toEqual(v);
  });
});

describe('a vault with a passphrase', () => {
  it('encrypts what was stored before, keeps capturing while locked, and after unlock everything reads back exactly and verifies', async () => {
    const before = [await storeCapture(db, secretDraft(1)), await storeCapture(db, secretDraft(2))];
    await deleteCapture(db, before[1].id, 'Captured heron lantern 2 by mistake');
    expect(leaks(await rawDump(db), needles(1))).toEqual(['url', 'title', 'titleLower', 'text', 'handle']);

    const set = await setPassphrase(db, PASS);
    expect(set.ok).toBe(true);
    expect((await readLock(db))?.state).toBe('encrypting');
    expect(await pendingMaintenance(db)).toBe('encrypting');
    const progress: number[] = [];
    expect(await runMaintenance(db, (p) => p.phase === 'encrypting' && progress.push(p.done))).toEqual({ ok: true, value: 'encrypting' });
    expect(progress.at(-1)).toBe(1 + 3 + 3); // 1 capture, 3 blobs (PNG shared), 3 ledger entries
    expect((await readLock(db))?.state).toBe('encrypted');
    expect(await pendingMaintenance(db)).toBeNull();

    const unlocked = await storeCapture(db, secretDraft(3));
    await lockNow();
    expect((await lockStatus(db)).status).toBe('locked');
    await expect(readCapture(db, unlocked.id)).rejects.toBeInstanceOf(VaultLockedError);
    const whileLocked = await storeCapture(db, secretDraft(4));
    expect(whileLocked.seq).toBe(4);
    expect((await db.captures.get(whileLocked.id))?.enc?.k).toBe('pk');
    expect((await db.rewrap.toArray()).map((r) => r.table).sort()).toEqual(['blobs', 'blobs', 'captures', 'ledger']);

    const dump = await rawDump(db);
    for (const n of [1, 2, 3, 4]) expect(leaks(dump, needles(n))).toEqual([]);
    expect(leaks(dump, PNG)).toEqual([]);
    expect(leaks(dump, { reason: 'by mistake' })).toEqual([]);

    const wrong = await unlock(db, 'correct horse battery stable');
    expect(wrong).toEqual({ ok: false, error: { code: 'wrong-passphrase', message: LOCK_ERROR_TEXT['wrong-passphrase'] } });
    expect((await rawDump(db)).equals(dump)).toBe(true);
    expect((await lockStatus(db)).status).toBe('locked');

    expect((await unlock(db, PASS)).ok).toBe(true);
    const got = new Map((await readCaptures(db)).map((r) => [r.id, r.record]));
    const expected: CaptureRecord[] = [before[0], unlocked, whileLocked];
    expect(got.size).toBe(3);
    for (const r of expected) expect(got.get(r.id)).toEqual(r);
    expect((await readBlob(db, before[0].artefacts[0].sha256))?.bytes).toEqual(PNG_1X1);
    expect((await listCaptures(db, { query: 'LANTERN 4', limit: 10 })).map((r) => r.seq)).toEqual([4]);
    expect((await listCaptures(db, { query: 'grey_heron_zq', limit: 10 })).map((r) => r.seq)).toEqual([4, 3, 1]);
    const ledger = await readLedger(db);
    expect(ledger.map((e) => e.type)).toEqual(['capture', 'capture', 'delete', 'capture', 'capture']);
    expect(ledger[2].payload.reason).toBe('Captured heron lantern 2 by mistake');

    expect(await runMaintenance(db)).toEqual({ ok: true, value: 'rewrapping' });
    expect(await db.rewrap.count()).toBe(0);
    expect((await db.captures.toArray()).map((c) => c.enc?.k)).toEqual(['dk', 'dk', 'dk']);
    expect((await db.blobs.toArray()).every((b) => b.enc?.k === 'dk')).toBe(true);
    for (const r of expected) expect((await readCapture(db, r.id))?.record).toEqual(r);

    const report = await verifyPackage((await buildPackage(db, { verifyHtml: await verifyHtmlBytes() })).bytes);
    expect(report.verdict).toBe('VERIFIED');
    expect(report.captures.map((c) => [c.seq, c.record_sha256, c.ok])).toEqual(expected.map((r) => [r.seq, r.seal.record_sha256, true]));
  });

  it('changing the passphrase re-wraps only the data key', async () => {
    await storeCapture(db, secretDraft(1));
    await setPassphrase(db, PASS);
    await runMaintenance(db);
    const lock = (await readLock(db))!;
    const rowsBefore = await db.captures.toArray();
    const blobsBefore = await db.blobs.toArray();
    expect((await changePassphrase(db, 'not it at all', 'a new long passphrase')).ok).toBe(false);
    expect((await changePassphrase(db, PASS, 'short')).ok).toBe(false);
    const changed = await changePassphrase(db, PASS, 'a new long passphrase');
    expect(changed.ok).toBe(true);
    const after = (await readLock(db))!;
    expect(after.data_key.ct).not.toEqual(lock.data_key.ct);
    expect({ ...after, data_key: null, changed: null }).toEqual({ ...lock, data_key: null, changed: null });
    expect(await db.captures.toArray()).toEqual(rowsBefore);
    expect(await db.blobs.toArray()).toEqual(blobsBefore);
    await lockNow();
    expect((await unlock(db, PASS)).ok).toBe(false);
    expect((await unlock(db, 'a new long passphrase')).ok).toBe(true);
    expect((await readCaptures(db)).length).toBe(1);
  });

  it('removing the passphrase decrypts everything, and the vault works as before', async () => {
    const a = await storeCapture(db, secretDraft(1));
    await setPassphrase(db, PASS);
    await runMaintenance(db);
    await lockNow();
    const b = await storeCapture(db, secretDraft(2));
    expect((await beginRemovePassphrase(db, 'wrong wrong wrong')).ok).toBe(false);
    expect((await beginRemovePassphrase(db, PASS)).ok).toBe(true);
    expect((await writeMode(db)).kind).toBe('plain');
    const c = await storeCapture(db, secretDraft(3));
    expect((await db.captures.get(c.id))?.enc).toBeUndefined();
    expect(await runMaintenance(db)).toEqual({ ok: true, value: 'decrypting' });
    expect(await readLock(db)).toBeNull();
    expect((await lockStatus(db)).status).toBe('none');
    expect(await db.rewrap.count()).toBe(0);
    const rows = await db.captures.orderBy('seq').toArray();
    expect(rows.map((r) => (r.enc ? 'sealed' : r.search.includes('heron lantern') ? 'plain' : '?'))).toEqual(['plain', 'plain', 'plain']);
    expect(rows.map((r) => (r.enc ? null : r.record))).toEqual([a, b, c]);
    expect((await db.blobs.toArray()).every((x) => !x.enc && x.bytes instanceof Uint8Array)).toBe(true);
    expect((await verifyPackage((await buildPackage(db, { verifyHtml: await verifyHtmlBytes() })).bytes)).verdict).toBe('VERIFIED');
  });

  it('a first encryption cut short by a closed browser loses nothing and finishes after the next unlock', async () => {
    const recs = [await storeCapture(db, secretDraft(1)), await storeCapture(db, secretDraft(2)), await storeCapture(db, secretDraft(3))];
    await setPassphrase(db, PASS);
    let batches = 0;
    await expect(
      runMaintenance(db, () => {}, {
        afterBatch: () => {
          if (++batches === 1) throw new Error('browser closed');
        },
      }),
    ).rejects.toThrow('browser closed');
    // Captures were done, blobs and ledger not yet: a mixed vault.
    expect((await db.captures.toArray()).every((c) => c.enc)).toBe(true);
    expect((await db.blobs.toArray()).some((b) => !b.enc)).toBe(true);
    expect((await readLock(db))?.state).toBe('encrypting');

    connectSession(memorySession()); // the browser restarts: nothing unlocked
    expect((await lockStatus(db)).status).toBe('locked');
    const meanwhile = await storeCapture(db, secretDraft(4));
    expect((await unlock(db, PASS)).ok).toBe(true);
    expect((await readCaptures(db)).map((r) => r.record)).toEqual([...recs, meanwhile].sort((x, y) => (x.id < y.id ? -1 : 1)));
    expect(await runMaintenance(db)).toEqual({ ok: true, value: 'encrypting' });
    expect((await readLock(db))?.state).toBe('encrypted');
    expect(await db.rewrap.count()).toBe(0);
    const dump = await rawDump(db);
    for (const n of [1, 2, 3, 4]) expect(leaks(dump, needles(n))).toEqual([]);
    expect(leaks(dump, PNG)).toEqual([]);
    expect((await verifyPackage((await buildPackage(db, { verifyHtml: await verifyHtmlBytes() })).bytes)).verdict).toBe('VERIFIED');
  });

  it('a writer that prepared before the passphrase was set retries instead of writing in clear', async () => {
    const plain = await writeMode(db);
    expect(plain.kind).toBe('plain');
    await setPassphrase(db, PASS);
    await expect(db.transaction('rw', db.meta, () => assertWriteMode(db, plain))).rejects.toBeInstanceOf(WriteModeMoved);
    const now = await writeMode(db);
    expect(now.kind).toBe('dk');
    await expect(db.transaction('rw', db.meta, () => assertWriteMode(db, now))).resolves.toBeUndefined();
    const e = await appendEntry(db, 'note', 'x', { text: 'heron lantern note' });
    expect((await db.ledger.get(e.seq))?.enc?.k).toBe('dk');
    expect(leaks(await rawDump(db), { note: 'heron lantern note' })).toEqual([]);
  });

  it('diary entries and annotations written through putRows are encrypted; a plain row written behind its back is encrypted at the next run', async () => {
    await setPassphrase(db, PASS);
    await runMaintenance(db);
    const entry = { id: 'd1', occurred_at: '2026-11-20T08:00:00.000Z', approximate: false, recorded_at: '2026-11-21T09:00:00.000Z', what: 'Waited at the heron gate', where: 'Heron Lane', impact: null, fear_of_violence: true, witnesses: 'a neighbour', reported_to: { agency: 'police', officer: null, crime_ref: 'CR-8812' } };
    await putRows(db, 'diary', [entry]);
    expect(Object.keys((await db.diary.get('d1'))!).sort()).toEqual(['enc', 'id', 'occurred_at', 'recorded_at']);
    expect(await readRows(db, 'diary', await db.diary.toArray())).toEqual([entry]);
    await db.annotations.put({ id: 'a1', capture_id: 'c1', type: 'note', value: 'heron gate again', created: '2026-11-21T09:00:00.000Z' });
    expect(leaks(await rawDump(db), { note: 'heron gate again' })).toEqual(['note']);
    expect(await pendingMaintenance(db)).toBe('encrypting');
    await runMaintenance(db);
    expect(await pendingMaintenance(db)).toBeNull();
    const dump = await rawDump(db);
    expect(leaks(dump, { what: 'Waited at the heron gate', where: 'Heron Lane', ref: 'CR-8812', note: 'heron gate again' })).toEqual([]);
    expect((await readRows(db, 'annotations', await db.annotations.toArray())).map((a) => a.value)).toEqual(['heron gate again']);
  });

  it('a vault written by schema version 1 opens under version 2, and setting a passphrase encrypts it', async () => {
    const name = `v1-${crypto.randomUUID()}`;
    // Data as version 1 wrote it: made by the store on a scratch database, copied table by table into a v1-only schema.
    const scratch = openDb(`scratch-${crypto.randomUUID()}`);
    const rec = await storeCapture(scratch, secretDraft(1));
    const v1 = new Dexie(name);
    v1.version(1).stores({ cases: 'id, created', captures: 'id, &seq, case_id, captured_at, platform, kind', blobs: 'sha256', accounts: 'id, platform, handle, platform_account_id', diary: 'id, occurred_at', annotations: 'id, capture_id, type', ledger: 'seq, type, subject', keys: 'id', meta: 'key' });
    for (const t of ['captures', 'blobs', 'ledger', 'keys', 'meta']) await v1.table(t).bulkPut(await scratch.table(t).toArray());
    expect(v1.verno).toBe(1);
    v1.close();

    const up = openDb(name);
    await up.open();
    expect(up.verno).toBe(2);
    expect((await up.signers.toArray()).map((x) => x.source)).toEqual(['device']);
    expect((await readCapture(up, rec.id))?.record).toEqual(rec);
    await setPassphrase(up, PASS);
    await runMaintenance(up);
    const dump = await rawDump(up);
    expect(leaks(dump, { ...needles(1), ...PNG })).toEqual([]);
    expect((await readCapture(up, rec.id))?.record).toEqual(rec);
    expect((await verifyPackage((await buildPackage(up, { verifyHtml: await verifyHtmlBytes() })).bytes)).verdict).toBe('VERIFIED');
  });

  it('refuses a short passphrase and a second set-up', async () => {
    expect(await setPassphrase(db, 'short')).toEqual({ ok: false, error: { code: 'weak-passphrase', message: LOCK_ERROR_TEXT['weak-passphrase'] } });
    expect((await setPassphrase(db, PASS)).ok).toBe(true);
    expect((await setPassphrase(db, PASS)).ok).toBe(false);
  });
});
