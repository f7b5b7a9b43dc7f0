import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { err, ok, type Result } from '../shared/result';
import { parseReply, parseToken, PKI_STATUS, TSP_OID, integerHex } from '../shared/tsp';
import { inspectToken, type TokenInfo } from '../verify/timestamp';

/**
 * RFC 3161 requests: the one outbound request Cairn makes, and only when the
 * user has turned timestamps on. What leaves the device is a SHA-256 hash and
 * a random nonce (plus, unavoidably, the user's IP address).
 */

export const TSA_TIMEOUT_MS = 20_000;

export type TsaErrorCode = 'tsa-unreachable' | 'tsa-timeout' | 'tsa-http' | 'tsa-refused' | 'tsa-bad-reply' | 'tsa-mismatch' | 'tsa-bad-token' | 'tsa-bad-url';

export interface Stamp {
  /** The authority's whole TimeStampResp, exactly as received (exported as .tsr). */
  reply: Uint8Array;
  /** The TimeStampToken inside it. */
  token: Uint8Array;
  gen_time: string;
  info: TokenInfo;
}

/** Checks an authority URL the user typed: http(s) only, no credentials in it. */
export function checkAuthorityUrl(raw: string): Result<URL> {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return err('tsa-bad-url', 'That is not a web address. It should look like https://freetsa.org/tsr');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return err('tsa-bad-url', 'The address must start with http:// or https://.');
  if (u.username || u.password) return err('tsa-bad-url', 'The address must not contain a user name or password.');
  return ok(u);
}

/** The host-permission pattern that lets Cairn read the authority's replies (match patterns take no port). */
export function originPattern(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}

function randomNonce(): Uint8Array {
  const n = crypto.getRandomValues(new Uint8Array(8));
  // Positive and minimally encoded: no leading zero byte, top bit clear.
  n[0] = (n[0] & 0x7f) | 0x01;
  return n;
}

/** A DER TimeStampReq over a SHA-256 value (the value itself is the hashedMessage), with a nonce, asking for the certificate. */
export function buildRequest(sha256: Uint8Array, nonce = randomNonce()): Uint8Array {
  if (sha256.byteLength !== 32) throw new Error('a SHA-256 hash is 32 bytes');
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: TSP_OID.sha256, algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: sha256.slice().buffer as ArrayBuffer }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonce.slice().buffer as ArrayBuffer }),
    certReq: true,
  });
  return new Uint8Array(req.toSchema().toBER(false));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Checks an authority's reply to our request: granted, a token over our hash
 * with our nonce, and a valid signature by a time-stamping certificate.
 */
export async function acceptReply(reply: Uint8Array, sha256: Uint8Array, nonce: Uint8Array): Promise<Result<Stamp, TsaErrorCode>> {
  const parsed = parseReply(reply);
  if (!parsed.ok) return err('tsa-bad-reply', parsed.error.message);
  const { status, statusText, token } = parsed.value;
  if (status !== 0 && status !== 1)
    return err('tsa-refused', `The time-stamping authority refused the request (${PKI_STATUS[status] ?? `status ${status}`}${statusText ? `: ${statusText}` : ''}).`);
  if (!token) return err('tsa-bad-reply', 'The authority said yes but sent no token.');
  let tstNonce: string | null;
  try {
    const t = parseToken(token);
    tstNonce = t.tstInfo.nonce ? integerHex(t.tstInfo.nonce) : null;
  } catch (e) {
    return err('tsa-bad-reply', `The authority's token cannot be read: ${(e as Error).message}.`);
  }
  // The nonce ties the reply to this request (a replayed old token would carry another).
  if (tstNonce === null || !sameBytes(Uint8Array.from(tstNonce.match(/../g) ?? [], (h) => parseInt(h, 16)), nonce))
    return err('tsa-mismatch', "The authority's token does not carry this request's nonce; it was not made for this request.");
  const checked = await inspectToken(token, sha256);
  if (!checked.ok) {
    const code = checked.error.code === 'tsa-wrong-hash' ? 'tsa-mismatch' : 'tsa-bad-token';
    return err(code, `The authority's token is not valid: ${checked.error.message}.`);
  }
  return ok({ reply: reply.slice(), token, gen_time: checked.value.gen_time, info: checked.value });
}

/**
 * Asks an authority to time-stamp a SHA-256 value. Never throws: an
 * unreachable, slow or misbehaving authority is an error result the caller
 * keeps for a later retry.
 */
export async function requestTimestamp(url: string, sha256: Uint8Array, opts: { timeoutMs?: number } = {}): Promise<Result<Stamp, TsaErrorCode>> {
  const u = checkAuthorityUrl(url);
  if (!u.ok) return err('tsa-bad-url', u.error.message);
  const nonce = randomNonce();
  const body = buildRequest(sha256, nonce);
  const ctl = new AbortController();
  const timeoutMs = opts.timeoutMs ?? TSA_TIMEOUT_MS;
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  let res: Response;
  let bytes: Uint8Array;
  try {
    res = await fetch(u.value.href, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: body.slice().buffer as ArrayBuffer,
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      redirect: 'error',
      signal: ctl.signal,
    });
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    if (ctl.signal.aborted) return err('tsa-timeout', `The time-stamping authority at ${u.value.host} did not answer within ${Number((timeoutMs / 1000).toFixed(1))} seconds.`);
    return err('tsa-unreachable', `Could not reach the time-stamping authority at ${u.value.host} (offline, or the address is wrong): ${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) return err('tsa-http', `The time-stamping authority at ${u.value.host} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`);
  if (bytes.byteLength === 0) return err('tsa-bad-reply', `The time-stamping authority at ${u.value.host} sent an empty answer.`);
  if (bytes.byteLength > 1024 * 1024) return err('tsa-bad-reply', 'The answer is far too large to be a time-stamp reply.');
  return acceptReply(bytes, sha256, nonce);
}
