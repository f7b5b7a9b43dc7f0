import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/browsers';
import { cliVerify, workDir } from '../../scripts/lib/driver';

it('npm run demo -- --out DIR leaves one verified package in DIR and prints its path', () => {
  const out = join(workDir('demo-'), 'out');
  const r = spawnSync('npm', ['run', '--silent', 'demo', '--', '--out', out], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const files = readdirSync(out);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^cairn-export-\d{4}-\d{2}-\d{2}\.zip$/);
  expect(r.stdout.trim()).toBe(join(out, files[0]));
  const v = cliVerify(join(out, files[0]));
  expect(v.code).toBe(0);
  expect(v.out).toMatch(/^Verdict: VERIFIED\nVERIFIED: 3 captures, 24 files/);
});
