import fc from 'fast-check';
import { canonicalJson } from '../../utils/shared/canonical-json';
import { fromUtf8, utf8 } from '../../utils/shared/encoding';
import type { Verdict } from '../../utils/verify/verify';
import type { SamplePackage } from './sample-packages';

/**
 * Random tamperings of exported packages, as an attacker or an accident would
 * make them, each with the verdict the verifier must give. The file kinds are
 * read from the package itself, so a new kind of file in the export (a WACZ, a
 * timestamp token) is tampered with as soon as the exporter writes it.
 */

export type Files = Map<string, Uint8Array>;

export interface Tampering {
  /** The family: flip, truncate, delete, add, rename, edit-json, swap-signature, ledger-lines. */
  kind: string;
  /** Exactly what was done, for a failure message. */
  description: string;
  apply(files: Files): void;
  /** Files whose hashes in manifest.json and SHA256SUMS are brought up to date afterwards, as a forger without the key would. */
  rehash?: string[];
  /** The verdict the verifier must give for the tampered files. */
  expect(files: Files): Verdict;
}

export interface TamperCase {
  sample: SamplePackage;
  tampering: Tampering;
}

/** The kind of a package file: its name at the top level, or `capture:<name>` inside a capture folder (media files as one kind). */
export function fileKind(path: string): string {
  const m = /^captures\/[^/]+\/(.+)$/.exec(path);
  if (!m) return path;
  return `capture:${m[1].startsWith('media/') ? 'media/*' : m[1]}`;
}

export function fileKinds(files: Files): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of [...files.keys()].sort()) out.set(fileKind(p), [...(out.get(fileKind(p)) ?? []), p]);
  return out;
}

/** Whether the verifier can read this manifest at all; when it cannot, the package is UNUSABLE, not FAILED. */
function manifestReadable(files: Files): boolean {
  const b = files.get('manifest.json');
  if (!b) return false;
  try {
    const m = JSON.parse(fromUtf8(b));
    return !!m && typeof m === 'object' && !Array.isArray(m) && Array.isArray(m.files);
  } catch {
    return false;
  }
}

/** The verdict for a change to the content of an existing file or set of files. */
export const failedUnlessManifestUnreadable = (files: Files): Verdict => (manifestReadable(files) ? 'FAILED' : 'UNUSABLE');

const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;
const text = (files: Files, p: string) => fromUtf8(files.get(p)!);
const captureFolders = (files: Files) => [...new Set([...files.keys()].filter((p) => p.startsWith('captures/')).map((p) => p.split('/').slice(0, 2).join('/')))].sort();

function byteFlip(sample: SamplePackage): fc.Arbitrary<Tampering> {
  const kinds = [...fileKinds(sample.files)].map(([k, ps]) => [k, ps.filter((p) => sample.files.get(p)!.length > 0)] as const).filter(([, ps]) => ps.length > 0);
  return fc
    .constantFrom(...kinds)
    .chain(([kind, paths]) => fc.tuple(fc.constant(kind), fc.constantFrom(...paths)))
    .chain(([kind, p]) => fc.record({ kind: fc.constant(kind), path: fc.constant(p), at: fc.nat(sample.files.get(p)!.length - 1), mask: fc.integer({ min: 1, max: 255 }) }))
    .map(({ kind, path, at, mask }) => ({
      kind: 'flip',
      description: `flip byte ${at} of ${path} (${kind}) with ${hex(mask)}`,
      apply: (f: Files) => {
        const c = f.get(path)!.slice();
        c[at] ^= mask;
        f.set(path, c);
      },
      expect: failedUnlessManifestUnreadable,
    }));
}

function truncate(sample: SamplePackage): fc.Arbitrary<Tampering> {
  return fc
    .constantFrom(...[...sample.files.keys()].filter((p) => sample.files.get(p)!.length > 0))
    .chain((p) => fc.tuple(fc.constant(p), fc.nat(sample.files.get(p)!.length - 1)))
    .map(([path, len]) => ({
      kind: 'truncate',
      description: `truncate ${path} (${fileKind(path)}) to ${len} of ${sample.files.get(path)!.length} bytes`,
      apply: (f: Files) => void f.set(path, f.get(path)!.slice(0, len)),
      expect: failedUnlessManifestUnreadable,
    }));
}

