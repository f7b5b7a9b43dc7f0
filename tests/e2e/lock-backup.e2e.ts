import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { ROOT, type BrowserName, type Launched } from '../../scripts/lib/browsers';
import { serveStatic, type StaticServer } from '../../scripts/lib/server';
import { captureViaPopup, cliVerify, exportFromVault, fill, idbCounts, launch, linkBytes, openVault, press, rawIdbDump, workDir, writePackage } from '../../scripts/lib/driver';
import { BACKUP_ERROR_TEXT } from '../../utils/background/backup';
import { LOCK_ERROR_TEXT } from '../../utils/background/vault-lock';

const BROWSERS: BrowserName[] = ['chromium', 'firefox'];
const PASS = 'amber lantern over the quiet river';
const BACKUP_PASS = 'a different passphrase for the backup file';

/** The three served pages: what each capture holds that must never be readable while locked. */
const PAGES = [
  { path: '/zq81-amber.html', title: 'Lantern note A — Pebble', text: 'Marker A: the amber heron waits by gate 4417.' },
  { path: '/zq81-cobalt.html', title: 'Lantern note B — Pebble', text: 'Marker B: the cobalt heron watched your window at 5528.' },
  { path: '/zq81-ochre.html', title: 'Lantern note C — Pebble', text: 'Marker C: the ochre heron followed you past platform 6639.' },
];

function needles(origin: string): Record<string, string> {
  const out: Record<string, string> = {};
  PAGES.forEach((p, i) => {
    out[`url ${i}`] = origin + p.path;
    out[`path ${i}`] = p.path.slice(1, -5);
    out[`title ${i}`] = p.title;
    out[`title lower-cased ${i}`] = p.title.toLowerCase();
    out[`text ${i}`] = p.text;
    out[`text lower-cased ${i}`] = p.text.toLowerCase();
    out[`text words ${i}`] = p.text.split(': ')[1].split(' ').slice(1, 4).join(' ');
  });
  return out;
}

function found(hay: Buffer, needles: Record<string, string | Uint8Array>): string[] {
  return Object.entries(needles)
    .filter(([, n]) => hay.indexOf(typeof n === 'string' ? Buffer.from(n, 'utf8') : Buffer.from(n)) >= 0)
    .map(([k]) => k);
}

async function capture(l: Launched, url: string): Promise<string> {
  const page = await l.browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const r = await captureViaPopup(l, page);
  expect(r.text).toMatch(/^Saved as capture \d+\. Sealed: [0-9a-f]{16}…$/);
  await page.close();
  return r.text;
}

async function recordHashes(pkg: Buffer): Promise<{ seq: number; record_sha256: string; page_url: string }[]> {
  const manifest = JSON.parse(await (await JSZip.loadAsync(pkg)).file('manifest.json')!.async('string'));
  return manifest.captures.map((c: { seq: number; record_sha256: string; page_url: string }) => ({ seq: c.seq, record_sha256: c.record_sha256, page_url: c.page_url }));
}

