import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { ROOT, type BrowserName, type Launched } from '../../scripts/lib/browsers';
import { serveStatic, type StaticServer } from '../../scripts/lib/server';
import { rezip, flipByte, firstMatching } from '../helpers/tamper';
import { captureViaPopup, cliVerify, exportFromVault, extensionDir, idbCounts, launch, openPopup, openVault, workDir, writePackage } from '../../scripts/lib/driver';

const BROWSERS: BrowserName[] = ['chromium', 'firefox'];

describe.each(BROWSERS)('%s: capture a page, keep it sealed, export it, verify it', (name) => {
  let l: Launched;
  let srv: StaticServer;
  let vault: Page;
  const dir = workDir(`e2e-${name}-`);

  beforeAll(async () => {
    srv = await serveStatic(join(ROOT, 'tests/fixtures/demo'));
    l = await launch(name);
  });
  afterAll(async () => {
    await l?.close();
    await srv?.close();
  });

  it('captures three demo pages from the toolbar popup', async () => {
    for (const path of ['/index.html', '/profile.html', '/conversation.html']) {
      const page = await l.browser.newPage();
      await page.goto(srv.origin + path, { waitUntil: 'load' });
      const r = await captureViaPopup(l, page);
      expect(r.text).toMatch(/^Saved as capture \d+\. Sealed: [0-9a-f]{16}…$/);
      expect(r.ok).toBe(true);
      await page.close();
    }
  });

  it('shows the captures in the vault, newest first, with screenshot, sandboxed snapshot and hashes', async () => {
    vault = await openVault(l);
    await vault.waitForFunction(() => document.querySelectorAll('#capture-list li').length === 3);
    const titles = await vault.$$eval('#capture-list li .title', (els) => els.map((e) => e.textContent));
    expect(titles).toEqual(['3. Messages with Grey Heron — Pebble', '2. Grey Heron (@grey_heron) — Pebble', '1. Pebble — home']);
    const fp = await vault.$eval('#fingerprint', (e) => e.textContent ?? '');
    expect(fp).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
    await vault.$eval('#capture-list li:last-child .title', (el) => (el as HTMLElement).click());
    await vault.waitForSelector('#artefacts tbody tr');
    const files = await vault.$$eval('#artefacts tbody tr td:first-child', (els) => els.map((e) => e.textContent));
    expect(files).toEqual(['screenshot.png', 'original.html', 'page.html', 'text.txt']);
    await vault.waitForFunction(() => {
      const img = document.querySelector('#screenshot') as HTMLImageElement | null;
      return !!img && img.complete && img.naturalWidth > 0;
    });
    expect(await vault.$eval('#snapshot-frame', (f) => f.getAttribute('sandbox'))).toBe('');
    await vault.goto('about:blank').catch(() => undefined);
  });

  it('leaves nothing behind when the tab is closed mid-capture', async () => {
    vault = await openVault(l);
    const before = await idbCounts(vault);
    const page = await l.browser.newPage();
    await page.goto(srv.origin + '/heavy.html', { waitUntil: 'load' });
    await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete));
    const popup = await openPopup(l, page);
    await popup.click('#capture-page');
    await new Promise((r) => setTimeout(r, 600));
    await page.close();
    // The background notices the closed tab and drops what it collected; give it time to finish either way.
    await new Promise((r) => setTimeout(r, 4000));
    if (name === 'firefox') {
      await popup.waitForSelector('.status.error', { timeout: 30_000 });
      expect(await popup.$eval('.status.error p', (e) => e.textContent)).toBe('The page was closed before the capture finished. Nothing was saved; please try again.');
      await popup.close();
    }
    expect(await idbCounts(vault)).toEqual(before);
    await vault.close();
  });

  let pkgPath = '';
  it('exports a package that unzip, sha256sum and openssl accept', async () => {
    vault = await openVault(l);
    const { bytes, filename } = await exportFromVault(vault);
    expect(filename).toMatch(/^cairn-export-\d{4}-\d{2}-\d{2}\.zip$/);
    pkgPath = writePackage(dir, filename, bytes);
    expect(execFileSync('unzip', ['-t', pkgPath], { encoding: 'utf8' })).toMatch(/No errors detected in compressed data/);
    const out = join(dir, 'unzipped');
    execFileSync('unzip', ['-q', pkgPath, '-d', out]);
    const sums = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' }).trim().split('\n');
    expect(sums.length).toBe(3 * 6 + 7); // 6 files per capture + ledger, signer-public-key.pem, keys/<fingerprint>.pem, VERIFY.txt, evidence.wacz, verify.html, manifest.json
    expect(sums).toContain('evidence.wacz: OK');
    // The offline verifier page in the package is the one the extension ships.
    expect(readFileSync(join(out, 'verify.html')).equals(readFileSync(join(extensionDir(name), 'verify.html')))).toBe(true);
    expect(sums.every((l2) => / OK$/.test(l2))).toBe(true);
    expect(execFileSync('openssl', ['dgst', '-sha256', '-verify', 'signer-public-key.pem', '-signature', 'manifest.json.sig', 'manifest.json'], { cwd: out, encoding: 'utf8' }).trim()).toBe('Verified OK');
    const page = readFileSync(join(out, 'captures/000001-page-page/page.html'), 'utf8');
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(page).not.toMatch(/<script/i);
    const record = JSON.parse(readFileSync(join(out, 'captures/000001-page-page/record.json'), 'utf8'));
    expect(record.page_url).toBe(`${srv.origin}/index.html`);
    expect(record.page_title).toBe('Pebble — home');
    expect(record.environment.browser).toBe(name === 'chromium' ? 'Chrome' : 'Firefox');
    expect(record.artefacts[0]).toMatchObject({ role: 'screenshot_viewport', name: 'screenshot.png', media_type: 'image/png', method: 'tabs.captureVisibleTab (PNG)' });
    expect(readFileSync(join(out, 'captures/000001-page-page/text.txt'), 'utf8')).toContain('I know which bus you take now. See you on Thursday.');
  });

  it('the CLI verifier passes the package and fails a tampered copy, naming the file', async () => {
    const good = cliVerify(pkgPath);
    expect(good.code).toBe(0);
    expect(good.out.split('\n')[0]).toBe('Verdict: VERIFIED');
    const bad = writePackage(dir, 'tampered.zip', await rezip(readFileSync(pkgPath), (f) => flipByte(f, firstMatching(f, /000002-page-page\/screenshot\.png$/))));
    const r = cliVerify(bad);
    expect(r.code).toBe(1);
    expect(r.out).toContain('[FAIL] file       captures/000002-page-page/screenshot.png: SHA-256 is');
  });

  it("the vault's verify page gives the same verdict", async () => {
    await vault.bringToFront();
    await vault.evaluate(() => (location.hash = '#/verify'));
    const input = await vault.waitForSelector('#verify-file');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(pkgPath);
    await vault.waitForSelector('#verdict');
    expect(await vault.$eval('#verdict', (e) => e.textContent)).toBe('VERIFIED');
  });

  it('deleting a capture leaves a tombstone, and the next export still verifies', async () => {
    await vault.bringToFront();
    await vault.evaluate(() => (location.hash = '#/captures'));
    await vault.waitForSelector('#capture-list li');
    // DOM clicks: a background-tab vault in headless Chromium sometimes has no layout for puppeteer's pointer click.
    const press = (sel: string) => vault.$eval(sel, (el) => (el as HTMLElement).click());
    await press('#capture-list li:first-child .title');
    await vault.waitForSelector('#delete-start');
    await press('#delete-start');
    await vault.waitForSelector('#delete-reason');
    await vault.type('#delete-reason', 'Captured by mistake');
    await vault.waitForSelector('#delete-confirm:not([disabled])');
    await press('#delete-confirm');
    await vault.waitForFunction(() => document.querySelectorAll('#capture-list li').length === 2);
    const { bytes } = await exportFromVault(vault);
    const p = writePackage(dir, 'after-delete.zip', bytes);
    const r = cliVerify(p);
    expect(r.code).toBe(0);
    const ledger = execFileSync('unzip', ['-p', p, 'ledger.jsonl'], { encoding: 'utf8' }).trim().split('\n').map((x) => JSON.parse(x));
    expect(ledger.map((e: { type: string }) => e.type)).toEqual(['capture', 'capture', 'capture', 'export', 'delete', 'export']);
    expect(ledger[4].payload.reason).toBe('Captured by mistake');
    expect(ledger[4].payload.capture_seq).toBe(3);
    afterDelete = p;
  });

  let afterDelete = '';
  it("an advocate's vault (a second profile) adds the verified package, and its own export verifies with both keys", async () => {
    const advocate = await launch(name);
    try {
      const v = await openVault(advocate, '#/verify');
      const input = await v.waitForSelector('#verify-file');
      await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(afterDelete);
      await v.waitForSelector('#import-package');
      expect(await v.$eval('#import-package', (e) => e.textContent)).toBe('Add these 2 captures to this vault');
      await v.$eval('#import-package', (el) => (el as HTMLElement).click());
      await v.waitForFunction(() => /^Added/.test(document.querySelector('#import-result')?.textContent ?? ''));
      expect(await v.$eval('#import-result', (e) => e.textContent)).toMatch(
        /^Added 2 captures\. They keep the seal of the device that made them \(key ([0-9A-F]{4} ){15}[0-9A-F]{4}\); this vault's ledger records the import\.$/,
      );
      await v.evaluate(() => (location.hash = '#/captures'));
      await v.waitForFunction(() => document.querySelectorAll('#capture-list li').length === 2);
      const { bytes } = await exportFromVault(v);
      const p = writePackage(dir, 'advocate.zip', bytes);
      const r = cliVerify(p);
      expect(r.out.split('\n')[0]).toBe('Verdict: VERIFIED');
      expect(r.code).toBe(0);
      const manifest = JSON.parse(execFileSync('unzip', ['-p', p, 'manifest.json'], { encoding: 'utf8' }));
      expect(manifest.signers.map((s: { source: string }) => s.source).sort()).toEqual(['device', 'import']);
      const victim = JSON.parse(execFileSync('unzip', ['-p', afterDelete, 'manifest.json'], { encoding: 'utf8' }));
      expect(manifest.captures.map((c: { record_sha256: string }) => c.record_sha256)).toEqual(victim.captures.map((c: { record_sha256: string }) => c.record_sha256));
      expect(manifest.captures.every((c: { signer_fingerprint: string }) => c.signer_fingerprint === victim.signer.fingerprint)).toBe(true);
    } finally {
      await advocate.close();
    }
  });
});
