import type { CaptureRow } from '../background/db';
import type { CaptureRecord } from '../shared/types';
import { certificatePem, nameText, parseReply, readCertificate, tokenCertificateBytes } from '../shared/tsp';
import { toBase64 } from '../shared/encoding';
import { sha256Hex } from '../shared/sha256';

/**
 * The trusted-timestamp parts of an export: the timestamp status written into
 * the exported record's seal (the stored sealed body never changes; the
 * verifier hashes the record without its seal), and the authorities'
 * certificates collected from the tokens into tsa/.
 */

/** Status of a capture's timestamp as the exported record.json states it. */
export type SealTimestamp =
  | { status: 'stamped'; authority_url: string; gen_time: string; token: 'record.tsr' }
  | { status: 'pending'; authority_url: string; attempts: number; last_error: string | null; last_attempt_at: string | null };

export function sealTimestamp(row: CaptureRow): SealTimestamp | null {
  const t = row.tsa;
  if (!t) return null;
  if (t.status === 'stamped' && t.reply && t.gen_time) return { status: 'stamped', authority_url: t.authority_url, gen_time: t.gen_time, token: 'record.tsr' };
  return { status: 'pending', authority_url: t.authority_url, attempts: t.attempts, last_error: t.last_error, last_attempt_at: t.last_attempt_at };
}

/** The record as exported: the sealed record, its seal stating the timestamp when there is one. */
export function exportedRecord(row: CaptureRow): CaptureRecord | (CaptureRecord & { seal: { timestamp: SealTimestamp } }) {
  const ts = sealTimestamp(row);
  return ts ? { ...row.record, seal: { ...row.record.seal, timestamp: ts } } : row.record;
}

export interface TsaCertificateFile {
  file: string;
  pem: string;
  subject: string;
  issuer: string;
  sha256: string;
}

/** Collects the distinct certificates carried inside the tokens of an export. */
export class TsaCertificates {
  private readonly reading: Promise<void>[] = [];
  private readonly found = new Map<string, TsaCertificateFile>();

  add(reply: Uint8Array): void {
    this.reading.push(this.read(reply));
  }

  private readonly seen = new Set<string>();

  private async read(reply: Uint8Array): Promise<void> {
    const r = parseReply(reply);
    if (!r.ok || !r.value.token) return;
    let certs: Uint8Array[];
    try {
      certs = tokenCertificateBytes(r.value.token);
    } catch {
      return; // a token that does not parse still goes into the package as it is; the verifier reports it
    }
    for (const der of certs) {
      const key = toBase64(der);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      try {
        const c = readCertificate(der);
        const sha256 = await sha256Hex(der);
        this.found.set(sha256, { file: `tsa/${sha256.slice(0, 16)}.pem`, pem: certificatePem(der), subject: nameText(c.subject), issuer: nameText(c.issuer), sha256 });
      } catch {
        /* not a certificate pkijs can read: left inside the token only */
      }
    }
  }

  /** Every certificate seen, sorted by file name. */
  async all(): Promise<TsaCertificateFile[]> {
    await Promise.all(this.reading);
    return [...this.found.values()].sort((a, b) => (a.file < b.file ? -1 : 1));
  }
}