describe.each(BROWSERS)('%s: passphrase lock, encryption at rest, encrypted backup and restore', (name) => {
  const other: BrowserName = name === 'chromium' ? 'firefox' : 'chromium';
  let l: Launched;
  let srv: StaticServer;
  let vault: Page;
  let lockedDump: Buffer;
  let hashes: { seq: number; record_sha256: string; page_url: string }[];
  let backupPath = '';
  const dir = workDir(`e2e-lock-${name}-`);

  beforeAll(async () => {
    srv = await serveStatic(join(ROOT, 'tests/fixtures/lock'));
    l = await launch(name);
  });
  afterAll(async () => {
    await l?.close();
    await srv?.close();
  });

  it('sets a passphrase in Settings: what was captured before is encrypted, with progress', async () => {
    await capture(l, srv.origin + PAGES[0].path);
    vault = await openVault(l, '#/settings');
    await vault.waitForSelector('#lock-settings');
    expect(await vault.$eval('#lock-settings', (e) => e.textContent ?? '')).toContain('There is no recovery.');
    await fill(vault, '#lock-new', PASS);
    await fill(vault, '#lock-confirm', PASS);
    await vault.waitForSelector('#lock-set:not([disabled])');
    await press(vault, '#lock-set');
    await vault.waitForSelector('#maintenance-done', { timeout: 60_000 });
    expect(await vault.$eval('#maintenance-done', (e) => e.textContent)).toBe('The vault is encrypted.');
    await vault.waitForSelector('#auto-lock-minutes');
    // The auto-lock setting reaches the background, which has the idle API it needs.
    await vault.select('#auto-lock-minutes', '5');
    await vault.waitForFunction(() => document.querySelector('#lock-settings-status')?.textContent?.includes('after 5 minutes without use'));
    expect(await vault.evaluate(() => {
      const g = globalThis as unknown as { browser?: { idle?: { setDetectionInterval?: unknown } }; chrome?: { idle?: { setDetectionInterval?: unknown } } };
      return typeof (g.browser ?? g.chrome)?.idle?.setDetectionInterval;
    })).toBe('function');
  });

  it('captures while unlocked and while locked; locked, the raw IndexedDB holds no captured text, address or title', async () => {
    await capture(l, srv.origin + PAGES[1].path);
    await vault.bringToFront();
    await vault.evaluate(() => (location.hash = '#/captures'));
    await vault.waitForFunction(() => document.querySelectorAll('#capture-list li').length === 2);
    await press(vault, '#lock-now');
    await vault.waitForSelector('#lock-screen');
    expect(await vault.$('#capture-list')).toBeNull();
    expect(await vault.$eval('#lock-screen', (e) => e.textContent ?? '')).toContain('There is no way to recover a forgotten passphrase');
    // Capturing keeps working while locked.
    await capture(l, srv.origin + PAGES[2].path);
    lockedDump = await rawIdbDump(vault);
    expect(lockedDump.byteLength).toBeGreaterThan(10_000);
    expect(await idbCounts(vault)).toMatchObject({ captures: 3, ledger: 3 });
    expect(found(lockedDump, needles(srv.origin))).toEqual([]);
    expect(found(lockedDump, { host: `127.0.0.1:${srv.port}`, pngBase64: 'iVBORw0KGgo' })).toEqual([]);
  });

  it('a wrong passphrase is refused in plain words and changes nothing', async () => {
    await fill(vault, '#unlock-passphrase', 'amber lantern over the quiet rivers');
    await press(vault, '#unlock');
    await vault.waitForSelector('#unlock-error');
    expect(await vault.$eval('#unlock-error', (e) => e.textContent)).toBe(LOCK_ERROR_TEXT['wrong-passphrase']);
    expect(LOCK_ERROR_TEXT['wrong-passphrase']).toBe('That passphrase is not right. Nothing was changed; please try again.');
    expect(await vault.$('#lock-screen')).not.toBeNull();
    expect((await rawIdbDump(vault)).equals(lockedDump)).toBe(true);
  });

  it('the right passphrase shows everything, and every capture verifies (the locked one too); no screenshot byte was readable while locked', async () => {
    await fill(vault, '#unlock-passphrase', PASS);
    await press(vault, '#unlock');
    await vault.waitForFunction(() => document.querySelectorAll('#capture-list li').length === 3, { timeout: 30_000 });
    const titles = await vault.$$eval('#capture-list li .title', (els) => els.map((e) => e.textContent));
    expect(titles).toEqual(PAGES.map((p, i) => `${i + 1}. ${p.title}`).reverse());
    // Search works in memory on encrypted records.
    await vault.type('input[type=search]', 'lantern note c');
    await vault.waitForFunction(() => document.querySelectorAll('#capture-list li').length === 1);
    await press(vault, '#capture-list li .title');
    await vault.waitForSelector('#artefacts tbody tr');
    await vault.waitForFunction(() => {
      const img = document.querySelector('#screenshot') as HTMLImageElement | null;
      return !!img && img.complete && img.naturalWidth > 0;
    });
    await vault.evaluate(() => (location.hash = '#/captures'));
    await vault.waitForSelector('#export');

    const { bytes } = await exportFromVault(vault);
    const pkgPath = writePackage(dir, 'after-unlock.zip', bytes);
    const v = cliVerify(pkgPath);
    expect(v.out.split('\n')[0]).toBe('Verdict: VERIFIED');
    expect(v.code).toBe(0);
    hashes = await recordHashes(bytes);
    expect(hashes.map((h) => [h.seq, h.page_url])).toEqual(PAGES.map((p, i) => [i + 1, srv.origin + p.path]));

    // The screenshots as exported: none of their bytes (nor the PNG signature) were in the locked database.
    const zip = await JSZip.loadAsync(bytes);
    const shots = await Promise.all(Object.values(zip.files).filter((f) => /\/screenshot\.png$/.test(f.name)).map((f) => f.async('uint8array')));
    expect(shots.length).toBe(3);
    const pngNeedles: Record<string, Uint8Array> = { 'PNG signature': shots[0].subarray(0, 8) };
    shots.forEach((s, i) => {
      expect(s.byteLength).toBeGreaterThan(1000);
      pngNeedles[`screenshot ${i} header`] = s.subarray(0, 33);
      pngNeedles[`screenshot ${i} middle`] = s.subarray(Math.floor(s.byteLength / 2), Math.floor(s.byteLength / 2) + 48);
      pngNeedles[`screenshot ${i} end`] = s.subarray(s.byteLength - 48);
    });
    expect(found(lockedDump, pngNeedles)).toEqual([]);
    const texts = await Promise.all(Object.values(zip.files).filter((f) => /\/text\.txt$/.test(f.name)).map((f) => f.async('string')));
    expect(texts.map((t) => t.includes('Marker'))).toEqual([true, true, true]);
  });

  it('makes an encrypted backup (PBKDF2 ≥ 600,000) that reveals nothing, and the lock message locks every open vault', async () => {
    await vault.evaluate(() => (location.hash = '#/settings'));
    await fill(vault, '#backup-pass', BACKUP_PASS);
    await fill(vault, '#backup-confirm', BACKUP_PASS);
    await vault.waitForSelector('#backup-make:not([disabled])');
    await press(vault, '#backup-make');
    const { bytes, filename } = await linkBytes(vault, '#backup-link');
    expect(filename).toMatch(/^cairn-backup-\d{4}-\d{2}-\d{2}\.cairnbak$/);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('CAIRNBAK');
    const header = JSON.parse(bytes.subarray(12, 12 + bytes.readUInt32BE(8)).toString('utf8'));
    expect(header.format).toBe('cairn-backup/1');
    expect(header.kdf.iterations).toBeGreaterThanOrEqual(600_000);
    expect(found(bytes, needles(srv.origin))).toEqual([]);
    expect(await vault.$eval('#last-backup', (e) => e.textContent ?? '')).toMatch(/^Last backup made /);
    backupPath = writePackage(dir, filename, bytes);

    // Quick exit and other code lock through the ui:lock message.
    const second = await openVault(l);
    await second.waitForSelector('#capture-list li');
    const r = await second.evaluate(async () => {
      const g = globalThis as unknown as { browser?: { runtime: { sendMessage(m: unknown): Promise<unknown> } }; chrome?: { runtime: { sendMessage(m: unknown): Promise<unknown> } } };
      return (g.browser ?? g.chrome)!.runtime.sendMessage({ cairn: 1, type: 'ui:lock', payload: {} });
    });
    expect(r).toEqual({ ok: true, value: { locked: true } });
    await second.waitForSelector('#lock-screen');
    await vault.waitForSelector('#lock-screen');
    await second.close();
  });

  it(`restores the backup into a fresh ${other} profile: a wrong passphrase changes nothing, then every capture verifies with the same record hashes`, async () => {
    await l.close();
    l = await launch(other);
    const fresh = await openVault(l, '#/settings');
    await fresh.waitForSelector('#restore-file');
    const input = await fresh.$('#restore-file');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(backupPath);
    await fill(fresh, '#restore-pass', 'not the backup passphrase');
    await fresh.waitForSelector('#restore-start:not([disabled])');
    await press(fresh, '#restore-start');
    await fresh.waitForSelector('#restore-error', { timeout: 60_000 });
    expect(await fresh.$eval('#restore-error', (e) => e.textContent)).toBe(BACKUP_ERROR_TEXT['wrong-passphrase']);
    expect(await idbCounts(fresh)).toEqual({ captures: 0, ledger: 0, blobs: 0 });

    await fill(fresh, '#restore-pass', BACKUP_PASS);
    await press(fresh, '#restore-start');
    await fresh.waitForSelector('#restore-result', { timeout: 120_000 });
    expect(await fresh.$eval('#restore-result', (e) => e.textContent ?? '')).toMatch(/^Restored 3 captures, 4 ledger entries, 0 diary entries and 0 notes and tags from the backup of /);
    expect(await idbCounts(fresh)).toMatchObject({ captures: 3, ledger: 5 });

    await fresh.evaluate(() => (location.hash = '#/captures'));
    await fresh.waitForFunction(() => document.querySelectorAll('#capture-list li').length === 3);
    await fresh.type('input[type=search]', 'lantern note b');
    await fresh.waitForFunction(() => document.querySelectorAll('#capture-list li').length === 1);
    expect(await fresh.$eval('#capture-list li .title', (e) => e.textContent)).toBe(`2. ${PAGES[1].title}`);
    const { bytes } = await exportFromVault(fresh);
    const pkgPath = writePackage(dir, 'restored.zip', bytes);
    const v = cliVerify(pkgPath);
    expect(v.out.split('\n')[0]).toBe('Verdict: VERIFIED');
    expect(v.code).toBe(0);
    expect(await recordHashes(bytes)).toEqual(hashes);
    const ledger = execFileSync('unzip', ['-p', pkgPath, 'ledger.jsonl'], { encoding: 'utf8' }).trim().split('\n').map((x) => JSON.parse(x));
    expect(ledger.map((e: { type: string }) => e.type)).toEqual(['capture', 'capture', 'capture', 'export', 'restore', 'export']);
    const restore = ledger[4];
    expect(restore.payload.backup_sha256).toBe(execFileSync('sha256sum', [backupPath], { encoding: 'utf8' }).split(' ')[0]);
    expect(restore.payload.restored).toMatchObject({ captures: 3, ledger: 4 });
    expect(restore.key_id).not.toBe(ledger[0].key_id);
    expect(restore.prev).toBe(ledger[3].hash);
    const manifest = JSON.parse(execFileSync('unzip', ['-p', pkgPath, 'manifest.json'], { encoding: 'utf8' }));
    expect(manifest.signers.find((x: { fingerprint: string }) => x.fingerprint === ledger[0].key_id)).toEqual({ fingerprint: ledger[0].key_id, public_key: `keys/${ledger[0].key_id}.pem`, source: 'restore' });
    expect(readFileSync(backupPath).byteLength).toBeGreaterThan(1000);
  });
});
