import { ZipWriter } from './zip-writer';
import { CDXIndexer, WARCRecord, WARCSerializer, WARC_1_1 } from 'warcio';
import { concatBytes, exactBuffer, toBase64, toHex, utf8 } from '../shared/encoding';
import type { Artefact, CaptureRecord } from '../shared/types';

/**
 * evidence.wacz (DESIGN.md section 5): WACZ 1.1.1 of the exported captures, so
 * ReplayWeb.page can open them. A pure function of its input: it reads no
 * database and makes no request, so the vault page and the Node tests run the
 * same code.
 *
 * Choices, and why:
 * - `archive/data.warc`, uncompressed. ReplayWeb.page reads plain and gzipped
 *   WARC alike (it finds records by the CDX offsets either way); plain lets an
 *   analyst read the records with `unzip -p … | less`, the bytes of each
 *   artefact sit in the file unchanged, and screenshots, most of the bytes,
 *   would not shrink anyway.
 * - The page URL replays the cleaned snapshot (page.html) when there is one:
 *   it is self-contained (styles and loaded images inlined) and runs nothing
 *   (scripts removed, a CSP that blocks scripts and loads). The rendered DOM
 *   (original.html) still carries the platform's scripts, which would run in
 *   the replay frame and fetch what the archive does not hold; it is kept as
 *   its own record beside the page, like every other artefact.
 * - Digests are SHA-256 hex, computed here with WebCrypto from the exact bytes
 *   written and set on each record before warcio serialises it. warcio would
 *   compute them with hash-wasm, which compiles WebAssembly, and the
 *   extension pages' CSP (wxt.config.ts) does not allow WebAssembly; it stays
 *   that way rather than loosened for this. Each artefact's digest must also
 *   equal the hash sealed in its capture record: a stored blob that no longer
 *   matches stops the export.
 * - The CDX lines are made by warcio's own CDXIndexer from each record, at
 *   the offset and length its serialised bytes occupy (the tests parse the
 *   WARC at every offset to hold this to account), with 17-digit timestamps
 *   (milliseconds, which ReplayWeb.page's loader reads) so that two captures
 *   of one URL within the same second stay distinct in the archive. (Its
 *   replay, wabac.js 2.27, still rounds to the second when it redirects to a
 *   capture, so it shows the first of such a pair; tests/e2e/wacz-replay.e2e.ts.)
 * - The anonymous WACZ signature needs an ECDSA P-384 key; the device key is
 *   P-256, so each WACZ gets a fresh P-384 key (private half never leaves
 *   WebCrypto). When a co-signer is given, the device key also signs the same
 *   string, so the WACZ is tied to the device even outside a package.
 */

export const WACZ_VERSION = '1.1.1';
export const WACZ_MEDIA_TYPE = 'application/wacz';
export const WARC_PATH = 'archive/data.warc';
export const CDX_PATH = 'indexes/index.cdx';
export const PAGES_PATH = 'pages/pages.jsonl';
export const PAGES_HEADER = { format: 'json-pages-1.0', id: 'pages', title: 'All Pages' } as const;

export interface WaczCapture {
  record: CaptureRecord;
  /** The exact bytes of this capture's record.json in the package (see recordJsonBytes). */
  recordJson: Uint8Array;
  /** The artefact bytes, by artefact name. */
  files: ReadonlyMap<string, Uint8Array>;
}

