import type { CairnDb, StoredCapture, TsaState } from './db';
import { getSettings, type Settings } from './settings';
import { requestTimestamp, type Stamp, type TsaErrorCode } from './timestamp';
import { captureSeal } from './vault-data';
import { fromHex } from '../shared/encoding';
import type { Result } from '../shared/result';

/**
 * The queue of captures waiting for a trusted timestamp. A capture made while
 * timestamps are on is stored `pending` in the same transaction as the
 * capture itself (store.ts), so nothing is lost if the browser stops; this
 * module asks the authority afterwards, never holding up the capture. A
 * failed request keeps the capture pending with the error, for a retry.
 */

/** The state a new capture starts in when timestamps are on; undefined when they are off. */
export function pendingTsa(settings: Settings): TsaState | undefined {
  const url = settings.timestamps.enabled ? settings.timestamps.authority_url : null;
  if (!url) return undefined;
  return { status: 'pending', authority_url: url, token: null, reply: null, gen_time: null, attempts: 0, last_error: null, last_attempt_at: null };
}

export interface StampRun {
  /** Captures that got their token in this run. */
  stamped: number;
  /** Captures still waiting after it. */
  pending: number;
  /** Why the run stopped early (the authority could not be reached, timestamps are off), or null. */
  error: string | null;
  /** Most attempts made for any capture still pending (for the retry back-off). */
  max_attempts: number;
}

export interface StampOptions {
  /** Capture ids to try first (a capture just made). */
  first?: string[];
  /** Pause between two requests to the same authority, so a backlog does not hammer it. */
  gapMs?: number;
  request?: (url: string, sha256: Uint8Array) => Promise<Result<Stamp, TsaErrorCode>>;
  now?: () => Date;
  /** Start no new request after this long (an MV3 background is stopped after about five minutes on one task); the rest wait for the next run. */
  maxRunMs?: number;
}

/** Errors after which the other pending captures would fail the same way: stop the run. */
const STOP_RUN: ReadonlySet<string> = new Set(['tsa-unreachable', 'tsa-timeout', 'tsa-http', 'tsa-bad-url', 'tsa-refused']);

export async function tsaCounts(db: CairnDb): Promise<{ pending: number; stamped: number }> {
  const [pending, stamped] = await Promise.all([
    db.captures.where('tsa_status').equals('pending').count(),
    db.captures.where('tsa_status').equals('stamped').count(),
  ]);
  return { pending, stamped };
}

/** Writes one attempt's outcome, unless the capture was deleted or stamped meanwhile. */
async function record(db: CairnDb, id: string, change: (t: TsaState) => TsaState): Promise<void> {
  await db.transaction('rw', db.captures, async () => {
    const row = await db.captures.get(id);
    if (!row?.tsa || row.tsa.status !== 'pending') return;
    const tsa = change(row.tsa);
    await db.captures.update(id, { tsa, tsa_status: tsa.status });
  });
}

/**
 * Asks the configured authority for a token for every pending capture,
 * oldest first (after any named in `first`). Stops at the first failure that
 * would repeat for the rest (offline, authority down).
 */
export async function stampPending(db: CairnDb, opts: StampOptions = {}): Promise<StampRun> {
  const now = opts.now ?? (() => new Date());
  const request = opts.request ?? requestTimestamp;
  const settings = await getSettings(db);
  const gap = opts.gapMs ?? politeGapMs(settings.timestamps.authority_url);
  const url = settings.timestamps.enabled ? settings.timestamps.authority_url : null;
  // Works while the vault is locked: the timestamp state and the seal of an encrypted capture stay in clear.
  const rows: StoredCapture[] = await db.captures.where('tsa_status').equals('pending').toArray();
  const first = new Set(opts.first ?? []);
  rows.sort((a, b) => (first.has(a.id) === first.has(b.id) ? a.seq - b.seq : first.has(a.id) ? -1 : 1));
  const maxAttempts = () => rows.reduce((m, r) => Math.max(m, r.tsa?.attempts ?? 0), 0);
  if (!url) return { stamped: 0, pending: rows.length, error: rows.length ? 'Timestamps are turned off, so waiting captures are not sent.' : null, max_attempts: maxAttempts() };

  let stamped = 0;
  let error: string | null = null;
  const deadline = Date.now() + (opts.maxRunMs ?? 240_000);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (i > 0 && gap > 0) await new Promise((r) => setTimeout(r, gap));
    if (i > 0 && Date.now() > deadline) break;
    const at = now().toISOString();
    const r = await request(url, fromHex(captureSeal(row).record_sha256));
    if (r.ok) {
      await record(db, row.id, (t) => ({
        ...t,
        status: 'stamped',
        authority_url: url,
        token: r.value.token,
        reply: r.value.reply,
        gen_time: r.value.gen_time,
        attempts: t.attempts + 1,
        last_error: null,
        last_attempt_at: at,
      }));
      row.tsa = { ...row.tsa!, status: 'stamped' };
      stamped++;
      continue;
    }
    await record(db, row.id, (t) => ({ ...t, authority_url: url, attempts: t.attempts + 1, last_error: r.error.message, last_attempt_at: at }));
    row.tsa = { ...row.tsa!, attempts: (row.tsa?.attempts ?? 0) + 1 };
    error = r.error.message;
    if (STOP_RUN.has(r.error.code)) break;
  }
  const stillPending = rows.filter((r) => r.tsa?.status === 'pending');
  return { stamped, pending: stillPending.length, error, max_attempts: stillPending.reduce((m, r) => Math.max(m, r.tsa?.attempts ?? 0), 0) };
}

/** Pause between requests in a backlog: Sectigo asks scripts for 15 seconds; others get one second. */
export function politeGapMs(url: string | null): number {
  try {
    if (url && /(^|\.)sectigo\.com$/.test(new URL(url).hostname)) return 15_000;
  } catch {
    /* an unreadable address fails at the request */
  }
  return 1000;
}

/** Minutes until the next automatic retry: 1, 2, 4 … up to an hour. */
export function retryDelayMinutes(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, Math.min(6, attempts - 1)));
}
