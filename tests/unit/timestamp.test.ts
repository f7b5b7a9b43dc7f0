import 'fake-indexeddb/auto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type CairnDb } from '../../utils/background/db';
import { updateSettings } from '../../utils/background/settings';
import { storeCapture } from '../../utils/background/store';
import { acceptReply, buildRequest, requestTimestamp } from '../../utils/background/timestamp';
import { stampPending } from '../../utils/background/timestamp-queue';
import { buildPackage } from '../../utils/package/export';
import { fromHex } from '../../utils/shared/encoding';
import { sha256Hex } from '../../utils/shared/sha256';
import { formatSkew, inspectToken, skewMs } from '../../utils/verify/timestamp';
import { verifyPackage } from '../../utils/verify/verify';
import { formatReport } from '../../utils/verify/format-report';
import { sampleDraft } from '../helpers/sample';
import { rezip } from '../helpers/tamper';
import { createTestTsa, opensslGenTime, opensslTsVerify, type TestTsa } from '../helpers/tsa-server';
import { readCapture, readCaptures } from '../../utils/background/vault-data';
import { verifyHtmlBytes } from '../helpers/verify-html';

const TSA_SUBJECT = 'CN=Cairn Test TSA, O=Cairn tests';
const CA_SUBJECT = 'CN=Cairn Test Root CA, O=Cairn tests';

let tsa: TestTsa;
beforeAll(async () => {
  tsa = createTestTsa();
  await tsa.start();
});
afterAll(async () => {
  await tsa?.dispose();
});

function write(name: string, bytes: Uint8Array): string {
  const p = join(tsa.dir, name);
  writeFileSync(p, bytes);
  return p;
}

const chainText = (sha: string) =>
  `Signed by ${TSA_SUBJECT} (certificate SHA-256 ${sha}, for time stamping). It was issued by ${CA_SUBJECT}, whose certificate is not in the token or the package: check the chain with the authority's CA certificate (openssl ts -verify -CAfile, see VERIFY.txt).`;

