import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const TMP = join(ROOT, '.tmp');

/** The Firefox add-on id (wxt.config.ts) and the internal UUID we pin, so moz-extension:// URLs are known. */
export const FIREFOX_ADDON_ID = 'cairn@cairn.invalid';
export const FIREFOX_UUID = '3c5e1b2a-6f0d-4c8e-9a57-2b1d4e6f8a90';

export const INSTALL_HINT = 'apt-get update && apt-get install -y chromium firefox-esr';

export type BrowserName = 'chromium' | 'firefox';

/** Finds a browser: $CHROME_PATH / $FIREFOX_PATH, then Debian's paths. Null when absent. */
export function browserPath(name: BrowserName): string | null {
  const candidates =
    name === 'chromium'
      ? [process.env.CHROME_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/google-chrome']
      : [process.env.FIREFOX_PATH, '/usr/lib/firefox-esr/firefox-esr', '/usr/lib/firefox/firefox', '/usr/bin/firefox'];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

export function requireBrowser(name: BrowserName): string {
  const p = browserPath(name);
  if (!p) throw new Error(`${name} was not found. Install it with:\n  ${INSTALL_HINT}\n(or set ${name === 'chromium' ? 'CHROME_PATH' : 'FIREFOX_PATH'})`);
  return p;
}

export interface Launched {
  browser: Browser;
  name: BrowserName;
  /** Extension id (Chromium) or pinned UUID (Firefox). */
  extensionId: string;
  /** Base URL of the extension's pages. */
  extensionOrigin: string;
  profileDir: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  headless?: boolean;
  /** Extra command-line arguments (Chromium), e.g. a recording proxy (scripts/lib/network-log.ts). */
  args?: string[];
  /** Extra preferences (Firefox), e.g. a recording proxy. */
  prefs?: Record<string, unknown>;
  /** Runs after the browser starts and before the extension is installed (a network recorder attaches here). */
  beforeInstall?: (browser: Browser, name: BrowserName) => Promise<void>;
}

/** Loads the built extension into a fresh profile of the named browser. */
export async function launchWithExtension(name: BrowserName, extensionDir: string, opts: LaunchOptions = {}): Promise<Launched> {
  mkdirSync(TMP, { recursive: true });
  const profileDir = mkdtempSync(join(TMP, `${name}-profile-`));
  const home = join(profileDir, 'home');
  mkdirSync(home, { recursive: true });
  const headless = opts.headless ?? true;
  const env = { ...process.env, HOME: home };
  let browser: Browser;
  if (name === 'chromium') {
    browser = await puppeteer.launch({
      executablePath: requireBrowser('chromium'),
      headless,
      enableExtensions: true,
      pipe: true,
      userDataDir: join(profileDir, 'data'),
      env,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--window-size=1280,900', ...(opts.args ?? [])],
      defaultViewport: null,
    });
  } else {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: requireBrowser('firefox'),
      headless,
      userDataDir: join(profileDir, 'data'),
      env,
      args: ['--remote-allow-system-access', '--width=1280', '--height=900'],
      defaultViewport: null,
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_UUID }),
        'xpinstall.signatures.required': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'browser.shell.checkDefaultBrowser': false,
        ...opts.prefs,
      },
    });
  }
  await opts.beforeInstall?.(browser, name);
  const installed = await browser.installExtension(extensionDir);
  const extensionId = name === 'chromium' ? installed : FIREFOX_UUID;
  const extensionOrigin = name === 'chromium' ? `chrome-extension://${extensionId}` : `moz-extension://${extensionId}`;
  return {
    browser,
    name,
    extensionId,
    extensionOrigin,
    profileDir,
    close: async () => {
      await browser.close().catch(() => undefined);
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
