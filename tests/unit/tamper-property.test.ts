import 'fake-indexeddb/auto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { exitCode, formatReport } from '../../utils/verify/format-report';
import { verifyFiles, verifyPackage, type VerifyReport } from '../../utils/verify/verify';
import { samplePackages, zipAll, type SamplePackage } from '../helpers/sample-packages';
import { applyTampering, deletionVerdict, failedUnlessManifestUnreadable, fileKinds, sameFiles, tamperCase, TAMPER_KINDS, type Files, type TamperCase } from '../helpers/tamper-arb';
import type { Verdict } from '../../utils/verify/verify';
import { verifyHtmlBytes } from '../helpers/verify-html';

/**
 * The property (issue #4): every tampering of an exported package fails
 * verification with the exact verdict it deserves, and every untouched package
 * passes; the folder mode (verify.html's "choose the unzipped folder") gives the
 * same report as the ZIP mode; the CLI gives the same verdict and exit code.
 * verify.html in a real browser gets the same cases in tests/e2e/tamper-property.e2e.ts.
 */

const root = resolve(__dirname, '../..');
const RUNS = Number(process.env.CAIRN_TAMPER_RUNS ?? 300);
const dir = mkdtempSync(join(tmpdir(), 'cairn-tamper-prop-'));

let samples: SamplePackage[];

beforeAll(async () => {
  samples = await samplePackages(await verifyHtmlBytes());
}, 120_000);

function asFolder(files: Files) {
  return [...files].map(([path, b]) => ({ path, size: b.length, read: async () => b }));
}

/** The two modes differ only in how the first check describes the container. */
function sameChecks(a: VerifyReport, b: VerifyReport) {
  const norm = (r: VerifyReport) => ({ ...r, checks: r.checks.map((c) => (c.id === 'archive' && c.status === 'pass' ? { ...c, detail: '(container readable)' } : c)) });
  expect(norm(b)).toEqual(norm(a));
}

function cli(file: string) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/verify.ts'), file, '--json'], { encoding: 'utf8' });
  return { code: r.status, report: r.stdout ? (JSON.parse(r.stdout) as VerifyReport) : null, err: r.stderr };
}

describe('the sample packages', () => {
  it('hold every kind of file an export makes, and verify untouched (ZIP, re-zipped, folder, CLI)', async () => {
    expect(samples.map((s) => s.name)).toEqual(['pages', 'mixed', 'mixed-first', 'single', 'stamped']);
    // At least these; kinds the exporter adds later (a WACZ, timestamp tokens) are tampered with as they appear.
    const kinds = new Set(samples.flatMap((s) => [...fileKinds(s.files).keys()]));
    expect([...kinds].sort()).toEqual(expect.arrayContaining([
      'SHA256SUMS', 'VERIFY.txt',
      'capture:element.html', 'capture:element.png', 'capture:media/*', 'capture:original.html', 'capture:page.html', 'capture:record.json', 'capture:record.sig', 'capture:screenshot.png', 'capture:text.txt',
      'ledger.jsonl', 'manifest.json', 'manifest.json.sig', 'signer-public-key.pem', 'verify.html',
      'capture:record.tsr', 'manifest.json.sig.tsr', 'evidence.wacz',
    ]));
    const mixedLedger = new TextDecoder().decode(samples[1].files.get('ledger.jsonl')).trim().split('\n').map((l) => JSON.parse(l).type);
    expect(mixedLedger.filter((t) => ['capture', 'export', 'delete'].includes(t))).toEqual(['capture', 'capture', 'capture', 'capture', 'export', 'delete', 'export']);
    expect(samples[1].files.has('captures/000001-page-page/record.json')).toBe(false);
    expect(samples[2].files.has('captures/000001-page-page/record.json')).toBe(true);
    for (const s of samples) {
      const r = await verifyPackage(s.bytes);
      // The stamped sample holds one capture that was still waiting for its timestamp: reported, not failed.
      expect(r.checks.filter((c) => c.status !== 'pass').map((c) => [c.id, c.status, c.file]), s.name).toEqual(
        s.name === 'stamped' ? [['timestamp', 'skip', 'captures/000003-page-page/record.json']] : [],
      );
      expect(r.verdict).toBe('VERIFIED');
      expect(r.captures.every((c) => c.ok)).toBe(true);
      sameChecks(r, await verifyPackage(await zipAll(s.files)));
      sameChecks(r, await verifyFiles(asFolder(s.files)));
      const file = join(dir, `${s.name}.zip`);
      writeFileSync(file, s.bytes);
      const c = cli(file);
      expect(c.code).toBe(0);
      expect(c.report).toEqual(r);
    }
  });
});

