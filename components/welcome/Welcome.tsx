import { browser } from '@wxt-dev/webextension-polyfill/browser';
import { QuickExitButton } from '../QuickExit';
import { usePageTitle, useSettings } from '../use-settings';

/** The first-run page, opened once when Cairn is installed. */
export function Welcome() {
  const { discreet } = useSettings();
  usePageTitle('Welcome — Cairn', discreet);
  const vault = browser.runtime.getURL('/vault.html');
  return (
    <>
      <header class="bar">
        <h1>Welcome to Cairn</h1>
        <QuickExitButton />
      </header>
      <main class="prose" id="welcome">
        <p>
          Cairn keeps a sealed record of what someone posts or sends you online: the page, its address, the time, the account, and
          hashes that let a police officer check nothing was changed. Everything stays in this browser.
        </p>

        <section aria-labelledby="sync-h">
          <h2 id="sync-h">Before you start: browser sync</h2>
          <p>
            If this browser is signed in to an account with sync turned on (a Google account in Chrome, a Microsoft account in Edge,
            a Mozilla account in Firefox), the browser can install Cairn on every other computer signed in to that account, where
            someone else may see it. What Cairn captures is not synced; the extension itself can be.
          </p>
          <p>
            <strong>We recommend a separate browser profile that is not signed in</strong>, used only for Cairn. In Chrome or Edge:
            click your profile picture, choose <em>Add</em> and continue without an account. In Firefox: type{' '}
            <code>about:profiles</code> in the address bar and create a new profile. Then install Cairn in that profile and remove
            it from this one.
          </p>
        </section>

        <section aria-labelledby="lock-h">
          <h2 id="lock-h">Lock it away</h2>
          <p>
            You can set a passphrase so that the vault is locked and encrypted on this computer, and choose discreet mode (a plain
            toolbar icon and blurred pictures) and where quick exit goes, in the vault's{' '}
            <a href={`${vault}#/settings`} id="welcome-settings">
              Settings
            </a>
            .
          </p>
          <p>
            <strong>Quick exit</strong> (the button on every Cairn page, or its keyboard shortcut) locks Cairn, closes its tabs and
            puts an ordinary website in place of the page you were on.
          </p>
        </section>

        <section aria-labelledby="safety-h">
          <h2 id="safety-h">Safety and help</h2>
          <p>
            <a href="/safety.html" id="welcome-safety">
              Read the safety page
            </a>{' '}
            before you start: capture before you block or report, and where to get help.
          </p>
        </section>

        <div class="toolbar">
          <a class="button primary" href={vault} id="welcome-vault">
            Open the vault
          </a>
          <button onClick={() => window.close()} id="welcome-close">
            Close this page
          </button>
        </div>
      </main>
    </>
  );
}
