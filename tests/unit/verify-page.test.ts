// @vitest-environment jsdom
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cachedVerifyHtml, inlineBlocks } from '../../scripts/lib/verify-html';
import type { VerifyReport } from '../../utils/verify/verify';
import { checkGroups, renderReport, timeText, type CheckedSource } from '../../utils/verify/page/render';

const HOSTILE = `<img src=x onerror="globalThis.__pwned=1"><script>globalThis.__pwned=2</script>`;

const src: CheckedSource = { kind: 'zip', name: `case${HOSTILE}.zip`, sha256: 'ab'.repeat(32), bytes: 123_456, checkedAt: new Date('2026-11-30T09:00:00Z') };

function report(over: Partial<VerifyReport> & Record<string, unknown> = {}): VerifyReport {
  return {
    verdict: 'FAILED',
    summary: `FAILED: 1 check(s) failed, first: ${HOSTILE}`,
    fingerprint: '1e8c02a4bdf43b84f704ad945bfa556b4bb7d961a2d44526012d8b46a0af7e2b',
    export_id: `id${HOSTILE}`,
    created: '2026-11-29T14:45:03.575Z',
    checks: [
      { id: 'archive', status: 'pass', detail: 'ZIP archive readable, 3 files.' },
      { id: 'file', status: 'fail', file: `captures/${HOSTILE}/record.json`, detail: `SHA-256 differs ${HOSTILE}` },
      { id: 'timestamp', status: 'pass', file: 'manifest.json.sig.tsr', detail: 'Timestamp valid: 2026-11-29T14:45:04Z by Test TSA.' },
      { id: 'brand-new-check', status: 'skip', detail: 'Not checked yet.' },
    ],
    captures: [
      { seq: 1, folder: `captures/000001-${HOSTILE}`, record_sha256: 'cd'.repeat(32), ok: false },
      { seq: 2, folder: 'captures/000002-x-post', record_sha256: null, ok: true },
    ],
    ...over,
  } as VerifyReport;
}

function mount(r: VerifyReport): HTMLElement {
  const root = document.createElement('section');
  root.append(...renderReport(r, src));
  document.body.replaceChildren(root);
  return root;
}

