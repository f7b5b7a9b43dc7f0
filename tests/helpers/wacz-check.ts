import { createHash, verify as nodeVerify } from 'node:crypto';
import JSZip from 'jszip';
import { WARCParser, type WARCRecord } from 'warcio';
import { importSpki, pemToSpki, spkiFingerprint, verifyDer } from '../../utils/shared/ecdsa';
import { fromBase64, fromUtf8, utf8 } from '../../utils/shared/encoding';

/**
 * An independent reader for evidence.wacz: it reads the files back with
 * warcio's WARCParser and Node's crypto and checks every claim the WACZ makes
 * about itself. Each check is reported on its own, so a test can say which
 * check a damaged file breaks.
 */

export const WACZ_CHECKS = ['warc-digests', 'cdx', 'pages', 'datapackage', 'digest', 'signature', 'cosignature'] as const;
export type WaczCheck = (typeof WACZ_CHECKS)[number];

export interface ParsedRecord {
  offset: number;
  type: string;
  target: string | null;
  date: string;
  contentType: string;
  id: string;
  concurrentTo: string | null;
  payloadDigest: string | null;
  blockDigest: string | null;
  headers: Record<string, string>;
  payload: Uint8Array;
}

export interface WaczReading {
  files: Map<string, Uint8Array>;
  records: ParsedRecord[];
  /** Each failed check with what was wrong; empty when everything holds. */
  failed: Partial<Record<WaczCheck, string>>;
}

export const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

export async function unzipWacz(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  const zip = await JSZip.loadAsync(bytes);
  const files = new Map<string, Uint8Array>();
  for (const f of Object.values(zip.files)) if (!f.dir) files.set(f.name, await f.async('uint8array'));
  return files;
}

export async function parseWarc(warc: Uint8Array): Promise<ParsedRecord[]> {
  const out: ParsedRecord[] = [];
  // In 64 KiB views: warcio's reader copies the rest of its chunk at every line it reads.
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < warc.byteLength; at += 65536) chunks.push(warc.subarray(at, at + 65536));
  const parser = new WARCParser(chunks, { keepHeadersCase: true });
  for await (const r of parser as AsyncIterable<WARCRecord>) {
    const offset = parser.offset;
    const payload = await r.readFully(false);
    const headers: Record<string, string> = {};
    for (const [k, v] of r.warcHeaders.headers as Iterable<[string, string]>) headers[k] = v;
    out.push({
      offset,
      type: r.warcType ?? '',
      target: r.warcTargetURI ?? null,
      date: r.warcDate ?? '',
      contentType: r.warcContentType ?? '',
      id: r.warcHeader('WARC-Record-ID') ?? '',
      concurrentTo: r.warcHeader('WARC-Concurrent-To') ?? null,
      payloadDigest: r.warcPayloadDigest ?? null,
      blockDigest: r.warcBlockDigest ?? null,
      headers,
      payload: payload.slice(),
    });
  }
  return out;
}

function need(files: Map<string, Uint8Array>, name: string): Uint8Array {
  const b = files.get(name);
  if (!b) throw new Error(`${name} is missing`);
  return b;
}

async function run(failed: WaczReading['failed'], name: WaczCheck, check: () => Promise<void> | void): Promise<void> {
  try {
    await check();
  } catch (e) {
    failed[name] = (e as Error).message;
  }
}

