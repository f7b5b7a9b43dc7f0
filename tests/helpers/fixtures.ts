import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';

const here = dirname(fileURLToPath(import.meta.url));

/** The real saved platform pages: ../shared/fixtures/platforms, or $CAIRN_FIXTURES. Never copied into this repo. */
export const FIXTURES_DIR = resolve(process.env.CAIRN_FIXTURES ?? join(here, '../../../shared/fixtures/platforms'));

/** Our own synthetic fixtures (messaging views with no real saved page). */
export const OWN_FIXTURES_DIR = resolve(here, '../fixtures');

export function fixturePath(rel: string): string {
  const p = join(FIXTURES_DIR, rel);
  if (!existsSync(p)) throw new Error(`Fixture page missing: ${p}. The real pages live in ../shared/fixtures/platforms (or set CAIRN_FIXTURES).`);
  return p;
}

const cache = new Map<string, Document>();

/** Parses a fixture (real one by default) into a DOM at the given URL. No scripts run. */
export function loadFixture(rel: string, url: string, own = false): Document {
  const key = `${own ? 'own' : 'real'}:${rel}@${url}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const path = own ? join(OWN_FIXTURES_DIR, rel) : fixturePath(rel);
  const dom = new JSDOM(readFileSync(path, 'utf8'), { url });
  cache.set(key, dom.window.document);
  return dom.window.document;
}
