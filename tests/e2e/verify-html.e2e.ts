import 'fake-indexeddb/auto';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type BrowserName } from '../../scripts/lib/browsers';
import { extensionDir, workDir } from '../../scripts/lib/driver';
import { openDb } from '../../utils/background/db';
import { storeCapture } from '../../utils/background/store';
import { buildPackage } from '../../utils/package/export';
import { verifyFiles, verifyPackage, type VerifyReport } from '../../utils/verify/verify';
import { sampleDraft } from '../helpers/sample';
import { samplePackages, zipAll, type SamplePackage } from '../helpers/sample-packages';
import { chooseFolder, chooseZip, dropOnPage, launchOffline, openVerifyHtml, type OfflineBrowser, type PageResult } from '../helpers/verify-page';

/**
 * verify.html as the officer uses it: opened from the unzipped package folder
 * (a file:// URL) in Chromium and Firefox with every route to the network
 * closed, a package chosen through the page's own inputs. Its verdicts and
 * per-check results must be the verifier's (and so the CLI's) exactly.
 */

const BROWSERS: BrowserName[] = ['chromium', 'firefox'];

/** The verify.html the built extension ships, which is what goes into every package it exports. */
function shippedVerifyHtml(): Uint8Array {
  const file = join(extensionDir('chromium'), 'verify.html');
  if (!existsSync(file)) throw new Error(`${file} is missing: build the extension first (npx wxt build)`);
  return new Uint8Array(readFileSync(file));
}

function cliJson(file: string): { code: number | null; report: VerifyReport } {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/verify.ts'), file, '--json'], { encoding: 'utf8' });
  return { code: r.status, report: JSON.parse(r.stdout) as VerifyReport };
}

/** The report as the page shows it: every check (its file blank when it has none) and every capture's result. */
function asShown(r: VerifyReport) {
  return {
    verdict: r.verdict,
    summary: r.summary,
    fingerprint: r.fingerprint,
    checks: r.checks.map((c) => ({ id: c.id, status: c.status, file: c.file ?? '', detail: c.detail })),
    captures: r.captures.map((c) => ({ ok: c.ok, folder: c.folder, seq: c.seq === null ? '—' : String(c.seq) })),
  };
}

function shown(p: PageResult) {
  return {
    verdict: p.verdict,
    summary: p.summary,
    fingerprint: p.fingerprint,
    checks: p.checks,
    captures: p.captures.map((c) => ({ ok: c.ok, folder: c.cells.folder, seq: c.cells.seq })),
  };
}

const HOSTILE_NAME = 'captures/<img src=x onerror="document.title=\'pwned\'">.png';

