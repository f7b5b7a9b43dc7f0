/**
 * npm start: builds Cairn and opens Chromium with it on the local demo site.
 * With no display (a server, CI), runs the headless demo instead and prints the package path.
 */
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { requireBrowser, ROOT, TMP } from './lib/browsers';
import { buildChrome } from './lib/build';
import { serveStatic } from './lib/server';
import { runDemo } from './demo';

async function main(): Promise<void> {
  const ext = buildChrome();
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    process.stderr.write('No display found: running the headless demo instead.\n');
    const path = await runDemo(join(TMP, 'demo-out'), { build: false });
    process.stdout.write(`Demo package: ${path}\nCheck it with: npm run verify -- ${path}\n`);
    return;
  }
  const srv = await serveStatic(join(ROOT, 'tests/fixtures/demo'), {}, 8787);
  const browser = await puppeteer.launch({
    executablePath: requireBrowser('chromium'),
    headless: false,
    enableExtensions: true,
    pipe: true,
    userDataDir: join(TMP, 'start-profile'),
    defaultViewport: null,
    args: ['--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  await browser.installExtension(ext);
  const [page] = await browser.pages();
  await page.goto(`${srv.origin}/index.html`);
  process.stdout.write(`Cairn is loaded. Demo site: ${srv.origin}/ — click the Cairn toolbar button (puzzle piece → Cairn) and "Capture this page".\nClose the browser to stop.\n`);
  await new Promise<void>((ok) => browser.on('disconnected', () => ok()));
  await srv.close();
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
