import { BackupSettings } from '../settings/BackupSettings';
import { DiscreetSettings } from '../settings/DiscreetSettings';
import { LockSettings } from '../settings/LockSettings';
import { TimestampSettings } from '../settings/TimestampSettings';

/** Settings: one section per concern, each from components/settings/. */
export function SettingsPanel() {
  return (
    <section aria-labelledby="settings-h" class="settings">
      <h2 id="settings-h">Settings</h2>
      <LockSettings />
      <BackupSettings />
      <DiscreetSettings />
      <TimestampSettings />
    </section>
  );
}