describe('RFC 3161 request → local authority → token', () => {
  it('gets a token that openssl ts -verify accepts, and our check reads the same time', async () => {
    const hash = await sha256Hex('a capture record');
    const r = await requestTimestamp(tsa.url, fromHex(hash));
    if (!r.ok) throw new Error(r.error.message);
    const file = write('one.tsr', r.value.reply);
    expect(opensslTsVerify(['-digest', hash, '-in', file, '-CAfile', tsa.caFile])).toEqual({ code: 0, out: 'Verification: OK' });
    const genTime = opensslGenTime(file);
    expect(r.value.gen_time).toBe(genTime);
    const checked = await inspectToken(r.value.reply, fromHex(hash));
    expect(checked).toEqual({
      ok: true,
      value: {
        gen_time: genTime,
        serial: expect.stringMatching(/^[0-9a-f]+$/),
        policy: '1.3.6.1.4.1.4146.2.3.1.2',
        accuracy_ms: 1000,
        nonce: expect.stringMatching(/^[0-9a-f]{16}$/),
        tsa_name: TSA_SUBJECT,
        signer: { subject: TSA_SUBJECT, issuer: CA_SUBJECT, sha256: tsa.tsaCertSha256, not_before: expect.any(String), not_after: expect.any(String) },
        chain: chainText(tsa.tsaCertSha256),
        chain_to_root: false,
      },
    });
    // The bare token (inside the reply) checks the same, as openssl's -token_in does.
    expect((await inspectToken(r.value.token, fromHex(hash))).ok).toBe(true);
    expect(opensslTsVerify(['-digest', hash, '-in', write('one.tst', r.value.token), '-token_in', '-CAfile', tsa.caFile])).toEqual({ code: 0, out: 'Verification: OK' });
  });

  it('rejects a token for another hash', async () => {
    const hash = await sha256Hex('record A');
    const other = await sha256Hex('record B');
    const r = await requestTimestamp(tsa.url, fromHex(hash));
    if (!r.ok) throw new Error(r.error.message);
    expect(await inspectToken(r.value.reply, fromHex(other))).toEqual({
      ok: false,
      error: { code: 'tsa-wrong-hash', message: `the token covers the hash ${hash}, not ${other}` },
    });
    const openssl = opensslTsVerify(['-digest', other, '-in', write('a.tsr', r.value.reply), '-CAfile', tsa.caFile]);
    expect(openssl.code).toBe(1);
    expect(openssl.out).toMatch(/^Verification: FAILED/);
  });

  it('rejects a token with a flipped byte, in the signature or in the signed time', async () => {
    const hash = await sha256Hex('record C');
    const r = await requestTimestamp(tsa.url, fromHex(hash));
    if (!r.ok) throw new Error(r.error.message);
    // The signature value is the last thing in the token.
    const sig = r.value.reply.slice();
    sig[sig.length - 1] ^= 0x01;
    expect(await inspectToken(sig, fromHex(hash))).toEqual({
      ok: false,
      error: { code: 'tsa-bad-signature', message: "the authority's signature over the token does not match: the token was altered or was not made by that certificate" },
    });
    expect(opensslTsVerify(['-digest', hash, '-in', write('sig.tsr', sig), '-CAfile', tsa.caFile]).out).toMatch(/^Verification: FAILED/);
    // One digit of genTime (a GeneralizedTime, tag 0x18, "YYYYMMDDhhmmss[.f{1,3}]Z": openssl drops trailing zeros of the fraction).
    const time = r.value.reply.slice();
    const at = time.findIndex((b, i) => b === 0x18 && time[i + 1] >= 15 && time[i + 1] <= 19 && time[i + 2] === 0x32 && time[i + 3] === 0x30);
    expect(at).toBeGreaterThan(0);
    time[at + 2 + 13] = time[at + 2 + 13] === 0x30 ? 0x31 : 0x30; // a seconds digit
    expect(await inspectToken(time, fromHex(hash))).toEqual({
      ok: false,
      error: { code: 'tsa-bad-signature', message: 'the signed digest does not match the time-stamp content: the token was altered' },
    });
    expect(opensslTsVerify(['-digest', hash, '-in', write('time.tsr', time), '-CAfile', tsa.caFile]).out).toMatch(/^Verification: FAILED/);
  });

  it('refuses a reply that was not made for this request (another nonce)', async () => {
    const hash = fromHex(await sha256Hex('record D'));
    const sent = fromHex('0102030405060708');
    const res = await fetch(tsa.url, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: buildRequest(hash, sent).slice().buffer as ArrayBuffer });
    const reply = new Uint8Array(await res.arrayBuffer());
    expect((await acceptReply(reply, hash, sent)).ok).toBe(true);
    expect(await acceptReply(reply, hash, fromHex('0102030405060709'))).toEqual({
      ok: false,
      error: { code: 'tsa-mismatch', message: "The authority's token does not carry this request's nonce; it was not made for this request." },
    });
  });

  it('follows the chain to a root included in the token, and says that proves nothing alone', async () => {
    const withCa = createTestTsa({ includeCa: true });
    await withCa.start();
    try {
      const hash = await sha256Hex('record E');
      const r = await requestTimestamp(withCa.url, fromHex(hash));
      if (!r.ok) throw new Error(r.error.message);
      const caSha = execFileSync('openssl', ['x509', '-in', withCa.caFile, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' }).trim().replace(/^.*=/, '').replace(/:/g, '').toLowerCase();
      const c = await inspectToken(r.value.reply, fromHex(hash));
      expect(c.ok && c.value.chain_to_root).toBe(true);
      expect(c.ok && c.value.chain).toBe(
        `Signed by ${TSA_SUBJECT} (certificate SHA-256 ${withCa.tsaCertSha256}, for time stamping). It was issued by ${CA_SUBJECT} (signature checked). ${CA_SUBJECT} is a self-signed root (SHA-256 ${caSha}); it is included with the token, which proves nothing by itself: compare that fingerprint with the root the authority publishes.`,
      );
      // A root from another authority does not make the token check against it.
      expect(opensslTsVerify(['-digest', hash, '-in', write('e.tsr', r.value.reply), '-CAfile', tsa.caFile]).out).toMatch(/^Verification: FAILED/);
    } finally {
      await withCa.dispose();
    }
  });

  it('says plainly when the authority is unreachable or too slow', async () => {
    const hash = fromHex(await sha256Hex('record F'));
    const down = createTestTsa();
    await down.start();
    const url = down.url;
    await down.dispose();
    const r = await requestTimestamp(url, hash);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('tsa-unreachable');
    expect(!r.ok && r.error.message).toMatch(new RegExp(`^Could not reach the time-stamping authority at 127\\.0\\.0\\.1:${down.port} \\(offline, or the address is wrong\\): `));

    const silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', () => ok()));
    const port = (silent.address() as { port: number }).port;
    try {
      expect(await requestTimestamp(`http://127.0.0.1:${port}/tsr`, hash, { timeoutMs: 300 })).toEqual({
        ok: false,
        error: { code: 'tsa-timeout', message: `The time-stamping authority at 127.0.0.1:${port} did not answer within 0.3 seconds.` },
      });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((ok) => silent.close(() => ok()));
    }
    expect(await requestTimestamp('ftp://example.invalid/tsr', hash)).toEqual({ ok: false, error: { code: 'tsa-bad-url', message: 'The address must start with http:// or https://.' } });
  });

  it('reports the skew between the authority and the device clock', () => {
    expect(skewMs('2026-11-29T12:00:01.250Z', '2026-11-29T12:00:00.000Z')).toBe(1250);
    expect(formatSkew(1250)).toBe('+1.250 s');
    expect(skewMs('2026-11-29T11:59:59.980Z', '2026-11-29T12:00:00.000Z')).toBe(-20);
    expect(formatSkew(-20)).toBe('-0.020 s');
  });
});

/** Unzips a package into a fresh folder. */
function unzip(bytes: Uint8Array, name: string): string {
  const dir = join(tsa.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'pkg.zip'), bytes);
  execFileSync('unzip', ['-q', 'pkg.zip', '-d', 'x'], { cwd: dir });
  return join(dir, 'x');
}

