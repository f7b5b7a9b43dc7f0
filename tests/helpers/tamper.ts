import JSZip from 'jszip';

/** Rewrites a package ZIP with one change, as an attacker or an accident would. */
export async function rezip(pkg: Uint8Array, change: (files: Map<string, Uint8Array>) => void): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(pkg);
  const files = new Map<string, Uint8Array>();
  for (const f of Object.values(zip.files)) if (!f.dir) files.set(f.name, await f.async('uint8array'));
  change(files);
  const out = new JSZip();
  for (const [name, data] of files) out.file(name, data);
  return out.generateAsync({ type: 'uint8array' });
}

export function flipByte(files: Map<string, Uint8Array>, name: string, at = 0.5): void {
  const b = files.get(name);
  if (!b) throw new Error(`no ${name} in package`);
  const c = b.slice();
  const i = Math.min(c.length - 1, Math.floor(c.length * at));
  c[i] ^= 0x01;
  files.set(name, c);
}

export function firstMatching(files: Map<string, Uint8Array>, re: RegExp): string {
  const n = [...files.keys()].find((k) => re.test(k));
  if (!n) throw new Error(`no file matching ${re}`);
  return n;
}

/** The tamperings the walking-skeleton issue names, each with the file and check the verifier must report. */
export const TAMPERINGS: { name: string; apply: (f: Map<string, Uint8Array>) => void; expect: RegExp }[] = [
  { name: 'flip a byte in a screenshot', apply: (f) => flipByte(f, firstMatching(f, /screenshot\.png$/)), expect: /\[FAIL\] file\s+captures\/\d{6}-[^/]+\/screenshot\.png: SHA-256/ },
  { name: 'flip a byte in a record', apply: (f) => flipByte(f, firstMatching(f, /record\.json$/), 0.3), expect: /\[FAIL\] file\s+captures\/\d{6}-[^/]+\/record\.json: SHA-256/ },
  {
    name: 'flip a byte in the manifest',
    // Inside the export id, so the JSON still parses and the signature check is what catches it.
    apply: (f) => flipByte(f, 'manifest.json', (new TextDecoder().decode(f.get('manifest.json')).indexOf('"export_id": "') + 20) / f.get('manifest.json')!.length), expect: /\[FAIL\] signature\s+manifest\.json\.sig: The signature over manifest\.json does not match/ },
  { name: 'flip a byte in the ledger', apply: (f) => flipByte(f, 'ledger.jsonl', 0.2), expect: /\[FAIL\] file\s+ledger\.jsonl: SHA-256/ },
  { name: 'remove a file', apply: (f) => f.delete(firstMatching(f, /text\.txt$/)), expect: /\[FAIL\] file\s+captures\/\d{6}-[^/]+\/text\.txt: Listed in the manifest but missing/ },
  { name: 'add a file', apply: (f) => f.set('captures/extra.png', new Uint8Array([1, 2, 3])), expect: /\[FAIL\] unlisted\s+captures\/extra\.png: This file is in the package but not in the manifest/ },
  {
    name: 'reorder two ledger lines',
    apply: (f) => {
      const lines = new TextDecoder().decode(f.get('ledger.jsonl')).trimEnd().split('\n');
      [lines[0], lines[1]] = [lines[1], lines[0]];
      f.set('ledger.jsonl', new TextEncoder().encode(lines.join('\n') + '\n'));
    },
    expect: /\[FAIL\] ledger\s+ledger\.jsonl: ledger\.jsonl line 2: entry 1 comes after entry 2: the ledger was reordered/,
  },
  {
    name: 'replace the signature',
    apply: (f) => {
      const sig = f.get('manifest.json.sig')!.slice();
      sig[sig.length - 5] ^= 0xff;
      f.set('manifest.json.sig', sig);
    },
    expect: /\[FAIL\] signature\s+manifest\.json\.sig: The signature over manifest\.json does not match/,
  },
];
