import 'fake-indexeddb/auto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../utils/background/db';
import { deleteCapture, storeCapture } from '../../utils/background/store';
import { buildPackage } from '../../utils/package/export';
import { verifyPackage } from '../../utils/verify/verify';
import { sampleDraft } from '../helpers/sample';
import { verifyHtmlBytes } from '../helpers/verify-html';

describe('store → export → verify', () => {
  it('exports a package that sha256sum, openssl and unzip accept, and the verifier passes', async () => {
    const db = openDb(`t-${crypto.randomUUID()}`);
    const a = await storeCapture(db, sampleDraft(1));
    const b = await storeCapture(db, sampleDraft(2));
    expect([a.seq, b.seq]).toEqual([1, 2]);
    expect(a.seal.ledger_seq).toBe(1);
    const pkg = await buildPackage(db, { caseName: 'Test case', now: new Date('2026-11-29T13:00:00Z'), verifyHtml: await verifyHtmlBytes() });
    expect(pkg.filename).toBe('cairn-test-case-2026-11-29.zip');
    const dir = mkdtempSync(join(tmpdir(), 'cairn-pkg-'));
    const zipPath = join(dir, pkg.filename);
    writeFileSync(zipPath, pkg.bytes);
    execFileSync('unzip', ['-q', zipPath, '-d', join(dir, 'x')]);
    expect(execFileSync('unzip', ['-t', zipPath]).toString()).toMatch(/No errors detected/);
    const sums = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: join(dir, 'x') }).toString();
    expect(sums.trim().split('\n').every((l) => l.endsWith(': OK'))).toBe(true);
    expect(sums).toContain('captures/000002-page-page/screenshot.png: OK');
    expect(sums).toContain('verify.html: OK');
    expect(readFileSync(join(dir, 'x', 'verify.html'))).toEqual(Buffer.from(await verifyHtmlBytes()));
    expect(readFileSync(join(dir, 'x', 'VERIFY.txt'), 'utf8')).toContain('open verify.html in any current\nbrowser');
    const ossl = execFileSync('openssl', ['dgst', '-sha256', '-verify', 'signer-public-key.pem', '-signature', 'manifest.json.sig', 'manifest.json'], { cwd: join(dir, 'x') }).toString();
    expect(ossl.trim()).toBe('Verified OK');
    const report = await verifyPackage(pkg.bytes);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.verdict).toBe('VERIFIED');
    expect(report.captures.map((c) => [c.seq, c.ok])).toEqual([[1, true], [2, true]]);
  });

  it('a write that throws mid-transaction leaves no capture, no blob, no ledger entry', async () => {
    const db = openDb(`t-${crypto.randomUUID()}`);
    await storeCapture(db, sampleDraft(1));
    await expect(
      storeCapture(db, sampleDraft(2), { beforeCommit: () => { throw new Error('disk full'); } }),
    ).rejects.toThrow('disk full');
    expect(await db.captures.count()).toBe(1);
    expect(await db.ledger.count()).toBe(1);
    expect((await db.blobs.toArray()).map((b) => b.refs).sort()).toEqual([1, 1, 1]);
    const c = await storeCapture(db, sampleDraft(3));
    expect([c.seq, c.seal.ledger_seq]).toEqual([2, 2]);
    const report = await verifyPackage((await buildPackage(db, { verifyHtml: await verifyHtmlBytes() })).bytes);
    expect(report.verdict).toBe('VERIFIED');
  });

  it('deletion leaves a tombstone in the ledger and the package still verifies', async () => {
    const db = openDb(`t-${crypto.randomUUID()}`);
    const a = await storeCapture(db, sampleDraft(1));
    await storeCapture(db, sampleDraft(2));
    await expect(deleteCapture(db, a.id, '  ')).rejects.toThrow(/reason/);
    const t = await deleteCapture(db, a.id, 'Captured the wrong page');
    expect(t.type).toBe('delete');
    expect(t.payload).toEqual({ capture_id: a.id, capture_seq: 1, record_sha256: a.seal.record_sha256, reason: 'Captured the wrong page' });
    expect(await db.captures.count()).toBe(1);
    const report = await verifyPackage((await buildPackage(db, { verifyHtml: await verifyHtmlBytes() })).bytes);
    expect(report.verdict).toBe('VERIFIED');
    expect(report.captures.map((c) => c.seq)).toEqual([2]);
  });
});