/**
 * Deleting the manifest leaves nothing to check against; deleting only the signature leaves a package that is intact but
 * UNSIGNED, unless a timestamp over that signature remains to show a signature was there (then FAILED).
 * Deleting the export's own timestamp token fails too: the signed manifest says the package carries one.
 */
export function deletionVerdict(path: string, after: Files): Verdict {
  if (path === 'manifest.json') return 'UNUSABLE';
  if (path === 'manifest.json.sig') return after.has('manifest.json.sig.tsr') ? 'FAILED' : 'UNSIGNED';
  return 'FAILED';
}

function deletion(sample: SamplePackage): fc.Arbitrary<Tampering> {
  return fc.constantFrom(...sample.files.keys()).map((path) => ({
    kind: 'delete',
    description: `delete ${path} (${fileKind(path)})`,
    apply: (f: Files) => void f.delete(path),
    expect: (f: Files): Verdict => deletionVerdict(path, f),
  }));
}

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,11}$/).filter((s) => !s.includes('..'));

/** New paths an attacker might use: beside the files, inside a capture folder, in a new folder, or leaving the package. */
function newPath(files: Files): fc.Arbitrary<string> {
  const folders = captureFolders(files);
  return fc
    .oneof(
      segment,
      fc.tuple(fc.constantFrom(...folders), segment).map(([d, s]) => `${d}/${s}`),
      fc.tuple(fc.constantFrom(...folders), segment).map(([d, s]) => `${d}/media/${s}.png`),
      fc.tuple(segment, segment).map(([a, b]) => `${a}/${b}`),
      // manifest.json.sig.tsr is the one file outside the manifest (it stamps the signature); a forged one must fail too.
      fc.constantFrom('../outside.txt', '/etc/cairn.txt', 'captures/../../up.txt', 'C:/evil.txt', 'manifest.json.sig.tsr'),
    )
    .filter((p) => !files.has(p));
}

function addition(sample: SamplePackage): fc.Arbitrary<Tampering> {
  return fc.record({ path: newPath(sample.files), data: fc.uint8Array({ maxLength: 64 }) }).map(({ path, data }) => ({
    kind: 'add',
    description: `add ${path} (${data.length} bytes)`,
    apply: (f: Files) => void f.set(path, data),
    expect: (): Verdict => 'FAILED',
  }));
}

function rename(sample: SamplePackage): fc.Arbitrary<Tampering> {
  const folders = captureFolders(sample.files);
  return fc
    .constantFrom(...sample.files.keys())
    .chain((from) => {
      const base = from.split('/').pop()!;
      // Names a careless or careful hand would pick: other case, a suffix, another capture's folder, a roundabout path.
      const near = [from.toUpperCase(), `${from}.bak`, `./${from}`, `captures/../${from}`, ...folders.map((d) => `${d}/${base}`)].filter((q) => q !== from && !sample.files.has(q));
      return fc.tuple(fc.constant(from), near.length ? fc.oneof(newPath(sample.files), fc.constantFrom(...near)) : newPath(sample.files));
    })
    .map(([from, to]) => ({
      kind: 'rename',
      description: `rename ${from} to ${to}`,
      apply: (f: Files) => {
        const b = f.get(from)!;
        f.delete(from);
        f.set(to, b);
      },
      expect: (): Verdict => (from === 'manifest.json' ? 'UNUSABLE' : 'FAILED'),
    }));
}

type Json = Record<string, unknown>;

function getPath(o: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), o);
}

function setPath(o: unknown, path: string[], value: unknown): void {
  const parent = getPath(o, path.slice(0, -1)) as Json;
  parent[path[path.length - 1]] = value;
}

