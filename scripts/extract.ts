/**
 * npm run extract -- PAGE.html --url URL [--at ISO]
 * Loads a saved page into a DOM (no scripts run), runs the adapter registry and
 * prints one JSON object per item found.
 */
import { readFileSync } from 'node:fs';
import { JSDOM, VirtualConsole } from 'jsdom';
import { adapterFor, extractAll } from '../utils/content/registry';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function main(): number {
  const file = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !['--url', '--at'].includes(all[i - 1]));
  const url = arg('--url');
  if (!file || !url) {
    process.stderr.write('Usage: npm run extract -- PAGE.html --url URL [--at CAPTURE_TIME_ISO]\n');
    return 2;
  }
  let html: string;
  let pageUrl: URL;
  try {
    html = readFileSync(file, 'utf8');
    pageUrl = new URL(url);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const capturedAt = arg('--at') ? new Date(arg('--at')!) : new Date();
  if (Number.isNaN(capturedAt.getTime())) {
    process.stderr.write('--at must be an ISO date\n');
    return 2;
  }
  // No script execution, no resource loading: the saved page is only parsed.
  const dom = new JSDOM(html, { url: pageUrl.href, virtualConsole: new VirtualConsole() });
  const doc = dom.window.document;
  const adapter = adapterFor(doc, pageUrl);
  const items = extractAll(doc, { url: pageUrl, capturedAt });
  process.stderr.write(`${adapter.label} adapter (${adapter.id} ${adapter.version}): ${items.length} item(s)\n`);
  for (const item of items) process.stdout.write(JSON.stringify(item) + '\n');
  return 0;
}

process.exit(main());
