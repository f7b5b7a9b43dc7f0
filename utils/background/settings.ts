import type { CairnDb } from './db';
import { DEFAULT_QUICK_EXIT_URL } from '../shared/quick-exit';

/**
 * User settings, kept in the `meta` table under one key. Nothing here is
 * evidence or says what was captured, so it stays readable when the vault is
 * locked (the lock screen and the discreet icon need it before unlock).
 */
export interface Settings {
  /** RFC 3161 trusted timestamps: off until the user turns them on; no authority is contacted before. */
  timestamps: { enabled: boolean; authority_url: string | null };
  /** Neutral icon/title, no badges or notifications, neutral menu wording, media blurred until clicked. */
  discreet: boolean;
  /** Lock the vault after this many idle minutes (0 = only when the browser closes). */
  auto_lock_minutes: number;
  /** When the user was last reminded to make a backup (ISO), or null. */
  backup_reminded_at: string | null;
  /** When the last encrypted backup was made (ISO), or null. */
  last_backup_at: string | null;
  /** Where quick exit sends the current tab (an ordinary site; see utils/shared/quick-exit.ts). */
  quick_exit_url: string;
}

export const DEFAULT_SETTINGS: Settings = {
  timestamps: { enabled: false, authority_url: null },
  discreet: false,
  auto_lock_minutes: 15,
  backup_reminded_at: null,
  last_backup_at: null,
  quick_exit_url: DEFAULT_QUICK_EXIT_URL,
};

const KEY = 'settings';

export async function getSettings(db: CairnDb): Promise<Settings> {
  const stored = (await db.meta.get(KEY))?.value as Partial<Settings> | undefined;
  return { ...DEFAULT_SETTINGS, ...stored, timestamps: { ...DEFAULT_SETTINGS.timestamps, ...stored?.timestamps } };
}

/** Merges a change into the stored settings in one transaction and returns the result. */
export async function updateSettings(db: CairnDb, change: Partial<Settings>): Promise<Settings> {
  return db.transaction('rw', db.meta, async () => {
    const next = { ...(await getSettings(db)), ...change };
    await db.meta.put({ key: KEY, value: next });
    return next;
  });
}
