import 'fake-indexeddb/auto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { WARCRecord, WARCSerializer, WARC_1_1 } from 'warcio';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, type ExportProgress } from '../../utils/package/export';
import { buildWacz, cdxTimestamp, type WaczResult } from '../../utils/package/wacz';
import { buildWaczExport } from '../../utils/package/wacz-export';
import { fromBase64, fromUtf8 } from '../../utils/shared/encoding';
import type { CaptureRecord } from '../../utils/shared/types';
import { verifyPackage } from '../../utils/verify/verify';
import { readWacz, sha256, unzipWacz, WACZ_CHECKS, type WaczCheck, type WaczReading } from '../helpers/wacz-check';
import { waczFixture, type WaczFixture } from '../helpers/wacz-sample';
import { readLedger } from '../../utils/background/vault-data';
import { verifyHtmlBytes } from '../helpers/verify-html';

const CREATED = new Date('2026-11-29T13:00:00.000Z');
const SOFTWARE = { name: 'Cairn', version: '0.1.0' };

/** pages.jsonl as the WACZ spec and DESIGN.md section 5 say it must be, written out independently of the builder. */
function expectedPages(records: CaptureRecord[]): string {
  const lines = ['{"format":"json-pages-1.0","id":"pages","title":"All Pages"}'];
  for (const r of records) lines.push(JSON.stringify({ id: r.id, url: r.page_url, ts: r.captured_at, title: r.page_title }));
  return lines.join('\n') + '\n';
}

