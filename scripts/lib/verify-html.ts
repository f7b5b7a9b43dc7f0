import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build, type Rolldown } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';

/**
 * Builds verify.html, the offline verifier that goes into every package
 * (DESIGN.md section 5): one self-contained file, its script and style inline,
 * and a Content-Security-Policy that allows exactly those two inline blocks
 * (by their SHA-256) and nothing else, so the page can load and send nothing.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const PAGE_DIR = join(ROOT, 'utils/verify/page');

/** The policy, less the hashes that are added per build. `default-src 'none'` covers connect, img, font, frame, worker, media... */
export const VERIFY_HTML_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'";

function b64sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('base64');
}

/** Inline blocks of a built page: [tag, text] in document order. */
export function inlineBlocks(html: string): { tag: 'script' | 'style'; text: string }[] {
  const out: { tag: 'script' | 'style'; text: string }[] = [];
  for (const m of html.matchAll(/<(script|style)\b[^>]*>([\s\S]*?)<\/\1>/g)) out.push({ tag: m[1] as 'script' | 'style', text: m[2] });
  return out;
}

/** Adds the CSP meta (hashes of every inline script and style) right after `<meta charset>`, before anything it governs. */
export function withCsp(html: string): string {
  const blocks = inlineBlocks(html);
  const scripts = blocks.filter((b) => b.tag === 'script').map((b) => `'sha256-${b64sha256(b.text)}'`);
  const styles = blocks.filter((b) => b.tag === 'style').map((b) => `'sha256-${b64sha256(b.text)}'`);
  if (scripts.length !== 1) throw new Error(`verify.html should have exactly one inline script, found ${scripts.length}`);
  const csp = `${VERIFY_HTML_CSP}; script-src ${scripts.join(' ')}; style-src ${styles.join(' ') || "'none'"}`;
  const charset = /<meta charset="utf-8"\s*\/?>/i;
  if (!charset.test(html)) throw new Error('verify.html has no <meta charset="utf-8">');
  return html.replace(charset, (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${csp}" />`);
}

/** Builds the page; returns the finished HTML. Nothing is written to disk. */
export async function buildVerifyHtml(): Promise<string> {
  const out = await build({
    root: PAGE_DIR,
    configFile: false,
    envDir: false,
    logLevel: 'warn',
    mode: 'production',
    // The page is its own world: none of the extension's config, aliases or env.
    publicDir: false,
    plugins: [viteSingleFile({ removeViteModuleLoader: true })],
    build: {
      write: false,
      outDir: join(ROOT, '.tmp/verify-html-build'),
      emptyOutDir: false,
      modulePreload: false,
      sourcemap: false,
      reportCompressedSize: false,
      target: 'es2022',
    },
  });
  const outputs = (Array.isArray(out) ? out : [out]) as Rolldown.RolldownOutput[];
  const html = outputs.flatMap((o) => o.output).find((f) => f.type === 'asset' && f.fileName.endsWith('.html'));
  if (!html || html.type !== 'asset') throw new Error('the verify.html build produced no HTML');
  const source = typeof html.source === 'string' ? html.source : new TextDecoder().decode(html.source);
  if (/<(script|link|img|iframe)\b[^>]*\b(src|href)=/i.test(source)) throw new Error('verify.html still refers to an outside file');
  return withCsp(source);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    return d.isDirectory() ? sourceFiles(p) : [p];
  });
}

/**
 * For tests and scripts: the built page, cached in .tmp under a key made from
 * every input that can change it (the verifier and shared sources, this builder,
 * the lockfile), so a test run builds it once and a source change rebuilds it.
 */
export async function cachedVerifyHtml(): Promise<{ html: string; path: string }> {
  const inputs = [...sourceFiles(join(ROOT, 'utils/verify')), ...sourceFiles(join(ROOT, 'utils/shared')), join(ROOT, 'scripts/lib/verify-html.ts'), join(ROOT, 'package-lock.json')].sort();
  const h = createHash('sha256');
  for (const f of inputs) h.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  const dir = join(ROOT, '.tmp/verify-html');
  const path = join(dir, `verify-${h.digest('hex').slice(0, 16)}.html`);
  if (existsSync(path) && statSync(path).size > 0) return { html: readFileSync(path, 'utf8'), path };
  const html = await buildVerifyHtml();
  mkdirSync(dir, { recursive: true });
  // Written under a unique name then renamed, so test files building at once never read half a file.
  const tmp = `${path}.${process.pid}.${Date.now()}`;
  writeFileSync(tmp, html);
  renameSync(tmp, path);
  // Builds for earlier source states are of no further use.
  for (const f of readdirSync(dir)) if (/^verify-[0-9a-f]{16}\.html$/.test(f) && join(dir, f) !== path) rmSync(join(dir, f), { force: true });
  return { html, path };
}
