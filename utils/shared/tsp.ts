import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { toBase64, toHex } from './encoding';
import { err, ok, type Result } from './result';

/**
 * RFC 3161 (Time-Stamp Protocol) structures, read with pkijs. Shared by the
 * background (requests), the exporter (the authority's certificates) and the
 * verifier (token checks), so all three read a reply the same way.
 */

export const TSP_OID = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  extKeyUsage: '2.5.29.37',
  timeStamping: '1.3.6.1.5.5.7.3.8',
} as const;

/** PKIStatus values (RFC 3161 section 2.4.2). */
export const PKI_STATUS: Record<number, string> = {
  0: 'granted',
  1: 'granted with modifications',
  2: 'rejection',
  3: 'waiting',
  4: 'revocation warning',
  5: 'revocation notification',
};

/** PKIFailureInfo bits (RFC 3161 section 2.4.2), in plain words. */
const FAILURE: Record<number, string> = {
  0: 'unrecognised or unsupported algorithm',
  2: 'the request was not understood',
  5: 'the request was badly formatted',
  14: 'the authority has no time source available',
  15: 'the requested policy is not supported',
  16: 'a requested extension is not supported',
  17: 'additional information is not available',
  25: 'the authority failed internally',
};

export interface ParsedReply {
  /** PKIStatus (0 granted, 1 granted with modifications, 2+ refused). */
  status: number;
  /** The authority's own words and failure reasons, when it refused. */
  statusText: string;
  /** The exact DER bytes of the TimeStampToken inside the reply, or null when there is none. */
  token: Uint8Array | null;
}

/**
 * A DER element: tag byte and where its contents lie. The outer layers of a
 * reply are walked with this small reader instead of a full asn1js parse,
 * which costs several milliseconds per kilobyte (measured: ~20 ms a token),
 * mostly on certificates that every token from one authority repeats.
 */
interface Tlv {
  tag: number;
  start: number;
  body: number;
  end: number;
}

function readTlv(b: Uint8Array, pos: number, limit: number): Tlv {
  if (pos + 2 > limit) throw new Error('the data ends inside an element');
  const tag = b[pos];
  if ((tag & 0x1f) === 0x1f) throw new Error('an element uses a multi-byte tag, which these structures never do');
  let len = b[pos + 1];
  let body = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('an element has an indefinite or oversized length (not DER)');
    if (body + n > limit) throw new Error('the data ends inside a length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[body + i];
    body += n;
  }
  const end = body + len;
  if (end > limit) throw new Error('an element is longer than the data holding it');
  return { tag, start: pos, body, end };
}

function children(b: Uint8Array, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = t.body; pos < t.end; ) {
    const c = readTlv(b, pos, t.end);
    out.push(c);
    pos = c.end;
  }
  return out;
}

function whole(b: Uint8Array, what: string): Tlv {
  const t = readTlv(b, 0, b.byteLength);
  if (t.end !== b.byteLength) throw new Error(`${what} has ${b.byteLength - t.end} extra bytes after its end`);
  return t;
}

const slice = (b: Uint8Array, t: Tlv) => b.slice(t.start, t.end);
const asBuffer = (b: Uint8Array) => b.slice().buffer as ArrayBuffer;

function oidOf(b: Uint8Array, t: Tlv): string {
  if (t.tag !== 0x06) throw new Error('an object identifier was expected');
  return (asn1js.fromBER(asBuffer(slice(b, t))).result as asn1js.ObjectIdentifier).valueBlock.toString();
}

function view(b: Uint8Array | ArrayBuffer): Uint8Array {
  return b instanceof Uint8Array ? b : new Uint8Array(b);
}

const SEQUENCE = 0x30;
const SET = 0x31;

/**
 * Reads a TimeStampResp (what an authority sends, and what a .tsr file
 * holds). A bare TimeStampToken (ContentInfo) is accepted too and reported
 * as granted. The token bytes are returned exactly as they were in the reply.
 */
export function parseReply(bytes: Uint8Array): Result<ParsedReply> {
  try {
    const top = whole(bytes, 'The reply');
    if (top.tag !== SEQUENCE) return err('tsa-bad-reply', 'The reply is not a time-stamp response.');
    const kids = children(bytes, top);
    if (kids.length === 0) return err('tsa-bad-reply', 'The reply is empty.');
    if (kids[0].tag === 0x06) return ok({ status: 0, statusText: '', token: bytes.slice() });
    if (kids[0].tag !== SEQUENCE || kids.length > 2) return err('tsa-bad-reply', 'The reply is not a time-stamp response.');
    const st = pkijs.PKIStatusInfo.fromBER(asBuffer(slice(bytes, kids[0])));
    const words = (st.statusStrings ?? []).map((x) => String(x.valueBlock.value)).filter(Boolean);
    if (st.failInfo) {
      const bits = st.failInfo.valueBlock.valueHexView;
      const unused = st.failInfo.valueBlock.unusedBits;
      for (let i = 0; i < bits.length * 8 - unused; i++) if (bits[i >> 3] & (0x80 >> (i & 7))) words.push(FAILURE[i] ?? `failure code ${i}`);
    }
    const token = kids[1] ? slice(bytes, kids[1]) : null;
    return ok({ status: st.status, statusText: words.join('; '), token });
  } catch {
    // Fixed wording: the parser's own message names minified schema names and differs between builds and engines.
    return err('tsa-bad-reply', 'The reply cannot be read: it is not a well-formed RFC 3161 TimeStampResp.');
  }
}

