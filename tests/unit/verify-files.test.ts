import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../utils/background/db';
import { storeCapture } from '../../utils/background/store';
import { buildPackage } from '../../utils/package/export';
import { packageFolder, type PickedFile } from '../../utils/verify/folder';
import { LIMITS, verifyFiles, verifyPackage, type PackageFile, type VerifyProgress } from '../../utils/verify/verify';
import { sampleDraft } from '../helpers/sample';
import { unzipAll } from '../helpers/sample-packages';
import { verifyHtmlBytes } from '../helpers/verify-html';

async function pkg(): Promise<Uint8Array> {
  const db = openDb(`f-${crypto.randomUUID()}`);
  for (let i = 1; i <= 2; i++) await storeCapture(db, sampleDraft(i));
  return (await buildPackage(db, { verifyHtml: await verifyHtmlBytes() })).bytes;
}

function picked(prefix: string, files: Map<string, Uint8Array>): PickedFile[] {
  return [...files].map(([p, b]) => ({ relativePath: `${prefix}${p}`, size: b.length, read: async () => b }));
}

const asFiles = (files: Map<string, Uint8Array>): PackageFile[] => [...files].map(([path, b]) => ({ path, size: b.length, read: async () => b }));

describe('folder mode (an unzipped package)', () => {
  it('gives the ZIP report, check for check, with progress up to every byte', async () => {
    const zip = await pkg();
    const files = await unzipAll(zip);
    const seen: VerifyProgress[] = [];
    const fromFolder = await verifyFiles(asFiles(files), { onProgress: (p) => seen.push(p) });
    const fromZip = await verifyPackage(zip);
    expect(fromFolder.verdict).toBe('VERIFIED');
    expect(fromFolder.checks[0]).toEqual({ id: 'archive', status: 'pass', detail: `Folder readable, ${files.size} files.` });
    expect(fromZip.checks[0]).toEqual({ id: 'archive', status: 'pass', detail: `ZIP archive readable, ${files.size} files.` });
    expect({ ...fromFolder, checks: fromFolder.checks.slice(1) }).toEqual({ ...fromZip, checks: fromZip.checks.slice(1) });
    const total = [...files.values()].reduce((n, b) => n + b.length, 0);
    expect(seen[0]).toEqual({ done: 0, total });
    // Every file is read once; the extra bytes a folder could hold beyond the listed ones are not read.
    expect(seen[seen.length - 1]).toEqual({ done: total, total });
    expect(seen.every((p, i) => i === 0 || p.done >= seen[i - 1].done)).toBe(true);
  });

  it('finds the package in the chosen folder, or in the one folder below it', async () => {
    const files = await unzipAll(await pkg());
    const direct = packageFolder(picked('cairn-case-2026-11-29/', files));
    expect(direct.ok && { root: direct.value.root, n: direct.value.files.length, outside: direct.value.outside }).toEqual({ root: 'cairn-case-2026-11-29', n: files.size, outside: 0 });
    expect(direct.ok && direct.value.files.map((f) => f.path).sort()).toEqual([...files.keys()].sort());
    const above = packageFolder([...picked('Downloads/cairn-case/', files), { relativePath: 'Downloads/notes.txt', size: 1, read: async () => new Uint8Array(1) }]);
    expect(above.ok && { root: above.value.root, outside: above.value.outside }).toEqual({ root: 'Downloads/cairn-case', outside: 1 });
    const two = packageFolder([...picked('Downloads/a/', files), ...picked('Downloads/b/', files)]);
    expect(two).toEqual({ ok: false, error: { code: 'several', message: 'This folder holds 2 packages (Downloads/a, Downloads/b). Choose one of them.' } });
    const none = packageFolder([{ relativePath: 'Pictures/cat.png', size: 1, read: async () => new Uint8Array(1) }]);
    expect(none.ok || none.error.code).toBe('no-manifest');
    expect(packageFolder([])).toEqual({ ok: false, error: { code: 'empty', message: 'The chosen folder is empty.' } });
  });

  it('ignores, and lists, the files an operating system writes into an opened folder', async () => {
    const files = await unzipAll(await pkg());
    const junk = ['.DS_Store', 'captures/.DS_Store', 'Thumbs.db', 'captures/000001-page-page/desktop.ini', '._manifest.json'];
    const r = await verifyFiles([...asFiles(files), ...junk.map((path) => ({ path, size: 3, read: async () => new Uint8Array(3) }))]);
    expect(r.verdict).toBe('VERIFIED');
    expect(r.checks.filter((c) => c.status === 'skip').map((c) => c.file)).toEqual(junk);
    // The same names in a ZIP were put there on purpose: they fail as added files.
    const withJunk = new Map(files).set('.DS_Store', new Uint8Array(3));
    const JSZip = (await import('jszip')).default;
    const z = new JSZip();
    for (const [p, b] of withJunk) z.file(p, b);
    const zr = await verifyPackage(await z.generateAsync({ type: 'uint8array' }));
    expect(zr.verdict).toBe('FAILED');
    expect(zr.checks.filter((c) => c.status === 'fail')).toEqual([{ id: 'unlisted', status: 'fail', file: '.DS_Store', detail: 'This file is in the package but not in the manifest: it was added after sealing.' }]);
  });

  it('applies the hostile-input limits: too many files, a file or a total too large, paths that leave, sizes that lie', async () => {
    const files = await unzipAll(await pkg());
    const base = asFiles(files);
    const many = Array.from({ length: LIMITS.maxEntries + 1 }, (_, i) => ({ path: `f${i}`, size: 0, read: async () => new Uint8Array() }));
    let r = await verifyFiles(many);
    expect([r.verdict, r.summary]).toEqual(['UNUSABLE', `This file cannot be checked as a Cairn package: the folder holds more than ${LIMITS.maxEntries} files.`]);

    const huge = { path: 'captures/000001-page-page/screenshot.png', size: LIMITS.maxFile + 1, read: async () => { throw new Error('must not be read'); } };
    r = await verifyFiles([...base.filter((f) => f.path !== huge.path), huge]);
    expect([r.verdict, r.summary]).toEqual(['UNUSABLE', `This file cannot be checked as a Cairn package: captures/000001-page-page/screenshot.png is ${LIMITS.maxFile + 1} bytes (more than the ${LIMITS.maxFile}-byte limit).`]);

    const big = Array.from({ length: 9 }, (_, i) => ({ path: `big${i}`, size: LIMITS.maxFile, read: async () => { throw new Error('must not be read'); } }));
    r = await verifyFiles([...base, ...big]);
    expect([r.verdict, r.summary]).toEqual(['UNUSABLE', `This file cannot be checked as a Cairn package: the folder holds more than ${LIMITS.maxTotal} bytes.`]);

    r = await verifyFiles([...base, { path: '../outside.txt', size: 1, read: async () => new Uint8Array(1) }, { path: 'a/./b', size: 1, read: async () => new Uint8Array(1) }]);
    expect(r.verdict).toBe('FAILED');
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([
      { id: 'archive', status: 'fail', file: '../outside.txt', detail: 'A file path tries to leave the package folder.' },
      { id: 'archive', status: 'fail', file: 'a/./b', detail: 'A file path is written in a roundabout form (it reads as a/b): the archive was changed after sealing.' },
    ]);

    // A file that changes between listing and reading (or a listing that lies) fails that file, not the run.
    const liar = base.map((f) => (f.path === 'verify.html' ? { ...f, read: async () => (await f.read()).slice(1) } : f));
    r = await verifyFiles(liar);
    expect(r.verdict).toBe('FAILED');
    const size = files.get('verify.html')!.length;
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([
      { id: 'file', status: 'fail', file: 'verify.html', detail: `Cannot be read: verify.html read as ${size - 1} bytes, not the ${size} bytes the folder listing says.` },
    ]);
  });
});