/** The device key, to co-sign the WACZ's datapackage hash (ECDSA P-256, DER). */
export interface WaczCosigner {
  fingerprint: string;
  publicKeyPem: string;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export interface WaczOptions {
  captures: readonly WaczCapture[];
  created: Date;
  software: { name: string; version: string };
  title: string;
  cosigner?: WaczCosigner;
  /** Called after each capture's records are written. */
  onProgress?: (done: number, total: number) => void;
}

export interface WaczResult {
  bytes: Uint8Array;
  /** `sha256:<hex>` of datapackage.json, the string that is signed. */
  datapackageHash: string;
  /** The anonymous signature's public key: base64 SPKI DER, ECDSA P-384. */
  publicKey: string;
  records: number;
  pages: number;
}

/** record.json as the package writes it: the sealed record, pretty-printed, newline-terminated. */
export function recordJsonBytes(rec: CaptureRecord): Uint8Array {
  return utf8(JSON.stringify(rec, null, 2) + '\n');
}

/** The URL the WARC records are filed under: the page URL without its fragment (a fragment is never fetched, so replay never asks for it). */
export function warcTargetUrl(pageUrl: string): string {
  const u = parseUrl(pageUrl);
  u.hash = '';
  return u.href;
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new Error(`The page address "${url.slice(0, 200)}" is not a URL, so it cannot be put in the WACZ.`);
  }
}

/** Where each artefact of a capture goes in the WARC. The first entry is the replayed page. */
export function artefactTargets(rec: CaptureRecord): { artefact: Artefact; url: string }[] {
  const page = warcTargetUrl(rec.page_url);
  const snapshot = rec.artefacts.find((a) => a.role === 'dom_snapshot' && a.media_type.startsWith('text/html'));
  const mainDom = snapshot ?? rec.artefacts.find((a) => a.role === 'dom_original' && a.name === 'original.html');
  const view =
    rec.artefacts.find((a) => a.role === 'screenshot_viewport') ??
    rec.artefacts.find((a) => a.role === 'screenshot_full') ??
    rec.artefacts.find((a) => a.role === 'screenshot_element');
  const text = rec.artefacts.find((a) => a.role === 'text');
  const out: { artefact: Artefact; url: string }[] = [];
  if (mainDom) out.push({ artefact: mainDom, url: page });
  for (const a of rec.artefacts) {
    if (a === mainDom) continue;
    const url = a === view ? `urn:view:${page}` : a === text ? `urn:text:${page}` : `urn:cairn:${rec.id}/${a.name}`;
    out.push({ artefact: a, url });
  }
  return out;
}

export function metadataUrl(rec: CaptureRecord): string {
  return `metadata://capture/${rec.id}.json`;
}

/** 17-digit CDX timestamp (yyyyMMddHHmmssSSS) from an ISO time. */
export function cdxTimestamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`not a time: ${iso}`);
  return d.toISOString().replace(/[-:.TZ]/g, '');
}

async function sha256Digest(data: Uint8Array): Promise<string> {
  return 'sha256:' + toHex(await crypto.subtle.digest('SHA-256', exactBuffer(data)));
}

async function serialise(opts: {
  type: 'resource' | 'metadata';
  id: string;
  concurrentTo: string | null;
  url: string;
  date: string;
  contentType: string;
  payload: Uint8Array;
  digest: string;
  headers: Record<string, string>;
}): Promise<{ record: WARCRecord; bytes: Uint8Array[] }> {
  const record = WARCRecord.create(
    {
      url: opts.url,
      date: opts.date,
      type: opts.type,
      warcVersion: WARC_1_1,
      // Listed in the conventional order; warcio keeps a header's place when it sets it again.
      warcHeaders: [
        ['WARC-Type', opts.type],
        ['WARC-Record-ID', opts.id],
        ['WARC-Date', opts.date],
        ['WARC-Target-URI', opts.url],
        ...(opts.concurrentTo ? [['WARC-Concurrent-To', opts.concurrentTo] as [string, string]] : []),
        ['Content-Type', opts.contentType],
        ['WARC-Payload-Digest', opts.digest],
        // No HTTP headers in resource and metadata records: the block is the payload.
        ['WARC-Block-Digest', opts.digest],
        ...Object.entries(opts.headers),
      ],
    },
    [opts.payload],
  );
  return { record, bytes: await serialisedChunks(record) };
}

/**
 * The record as warcio serialises it, as its chunks: the payload chunk is the
 * artefact's own bytes, not a copy, so data.warc is copied once, when joined.
 */
async function serialisedChunks(record: WARCRecord): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of new WARCSerializer(record)) out.push(chunk);
  return out;
}