describe('evidence.wacz', () => {
  let fx: WaczFixture;
  let wacz: WaczResult;
  let read: WaczReading;
  let dir: string;

  beforeAll(async () => {
    fx = await waczFixture();
    wacz = await buildWacz({ captures: fx.captures, created: CREATED, software: SOFTWARE, title: 'Cairn evidence: test', cosigner: fx.cosigner });
    read = await readWacz(await unzipWacz(wacz.bytes), expectedPages(fx.records));
    dir = mkdtempSync(join(tmpdir(), 'cairn-wacz-'));
  });

  it('passes every check: record digests, CDX, pages, datapackage hashes, digest, both signatures', () => {
    expect(read.failed).toEqual({});
    // warcinfo; three page captures of 4 files + record; an item capture of 7 files + record.
    expect([wacz.records, wacz.pages]).toEqual([1 + 3 * 5 + 8, 4]);
  });

  it('is a ZIP of exactly the WACZ 1.1.1 files, every one stored (not deflated), that unzip accepts', () => {
    const path = join(dir, 'evidence.wacz');
    writeFileSync(path, wacz.bytes);
    expect(execFileSync('unzip', ['-t', path]).toString()).toMatch(/No errors detected/);
    const listing = execFileSync('unzip', ['-v', path]).toString().split('\n').filter((l) => /^\s*\d+\s+\S+\s+\d+\s+\d+%/.test(l));
    const entries = listing.map((l) => l.trim().split(/\s+/)).map((c) => [c[c.length - 1], c[1]]);
    expect(entries).toEqual([
      ['archive/data.warc', 'Stored'],
      ['indexes/index.cdx', 'Stored'],
      ['pages/pages.jsonl', 'Stored'],
      ['datapackage.json', 'Stored'],
      ['datapackage-digest.json', 'Stored'],
    ]);
  });

  it('holds warcinfo first, then per capture: the snapshot at the page URL, screenshot at urn:view:, text at urn:text:, the rest at urn:cairn:, and the sealed record as metadata', () => {
    const [r1, r2, r3, r4] = fx.records;
    const html = 'text/html; charset=utf-8';
    const txt = 'text/plain; charset=utf-8';
    const page = (r: CaptureRecord, url: string, extra: [string, string, string, string][] = []) => [
      ['resource', url, html, 'page.html'],
      ['resource', `urn:view:${url}`, 'image/png', 'screenshot.png'],
      ['resource', `urn:cairn:${r.id}/original.html`, html, 'original.html'],
      ['resource', `urn:text:${url}`, txt, 'text.txt'],
      ...extra,
      ['metadata', `metadata://capture/${r.id}.json`, 'application/json', '(record)'],
    ];
    const shape = read.records.map((r) => [r.type, r.target, r.contentType, r.headers['Cairn-Artefact-Name'] ?? (r.type === 'metadata' ? '(record)' : '-')]);
    expect(shape).toEqual([
      ['warcinfo', null, 'application/warc-fields', '-'],
      ...page(r1, 'http://127.0.0.1:8080/post/1'),
      ...page(r2, 'http://127.0.0.1:8080/post/1'),
      ...page(r3, 'https://social.example/@grey/113?ref=a&b=c'),
      // The fragment is never fetched, so the records sit at the URL without it (pages.jsonl keeps it).
      ...page(r4, 'https://social.example/@grey/114', [
        ['resource', `urn:cairn:${r4.id}/element.png`, 'image/png', 'element.png'],
        ['resource', `urn:cairn:${r4.id}/element.html`, html, 'element.html'],
        ['resource', `urn:cairn:${r4.id}/media/01.png`, 'image/png', 'media/01.png'],
      ]),
    ]);
  });

  it('dates every record of a capture at its capture time (ms), links them to the page record, and carries the sealed hashes', async () => {
    const info = read.records[0];
    expect(info.date).toBe('2026-11-29T13:00:00.000Z');
    expect(fromUtf8(info.payload)).toContain('software: Cairn 0.1.0\r\n');
    let i = 1;
    for (const [k, rec] of fx.records.entries()) {
      const mine = read.records.slice(i, i + rec.artefacts.length + 1);
      i += mine.length;
      expect(mine.every((r) => r.date === rec.captured_at)).toBe(true);
      expect(mine.every((r) => r.headers['Cairn-Capture-Id'] === rec.id)).toBe(true);
      expect(mine[0].concurrentTo).toBeNull();
      expect(mine.slice(1).every((r) => r.concurrentTo === mine[0].id)).toBe(true);
      expect(new Set(mine.map((r) => r.id)).size).toBe(mine.length);
      for (const r of mine.slice(0, -1)) {
        const a = rec.artefacts.find((x) => x.name === r.headers['Cairn-Artefact-Name'])!;
        expect(r.headers['Cairn-Artefact-Role']).toBe(a.role);
        // The WARC digest is the very hash sealed in the capture record.
        expect(r.payloadDigest).toBe(`sha256:${a.sha256}`);
        expect(Buffer.from(r.payload)).toEqual(Buffer.from(fx.captures[k].files.get(a.name)!));
      }
      const meta = mine[mine.length - 1];
      expect(meta.headers['Cairn-Record-SHA256']).toBe(rec.seal.record_sha256);
      expect(Buffer.from(meta.payload)).toEqual(Buffer.from(fx.captures[k].recordJson));
      expect(JSON.parse(fromUtf8(meta.payload))).toEqual(rec);
    }
    expect(i).toBe(read.records.length);
  });

  it('carries the same digests warcio itself computes (hash-wasm, in Node) for each record', async () => {
    for (const r of read.records.slice(1)) {
      const again = WARCRecord.create({ url: r.target!, date: r.date, type: r.type as 'resource' | 'metadata', warcVersion: WARC_1_1, warcHeaders: { 'Content-Type': r.contentType } }, [r.payload]);
      await new WARCSerializer(again).digestRecord();
      expect([again.warcPayloadDigest, again.warcBlockDigest]).toEqual([r.payloadDigest, r.blockDigest]);
    }
  });

  it('indexes every record but warcinfo in a plain CDXJ, sorted as `LC_ALL=C sort` sorts, with millisecond timestamps', () => {
    const cdx = read.files.get('indexes/index.cdx')!;
    const path = join(dir, 'index.cdx');
    writeFileSync(path, cdx);
    execFileSync('sort', ['-c', path], { env: { ...process.env, LC_ALL: 'C' } });
    const lines = fromUtf8(cdx).trim().split('\n');
    expect(lines).toHaveLength(read.records.length - 1);
    const [r1, r2] = fx.records;
    const keyTs = lines.map((l) => l.split(' ', 2).join(' '));
    expect(keyTs.slice(0, 2)).toEqual([`1,0,0,127:8080)/post/1 ${cdxTimestamp(r1.captured_at)}`, `1,0,0,127:8080)/post/1 ${cdxTimestamp(r2.captured_at)}`]);
    expect(cdxTimestamp(r1.captured_at)).toBe('20261129120001100');
    expect(cdxTimestamp(r2.captured_at)).toBe('20261129120001350');
    expect(keyTs).toContain(`example,social)/@grey/113?b=c&ref=a ${cdxTimestamp(fx.records[2].captured_at)}`);
    const first = JSON.parse(lines[0].slice(lines[0].indexOf('{')));
    expect(Object.keys(first)).toEqual(['url', 'mime', 'digest', 'length', 'offset', 'filename']);
  });

  it('lists one page per capture in pages.jsonl, header first, with the captured URL (fragment kept), time and title', () => {
    const text = fromUtf8(read.files.get('pages/pages.jsonl')!);
    expect(text).toBe(expectedPages(fx.records));
    expect(text.split('\n')[4]).toBe(`{"id":"${fx.records[3].id}","url":"https://social.example/@grey/114#reply-7","ts":"2026-11-29T12:00:10.000Z","title":"Post 4"}`);
  });

  it('describes itself in datapackage.json (WACZ 1.1.1, data-package) with each file\'s sha256 and size', () => {
    const dp = JSON.parse(fromUtf8(read.files.get('datapackage.json')!));
    const f = read.files;
    expect(dp).toEqual({
      profile: 'data-package',
      wacz_version: '1.1.1',
      title: 'Cairn evidence: test',
      description: expect.stringContaining('does not prove that the platform served this content'),
      created: '2026-11-29T13:00:00.000Z',
      software: 'Cairn 0.1.0',
      resources: ['archive/data.warc', 'indexes/index.cdx', 'pages/pages.jsonl'].map((path) => ({
        name: path.split('/')[1],
        path,
        hash: `sha256:${sha256(f.get(path)!)}`,
        bytes: f.get(path)!.byteLength,
      })),
    });
  });

  it('signs sha256:<hex of datapackage.json> anonymously with P-384 (raw r‖s), and co-signs it with the device key (openssl agrees)', async () => {
    const digest = JSON.parse(fromUtf8(read.files.get('datapackage-digest.json')!));
    const hash = `sha256:${sha256(read.files.get('datapackage.json')!)}`;
    expect(wacz.datapackageHash).toBe(hash);
    expect(digest).toEqual({
      path: 'datapackage.json',
      hash,
      signedData: { hash, signature: expect.any(String), publicKey: wacz.publicKey, created: '2026-11-29T13:00:00.000Z', software: 'Cairn 0.1.0' },
      cairnSignature: {
        hash,
        algorithm: 'ECDSA P-256 with SHA-256 over the UTF-8 bytes of "hash"; DER signature, base64',
        fingerprint: fx.cosigner.fingerprint,
        publicKey: fx.cosigner.publicKeyPem,
        signature: expect.any(String),
      },
    });
    expect(fromBase64(digest.signedData.signature)).toHaveLength(96);
    // The officer's way: openssl over the exact string, with the device's public key.
    writeFileSync(join(dir, 'signed.txt'), hash);
    writeFileSync(join(dir, 'device.pem'), digest.cairnSignature.publicKey);
    writeFileSync(join(dir, 'device.sig'), fromBase64(digest.cairnSignature.signature));
    const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', 'device.pem', '-signature', 'device.sig', 'signed.txt'], { cwd: dir }).toString();
    expect(out.trim()).toBe('Verified OK');
  });

  it('the README\'s steps for an officer (unzip, sha256sum, python3, openssl) verify the device co-signature', () => {
    const d = mkdtempSync(join(tmpdir(), 'cairn-wacz-officer-'));
    writeFileSync(join(d, 'evidence.wacz'), wacz.bytes);
    const steps = [
      'unzip -o -q evidence.wacz datapackage.json datapackage-digest.json',
      `printf 'sha256:%s' "$(sha256sum datapackage.json | cut -c1-64)" > signed.txt`,
      `python3 -c 'import json,base64; d=json.load(open("datapackage-digest.json"))["cairnSignature"]; open("key.pem","w").write(d["publicKey"]); open("sig.der","wb").write(base64.b64decode(d["signature"]))'`,
      'openssl dgst -sha256 -verify key.pem -signature sig.der signed.txt',
    ].join(' && ');
    expect(execFileSync('sh', ['-c', steps], { cwd: d }).toString().trim()).toBe('Verified OK');
  });

  describe('a flipped byte breaks exactly the check that covers it', () => {
    /** Flips the lowest bit of the byte `skip` bytes into the first `marker` of `name` (after `after`, when given). */
    const flip = (name: string, marker: string, skip = 0, after = '') => (files: Map<string, Uint8Array>) => {
      const b = files.get(name)!.slice();
      const from = after ? Buffer.from(b).indexOf(after) : 0;
      const found = Buffer.from(b).indexOf(marker, from);
      if (from < 0 || found < 0) throw new Error(`no "${marker}" in ${name}`);
      b[found + skip] ^= 0x01;
      files.set(name, b);
    };
    const cases: { what: string; change: (f: Map<string, Uint8Array>) => void; breaks: WaczCheck[] }[] = [
      { what: 'a byte of a snapshot inside data.warc', change: flip('archive/data.warc', 'Snapshot of post 3', 3), breaks: ['warc-digests', 'datapackage'] },
      { what: 'a byte of a screenshot inside data.warc', change: flip('archive/data.warc', 'IDAT', 6), breaks: ['warc-digests', 'datapackage'] },
      { what: 'a digit of an offset in index.cdx', change: flip('indexes/index.cdx', '"offset":"', 10), breaks: ['cdx', 'datapackage'] },
      { what: 'a letter of a title in pages.jsonl', change: flip('pages/pages.jsonl', 'Post 3'), breaks: ['pages', 'datapackage'] },
      { what: 'a letter of the title in datapackage.json', change: flip('datapackage.json', 'Cairn evidence'), breaks: ['digest', 'signature', 'cosignature'] },
      { what: 'a hex digit of a resource hash in datapackage.json', change: flip('datapackage.json', '"hash": "sha256:', 20), breaks: ['datapackage', 'digest', 'signature', 'cosignature'] },
      { what: 'the anonymous signature', change: flip('datapackage-digest.json', '"signature": "', 20), breaks: ['signature'] },
      { what: 'the device co-signature', change: flip('datapackage-digest.json', '"signature": "', 20, '"cairnSignature"'), breaks: ['cosignature'] },
      { what: 'the hash in datapackage-digest.json', change: flip('datapackage-digest.json', '"hash": "sha256:', 12), breaks: ['digest'] },
    ];
    it.each(cases)('$what → $breaks', async ({ change, breaks }) => {
      const files = await unzipWacz(wacz.bytes);
      change(files);
      const r = await readWacz(files, expectedPages(fx.records));
      expect(Object.keys(r.failed).sort()).toEqual([...breaks].sort());
      expect(WACZ_CHECKS.filter((c) => !breaks.includes(c)).every((c) => !(c in r.failed))).toBe(true);
    });
  });

  it('refuses to build from a stored blob that no longer matches its sealed hash, or a missing one, and says which', async () => {
    const [first, ...rest] = fx.captures;
    const damaged = new Map(first.files);
    const shot = damaged.get('screenshot.png')!.slice();
    shot[20] ^= 1;
    damaged.set('screenshot.png', shot);
    await expect(buildWacz({ captures: [{ ...first, files: damaged }, ...rest], created: CREATED, software: SOFTWARE, title: 't' })).rejects.toThrow(
      'The stored bytes of screenshot.png in capture 1 no longer match the hash sealed in its record.',
    );
    const missing = new Map(first.files);
    missing.delete('text.txt');
    await expect(buildWacz({ captures: [{ ...first, files: missing }], created: CREATED, software: SOFTWARE, title: 't' })).rejects.toThrow(
      'The bytes of text.txt in capture 1 are missing, so the WACZ cannot be made.',
    );
  });

  it('replays the rendered DOM at the page URL when a capture has no cleaned snapshot', async () => {
    const c = fx.captures[0];
    const rec: CaptureRecord = { ...c.record, artefacts: c.record.artefacts.filter((a) => a.name !== 'page.html') };
    const w = await buildWacz({ captures: [{ ...c, record: rec }], created: CREATED, software: SOFTWARE, title: 't' });
    const r = await readWacz(await unzipWacz(w.bytes), expectedPages([rec]));
    expect(r.failed).toEqual({ cosignature: 'no device co-signature' });
    expect(r.records.slice(1).map((x) => [x.target, x.headers['Cairn-Artefact-Name']])).toEqual([
      ['http://127.0.0.1:8080/post/1', 'original.html'],
      ['urn:view:http://127.0.0.1:8080/post/1', 'screenshot.png'],
      ['urn:text:http://127.0.0.1:8080/post/1', 'text.txt'],
      [`metadata://capture/${rec.id}.json`, undefined],
    ]);
  });
});

