import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { crc32, ZipWriter } from '../../utils/package/zip-writer';
import { concatBytes } from '../../utils/shared/encoding';

const enc = (s: string) => new TextEncoder().encode(s);

function noise(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

describe('ZIP writer', () => {
  it('computes the standard CRC-32 (check value, and agreement with zlib through unzip)', () => {
    expect(crc32(enc('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
    expect(crc32(enc('a'))).toBe(0xe8b7be43);
    // Every length 0..20 crosses the 8-byte fast path and the tail differently.
    const ref = (d: Uint8Array) => {
      let c = 0xffffffff;
      for (const b of d) {
        c ^= b;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    for (let n = 0; n <= 20; n++) expect(crc32(noise(n, n + 1))).toBe(ref(noise(n, n + 1)));
  });

  it('writes an archive that unzip tests clean and that JSZip reads back byte for byte', async () => {
    const w = new ZipWriter(new Date('2026-11-29T13:04:06Z'));
    const files: [string, Uint8Array][] = [
      ['manifest.json', enc('{"a":1}\n')],
      ['captures/000001-x-post/screenshot.png', noise(100_003, 7)],
      ['captures/000001-x-post/text — ünïcode.txt', enc('héllo')],
      ['empty.txt', new Uint8Array()],
    ];
    for (const [p, d] of files) w.add(p, d);
    expect(() => w.add('manifest.json', enc('again'))).toThrow('manifest.json is already in the archive.');
    const bytes = concatBytes(w.finish());
    const dir = mkdtempSync(join(tmpdir(), 'zipw-'));
    writeFileSync(join(dir, 'a.zip'), bytes);
    expect(execFileSync('unzip', ['-t', join(dir, 'a.zip')], { encoding: 'utf8' })).toMatch(/No errors detected in compressed data of .*a\.zip\./);
    const listing = execFileSync('unzip', ['-Z', '-l', join(dir, 'a.zip')], { encoding: 'utf8' });
    expect(listing).toContain('-rw-r--r--');
    expect(listing).toContain('stor 26-Nov-29 13:04 captures/000001-x-post/screenshot.png');
    const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
    expect(Object.keys(zip.files)).toEqual(files.map(([p]) => p));
    for (const [p, d] of files) expect(await zip.file(p)!.async('uint8array')).toEqual(d);
  });

  it('switches to ZIP64 past 65,535 entries, and unzip and JSZip still read every entry', async () => {
    const w = new ZipWriter(new Date('2026-11-29T00:00:00Z'));
    const n = 70_000;
    for (let i = 0; i < n; i++) w.add(`f/${i}.txt`, enc(String(i)));
    const bytes = concatBytes(w.finish());
    const dir = mkdtempSync(join(tmpdir(), 'zipw-'));
    writeFileSync(join(dir, 'big.zip'), bytes);
    expect(execFileSync('unzip', ['-t', '-q', join(dir, 'big.zip')], { encoding: 'utf8' })).toMatch(/^No errors detected in compressed data/);
    expect(execFileSync('unzip', ['-p', join(dir, 'big.zip'), 'f/69999.txt'], { encoding: 'utf8' })).toBe('69999');
    const zip = await JSZip.loadAsync(bytes);
    expect(Object.keys(zip.files).length).toBe(n);
    expect(await zip.file('f/65536.txt')!.async('string')).toBe('65536');
  });
});
