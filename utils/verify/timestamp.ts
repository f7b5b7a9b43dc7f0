import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { fromHex, fromUtf8, toBase64, toHex } from '../shared/encoding';
import { err, ok, type Result } from '../shared/result';
import { sha256Hex } from '../shared/sha256';
import { generalNameText, integerHex, nameText, parseReply, parseToken, pemCertificates, readCertificate, TSP_OID } from '../shared/tsp';
import type { CaptureResult, Check } from './verify';

/**
 * Checks RFC 3161 time-stamp tokens, as `openssl ts -verify` does: the
 * message imprint is the expected hash, the CMS signature is valid for the
 * authority's certificate inside the token, that certificate is for time
 * stamping (critical extendedKeyUsage timeStamping) and is the one the token
 * names (ESS signing-certificate), and was valid at the token's time. The
 * certificate chain is followed only as far as the certificates in the token
 * and the package go; trusting the authority's root is for the reader, with
 * the authority's own CA certificate, and the report says so.
 */

export interface TokenInfo {
  /** The authority's time (TSTInfo genTime), ISO 8601 UTC with milliseconds. */
  gen_time: string;
  serial: string;
  policy: string;
  /** Stated accuracy in milliseconds, when the token gives one. */
  accuracy_ms: number | null;
  nonce: string | null;
  /** The token's `tsa` name field, when present. */
  tsa_name: string | null;
  /** The certificate that signed the token. */
  signer: { subject: string; issuer: string; sha256: string; not_before: string; not_after: string };
  /** How far the chain of certificates could be followed, in plain words. */
  chain: string;
  /** True when the chain ended at a self-signed root whose signature checks (which still needs comparing with the authority's published root). */
  chain_to_root: boolean;
}

const HASH_NAMES: Record<string, string> = {
  [TSP_OID.sha1]: 'SHA-1',
  [TSP_OID.sha256]: 'SHA-256',
  [TSP_OID.sha384]: 'SHA-384',
  [TSP_OID.sha512]: 'SHA-512',
};

function view(b: ArrayBuffer | Uint8Array): Uint8Array {
  return b instanceof Uint8Array ? b : new Uint8Array(b);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function digest(alg: string, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(alg, data.slice().buffer as ArrayBuffer));
}

function hasTimeStampingEku(c: pkijs.Certificate): 'ok' | 'missing' | 'not-critical' {
  const ext = c.extensions?.find((e) => e.extnID === TSP_OID.extKeyUsage);
  if (!ext) return 'missing';
  const eku = ext.parsedValue as pkijs.ExtKeyUsage | undefined;
  if (!eku?.keyPurposes?.includes(TSP_OID.timeStamping)) return 'missing';
  return ext.critical ? 'ok' : 'not-critical';
}

function selfIssued(c: pkijs.Certificate): boolean {
  return c.subject.isEqual(c.issuer);
}

async function signs(issuer: pkijs.Certificate, c: pkijs.Certificate): Promise<boolean> {
  try {
    return await c.verify(issuer);
  } catch {
    return false;
  }
}

type Cert = { der: Uint8Array; cert: pkijs.Certificate };
type Chain = { text: string; toRoot: boolean; broken: string | null };

/** Chains already followed, by signer and the certificates at hand (every token from one authority repeats them). */
const chainCache = new Map<string, Promise<Chain>>();

function followChainCached(signer: Cert, pool: Cert[]): Promise<Chain> {
  const key = [signer.der, ...pool.map((p) => p.der)].map(toBase64).join('|');
  let p = chainCache.get(key);
  if (!p) {
    p = followChain(signer, pool);
    if (chainCache.size >= 64) chainCache.delete(chainCache.keys().next().value as string);
    chainCache.set(key, p);
  }
  return p;
}

