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

function view(b: Uint8Array | ArrayBuffer): Uint8Array {
  return b instanceof Uint8Array ? b : new Uint8Array(b);
}

function parseDer(bytes: Uint8Array, what: string): asn1js.AsnType {
  const asn = asn1js.fromBER(bytes);
  if (asn.offset === -1) throw new Error(`${what} is not valid DER`);
  if (asn.offset !== bytes.byteLength) throw new Error(`${what} has ${bytes.byteLength - asn.offset} extra bytes after its end`);
  return asn.result;
}

/**
 * Reads a TimeStampResp (what an authority sends, and what a .tsr file
 * holds). A bare TimeStampToken (ContentInfo) is accepted too and reported
 * as granted. The token bytes are returned exactly as they were in the reply.
 */
export function parseReply(bytes: Uint8Array): Result<ParsedReply> {
  try {
    const top = parseDer(bytes, 'The reply');
    if (!(top instanceof asn1js.Sequence) || top.valueBlock.value.length === 0) return err('tsa-bad-reply', 'The reply is not a time-stamp response.');
    const first = top.valueBlock.value[0];
    if (first instanceof asn1js.ObjectIdentifier) return ok({ status: 0, statusText: '', token: bytes.slice() });
    const resp = new pkijs.TimeStampResp({ schema: top });
    const st = resp.status;
    const words = (st.statusStrings ?? []).map((s) => String(s.valueBlock.value)).filter(Boolean);
    if (st.failInfo) {
      const bits = st.failInfo.valueBlock.valueHexView;
      const unused = st.failInfo.valueBlock.unusedBits;
      for (let i = 0; i < bits.length * 8 - unused; i++) if (bits[i >> 3] & (0x80 >> (i & 7))) words.push(FAILURE[i] ?? `failure code ${i}`);
    }
    const tokenAsn = top.valueBlock.value[1];
    const token = tokenAsn ? view(tokenAsn.valueBeforeDecodeView).slice() : null;
    return ok({ status: st.status, statusText: words.join('; '), token });
  } catch (e) {
    return err('tsa-bad-reply', `The reply cannot be read: ${(e as Error).message}.`);
  }
}

export interface ParsedToken {
  signedData: pkijs.SignedData;
  tstInfo: pkijs.TSTInfo;
  /** The DER bytes of the TSTInfo (what the signature's message-digest covers). */
  tstInfoDer: Uint8Array;
  certificates: pkijs.Certificate[];
}

/** Reads a TimeStampToken: a CMS SignedData whose content is a TSTInfo. Throws with a plain reason. */
export function parseToken(token: Uint8Array): ParsedToken {
  const ci = new pkijs.ContentInfo({ schema: parseDer(token, 'The token') });
  if (ci.contentType !== TSP_OID.signedData) throw new Error('the token is not a CMS SignedData');
  const signedData = new pkijs.SignedData({ schema: ci.content });
  if (signedData.encapContentInfo.eContentType !== TSP_OID.tstInfo) throw new Error('the signed content is not a TSTInfo (not a time-stamp token)');
  const eContent = signedData.encapContentInfo.eContent;
  if (!eContent) throw new Error('the token has no TSTInfo');
  const tstInfoDer = view(eContent.getValue()).slice();
  const tstInfo = pkijs.TSTInfo.fromBER(tstInfoDer);
  const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  return { signedData, tstInfo, tstInfoDer, certificates };
}

/** The DER bytes of a certificate. */
export function certificateDer(c: pkijs.Certificate): Uint8Array {
  return new Uint8Array(c.toSchema().toBER(false));
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
