import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../utils/background/db';
import { deviceKey } from '../../utils/background/keys';
import { storeCapture } from '../../utils/background/store';
import { buildPackage } from '../../utils/package/export';
import { verifyPackage } from '../../utils/verify/verify';
import { sampleDraft } from '../helpers/sample';
import { readCapture } from '../../utils/background/vault-data';
import { verifyHtmlBytes } from '../helpers/verify-html';

/** Version 1 as released in session 1: kept here verbatim so the upgrade is tested against real v1 data. */
const V1 = {
  cases: 'id, created',
  captures: 'id, &seq, case_id, captured_at, platform, kind',
  blobs: 'sha256',
  accounts: 'id, platform, handle, platform_account_id',
  diary: 'id, occurred_at',
  annotations: 'id, capture_id, type',
  ledger: 'seq, type, subject',
  keys: 'id',
  meta: 'key',
};

describe('schema upgrade', () => {
  it('opens a version-1 vault: captures and ledger intact, the device key listed as a signer, exports verify', async () => {
    const name = `t-${crypto.randomUUID()}`;
    // Write with today's code, then wind the version back to 1 by recreating the database as v1 with the same rows.
    const scratch = openDb(`${name}-scratch`);
    const rec = await storeCapture(scratch, sampleDraft(1));
    const tables = Object.fromEntries(await Promise.all(Object.keys(V1).map(async (t) => [t, await scratch.table(t).toArray()])));
    scratch.close();

    const v1 = new Dexie(name);
    v1.version(1).stores(V1);
    await v1.transaction('rw', Object.keys(V1), async () => {
      for (const [t, rows] of Object.entries(tables)) await v1.table(t).bulkAdd(rows as object[]);
    });
    expect(v1.verno).toBe(1);
    v1.close();

    const db = openDb(name);
    await db.open();
    expect(db.verno).toBe(2);
    const key = await deviceKey(db);
    expect(await db.signers.toArray()).toEqual([{ fingerprint: key.fingerprint, spki: key.spki, source: 'device', added: key.created }]);
    expect((await readCapture(db, rec.id))!.record).toEqual(rec);
    expect(await db.captures.where('tsa_status').equals('pending').count()).toBe(0);
    const report = await verifyPackage((await buildPackage(db, { verifyHtml: await verifyHtmlBytes() })).bytes);
    expect(report.verdict).toBe('VERIFIED');
  });
});
