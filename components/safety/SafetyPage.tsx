import { QuickExitButton } from '../QuickExit';
import { usePageTitle, useSettings } from '../use-settings';

/** A link that opens only when clicked, in a new tab, telling the site nothing about where it came from. */
function Out({ href, children }: { href: string; children: string }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

/**
 * The safety page: short, calm, facts only. The helplines are UK services
 * (numbers checked against the services' own pages); nothing here is advice
 * Cairn made up.
 */
export function SafetyPage() {
  const { discreet } = useSettings();
  usePageTitle('Safety and help — Cairn', discreet);
  return (
    <>
      <header class="bar">
        <h1>Safety and help</h1>
        <QuickExitButton withNote />
      </header>
      <main class="prose" id="safety">
        <section aria-labelledby="emergency-h">
          <h2 id="emergency-h">In an emergency</h2>
          <p>
            If you are in danger now, call <a href="tel:999">999</a>. If you call from a mobile and cannot speak, listen for the
            prompt and press <strong>55</strong>; the call is then put through to the police (the “Silent Solution”).
          </p>
        </section>

        <section aria-labelledby="capture-h">
          <h2 id="capture-h">Capture before you block or report</h2>
          <p>
            Blocking an account, or reporting it so that the platform removes it, can hide its posts and messages from you, and
            then they cannot be captured. Capture first; block or report afterwards.
          </p>
        </section>

        <section aria-labelledby="engage-h">
          <h2 id="engage-h">Do not engage</h2>
          <p>
            The National Stalking Helpline advises not replying to, confronting or agreeing to meet the person. Capturing what they
            send does not reply to it. Opening some things can tell them you looked: viewing a story, visiting a LinkedIn profile,
            or opening a conversation that shows “Seen”. Cairn's toolbar menu says so on those pages.
          </p>
        </section>

        <section aria-labelledby="diary-h">
          <h2 id="diary-h">Keep a diary at the time</h2>
          <p>
            Write down each incident as soon as you can after it happens: the date and time, where it happened, what was said or
            done, and how it affected you. A record made at the time (“contemporaneous”) carries more weight with police and courts
            than one written from memory later. Each Cairn capture records the moment it was taken.
          </p>
        </section>

        <section aria-labelledby="help-h">
          <h2 id="help-h">Where to get help</h2>
          <ul class="services">
            <li>
              <strong>National Stalking Helpline</strong> (run by the Suzy Lamplugh Trust): <a href="tel:08088020300">0808 802 0300</a>,{' '}
              <Out href="https://www.suzylamplugh.org/">suzylamplugh.org</Out>
            </li>
            <li>
              <strong>The Cyber Helpline</strong>: free help from cyber security volunteers for people affected by cyber crime and
              online harm, including cyberstalking: <Out href="https://www.thecyberhelpline.com/">thecyberhelpline.com</Out>
            </li>
            <li>
              <strong>Refuge</strong>, National Domestic Abuse Helpline, free and open 24 hours: <a href="tel:08082000247">0808 2000 247</a>,{' '}
              <Out href="https://www.nationaldahelpline.org.uk/">nationaldahelpline.org.uk</Out>
            </li>
            <li>
              <strong>Police</strong>: <a href="tel:999">999</a> in an emergency.
            </li>
          </ul>
          <p class="muted small">Links open only when you click them. Cairn itself contacts none of these services.</p>
        </section>

        <section aria-labelledby="device-h">
          <h2 id="device-h">On this computer</h2>
          <p>
            Cairn keeps everything in this browser and sends nothing anywhere. Anyone who can use this browser profile can see
            that Cairn is installed, and, unless the vault is locked, what it holds. A separate browser profile that is not signed
            in to browser sync keeps Cairn off your other devices and out of shared windows.
          </p>
        </section>
      </main>
    </>
  );
}
