import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Browser, HTTPRequest, Page, Target } from 'puppeteer-core';
import type { BrowserName, Launched, LaunchOptions } from './browsers';

/**
 * Records the network requests a browser makes while a test drives Cairn,
 * in two independent ways, so that a test can assert Cairn made none of its
 * own (issue #5 part 5) or only the ones it should (a configured timestamp
 * authority):
 *
 * 1. A recording proxy (startRecordingProxy) that the whole browser is
 *    pointed at, loopback included. It sees every HTTP(S) and WebSocket
 *    request from every context of the browser (extension background,
 *    pages, content scripts, the browser itself), forwards only those to
 *    127.0.0.1/localhost, and refuses the rest. It cannot say which context
 *    asked.
 * 2. A per-context recorder (ContextRecorder) that says which context
 *    asked. Chromium: the DevTools protocol on every target, the extension's
 *    service worker included, attached before the target runs (auto-attach
 *    with waitForDebuggerOnStart), so even a worker's first request is seen.
 *    Firefox: WebDriver BiDi request events of every web page's tab. Firefox
 *    reports nothing there for extension pages or the background page, and
 *    keeps no Resource Timing entries for them either (measured on Firefox
 *    ESR 153), so in Firefox the proxy is the only witness for Cairn's own
 *    contexts: it sees their requests but cannot attribute them.
 *
 * Extension-internal loads (chrome-extension:// moz-extension:// blob: data:
 * about:) are not network; they are listed separately.
 */

export interface ProxyEntry {
  /** HTTP method, or CONNECT for an HTTPS or WebSocket tunnel. */
  method: string;
  /** Absolute URL for plain HTTP; host:port for a tunnel. */
  url: string;
  host: string;
  /** True when the request went on to a loopback server; false when the proxy refused it. */
  forwarded: boolean;
  at: number;
}

