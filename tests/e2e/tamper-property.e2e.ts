import 'fake-indexeddb/auto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionDir, workDir } from '../../scripts/lib/driver';
import { verifyPackage } from '../../utils/verify/verify';
import { samplePackages, zipAll, type SamplePackage } from '../helpers/sample-packages';
import { applyTampering, sameFiles, tamperCase, TAMPER_KINDS } from '../helpers/tamper-arb';
import { chooseZip, launchOffline, openVerifyHtml, type OfflineBrowser } from '../helpers/verify-page';

/**
 * The tampering property through verify.html in headless Chromium: the page
 * (the one the built extension puts in every package) is loaded once from a
 * file:// URL with the network closed, and each tampered package is chosen
 * through its file input. Its verdict and every check it shows must be the
 * verifier's, and the verdict the one the tampering deserves.
 * (tests/unit/tamper-property.test.ts runs the same generator through the
 * verifier in Node, its folder mode and the CLI.)
 */

const RUNS = Number(process.env.CAIRN_TAMPER_RUNS_BROWSER ?? 200);

describe('verify.html in Chromium fails every tampered package and passes every untouched one', () => {
  const dir = workDir('tamper-page-');
  let ob: OfflineBrowser;
  let page: Page;
  let errors: string[];
  let samples: SamplePackage[];

  beforeAll(async () => {
    const file = join(extensionDir('chromium'), 'verify.html');
    if (!existsSync(file)) throw new Error(`${file} is missing: build the extension first (npx wxt build)`);
    const html = new Uint8Array(readFileSync(file));
    samples = await samplePackages(html);
    writeFileSync(join(dir, 'verify.html'), html);
    ob = await launchOffline('chromium');
    ({ page, errors } = await openVerifyHtml(ob, join(dir, 'verify.html')));
  });
  afterAll(async () => {
    await ob?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes every untouched sample package', async () => {
    for (const s of samples) {
      const file = join(dir, `${s.name}.zip`);
      writeFileSync(file, s.bytes);
      const got = await chooseZip(page, file);
      // The stamped sample holds one capture still waiting for its timestamp: reported (skip), not failed.
      const notPassed = got.checks.filter((c) => c.status !== 'pass').map((c) => [c.id, c.status, c.file]);
      expect([s.name, got.verdict, notPassed]).toEqual([s.name, 'VERIFIED', s.name === 'stamped' ? [['timestamp', 'skip', 'captures/000003-page-page/record.json']] : []]);
    }
  });

  it(`fails ${RUNS} random tamperings with the verdict each deserves and the verifier's exact checks`, async () => {
    const seen = new Map<string, number>();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(tamperCase(samples), async (c) => {
        const { files, expected } = await applyTampering(c);
        expect(sameFiles(files, c.sample.files)).toBe(false);
        const zip = await zipAll(files);
        const file = join(dir, `t${n++ % 4}.zip`);
        writeFileSync(file, zip);
        const report = await verifyPackage(zip);
        const got = await chooseZip(page, file);
        const why = `${c.sample.name}: ${c.tampering.description}`;
        expect(got.verdict, why).toBe(expected);
        expect(got.verdict, why).toBe(report.verdict);
        expect(got.summary, why).toBe(report.summary);
        expect(got.checks, why).toEqual(report.checks.map((k) => ({ id: k.id, status: k.status, file: k.file ?? '', detail: k.detail })));
        expect(got.captures.map((k) => k.ok), why).toEqual(report.captures.map((k) => k.ok));
        seen.set(c.tampering.kind, (seen.get(c.tampering.kind) ?? 0) + 1);
      }),
      { numRuns: RUNS, verbose: 1 },
    );
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
    expect([...seen.keys()].sort()).toEqual([...TAMPER_KINDS].sort());
    expect(errors).toEqual([]);
    // Nothing but the page's own file was ever requested.
    expect(ob.requests.filter((u) => !u.endsWith('/verify.html'))).toEqual([]);
  }, 900_000);
});
