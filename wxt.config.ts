import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { buildVerifyHtml } from './scripts/lib/verify-html';
import { PLATFORM_MATCHES } from './utils/shared/platform-hosts';

// connect-src allows http(s) only for the RFC 3161 authority the user turns on (utils/background/timestamp.ts is the
// one place that sends anything); reading its reply still needs the optional host permission granted for its origin.
const EXTENSION_CSP =
  "default-src 'self'; script-src 'self'; object-src 'none'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; frame-src 'self' blob: data:; connect-src 'self' blob: data: http: https:; base-uri 'none'; form-action 'none'";

// Time-stamping authorities send no CORS headers: the user grants the chosen authority's origin when turning timestamps on.
const TSA_ORIGINS = ['http://*/*', 'https://*/*'];

/**
 * CAIRN_E2E=1 builds a test variant into .output/e2e that may also read pages on
 * any page (captureVisibleTab wants <all_urls> without activeTab), runs its content script there, and answers
 * a test message that runs the context-menu handler (automation cannot click
 * a native context menu). Firefox gives an extension activeTab only from a real click on its
 * toolbar button, which automation cannot make; the Firefox end-to-end tests
 * use this variant. Chromium's tests use the production build and the real
 * toolbar action. Never shipped.
 */
const E2E = process.env.CAIRN_E2E === '1';

// See DESIGN.md section 3. Permissions are the least that capture needs.
export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  outDir: E2E ? '.output/e2e' : '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  vite: () => ({
    plugins: [preact()],
    define: { 'import.meta.env.CAIRN_E2E': JSON.stringify(E2E ? '1' : '0') },
    build: { sourcemap: false },
  }),
  hooks: {
    // verify.html (the offline verifier every package carries) is built from utils/verify/page on every build and
    // shipped as an extension file (not web-accessible); the vault reads it when it exports a package.
    'build:publicAssets': async (_wxt, files) => {
      files.push({ relativeDest: 'verify.html', contents: await buildVerifyHtml() });
    },
    // The e2e variant also runs the content script on pages served from 127.0.0.1 (copies of real platform pages).
    'build:manifestGenerated': (_wxt, manifest) => {
      if (E2E) for (const cs of manifest.content_scripts ?? []) cs.matches = [...(cs.matches ?? []), 'http://127.0.0.1/*'];
      // WXT drops the toolbar icon when it turns `action` into MV2's browser_action (Firefox).
      if (manifest.browser_action) manifest.browser_action.default_icon = { 16: 'icon/16.png', 32: 'icon/32.png' };
    },
  },
  manifest: ({ browser, manifestVersion }) => ({
    name: 'Cairn',
    description: 'Keep a sealed, verifiable record of what you see online.',
    // idle: auto-lock the vault after the chosen idle time (no install warning).
    permissions: ['activeTab', 'scripting', 'contextMenus', 'storage', 'unlimitedStorage', 'tabs', 'downloads', 'alarms', 'idle'],
    // MV2 (Firefox) lists optional origins among optional_permissions; WXT drops optional_host_permissions there.
    ...(manifestVersion === 3 ? { optional_host_permissions: TSA_ORIGINS } : { optional_permissions: TSA_ORIGINS }),
    // captureVisibleTab accepts only activeTab or <all_urls>, not a narrower host.
    ...(E2E ? { host_permissions: ['<all_urls>'] } : {}),
    icons: { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' },
    // Discreet mode swaps this icon and title at run time (utils/background/discreet.ts).
    action: { default_title: 'Cairn', default_icon: { 16: 'icon/16.png', 32: 'icon/32.png' } },
    // The collector is an unlisted script (see entrypoints/collector.ts): declared here for the platforms, injected elsewhere on demand.
    content_scripts: [{ matches: [...PLATFORM_MATCHES], js: ['collector.js'], run_at: 'document_idle' }],
    commands: {
      'capture-item': {
        suggested_key: { default: 'Alt+Shift+S' },
        description: 'Capture the item under the pointer (or the focused one)',
      },
      // Alt+Shift+Q: free in Chrome and Firefox on Windows, Linux and macOS (Ctrl+Shift+Q quits Firefox on Linux and signs out of ChromeOS; Alt+Shift is unused by both).
      'quick-exit': {
        suggested_key: { default: 'Alt+Shift+Q' },
        description: 'Quick exit: lock, close every Cairn tab and show a neutral site instead',
      },
    },
    // Our pages load nothing from outside the extension; captured images show through blob: URLs.
    content_security_policy:
      manifestVersion === 3
        ? { extension_pages: EXTENSION_CSP }
        : (EXTENSION_CSP as unknown as { extension_pages: string }),
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'cairn@cairn.invalid', strict_min_version: '128.0' } } }
      : {}),
  }),
});