export interface RecordingProxy {
  port: number;
  entries: ProxyEntry[];
  /** What to pass to launch(): route every request, loopback included, through the proxy. */
  launchOptions(): LaunchOptions;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** An HTTP proxy on 127.0.0.1 that logs every request and forwards only loopback ones. */
export async function startRecordingProxy(): Promise<RecordingProxy> {
  const entries: ProxyEntry[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    let target: URL | null = null;
    try {
      target = new URL(url);
    } catch {
      target = null;
    }
    const host = target?.hostname ?? '';
    const forward = !!target && target.protocol === 'http:' && LOOPBACK.has(host);
    entries.push({ method: req.method ?? 'GET', url, host, forwarded: forward, at: Date.now() });
    if (!forward || !target) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('refused by the test proxy');
      return;
    }
    const up = httpRequest(
      { host: target.hostname, port: target.port || 80, path: target.pathname + target.search, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  // HTTPS and WebSocket tunnels: recorded and refused; a test server never needs one.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    const url = req.url ?? '';
    entries.push({ method: 'CONNECT', url, host: url.replace(/:\d+$/, ''), forwarded: false, at: Date.now() });
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    entries,
    launchOptions: () => ({
      // <-loopback> removes Chromium's implicit bypass for 127.0.0.1 and localhost.
      args: [`--proxy-server=http://127.0.0.1:${port}`, '--proxy-bypass-list=<-loopback>'],
      prefs: {
        'network.proxy.type': 1,
        'network.proxy.http': '127.0.0.1',
        'network.proxy.http_port': port,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': port,
        'network.proxy.share_proxy_settings': true,
        'network.proxy.no_proxies_on': '',
        'network.proxy.allow_hijacking_localhost': true,
      },
    }),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

export interface ContextRequest {
  url: string;
  method: string;
  /** The context that made it: its kind (service_worker, page, iframe…) and the address of its document or worker script. */
  context: { kind: string; url: string };
  /** Script addresses on the initiator's stack (Chromium), to tell our collector's requests inside a web page apart. */
  scripts: string[];
  /** Where we saw it. */
  via: 'cdp' | 'bidi';
  at: number;
}

const INTERNAL = /^(chrome-extension|moz-extension|blob|data|about|chrome|devtools):/;

/** Splits requests into extension-internal loads and real network requests. */
export function splitInternal<T extends { url: string }>(requests: T[]): { internal: T[]; network: T[] } {
  return { internal: requests.filter((r) => INTERNAL.test(r.url)), network: requests.filter((r) => !INTERNAL.test(r.url)) };
}

type AttachedEvent = { sessionId: string; targetInfo: { type: string; url: string }; waitingForDebugger: boolean };
type WillBeSent = { request: { url: string; method: string }; documentURL?: string; initiator?: { url?: string; stack?: { callFrames: { url: string }[] } } };

/**
 * Per-context request recorder. Pass `recorder.beforeInstall` in the launch
 * options so it is watching before the extension is installed (its first
 * service-worker run included), then `bind(launched)` to learn the
 * extension's origin.
 */
export class ContextRecorder {
  readonly requests: ContextRequest[] = [];
  /** Every context watched, as "kind url", so a test can show the worker and each page were covered. */
  readonly contexts = new Set<string>();
  private origin = '';
  private stops: (() => Promise<void>)[] = [];

  readonly beforeInstall = async (browser: Browser, name: BrowserName): Promise<void> => {
    if (name === 'chromium') await this.attachChromium(browser);
    else await this.attachFirefox(browser);
  };

  bind(l: Launched): void {
    this.origin = l.extensionOrigin;
  }

  /** True for a request from one of the extension's own contexts: its pages, its worker, or our script running in a web page. */
  isExtension(r: ContextRequest): boolean {
    if (!this.origin) throw new Error('ContextRecorder.bind(launched) was not called');
    return r.context.url.startsWith(this.origin) || r.scripts.some((u) => u.startsWith(this.origin));
  }

  /** Requests made by the extension's contexts, split into internal loads and network. */
  extension(): { internal: ContextRequest[]; network: ContextRequest[] } {
    return splitInternal(this.requests.filter((r) => this.isExtension(r)));
  }

  async stop(): Promise<void> {
    for (const s of this.stops) await s().catch(() => undefined);
  }

  private record(r: Omit<ContextRequest, 'at'>): void {
    this.requests.push({ ...r, at: Date.now() });
  }

  private async attachChromium(browser: Browser): Promise<void> {
    const root = await browser.target().createCDPSession();
    const conn = root.connection();
    const onAttached = (ev: AttachedEvent) => {
      const s = conn?.session(ev.sessionId);
      if (!s) return;
      const kind = ev.targetInfo.type;
      const targetUrl = ev.targetInfo.url;
      const isWorker = kind === 'service_worker' || kind === 'worker' || kind === 'shared_worker';
      this.contexts.add(`${kind} ${targetUrl}`);
      s.on('Network.requestWillBeSent', (p: WillBeSent) => {
        const scripts = [p.initiator?.url, ...(p.initiator?.stack?.callFrames ?? []).map((f) => f.url)].filter((u): u is string => !!u);
        const url = isWorker ? targetUrl : (p.documentURL ?? targetUrl);
        this.contexts.add(`${kind} ${url}`);
        this.record({ url: p.request.url, method: p.request.method, context: { kind, url }, scripts, via: 'cdp' });
      });
      s.on('Target.attachedToTarget', onAttached);
      // Sent in this order, Network.enable is handled before the target runs its first line.
      void s.send('Network.enable').catch(() => undefined);
      if (kind === 'page' || kind === 'iframe') void s.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }).catch(() => undefined);
      if (ev.waitingForDebugger) void s.send('Runtime.runIfWaitingForDebugger').catch(() => undefined);
    };
    root.on('Target.attachedToTarget', onAttached);
    await root.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
    this.stops.push(async () => {
      await root.send('Target.setAutoAttach', { autoAttach: false, waitForDebuggerOnStart: false }).catch(() => undefined);
      await root.detach().catch(() => undefined);
    });
  }

  private async attachFirefox(browser: Browser): Promise<void> {
    const watched = new WeakSet<Page>();
    const watch = (page: Page | null) => {
      if (!page || watched.has(page)) return;
      watched.add(page);
      page.on('request', (r: HTTPRequest) => {
        const doc = r.frame()?.url() ?? page.url();
        this.contexts.add(`page ${doc}`);
        this.record({ url: r.url(), method: r.method(), context: { kind: 'page', url: doc }, scripts: [], via: 'bidi' });
      });
    };
    for (const p of await browser.pages()) watch(p);
    const onTarget = (t: Target) => void t.page().then(watch, () => undefined);
    browser.on('targetcreated', onTarget);
    this.stops.push(async () => {
      browser.off('targetcreated', onTarget);
    });
  }
}

/** A short, readable line per request for assertion messages. */
export function describeRequests(rs: { method: string; url: string }[]): string[] {
  return rs.map((r) => `${r.method} ${r.url}`);
}
