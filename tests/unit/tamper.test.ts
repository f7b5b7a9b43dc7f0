import 'fake-indexeddb/auto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../utils/background/db';
import { storeCapture } from '../../utils/background/store';
import { buildPackage } from '../../utils/package/export';
import { sampleDraft } from '../helpers/sample';
import { rezip, TAMPERINGS } from '../helpers/tamper';
import { verifyHtmlBytes } from '../helpers/verify-html';

const root = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'cairn-tamper-'));

function cli(file: string, ...extra: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/verify.ts'), file, ...extra], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the CLI verifier catches tampering', () => {
  let pkg: Uint8Array;
  beforeAll(async () => {
    const db = openDb(`t-${crypto.randomUUID()}`);
    for (let i = 1; i <= 3; i++) await storeCapture(db, sampleDraft(i));
    pkg = (await buildPackage(db, { verifyHtml: await verifyHtmlBytes() })).bytes;
  });

  it('exits 0 on the untouched package (and on a re-zipped but unchanged one)', async () => {
    writeFileSync(join(dir, 'good.zip'), pkg);
    const r = cli(join(dir, 'good.zip'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Verdict: VERIFIED\n/);
    writeFileSync(join(dir, 'rezipped.zip'), await rezip(pkg, () => {}));
    expect(cli(join(dir, 'rezipped.zip')).code).toBe(0);
  });

  for (const t of TAMPERINGS) {
    it(`exits 1 and names the file and check: ${t.name}`, async () => {
      const file = join(dir, `${t.name.replace(/\W+/g, '-')}.zip`);
      writeFileSync(file, await rezip(pkg, t.apply));
      const r = cli(file);
      expect(r.code, r.out).toBe(1);
      expect(r.out).toMatch(/^Verdict: FAILED\n/);
      expect(r.out).toMatch(t.expect);
    });
  }

  it('exits 2 on input that is not a package, with a plain message', () => {
    writeFileSync(join(dir, 'not.zip'), 'hello');
    const r = cli(join(dir, 'not.zip'));
    expect(r.code).toBe(2);
    expect(r.out).toContain('This file cannot be checked as a Cairn package: it is not a ZIP archive.');
    expect(cli(join(dir, 'missing.zip')).code).toBe(2);
  });

  it('--json gives the same verdict as data', () => {
    const r = cli(join(dir, 'good.zip'), '--json');
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('VERIFIED');
    expect(j.checks.map((c: { id: string }) => c.id)).toEqual(['archive', 'manifest', 'signers', 'signature', 'file', 'unlisted', 'sha256sums', 'ledger', 'record', 'completeness']);
  });
});
