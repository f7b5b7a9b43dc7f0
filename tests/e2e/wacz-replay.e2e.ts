import 'fake-indexeddb/auto';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TMP, requireBrowser, type Launched } from '../../scripts/lib/browsers';
import { captureViaPopup, extensionDir, launch, openVault } from '../../scripts/lib/driver';
import { serveStatic, type StaticServer } from '../../scripts/lib/server';
import { buildWacz, cdxTimestamp, warcTargetUrl, type WaczResult } from '../../utils/package/wacz';
import { fromUtf8 } from '../../utils/shared/encoding';
import type { CaptureRecord } from '../../utils/shared/types';
import { readWacz, unzipWacz, type ParsedRecord } from '../helpers/wacz-check';
import { waczFixture, type WaczFixture } from '../helpers/wacz-sample';
import { readBlob } from '../../utils/background/vault-data';

/**
 * Replays evidence.wacz with ReplayWeb.page's own replay engine, wabac.js
 * (@webrecorder/wabac, AGPL: a test tool only, never bundled into Cairn). Its
 * service worker is served beside the WACZ on 127.0.0.1, registered in a plain
 * headless Chromium, sent the same `addColl` message ReplayWeb.page sends to
 * load a WACZ from a URL, and then asked for the captured pages and screenshots
 * through its replay URLs (`/w/<collection>/<timestamp>id_/<url>` returns the
 * archived bytes unchanged; `mp_` is the rewritten page ReplayWeb.page frames).
 *
 * ReplayWeb.page's own npm package could not be installed here (the registry
 * lacks the warcio 2.4.12 it pins); wabac 2.27.1 is the replay library inside
 * it, and this is the code path ReplayWeb.page runs when it opens a WACZ.
 */

// The package's exports do not include package.json, so find it where npm puts it.
const WABAC_SW = join(ROOT, 'node_modules/@webrecorder/wabac/dist/sw.js');
const COLL = 'evidence';
const HOST_PAGE = '<!doctype html><meta charset="utf-8"><title>replay host</title><p>Host page for the WACZ replay test.</p>';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

type Served = { origin: string; ranges: number; close(): Promise<void> };