/** Runs every `openssl ts -verify` command VERIFY.txt gives, exactly as written, with the authority's CA saved where it says. */
function runVerifyTxtCommands(dir: string, caFile: string): { command: string; out: string }[] {
  copyFileSync(caFile, join(dir, 'authority-ca.pem'));
  const commands = readFileSync(join(dir, 'VERIFY.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('openssl ts -verify '));
  // VERIFY.txt gives the export token's command "if it is present".
  return commands.map((command) => ({
    command,
    out: existsSync(join(dir, / -in (\S+)/.exec(command)![1])) ? execFileSync('sh', ['-c', command], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() : '(no such file)',
  }));
}

describe('captures with timestamps on: queue, export, verify', () => {
  let db: CairnDb;
  beforeAll(async () => {
    db = openDb(`t-${crypto.randomUUID()}`);
    await updateSettings(db, { timestamps: { enabled: true, authority_url: tsa.url } });
  });

  it('stores a capture pending, stamps it, exports record.tsr + manifest.json.sig.tsr, and every token verifies', async () => {
    const before = tsa.requests;
    const a = await storeCapture(db, sampleDraft(1));
    const b = await storeCapture(db, sampleDraft(2));
    const rowA = await db.captures.get(a.id);
    expect(rowA?.tsa).toEqual({ status: 'pending', authority_url: tsa.url, token: null, reply: null, gen_time: null, attempts: 0, last_error: null, last_attempt_at: null });
    expect(rowA?.tsa_status).toBe('pending');
    expect(tsa.requests).toBe(before); // storing never waits on the network

    const run = await stampPending(db, { gapMs: 0, first: [b.id] });
    expect(run).toEqual({ stamped: 2, pending: 0, error: null, max_attempts: 0 });
    expect(tsa.requests).toBe(before + 2);
    const rows = (await readCaptures(db)).sort((x, y) => x.seq - y.seq);
    expect(rows.map((r) => [r.tsa?.status, r.tsa_status, r.tsa?.attempts, r.tsa?.last_error])).toEqual([['stamped', 'stamped', 1, null], ['stamped', 'stamped', 1, null]]);
    // The sealed record never changes.
    expect(rows[0].record).toEqual(a);

    const pkg = await buildPackage(db, { verifyHtml: await verifyHtmlBytes(), now: new Date('2026-11-29T13:00:00Z') });
    expect(pkg.timestamp).toEqual({ status: 'stamped', authority_url: tsa.url, gen_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    const dir = unzip(pkg.bytes, 'stamped');
    const certFile = `tsa/${tsa.tsaCertSha256.slice(0, 16)}.pem`;
    expect(readdirSync(join(dir, 'captures/000001-page-page')).sort()).toEqual(['original.html', 'record.json', 'record.sig', 'record.tsr', 'screenshot.png', 'text.txt']);
    expect(readdirSync(join(dir, 'tsa'))).toEqual([certFile.slice(4)]);
    expect(readFileSync(join(dir, certFile), 'utf8')).toBe(readFileSync(tsa.tsaCertFile, 'utf8'));

    for (const [i, r] of rows.entries()) {
      const folder = `captures/00000${i + 1}-page-page`;
      const rec = JSON.parse(readFileSync(join(dir, folder, 'record.json'), 'utf8'));
      expect(rec.seal.timestamp).toEqual({ status: 'stamped', authority_url: tsa.url, gen_time: r.tsa!.gen_time, token: 'record.tsr' });
      expect(new Uint8Array(readFileSync(join(dir, folder, 'record.tsr')))).toEqual(r.tsa!.reply);
      expect(opensslTsVerify(['-digest', r.record.seal.record_sha256, '-in', `${folder}/record.tsr`, '-CAfile', tsa.caFile], dir)).toEqual({ code: 0, out: 'Verification: OK' });
      expect(opensslGenTime(join(dir, folder, 'record.tsr'))).toBe(r.tsa!.gen_time);
    }
    expect(opensslTsVerify(['-data', 'manifest.json.sig', '-in', 'manifest.json.sig.tsr', '-CAfile', tsa.caFile], dir)).toEqual({ code: 0, out: 'Verification: OK' });
    // SHA256SUMS covers the tokens too (the export token comes after the manifest, like the signature).
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' })).toContain('captures/000001-page-page/record.tsr: OK');

    const ran = runVerifyTxtCommands(dir, tsa.caFile);
    expect(ran.map((r) => r.command)).toEqual([
      `openssl ts -verify -digest ${rows[0].record.seal.record_sha256} -in captures/000001-page-page/record.tsr -CAfile authority-ca.pem`,
      `openssl ts -verify -digest ${rows[1].record.seal.record_sha256} -in captures/000002-page-page/record.tsr -CAfile authority-ca.pem`,
      'openssl ts -verify -data manifest.json.sig -in manifest.json.sig.tsr -CAfile authority-ca.pem',
    ]);
    expect(ran.map((r) => r.out)).toEqual(['Verification: OK', 'Verification: OK', 'Verification: OK']);

    const report = await verifyPackage(pkg.bytes);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.verdict).toBe('VERIFIED');
    const ts = report.checks.filter((c) => c.id === 'timestamp');
    const g = rows.map((r) => r.tsa!.gen_time!);
    expect(ts).toEqual([
      {
        id: 'timestamp', status: 'pass', file: 'captures/000001-page-page/record.tsr',
        detail: `Valid trusted timestamp over the record hash ${rows[0].record.seal.record_sha256}. Authority time ${g[0]} (±1000 ms). The device clock said 2026-11-29T12:00:01.000Z; authority minus device: ${formatSkew(Date.parse(g[0]) - Date.parse('2026-11-29T12:00:01.000Z'))}. ${chainText(tsa.tsaCertSha256)}`,
      },
      {
        id: 'timestamp', status: 'pass', file: 'captures/000002-page-page/record.tsr',
        detail: `Valid trusted timestamp over the record hash ${rows[1].record.seal.record_sha256}. Authority time ${g[1]} (±1000 ms). The device clock said 2026-11-29T12:00:02.000Z; authority minus device: ${formatSkew(Date.parse(g[1]) - Date.parse('2026-11-29T12:00:02.000Z'))}. ${chainText(tsa.tsaCertSha256)}`,
      },
      {
        id: 'timestamp', status: 'pass', file: 'manifest.json.sig.tsr',
        detail: `Valid trusted timestamp over manifest.json.sig: the signed package existed by then. Authority time ${pkg.timestamp.status === 'stamped' ? pkg.timestamp.gen_time : ''} (±1000 ms). The package says it was made 2026-11-29T13:00:00.000Z; authority minus device: ${formatSkew(Date.parse(pkg.timestamp.status === 'stamped' ? pkg.timestamp.gen_time : '') - Date.parse('2026-11-29T13:00:00.000Z'))}. ${chainText(tsa.tsaCertSha256)}`,
      },
    ]);
    expect(report.captures.map((c) => c.timestamp)).toEqual([
      { status: 'stamped', gen_time: g[0], skew_ms: Date.parse(g[0]) - Date.parse('2026-11-29T12:00:01.000Z') },
      { status: 'stamped', gen_time: g[1], skew_ms: Date.parse(g[1]) - Date.parse('2026-11-29T12:00:02.000Z') },
    ]);

    // Tampering: a flipped byte in a token fails the package and names the token file.
    const flipped = await rezip(pkg.bytes, (f) => {
      const t = f.get('captures/000002-page-page/record.tsr')!.slice();
      t[t.length - 1] ^= 1;
      f.set('captures/000002-page-page/record.tsr', t);
    });
    const bad = await verifyPackage(flipped);
    expect(bad.verdict).toBe('FAILED');
    expect(bad.checks.filter((c) => c.id === 'timestamp' && c.status === 'fail')).toEqual([
      {
        id: 'timestamp', status: 'fail', file: 'captures/000002-page-page/record.tsr',
        detail: "The trusted timestamp is not valid: the authority's signature over the token does not match: the token was altered or was not made by that certificate.",
      },
    ]);
    // Another capture's (valid) token in its place.
    const swapped = await rezip(pkg.bytes, (f) => f.set('captures/000002-page-page/record.tsr', f.get('captures/000001-page-page/record.tsr')!));
    const sw = await verifyPackage(swapped);
    expect(sw.checks.filter((c) => c.id === 'timestamp' && c.status === 'fail').map((c) => [c.file, c.detail])).toEqual([
      ['captures/000002-page-page/record.tsr', `The trusted timestamp is not valid: the token covers the hash ${rows[0].record.seal.record_sha256}, not ${rows[1].record.seal.record_sha256}.`],
    ]);
    expect(formatReport(sw)).toContain(`[FAIL] timestamp  captures/000002-page-page/record.tsr: The trusted timestamp is not valid: the token covers the hash`);
  });

  it('with the authority stopped: the capture is kept intact and pending with the error; the token arrives once it is back', async () => {
    const c = await storeCapture(db, sampleDraft(3));
    await tsa.stop();
    try {
      const run = await stampPending(db, { gapMs: 0, first: [c.id] });
      expect(run.stamped).toBe(0);
      expect(run.pending).toBe(1);
      expect(run.max_attempts).toBe(1);
      expect(run.error).toMatch(new RegExp(`^Could not reach the time-stamping authority at 127\\.0\\.0\\.1:${tsa.port} `));
      const row = await readCapture(db, c.id);
      expect(row?.record).toEqual(c);
      expect(row?.tsa_status).toBe('pending');
      expect(row?.tsa).toMatchObject({ status: 'pending', token: null, reply: null, gen_time: null, attempts: 1, last_error: run.error });

      // Export while the authority is down: complete, verified, and plain about what is missing.
      const pkg = await buildPackage(db, { verifyHtml: await verifyHtmlBytes(), timestampTimeoutMs: 2000 });
      expect(pkg.timestamp).toEqual({ status: 'failed', authority_url: tsa.url, error: expect.stringMatching(/^Could not reach the time-stamping authority/) });
      const dir = unzip(pkg.bytes, 'pending');
      expect(readdirSync(dir)).not.toContain('manifest.json.sig.tsr');
      // Signed again without the promise of an export token, and saying why.
      const manifestTs = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).timestamps;
      expect([manifestTs.export_token_requested, manifestTs.export_token_unavailable]).toEqual([false, `The authority did not answer at export: ${pkg.timestamp.status === 'failed' ? pkg.timestamp.error : ''}`]);
      const rec = JSON.parse(readFileSync(join(dir, 'captures/000003-page-page/record.json'), 'utf8'));
      expect(rec.seal.timestamp).toEqual({ status: 'pending', authority_url: tsa.url, attempts: 1, last_error: run.error, last_attempt_at: row!.tsa!.last_attempt_at });
      expect(readFileSync(join(dir, 'VERIFY.txt'), 'utf8')).toContain(
        '   This capture was still waiting for the authority when the package was made\n   (offline, or the authority did not answer), so only the device clock dates\n   it: capture 3.\n',
      );
      expect(runVerifyTxtCommands(dir, tsa.caFile).map((r) => r.out)).toEqual(['Verification: OK', 'Verification: OK', '(no such file)']);
      const report = await verifyPackage(pkg.bytes);
      expect(report.verdict).toBe('VERIFIED');
      expect(report.checks.filter((x) => x.id === 'timestamp').map((x) => [x.status, x.file])).toEqual([
        ['pass', 'captures/000001-page-page/record.tsr'],
        ['pass', 'captures/000002-page-page/record.tsr'],
        ['skip', 'captures/000003-page-page/record.json'],
      ]);
      expect(report.checks.find((x) => x.status === 'skip')?.detail).toBe(
        `Not yet witnessed: the trusted timestamp from ${tsa.url} was still pending when the package was made, so only the device clock (2026-11-29T12:00:03.000Z) dates this capture. The last attempt failed: ${run.error}`,
      );
    } finally {
      await tsa.start();
    }
    expect(tsa.running).toBe(true);
    const again = await stampPending(db, { gapMs: 0 });
    expect(again).toEqual({ stamped: 1, pending: 0, error: null, max_attempts: 0 });
    const row = await readCapture(db, c.id);
    expect(row?.tsa).toMatchObject({ status: 'stamped', attempts: 2, last_error: null });
    const dir = unzip((await buildPackage(db, { verifyHtml: await verifyHtmlBytes() })).bytes, 'after');
    expect(opensslTsVerify(['-digest', c.seal.record_sha256, '-in', 'captures/000003-page-page/record.tsr', '-CAfile', tsa.caFile], dir)).toEqual({ code: 0, out: 'Verification: OK' });
  });

  it('with timestamps off: nothing is queued, nothing is sent, the package has no timestamp parts', async () => {
    const off = openDb(`t-${crypto.randomUUID()}`);
    const before = tsa.requests;
    const c = await storeCapture(off, sampleDraft(4));
    expect((await off.captures.get(c.id))?.tsa).toBeUndefined();
    expect(await stampPending(off, { gapMs: 0 })).toEqual({ stamped: 0, pending: 0, error: null, max_attempts: 0 });
    const pkg = await buildPackage(off, { verifyHtml: await verifyHtmlBytes() });
    expect(pkg.timestamp).toEqual({ status: 'off' });
    expect(tsa.requests).toBe(before);
    const dir = unzip(pkg.bytes, 'off');
    expect(readFileSync(join(dir, 'VERIFY.txt'), 'utf8')).not.toContain('Trusted timestamps');
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).timestamps).toBeUndefined();
    const report = await verifyPackage(pkg.bytes);
    expect(report.verdict).toBe('VERIFIED');
    expect(report.checks.filter((x) => x.id === 'timestamp')).toEqual([]);
  });

});
