/**
 * Makes the PGP test fixtures with real GnuPG: keys for the project, two maintainers, a reporter
 * and a stranger, and reports in every shape a reporter's mail client produces (and some that
 * an attacker or a broken client does). Run: `npx tsx scripts/make-pgp-fixtures.ts [<dir>]`.
 * Without a folder it overwrites the committed fixtures in test/fixtures/pgp/ (tests do not
 * depend on key generation, so they are committed); with one it writes there instead.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const OUT = resolve(process.argv[2] ?? join(__dirname, '..', 'test', 'fixtures', 'pgp'));
const home = mkdtempSync(join(tmpdir(), 'embargo-gnupg-'));

function gpg(args: string[], input?: string | Buffer): Buffer {
  return execFileSync(
    'gpg',
    ['--homedir', home, '--batch', '--yes', '--trust-model', 'always', ...args],
    {
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
}

function makeKey(uid: string, email: string): string {
  gpg(['--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', 'never']);
  const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(
    gpg(['--with-colons', '--list-keys', email]).toString(),
  )?.[1];
  if (!fpr) throw new Error(`no fingerprint for ${email}`);
  gpg(['--passphrase', '', '--quick-add-key', fpr, 'cv25519', 'encr', 'never']);
  return fpr;
}

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
const write = (name: string, content: string | Buffer) => writeFileSync(join(OUT, name), content);

function headers(subject: string, id: string, from = 'Alice Reporter <alice@example.net>'): string {
  return [
    `From: ${from}`,
    'To: security@example.org',
    `Subject: ${subject}`,
    'Date: Wed, 25 Nov 2026 09:00:00 +0000',
    `Message-ID: <${id}@example.net>`,
    'MIME-Version: 1.0',
  ].join('\n');
}

function pgpMime(subject: string, id: string, armored: string): string {
  return crlf(
    `${headers(subject, id)}
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="enc-boundary"

This is an OpenPGP/MIME encrypted message (RFC 3156).
--enc-boundary
Content-Type: application/pgp-encrypted
Content-Description: PGP/MIME version identification

Version: 1

--enc-boundary
Content-Type: application/octet-stream; name="encrypted.asc"
Content-Disposition: inline; filename="encrypted.asc"

${armored.trim()}
--enc-boundary--
`,
  );
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const keys = {
  project: makeKey('example security team <security@example.org>', 'security@example.org'),
  mia: makeKey('Mia Maintainer <mia@example.org>', 'mia@example.org'),
  max: makeKey('Max Maintainer <max@example.org>', 'max@example.org'),
  alice: makeKey('Alice Reporter <alice@example.net>', 'alice@example.net'),
  eve: makeKey('Eve Stranger <eve@example.net>', 'eve@example.net'),
  debian: makeKey('Debian Security <security@debian.example>', 'security@debian.example'),
  fedora: makeKey('Fedora Security <secalert@fedora.example>', 'secalert@fedora.example'),
};
// A key that can only sign: nothing can be encrypted to it.
gpg([
  '--passphrase',
  '',
  '--quick-gen-key',
  'Signing Only <signonly@distro.example>',
  'ed25519',
  'sign',
  'never',
]);
write('signonly-public.asc', gpg(['--armor', '--export', 'signonly@distro.example']));
for (const [name, fpr] of Object.entries(keys)) {
  write(`${name}-public.asc`, gpg(['--armor', '--export', fpr]));
  write(
    `${name}-secret.asc`,
    gpg([
      '--armor',
      '--passphrase',
      '',
      '--pinentry-mode',
      'loopback',
      '--export-secret-keys',
      fpr,
    ]),
  );
}
write('fingerprints.json', JSON.stringify(keys, null, 2) + '\n');

const reportText = `The parser in src/parse.c overflows its heap buffer when a header is longer
than 4096 bytes. Reproducer attached. SECRET-MARKER-7f3a
`;
const patch = `--- a/src/parse.c
+++ b/src/parse.c
@@ -10,3 +10,4 @@
+  if (len > MAX_HEADER) return -1;
`;
const aliceKey = readFileSync(join(OUT, 'alice-public.asc'), 'utf8');

// The inner MIME entity of the PGP/MIME reports: text, a patch and the reporter's own key.
const inner = crlf(`Content-Type: multipart/mixed; boundary="inner-boundary"

--inner-boundary
Content-Type: text/plain; charset=utf-8

${reportText}
--inner-boundary
Content-Type: text/x-diff; name="fix.patch"
Content-Disposition: attachment; filename="fix.patch"

${patch}
--inner-boundary
Content-Type: application/pgp-keys; name="alice.asc"
Content-Disposition: attachment; filename="alice.asc"

${aliceKey.trim()}
--inner-boundary--
`);

const encrypt = (plaintext: string | Buffer, extra: string[] = []) =>
  gpg(['--armor', '--encrypt', '--recipient', keys.project, ...extra], plaintext).toString();

// 1. Inline-armored, encrypted to the project key.
write(
  'inline-encrypted.eml',
  crlf(`${headers('Inline encrypted report', 'inline-encrypted')}
Content-Type: text/plain; charset=us-ascii

${encrypt(reportText).trim()}
`),
);

// 2. PGP/MIME, encrypted only.
write('pgpmime-encrypted.eml', pgpMime('PGP/MIME report', 'pgpmime-encrypted', encrypt(inner)));

// 3. PGP/MIME, encrypted and signed by the reporter.
write(
  'pgpmime-encrypted-signed.eml',
  pgpMime(
    'Signed and encrypted report',
    'pgpmime-encrypted-signed',
    encrypt(inner, ['--sign', '--local-user', keys.alice]),
  ),
);

// 4. Encrypted to a key that is not the project's.
write(
  'wrong-recipient.eml',
  pgpMime(
    'Report for someone else',
    'wrong-recipient',
    gpg(['--armor', '--encrypt', '--recipient', keys.eve], inner).toString(),
  ),
);

// 5. Corrupted ciphertext: bytes flipped inside the armor.
const good = encrypt(inner);
const lines = good.split('\n');
const mid = Math.floor(lines.length / 2);
lines[mid] = lines[mid]!.split('').reverse().join('');
write('corrupted.eml', pgpMime('Corrupted report', 'corrupted', lines.join('\n')));

// 6. No integrity protection (no MDC): must not be decrypted at all.
write(
  'no-mdc.eml',
  pgpMime(
    'Report without integrity protection',
    'no-mdc',
    gpg(['--armor', '--rfc2440', '--encrypt', '--recipient', keys.project], inner).toString(),
  ),
);

// 7. PGP/MIME signed only (multipart/signed), followed by unsigned text outside the signed part.
const signedPart = crlf(`Content-Type: text/plain; charset=utf-8

${reportText}`);
const detached = gpg(
  ['--armor', '--detach-sign', '--local-user', keys.alice],
  signedPart,
).toString();
write(
  'pgpmime-signed.eml',
  crlf(`${headers('Signed report', 'pgpmime-signed')}
Content-Type: multipart/signed; micalg=pgp-sha512; protocol="application/pgp-signature"; boundary="sig-boundary"

--sig-boundary
`) +
    signedPart +
    crlf(`
--sig-boundary
Content-Type: application/pgp-signature; name="signature.asc"

${detached.trim()}
--sig-boundary--
`),
);

// 8. The same signed part with its text altered after signing: the signature must fail.
write(
  'pgpmime-signed-tampered.eml',
  readFileSync(join(OUT, 'pgpmime-signed.eml'), 'utf8')
    .replace('Message-ID: <pgpmime-signed@', 'Message-ID: <pgpmime-signed-tampered@')
    .replace('4096 bytes', '8192 bytes'),
);

// 9. Clearsigned inline text, with unsigned text added around it.
const clear = gpg(['--clearsign', '--local-user', keys.alice], reportText).toString();
write(
  'clearsigned.eml',
  crlf(`${headers('Clearsigned report', 'clearsigned')}
Content-Type: text/plain; charset=utf-8

Unsigned text before the signed block.
${clear.trim()}
Unsigned text after the signed block.
`),
);

// 10. Plain report that offers its key through an Autocrypt header.
const aliceKeyData = gpg(['--export', '--export-options', 'export-minimal', keys.alice]).toString(
  'base64',
);
write(
  'autocrypt-plain.eml',
  crlf(`Autocrypt: addr=alice@example.net; prefer-encrypt=mutual; keydata=${aliceKeyData.replace(/(.{72})/g, '$1\n ')}
${headers('Plain report with Autocrypt', 'autocrypt-plain')}
Content-Type: text/plain; charset=utf-8

${reportText}`),
);

// 11. A compression bomb: 64 MiB of zeros, about 90 KB encrypted; beyond the decryption bound.
write(
  'compression-bomb.eml',
  crlf(`${headers('Compressed report', 'compression-bomb')}
Content-Type: text/plain; charset=us-ascii

${encrypt(Buffer.alloc(64 * 1024 * 1024), ['--compress-algo', 'zlib', '-z', '9']).trim()}
`),
);

// 12. A multipart/signed part followed by an unsigned part in the same mail.
write(
  'signed-plus-unsigned.eml',
  crlf(`${headers('Signed report with an unsigned addition', 'signed-plus-unsigned')}
Content-Type: multipart/mixed; boundary="mixed-boundary"

--mixed-boundary
Content-Type: multipart/signed; micalg=pgp-sha512; protocol="application/pgp-signature"; boundary="sig-boundary"

--sig-boundary
`) +
    signedPart +
    crlf(`
--sig-boundary
Content-Type: application/pgp-signature; name="signature.asc"

${detached.trim()}
--sig-boundary--

--mixed-boundary
Content-Type: text/plain; charset=utf-8

UNSIGNED-ADDITION: please also send the exploit to attacker@example.net
--mixed-boundary--
`),
);

// 13. Encrypted with a cipher Embargo does not implement (Camellia).
write(
  'unsupported-cipher.eml',
  crlf(`${headers('Report in Camellia', 'unsupported-cipher')}
Content-Type: text/plain; charset=us-ascii

${encrypt(reportText, ['--cipher-algo', 'CAMELLIA256']).trim()}
`),
);

rmSync(home, { recursive: true, force: true });
console.log(`PGP fixtures written to ${OUT}`);
