/**
 * verify.html: the offline verifier that travels inside every package. The
 * officer opens it from the unzipped folder and chooses the ZIP or that
 * folder; the same verifier module as the CLI and the vault does the checks.
 */
import { sha256Hex } from '../../shared/sha256';
import { packageFolder, type PickedFile } from '../folder';
import { LIMITS, verifyFiles, verifyPackage, type VerifyProgress, type VerifyReport } from '../verify';
import { h, replace } from './dom';
import { formatBytes, renderProgress, renderReport, type CheckedSource } from './render';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const zipInput = $<HTMLInputElement>('zip-input');
const folderInput = $<HTMLInputElement>('folder-input');
const chooseZip = $<HTMLButtonElement>('choose-zip');
const chooseFolder = $<HTMLButtonElement>('choose-folder');
const drop = $<HTMLDivElement>('drop');
const status = $<HTMLDivElement>('status');
const result = $<HTMLElement>('result');

let busy = false;

function setBusy(b: boolean): void {
  busy = b;
  chooseZip.disabled = b;
  chooseFolder.disabled = b;
  document.body.classList.toggle('busy', b);
}

function showError(text: string): void {
  replace(status, h('p', { class: 'error', id: 'error' }, text));
}

/** Progress redraws at most once a frame: hashing reports far more often than a screen can show. */
function progressReporter(name: string): (p: VerifyProgress) => void {
  let pending: VerifyProgress | null = null;
  let scheduled = false;
  return (p) => {
    pending = p;
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      if (busy) replace(status, ...renderProgress(name, pending));
    });
  };
}

function show(report: VerifyReport, src: CheckedSource): void {
  replace(status, h('p', null, `Checked ${src.name}: ${report.verdict}.`));
  replace(
    result,
    ...renderReport(report, src),
    h(
      'div',
      { class: 'actions' },
      h('button', { id: 'print', class: 'primary', attrs: { type: 'button' } }, 'Print the result'),
      h('button', { id: 'again', attrs: { type: 'button' } }, 'Check another package'),
    ),
  );
  result.hidden = false;
  document.body.classList.add('has-result');
  $('print').addEventListener('click', () => window.print());
  $('again').addEventListener('click', () => {
    result.hidden = true;
    document.body.classList.remove('has-result');
    replace(status);
    chooseZip.focus();
  });
  $('verdict').focus();
}

async function run(name: string, work: () => Promise<{ report: VerifyReport; src: Omit<CheckedSource, 'checkedAt'> }>): Promise<void> {
  if (busy) return;
  setBusy(true);
  result.hidden = true;
  replace(status, ...renderProgress(name, null));
  try {
    const { report, src } = await work();
    show(report, { ...src, checkedAt: new Date() });
  } catch (e) {
    showError(`The check of ${name} stopped before it finished: ${(e as Error).message}. Nothing in the package was changed; try again, or use the steps in VERIFY.txt.`);
  } finally {
    setBusy(false);
    zipInput.value = '';
    folderInput.value = '';
  }
}

function checkZip(file: File): Promise<void> {
  return run(file.name, async () => {
    if (file.size > LIMITS.maxPackage) throw new Error(`it is ${formatBytes(file.size)}, more than the ${formatBytes(LIMITS.maxPackage)} this page can check`);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (e) {
      throw new Error(`the browser could not read the file (${(e as Error).message})`);
    }
    const [report, sha256] = await Promise.all([verifyPackage(bytes, { onProgress: progressReporter(file.name) }), sha256Hex(bytes)]);
    return { report, src: { kind: 'zip', name: file.name, sha256, bytes: file.size } };
  });
}

function fromFile(f: File, relativePath: string): PickedFile {
  return { relativePath, size: f.size, read: async () => new Uint8Array(await f.arrayBuffer()) };
}

function checkFolder(picked: PickedFile[]): Promise<void> {
  const top = picked[0]?.relativePath.split('/')[0] || 'the folder';
  return run(top, async () => {
    const found = packageFolder(picked);
    if (!found.ok) throw new Error(found.error.message);
    const name = found.value.root ? `${top === found.value.root.split('/')[0] ? '' : `${top}/`}${found.value.root}` : top;
    const bytes = found.value.files.reduce((n, f) => n + f.size, 0);
    const report = await verifyFiles(found.value.files, { onProgress: progressReporter(name) });
    return { report, src: { kind: 'folder', name, bytes, outside: found.value.outside } };
  });
}

// Drag and drop: a file is a ZIP; a folder (or several files) is an unzipped package.
type Entry = FileSystemEntry;

/** The parts of the File System Access API a dropped folder needs (Chromium); declared here, as not every TypeScript DOM library has them. */
interface Handle {
  kind: 'file' | 'directory';
  name: string;
  getFile?(): Promise<File>;
  values?(): AsyncIterable<Handle>;
}