/** Serves fixed files with HTTP Range support: wabac reads a WACZ by ranges and refuses a server without them. */
async function serveFiles(files: Map<string, { type: string; body: Uint8Array }>): Promise<Served> {
  let ranges = 0;
  const server: Server = createServer((req, res) => {
    const f = files.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!f) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const size = f.body.byteLength;
    const base = { 'content-type': f.type, 'accept-ranges': 'bytes', 'cache-control': 'no-store' };
    const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = size - 1;
    if (m) {
      ranges++;
      if (m[1]) {
        start = Number(m[1]);
        if (m[2]) end = Math.min(Number(m[2]), size - 1);
      } else {
        start = Math.max(0, size - Number(m[2]));
      }
      if (start > end) {
        res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
        return;
      }
      res.writeHead(206, { ...base, 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': String(end - start + 1) });
    } else {
      res.writeHead(200, { ...base, 'content-length': String(size) });
    }
    res.end(req.method === 'HEAD' ? undefined : Buffer.from(f.body.subarray(start, end + 1)));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  return {
    origin: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    get ranges() {
      return ranges;
    },
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/** A plain headless Chromium with wabac's service worker controlling a page, and one WACZ to load. */
interface Replayer {
  page: Page;
  browser: Browser;
  srv: Served;
  /** Sends addColl; resolves to what the service worker answered. */
  load(): Promise<{ ok: boolean; detail: string }>;
  url(isoTime: string, target: string, mod?: string): string;
  text(url: string): Promise<{ status: number; type: string | null; text: string; finalUrl: string }>;
  bytes(url: string): Promise<{ status: number; type: string | null; bytes: Buffer }>;
  api(): Promise<{ pages: { id: string; url: string; ts: number; title: string }[]; verify: Record<string, unknown> }>;
  verification(): Promise<Record<string, { id: string; expected: unknown; matched: unknown }>>;
  close(): Promise<void>;
}

async function startReplayer(wacz: Uint8Array, favicon: Uint8Array): Promise<Replayer> {
  const srv = await serveFiles(
    new Map([
      ['/', { type: 'text/html; charset=utf-8', body: new TextEncoder().encode(HOST_PAGE) }],
      ['/sw.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(WABAC_SW) }],
      ['/evidence.wacz', { type: 'application/octet-stream', body: wacz }],
      ['/favicon.ico', { type: 'image/png', body: favicon }],
    ]),
  );
  mkdirSync(TMP, { recursive: true });
  const profile = mkdtempSync(join(TMP, 'wabac-profile-'));
  mkdirSync(join(profile, 'home'), { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: requireBrowser('chromium'),
    headless: true,
    pipe: true,
    userDataDir: join(profile, 'data'),
    env: { ...process.env, HOME: join(profile, 'home') },
    args: LAUNCH_ARGS,
  });
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') console.error('[replay page]', m.text());
  });
  await page.goto(srv.origin + '/', { waitUntil: 'load' });
  return {
    page,
    browser,
    srv,
    load: () =>
      page.evaluate(
        async (waczUrl: string, coll: string) => {
          // useHashCheck=1: wabac checks the hashes datapackage.json lists as it reads the files.
          const reg = await navigator.serviceWorker.register('/sw.js?replayPrefix=w&useHashCheck=1', { scope: '/' });
          await navigator.serviceWorker.ready;
          if (!navigator.serviceWorker.controller) {
            await new Promise<void>((ok) => navigator.serviceWorker.addEventListener('controllerchange', () => ok(), { once: true }));
          }
          return new Promise<{ ok: boolean; detail: string }>((resolve) => {
            const timer = setTimeout(() => resolve({ ok: false, detail: 'no answer from the service worker within 60 s' }), 60_000);
            navigator.serviceWorker.addEventListener('message', (ev: MessageEvent) => {
              const d = ev.data as { msg_type?: string; name?: string; error?: string };
              if (d.name !== coll) return;
              if (d.msg_type === 'collAdded') {
                clearTimeout(timer);
                resolve({ ok: true, detail: 'collAdded' });
              } else if (d.msg_type === 'collProgress' && d.error) {
                clearTimeout(timer);
                resolve({ ok: false, detail: d.error });
              }
            });
            reg.active!.postMessage({ msg_type: 'addColl', name: coll, skipExisting: false, file: { sourceUrl: waczUrl } });
          });
        },
        srv.origin + '/evidence.wacz',
        COLL,
      ),
    url: (iso, target, mod = 'id_') => `${srv.origin}/w/${COLL}/${cdxTimestamp(iso)}${mod}/${target}`,
    text: (u) =>
      page.evaluate(async (x: string) => {
        const r = await fetch(x);
        return { status: r.status, type: r.headers.get('content-type'), text: await r.text(), finalUrl: r.url };
      }, u),
    bytes: async (u) => {
      const r = await page.evaluate(async (x: string) => {
        const res = await fetch(x);
        const b = new Uint8Array(await res.arrayBuffer());
        let s = '';
        for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
        return { status: res.status, type: res.headers.get('content-type'), b64: btoa(s) };
      }, u);
      return { status: r.status, type: r.type, bytes: Buffer.from(r.b64, 'base64') };
    },
    api: () => page.evaluate(async (u: string) => (await fetch(u)).json(), `${srv.origin}/w/api/c/${COLL}?all=1`),
    // The API counts a present signature as valid whatever its outcome, so read what wabac stored for each check.
    verification: async () => {
      const rows = (await page.evaluate(
        (db: string) =>
          new Promise<unknown>((resolve, reject) => {
            const open = indexedDB.open(db);
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const get = open.result.transaction('verification').objectStore('verification').getAll();
              get.onsuccess = () => resolve(get.result);
              get.onerror = () => reject(get.error);
            };
          }),
        `db:${COLL}`,
      )) as { id: string; expected: unknown; matched: unknown }[];
      return Object.fromEntries(rows.map((r) => [r.id, r]));
    },
    close: async () => {
      await browser.close().catch(() => undefined);
      await srv.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What wabac must have verified: the signature, datapackage.json and pages.jsonl. */
async function expectVerified(r: Replayer, wacz: Uint8Array): Promise<void> {
  const files = await unzipWacz(wacz);
  const dp = JSON.parse(fromUtf8(files.get('datapackage.json')!)) as { resources: { path: string; hash: string }[] };
  const digest = JSON.parse(fromUtf8(files.get('datapackage-digest.json')!)) as { hash: string; signedData: { publicKey: string } };
  const hashOf = (path: string) => dp.resources.find((x) => x.path === path)!.hash;
  const v = await r.verification();
  expect(v['signature']).toEqual({ id: 'signature', expected: true, matched: true });
  expect(v['publicKey']).toEqual({ id: 'publicKey', expected: digest.signedData.publicKey, matched: null });
  expect(v['defaultdatapackage.json']).toEqual({ id: 'defaultdatapackage.json', expected: digest.hash, matched: true });
  expect(v['defaultpages/pages.jsonl']).toEqual({ id: 'defaultpages/pages.jsonl', expected: hashOf('pages/pages.jsonl'), matched: true });
  // wabac 2.27.1 stores the index's expected hash but never compares it (its CDX loader looks the
  // expectation up without the WACZ-name prefix it was stored under); the unit tests check that hash.
  expect(v['defaultindexes/index.cdx']).toEqual({ id: 'defaultindexes/index.cdx', expected: hashOf('indexes/index.cdx'), matched: false });
}

if (!existsSync(WABAC_SW)) {
  describe('evidence.wacz replay in wabac.js', () => {
    it('cannot run: @webrecorder/wabac is not installed', () => {
      throw new Error(
        `The WACZ replay test needs the test-only devDependency @webrecorder/wabac, and ${WABAC_SW} was not found. ` +
          'Install the project\'s devDependencies (npm ci) and run this test again.',
      );
    });
  });
} else {
  describe('evidence.wacz replays in wabac.js (ReplayWeb.page\'s replay library), headless Chromium', () => {
    let fx: WaczFixture;
    let wacz: WaczResult;
    let r: Replayer;

    beforeAll(async () => {
      fx = await waczFixture();
      wacz = await buildWacz({
        captures: fx.captures,
        created: new Date('2026-11-29T13:00:00.000Z'),
        software: { name: 'Cairn', version: '0.1.0' },
        title: 'Cairn evidence: replay test',
        cosigner: fx.cosigner,
      });
      r = await startReplayer(wacz.bytes, fx.captures[0].files.get('screenshot.png')!);
    });
    afterAll(async () => {
      await r?.close();
      fx?.db.close();
    });

    const blob = async (rec: CaptureRecord, name: string) => Buffer.from((await readBlob(fx.db, rec.artefacts.find((a) => a.name === name)!.sha256))!.bytes);

    it('loads the WACZ as a collection, reading it by HTTP ranges', async () => {
      expect(await r.load()).toEqual({ ok: true, detail: 'collAdded' });
      expect(r.srv.ranges).toBeGreaterThan(0);
    });

    it('lists one page per capture, and has verified the signature, datapackage.json and pages.jsonl', async () => {
      const api = await r.api();
      const pages = api.pages.map((p) => ({ id: p.id, url: p.url, ts: p.ts, title: p.title })).sort((a, b) => a.ts - b.ts);
      expect(pages).toEqual(fx.records.map((x) => ({ id: x.id, url: x.page_url, ts: new Date(x.captured_at).getTime(), title: x.page_title })));
      expect(api.verify).toMatchObject({ datapackageHash: wacz.datapackageHash, publicKey: wacz.publicKey, created: '2026-11-29T13:00:00.000Z', software: 'Cairn 0.1.0' });
      await expectVerified(r, wacz.bytes);
    });

    it('replays each capture\'s page (the cleaned snapshot) byte for byte', async () => {
      const [first, , ...rest] = fx.records;
      for (const rec of [first, ...rest]) {
        const got = await r.text(r.url(rec.captured_at, warcTargetUrl(rec.page_url)));
        expect([got.status, got.type]).toEqual([200, 'text/html; charset=utf-8']);
        expect(got.text).toBe((await blob(rec, 'page.html')).toString('utf8'));
      }
    });

    it('keeps two captures of one URL in the same second apart; wabac\'s default lookup rounds to the second and shows the first', async () => {
      const [first, second] = fx.records;
      expect(second.page_url).toBe(first.page_url);
      expect(new Date(second.captured_at).getTime() - new Date(first.captured_at).getTime()).toBe(250);
      const url = warcTargetUrl(second.page_url);
      // wabac finds the right record, then redirects to a 14-digit (whole-second) replay URL, and that
      // lookup lands on the first capture of the second. A limit of the replayer, not of the WACZ.
      const viaDefault = await r.text(r.url(second.captured_at, url));
      expect(viaDefault.text).toBe((await blob(first, 'page.html')).toString('utf8'));
      // Addressed at millisecond precision in the same WACZ, the second capture is there, byte for byte.
      const hash = /\/w\/evidence\/:([0-9a-f]{64})\//.exec(viaDefault.finalUrl)?.[1];
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      const precise = (u: string) => `${r.srv.origin}/w/${COLL}/:${hash}/${cdxTimestamp(second.captured_at)}id_/${u}`;
      expect((await r.text(precise(url))).text).toBe((await blob(second, 'page.html')).toString('utf8'));
      expect((await r.bytes(precise(`urn:view:${url}`))).bytes).toEqual(await blob(second, 'screenshot.png'));
    });

    it('replays the screenshot at urn:view:<url>, the text, the sealed record and the other artefacts, byte for byte', async () => {
      const [first, , ...rest] = fx.records;
      for (const rec of [first, ...rest]) {
        const page = warcTargetUrl(rec.page_url);
        const shot = await r.bytes(r.url(rec.captured_at, `urn:view:${page}`));
        expect([shot.status, shot.type]).toEqual([200, 'image/png']);
        expect(shot.bytes).toEqual(await blob(rec, 'screenshot.png'));
        expect((await r.text(r.url(rec.captured_at, `urn:text:${page}`))).text).toBe((await blob(rec, 'text.txt')).toString('utf8'));
      }
      for (const rec of fx.records) {
        const meta = await r.text(r.url(rec.captured_at, `metadata://capture/${rec.id}.json`));
        expect([meta.status, meta.type]).toEqual([200, 'application/json']);
        expect(meta.text).toBe(fromUtf8(fx.captures.find((c) => c.record.id === rec.id)!.recordJson));
        expect((await r.text(r.url(rec.captured_at, `urn:cairn:${rec.id}/original.html`))).text).toBe((await blob(rec, 'original.html')).toString('utf8'));
      }
      const item = fx.records[3];
      for (const name of ['element.png', 'media/01.png']) {
        const got = await r.bytes(r.url(item.captured_at, `urn:cairn:${item.id}/${name}`));
        expect([got.type, got.bytes]).toEqual(['image/png', await blob(item, name)]);
      }
    });

    it('renders a replayed page inside a frame, as ReplayWeb.page shows it', async () => {
      for (const rec of [fx.records[2], fx.records[3]]) {
        const text = await r.page.evaluate(async (src: string) => {
          const frame = document.createElement('iframe');
          frame.src = src;
          document.body.appendChild(frame);
          await new Promise((ok) => frame.addEventListener('load', ok, { once: true }));
          const doc = frame.contentDocument;
          const t = doc?.querySelector('#post')?.textContent ?? `(no #post in: ${doc?.documentElement.outerHTML.slice(0, 400)})`;
          frame.remove();
          return t;
        }, r.url(rec.captured_at, warcTargetUrl(rec.page_url), 'mp_'));
        expect(text).toBe(`Snapshot of post ${rec.seq} — “quoted” 🙂`);
      }
    });
  });

  describe('a WACZ made by the built extension ("Export WACZ only" in the vault, Chromium) passes every check and replays', () => {
    const built = existsSync(join(extensionDir('chromium'), 'manifest.json'));
    let l: Launched;
    let demo: StaticServer;
    let wacz: Buffer;
    let filename: string;
    let records: ParsedRecord[];
    let r: Replayer;

    beforeAll(async () => {
      if (!built) return;
      demo = await serveStatic(join(ROOT, 'tests/fixtures/demo'));
      l = await launch('chromium');
    });
    afterAll(async () => {
      await l?.close();
      await demo?.close();
      await r?.close();
    });

    it('captures a demo page and exports the WACZ alone from the vault', async () => {
      if (!built) throw new Error(`The extension is not built (${extensionDir('chromium')} has no manifest.json). Run \`npx wxt build\` first.`);
      const page = await l.browser.newPage();
      await page.goto(demo.origin + '/index.html', { waitUntil: 'load' });
      expect((await captureViaPopup(l, page)).ok).toBe(true);
      await page.close();
      const vault = await openVault(l);
      await vault.waitForSelector('#export-wacz:not([disabled])');
      await vault.$eval('#export-wacz', (el) => (el as HTMLElement).click());
      await vault.waitForSelector('#export-link', { timeout: 120_000 });
      const out = await vault.$eval('#export-link', async (a) => {
        const buf = new Uint8Array(await (await (await fetch((a as HTMLAnchorElement).href)).blob()).arrayBuffer());
        let s = '';
        for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
        return { b64: btoa(s), filename: (a as HTMLAnchorElement).download, status: document.querySelector('[role=status]')?.textContent ?? '' };
      });
      wacz = Buffer.from(out.b64, 'base64');
      filename = out.filename;
      expect(filename).toBe(`cairn-export-${new Date().toISOString().slice(0, 10)}.wacz`);
      expect(out.status).toMatch(/^Web archive \(WACZ\) of 1 capture ready/);
      await vault.close();
    });

    it('reads back whole: digests, CDX, pages, datapackage hashes, both signatures', async () => {
      const files = await unzipWacz(wacz);
      const metas = (await readWacz(files, '')).records.filter((x) => x.type === 'metadata').map((x) => JSON.parse(fromUtf8(x.payload)) as CaptureRecord);
      expect(metas.map((m) => [m.page_url, m.page_title])).toEqual([[demo.origin + '/index.html', 'Pebble — home']]);
      const pages = ['{"format":"json-pages-1.0","id":"pages","title":"All Pages"}', ...metas.map((m) => JSON.stringify({ id: m.id, url: m.page_url, ts: m.captured_at, title: m.page_title }))].join('\n') + '\n';
      const read = await readWacz(files, pages);
      expect(read.failed).toEqual({});
      records = read.records;
      expect(records.slice(1).map((x) => [x.type, x.target, x.headers['Cairn-Artefact-Name'] ?? null])).toEqual([
        ['resource', demo.origin + '/index.html', 'page.html'],
        ['resource', `urn:view:${demo.origin}/index.html`, 'screenshot.png'],
        ['resource', `urn:cairn:${metas[0].id}/original.html`, 'original.html'],
        ['resource', `urn:text:${demo.origin}/index.html`, 'text.txt'],
        ['metadata', `metadata://capture/${metas[0].id}.json`, null],
      ]);
    });

    it('replays the captured page and its screenshot in wabac.js', async () => {
      const shot = records.find((x) => x.target?.startsWith('urn:view:'))!;
      r = await startReplayer(wacz, shot.payload);
      expect(await r.load()).toEqual({ ok: true, detail: 'collAdded' });
      await expectVerified(r, wacz);
      const snapshot = records.find((x) => x.headers['Cairn-Artefact-Name'] === 'page.html')!;
      const got = await r.text(r.url(snapshot.date, snapshot.target!));
      expect([got.status, got.type]).toEqual([200, 'text/html; charset=utf-8']);
      expect(got.text).toBe(fromUtf8(snapshot.payload));
      expect(got.text).toContain('I know which bus you take now. See you on Thursday.');
      expect((await r.bytes(r.url(shot.date, shot.target!))).bytes).toEqual(Buffer.from(shot.payload));
    });
  });
}
