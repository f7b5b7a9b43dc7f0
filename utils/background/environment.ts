import { browser } from '@wxt-dev/webextension-polyfill/browser';
import type { Environment } from '../shared/types';

/** Browser name and version as the browser reports them (Firefox has getBrowserInfo; Chromium only its UA). */
async function browserInfo(): Promise<{ name: string; version: string }> {
  const rt = browser.runtime as typeof browser.runtime & { getBrowserInfo?: () => Promise<{ name: string; version: string }> };
  if (typeof rt.getBrowserInfo === 'function') {
    const i = await rt.getBrowserInfo();
    return { name: i.name, version: i.version };
  }
  const ua = navigator.userAgent;
  const m = /(Edg|OPR|Chrome|Chromium)\/([\d.]+)/.exec(ua);
  const names: Record<string, string> = { Edg: 'Edge', OPR: 'Opera', Chrome: 'Chrome', Chromium: 'Chromium' };
  return m ? { name: names[m[1]] ?? m[1], version: m[2] } : { name: 'unknown', version: 'unknown' };
}

export async function environment(page: { viewport: { width: number; height: number }; device_pixel_ratio: number; locale: string }): Promise<Environment> {
  const [b, platform] = await Promise.all([browserInfo(), browser.runtime.getPlatformInfo()]);
  return {
    tool: 'Cairn',
    tool_version: browser.runtime.getManifest().version,
    browser: b.name,
    browser_version: b.version,
    os: `${platform.os} ${platform.arch}`,
    user_agent: navigator.userAgent,
    viewport: page.viewport,
    device_pixel_ratio: page.device_pixel_ratio,
    locale: page.locale,
  };
}

/** Local wall-clock time with its UTC offset, e.g. 2026-11-29T13:04:05.123+01:00. */
export function localIso(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}
