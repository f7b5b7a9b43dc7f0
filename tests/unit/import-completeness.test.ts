import 'fake-indexeddb/auto';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { openDb, type CairnDb } from '../../utils/background/db';
import { importPackage } from '../../utils/background/import';
import { deviceKey, signDer } from '../../utils/background/keys';
import { deleteCapture, storeCapture } from '../../utils/background/store';
import { buildPackage } from '../../utils/package/export';
import { fromUtf8, utf8 } from '../../utils/shared/encoding';
import { sha256Hex } from '../../utils/shared/sha256';
import { verifyPackage, type VerifyReport } from '../../utils/verify/verify';
import { sampleDraft } from '../helpers/sample';
import { flipByte, rezip } from '../helpers/tamper';
import { readCapture, readLedgerEntry } from '../../utils/background/vault-data';
import { verifyHtmlBytes } from '../helpers/verify-html';

const fresh = () => openDb(`t-${crypto.randomUUID()}`);
const fails = (r: VerifyReport) => r.checks.filter((c) => c.status === 'fail');
const check = (r: VerifyReport, id: string) => r.checks.filter((c) => c.id === id);

async function unzip(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, Uint8Array>();
  for (const f of Object.values(zip.files)) if (!f.dir) out.set(f.name, await f.async('uint8array'));
  return out;
}

/** Re-signs an edited manifest with the device key, as someone holding the device could: the ledger must still catch what was hidden. */
async function resign(db: CairnDb, files: Map<string, Uint8Array>, edit: (m: Record<string, unknown>) => void): Promise<void> {
  const m = JSON.parse(fromUtf8(files.get('manifest.json')!)) as Record<string, unknown>;
  edit(m);
  const bytes = utf8(JSON.stringify(m, null, 2) + '\n');
  files.set('manifest.json', bytes);
  files.set('manifest.json.sig', await signDer(await deviceKey(db), bytes));
  const sums = fromUtf8(files.get('SHA256SUMS')!).replace(/^[0-9a-f]{64}  manifest\.json$/m, `${await sha256Hex(bytes)}  manifest.json`);
  files.set('SHA256SUMS', utf8(sums));
}

describe('ledger completeness', () => {
  it('explains every absence: deletions by their tombstone, unselected captures by hash', async () => {
    const db = fresh();
    const a = await storeCapture(db, sampleDraft(1));
    const b = await storeCapture(db, sampleDraft(2));
    const c = await storeCapture(db, sampleDraft(3));
    await deleteCapture(db, a.id, 'Captured the wrong page');
    const pkg = await buildPackage(db, { verifyHtml: await verifyHtmlBytes(), captureIds: [c.id] });
    const manifest = JSON.parse(fromUtf8((await unzip(pkg.bytes)).get('manifest.json')!));
    expect(manifest.not_included).toEqual([{ ledger_seq: 2, capture_id: b.id, record_sha256: b.seal.record_sha256, why: 'not selected for this export' }]);
    const report = await verifyPackage(pkg.bytes);
    expect(fails(report)).toEqual([]);
    expect(report.verdict).toBe('VERIFIED');
    expect(check(report, 'completeness')).toEqual([
      {
        id: 'completeness',
        status: 'pass',
        file: 'ledger.jsonl',
        detail:
          'Every absence is explained. 1 of 3 captures in the ledger are in this package. 1 deleted with a recorded reason: entry 1 (deleted in entry 4: "Captured the wrong page"). 1 not selected for this export (listed by hash in the manifest): entry 2.',
      },
    ]);
  });

  it('names a capture the ledger records that the package leaves out without saying why, even when the manifest is re-signed', async () => {
    const db = fresh();
    await storeCapture(db, sampleDraft(1));
    const b = await storeCapture(db, sampleDraft(2));
    const pkg = await buildPackage(db, { verifyHtml: await verifyHtmlBytes(), captureIds: [b.id] });
    const files = await unzip(pkg.bytes);
    await resign(db, files, (m) => {
      m.not_included = [];
    });
    const report = await verifyPackage(await rezip(pkg.bytes, (f) => files.forEach((v, k) => f.set(k, v))));
    expect(report.verdict).toBe('FAILED');
    expect(fails(report)).toEqual([
      {
        id: 'completeness',
        status: 'fail',
        file: 'ledger.jsonl',
        detail: `The capture of ledger entry 1 (record ${(await readLedgerEntry(db, 1))!.payload.record_sha256}) is absent from this package and nothing explains why: no deletion is recorded and the manifest does not list it as not selected.`,
      },
    ]);
  });

  it('catches a capture dropped from a re-signed manifest through the ledger entry of the export', async () => {
    const db = fresh();
    const a = await storeCapture(db, sampleDraft(1));
    await storeCapture(db, sampleDraft(2));
    const pkg = await buildPackage(db, { verifyHtml: await verifyHtmlBytes() });
    const files = await unzip(pkg.bytes);
    await resign(db, files, (m) => {
      const caps = m.captures as { record_sha256: string }[];
      m.captures = caps.filter((x) => x.record_sha256 !== a.seal.record_sha256);
      m.not_included = [{ ledger_seq: 1, capture_id: a.id, record_sha256: a.seal.record_sha256, why: 'not selected for this export' }];
    });
    const report = await verifyPackage(await rezip(pkg.bytes, (f) => files.forEach((v, k) => f.set(k, v))));
    expect(report.verdict).toBe('FAILED');
    expect(fails(report).map((c) => [c.id, c.detail])).toEqual([
      ['completeness', "The ledger's entry for this export lists 2 captures; the package carries 1 other or different ones."],
    ]);
  });
});

