/** VERIFY.txt: plain steps for checking a package with ordinary tools. */
export function verifyText(opts: { fingerprint: string; fingerprintGrouped: string; created: string; exportId: string }): string {
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

5. Each capture folder holds record.json (what was captured, when, where and by
   whom, with the hash of every file) and record.sig (the device's signature over
   the record). ledger.jsonl is the device's hash-chained log of every action.
   verify.html checks these too, as does Cairn's command-line verifier:
   npm run verify -- <package.zip>
`;
}