/** warcio's CDXJ indexer with millisecond timestamps. */
class MillisecondCdxIndexer extends CDXIndexer {
  constructor() {
    super({ format: 'cdxj' });
  }

  override getField(field: string, record: WARCRecord) {
    if (field === 'timestamp') return record.warcDate ? cdxTimestamp(record.warcDate) : null;
    return super.getField(field, record);
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * data.warc as it is written, and its CDXJ index. Each record's line is made
 * by warcio's CDXIndexer from the record itself, at the offset where its bytes
 * start and with the length of its bytes (trailing CRLFs included, so the
 * records tile the file), rather than by parsing the finished WARC again.
 */
class WarcWriter {
  readonly chunks: Uint8Array[] = [];
  private offset = 0;
  private readonly lines: string[] = [];
  private readonly indexer = new MillisecondCdxIndexer();

  constructor(private readonly filename: string) {}

  add(record: WARCRecord, chunks: Uint8Array[], index: boolean): void {
    let length = 0;
    for (const c of chunks) length += c.byteLength;
    if (index) {
      record._offset = this.offset;
      record._length = length;
      const entry = this.indexer.indexRecordPair(record, null, { offset: this.offset, recordLength: length }, this.filename);
      if (entry) this.lines.push(this.indexer.serialize(entry));
    }
    this.chunks.push(...chunks);
    this.offset += length;
  }

  /** CDXJ lines sorted by their UTF-8 bytes (as `LC_ALL=C sort` would). */
  cdx(): string {
    const keyed = this.lines.map((l) => ({ l, b: utf8(l) }));
    keyed.sort((x, y) => compareBytes(x.b, y.b));
    return keyed.map((k) => k.l).join('');
  }
}

function warcinfoFields(o: WaczOptions): Record<string, string> {
  return {
    software: `${o.software.name} ${o.software.version}`,
    format: 'WARC File Format 1.1',
    conformsTo: 'https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/',
    description:
      'Evidence captures made with Cairn. Each capture is a cleaned snapshot at its page URL, its screenshot at urn:view:<url>, its text at urn:text:<url>, ' +
      'its other files at urn:cairn:<capture id>/<file name>, and its sealed capture record at metadata://capture/<capture id>.json.',
    isPartOf: o.title,
  };
}

/** Builds the WACZ file. Throws if an artefact's bytes are missing or no longer match the hash in its sealed record. */
export async function buildWacz(o: WaczOptions): Promise<WaczResult> {
  const created = o.created.toISOString();
  const software = `${o.software.name} ${o.software.version}`;
  const out = new WarcWriter(WARC_PATH.slice(WARC_PATH.indexOf('/') + 1));
  const info = WARCRecord.createWARCInfo(
    {
      filename: 'data.warc',
      date: created,
      warcVersion: WARC_1_1,
      warcHeaders: [['WARC-Type', 'warcinfo'], ['WARC-Record-ID', `<urn:uuid:${crypto.randomUUID()}>`], ['WARC-Date', created]],
    },
    warcinfoFields(o),
  );
  out.add(info, await serialisedChunks(info), false);
  let records = 1;
  const pages: string[] = [JSON.stringify(PAGES_HEADER)];
  const total = o.captures.length;

  for (let i = 0; i < total; i++) {
    const { record: rec, recordJson, files } = o.captures[i];
    const date = new Date(rec.captured_at).toISOString();
    const ids: string[] = [];
    for (const { artefact: a, url } of artefactTargets(rec)) {
      const bytes = files.get(a.name);
      if (!bytes) throw new Error(`The bytes of ${a.name} in capture ${rec.seq} are missing, so the WACZ cannot be made.`);
      const digest = await sha256Digest(bytes);
      if (digest !== `sha256:${a.sha256}`) {
        throw new Error(`The stored bytes of ${a.name} in capture ${rec.seq} no longer match the hash sealed in its record.`);
      }
      const id = `<urn:uuid:${crypto.randomUUID()}>`;
      const written = await serialise({
        type: 'resource',
        url,
        date,
        contentType: a.media_type,
        payload: bytes,
        digest,
        id,
        concurrentTo: ids[0] ?? null,
        headers: {
          'Cairn-Capture-Id': rec.id,
          'Cairn-Artefact-Name': a.name,
          'Cairn-Artefact-Role': a.role,
        },
      });
      out.add(written.record, written.bytes, true);
      ids.push(id);
      records++;
    }
    const meta = await serialise({
      type: 'metadata',
      url: metadataUrl(rec),
      date,
      contentType: 'application/json',
      payload: recordJson,
      digest: await sha256Digest(recordJson),
      id: `<urn:uuid:${crypto.randomUUID()}>`,
      concurrentTo: ids[0] ?? null,
      headers: {
        'Cairn-Capture-Id': rec.id,
        'Cairn-Record-SHA256': rec.seal.record_sha256,
      },
    });
    out.add(meta.record, meta.bytes, true);
    records++;
    pages.push(JSON.stringify({ id: rec.id, url: parseUrl(rec.page_url).href, ts: date, title: rec.page_title || rec.page_url }));
    o.onProgress?.(i + 1, total);
  }

  const warc = concatBytes(out.chunks);
  out.chunks.length = 0;
  const cdx = utf8(out.cdx());
  const pagesBytes = utf8(pages.join('\n') + '\n');

  const resources = [];
  for (const [path, bytes] of [[WARC_PATH, warc], [CDX_PATH, cdx], [PAGES_PATH, pagesBytes]] as const) {
    resources.push({ name: path.slice(path.lastIndexOf('/') + 1), path, hash: await sha256Digest(bytes), bytes: bytes.byteLength });
  }
  const datapackage = {
    profile: 'data-package',
    wacz_version: WACZ_VERSION,
    title: o.title,
    description:
      'Captures sealed by Cairn at the moment of capture. Each page replays the cleaned snapshot that Cairn kept (scripts removed); ' +
      'the screenshot is at urn:view:<page URL>, and the sealed capture record at metadata://capture/<id>.json. ' +
      'A hash or signature proves the files are unchanged since they were sealed; it does not prove that the platform served this content.',
    created,
    software,
    resources,
  };
  const datapackageBytes = utf8(JSON.stringify(datapackage, null, 2) + '\n');
  const datapackageHash = await sha256Digest(datapackageBytes);

  // Anonymous WACZ signature (WACZ signing spec): ECDSA P-384, SHA-256, raw r‖s, over the string "sha256:<hex>".
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify']);
  const publicKey = toBase64(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)));
  const signature = toBase64(new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, exactBuffer(utf8(datapackageHash)))));
  const digestFile: Record<string, unknown> = {
    path: 'datapackage.json',
    hash: datapackageHash,
    signedData: { hash: datapackageHash, signature, publicKey, created, software },
  };
  if (o.cosigner) {
    digestFile.cairnSignature = {
      hash: datapackageHash,
      algorithm: 'ECDSA P-256 with SHA-256 over the UTF-8 bytes of "hash"; DER signature, base64',
      fingerprint: o.cosigner.fingerprint,
      publicKey: o.cosigner.publicKeyPem,
      signature: toBase64(await o.cosigner.sign(utf8(datapackageHash))),
    };
  }
  const digestBytes = utf8(JSON.stringify(digestFile, null, 2) + '\n');

  const zip = new ZipWriter(o.created);
  // Stored, never deflated: ReplayWeb.page reads WARC records by range straight out of the ZIP.
  for (const [path, bytes] of [
    [WARC_PATH, warc],
    [CDX_PATH, cdx],
    [PAGES_PATH, pagesBytes],
    ['datapackage.json', datapackageBytes],
    ['datapackage-digest.json', digestBytes],
  ] as const) {
    zip.add(path, bytes);
  }
  const bytes = concatBytes(zip.finish());
  return { bytes, datapackageHash, publicKey, records, pages: total };
}
