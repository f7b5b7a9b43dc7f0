import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './browsers';

/**
 * Runs a command in the project root; throws on failure. Its output is a log,
 * so all of it goes to stderr (stdout stays for what a script prints as its result).
 */
export function run(cmd: string, args: string[], env: Record<string, string> = {}): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', process.stderr, process.stderr], env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

const wxt = join(ROOT, 'node_modules/.bin/wxt');

/** The production Chromium build (.output/chrome-mv3). */
export function buildChrome(): string {
  run(wxt, ['build']);
  return join(ROOT, '.output/chrome-mv3');
}

export function buildFirefox(): string {
  run(wxt, ['build', '-b', 'firefox']);
  return join(ROOT, '.output/firefox-mv2');
}

/** The Chromium test variant (see wxt.config.ts, CAIRN_E2E). */
export function buildChromeE2E(): string {
  run(wxt, ['build'], { CAIRN_E2E: '1' });
  return join(ROOT, '.output/e2e/chrome-mv3');
}

/** The Firefox test variant (see wxt.config.ts, CAIRN_E2E). */
export function buildFirefoxE2E(): string {
  run(wxt, ['build', '-b', 'firefox'], { CAIRN_E2E: '1' });
  return join(ROOT, '.output/e2e/firefox-mv2');
}

export function isBuilt(dir: string): boolean {
  return existsSync(join(dir, 'manifest.json'));
}
