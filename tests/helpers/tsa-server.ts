import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { join, resolve } from 'node:path';

/**
 * A local RFC 3161 time-stamping authority for tests: a CA and a TSA
 * certificate (critical extendedKeyUsage timeStamping) made with openssl in a
 * temp folder under .tmp/, and an HTTP server on 127.0.0.1 that answers each
 * POSTed TimeStampReq by running `openssl ts -reply`. It can be stopped and
 * started again on the same port, as an authority that goes offline would.
 */

const TMP = resolve(import.meta.dirname, '../../.tmp');

export interface TestTsa {
  /** http://127.0.0.1:<port>/tsr */
  url: string;
  port: number;
  dir: string;
  /** The root CA certificate (PEM file): what `openssl ts -verify -CAfile` is given. */
  caFile: string;
  /** The TSA's own certificate (PEM file). */
  tsaCertFile: string;
  /** SHA-256 of the TSA certificate's DER, lower-case hex. */
  tsaCertSha256: string;
  /** How many time-stamp requests were answered. */
  requests: number;
  /** True while listening. */
  readonly running: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Removes the temp folder (after stop). */
  dispose(): Promise<void>;
}

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface TsaOptions {
  /** Put the CA certificate into every token too (real authorities usually send only their own certificate and intermediates). */
  includeCa?: boolean;
}

/** Makes the certificates and config; does not start listening (call start()). */
export function createTestTsa(opts: TsaOptions = {}): TestTsa {
  mkdirSync(TMP, { recursive: true });
  const dir = mkdtempSync(join(TMP, 'tsa-'));
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', '/CN=Cairn Test Root CA/O=Cairn tests',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    dir,
  );
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/CN=Cairn Test TSA/O=Cairn tests'], dir);
  writeFileSync(
    join(dir, 'tsa-ext.cnf'),
    ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,nonRepudiation', 'extendedKeyUsage=critical,timeStamping', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid'].join('\n') + '\n',
  );
  openssl(['x509', '-req', '-in', 'tsa.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tsa.pem', '-days', '3650', '-sha256', '-extfile', 'tsa-ext.cnf'], dir);
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(
    join(dir, 'tsa.cnf'),
    `[ tsa ]
default_tsa = tsa_config

[ tsa_config ]
dir = ${dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
${opts.includeCa ? 'certs = $dir/ca.pem\n' : ''}signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.4146.2.3.1.2
digests = sha256, sha384, sha512
accuracy = secs:1
clock_precision_digits = 3
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`,
  );
  const tsaCertSha256 = openssl(['x509', '-in', 'tsa.pem', '-noout', '-fingerprint', '-sha256'], dir).trim().replace(/^.*=/, '').replace(/:/g, '').toLowerCase();

  // One `openssl ts -reply` at a time: it increments the serial file.
  let queue: Promise<unknown> = Promise.resolve();
  let n = 0;
  const reply = (query: Buffer): Promise<Buffer> => {
    const run = queue.then(
      () =>
        new Promise<Buffer>((ok, fail) => {
          const id = ++n;
          const q = join(dir, `q${id}.tsq`);
          const r = join(dir, `r${id}.tsr`);
          writeFileSync(q, query);
          execFile('openssl', ['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', q, '-out', r], { cwd: dir }, (e, _out, errOut) => {
            if (e) fail(new Error(`openssl ts -reply failed: ${errOut}`));
            else ok(readFileSync(r));
          });
        }),
    );
    queue = run.catch(() => undefined);
    return run;
  };

  let server: Server | null = null;
  const sockets = new Set<Socket>();
  let port = 0;
  const tsa: TestTsa = {
    url: '',
    port: 0,
    dir,
    caFile: join(dir, 'ca.pem'),
    tsaCertFile: join(dir, 'tsa.pem'),
    tsaCertSha256,
    requests: 0,
    get running() {
      return server !== null;
    },
    async start() {
      if (server) return;
      const s = createServer((req, res) => {
        if (req.method !== 'POST') {
          res.writeHead(405, { allow: 'POST' }).end();
          return;
        }
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          reply(Buffer.concat(chunks)).then(
            (body) => {
              tsa.requests++;
              res.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': body.length }).end(body);
            },
            (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(e.message),
          );
        });
      });
      s.on('connection', (c: Socket) => {
        sockets.add(c);
        c.on('close', () => sockets.delete(c));
      });
      await new Promise<void>((ok, fail) => {
        s.once('error', fail);
        s.listen(port, '127.0.0.1', () => ok());
      });
      const addr = s.address();
      port = typeof addr === 'object' && addr ? addr.port : port;
      tsa.port = port;
      tsa.url = `http://127.0.0.1:${port}/tsr`;
      server = s;
    },
    async stop() {
      const s = server;
      if (!s) return;
      server = null;
      // Kept-alive connections would otherwise keep answering after "stop".
      for (const c of sockets) c.destroy();
      await new Promise<void>((ok) => s.close(() => ok()));
    },
    async dispose() {
      await tsa.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return tsa;
}

/** Creates and starts a test authority. */
export async function startTestTsa(opts: TsaOptions = {}): Promise<TestTsa> {
  const tsa = createTestTsa(opts);
  await tsa.start();
  return tsa;
}

/** Runs `openssl ts -verify` on a token; returns its output and exit status rather than throwing. */
export function opensslTsVerify(args: string[], cwd?: string): { code: number; out: string } {
  try {
    const out = execFileSync('openssl', ['ts', '-verify', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, out: out.trim() };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { code: x.status, out: `${x.stdout ?? ''}${x.stderr ?? ''}`.trim() };
  }
}

/** The genTime in a time-stamp reply (.tsr) as openssl prints it ("Time stamp: Jan  2 03:04:05.678 2026 GMT"), as ISO 8601. */
export function opensslGenTime(replyFile: string): string {
  const text = execFileSync('openssl', ['ts', '-reply', '-in', replyFile, '-text'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const m = /Time stamp: (\w{3}) +(\d+) (\d\d):(\d\d):(\d\d)(\.\d+)? (\d{4}) GMT/.exec(text);
  if (!m) throw new Error(`no time in openssl output:\n${text}`);
  const month = 'JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(m[1]) / 3;
  const ms = m[6] ? Math.round(Number(m[6]) * 1000) : 0;
  return new Date(Date.UTC(Number(m[7]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), ms)).toISOString();
}