function assert(cond: unknown, why: string): asserts cond {
  if (!cond) throw new Error(why);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** `expectedPages` is the exact pages.jsonl the test expects. */
export async function readWacz(files: Map<string, Uint8Array>, expectedPages: string): Promise<WaczReading> {
  const failed: WaczReading['failed'] = {};
  let records: ParsedRecord[] = [];
  const warc = files.get('archive/data.warc') ?? new Uint8Array();

  await run(failed, 'warc-digests', async () => {
    records = await parseWarc(need(files, 'archive/data.warc'));
    assert(records[0]?.type === 'warcinfo', 'the first record is not warcinfo');
    for (const r of records.slice(1)) {
      const d = `sha256:${sha256(r.payload)}`;
      assert(r.payloadDigest === d, `${r.target}: WARC-Payload-Digest ${r.payloadDigest} ≠ ${d}`);
      assert(r.blockDigest === d, `${r.target}: WARC-Block-Digest ${r.blockDigest} ≠ ${d}`);
    }
  });

  await run(failed, 'cdx', async () => {
    const text = fromUtf8(need(files, 'indexes/index.cdx'));
    assert(text.endsWith('\n'), 'the index does not end with a newline');
    const lines = text.slice(0, -1).split('\n');
    for (let i = 1; i < lines.length; i++) assert(compareBytes(utf8(lines[i - 1]), utf8(lines[i])) <= 0, `line ${i + 1} is out of order`);
    const spans: [number, number][] = [];
    for (const line of lines) {
      const m = /^(\S+) (\d{17}) (\{.*\})$/.exec(line);
      assert(m, `not a CDXJ line: ${line}`);
      const j = JSON.parse(m[3]) as { url: string; digest: string; offset: string; length: string; filename: string; mime: string };
      assert(j.filename === 'data.warc', `${j.url}: filename ${j.filename}`);
      const off = Number(j.offset);
      const len = Number(j.length);
      const slice = warc.subarray(off, off + len);
      const [rec, ...more] = await parseWarc(slice);
      assert(rec && more.length === 0, `${j.url}: offset ${off} length ${len} does not hold exactly one record`);
      assert(fromUtf8(slice.subarray(len - 4)) === '\r\n\r\n', `${j.url}: length ${len} does not end at the record's end`);
      assert(rec.target === j.url, `${j.url}: the record at ${off} is ${rec.target}`);
      assert(rec.payloadDigest === `sha256:${j.digest}`, `${j.url}: digest differs from the record's`);
      assert(rec.contentType === j.mime, `${j.url}: mime differs from the record's`);
      assert(new Date(rec.date).toISOString().replace(/[-:.TZ]/g, '') === m[2], `${j.url}: timestamp ${m[2]} ≠ ${rec.date}`);
      spans.push([off, len]);
    }
    // Every record but warcinfo is listed once, and the spans tile the rest of the file exactly.
    spans.sort((a, b) => a[0] - b[0]);
    const indexed = records.filter((r) => r.type !== 'warcinfo').map((r) => r.offset);
    assert(JSON.stringify(spans.map((x) => x[0])) === JSON.stringify(indexed), 'the index does not list each record exactly once');
    spans.forEach(([off, len], i) => assert(off + len === (spans[i + 1]?.[0] ?? warc.byteLength), `the record at ${off} does not end where the next begins`));
  });

  await run(failed, 'pages', () => {
    assert(fromUtf8(need(files, 'pages/pages.jsonl')) === expectedPages, 'pages.jsonl differs from what was expected');
  });

  const dpBytes = files.get('datapackage.json') ?? new Uint8Array();
  const dpHash = `sha256:${sha256(dpBytes)}`;

  await run(failed, 'datapackage', () => {
    const dp = JSON.parse(fromUtf8(need(files, 'datapackage.json'))) as { resources: { name: string; path: string; hash: string; bytes: number }[] };
    const listed = dp.resources.map((r) => r.path).sort();
    const present = [...files.keys()].filter((k) => k !== 'datapackage.json' && k !== 'datapackage-digest.json').sort();
    assert(JSON.stringify(listed) === JSON.stringify(present), `resources ${listed} ≠ files ${present}`);
    for (const r of dp.resources) {
      const b = need(files, r.path);
      assert(r.hash === `sha256:${sha256(b)}`, `${r.path}: hash differs`);
      assert(r.bytes === b.byteLength, `${r.path}: size differs`);
      assert(r.name === r.path.slice(r.path.lastIndexOf('/') + 1), `${r.path}: name ${r.name}`);
    }
  });

  const digest = (() => {
    try {
      return JSON.parse(fromUtf8(need(files, 'datapackage-digest.json'))) as {
        path: string;
        hash: string;
        signedData: { hash: string; signature: string; publicKey: string; created: string; software: string };
        cairnSignature?: { hash: string; signature: string; publicKey: string; fingerprint: string };
      };
    } catch {
      return null;
    }
  })();

  await run(failed, 'digest', () => {
    assert(digest, 'datapackage-digest.json is not JSON');
    assert(digest.path === 'datapackage.json', `path ${digest.path}`);
    assert(digest.hash === dpHash, `hash ${digest.hash} ≠ ${dpHash}`);
    assert(digest.signedData.hash === dpHash, `signedData.hash ${digest.signedData.hash} ≠ ${dpHash}`);
    const dp = JSON.parse(fromUtf8(dpBytes)) as { created: string; software: string };
    assert(digest.signedData.created === dp.created, 'signedData.created differs from the package created');
    assert(digest.signedData.software === dp.software, 'signedData.software differs from the package software');
  });

  await run(failed, 'signature', async () => {
    assert(digest, 'datapackage-digest.json is not JSON');
    const spki = fromBase64(digest.signedData.publicKey);
    const sig = fromBase64(digest.signedData.signature);
    assert(sig.length === 96, `signature is ${sig.length} bytes, not raw P-384 r‖s`);
    const key = await crypto.subtle.importKey('spki', spki.slice().buffer, { name: 'ECDSA', namedCurve: 'P-384' }, false, ['verify']);
    const data = utf8(dpHash);
    const web = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, sig.slice().buffer, data.slice().buffer);
    // A second, independent implementation (Node's OpenSSL) must agree.
    const node = nodeVerify('sha256', data, { key: Buffer.from(spki), format: 'der', type: 'spki', dsaEncoding: 'ieee-p1363' }, sig);
    assert(web && node, `the P-384 signature does not verify over "${dpHash}" (WebCrypto ${web}, Node ${node})`);
  });

  await run(failed, 'cosignature', async () => {
    assert(digest?.cairnSignature, 'no device co-signature');
    const c = digest.cairnSignature;
    assert(c.hash === dpHash, `cairnSignature.hash ${c.hash} ≠ ${dpHash}`);
    const spki = pemToSpki(c.publicKey);
    assert((await spkiFingerprint(spki)) === c.fingerprint, 'the fingerprint is not the key\'s');
    assert(await verifyDer(await importSpki(spki), fromBase64(c.signature), utf8(dpHash)), `the device signature does not verify over "${dpHash}"`);
  });

  return { files, records, failed };
}
