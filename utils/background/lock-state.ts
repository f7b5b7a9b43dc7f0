import { lockNow } from './vault-lock';

/**
 * Locks the vault (vault-lock.ts forgets the unlocked key in every context)
 * and remembers when and why, so quick exit's effect can be checked.
 */

export type LockReason = 'user' | 'quick-exit' | 'idle';

export interface LastLock {
  at: string;
  reason: LockReason;
}

let last: LastLock | null = null;

export async function lockVault(reason: LockReason): Promise<LastLock> {
  await lockNow();
  last = { at: new Date().toISOString(), reason };
  return last;
}

export function lastLock(): LastLock | null {
  return last && { ...last };
}
