import { useEffect, useState } from 'preact/hooks';
import { db } from '../../utils/background/db';
import { lockStatus, onLockChange, readLock, type LockRecord } from '../../utils/background/vault-lock';
import { useLive } from '../use-live';

export type LockView = { status: 'loading'; lock: null } | { status: 'none'; lock: null } | { status: 'locked' | 'unlocked'; lock: LockRecord };

/** The vault's lock state, following changes made in any window (lock, unlock, passphrase set or removed). */
export function useLockState(): LockView {
  const lock = useLive<LockRecord | null | undefined>(() => readLock(db()), [], undefined);
  const [tick, setTick] = useState(0);
  const [view, setView] = useState<LockView>({ status: 'loading', lock: null });
  useEffect(() => onLockChange(() => setTick((t) => t + 1)), []);
  useEffect(() => {
    if (lock === undefined) return;
    let live = true;
    lockStatus(db()).then((s) => {
      if (!live) return;
      setView(s.status === 'none' ? { status: 'none', lock: null } : { status: s.status, lock: s.lock });
    });
    return () => {
      live = false;
    };
  }, [lock, tick]);
  return view;
}