describe.each(BROWSERS)('%s: verify.html from a file:// URL with the network closed', (name) => {
  const dir = workDir(`verify-html-${name}-`);
  let ob: OfflineBrowser;
  let page: Page;
  let errors: string[];
  let sample: SamplePackage;
  let pageUrl: string;
  const zips: Record<string, string> = {};

  beforeAll(async () => {
    const html = shippedVerifyHtml();
    [, sample] = await samplePackages(html);
    execFileSync('unzip', ['-q', '-o', writeZip('untouched', sample.bytes), '-d', join(dir, 'cairn-mixed-2026-11-29')]);
    const tampered = new Map(sample.files);
    const shot = [...tampered.keys()].find((p) => p.endsWith('000003-x-conversation/screenshot.png'))!;
    const b = tampered.get(shot)!.slice();
    b[b.length >> 1] ^= 0x10;
    tampered.set(shot, b);
    writeZip('tampered', await zipAll(tampered));
    writeZip('unsigned', await zipAll(new Map([...sample.files].filter(([p]) => p !== 'manifest.json.sig'))));
    writeZip('hostile', await zipAll(new Map(sample.files).set(HOSTILE_NAME, new Uint8Array([1, 2, 3]))));
    writeFileSync((zips.notzip = join(dir, 'notes.zip')), 'these are my notes, not a package');
    ob = await launchOffline(name);
    pageUrl = pathToFileURL(join(dir, 'cairn-mixed-2026-11-29', 'verify.html')).href;
    ({ page, errors } = await openVerifyHtml(ob, join(dir, 'cairn-mixed-2026-11-29', 'verify.html')));
  });
  afterAll(async () => {
    await ob?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function writeZip(label: string, bytes: Uint8Array): string {
    zips[label] = join(dir, `${label}.zip`);
    writeFileSync(zips[label], bytes);
    return zips[label];
  }

  it('opens from the unzipped folder and says which folder to choose', async () => {
    expect(await page.evaluate(() => [location.protocol, isSecureContext, !!crypto.subtle])).toEqual(['file:', true, true]);
    expect(await page.$eval('#from-folder', (e) => [(e as HTMLElement).hidden, e.textContent])).toEqual([
      false,
      'You opened this page from the folder “cairn-mixed-2026-11-29”. To check the package, choose that folder with Choose the unzipped folder… (it is the folder that holds this verify.html and manifest.json), or choose the original .zip file. If you opened this page straight from inside the ZIP without unzipping it, choose the .zip file.',
    ]);
    // Keyboard: the two choices are the first things Tab reaches.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('choose-zip');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('choose-folder');
  });

  it('verifies the untouched package: VERIFIED, with the same checks and captures as the verifier and the CLI', async () => {
    const expected = await verifyPackage(sample.bytes);
    expect(expected.verdict).toBe('VERIFIED');
    const cli = cliJson(zips.untouched);
    expect(cli.code).toBe(0);
    expect(cli.report).toEqual(expected);
    const got = await chooseZip(page, zips.untouched);
    expect(shown(got)).toEqual(asShown(expected));
    expect(got.fingerprintGroups.join(' ')).toBe(expected.fingerprint!.toUpperCase().match(/.{4}/g)!.join(' '));
    expect(got.facts['ZIP file']).toBe('untouched.zip');
    expect(got.facts['SHA-256 of the ZIP file']).toBe(execFileSync('sha256sum', [zips.untouched], { encoding: 'utf8' }).slice(0, 64));
    expect(got.facts['Export id']).toBe(expected.export_id);
    expect(got.facts['Package created']).toMatch(/^2026-11-29T15:02:00\.000Z \(.+\)$/);
    // Focus moves to the verdict, so a keyboard or screen-reader user lands on it.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('verdict');
  });

  it('fails a package with one changed byte in a screenshot, naming the file, exactly as the CLI does', async () => {
    const expected = await verifyPackage(new Uint8Array(readFileSync(zips.tampered)));
    const cli = cliJson(zips.tampered);
    expect([cli.code, cli.report]).toEqual([1, expected]);
    const got = await chooseZip(page, zips.tampered);
    expect(shown(got)).toEqual(asShown(expected));
    expect(got.verdict).toBe('FAILED');
    expect(got.checks.filter((c) => c.status === 'fail').map((c) => [c.id, c.file])).toEqual([
      ['file', 'captures/000003-x-conversation/screenshot.png'],
      ['record', 'captures/000003-x-conversation/screenshot.png'],
    ]);
    expect(got.captures.map((c) => c.ok)).toEqual([true, false, true]);
  });

  it('gives UNSIGNED for a package without its signature, and UNUSABLE for a file that is not a package', async () => {
    for (const [label, verdict, code] of [['unsigned', 'UNSIGNED', 1], ['notzip', 'UNUSABLE', 2]] as const) {
      const expected = await verifyPackage(new Uint8Array(readFileSync(zips[label])));
      expect(expected.verdict).toBe(verdict);
      const cli = cliJson(zips[label]);
      expect([cli.code, cli.report]).toEqual([code, expected]);
      expect(shown(await chooseZip(page, zips[label]))).toEqual(asShown(expected));
    }
  });

  it('shows a hostile file name as text: no element is made from it and nothing runs', async () => {
    const got = await chooseZip(page, zips.hostile);
    expect(got.verdict).toBe('FAILED');
    expect(got.checks.filter((c) => c.status === 'fail')).toEqual([
      { id: 'unlisted', status: 'fail', file: HOSTILE_NAME, detail: 'This file is in the package but not in the manifest: it was added after sealing.' },
    ]);
    expect(await page.evaluate(() => [document.querySelectorAll('img, script:not(head script), [onerror]').length, document.title])).toEqual([0, 'Check this Cairn evidence package']);
  });

  it('prints: the print button calls print, and the print stylesheet keeps the result and drops the choosers', async () => {
    await chooseZip(page, zips.untouched);
    await page.evaluate(() => {
      (window as unknown as { __printed: number }).__printed = 0;
      window.print = () => void (window as unknown as { __printed: number }).__printed++;
    });
    await page.focus('#print');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (window as unknown as { __printed: number }).__printed)).toBe(1);
    // The browser's own print path renders the page (to PDF here).
    const pdf = Buffer.from(await page.pdf({ format: 'A4' }));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    if (name === 'chromium') {
      // Media emulation needs CDP, which Firefox does not offer: the stylesheet is the same file in both.
      await page.emulateMediaType('print');
      const vis = await page.evaluate(() => ['#choose', '#status', '.actions', '#result', '#verdict', '#fingerprint', '#checks', '#captures'].map((s) => getComputedStyle(document.querySelector(s)!).display));
      await page.emulateMediaType();
      expect(vis.slice(0, 3)).toEqual(['none', 'none', 'none']);
      expect(vis.slice(3).every((d) => d !== 'none')).toBe(true);
    }
  });

  it('shows progress while it checks a large package', async () => {
    const db = openDb(`big-${crypto.randomUUID()}`);
    for (let i = 1; i <= 2; i++) {
      const d = sampleDraft(i);
      const big = new Uint8Array(40 * 1024 * 1024).fill(i);
      d.artefacts.push({ role: 'media', name: 'media/recording.bin', data: big, media_type: 'application/octet-stream', method: 'test', transformations: [] });
      await storeCapture(db, d);
    }
    const file = writeZip('big', (await buildPackage(db, { verifyHtml: shippedVerifyHtml() })).bytes);
    await page.evaluate(() => {
      const w = window as unknown as { __status: string[] };
      w.__status = [];
      const el = document.getElementById('status')!;
      new MutationObserver(() => w.__status.push(el.textContent ?? '')).observe(el, { childList: true, subtree: true, characterData: true });
    });
    const got = await chooseZip(page, file);
    expect(got.verdict).toBe('VERIFIED');
    const seen = await page.evaluate(() => (window as unknown as { __status: string[] }).__status.filter((t) => t !== ''));
    expect(seen[0]).toBe('Opening big.zip…');
    expect(seen[seen.length - 1]).toBe('Checked big.zip: VERIFIED.');
    // 80 MB of artefacts, and the same bytes again inside evidence.wacz.
    const steps = seen.filter((t) => /^Checking big\.zip: [\d.]+ (bytes|KB|MB) of (160|161) MB read and hashed \(\d+%\)…$/.test(t));
    expect(steps.length, seen.join('\n')).toBeGreaterThanOrEqual(2);
    expect(steps.some((t) => /\((\d|[1-9]\d)%\)/.test(t) && !/\(0%\)/.test(t)), seen.join('\n')).toBe(true);
  });

  if (name === 'chromium') {
    it('checks the unzipped folder too (a webkitdirectory input given the folder): same report as folder mode in Node', async () => {
      const folder = join(dir, 'cairn-mixed-2026-11-29');
      const files = [...sample.files].map(([path, b]) => ({ path, size: b.length, read: async () => b }));
      const expected = await verifyFiles(files);
      expect(expected.verdict).toBe('VERIFIED');
      const got = await chooseFolder(page, folder);
      expect(shown(got)).toEqual(asShown(expected));
      expect(got.facts.Folder).toBe('cairn-mixed-2026-11-29');
      // A copy of the folder with one file removed and one added.
      const copy = join(dir, 'copy', 'cairn-mixed-2026-11-29');
      cpSync(folder, copy, { recursive: true });
      rmSync(join(copy, 'captures/000002-x-post/text.txt'));
      writeFileSync(join(copy, 'captures/000002-x-post/extra.txt'), 'added later');
      const bad = await chooseFolder(page, copy);
      expect(bad.verdict).toBe('FAILED');
      expect(bad.checks.filter((c) => c.status === 'fail').map((c) => [c.id, c.file])).toEqual([
        ['file', 'captures/000002-x-post/text.txt'],
        ['unlisted', 'captures/000002-x-post/extra.txt'],
        ['record', 'captures/000002-x-post/text.txt'],
      ]);
    });

    it('takes a ZIP or a folder dropped on it', async () => {
      const z = await dropOnPage(page, zips.tampered);
      expect(shown(z)).toEqual(asShown(await verifyPackage(new Uint8Array(readFileSync(zips.tampered)))));
      expect(z.facts['ZIP file']).toBe('tampered.zip');
      const folder = join(dir, 'cairn-mixed-2026-11-29');
      const f = await dropOnPage(page, folder);
      expect(shown(f)).toEqual(asShown(await verifyFiles([...sample.files].map(([path, b]) => ({ path, size: b.length, read: async () => b })))));
      expect(f.facts.Folder).toBe('cairn-mixed-2026-11-29');
    });
  }
  // Firefox: WebDriver BiDi's input.setFiles refuses a directory ("File error: Is directory") and has no file
  // drop, so neither the folder input nor dropping can be driven there; the ZIP input is, above. Folder mode is
  // the same code, checked in Chromium and in Node.

  it('made no request beyond loading its own file, while the network is closed to anything that tries', async () => {
    expect(errors).toEqual([]);
    const own = ob.requests.filter((u) => u === pageUrl);
    expect(ob.requests.filter((u) => u !== pageUrl)).toEqual([]);
    // The browser reports requests (this one is refused by the closed network): so an empty list above means none were made.
    const probe = await ob.browser.newPage();
    const seen: string[] = [];
    probe.on('request', (r) => seen.push(r.url()));
    const failed = await probe.goto('http://cairn-probe.invalid/', { timeout: 15_000 }).then(
      () => false,
      () => true,
    );
    await probe.close();
    expect(failed).toBe(true);
    expect(seen).toEqual(['http://cairn-probe.invalid/']);
    expect(own.length).toBeLessThanOrEqual(1);
  });
});
