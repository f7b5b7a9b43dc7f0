/**
 * npm run verify -- PKG.zip [--json]
 * Exit 0 verified, 1 failed, 2 unusable input.
 */
import { readFileSync, statSync } from 'node:fs';
import { verifyPackage, LIMITS } from '../utils/verify/verify';
import { exitCode, formatReport } from '../utils/verify/format-report';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length !== 1) {
    process.stderr.write('Usage: npm run verify -- PACKAGE.zip [--json]\n');
    return 2;
  }
  let bytes: Uint8Array;
  try {
    const st = statSync(files[0]);
    if (!st.isFile()) throw new Error('not a file');
    if (st.size > LIMITS.maxPackage) throw new Error(`larger than ${LIMITS.maxPackage} bytes`);
    bytes = new Uint8Array(readFileSync(files[0]));
  } catch (e) {
    process.stderr.write(`Cannot read ${files[0]}: ${(e as Error).message}\n`);
    return 2;
  }
  const report = await verifyPackage(bytes);
  process.stdout.write(json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
  return exitCode(report);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`Verifier error: ${(e as Error).message}\n`);
    process.exit(2);
  },
);
