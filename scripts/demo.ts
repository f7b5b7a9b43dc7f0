/**
 * npm run demo -- --out DIR
 * Drives the real built extension in headless Chromium: captures the local
 * demo pages through the toolbar popup, exports a package from the vault,
 * verifies it and prints its path.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './lib/browsers';
import { buildChrome } from './lib/build';
import { captureViaPopup, exportFromVault, launch, openVault } from './lib/driver';
import { serveStatic } from './lib/server';
import { verifyPackage } from '../utils/verify/verify';

export async function runDemo(outDir: string, opts: { build?: boolean; log?: (s: string) => void } = {}): Promise<string> {
  const log = opts.log ?? ((s: string) => process.stderr.write(s + '\n'));
  if (opts.build !== false) buildChrome();
  const srv = await serveStatic(join(ROOT, 'tests/fixtures/demo'));
  const l = await launch('chromium');
  try {
    for (const path of ['/index.html', '/profile.html', '/conversation.html']) {
      const page = await l.browser.newPage();
      await page.goto(srv.origin + path, { waitUntil: 'load' });
      const r = await captureViaPopup(l, page);
      log(`${path}: ${r.text}`);
      if (!r.ok) throw new Error(`capture of ${path} failed: ${r.text}`);
      await page.close();
    }
    const vault = await openVault(l);
    await vault.waitForFunction(() => document.querySelectorAll('#capture-list li').length >= 3);
    const { bytes, filename } = await exportFromVault(vault);
    const report = await verifyPackage(new Uint8Array(bytes));
    if (report.verdict !== 'VERIFIED') throw new Error(`the demo package did not verify: ${report.summary}`);
    mkdirSync(outDir, { recursive: true });
    const path = join(resolve(outDir), filename);
    writeFileSync(path, bytes);
    log(report.summary);
    return path;
  } finally {
    await l.close();
    await srv.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--out');
  const out = i > 0 ? process.argv[i + 1] : undefined;
  if (!out) {
    process.stderr.write('Usage: npm run demo -- --out DIR\n');
    process.exit(2);
  }
  runDemo(out).then(
    (p) => {
      process.stdout.write(p + '\n');
      process.exit(0);
    },
    (e) => {
      process.stderr.write(`Demo failed: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
