import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { ROOT, type BrowserName, type Launched } from '../../scripts/lib/browsers';
import { captureViaPopup, cliVerify, exportFromVault, launch, openVault, workDir, writePackage } from '../../scripts/lib/driver';
import { serveStatic, type StaticServer } from '../../scripts/lib/server';
import { createTestTsa, opensslGenTime, opensslTsVerify, type TestTsa } from '../helpers/tsa-server';
import { ContextRecorder, describeRequests } from '../../scripts/lib/network-log';

/**
 * Trusted timestamps end to end, in the e2e build (which already holds host
 * access, so turning timestamps on grants the authority's origin without a
 * prompt): turn them on in the vault's settings, capture, wait for the token,
 * export, check every token with `openssl ts -verify` and the CLI verifier;
 * then stop the authority, capture (kept, pending, with the error), start it
 * again and press Retry now.
 */

const BROWSERS: BrowserName[] = ['chromium', 'firefox'];

interface TsaRow {
  seq: number;
  record_sha256: string;
  tsa_status: string | null;
  status: string | null;
  attempts: number;
  last_error: string | null;
  gen_time: string | null;
}

/** The timestamp state of every capture, read from the extension's own IndexedDB. */
function tsaRows(page: Page): Promise<TsaRow[]> {
  return page.evaluate(
    () =>
      new Promise<TsaRow[]>((resolve, reject) => {
        const req = indexedDB.open('cairn');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const all = req.result.transaction('captures').objectStore('captures').getAll();
          all.onsuccess = () => {
            req.result.close();
            type Row = { seq: number; tsa_status?: string; tsa?: { status: string; attempts: number; last_error: string | null; gen_time: string | null }; record: { seal: { record_sha256: string } } };
            resolve(
              (all.result as Row[])
                .map((r) => ({
                  seq: r.seq,
                  record_sha256: r.record.seal.record_sha256,
                  tsa_status: r.tsa_status ?? null,
                  status: r.tsa?.status ?? null,
                  attempts: r.tsa?.attempts ?? 0,
                  last_error: r.tsa?.last_error ?? null,
                  gen_time: r.tsa?.gen_time ?? null,
                }))
                .sort((a, b) => a.seq - b.seq),
            );
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

async function waitForRows(page: Page, ok: (rows: TsaRow[]) => boolean, what: string, timeoutMs = 30_000): Promise<TsaRow[]> {
  const until = Date.now() + timeoutMs;
  let rows: TsaRow[] = [];
  while (Date.now() < until) {
    rows = await tsaRows(page);
    if (ok(rows)) return rows;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; rows: ${JSON.stringify(rows)}`);
}

/** Unzips a package and runs every `openssl ts -verify` line of its VERIFY.txt exactly as written (the CA saved where it says). */
function verifyTxtCommands(dir: string, caFile: string): { command: string; out: string }[] {
  copyFileSync(caFile, join(dir, 'authority-ca.pem'));
  return readFileSync(join(dir, 'VERIFY.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('openssl ts -verify '))
    .map((command) => ({
      command,
      out: existsSync(join(dir, / -in (\S+)/.exec(command)![1]))
        ? execFileSync('sh', ['-c', command], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
        : '(no such file)',
    }));
}

describe.each(BROWSERS)('%s: trusted timestamps from a local RFC 3161 authority', (name) => {
  let l: Launched;
  let srv: StaticServer;
  let tsa: TestTsa;
  let vault: Page;
  const dir = workDir(`e2e-tsa-${name}-`);
  // Every request of the extension's own contexts (Chromium: the worker and each page, through the DevTools protocol).
  const rec = new ContextRecorder();

  beforeAll(async () => {
    tsa = createTestTsa();
    await tsa.start();
    srv = await serveStatic(join(ROOT, 'tests/fixtures/demo'));
    l = await launch(name, 'e2e', { beforeInstall: rec.beforeInstall });
    rec.bind(l);
  });
  afterAll(async () => {
    await rec.stop();
    await l?.close();
    await srv?.close();
    await tsa?.dispose();
  });

  /** A key press on a focused control: a real user gesture, which the permission request needs. */
  async function press(page: Page, selector: string): Promise<void> {
    await page.bringToFront();
    await page.$eval(selector, (el) => (el as HTMLElement).focus());
    await page.keyboard.press('Enter');
  }

  async function unzipInto(bytes: Uint8Array, label: string): Promise<{ zip: string; out: string }> {
    const zip = writePackage(dir, `${label}.zip`, bytes);
    const out = join(dir, label);
    execFileSync('unzip', ['-q', zip, '-d', out]);
    return { zip, out };
  }

  it('turns timestamps on through the settings page, after saying what is sent', async () => {
    vault = await openVault(l, '#/settings');
    await vault.waitForSelector('#tsa-enabled');
    expect(await vault.$eval('#tsa-enabled', (e) => [e.getAttribute('aria-checked'), e.textContent])).toEqual(['false', 'Timestamps: off']);
    expect(await vault.$eval('#tsa-privacy', (e) => e.textContent)).toContain('only each capture\'s hash');
    expect(await vault.$eval('#tsa-privacy', (e) => e.textContent)).toContain('your IP address');
    expect(await vault.$$eval('#tsa-suggestions option', (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([
      'https://freetsa.org/tsr', 'http://timestamp.digicert.com', 'http://timestamp.sectigo.com', 'http://timestamp.globalsign.com/tsa/r6advanced1', 'http://time.certum.pl',
    ]);
    expect(tsa.requests).toBe(0);
    await vault.bringToFront();
    await vault.$eval('#tsa-url', (e) => (e as HTMLInputElement).focus());
    await vault.keyboard.type(tsa.url);
    await press(vault, '#tsa-enabled');
    await vault.waitForSelector('#tsa-enabled[aria-checked="true"]', { timeout: 15_000 });
    expect(await vault.$eval('#tsa-note', (e) => e.textContent)).toBe(`Timestamps are on. Each new capture's hash will be sent to 127.0.0.1:${tsa.port} right after it is saved.`);
    expect(await vault.$eval('#tsa-counts', (e) => e.textContent)).toBe('0 captures witnessed, 0 waiting for a timestamp.');
    expect(tsa.requests).toBe(0);
  });

  it('a capture gets its token right after it is saved', async () => {
    const page = await l.browser.newPage();
    await page.goto(srv.origin + '/index.html', { waitUntil: 'load' });
    const r = await captureViaPopup(l, page);
    expect(r.ok).toBe(true);
    await page.close();
    const rows = await waitForRows(vault, (rs) => rs.length === 1 && rs[0].status === 'stamped', 'capture 1 to be stamped');
    expect(rows[0]).toMatchObject({ seq: 1, tsa_status: 'stamped', status: 'stamped', attempts: 1, last_error: null });
    expect(r.text).toBe(`Saved as capture 1. Sealed: ${rows[0].record_sha256.slice(0, 16)}…`);
    expect(tsa.requests).toBe(1);
    await vault.waitForFunction(() => document.querySelector('#tsa-counts')?.textContent === '1 capture witnessed, 0 waiting for a timestamp.');
    await vault.evaluate(() => (location.hash = '#/captures'));
    await vault.waitForSelector('#capture-list li');
    await vault.$eval('#capture-list li:first-child .title', (el) => (el as HTMLElement).click());
    await vault.waitForSelector('#tsa-status[data-status="stamped"]');
    expect(await vault.$eval('#tsa-status', (e) => e.textContent)).toContain(`Witnessed by 127.0.0.1:${tsa.port} at `);
    expect(await vault.$eval('#tsa-status', (e) => e.textContent)).toContain(`(${rows[0].gen_time} UTC)`);
  });

  it('exports record.tsr and manifest.json.sig.tsr; openssl ts -verify and the CLI verifier accept every token', async () => {
    await vault.evaluate(() => (location.hash = '#/captures'));
    const { bytes } = await exportFromVault(vault);
    expect(await vault.$eval('#export-timestamp', (e) => e.getAttribute('data-status'))).toBe('stamped');
    const { zip, out } = await unzipInto(bytes, 'stamped');
    const rows = await tsaRows(vault);
    expect(opensslTsVerify(['-digest', rows[0].record_sha256, '-in', 'captures/000001-page-page/record.tsr', '-CAfile', tsa.caFile], out)).toEqual({ code: 0, out: 'Verification: OK' });
    expect(opensslGenTime(join(out, 'captures/000001-page-page/record.tsr'))).toBe(rows[0].gen_time);
    expect(opensslTsVerify(['-data', 'manifest.json.sig', '-in', 'manifest.json.sig.tsr', '-CAfile', tsa.caFile], out)).toEqual({ code: 0, out: 'Verification: OK' });
    expect(readdirSync(join(out, 'tsa'))).toEqual([`${tsa.tsaCertSha256.slice(0, 16)}.pem`]);
    expect(verifyTxtCommands(out, tsa.caFile)).toEqual([
      { command: `openssl ts -verify -digest ${rows[0].record_sha256} -in captures/000001-page-page/record.tsr -CAfile authority-ca.pem`, out: 'Verification: OK' },
      { command: 'openssl ts -verify -data manifest.json.sig -in manifest.json.sig.tsr -CAfile authority-ca.pem', out: 'Verification: OK' },
    ]);
    const rec = JSON.parse(readFileSync(join(out, 'captures/000001-page-page/record.json'), 'utf8'));
    expect(rec.seal.timestamp).toEqual({ status: 'stamped', authority_url: tsa.url, gen_time: rows[0].gen_time, token: 'record.tsr' });
    const v = cliVerify(zip);
    expect(v.code).toBe(0);
    expect(v.out.split('\n')[0]).toBe('Verdict: VERIFIED');
    expect(v.out).toContain(`[ok  ] timestamp  captures/000001-page-page/record.tsr: Valid trusted timestamp over the record hash ${rows[0].record_sha256}. Authority time ${rows[0].gen_time} (±1000 ms). The device clock said ${rec.captured_at}; authority minus device: `);
    expect(v.out).toContain('[ok  ] timestamp  manifest.json.sig.tsr: Valid trusted timestamp over manifest.json.sig');
  });

  if (name === 'chromium')
    // Firefox does not report extension contexts' requests to automation (see scripts/lib/network-log.ts and tests/e2e/privacy.e2e.ts).
    it("with timestamps on, the extension's only network requests went to the configured authority", () => {
      const network = rec.extension().network;
      expect(rec.contexts.has(`service_worker ${l.extensionOrigin}/background.js`)).toBe(true);
      // Every request went to the authority: the capture's hash (from the worker) and the export's signature (from the
      // vault page). Chromium may report a worker's request more than once, so requests are compared as a set.
      expect([...new Set(describeRequests(network))]).toEqual([`POST ${tsa.url}`]);
      expect(new Set(network.map((r) => r.context.kind))).toEqual(new Set(['service_worker', 'page']));
      expect(tsa.requests).toBeGreaterThanOrEqual(2);
    });

  it('with the authority stopped, a capture is kept intact and pending with the error; the export still completes and says so', async () => {
    await tsa.stop();
    const page = await l.browser.newPage();
    await page.goto(srv.origin + '/profile.html', { waitUntil: 'load' });
    const r = await captureViaPopup(l, page);
    expect(r.ok).toBe(true);
    await page.close();
    const rows = await waitForRows(vault, (rs) => rs.length === 2 && rs[1].attempts >= 1, 'the failed attempt for capture 2');
    expect(rows[1]).toMatchObject({ seq: 2, tsa_status: 'pending', status: 'pending', gen_time: null });
    expect(rows[1].last_error).toMatch(new RegExp(`^Could not reach the time-stamping authority at 127\\.0\\.0\\.1:${tsa.port} \\(offline, or the address is wrong\\): `));
    expect(r.text).toBe(`Saved as capture 2. Sealed: ${rows[1].record_sha256.slice(0, 16)}…`);
    expect(rows[0].status).toBe('stamped');

    await vault.evaluate(() => (location.hash = '#/captures'));
    await vault.waitForFunction(() => document.querySelectorAll('#capture-list li').length === 2);
    await vault.$eval('#capture-list li:first-child .title', (el) => (el as HTMLElement).click());
    await vault.waitForSelector('#tsa-status[data-status="pending"] #tsa-error');
    expect(await vault.$eval('#tsa-error', (e) => e.textContent)).toBe(rows[1].last_error);

    await vault.evaluate(() => (location.hash = '#/captures'));
    const { bytes } = await exportFromVault(vault);
    expect(await vault.$eval('#export-timestamp', (e) => [e.getAttribute('data-status'), e.textContent])).toEqual([
      'failed',
      expect.stringMatching(/^This package has no export timestamp: the time-stamping authority could not witness it \(Could not reach the time-stamping authority at 127\.0\.0\.1:\d+ .*\)\. The package is complete and can still be checked/),
    ]);
    const { zip, out } = await unzipInto(bytes, 'pending');
    expect(existsSync(join(out, 'manifest.json.sig.tsr'))).toBe(false);
    expect(existsSync(join(out, 'captures/000002-page-page/record.tsr'))).toBe(false);
    const rec = JSON.parse(readFileSync(join(out, 'captures/000002-page-page/record.json'), 'utf8'));
    expect(rec.seal.timestamp).toMatchObject({ status: 'pending', authority_url: tsa.url, last_error: rows[1].last_error });
    expect(rec.seal.record_sha256).toBe(rows[1].record_sha256);
    const v = cliVerify(zip);
    expect(v.code).toBe(0);
    expect(v.out.split('\n')[0]).toBe('Verdict: VERIFIED');
    expect(v.out).toContain(`[skip] timestamp  captures/000002-page-page/record.json: Not yet witnessed: the trusted timestamp from ${tsa.url} was still pending when the package was made`);
  });

  it('once the authority is back, Retry now brings the token, and it verifies', async () => {
    await tsa.start();
    await vault.evaluate(() => (location.hash = '#/settings'));
    await vault.waitForSelector('#tsa-retry:not([disabled])');
    expect(await vault.$eval('#tsa-counts', (e) => e.textContent)).toContain('1 capture witnessed, 1 waiting for a timestamp.');
    await vault.$eval('#tsa-retry', (el) => (el as HTMLElement).click());
    await vault.waitForFunction(() => document.querySelector('#tsa-note')?.textContent === '1 timestamp received. None waiting.', { timeout: 30_000 });
    const rows = await tsaRows(vault);
    expect(rows.map((r) => [r.seq, r.status, r.tsa_status])).toEqual([[1, 'stamped', 'stamped'], [2, 'stamped', 'stamped']]);
    expect(rows[1].attempts).toBeGreaterThanOrEqual(2);
    await vault.waitForFunction(() => document.querySelector('#tsa-counts')?.textContent === '2 captures witnessed, 0 waiting for a timestamp.');

    await vault.evaluate(() => (location.hash = '#/captures'));
    const { bytes } = await exportFromVault(vault);
    const { zip, out } = await unzipInto(bytes, 'after-retry');
    for (const [i, folder] of ['captures/000001-page-page', 'captures/000002-page-page'].entries())
      expect(opensslTsVerify(['-digest', rows[i].record_sha256, '-in', `${folder}/record.tsr`, '-CAfile', tsa.caFile], out)).toEqual({ code: 0, out: 'Verification: OK' });
    expect(verifyTxtCommands(out, tsa.caFile).map((c) => c.out)).toEqual(['Verification: OK', 'Verification: OK', 'Verification: OK']);
    const v = cliVerify(zip);
    expect(v.code).toBe(0);
    expect(v.out.split('\n')[0]).toBe('Verdict: VERIFIED');
    expect(v.out.match(/\[ok {2}\] timestamp /g)?.length).toBe(3);
  });

  it('turning timestamps off stops all requests', async () => {
    await vault.evaluate(() => (location.hash = '#/settings'));
    // Turning off needs no permission, so no real gesture: a DOM click.
    await vault.waitForSelector('#tsa-enabled:not([disabled])');
    await vault.$eval('#tsa-enabled', (el) => (el as HTMLElement).click());
    await vault.waitForSelector('#tsa-enabled[aria-checked="false"]');
    expect(await vault.$eval('#tsa-note', (e) => e.textContent)).toBe('Timestamps are off. Nothing more will be sent.');
    const before = tsa.requests;
    const page = await l.browser.newPage();
    await page.goto(srv.origin + '/conversation.html', { waitUntil: 'load' });
    expect((await captureViaPopup(l, page)).ok).toBe(true);
    await page.close();
    const rows = await waitForRows(vault, (rs) => rs.length === 3, 'capture 3');
    expect(rows[2]).toMatchObject({ seq: 3, tsa_status: null, status: null });
    await new Promise((r) => setTimeout(r, 1000));
    expect(tsa.requests).toBe(before);
  });
});
