import { DiscreetSettings } from '../settings/DiscreetSettings';

/** The vault's settings page (#/settings). Each part of Cairn adds its own section here. */
export function SettingsPanel() {
  return (
    <section aria-labelledby="settings-h">
      <h2 id="settings-h">Settings</h2>
      <DiscreetSettings />
    </section>
  );
}
