import type { VerifyReport } from './verify';

/** The verifier's report as plain text, for the CLI and for printing. */
export function formatReport(r: VerifyReport): string {
  const mark = { pass: 'ok  ', fail: 'FAIL', skip: 'skip' } as const;
  const lines = [
    `Verdict: ${r.verdict}`,
    r.summary,
    '',
    r.fingerprint ? `Signer key fingerprint: ${r.fingerprint}` : 'Signer key fingerprint: (none)',
    r.export_id ? `Export: ${r.export_id}, created ${r.created ?? '?'}` : '',
    '',
    'Checks:',
    ...r.checks.map((c) => `  [${mark[c.status]}] ${c.id.padEnd(10)} ${c.file ? `${c.file}: ` : ''}${c.detail}`),
  ];
  if (r.captures.length) {
    lines.push('', 'Captures:');
    for (const c of r.captures) lines.push(`  [${c.ok ? 'ok  ' : 'FAIL'}] ${c.folder}${c.record_sha256 ? `  ${c.record_sha256}` : ''}`);
  }
  return lines.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n') + '\n';
}

/** CLI exit code: 0 verified, 1 failed (or unsigned/partial), 2 unusable input. */
export function exitCode(r: VerifyReport): 0 | 1 | 2 {
  return r.verdict === 'VERIFIED' ? 0 : r.verdict === 'UNUSABLE' ? 2 : 1;
}