function readAll(dir: FileSystemDirectoryEntry): Promise<Entry[]> {
  const reader = dir.createReader();
  const out: Entry[] = [];
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(out);
        out.push(...batch);
        if (out.length > LIMITS.maxEntries) return resolve(out);
        next();
      }, reject);
    next();
  });
}

async function walkEntries(entries: Entry[]): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  const queue = [...entries];
  while (queue.length && out.length <= LIMITS.maxEntries) {
    const e = queue.shift()!;
    if (e.isDirectory) queue.push(...(await readAll(e as FileSystemDirectoryEntry)));
    else if (e.isFile) {
      const file = await new Promise<File>((ok, bad) => (e as FileSystemFileEntry).file(ok, bad));
      out.push(fromFile(file, e.fullPath.replace(/^\//, '')));
    }
  }
  return out;
}

async function walkHandles(handles: Handle[]): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  const queue = handles.map((h) => ({ h, path: h.name }));
  while (queue.length && out.length <= LIMITS.maxEntries) {
    const { h, path } = queue.shift()!;
    if (h.kind === 'directory' && h.values) for await (const c of h.values()) queue.push({ h: c, path: `${path}/${c.name}` });
    else if (h.kind === 'file' && h.getFile) out.push(fromFile(await h.getFile(), path));
  }
  return out;
}

function onDrop(ev: DragEvent): void {
  const dt = ev.dataTransfer;
  if (!dt || busy) return;
  // Everything in a DataTransfer must be taken during the event: it is emptied once the handler returns.
  const items = [...dt.items].filter((i) => i.kind === 'file');
  const files = [...dt.files];
  const entries = items.map((i) => i.webkitGetAsEntry?.() ?? null);
  // Chromium cannot list a dropped folder through the older entry API on a file:// page ("A URI supplied to
  // the API was malformed"), but can through the File System Access handle, so that is tried first.
  const handles = items.map((i) => (i as DataTransferItem & { getAsFileSystemHandle?(): Promise<Handle | null> }).getAsFileSystemHandle?.() ?? null);
  const oneFile = files.length === 1 && items.length === 1 && entries[0]?.isDirectory !== true;
  if (oneFile) return void checkZip(files[0]);
  if (items.length === 0) return showError('Nothing that can be checked was dropped. Drop the .zip file or the unzipped folder.');
  void (async () => {
    setBusy(true);
    replace(status, h('p', null, 'Reading the dropped folder…'), h('progress', { attrs: { 'aria-label': 'Progress' } }));
    let picked: PickedFile[];
    try {
      const got = handles.every((x) => x) ? (await Promise.all(handles)).filter((x): x is Handle => !!x) : [];
      picked = got.length ? await walkHandles(got) : await walkEntries(entries.filter((e): e is Entry => !!e));
    } catch {
      setBusy(false);
      return showError('This browser would not let the page read the dropped folder. Use “Choose the unzipped folder…” instead, or drop the .zip file.');
    }
    setBusy(false);
    if (picked.length === 0) return showError('The dropped folder is empty.');
    await checkFolder(picked);
  })();
}

chooseZip.addEventListener('click', () => zipInput.click());
chooseFolder.addEventListener('click', () => folderInput.click());
zipInput.addEventListener('change', () => {
  const f = zipInput.files?.[0];
  if (f) void checkZip(f);
});
folderInput.addEventListener('change', () => {
  const files = [...(folderInput.files ?? [])];
  if (files.length === 0) return showError('The chosen folder is empty.');
  void checkFolder(files.map((f) => fromFile(f, f.webkitRelativePath || f.name)));
});

// A file dropped anywhere else on the page would make the browser open it in place of this page.
for (const t of ['dragover', 'drop'] as const) document.addEventListener(t, (e) => e.preventDefault());
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  onDrop(e);
});

// Opened from the unzipped folder (the usual way): say which folder to choose.
if (location.protocol === 'file:') {
  const parts = decodeURIComponent(location.pathname).split('/').filter(Boolean);
  const folder = parts.length >= 2 ? parts[parts.length - 2] : '';
  const note = $<HTMLParagraphElement>('from-folder');
  replace(
    note,
    folder ? `You opened this page from the folder “${folder}”. ` : 'You opened this page from a folder on this computer. ',
    'To check the package, choose that folder with ',
    h('strong', null, 'Choose the unzipped folder…'),
    ' (it is the folder that holds this verify.html and manifest.json), or choose the original .zip file. ',
    'If you opened this page straight from inside the ZIP without unzipping it, choose the .zip file.',
  );
  note.hidden = false;
}

if (!globalThis.crypto?.subtle) {
  setBusy(true);
  showError('This browser cannot check packages here: it does not offer the Web Crypto API to this page. Open verify.html in a current Chrome, Edge, Firefox or Safari, or follow the steps in VERIFY.txt.');
}
