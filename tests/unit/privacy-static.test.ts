import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../wxt.config';

/**
 * Issue #5 parts 3, 5 and 6, checked in the source and the manifest: no
 * badges or notifications anywhere, no storage.sync, no script in the page's
 * main world, no web-accessible resources, and network APIs only where they
 * are meant to be. (The end-to-end tests check the running extension.)
 */

const ROOT = join(import.meta.dirname, '../..');
const CODE_DIRS = ['utils', 'components', 'entrypoints'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx|js|html)$/.test(name) ? [p] : [];
  });
}

const SOURCES = CODE_DIRS.flatMap((d) => files(join(ROOT, d))).map((p) => ({ path: relative(ROOT, p), text: readFileSync(p, 'utf8') }));

/**
 * Files allowed to call a network API. Cairn makes no request of its own: the
 * one a user can turn on (an RFC 3161 timestamp) is made in timestamp.ts, and
 * the export panel fetches only the extension's own verify.html (checked below).
 */
const NETWORK_ALLOWED: string[] = ['utils/background/timestamp.ts', 'components/vault/ExportPanel.tsx'];

function hits(pattern: RegExp): string[] {
  return SOURCES.filter((s) => pattern.test(s.text)).map((s) => s.path);
}

describe('in the source', () => {
  it('reads the code it checks', () => {
    expect(SOURCES.map((s) => s.path)).toContain('utils/background/main.ts');
    expect(SOURCES.length).toBeGreaterThan(50);
  });

  it('no badge and no notification anywhere', () => {
    expect(hits(/setBadge(Text|BackgroundColor|TextColor)|\bnotifications\s*\.\s*create|new\s+Notification\s*\(/)).toEqual([]);
  });

  it('no storage.sync (nothing of Cairn follows the browser account)', () => {
    expect(hits(/storage\s*\.\s*sync\b/)).toEqual([]);
  });

  it('no script in the page’s own world', () => {
    expect(hits(/world\s*:\s*['"]MAIN['"]|ExecutionWorld\.MAIN|defineContentScript\(/)).toEqual([]);
  });

  it('network APIs only in the files allowed to use them', () => {
    const net = /\bfetch\s*\(|XMLHttpRequest|sendBeacon|new\s+WebSocket|new\s+EventSource|importScripts\s*\(/;
    expect(hits(net).filter((p) => !NETWORK_ALLOWED.includes(p))).toEqual([]);
    const panel = SOURCES.find((x) => x.path === 'components/vault/ExportPanel.tsx')!.text;
    expect(panel.match(/\bfetch\s*\([^)]*\)/g)).toEqual(["fetch(browser.runtime.getURL('/verify.html')"]);
  });
});

type Manifest = Record<string, unknown> & {
  permissions?: string[];
  host_permissions?: string[];
  content_scripts?: { world?: string; js?: string[] }[];
  content_security_policy?: unknown;
};

async function manifestFor(browser: 'chrome' | 'firefox'): Promise<Manifest> {
  const m = config.manifest;
  const env = { browser, manifestVersion: browser === 'chrome' ? 3 : 2, mode: 'production', command: 'build' };
  return (typeof m === 'function' ? await (m as (e: typeof env) => Promise<Manifest> | Manifest)(env) : m) as Manifest;
}

describe.each(['chrome', 'firefox'] as const)('the %s manifest', (browser) => {
  it('declares no web-accessible resources, asks for no notifications, and no host access in the shipped build', async () => {
    const m = await manifestFor(browser);
    expect(m.web_accessible_resources).toBeUndefined();
    expect(m.permissions).not.toContain('notifications');
    expect(m.host_permissions).toBeUndefined();
  });

  it('its only page script is the collector, in the isolated world', async () => {
    const m = await manifestFor(browser);
    expect(m.content_scripts).toHaveLength(1);
    expect(m.content_scripts![0].js).toEqual(['collector.js']);
    expect(m.content_scripts![0].world).toBeUndefined();
  });

  it('its pages may connect to themselves, and over http(s) only for the time-stamping authority the user grants', async () => {
    const m = await manifestFor(browser);
    const csp = typeof m.content_security_policy === 'string' ? m.content_security_policy : (m.content_security_policy as { extension_pages: string }).extension_pages;
    // http(s) is needed for the authority (timestamp.ts); the browser still requires the user's grant of that origin.
    expect(csp).toMatch(/connect-src 'self' blob: data: http: https:;/);
    expect(m.host_permissions).toBeUndefined();
    expect(csp).toMatch(/default-src 'self';/);
  });

  it('an honest, neutral name and description', async () => {
    const m = await manifestFor(browser);
    expect([m.name, m.description]).toEqual(['Cairn', 'Keep a sealed, verifiable record of what you see online.']);
  });
});
