import { backupReminderDue, BACKUP_REMINDER_DAYS } from '../../utils/background/backup';
import { db } from '../../utils/background/db';
import { getSettings, updateSettings } from '../../utils/background/settings';
import { useLive } from '../use-live';

/** A calm line above the captures: shown once a month at most, gone for a month when dismissed. */
export function BackupReminder({ onBackup }: { onBackup: () => void }) {
  const captures = useLive(() => db().captures.count(), [], 0);
  const settings = useLive(() => getSettings(db()), [], null);
  if (!settings || !backupReminderDue(settings, captures)) return null;
  return (
    <p class="status" role="note" id="backup-reminder">
      {settings.last_backup_at ? `Your last backup is more than ${BACKUP_REMINDER_DAYS} days old.` : 'There is no backup of these captures yet.'} They live only in this
      browser: removing Cairn or clearing the browser's data deletes them. <button onClick={onBackup} id="backup-reminder-go">Make an encrypted backup</button>{' '}
      <button onClick={() => void updateSettings(db(), { backup_reminded_at: new Date().toISOString() })} id="backup-reminder-dismiss">
        Not now
      </button>
    </p>
  );
}
