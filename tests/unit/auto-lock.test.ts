import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyAutoLock, onIdleState, type IdleApi } from '../../utils/background/auto-lock';
import { backupReminderDue } from '../../utils/background/backup';
import { openDb, type CairnDb } from '../../utils/background/db';
import { updateSettings } from '../../utils/background/settings';
import { connectSession, lockStatus, setPassphrase } from '../../utils/background/vault-lock';
import { memorySession } from '../helpers/vault';

let db: CairnDb;
beforeEach(() => {
  connectSession(memorySession());
  db = openDb(`t-${crypto.randomUUID()}`);
});

function fakeIdle(): IdleApi & { intervals: number[] } {
  const intervals: number[] = [];
  return { intervals, setDetectionInterval: (s) => intervals.push(s), onStateChanged: { addListener: () => {} } };
}

describe('auto-lock', () => {
  it('sets the browser idle interval from the setting (15 s at least; none for "only when the browser closes")', async () => {
    const idle = fakeIdle();
    expect(await applyAutoLock(db, idle)).toBe(15);
    await updateSettings(db, { auto_lock_minutes: 5 });
    await applyAutoLock(db, idle);
    await updateSettings(db, { auto_lock_minutes: 0.1 });
    await applyAutoLock(db, idle);
    await updateSettings(db, { auto_lock_minutes: 0 });
    expect(await applyAutoLock(db, idle)).toBe(0);
    expect(idle.intervals).toEqual([900, 300, 15]);
    expect(await applyAutoLock(db, undefined)).toBe(0);
  });

  it('locks an unlocked vault when the computer goes idle or its screen locks, and not otherwise', async () => {
    expect(await onIdleState(db, 'idle')).toBe(false); // no passphrase: nothing to lock
    await setPassphrase(db, 'a passphrase long enough');
    expect(await onIdleState(db, 'active')).toBe(false);
    expect((await lockStatus(db)).status).toBe('unlocked');
    await updateSettings(db, { auto_lock_minutes: 0 });
    expect(await onIdleState(db, 'idle')).toBe(false);
    expect((await lockStatus(db)).status).toBe('unlocked');
    await updateSettings(db, { auto_lock_minutes: 15 });
    expect(await onIdleState(db, 'idle')).toBe(true);
    expect((await lockStatus(db)).status).toBe('locked');
    expect(await onIdleState(db, 'locked')).toBe(false); // already locked
  });
});

describe('backup reminder', () => {
  const now = Date.parse('2026-12-31T12:00:00Z');
  const daysAgo = (d: number) => new Date(now - d * 86_400_000).toISOString();
  it('shows only when there are captures, no backup in 30 days, and it was not dismissed in 30 days', () => {
    expect(backupReminderDue({ last_backup_at: null, backup_reminded_at: null }, 0, now)).toBe(false);
    expect(backupReminderDue({ last_backup_at: null, backup_reminded_at: null }, 1, now)).toBe(true);
    expect(backupReminderDue({ last_backup_at: daysAgo(29), backup_reminded_at: null }, 5, now)).toBe(false);
    expect(backupReminderDue({ last_backup_at: daysAgo(31), backup_reminded_at: null }, 5, now)).toBe(true);
    expect(backupReminderDue({ last_backup_at: daysAgo(31), backup_reminded_at: daysAgo(2) }, 5, now)).toBe(false);
    expect(backupReminderDue({ last_backup_at: null, backup_reminded_at: daysAgo(40) }, 5, now)).toBe(true);
    expect(backupReminderDue({ last_backup_at: 'not a date', backup_reminded_at: null }, 5, now)).toBe(true);
  });
});
