import { it } from 'vitest';
import { loadFixture } from '../helpers/fixtures';
const mod = process.env.ADAPTER!;
it('explore', async () => {
  const a = (await import(`/work/main/utils/content/platforms/${mod}.ts`)).default;
  const [rel, url, own] = process.env.FIX!.split('|');
  const doc = loadFixture(rel, url, own === '1');
  const ctx = { url: new URL(url), capturedAt: new Date('2026-11-29T12:00:00Z') };
  const items = a.findItems(doc, ctx);
  console.log('items', items.length);
  console.log('page', JSON.stringify(a.extractPage?.(doc, ctx), null, 1));
  const idx = (process.env.IDX ?? '0,1').split(',').map(Number);
  for (const i of idx) if (items[i]) console.log(i, a.kindOf(items[i], ctx), JSON.stringify(a.extract(items[i], ctx), null, 1));
});
