/**
 * npm run build:verify-html -- [--out FILE]
 * Builds verify.html (the offline verifier every package carries) on its own,
 * default .output/verify.html. The extension build makes it too (wxt.config.ts),
 * and tests build it on demand; this is for looking at it or using it by hand.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROOT } from './lib/browsers';
import { buildVerifyHtml } from './lib/verify-html';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--out');
  const out = resolve(i > 0 && process.argv[i + 1] ? process.argv[i + 1] : join(ROOT, '.output/verify.html'));
  const html = await buildVerifyHtml();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, html);
  process.stdout.write(`${out}\n`);
}

main().catch((e) => {
  process.stderr.write(`Could not build verify.html: ${(e as Error).message}\n`);
  process.exit(1);
});