describe('verify.html rendering', () => {
  it('puts hostile strings from a package into text only: no element, no script, no handler', () => {
    const root = mount(report({ timestamps: [{ file: `x${HOSTILE}`, subject: 'manifest.json.sig', status: 'stamped', gen_time: '2026-11-29T14:45:04Z', device_time: '2026-11-29T14:45:03Z', skew_ms: 1000, authority: `TSA ${HOSTILE}`, certificate_sha256: null }] }));
    expect(root.querySelectorAll('img, script, iframe, object, embed, [onerror]').length).toBe(0);
    expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined();
    expect(root.querySelector('#summary')!.textContent).toBe(`FAILED: 1 check(s) failed, first: ${HOSTILE}`);
    expect(root.querySelector('#export-id')!.textContent).toBe(`id${HOSTILE}`);
    const rows = [...root.querySelectorAll('#checks tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['Archive', '✓ passed', '', 'ZIP archive readable, 3 files.'],
      ['Files and hashes', '✗ FAILED', `captures/${HOSTILE}/record.json`, `SHA-256 differs ${HOSTILE}`],
      ['Trusted timestamps', '✓ passed', 'manifest.json.sig.tsr', 'Timestamp valid: 2026-11-29T14:45:04Z by Test TSA.'],
      // A check id this page has never heard of is shown as it is.
      ['brand-new-check', '– not checked', '', 'Not checked yet.'],
    ]);
    expect([...root.querySelectorAll('#checks tbody tr')].map((tr) => [tr.getAttribute('data-id'), tr.getAttribute('data-status')])).toEqual([
      ['archive', 'pass'], ['file', 'fail'], ['timestamp', 'pass'], ['brand-new-check', 'skip'],
    ]);
    expect([...root.querySelectorAll('#check-summary li')].map((li) => li.textContent)).toEqual([
      '✓ Archive: passed', '✗ Files and hashes: FAILED', '✓ Trusted timestamps: passed', '– brand-new-check: not checked',
    ]);
    // Fields the report gains later (here a timestamp list) appear without a change to the page.
    const more = root.querySelector('#more')!;
    expect(more.querySelector('dt')!.textContent).toBe('timestamps');
    expect([...more.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['file', 'subject', 'status', 'gen_time', 'device_time', 'skew_ms', 'authority', 'certificate_sha256']);
    expect([...more.querySelectorAll('tbody td')].map((td) => td.textContent)).toEqual([
      `x${HOSTILE}`, 'manifest.json.sig', 'stamped', timeText('2026-11-29T14:45:04Z'), timeText('2026-11-29T14:45:03Z'), '1000', `TSA ${HOSTILE}`, '—',
    ]);
    expect(timeText('2026-11-29T14:45:04Z')).toMatch(/^2026-11-29T14:45:04Z \(.+2026.+\)$/);
  });

  it('shows the verdict, the fingerprint in groups for reading aloud, the facts and every capture', () => {
    const root = mount(report());
    expect(root.querySelector('#verdict')!.textContent).toBe('FAILED');
    expect(root.querySelector('#verdict-box')!.className).toBe('verdict-box FAILED');
    expect([...root.querySelectorAll('#fingerprint .fp-line')].map((l) => [...l.querySelectorAll('.fp-group')].map((g) => g.textContent).join(' '))).toEqual([
      '1E8C 02A4 BDF4 3B84', 'F704 AD94 5BFA 556B', '4BB7 D961 A2D4 4526', '012D 8B46 A0AF 7E2B',
    ]);
    const facts = Object.fromEntries([...root.querySelectorAll('#facts > dt')].map((dt) => [dt.textContent, dt.nextElementSibling!.textContent]));
    expect(Object.keys(facts)).toEqual(['ZIP file', 'Size of the ZIP file', 'SHA-256 of the ZIP file', 'Export id', 'Package created', 'Checked']);
    expect(facts['ZIP file']).toBe(`case${HOSTILE}.zip`);
    expect(facts['Size of the ZIP file']).toBe('121 KB');
    expect(facts['SHA-256 of the ZIP file']).toBe('ab'.repeat(32));
    expect(facts['Package created']).toBe(timeText('2026-11-29T14:45:03.575Z'));
    expect(facts.Checked).toMatch(/^2026-11-30T09:00:00\.000Z \(.+\), with the verify\.html page$/);
    expect([...root.querySelectorAll('#captures th')].map((th) => th.textContent)).toEqual(['Capture', 'Folder', 'Result', 'Record SHA-256']);
    expect([...root.querySelectorAll('#captures tbody tr')].map((tr) => [tr.getAttribute('data-ok'), ...[...tr.querySelectorAll('td')].map((td) => td.textContent)])).toEqual([
      ['false', '1', `captures/000001-${HOSTILE}`, '✗ FAILED', 'cd'.repeat(32)],
      ['true', '2', 'captures/000002-x-post', '✓ passed', '—'],
    ]);
  });

  it('says plainly when there is no key and no capture', () => {
    const root = mount(report({ verdict: 'UNUSABLE', fingerprint: null, export_id: null, created: null, captures: [], checks: [{ id: 'archive', status: 'fail', detail: 'it is not a ZIP archive.' }] }));
    expect(root.querySelector('#fingerprint')!.textContent).toBe('No signer key could be read from this package.');
    expect(root.querySelector('#verdict-meaning')!.textContent).toBe('This could not be checked as a Cairn package. The reason is below.');
    expect(root.querySelector('#captures')).toBeNull();
    expect(checkGroups(report().checks)).toEqual([
      { id: 'archive', status: 'pass', failures: 0 },
      { id: 'file', status: 'fail', failures: 1 },
      { id: 'timestamp', status: 'pass', failures: 0 },
      { id: 'brand-new-check', status: 'skip', failures: 0 },
    ]);
  });
});

describe('the built verify.html', () => {
  it('is one self-contained file whose policy allows exactly its own inline script and style and nothing else', async () => {
    const { html } = await cachedVerifyHtml();
    const blocks = inlineBlocks(html);
    expect(blocks.map((b) => b.tag)).toEqual(['script', 'style']);
    const hash = (t: string) => `'sha256-${createHash('sha256').update(t, 'utf8').digest('base64')}'`;
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/g)].map((m) => m[1]);
    expect(metas).toEqual([`default-src 'none'; base-uri 'none'; form-action 'none'; script-src ${hash(blocks[0].text)}; style-src ${hash(blocks[1].text)}`]);
    // The policy comes straight after the charset, before anything it governs.
    expect(html.indexOf('<meta charset="utf-8"')).toBeLessThan(html.indexOf('Content-Security-Policy'));
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    expect(html.indexOf('<meta charset="utf-8"')).toBeLessThan(1024);
    // Nothing to fetch: no element refers to another file or address.
    const outsideRefs = html.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/g, '').match(/\b(src|href|action|srcset|poster|data)\s*=/gi);
    expect(outsideRefs).toBeNull();
    expect(html).not.toMatch(/<(link|img|iframe|object|embed|base)\b/i);
    // The script itself never fetches, opens sockets or workers, or parses HTML.
    // (The bundled setImmediate shim only tests whether `importScripts` exists, to tell a worker from a page.)
    expect(blocks[0].text.match(/\b(fetch|sendBeacon|importScripts|insertAdjacentHTML|document\.write)\s*\(|new\s+(XMLHttpRequest|WebSocket|EventSource|Worker|SharedWorker)\b|\.(innerHTML|outerHTML)\b/g)).toBeNull();
    // About 550 kB: the verifier plus pkijs/asn1js for the RFC 3161 token checks.
    expect(html.length).toBeLessThan(800_000);
  });
});
