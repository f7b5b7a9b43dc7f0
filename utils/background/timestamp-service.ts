import { browser } from '@wxt-dev/webextension-polyfill/browser';
import { db } from './db';
import { getSettings } from './settings';
import { retryDelayMinutes, stampPending, type StampRun } from './timestamp-queue';

/**
 * Runs the timestamp queue in the background: right after each capture (the
 * capture's reply does not wait for it), when the background starts, on a
 * retry alarm that backs off while the authority stays unreachable, and when
 * the user presses "Retry now". One run at a time; kicks that arrive during a
 * run are folded into one more run after it.
 */

export const TSA_ALARM = 'cairn-tsa-retry';

let running: Promise<StampRun> | null = null;
let queued: Promise<StampRun> | null = null;
let firstIds: string[] = [];

async function schedule(run: StampRun): Promise<void> {
  const alarms = browser.alarms;
  if (!alarms) return;
  const on = (await getSettings(db())).timestamps.enabled;
  if (run.pending > 0 && on) await alarms.create(TSA_ALARM, { delayInMinutes: retryDelayMinutes(run.max_attempts) });
  else await alarms.clear(TSA_ALARM);
}

async function runOnce(): Promise<StampRun> {
  const first = firstIds;
  firstIds = [];
  const r = await stampPending(db(), { first });
  await schedule(r).catch((e: unknown) => console.warn('[cairn] could not schedule the timestamp retry', (e as Error)?.name));
  if (r.error) console.warn('[cairn] timestamp run stopped: some captures stay pending');
  return r;
}

/** Starts a run of the queue (or joins the one queued); `first` names a capture to try before the backlog. */
export function kickTimestamps(first?: string): Promise<StampRun> {
  if (first) firstIds.push(first);
  if (queued) return queued;
  const start = (): Promise<StampRun> => {
    queued = null;
    const p = runOnce();
    running = p;
    const clear = () => {
      if (running === p) running = null;
    };
    p.then(clear, clear);
    return p;
  };
  if (!running) return start();
  const next = running.then(start, start);
  queued = next;
  return next;
}

/** Wires the retry alarm and the start-up run. */
export function startTimestamps(): void {
  browser.alarms?.onAlarm.addListener((a) => {
    if (a.name === TSA_ALARM) void kickTimestamps();
  });
  void kickTimestamps();
}
