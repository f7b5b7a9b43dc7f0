import { BackupSettings } from '../settings/BackupSettings';
import { LockSettings } from '../settings/LockSettings';

/** Settings: each section is its own component under components/settings/. */
export function SettingsPanel() {
  return (
    <section aria-labelledby="settings-h" class="settings">
      <h2 id="settings-h">Settings</h2>
      <LockSettings />
      <BackupSettings />
    </section>
  );
}
