/**
 * Draws the toolbar icons into public/ (run by hand: `npx tsx scripts/draw-icons.ts`;
 * the PNGs are committed). Two sets: Cairn's own (three stacked stones) and the
 * neutral one discreet mode shows (a plain grey page), so the toolbar does not
 * name Cairn to someone looking over the user's shoulder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { ROOT } from './lib/browsers';

type Rgba = [number, number, number, number];
/** Coverage test in a unit square (0..1 both ways): which colour covers point (x, y), if any. */
type Shape = (x: number, y: number) => Rgba | null;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size: number, shape: Shape): Buffer {
  const SS = 4; // supersampling per axis, for smooth edges
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SS; sy++)
        for (let sx = 0; sx < SS; sx++) {
          const c = shape((x + (sx + 0.5) / SS) / size, (y + (sy + 0.5) / SS) / size);
          if (!c) continue;
          const w = c[3] / 255;
          r += c[0] * w; g += c[1] * w; b += c[2] * w; a += w;
        }
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = a ? Math.round(r / a) : 0;
      raw[o + 1] = a ? Math.round(g / a) : 0;
      raw[o + 2] = a ? Math.round(b / a) : 0;
      raw[o + 3] = Math.round((a / (SS * SS)) * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]);
}

const inEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;

/** Three stones, largest at the bottom, in the vault's accent colours. */
const cairn: Shape = (x, y) => {
  if (inEllipse(x, y, 0.5, 0.78, 0.42, 0.17)) return [0x2f, 0x5d, 0x50, 255];
  if (inEllipse(x, y, 0.52, 0.5, 0.3, 0.13)) return [0x4a, 0x7d, 0x6e, 255];
  if (inEllipse(x, y, 0.49, 0.26, 0.19, 0.1)) return [0x6f, 0x9c, 0x8e, 255];
  return null;
};

/** A plain grey page with a folded corner and three lines: nothing that names the tool. */
const neutralPage: Shape = (x, y) => {
  const l = 0.2, r = 0.8, t = 0.08, b = 0.92, fold = 0.2;
  if (x < l || x > r || y < t || y > b) return null;
  if (x - (r - fold) > y - t) return null; // cut corner
  const edge = 0.055;
  const onFold = x > r - fold && y < t + fold && x - (r - fold) > y - t - edge * 1.4;
  if (onFold || x < l + edge || x > r - edge || y > b - edge || (y < t + edge && x < r - fold)) return [0x6b, 0x72, 0x7a, 255];
  for (const ly of [0.42, 0.58, 0.74]) if (y > ly && y < ly + 0.06 && x > l + 0.14 && x < r - 0.14) return [0x9a, 0xa0, 0xa6, 255];
  return [0xf1, 0xf3, 0xf5, 255];
};

for (const [dir, shape] of [['icon', cairn], ['icon-neutral', neutralPage]] as const) {
  mkdirSync(join(ROOT, 'public', dir), { recursive: true });
  for (const size of [16, 32, 48, 128]) writeFileSync(join(ROOT, 'public', dir, `${size}.png`), png(size, shape));
}
process.stdout.write('public/icon/*.png and public/icon-neutral/*.png written\n');
