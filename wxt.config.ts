import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// See DESIGN.md section 3. Permissions are the least that capture needs.
export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  outDir: '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  vite: () => ({
    plugins: [preact()],
    build: { sourcemap: false },
  }),
  manifest: ({ browser }) => ({
    name: 'Cairn',
    description: 'Keep a sealed, verifiable record of what you see online.',
    permissions: ['activeTab', 'scripting', 'contextMenus', 'storage', 'unlimitedStorage', 'tabs', 'downloads'],
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'cairn@cairn.invalid', strict_min_version: '128.0' } } }
      : {}),
  }),
});