describe('several signers in one package', () => {
  it("an advocate's package carries a victim's captures with their original seals, both keys, and verifies", async () => {
    const victim = fresh();
    const v1 = await storeCapture(victim, sampleDraft(1));
    const v2 = await storeCapture(victim, sampleDraft(2));
    const v3 = await storeCapture(victim, sampleDraft(3));
    await deleteCapture(victim, v3.id, 'Duplicate');
    const fromVictim = await buildPackage(victim, { verifyHtml: await verifyHtmlBytes() });
    const victimKey = await deviceKey(victim);

    const advocate = fresh();
    const own = await storeCapture(advocate, sampleDraft(10));
    const progress: number[] = [];
    const summary = await importPackage(advocate, fromVictim.bytes, (p) => progress.push(p.done));
    expect(summary).toEqual({ imported: 2, skipped: 0, signers: [victimKey.fingerprint], export_id: fromVictim.exportId });
    expect(progress).toEqual([0, 1, 2]);
    expect(await importPackage(advocate, fromVictim.bytes)).toEqual({ imported: 0, skipped: 2, signers: [], export_id: fromVictim.exportId });

    const imported = await readCapture(advocate, v1.id);
    expect(imported!.record).toEqual(v1);
    expect(imported!.seq).toBe(2);
    const entry = (await readLedgerEntry(advocate, 2))!;
    expect(entry.type).toBe('import');
    expect(entry.payload).toEqual({
      capture_id: v1.id,
      capture_seq: 2,
      record_sha256: v1.seal.record_sha256,
      signer_fingerprint: victimKey.fingerprint,
      source_export_id: fromVictim.exportId,
      source_capture_seq: 1,
      platform: 'page',
      kind: 'page',
    });

    const pkg = await buildPackage(advocate, { verifyHtml: await verifyHtmlBytes() });
    const files = await unzip(pkg.bytes);
    const advocateKey = await deviceKey(advocate);
    const manifest = JSON.parse(fromUtf8(files.get('manifest.json')!));
    expect(manifest.signers).toEqual(
      [
        { fingerprint: advocateKey.fingerprint, public_key: `keys/${advocateKey.fingerprint}.pem`, source: 'device' },
        { fingerprint: victimKey.fingerprint, public_key: `keys/${victimKey.fingerprint}.pem`, source: 'import' },
      ].sort((x, y) => (x.fingerprint < y.fingerprint ? -1 : 1)),
    );
    expect(fromUtf8(files.get(`keys/${victimKey.fingerprint}.pem`)!)).toBe(victimKey.pem);
    // The victim's signature travels unchanged.
    const victimFiles = await unzip(fromVictim.bytes);
    expect(files.get('captures/000002-page-page/record.sig')).toEqual(victimFiles.get('captures/000001-page-page/record.sig'));
    expect(manifest.captures.map((c: { seq: number; signer_fingerprint: string }) => [c.seq, c.signer_fingerprint])).toEqual([
      [own.seq, advocateKey.fingerprint],
      [1, victimKey.fingerprint],
      [2, victimKey.fingerprint],
    ]);

    const report = await verifyPackage(pkg.bytes);
    expect(fails(report)).toEqual([]);
    expect(report.verdict).toBe('VERIFIED');
    expect(report.captures.map((c) => c.ok)).toEqual([true, true, true]);
    expect(report.captures.map((c) => c.record_sha256)).toEqual([own.seal.record_sha256, v1.seal.record_sha256, v2.seal.record_sha256]);
  });

  it('a key file that does not match the fingerprint the manifest gives it fails the package', async () => {
    const victim = fresh();
    await storeCapture(victim, sampleDraft(1));
    const advocate = fresh();
    await importPackage(advocate, (await buildPackage(victim, { verifyHtml: await verifyHtmlBytes() })).bytes);
    const pkg = await buildPackage(advocate, { verifyHtml: await verifyHtmlBytes() });
    const victimFp = (await deviceKey(victim)).fingerprint;
    const advocateFp = (await deviceKey(advocate)).fingerprint;
    const swapped = await rezip(pkg.bytes, (f) => f.set(`keys/${victimFp}.pem`, f.get(`keys/${advocateFp}.pem`)!));
    const report = await verifyPackage(swapped);
    expect(report.verdict).toBe('FAILED');
    expect(fails(report).find((c) => c.id === 'signers')).toEqual({
      id: 'signers',
      status: 'fail',
      file: `keys/${victimFp}.pem`,
      detail: `This key's fingerprint is ${advocateFp}, not ${victimFp} as the manifest says.`,
    });
  });

  it('refuses a package that does not verify, and changes nothing', async () => {
    const victim = fresh();
    await storeCapture(victim, sampleDraft(1));
    const bad = await rezip((await buildPackage(victim, { verifyHtml: await verifyHtmlBytes() })).bytes, (f) => flipByte(f, 'captures/000001-page-page/screenshot.png'));
    const advocate = fresh();
    await storeCapture(advocate, sampleDraft(5));
    await expect(importPackage(advocate, bad)).rejects.toThrow(
      /^This package did not verify \(FAILED\), so nothing was imported\. FAILED: \d+ check\(s\) failed, first: captures\/000001-page-page\/screenshot\.png: SHA-256/,
    );
    expect([await advocate.captures.count(), await advocate.ledger.count(), await advocate.signers.count()]).toEqual([1, 1, 1]);
  });
});