/** A different value of the same type (a changed time, id, text, number), as a careful forger would write. */
function changed(v: unknown, salt: number): unknown {
  if (typeof v === 'number') return v + 1 + (salt % 7);
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'string') {
    if (/^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))) return new Date(Date.parse(v) - ((salt % 86_400) + 1) * 1000).toISOString();
    if (/^[0-9a-f]{64}$/.test(v)) return v.slice(0, 63) + (v[63] === '0' ? '1' : '0');
    return v.length ? `${v.slice(0, -1)}${String.fromCharCode(((v.charCodeAt(v.length - 1) - 32 + 1 + (salt % 90)) % 95) + 32)}` : 'x';
  }
  if (v === null) return 'changed';
  return v;
}

/** Every leaf of a JSON value, as key paths. */
function leaves(o: unknown, prefix: string[] = []): string[][] {
  if (o && typeof o === 'object') return Object.entries(o as Json).flatMap(([k, v]) => leaves(v, [...prefix, k]));
  return [prefix];
}

/** Keeps the package's own hashes of an edited file up to date (manifest entry, SHA256SUMS), as someone without the key would. */
async function sha256(b: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', b.slice().buffer));
  return [...d].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export async function rehash(f: Files, edited: string[]): Promise<void> {
  if (!f.has('manifest.json')) return;
  const m = JSON.parse(text(f, 'manifest.json'));
  for (const p of edited) {
    const e = (m.files as { path: string; sha256: string; bytes: number }[]).find((x) => x.path === p);
    if (e && f.has(p)) {
      e.sha256 = await sha256(f.get(p)!);
      e.bytes = f.get(p)!.length;
    }
  }
  if (!edited.includes('manifest.json')) f.set('manifest.json', utf8(JSON.stringify(m, null, 2) + '\n'));
  const sums = [...m.files.map((x: { sha256: string; path: string }) => `${x.sha256}  ${x.path}`), `${await sha256(f.get('manifest.json')!)}  manifest.json`]
    .sort((a: string, b: string) => (a.slice(66) < b.slice(66) ? -1 : 1))
    .join('\n') + '\n';
  f.set('SHA256SUMS', utf8(sums));
}

/**
 * An edit to a field of a record, of the manifest or of a ledger entry, written
 * back in the exporter's own format. With `fix`, the package's hashes of the
 * edited file are brought up to date too, so only the signatures can tell.
 */
function editJson(sample: SamplePackage): fc.Arbitrary<Tampering> {
  const records = [...sample.files.keys()].filter((p) => p.endsWith('/record.json'));
  const ledger = text(sample.files, 'ledger.jsonl').trimEnd().split('\n');
  type Target = { path: string; field: string[]; line: number };
  const target: fc.Arbitrary<Target> = fc.oneof(
    fc.constantFrom(...records).chain((path) => fc.constantFrom(...leaves(JSON.parse(text(sample.files, path)))).map((field) => ({ path, field, line: -1 }))),
    fc.constantFrom(...leaves(JSON.parse(text(sample.files, 'manifest.json')))).map((field) => ({ path: 'manifest.json', field, line: -1 })),
    fc.nat(ledger.length - 1).chain((line) => fc.constantFrom(...leaves(JSON.parse(ledger[line]))).map((field) => ({ path: 'ledger.jsonl', field, line }))),
  );
  return fc.record({ target, salt: fc.nat(10_000), fix: fc.boolean() }).map(({ target: { path, field, line }, salt, fix }) => ({
    kind: 'edit-json',
    description: `edit ${path}${line >= 0 ? ` line ${line + 1}` : ''} field ${field.join('.')}${fix ? ', then bring the package hashes up to date' : ''}`,
    apply: (f: Files) => {
      if (path === 'ledger.jsonl') {
        const lines = text(f, path).trimEnd().split('\n');
        const e = JSON.parse(lines[line]);
        setPath(e, field, changed(getPath(e, field), salt));
        lines[line] = canonicalJson(e);
        f.set(path, utf8(lines.join('\n') + '\n'));
      } else {
        const o = JSON.parse(text(f, path));
        setPath(o, field, changed(getPath(o, field), salt));
        f.set(path, utf8(JSON.stringify(o, null, 2) + '\n'));
      }
    },
    rehash: fix ? [path] : undefined,
    expect: failedUnlessManifestUnreadable,
  }));
}

/** Signatures moved to where they do not belong: between records, into the manifest, between packages and entries. */
function swapSignature(sample: SamplePackage, all: SamplePackage[]): fc.Arbitrary<Tampering> {
  const sigs = [...sample.files.keys()].filter((p) => p.endsWith('/record.sig'));
  const recs = sigs.map((p) => p.replace(/record\.sig$/, 'record.json'));
  // Another package's file only counts as a swap where it differs (two exports from one device share a key).
  const others = all.filter((s) => s !== sample);
  const differing = (name: string) => {
    const d = others.filter((o) => !sameBytes(o.files.get(name)!, sample.files.get(name)!));
    return d.length ? d : null;
  };
  const options: fc.Arbitrary<Tampering>[] = [
    fc.constantFrom(...sigs).map((p) => ({
      kind: 'swap-signature',
      description: `replace manifest.json.sig with ${p} (a valid signature by the same key, over something else)`,
      apply: (f: Files) => void f.set('manifest.json.sig', f.get(p)!),
      expect: (): Verdict => 'FAILED',
    })),
    fc.constantFrom(...others).map((o) => ({
      kind: 'swap-signature',
      description: `replace manifest.json.sig with the one from package "${o.name}"`,
      apply: (f: Files) => void f.set('manifest.json.sig', o.files.get('manifest.json.sig')!),
      expect: (): Verdict => 'FAILED',
    })),
    fc.constantFrom(...others).map((o) => ({
      kind: 'swap-signature',
      description: `replace manifest.json and its signature with the (validly signed) pair from package "${o.name}"`,
      apply: (f: Files) => {
        f.set('manifest.json', o.files.get('manifest.json')!);
        f.set('manifest.json.sig', o.files.get('manifest.json.sig')!);
      },
      expect: (): Verdict => 'FAILED',
    })),
    fc.constantFrom(...(differing('signer-public-key.pem') ?? others)).map((o) => ({
      kind: 'swap-signature',
      description: `replace signer-public-key.pem with the key from package "${o.name}"`,
      apply: (f: Files) => void f.set('signer-public-key.pem', o.files.get('signer-public-key.pem')!),
      expect: (): Verdict => 'FAILED',
    })),
    fc
      .tuple(fc.nat(), fc.nat())
      .map(([i, j]) => {
        const lines = text(sample.files, 'ledger.jsonl').trimEnd().split('\n');
        const a = i % lines.length;
        const b = (a + 1 + (j % (lines.length - 1))) % lines.length;
        return { a, b };
      })
      .map(({ a, b }) => ({
        kind: 'swap-signature',
        description: `swap the signatures of ledger lines ${a + 1} and ${b + 1}`,
        apply: (f: Files) => {
          const lines = text(f, 'ledger.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l));
          [lines[a].sig, lines[b].sig] = [lines[b].sig, lines[a].sig];
          f.set('ledger.jsonl', utf8(lines.map((e) => canonicalJson(e)).join('\n') + '\n'));
        },
        expect: (): Verdict => 'FAILED',
      })),
  ];
  if (sigs.length >= 2) {
    const pair = fc.tuple(fc.nat(sigs.length - 1), fc.nat(sigs.length - 2)).map(([i, j]) => [i, j >= i ? j + 1 : j] as const);
    options.push(
      pair.map(([i, j]) => ({
        kind: 'swap-signature',
        description: `swap ${sigs[i]} and ${sigs[j]}`,
        apply: (f: Files) => {
          const [x, y] = [f.get(sigs[i])!, f.get(sigs[j])!];
          f.set(sigs[i], y);
          f.set(sigs[j], x);
        },
        expect: (): Verdict => 'FAILED',
      })),
      pair.map(([i, j]) => ({
        kind: 'swap-signature',
        description: `swap the seal signatures inside ${recs[i]} and ${recs[j]} (and their record.sig files)`,
        apply: (f: Files) => {
          const [x, y] = [JSON.parse(text(f, recs[i])), JSON.parse(text(f, recs[j]))];
          [x.seal.signature, y.seal.signature] = [y.seal.signature, x.seal.signature];
          f.set(recs[i], utf8(JSON.stringify(x, null, 2) + '\n'));
          f.set(recs[j], utf8(JSON.stringify(y, null, 2) + '\n'));
          const [sx, sy] = [f.get(sigs[i])!, f.get(sigs[j])!];
          f.set(sigs[i], sy);
          f.set(sigs[j], sx);
        },
        expect: (): Verdict => 'FAILED',
      })),
    );
  }
  return fc.oneof(...options);
}

/** Ledger lines reordered, removed, duplicated or reversed. */
function ledgerLines(sample: SamplePackage): fc.Arbitrary<Tampering> {
  const n = text(sample.files, 'ledger.jsonl').trimEnd().split('\n').length;
  const op = fc.oneof(
    fc.tuple(fc.nat(n - 1), fc.nat(n - 2)).map(([i, j]) => ({ name: `swap lines ${i + 1} and ${(j >= i ? j + 1 : j) + 1}`, f: (l: string[]) => { const k = j >= i ? j + 1 : j; [l[i], l[k]] = [l[k], l[i]]; return l; } })),
    fc.nat(n - 1).map((i) => ({ name: `remove line ${i + 1}`, f: (l: string[]) => l.filter((_, k) => k !== i) })),
    fc.nat(n - 1).map((i) => ({ name: `repeat line ${i + 1}`, f: (l: string[]) => [...l.slice(0, i + 1), l[i], ...l.slice(i + 1)] })),
    fc.constant({ name: 'reverse the lines', f: (l: string[]) => [...l].reverse() }),
    fc.constant({ name: 'remove the last line', f: (l: string[]) => l.slice(0, -1) }),
  );
  return fc.record({ op, fix: fc.boolean() }).map(({ op: o, fix }) => ({
    kind: 'ledger-lines',
    description: `ledger.jsonl: ${o.name}${fix ? ', then bring the package hashes up to date' : ''}`,
    apply: (f: Files) => void f.set('ledger.jsonl', utf8(o.f(text(f, 'ledger.jsonl').trimEnd().split('\n')).join('\n') + '\n')),
    rehash: fix ? ['ledger.jsonl'] : undefined,
    expect: failedUnlessManifestUnreadable,
  }));
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Whether two file sets are identical (a generated "tampering" that changes nothing is a bug in the generator). */
export function sameFiles(a: Files, b: Files): boolean {
  return a.size === b.size && [...a].every(([p, x]) => b.has(p) && sameBytes(x, b.get(p)!));
}

export const TAMPER_KINDS = ['flip', 'truncate', 'delete', 'add', 'rename', 'edit-json', 'swap-signature', 'ledger-lines'] as const;

/** Every tampering family over one sample package. */
export function tamperingOf(sample: SamplePackage, all: SamplePackage[]): fc.Arbitrary<Tampering> {
  return fc.oneof(byteFlip(sample), truncate(sample), deletion(sample), addition(sample), rename(sample), editJson(sample), swapSignature(sample, all), ledgerLines(sample));
}

/** A sample package and one tampering of it. */
export function tamperCase(samples: SamplePackage[]): fc.Arbitrary<TamperCase> {
  // Printed by name and description when a case fails, not as the package's bytes.
  return fc
    .constantFrom(...samples)
    .chain((sample) => tamperingOf(sample, samples).map((tampering) => ({ sample, tampering, [fc.toStringMethod]: () => `${sample.name}: ${tampering.description}` })));
}

/** Applies a tampering to a copy of the sample's files; returns the files and the verdict they must get. */
export async function applyTampering(c: TamperCase): Promise<{ files: Files; expected: Verdict }> {
  const files = new Map(c.sample.files);
  c.tampering.apply(files);
  if (c.tampering.rehash) await rehash(files, c.tampering.rehash);
  return { files, expected: c.tampering.expect(files) };
}
