import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_ADAPTERS } from '../../../utils/content/registry';
import { FIXTURES_DIR } from '../../helpers/fixtures';

const here = resolve(__dirname);
const root = resolve(here, '../../..');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const testSources = readdirSync(here)
  .filter((f) => f.endsWith('.test.ts') && f !== 'coverage.test.ts')
  .map((f) => ({ file: f, text: readFileSync(join(here, f), 'utf8') }));

describe('every adapter and every real fixture page has a test', () => {
  it('the real fixture pages are present (tests read them from ../shared, never from this repo)', () => {
    expect(walk(FIXTURES_DIR).filter((p) => p.endsWith('.html')).length).toBeGreaterThanOrEqual(45);
  });

  it('each real fixture page is named in some adapter test', () => {
    const pages = walk(FIXTURES_DIR).filter((p) => p.endsWith('.html')).map((p) => relative(FIXTURES_DIR, p));
    const untested = pages.filter((rel) => !testSources.some((t) => t.text.includes(rel)));
    expect(untested).toEqual([]);
  });

  it('each adapter has its own test file, named after its id, and a source file of the same name', () => {
    const ids = ALL_ADAPTERS.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    const missing = ids.filter((id) => !testSources.some((t) => t.file === `${id}.test.ts`));
    expect(missing).toEqual([]);
    const files = readdirSync(join(root, 'utils/content/platforms')).filter((f) => f.endsWith('.ts') && f !== 'types.ts');
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual([...ids].sort());
  });

  it('each synthetic messaging fixture is used by a test and says which markers it relies on', () => {
    const dir = join(root, 'tests/fixtures/messaging');
    for (const f of readdirSync(dir)) {
      const head = readFileSync(join(dir, f), 'utf8').slice(0, 4000);
      expect(head, f).toMatch(/synthetic/i);
      expect(testSources.some((t) => t.text.includes(f)), `${f} is used by a test`).toBe(true);
    }
  });
});
