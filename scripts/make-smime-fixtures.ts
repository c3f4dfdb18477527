/**
 * Makes the S/MIME test fixtures with OpenSSL's `cms` command and a throwaway certificate for
 * the reporter. Run: `npx tsx scripts/make-smime-fixtures.ts`; the output in
 * test/fixtures/clients/ is committed.
 *
 * Outlook and Apple Mail send the same structures (RFC 8551): `application/pkcs7-mime;
 * smime-type=enveloped-data; name="smime.p7m"` for encrypted mail, `smime-type=signed-data`
 * for opaque-signed mail, and `multipart/signed; protocol="application/pkcs7-signature"` with
 * an `smime.p7s` part for clear-signed mail.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const OUT = join(__dirname, '..', 'test', 'fixtures', 'clients');
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
const write = (name: string, content: string) => writeFileSync(join(OUT, name), crlf(content));
const BODY = `The parser in src/parse.c overflows its heap buffer when a header is longer
than 4096 bytes. Reproducer below. SECRET-MARKER-7f3a
`;
mkdirSync(OUT, { recursive: true });

const smimeHome = mkdtempSync(join(tmpdir(), 'embargo-smime-'));
const openssl = (args: string[], input?: string) =>
  execFileSync('openssl', args, { cwd: smimeHome, input, stdio: ['pipe', 'pipe', 'pipe'] });
openssl([
  'req',
  '-x509',
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:P-256',
  '-nodes',
  '-keyout',
  'alice.key',
  '-out',
  'alice.crt',
  '-days',
  '3650',
  '-subj',
  '/CN=Alice Reporter/emailAddress=alice@example.net',
]);
const smimeInner = crlf(`Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

${BODY}`);
const smimeHeaders = (id: string, subject: string) => `From: Alice Reporter <alice@example.net>
To: security@example.org
Subject: ${subject}
Date: Wed, 25 Nov 2026 09:00:00 +0000
Message-ID: <${id}@example.net>
`;
const smime = (args: string[]) =>
  openssl(['cms', '-outform', 'SMIME', ...args], smimeInner).toString();
// openssl writes the MIME-Version and Content-* headers; the message headers go before them.
write(
  'smime-enveloped.eml',
  smimeHeaders('smime-enveloped', 'Report (S/MIME encrypted)') +
    smime(['-encrypt', '-aes256', 'alice.crt']),
);
write(
  'smime-opaque-signed.eml',
  smimeHeaders('smime-opaque-signed', 'Report (S/MIME opaque-signed)') +
    smime(['-sign', '-nodetach', '-signer', 'alice.crt', '-inkey', 'alice.key']),
);
write(
  'smime-detached-signed.eml',
  smimeHeaders('smime-detached-signed', 'Report (S/MIME signed)') +
    smime(['-sign', '-signer', 'alice.crt', '-inkey', 'alice.key']),
);
rmSync(smimeHome, { recursive: true, force: true });
