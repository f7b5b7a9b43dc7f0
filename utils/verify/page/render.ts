import { groupHex } from '../../shared/encoding';
import type { Check, CheckStatus, Verdict, VerifyProgress, VerifyReport } from '../verify';
import { h, type Child } from './dom';

/** What was checked, as the page knows it (the report itself knows only the package's contents). */
export interface CheckedSource {
  kind: 'zip' | 'folder';
  /** The ZIP's file name, or the folder's name. */
  name: string;
  /** SHA-256 of the ZIP file as chosen (ZIP mode), for the officer's exhibit record. */
  sha256?: string;
  bytes: number;
  /** Folder mode: files beside the package in the chosen folder, which are not part of it. */
  outside?: number;
  checkedAt: Date;
}

/** Plain words for the check ids the verifier has today; any other id is shown as it is, so new checks need no change here. */
const CHECK_LABELS: Record<string, string> = {
  archive: 'Archive',
  manifest: 'Manifest',
  signature: 'Signature',
  file: 'Files and hashes',
  unlisted: 'No added files',
  sha256sums: 'SHA256SUMS',
  ledger: 'Ledger chain',
  record: 'Capture records',
  timestamp: 'Trusted timestamps',
};

export function checkLabel(id: string): string {
  return CHECK_LABELS[id] ?? id;
}

const STATUS_TEXT: Record<CheckStatus, string> = { pass: 'passed', fail: 'FAILED', skip: 'not checked' };
const STATUS_MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', skip: '–' };

const MEANING: Record<Verdict, string> = {
  VERIFIED:
    'Every file is exactly as it was sealed, and the seal was made with the key whose fingerprint is shown below. Compare that fingerprint with the one the collector reads to you.',
  FAILED: 'At least one check failed: this package is not as it was sealed. The failed checks below name the file and what is wrong with it.',
  UNSIGNED: 'The files match their hashes, but the package carries no signature, so nothing shows who sealed it.',
  PARTIAL: 'Some checks could not be made; the ones that could are listed below.',
  UNUSABLE: 'This could not be checked as a Cairn package. The reason is below.',
};