export interface ParsedToken {
  signerInfos: pkijs.SignerInfo[];
  tstInfo: pkijs.TSTInfo;
  /** The DER bytes of the TSTInfo (what the signature's message-digest covers). */
  tstInfoDer: Uint8Array;
  /** The certificates carried in the token, with their DER bytes. */
  certificates: { der: Uint8Array; cert: pkijs.Certificate }[];
}

/** Certificates already read, by their DER (tokens from one authority carry the same ones). */
const certCache = new Map<string, pkijs.Certificate>();

/** Reads a certificate once; later tokens carrying the same bytes reuse it. */
export function readCertificate(der: Uint8Array): pkijs.Certificate {
  const key = toBase64(der);
  let c = certCache.get(key);
  if (!c) {
    c = pkijs.Certificate.fromBER(asBuffer(der));
    if (der.byteLength > 16 * 1024) return c; // real certificates are a few kilobytes; do not hold odd ones
    if (certCache.size >= 256) certCache.delete(certCache.keys().next().value as string);
    certCache.set(key, c);
  }
  return c;
}

/** The raw DER of each certificate in a token, without reading anything else (for collecting them at export). */
export function tokenCertificateBytes(token: Uint8Array): Uint8Array[] {
  return signedDataParts(token).certs.map((t) => slice(token, t));
}

function signedDataParts(token: Uint8Array) {
  const ci = whole(token, 'The token');
  const ciKids = children(token, ci);
  if (ci.tag !== SEQUENCE || ciKids.length !== 2 || oidOf(token, ciKids[0]) !== TSP_OID.signedData) throw new Error('the token is not a CMS SignedData');
  const explicit = ciKids[1];
  if (explicit.tag !== 0xa0) throw new Error('the token is not a CMS SignedData');
  const [sd] = children(token, explicit);
  if (!sd || sd.tag !== SEQUENCE) throw new Error('the token is not a CMS SignedData');
  const sdKids = children(token, sd);
  // version, digestAlgorithms, encapContentInfo, [0] certificates?, [1] crls?, signerInfos
  const encap = sdKids[2];
  const signerSet = sdKids[sdKids.length - 1];
  if (!encap || encap.tag !== SEQUENCE || signerSet.tag !== SET) throw new Error('the SignedData is incomplete');
  const certSet = sdKids.slice(3, -1).find((t) => t.tag === 0xa0);
  const certs = certSet ? children(token, certSet).filter((t) => t.tag === SEQUENCE) : [];
  return { encap, signerSet, certs };
}

/** Reads a TimeStampToken: a CMS SignedData whose content is a TSTInfo. Throws with a plain reason. */
export function parseToken(token: Uint8Array): ParsedToken {
  const { encap, signerSet, certs } = signedDataParts(token);
  const eKids = children(token, encap);
  if (eKids.length < 1 || oidOf(token, eKids[0]) !== TSP_OID.tstInfo) throw new Error('the signed content is not a TSTInfo (not a time-stamp token)');
  const wrapper = eKids[1];
  if (!wrapper || wrapper.tag !== 0xa0) throw new Error('the token has no TSTInfo');
  const [octets] = children(token, wrapper);
  if (!octets || octets.tag !== 0x04) throw new Error('the TSTInfo is not carried as a DER OCTET STRING');
  const tstInfoDer = token.slice(octets.body, octets.end);
  const tstInfo = pkijs.TSTInfo.fromBER(asBuffer(tstInfoDer));
  const signerInfos = children(token, signerSet).map((t) => pkijs.SignerInfo.fromBER(asBuffer(slice(token, t))));
  const certificates = certs.map((t) => {
    const der = slice(token, t);
    return { der, cert: readCertificate(der) };
  });
  return { signerInfos, tstInfo, tstInfoDer, certificates };
}

export function certificatePem(der: Uint8Array): string {
  const b64 = toBase64(der).replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** Every certificate in a PEM text (other blocks are skipped). */
export function pemCertificates(pem: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const m of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    const bin = atob(m[1].replace(/\s+/g, ''));
    out.push(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  }
  return out;
}

const NAME_KEYS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** A distinguished name as text, in the order it is encoded ("CN=…, O=…"). */
export function nameText(n: pkijs.RelativeDistinguishedNames): string {
  return n.typesAndValues
    .map((tv) => {
      const v = (tv.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
      return `${NAME_KEYS[tv.type] ?? tv.type}=${typeof v === 'string' ? v : toHex(view(tv.value.valueBeforeDecodeView))}`;
    })
    .join(', ');
}

/** TSTInfo's optional `tsa` name, as text. */
export function generalNameText(g: pkijs.GeneralName | undefined): string | null {
  if (!g) return null;
  if (g.type === 4) return nameText(g.value as pkijs.RelativeDistinguishedNames);
  return typeof g.value === 'string' ? g.value : null;
}

export function integerHex(i: asn1js.Integer): string {
  return toHex(view(i.valueBlock.valueHexView));
}