/** Follows issuers through the certificates at hand; never trusts what it finds. */
async function followChain(signerCert: Cert, certs: Cert[]): Promise<Chain> {
  const parts: string[] = [];
  const pool = certs.map((c) => c.cert);
  const derOf = new Map(certs.map((c) => [c.cert, c.der]));
  derOf.set(signerCert.cert, signerCert.der);
  let cur = signerCert.cert;
  for (let depth = 0; depth < 8; depth++) {
    if (selfIssued(cur)) {
      if (!(await signs(cur, cur))) return { text: parts.join(' '), toRoot: false, broken: `the self-signed certificate ${nameText(cur.subject)} does not carry a valid signature` };
      const fp = toHex(await digest('SHA-256', derOf.get(cur)!));
      parts.push(
        `${depth === 0 ? 'It is self-signed' : `${nameText(cur.subject)} is a self-signed root`} (SHA-256 ${fp}); it is included with the token, which proves nothing by itself: compare that fingerprint with the root the authority publishes.`,
      );
      return { text: parts.join(' '), toRoot: true, broken: null };
    }
    const candidates = pool.filter((p) => p !== cur && p.subject.isEqual(cur.issuer));
    let next: pkijs.Certificate | null = null;
    for (const p of candidates) if (await signs(p, cur)) next = p;
    if (!next) {
      if (candidates.length) return { text: parts.join(' '), toRoot: false, broken: `${nameText(cur.subject)} is not validly signed by the ${nameText(cur.issuer)} certificate included with it` };
      parts.push(`${depth === 0 ? 'It was' : `${nameText(cur.subject)} was`} issued by ${nameText(cur.issuer)}, whose certificate is not in the token or the package: check the chain with the authority's CA certificate (openssl ts -verify -CAfile, see VERIFY.txt).`);
      return { text: parts.join(' '), toRoot: false, broken: null };
    }
    parts.push(`${depth === 0 ? 'It was' : `${nameText(cur.subject)} was`} issued by ${nameText(next.subject)} (signature checked).`);
    cur = next;
  }
  return { text: parts.join(' ') + ' The chain is longer than 8 certificates; it was not followed further.', toRoot: false, broken: null };
}

