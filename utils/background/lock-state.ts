/**
 * The vault's unlocked state, held only in the background's memory. The
 * passphrase lock (another part of issue #5) keeps its derived key here;
 * until it is merged there is no key to hold, so locking means: forget
 * whatever unlocked state there is, and note when and why. Quick exit and the
 * `ui:lock` message both call lockVault().
 */

export interface LockState {
  /** The in-memory unlock (the key the passphrase gave), or null when locked. */
  unlocked: { since: string } | null;
  /** When the vault was last locked, and by what. */
  last_lock: { at: string; reason: LockReason } | null;
}

export type LockReason = 'user' | 'quick-exit' | 'idle';

const state: LockState = { unlocked: null, last_lock: null };

export function lockVault(reason: LockReason): LockState {
  state.unlocked = null;
  state.last_lock = { at: new Date().toISOString(), reason };
  return lockState();
}

export function lockState(): LockState {
  return { unlocked: state.unlocked && { ...state.unlocked }, last_lock: state.last_lock && { ...state.last_lock } };
}
