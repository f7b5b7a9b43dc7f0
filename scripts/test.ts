/**
 * npm test: typecheck, lint, unit tests, both builds, end-to-end in Chromium
 * and Firefox. Stops at once, with the command that fixes it, when a browser
 * is missing: the browser tests are never silently skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { browserPath, INSTALL_HINT, ROOT, TMP } from './lib/browsers';
import { buildChrome, buildChromeE2E, buildFirefox, buildFirefoxE2E, run } from './lib/build';

const bin = (n: string) => join(ROOT, 'node_modules/.bin', n);

function step(title: string): void {
  process.stdout.write(`\n=== ${title} ===\n`);
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

function vitest(config: string, out: string): VitestJson {
  const file = join(TMP, out);
  const r = spawnSync(bin('vitest'), ['run', '-c', config, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(file)) throw new Error(`vitest (${config}) produced no results (exit ${r.status})`);
  const res = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
  if (r.status !== 0 && res.numFailedTests === 0) throw new Error(`vitest (${config}) failed (exit ${r.status})`);
  return res;
}

function main(): number {
  mkdirSync(TMP, { recursive: true });
  const missing = (['chromium', 'firefox'] as const).filter((b) => !browserPath(b));
  if (missing.length) {
    process.stderr.write(`Cannot run the end-to-end tests: ${missing.join(' and ')} not found.\nInstall with:\n  ${INSTALL_HINT}\n`);
    return 1;
  }
  step('typecheck');
  run(bin('wxt'), ['prepare']);
  run(bin('tsc'), ['--noEmit', '-p', '.']);
  step('lint');
  run(bin('eslint'), ['.']);
  step('unit tests');
  const unit = vitest('vitest.config.ts', 'unit-results.json');
  step('build: Chrome MV3, Firefox, and their e2e variants');
  buildChrome();
  buildFirefox();
  buildChromeE2E();
  buildFirefoxE2E();
  step('end-to-end: Chromium and Firefox');
  const e2e = vitest('vitest.e2e.config.ts', 'e2e-results.json');
  const passed = unit.numPassedTests + e2e.numPassedTests;
  const failed = unit.numFailedTests + e2e.numFailedTests;
  const skipped = unit.numPendingTests + unit.numTodoTests + e2e.numPendingTests + e2e.numTodoTests;
  process.stdout.write(`\nunit: ${unit.numPassedTests} passed, ${unit.numFailedTests} failed; e2e: ${e2e.numPassedTests} passed, ${e2e.numFailedTests} failed\n`);
  process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  return failed === 0 && skipped === 0 ? 0 : 1;
}

try {
  process.exit(main());
} catch (e) {
  process.stderr.write(`\n${(e as Error).message}\n`);
  process.exit(1);
}
