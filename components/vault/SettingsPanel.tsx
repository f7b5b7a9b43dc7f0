import { TimestampSettings } from '../settings/TimestampSettings';

/** Settings: one section per concern, each from components/settings/. */
export function SettingsPanel() {
  return (
    <section aria-labelledby="settings-h">
      <h2 id="settings-h">Settings</h2>
      <TimestampSettings />
    </section>
  );
}