/** ESS signing-certificate(-v2): the signed attribute that names the signer's certificate by hash (RFC 3161 2.4.2, RFC 5035). */
async function checkSigningCertAttr(attrs: pkijs.Attribute[], signerDer: Uint8Array): Promise<string | null> {
  const v2 = attrs.find((a) => a.type === TSP_OID.signingCertificateV2);
  const v1 = attrs.find((a) => a.type === TSP_OID.signingCertificate);
  const attr = v2 ?? v1;
  if (!attr) return 'the token does not name its signing certificate (no ESS signing-certificate attribute)';
  try {
    const signingCert = attr.values[0] as asn1js.Sequence;
    const certs = signingCert.valueBlock.value[0] as asn1js.Sequence;
    const first = certs.valueBlock.value[0] as asn1js.Sequence;
    const fields = first.valueBlock.value;
    let alg = v2 ? 'SHA-256' : 'SHA-1';
    let hashField = fields[0];
    if (v2 && fields[0] instanceof asn1js.Sequence) {
      const oid = (fields[0].valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
      alg = HASH_NAMES[oid] ?? '';
      hashField = fields[1];
      if (!alg) return `the signing-certificate attribute uses an unknown hash (${oid})`;
    }
    if (!(hashField instanceof asn1js.OctetString)) return 'the signing-certificate attribute cannot be read';
    const want = view(hashField.valueBlock.valueHexView);
    if (!sameBytes(want, await digest(alg, signerDer))) return "the signing-certificate attribute names a different certificate than the one that signed the token";
    return null;
  } catch {
    return 'the signing-certificate attribute cannot be read';
  }
}

/**
 * Checks one token (or a whole TimeStampResp holding one) against the hash it
 * should cover. `extraCertificates` are DER certificates from the package
 * that may complete the chain.
 */
export async function inspectToken(bytes: Uint8Array, expected: Uint8Array, extraCertificates: Uint8Array[] = []): Promise<Result<TokenInfo>> {
  const reply = parseReply(bytes);
  if (!reply.ok) return reply;
  if (reply.value.status > 1) return err('tsa-refused', `the authority refused (${reply.value.statusText || `status ${reply.value.status}`}); there is no token`);
  if (!reply.value.token) return err('tsa-bad-reply', 'the reply holds no token');
  let parsed;
  try {
    parsed = parseToken(reply.value.token);
  } catch {
    // Fixed wording, as in tsp.ts: the same report from the CLI and from verify.html.
    return err('tsa-bad-token', 'the token cannot be read: it is not a well-formed RFC 3161 time-stamp token');
  }
  const { signerInfos, tstInfo, tstInfoDer, certificates } = parsed;
  try {
    const imprint = tstInfo.messageImprint;
    const algName = HASH_NAMES[imprint.hashAlgorithm.algorithmId];
    if (algName !== 'SHA-256') return err('tsa-bad-token', `the token covers a ${algName ?? imprint.hashAlgorithm.algorithmId} hash, not a SHA-256 one`);
    const hashed = view(imprint.hashedMessage.valueBlock.valueHexView);
    if (!sameBytes(hashed, expected)) return err('tsa-wrong-hash', `the token covers the hash ${toHex(hashed)}, not ${toHex(expected)}`);

    if (signerInfos.length !== 1) return err('tsa-bad-token', `the token has ${signerInfos.length} signers; a time-stamp token has exactly one`);
    const si = signerInfos[0];
    const signerEntry =
      certificates.find(({ cert: c }) => (si.sid instanceof pkijs.IssuerAndSerialNumber ? c.issuer.isEqual(si.sid.issuer) && c.serialNumber.isEqual(si.sid.serialNumber) : false)) ??
      (await findBySubjectKeyId(si.sid, certificates));
    if (!signerEntry) return err('tsa-no-certificate', "the authority's certificate is not in the token (it was requested with certReq), so its signature cannot be checked");
    const signer = signerEntry.cert;
    const signerDer = signerEntry.der;

    const attrs = si.signedAttrs?.attributes;
    if (!attrs || !si.signedAttrs) return err('tsa-bad-token', 'the token has no signed attributes');
    const ct = attrs.find((a) => a.type === TSP_OID.contentType);
    if (!ct || (ct.values[0] as asn1js.ObjectIdentifier).valueBlock.toString() !== TSP_OID.tstInfo) return err('tsa-bad-token', 'the signed content-type is not TSTInfo');
    const md = attrs.find((a) => a.type === TSP_OID.messageDigest);
    const digestAlg = HASH_NAMES[si.digestAlgorithm.algorithmId];
    if (!md || !digestAlg) return err('tsa-bad-token', 'the token has no usable message-digest attribute');
    if (!sameBytes(view((md.values[0] as asn1js.OctetString).valueBlock.valueHexView), await digest(digestAlg, tstInfoDer)))
      return err('tsa-bad-signature', 'the signed digest does not match the time-stamp content: the token was altered');
    const engine = pkijs.getCrypto(true);
    let sigOk = false;
    try {
      sigOk = await engine.verifyWithPublicKey(si.signedAttrs.encodedValue, si.signature, signer.subjectPublicKeyInfo, si.signatureAlgorithm, digestAlg);
    } catch {
      sigOk = false;
    }
    if (!sigOk) return err('tsa-bad-signature', "the authority's signature over the token does not match: the token was altered or was not made by that certificate");
    const essProblem = await checkSigningCertAttr(attrs, signerDer);
    if (essProblem) return err('tsa-bad-token', essProblem);

    const eku = hasTimeStampingEku(signer);
    if (eku === 'missing') return err('tsa-not-tsa-cert', `the signing certificate ${nameText(signer.subject)} is not for time stamping (no extendedKeyUsage timeStamping)`);
    if (eku === 'not-critical') return err('tsa-not-tsa-cert', `the signing certificate ${nameText(signer.subject)} marks timeStamping as non-critical, which RFC 3161 forbids`);
    const genTime = tstInfo.genTime;
    if (genTime < signer.notBefore.value || genTime > signer.notAfter.value)
      return err('tsa-cert-expired', `the token's time ${genTime.toISOString()} is outside the signing certificate's validity (${signer.notBefore.value.toISOString()} to ${signer.notAfter.value.toISOString()})`);

    const pool: Cert[] = [...certificates];
    for (const der of extraCertificates) {
      try {
        pool.push({ der, cert: readCertificate(der) });
      } catch {
        /* a certificate file that does not parse cannot help the chain; the file checks cover the file itself */
      }
    }
    const chain = await followChainCached(signerEntry, pool);
    if (chain.broken) return err('tsa-bad-chain', `the certificate chain is broken: ${chain.broken}`);

    const acc = tstInfo.accuracy;
    const accuracy_ms = acc ? (acc.seconds ?? 0) * 1000 + (acc.millis ?? 0) + (acc.micros ?? 0) / 1000 : null;
    return ok({
      gen_time: genTime.toISOString(),
      serial: integerHex(tstInfo.serialNumber),
      policy: tstInfo.policy,
      accuracy_ms,
      nonce: tstInfo.nonce ? integerHex(tstInfo.nonce) : null,
      tsa_name: generalNameText(tstInfo.tsa),
      signer: {
        subject: nameText(signer.subject),
        issuer: nameText(signer.issuer),
        sha256: await sha256Hex(signerDer),
        not_before: signer.notBefore.value.toISOString(),
        not_after: signer.notAfter.value.toISOString(),
      },
      chain: `Signed by ${nameText(signer.subject)} (certificate SHA-256 ${await sha256Hex(signerDer)}, for time stamping). ${chain.text}`,
      chain_to_root: chain.toRoot,
    });
  } catch (e) {
    return err('tsa-bad-token', `the token cannot be checked: ${(e as Error).message}`);
  }
}

async function findBySubjectKeyId(sid: pkijs.SignerInfo['sid'], certs: Cert[]): Promise<Cert | undefined> {
  if (sid instanceof pkijs.IssuerAndSerialNumber) return undefined;
  const block = sid as asn1js.Constructed & asn1js.OctetString;
  const keyId = view(block.idBlock.isConstructed ? (block.valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView : block.valueBlock.valueHexView);
  for (const c of certs) {
    if (sameBytes(await digest('SHA-1', view(c.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)), keyId)) return c;
  }
  return undefined;
}

/** TSA time minus device time, in milliseconds. */
export function skewMs(genTime: string, deviceTime: string): number | null {
  const a = Date.parse(genTime);
  const b = Date.parse(deviceTime);
  return Number.isFinite(a) && Number.isFinite(b) ? a - b : null;
}

/** "+1.234 s" / "-0.020 s": the authority's time minus the device's. */
export function formatSkew(ms: number): string {
  const s = (Math.abs(ms) / 1000).toFixed(3);
  return `${ms < 0 ? '-' : '+'}${s} s`;
}

// ---------------------------------------------------------------- package checks

export interface TimestampResult {
  /** The token file (e.g. captures/000001-page-page/record.tsr, manifest.json.sig.tsr). */
  file: string;
  /** What it time-stamps: a capture folder, or manifest.json.sig. */
  subject: string;
  status: 'stamped' | 'pending' | 'invalid';
  gen_time: string | null;
  /** The device's own clock for the same moment (record captured_at, or manifest created). */
  device_time: string | null;
  skew_ms: number | null;
  authority: string | null;
  certificate_sha256: string | null;
}

/** What the timestamp checks need from the package; the verifier's input layer provides it. */
export interface TimestampSource {
  has(name: string): boolean;
  read(name: string): Promise<Uint8Array>;
  readJson(name: string): Promise<unknown>;
  names(): Iterable<string>;
}

function asObj(v: unknown): Record<string, unknown> | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** Largest token file read (real ones are a few kilobytes). */
const MAX_TOKEN = 1024 * 1024;

/** Folder where the package keeps the authorities' certificates. */
export const TSA_CERT_DIR = 'tsa/';

/**
 * Checks every time-stamp token in a package: each capture's record.tsr
 * against its record hash, and manifest.json.sig.tsr against the bytes of
 * manifest.json.sig. A capture whose timestamp was still pending at export is
 * reported as not yet witnessed, which is not a failure.
 */
export async function checkTimestamps(
  src: TimestampSource,
  captures: CaptureResult[],
  manifestCreated: string | null,
  exportTokenRequested = false,
): Promise<{ checks: Check[]; timestamps: TimestampResult[] }> {
  const checks: Check[] = [];
  const timestamps: TimestampResult[] = [];
  const extra: Uint8Array[] = [];
  for (const n of src.names()) {
    if (!n.startsWith(TSA_CERT_DIR) || !n.endsWith('.pem')) continue;
    try {
      extra.push(...pemCertificates(fromUtf8(await src.read(n))));
    } catch {
      /* unreadable: the file checks name it */
    }
  }

  const detailFor = (info: TokenInfo, deviceLabel: string, deviceTime: string | null) => {
    const skew = deviceTime ? skewMs(info.gen_time, deviceTime) : null;
    const acc = info.accuracy_ms !== null ? ` (±${info.accuracy_ms} ms)` : '';
    const clock = deviceTime
      ? ` ${deviceLabel} ${deviceTime}${skew !== null ? `; authority minus device: ${formatSkew(skew)}` : ''}.`
      : '';
    return { skew, text: `Authority time ${info.gen_time}${acc}.${clock} ${info.chain}` };
  };

  for (const c of captures) {
    const file = `${c.folder}/record.tsr`;
    let rec: Record<string, unknown> | null = null;
    try {
      rec = asObj(await src.readJson(`${c.folder}/record.json`));
    } catch {
      continue; // the record check already failed it
    }
    const seal = asObj(rec?.seal);
    const stated = asObj(seal?.timestamp);
    const capturedAt = typeof rec?.captured_at === 'string' ? rec.captured_at : null;
    const hasToken = src.has(file);
    if (!stated && !hasToken) continue; // timestamps were off for this capture
    const authority = typeof stated?.authority_url === 'string' ? stated.authority_url : null;
    const base: TimestampResult = { file, subject: c.folder, status: 'invalid', gen_time: null, device_time: capturedAt, skew_ms: null, authority, certificate_sha256: null };
    if (stated?.status === 'pending' && !hasToken) {
      base.status = 'pending';
      timestamps.push(base);
      const why = typeof stated.last_error === 'string' && stated.last_error ? ` The last attempt failed: ${stated.last_error}` : '';
      checks.push({ id: 'timestamp', status: 'skip', file: `${c.folder}/record.json`, detail: `Not yet witnessed: the trusted timestamp from ${authority ?? 'the authority'} was still pending when the package was made, so only the device clock (${capturedAt ?? '?'}) dates this capture.${why}` });
      c.timestamp = { status: 'pending', gen_time: null, skew_ms: null };
      continue;
    }
    if (!hasToken) {
      timestamps.push(base);
      checks.push({ id: 'timestamp', status: 'fail', file, detail: 'The record says it was time-stamped, but its token is missing from the package.' });
      c.timestamp = { status: 'invalid', gen_time: null, skew_ms: null };
      continue;
    }
    const sealed = typeof seal?.record_sha256 === 'string' && /^[0-9a-f]{64}$/.test(seal.record_sha256) ? seal.record_sha256 : null;
    const hashHex = c.record_sha256 ?? sealed;
    if (!hashHex) {
      timestamps.push(base);
      checks.push({ id: 'timestamp', status: 'fail', file, detail: 'The record has no hash to check the token against.' });
      continue;
    }
    const bytes = await src.read(file);
    const r = bytes.byteLength > MAX_TOKEN ? err('tsa-bad-token', `the file is ${bytes.byteLength} bytes, far too large to be a time-stamp reply`) : await inspectToken(bytes, fromHex(hashHex), extra);
    if (!r.ok) {
      timestamps.push(base);
      checks.push({ id: 'timestamp', status: 'fail', file, detail: `The trusted timestamp is not valid: ${r.error.message}.` });
      c.timestamp = { status: 'invalid', gen_time: null, skew_ms: null };
      continue;
    }
    const info = r.value;
    if (stated && stated.gen_time !== info.gen_time) {
      timestamps.push(base);
      checks.push({ id: 'timestamp', status: 'fail', file: `${c.folder}/record.json`, detail: `The record states the timestamp time ${String(stated.gen_time)}, but the token says ${info.gen_time}.` });
      c.timestamp = { status: 'invalid', gen_time: info.gen_time, skew_ms: null };
      continue;
    }
    const d = detailFor(info, 'The device clock said', capturedAt);
    timestamps.push({ ...base, status: 'stamped', gen_time: info.gen_time, skew_ms: d.skew, authority: authority ?? info.signer.subject, certificate_sha256: info.signer.sha256 });
    checks.push({ id: 'timestamp', status: 'pass', file, detail: `Valid trusted timestamp over the record hash ${hashHex}. ${d.text}` });
    c.timestamp = { status: 'stamped', gen_time: info.gen_time, skew_ms: d.skew };
  }

  const exportFile = 'manifest.json.sig.tsr';
  if (!src.has(exportFile) && exportTokenRequested)
    // The exporter signs the manifest again without this promise when the authority does not answer, so a promised token that is missing was removed.
    checks.push({
      id: 'timestamp',
      status: 'fail',
      file: exportFile,
      detail: 'The signed manifest says this package carries a trusted timestamp over its signature (manifest.json.sig.tsr), but the file is missing: it was removed after export.',
    });
  if (src.has(exportFile)) {
    const base: TimestampResult = { file: exportFile, subject: 'manifest.json.sig', status: 'invalid', gen_time: null, device_time: manifestCreated, skew_ms: null, authority: null, certificate_sha256: null };
    if (!src.has('manifest.json.sig')) {
      checks.push({ id: 'timestamp', status: 'fail', file: exportFile, detail: 'There is a timestamp for manifest.json.sig, but no manifest.json.sig.' });
      timestamps.push(base);
    } else {
      const h = fromHex(await sha256Hex(await src.read('manifest.json.sig')));
      const bytes = await src.read(exportFile);
      const r = bytes.byteLength > MAX_TOKEN ? err('tsa-bad-token', `the file is ${bytes.byteLength} bytes, far too large to be a time-stamp reply`) : await inspectToken(bytes, h, extra);
      if (!r.ok) {
        checks.push({ id: 'timestamp', status: 'fail', file: exportFile, detail: `The export's trusted timestamp is not valid: ${r.error.message}.` });
        timestamps.push(base);
      } else {
        const d = detailFor(r.value, 'The package says it was made', manifestCreated);
        checks.push({ id: 'timestamp', status: 'pass', file: exportFile, detail: `Valid trusted timestamp over manifest.json.sig: the signed package existed by then. ${d.text}` });
        timestamps.push({ ...base, status: 'stamped', gen_time: r.value.gen_time, skew_ms: d.skew, authority: r.value.signer.subject, certificate_sha256: r.value.signer.sha256 });
      }
    }
  }
  return { checks, timestamps };
}