describe('ZIP paths', () => {
  it('judges the path as written in the archive, not as a ZIP library tidies it', async () => {
    const files = await unzipAll(await pkg());
    const JSZip = (await import('jszip')).default;
    const z = new JSZip();
    for (const [p, b] of files) z.file(p === 'verify.html' ? 'captures/../verify.html' : p, b, { createFolders: false });
    const r = await verifyPackage(await z.generateAsync({ type: 'uint8array' }));
    expect(r.verdict).toBe('FAILED');
    expect(r.checks.filter((c) => c.status === 'fail').slice(0, 2)).toEqual([
      { id: 'archive', status: 'fail', file: 'captures/../verify.html', detail: 'A file path tries to leave the package folder.' },
      { id: 'file', status: 'fail', file: 'verify.html', detail: 'Listed in the manifest but missing from the package.' },
    ]);
  });

  it('fails an archive that holds two entries under one name', async () => {
    const zip = await pkg();
    const JSZip = (await import('jszip')).default;
    const files = await unzipAll(zip);
    const z = new JSZip();
    for (const [p, b] of files) z.file(p, b, { createFolders: false });
    // JSZip will not write a duplicate name, so add a second entry under a name that reads the same (./VERIFY.txt)...
    z.file('./VERIFY.txt', files.get('VERIFY.txt')!, { createFolders: false });
    const dup = await z.generateAsync({ type: 'uint8array' });
    // ...which a ZIP library reads as one file, the later one.
    expect((await JSZip.loadAsync(dup)).file(/VERIFY/).length).toBe(1);
    const r = await verifyPackage(dup);
    expect(r.verdict).toBe('FAILED');
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([
      { id: 'archive', status: 'fail', file: './VERIFY.txt', detail: 'A file path is written in a roundabout form (it reads as VERIFY.txt): the archive was changed after sealing.' },
      { id: 'archive', status: 'fail', detail: `The archive's directory lists ${files.size + 1} entries but only ${files.size} distinct names: some names appear twice, so different tools could unpack different files.` },
      // The library kept the roundabout entry under the plain name, which the verifier refuses, so the real one is missing too.
      { id: 'file', status: 'fail', file: 'VERIFY.txt', detail: 'Listed in the manifest but missing from the package.' },
    ]);
  });
});
