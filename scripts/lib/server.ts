import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.jpg': 'image/jpeg',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  origin: string;
  port: number;
  /** Every path requested, in order (tests use it to see what was fetched). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves a folder on 127.0.0.1 (loopback only, a free port). Paths cannot
 * leave the folder. `mounts` maps URL prefixes to other folders.
 */
export async function serveStatic(root: string, mounts: Record<string, string> = {}, port = 0): Promise<StaticServer> {
  const requests: string[] = [];
  const base = resolve(root);
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    let dir = base;
    let rel = path;
    for (const [prefix, target] of Object.entries(mounts)) {
      if (path.startsWith(prefix)) {
        dir = resolve(target);
        rel = path.slice(prefix.length);
      }
    }
    let file = normalize(join(dir, rel));
    if (file !== dir && !file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  const addr = server.address();
  const p = typeof addr === 'object' && addr ? addr.port : port;
  return {
    origin: `http://127.0.0.1:${p}`,
    port: p,
    requests,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