describe('evidence.wacz in the export package, and the WACZ-only export', () => {
  it('is in every package, listed in the manifest with its hash, holds the same record.json bytes, and the package still verifies', async () => {
    const fx = await waczFixture();
    const phases: ExportProgress[] = [];
    const pkg = await buildPackage(fx.db, { verifyHtml: await verifyHtmlBytes(), caseName: 'Test case', now: CREATED, toolVersion: '0.1.0', onProgress: (p) => phases.push(p) });
    expect(phases.filter((p) => p.phase === 'wacz').map((p) => p.done)).toEqual([0, 1, 2, 3, 4]);
    const zip = await JSZip.loadAsync(pkg.bytes);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    const inner = await zip.file('evidence.wacz')!.async('uint8array');
    expect(manifest.files.find((f: { path: string }) => f.path === 'evidence.wacz')).toEqual({
      path: 'evidence.wacz', sha256: sha256(inner), bytes: inner.byteLength, media_type: 'application/wacz',
    });
    expect(await zip.file('SHA256SUMS')!.async('string')).toContain(`${sha256(inner)}  evidence.wacz\n`);
    const read = await readWacz(await unzipWacz(inner), expectedPages(fx.records));
    expect(read.failed).toEqual({});
    for (const c of manifest.captures as { id: string; folder: string }[]) {
      const recordJson = await zip.file(`${c.folder}/record.json`)!.async('uint8array');
      const meta = read.records.find((r) => r.target === `metadata://capture/${c.id}.json`)!;
      expect(Buffer.from(meta.payload)).toEqual(Buffer.from(recordJson));
    }
    const digest = JSON.parse(fromUtf8(read.files.get('datapackage-digest.json')!));
    expect(digest.cairnSignature.fingerprint).toBe(manifest.signer.fingerprint);
    const report = await verifyPackage(pkg.bytes);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.verdict).toBe('VERIFIED');
  });

  it('exports the WACZ on its own as cairn-<case>-<date>.wacz and records the export, with the file\'s hash, in the ledger', async () => {
    const fx = await waczFixture();
    const ids = [fx.records[2].id, fx.records[0].id];
    const phases: string[] = [];
    const out = await buildWaczExport(fx.db, { captureIds: ids, caseName: 'Test case', now: CREATED, toolVersion: '0.1.0', onProgress: (p) => phases.push(p.phase) });
    expect(out.filename).toBe('cairn-test-case-2026-11-29.wacz');
    expect(out.captureCount).toBe(2);
    expect([...new Set(phases)]).toEqual(['collecting', 'hashing', 'wacz', 'done']);
    const picked = [fx.records[0], fx.records[2]];
    const read = await readWacz(await unzipWacz(out.bytes), expectedPages(picked));
    expect(read.failed).toEqual({});
    const last = (await readLedger(fx.db)).pop()!;
    const digest = JSON.parse(fromUtf8(read.files.get('datapackage-digest.json')!));
    expect([last.type, last.subject]).toEqual(['export', out.exportId]);
    expect(last.payload).toEqual({
      export_id: out.exportId,
      format: 'wacz',
      capture_ids: picked.map((r) => r.id),
      record_sha256s: picked.map((r) => r.seal.record_sha256),
      file_sha256: sha256(out.bytes),
      datapackage_hash: digest.hash,
      wacz_public_key: digest.signedData.publicKey,
    });
    await expect(buildWaczExport(fx.db, { captureIds: ['gone'] })).rejects.toThrow('Some selected captures no longer exist.');
  });
});