const KNOWN_REPORT_FIELDS = new Set(['verdict', 'summary', 'fingerprint', 'export_id', 'created', 'checks', 'captures']);
const KNOWN_CAPTURE_FIELDS = ['seq', 'folder', 'ok', 'record_sha256'];
/** Column headings for the fields captures have today; other fields are headed by their own name. */
const CAPTURE_LABELS: Record<string, string> = { seq: 'Capture', folder: 'Folder', ok: 'Result', record_sha256: 'Record SHA-256' };
const MAX_ROWS = 2000;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** An ISO time as written, with the local reading beside it (the written one is the evidence). */
export function timeText(iso: string): string {
  if (!ISO_TIME.test(iso)) return iso;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${iso} (${d.toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'long' })})`;
}

/** A SHA-256 key fingerprint laid out for reading aloud: four lines of four groups of four. */
export function fingerprintBlock(hex: string, id?: string): HTMLElement {
  const groups = groupHex(hex).split(' ');
  const lines: string[][] = [];
  for (let i = 0; i < groups.length; i += 4) lines.push(groups.slice(i, i + 4));
  return h(
    'div',
    { class: 'fingerprint', id, attrs: { 'data-fingerprint': hex.toLowerCase() } },
    lines.map((l, i) => h('div', { class: 'fp-line' }, h('span', { class: 'fp-n', attrs: { 'aria-hidden': 'true' } }, `${i + 1}`), l.map((g) => h('span', { class: 'fp-group' }, g)))),
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Any value a report may carry (new fields included), rendered as text, lists and tables. */
export function renderValue(key: string, v: unknown, depth = 0): Child {
  if (v === null || v === undefined) return h('span', { class: 'muted' }, '—');
  if (typeof v === 'string') {
    if (/fingerprint/i.test(key) && /^[0-9a-f]{64}$/i.test(v)) return fingerprintBlock(v);
    if (/sha256|hash/i.test(key)) return h('span', { class: 'mono' }, v);
    return timeText(v);
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (depth > 4) return h('span', { class: 'mono' }, JSON.stringify(v).slice(0, 2000));
  if (Array.isArray(v)) {
    if (v.length === 0) return h('span', { class: 'muted' }, 'none');
    if (v.every(isPlainObject)) return objectTable(v as Record<string, unknown>[], [], depth);
    return h('ul', null, v.slice(0, MAX_ROWS).map((x) => h('li', null, renderValue(key, x, depth + 1))), v.length > MAX_ROWS ? h('li', null, `… and ${v.length - MAX_ROWS} more`) : null);
  }
  if (isPlainObject(v)) return h('dl', { class: 'fields' }, Object.entries(v).map(([k, x]) => [h('dt', null, k), h('dd', null, renderValue(k, x, depth + 1))]));
  return String(v);
}

function objectTable(
  rows: Record<string, unknown>[],
  first: string[],
  depth: number,
  labels: Record<string, string> = {},
  cell?: (k: string, v: unknown) => Child,
  rowAttrs?: (r: Record<string, unknown>) => Record<string, string>,
): HTMLTableElement {
  const cols = [...first];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const shown = rows.slice(0, MAX_ROWS);
  return h(
    'table',
    null,
    h('thead', null, h('tr', null, cols.map((c) => h('th', { attrs: { scope: 'col' } }, labels[c] ?? c)))),
    h(
      'tbody',
      null,
      shown.map((r) => h('tr', { attrs: rowAttrs?.(r) ?? {} }, cols.map((c) => h('td', { attrs: { 'data-col': c } }, cell?.(c, r[c]) ?? renderValue(c, r[c], depth + 1))))),
      rows.length > MAX_ROWS ? h('tr', null, h('td', { attrs: { colspan: String(cols.length) } }, `… and ${rows.length - MAX_ROWS} more rows`)) : null,
    ),
  );
}

/** Overall status of every check sharing an id: failed if any failed, passed if any passed. */
export function checkGroups(checks: readonly Check[]): { id: string; status: CheckStatus; failures: number }[] {
  const out = new Map<string, { id: string; status: CheckStatus; failures: number }>();
  for (const c of checks) {
    const g = out.get(c.id) ?? { id: c.id, status: 'skip' as CheckStatus, failures: 0 };
    if (c.status === 'fail') {
      g.status = 'fail';
      g.failures++;
    } else if (c.status === 'pass' && g.status !== 'fail') g.status = 'pass';
    out.set(c.id, g);
  }
  return [...out.values()];
}

/** The whole result: verdict, fingerprint, facts, every check, every capture. */
export function renderReport(r: VerifyReport, src: CheckedSource): HTMLElement[] {
  const extra = Object.entries(r as unknown as Record<string, unknown>).filter(([k]) => !KNOWN_REPORT_FIELDS.has(k));
  const facts: [string, Child][] = [
    [src.kind === 'zip' ? 'ZIP file' : 'Folder', src.name],
    [src.kind === 'zip' ? 'Size of the ZIP file' : 'Size of the files', formatBytes(src.bytes)],
  ];
  if (src.sha256) facts.push(['SHA-256 of the ZIP file', h('span', { class: 'mono', id: 'zip-sha256' }, src.sha256)]);
  if (src.outside) facts.push(['Not checked', `${src.outside} file(s) beside the package in the chosen folder, which are not part of it`]);
  facts.push(['Export id', r.export_id ? h('span', { class: 'mono', id: 'export-id' }, r.export_id) : h('span', { class: 'muted' }, 'not given')]);
  facts.push(['Package created', r.created ? h('span', { id: 'created' }, timeText(r.created)) : h('span', { class: 'muted' }, 'not given')]);
  facts.push(['Checked', `${src.checkedAt.toISOString()} (${src.checkedAt.toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'long' })}), with the verify.html page`]);

  const groups = checkGroups(r.checks);
  const out: HTMLElement[] = [
    h(
      'div',
      { class: `verdict-box ${r.verdict}`, id: 'verdict-box' },
      h('p', { class: 'verdict-label' }, 'Result'),
      h('p', { class: 'verdict', id: 'verdict', attrs: { tabindex: '-1' } }, r.verdict),
      h('p', { id: 'verdict-meaning' }, MEANING[r.verdict] ?? ''),
      h('p', { id: 'summary', class: 'summary' }, r.summary),
    ),
    h(
      'section',
      { attrs: { 'aria-labelledby': 'fp-h' } },
      h('h2', { id: 'fp-h' }, 'Signer key fingerprint'),
      r.fingerprint
        ? [
            fingerprintBlock(r.fingerprint, 'fingerprint'),
            h('p', { class: 'hint' }, 'Read it in groups of four and compare it with the fingerprint the collector reads to you from their Cairn vault (by phone or in person). A different fingerprint means a different key.'),
          ]
        : h('p', { id: 'fingerprint', class: 'muted' }, 'No signer key could be read from this package.'),
    ),
    h('section', { attrs: { 'aria-labelledby': 'facts-h' } }, h('h2', { id: 'facts-h' }, 'Package'), h('dl', { class: 'fields', id: 'facts' }, facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]))),
  ];
  if (extra.length)
    out.push(h('section', { attrs: { 'aria-labelledby': 'more-h' } }, h('h2', { id: 'more-h' }, 'More details'), h('dl', { class: 'fields', id: 'more' }, extra.map(([k, v]) => [h('dt', null, k), h('dd', null, renderValue(k, v))]))));
  out.push(
    h(
      'section',
      { attrs: { 'aria-labelledby': 'checks-h' } },
      h('h2', { id: 'checks-h' }, 'Checks'),
      h('ul', { id: 'check-summary', class: 'check-summary' }, groups.map((g) => h('li', { class: g.status, attrs: { 'data-id': g.id, 'data-status': g.status } }, h('span', { class: 'mark', attrs: { 'aria-hidden': 'true' } }, STATUS_MARK[g.status]), ` ${checkLabel(g.id)}: ${STATUS_TEXT[g.status]}${g.failures > 1 ? ` (${g.failures} problems)` : ''}`))),
      h(
        'table',
        { id: 'checks' },
        h('thead', null, h('tr', null, ['Check', 'Result', 'File', 'Detail'].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
        h(
          'tbody',
          null,
          r.checks.map((c) =>
            h(
              'tr',
              { class: c.status, attrs: { 'data-id': c.id, 'data-status': c.status } },
              h('td', { class: 'check' }, checkLabel(c.id)),
              h('td', { class: `status ${c.status}` }, `${STATUS_MARK[c.status]} ${STATUS_TEXT[c.status]}`),
              h('td', { class: 'file mono' }, c.file ?? ''),
              h('td', { class: 'detail' }, c.detail),
            ),
          ),
        ),
      ),
    ),
  );
  const caps = r.captures as unknown as Record<string, unknown>[];
  out.push(
    h(
      'section',
      { attrs: { 'aria-labelledby': 'captures-h' } },
      h('h2', { id: 'captures-h' }, `Captures (${caps.length})`),
      caps.length
        ? objectTable(
            caps,
            KNOWN_CAPTURE_FIELDS,
            0,
            CAPTURE_LABELS,
            (k, v) => (k === 'ok' ? h('span', { class: v === true ? 'pass' : 'fail' }, v === true ? '✓ passed' : '✗ FAILED') : undefined),
            (c) => ({ 'data-ok': String(c.ok === true) }),
          )
        : h('p', { class: 'muted' }, 'The manifest lists no captures.'),
    ),
  );
  const table = out[out.length - 1].querySelector('table');
  if (table) table.id = 'captures';
  return out;
}

/** Progress of a check, in words and a bar. */
export function renderProgress(name: string, p: VerifyProgress | null): Child[] {
  if (!p || p.total === 0) return [h('p', null, `Opening ${name}…`), h('progress', { attrs: { 'aria-label': 'Progress' } })];
  const pct = Math.min(100, Math.floor((p.done / p.total) * 100));
  return [
    h('p', null, `Checking ${name}: ${formatBytes(Math.min(p.done, p.total))} of ${formatBytes(p.total)} read and hashed (${pct}%)…`),
    h('progress', { attrs: { max: '100', value: String(pct), 'aria-label': 'Progress' } }),
  ];
}
