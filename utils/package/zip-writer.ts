/**
 * A ZIP writer for export packages: entries are stored (not deflated), the
 * CRC-32 is computed in one pass over bytes we already hold, and the archive
 * is handed back as a list of chunks so a large package is never copied into
 * one buffer (a Blob can be made from the chunks directly). ZIP64 records are
 * written when the archive passes 65,535 entries or 4 GiB, as `unzip`, 7-Zip,
 * Windows Explorer and macOS Archive Utility expect.
 */

const TABLE = (() => {
  // Slicing-by-8: eight 256-entry tables let the loop consume 8 bytes per step.
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) for (let k = 1; k < 8; k++) t[k * 256 + n] = (t[(k - 1) * 256 + n] >>> 8) ^ t[t[(k - 1) * 256 + n] & 0xff];
  return t;
})();

/** CRC-32 (the ZIP / PNG polynomial) of `data`. */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  let i = 0;
  const n = data.length;
  const end8 = n - (n % 8);
  const t = TABLE;
  for (; i < end8; i += 8) {
    const a = (c ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24))) >>> 0;
    c =
      t[1792 + (a & 0xff)] ^
      t[1536 + ((a >>> 8) & 0xff)] ^
      t[1280 + ((a >>> 16) & 0xff)] ^
      t[1024 + (a >>> 24)] ^
      t[768 + data[i + 4]] ^
      t[512 + data[i + 5]] ^
      t[256 + data[i + 6]] ^
      t[data[i + 7]];
  }
  for (; i < n; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface CentralEntry {
  name: Uint8Array;
  crc: number;
  size: number;
  offset: number;
  time: number;
  date: number;
}

const U32 = 0xffffffff;
const U16 = 0xffff;
/** General-purpose flag bit 11: file names are UTF-8. */
const UTF8_NAMES = 0x0800;

function dosTime(d: Date): { time: number; date: number } {
  // UTC, so the same export made anywhere gives the same bytes.
  const y = Math.max(1980, d.getUTCFullYear());
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((y - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

export class ZipWriter {
  private readonly chunks: Uint8Array[] = [];
  private readonly entries: CentralEntry[] = [];
  private readonly names = new Set<string>();
  private offset = 0;
  private readonly time: number;
  private readonly date: number;

  constructor(modified: Date) {
    ({ time: this.time, date: this.date } = dosTime(modified));
  }

  /** Bytes written so far (the archive's size before its central directory). */
  get size(): number {
    return this.offset;
  }

  add(path: string, data: Uint8Array): void {
    if (this.names.has(path)) throw new Error(`${path} is already in the archive.`);
    if (data.byteLength >= U32) throw new Error(`${path} is too large for one ZIP entry (${data.byteLength} bytes).`);
    this.names.add(path);
    const name = new TextEncoder().encode(path);
    const crc = crc32(data);
    const h = new Uint8Array(30 + name.length);
    const v = new DataView(h.buffer);
    v.setUint32(0, 0x04034b50, true);
    v.setUint16(4, 20, true);
    v.setUint16(6, UTF8_NAMES, true);
    v.setUint16(8, 0, true); // stored
    v.setUint16(10, this.time, true);
    v.setUint16(12, this.date, true);
    v.setUint32(14, crc, true);
    v.setUint32(18, data.byteLength, true);
    v.setUint32(22, data.byteLength, true);
    v.setUint16(26, name.length, true);
    v.setUint16(28, 0, true);
    h.set(name, 30);
    this.entries.push({ name, crc, size: data.byteLength, offset: this.offset, time: this.time, date: this.date });
    this.chunks.push(h, data);
    this.offset += h.length + data.byteLength;
  }

  /** Writes the central directory and returns the whole archive as chunks, in order. */
  finish(): Uint8Array[] {
    const cdStart = this.offset;
    const parts: Uint8Array[] = [];
    let cdSize = 0;
    for (const e of this.entries) {
      const far = e.offset >= U32;
      const extra = far ? 12 : 0;
      const c = new Uint8Array(46 + e.name.length + extra);
      const v = new DataView(c.buffer);
      v.setUint32(0, 0x02014b50, true);
      v.setUint16(4, (3 << 8) | 45, true); // made by: Unix, spec 4.5
      v.setUint16(6, far ? 45 : 20, true);
      v.setUint16(8, UTF8_NAMES, true);
      v.setUint16(10, 0, true);
      v.setUint16(12, e.time, true);
      v.setUint16(14, e.date, true);
      v.setUint32(16, e.crc, true);
      v.setUint32(20, e.size, true);
      v.setUint32(24, e.size, true);
      v.setUint16(28, e.name.length, true);
      v.setUint16(30, extra, true);
      v.setUint16(32, 0, true);
      v.setUint16(34, 0, true);
      v.setUint16(36, 0, true);
      v.setUint32(38, (0o100644 << 16) >>> 0, true); // a regular file, rw-r--r--
      v.setUint32(42, far ? U32 : e.offset, true);
      c.set(e.name, 46);
      if (far) {
        // ZIP64 extended information: only the field that overflowed (the offset) is present.
        v.setUint16(46 + e.name.length, 0x0001, true);
        v.setUint16(48 + e.name.length, 8, true);
        v.setBigUint64(50 + e.name.length, BigInt(e.offset), true);
      }
      parts.push(c);
      cdSize += c.length;
    }
    const count = this.entries.length;
    const zip64 = count >= U16 || cdStart >= U32 || cdSize >= U32;
    if (zip64) {
      const rec = new Uint8Array(56 + 20);
      const v = new DataView(rec.buffer);
      v.setUint32(0, 0x06064b50, true);
      v.setBigUint64(4, 44n, true);
      v.setUint16(12, (3 << 8) | 45, true);
      v.setUint16(14, 45, true);
      v.setUint32(16, 0, true);
      v.setUint32(20, 0, true);
      v.setBigUint64(24, BigInt(count), true);
      v.setBigUint64(32, BigInt(count), true);
      v.setBigUint64(40, BigInt(cdSize), true);
      v.setBigUint64(48, BigInt(cdStart), true);
      v.setUint32(56, 0x07064b50, true);
      v.setUint32(60, 0, true);
      v.setBigUint64(64, BigInt(cdStart + cdSize), true);
      v.setUint32(72, 1, true);
      parts.push(rec);
    }
    const end = new Uint8Array(22);
    const v = new DataView(end.buffer);
    v.setUint32(0, 0x06054b50, true);
    v.setUint16(8, Math.min(count, U16), true);
    v.setUint16(10, Math.min(count, U16), true);
    v.setUint32(12, Math.min(cdSize, U32), true);
    v.setUint32(16, Math.min(cdStart, U32), true);
    parts.push(end);
    return [...this.chunks, ...parts];
  }
}
