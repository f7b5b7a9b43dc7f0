import { err, ok, type Result } from '../shared/result';
import type { PackageFile } from './verify';

/** A file as a folder picker gives it: its path under the chosen folder, including that folder's own name. */
export interface PickedFile {
  relativePath: string;
  size: number;
  read(): Promise<Uint8Array>;
}

export interface PackageFolder {
  /** The package's top folder, relative to the chosen one ('' when the chosen folder is the package). */
  root: string;
  files: PackageFile[];
  /** Files beside the package (the person chose a folder above it); they are not part of it and not checked. */
  outside: number;
}

/**
 * Finds the package inside a chosen folder: the shallowest folder holding a
 * manifest.json. A folder picker names every file under the chosen folder's own
 * name (`cairn-case-2026-11-29/manifest.json`); a person may also choose the
 * folder above the package, so the package is found rather than assumed.
 */
export function packageFolder(picked: readonly PickedFile[]): Result<PackageFolder, 'empty' | 'no-manifest' | 'several'> {
  if (picked.length === 0) return err('empty', 'The chosen folder is empty.');
  const paths = picked.map((f) => f.relativePath.replace(/\\/g, '/'));
  const manifests = paths.filter((p) => p === 'manifest.json' || p.endsWith('/manifest.json'));
  if (manifests.length === 0)
    return err('no-manifest', 'This folder holds no manifest.json, so it is not an unzipped Cairn package. Choose the folder that holds manifest.json and verify.html.');
  const depth = (p: string) => p.split('/').length;
  const shallowest = Math.min(...manifests.map(depth));
  const roots = manifests.filter((p) => depth(p) === shallowest).map((p) => p.slice(0, -'manifest.json'.length));
  if (roots.length > 1)
    return err('several', `This folder holds ${roots.length} packages (${roots.map((r) => r.replace(/\/$/, '') || '.').join(', ')}). Choose one of them.`);
  const root = roots[0];
  const files: PackageFile[] = [];
  let outside = 0;
  picked.forEach((f, i) => {
    if (!paths[i].startsWith(root)) {
      outside++;
      return;
    }
    files.push({ path: paths[i].slice(root.length), size: f.size, read: f.read });
  });
  return ok({ root: root.replace(/\/$/, ''), files, outside });
}
