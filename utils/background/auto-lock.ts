import type { CairnDb } from './db';
import { getSettings } from './settings';
import { lockNow, lockStatus } from './vault-lock';

/** The parts of browser.idle used here (absent where the browser has no idle API). */
export interface IdleApi {
  setDetectionInterval(seconds: number): void;
  onStateChanged: { addListener(f: (state: string) => void): void };
}

/** browser.idle accepts 15 seconds at the least. */
export const MIN_IDLE_SECONDS = 15;

/**
 * Applies the auto-lock setting: the browser reports the computer as idle
 * after that many minutes without keyboard or mouse input (and at once when
 * the screen is locked). 0 means lock only when the browser closes.
 */
export async function applyAutoLock(db: CairnDb, idle: IdleApi | undefined): Promise<number> {
  const { auto_lock_minutes } = await getSettings(db);
  if (idle && auto_lock_minutes > 0) idle.setDetectionInterval(Math.max(MIN_IDLE_SECONDS, Math.round(auto_lock_minutes * 60)));
  return auto_lock_minutes;
}

/** What the background does when the idle state changes: lock an unlocked vault when the user is away. */
export async function onIdleState(db: CairnDb, state: string): Promise<boolean> {
  if (state !== 'idle' && state !== 'locked') return false;
  if ((await getSettings(db)).auto_lock_minutes <= 0) return false;
  if ((await lockStatus(db)).status !== 'unlocked') return false;
  await lockNow();
  return true;
}
