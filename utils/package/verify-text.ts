/** What VERIFY.txt says about trusted timestamps (RFC 3161). */
export interface VerifyTimestamps {
  /** Every authority that stamped a capture here or is asked for the export's timestamp. */
  authorities: string[];
  /** Captures that were made with timestamps on, in package order. */
  captures: { seq: number; folder: string; record_sha256: string; status: 'stamped' | 'pending'; authority_url: string }[];
  /** The authorities' certificates, as they came inside the tokens. */
  certificates: { file: string; subject: string; issuer: string; sha256: string }[];
  /** The authority asked for manifest.json.sig.tsr, or null when none was asked. */
  exportAuthority: string | null;
}

/** VERIFY.txt: plain steps for checking a package with ordinary tools. */
export function verifyText(opts: {
  fingerprint: string;
  fingerprintGrouped: string;
  created: string;
  exportId: string;
  otherSigners?: string[];
  timestamps?: VerifyTimestamps;
}): string {
  const others = opts.otherSigners ?? [];
  return `HOW TO CHECK THIS EVIDENCE PACKAGE
==================================

Package ${opts.exportId}, made ${opts.created} by Cairn.

What the checks prove: every file is byte-for-byte what was sealed, and the
seal was made with the device key below. They do not prove that the platform
served the content; the platform ids in each record let police ask the
platform for its own records.

The quickest check: unzip the package, then open verify.html in any current
browser (Chrome, Edge, Firefox, Safari) and choose the unzipped folder or the
ZIP file. It works offline (it cannot connect to anything), runs every check
below, and shows the verdict, the key fingerprint and each capture's result.
A page inside a package cannot vouch for itself, so if the package may have
been tampered with, also follow the steps below with ordinary tools; step 2
checks verify.html's own file too.

1. Unzip the package into an empty folder and open a terminal there.

2. Check every file against SHA256SUMS (each line must say OK):

   Linux:    sha256sum -c SHA256SUMS
   macOS:    shasum -a 256 -c SHA256SUMS
   Windows (PowerShell), one file at a time, compare with its line in SHA256SUMS:
             Get-FileHash -Algorithm SHA256 .\\manifest.json
             certutil -hashfile manifest.json SHA256

3. Check the signature over manifest.json (manifest.json lists every file
   with its hash, so this seals the whole package). It must print "Verified OK":

   openssl dgst -sha256 -verify signer-public-key.pem -signature manifest.json.sig manifest.json

4. Check the key is the collector's. Its fingerprint is the SHA-256 of the key:

   openssl pkey -pubin -in signer-public-key.pem -outform DER | sha256sum

   It must be:
   ${opts.fingerprint}
   (shown in Cairn as ${opts.fingerprintGrouped})
   Compare it with the fingerprint the collector reads to you from their Cairn
   vault, by phone or in person.
${others.length ? `
   Some captures here were sealed on another device and imported (for example
   by an advocate from the victim's own export). Their keys are in keys/, named
   by fingerprint; check each the same way and compare it with the device that
   made them:
${others.map((f) => `     keys/${f}.pem`).join('\n')}
` : ''}
5. Each capture folder holds record.json (what was captured, when, where and by
   whom, with the hash of every file) and record.sig (the device's signature over
   the record). ledger.jsonl is the device's hash-chained log of every action.
   verify.html checks these too, as does Cairn's command-line verifier:
   npm run verify -- <package.zip>
${opts.timestamps && opts.timestamps.authorities.length ? timestampSteps(opts.timestamps) : ''}`;
}

/** Where to get an authority's root certificate, for the authorities Cairn suggests. */
function caHint(url: string): string {
  let host = '';
  try {
    host = new URL(url).hostname;
  } catch {
    /* shown as typed */
  }
  if (host === 'freetsa.org') return 'FreeTSA publishes its root at https://freetsa.org/files/cacert.pem';
  if (/(^|\.)(digicert|sectigo|comodoca|globalsign|certum|entrust|ssl)\.(com|pl|net)$/.test(host))
    return 'a commercial authority: its root is on its website, and is often in the\n   computer\'s own store too (Debian/Ubuntu: -CAfile /etc/ssl/certs/ca-certificates.crt)';
  return "ask the authority's operator for its root CA certificate";
}

function timestampSteps(t: VerifyTimestamps): string {
  const many = t.authorities.length > 1;
  const caFile = (url: string) => (many ? `authority-ca-${t.authorities.indexOf(url) + 1}.pem` : 'authority-ca.pem');
  const lines: string[] = [
    '',
    '6. Trusted timestamps (RFC 3161). A time-stamping authority signed the hash of',
    '   each capture record shortly after the capture was made, so the record',
    "   existed no later than the authority's time, whatever the collecting",
    "   device's clock said. Only the hash was sent to the authority.",
    '',
    "   First get the authority's root CA certificate from the authority itself",
    '   (not from this package, whose contents are what is being checked) and',
    '   save it in this folder:',
    '',
  ];
  for (const url of t.authorities) lines.push(`   ${caFile(url)}  for  ${url}`, `   (${caHint(url)})`, '');
  if (t.certificates.length) {
    lines.push("   The authority's own certificates, as they came inside the tokens, are in", '   tsa/ (openssl uses the copies inside each token; these are for reading):');
    for (const c of t.certificates) lines.push(`   ${c.file}  ${c.subject}, issued by ${c.issuer}`);
    lines.push('   openssl x509 -in <file> -noout -subject -issuer -dates -fingerprint -sha256', '');
  }
  const stamped = t.captures.filter((c) => c.status === 'stamped');
  const pending = t.captures.filter((c) => c.status === 'pending');
  if (stamped.length) {
    lines.push(
      '   Each command below must print "Verification: OK". The -digest value is the',
      "   record's hash: seal.record_sha256 in its record.json, which record.sig signs.",
      '',
    );
    for (const c of stamped)
      lines.push(`   Capture ${c.seq}:`, `   openssl ts -verify -digest ${c.record_sha256} -in ${c.folder}/record.tsr -CAfile ${caFile(c.authority_url)}`, '');
    lines.push("   To read the authority's time and name in a token:", `   openssl ts -reply -in ${stamped[0].folder}/record.tsr -text`, '');
  }
  if (pending.length) {
    lines.push(
      `   ${pending.length === 1 ? 'This capture was' : 'These captures were'} still waiting for the authority when the package was made`,
      '   (offline, or the authority did not answer), so only the device clock dates',
      `   ${pending.length === 1 ? 'it' : 'them'}: capture${pending.length === 1 ? '' : 's'} ${pending.map((c) => c.seq).join(', ')}.`,
      '',
    );
  }
  if (t.exportAuthority) {
    lines.push(
      '   The package as a whole: manifest.json.sig.tsr is a timestamp over the',
      '   signature file, asked for when the package was made. If it is present,',
      '   this must print "Verification: OK":',
      '',
      `   openssl ts -verify -data manifest.json.sig -in manifest.json.sig.tsr -CAfile ${caFile(t.exportAuthority)}`,
      '',
      '   If it is absent, the authority could not be reached at that moment; the',
      '   package is otherwise complete.',
      '',
    );
  }
  return lines.join('\n');
}