describe('tampering', () => {
  it(`fails every tampered package with the verdict it deserves (${RUNS} random tamperings; ZIP, folder and CLI in-process)`, async () => {
    const seen = new Map<string, number>();
    const forCli: { c: TamperCase; zip: Uint8Array; report: VerifyReport }[] = [];
    await fc.assert(
      fc.asyncProperty(tamperCase(samples), async (c) => {
        const { files, expected } = await applyTampering(c);
        expect(sameFiles(files, c.sample.files), `the generator made no change: ${c.tampering.description}`).toBe(false);
        const zip = await zipAll(files);
        const report = await verifyPackage(zip);
        const why = `${c.sample.name}: ${c.tampering.description}\n${formatReport(report)}`;
        expect(report.verdict, why).toBe(expected);
        // FAILED always names the file: the officer is told what was changed.
        if (expected === 'FAILED') expect(report.checks.some((k) => k.status === 'fail' && !!k.file), why).toBe(true);
        // The CLI is a thin wrapper over the same report: its exit code and first line follow the verdict.
        expect(exitCode(report)).toBe(expected === 'UNUSABLE' ? 2 : 1);
        expect(formatReport(report).split('\n')[0]).toBe(`Verdict: ${expected}`);
        // Folder mode: the same checks on the same files.
        sameChecks(report, await verifyFiles(asFolder(files)));
        const k = c.tampering.kind;
        seen.set(k, (seen.get(k) ?? 0) + 1);
        // Keep the first two of each family for the spawned CLI below.
        if (forCli.filter((x) => x.c.tampering.kind === k).length < 2) forCli.push({ c, zip, report });
      }),
      { numRuns: RUNS, verbose: 1 },
    );
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
    // Every family was drawn (with 300 runs over 8 families, missing one has odds below 1e-15).
    expect([...seen.keys()].sort()).toEqual([...TAMPER_KINDS].sort());

    // The real CLI, spawned, on two of each family: same report, exit code 1 (2 when unusable).
    for (const [i, { c, zip, report }] of forCli.entries()) {
      const file = join(dir, `t-${i}.zip`);
      writeFileSync(file, zip);
      const r = cli(file);
      expect(r.code, c.tampering.description).toBe(exitCode(report));
      expect(r.report, c.tampering.description).toEqual(report);
    }
  }, 600_000);

  it('fails a byte flip, a truncation and a deletion of every kind of file in every sample (exhaustive over kinds)', async () => {
    let n = 0;
    for (const s of samples) {
      for (const [kind, paths] of fileKinds(s.files)) {
        const path = paths[paths.length - 1];
        const size = s.files.get(path)!.length;
        const content = (f: Files) => failedUnlessManifestUnreadable(f);
        const variants: [string, (f: Files) => void, (f: Files) => Verdict][] = [
          ['flip the middle byte', (f) => { const b = f.get(path)!.slice(); b[size >> 1] ^= 0x5a; f.set(path, b); }, content],
          ['flip the first byte', (f) => { const b = f.get(path)!.slice(); b[0] ^= 0x01; f.set(path, b); }, content],
          ['cut the last byte', (f) => void f.set(path, f.get(path)!.slice(0, size - 1)), content],
          ['delete', (f) => void f.delete(path), (f) => deletionVerdict(path, f)],
        ];
        for (const [name, apply, expected] of variants) {
          const files = new Map(s.files);
          apply(files);
          const r = await verifyPackage(await zipAll(files));
          expect(r.verdict, `${s.name}: ${name} of ${path} (${kind})\n${formatReport(r)}`).toBe(expected(files));
          n++;
        }
      }
    }
    expect(n).toBe(4 * samples.reduce((k, s) => k + fileKinds(s.files).size, 0));
  }, 300_000);
});
