/**
 * Makes test fixtures in the exact shapes of mail clients that reporters use, encrypted and
 * signed with real GnuPG and the committed fixture keys (test/fixtures/pgp). Run:
 * `npx tsx scripts/make-client-fixtures.ts`. The output in test/fixtures/clients/ is committed.
 *
 * Where each shape comes from:
 * - thunderbird-*: Thunderbird 115+, comm-central
 *   mail/extensions/openpgp/content/modules/mimeEncrypt.sys.mjs: outer `Subject: ...` (the
 *   default protected-subject text) before `multipart/encrypted`, its preamble and part headers;
 *   inside, `multipart/mixed; boundary=...;` folded with ` protected-headers="v1"`, then
 *   Subject, From, To, Message-Id (in that order, jsmime-encoded), then the original body; a
 *   text-only body is wrapped in one more `multipart/mixed`. Signed and encrypted in one pass.
 * - enigmail-legacy-display: Enigmail 2.x mimeEncrypt.js with ENCRYPT_HEADERS: the same
 *   protected multipart, whose first part is `text/rfc822-headers; protected-headers="v1"`,
 *   `Content-Disposition: inline`, repeating the headers (the "legacy display" part).
 * - legacy-display-text-plain: the other legacy-display form of the protected-headers draft
 *   (draft-autocrypt-lamps-protected-headers): a `text/plain` part marked
 *   `protected-headers="v1"`.
 * - rfc9788-legacy-display: RFC 9788 (Header Protection): `hp="cipher"` on the cryptographic
 *   payload and a legacy display element (the header lines) at the start of the main text
 *   part, marked `hp-legacy-display="1"`.
 * - proton-html-*: Proton Mail's web client sending HTML: `multipart/mixed` > `multipart/related`
 *   > `text/html` (base64), no text/plain part, with its signature block markup. The exact
 *   boundary strings and X-Pm-* headers are illustrative, not copied from a captured message.
 * - neomutt-protected-headers: neomutt with `crypt_protected_headers_write` (ncrypt/crypt.c):
 *   the part it encrypts is the text itself, its Content-Type marked `protected-headers="v1"`
 *   and the Subject written among its MIME headers; written from neomutt's source, not by a
 *   running neomutt (neomutt 20220429 cannot encrypt in batch mode).
 * - smime-*: scripts/make-smime-fixtures.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KEYS = join(__dirname, '..', 'test', 'fixtures', 'pgp');
const OUT = join(__dirname, '..', 'test', 'fixtures', 'clients');
const home = mkdtempSync(join(tmpdir(), 'embargo-gnupg-'));
const fingerprints = JSON.parse(readFileSync(join(KEYS, 'fingerprints.json'), 'utf8')) as Record<
  string,
  string
>;

function gpg(args: string[], input?: string | Buffer): Buffer {
  return execFileSync(
    'gpg',
    ['--homedir', home, '--batch', '--yes', '--trust-model', 'always', ...args],
    { input, stdio: ['pipe', 'pipe', 'pipe'] },
  );
}

for (const file of ['project-public.asc', 'alice-secret.asc']) gpg(['--import', join(KEYS, file)]);

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
const write = (name: string, content: string) => writeFileSync(join(OUT, name), crlf(content));
const encryptTo = ['--recipient', fingerprints.project!];
const encrypt = (plaintext: string, sign = true) =>
  gpg(
    [
      '--armor',
      '--encrypt',
      ...encryptTo,
      ...(sign ? ['--sign', '--local-user', fingerprints.alice!] : []),
    ],
    crlf(plaintext),
  )
    .toString()
    .trim();

/** The outer message Thunderbird writes around its armored payload (mimeEncrypt.sys.mjs). */
function thunderbirdOuter(id: string, armored: string): string {
  return `Message-ID: <${id}@example.net>
Date: Wed, 25 Nov 2026 09:00:00 +0100
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: en-US
To: security@example.org
From: Alice Reporter <alice@example.net>
Subject: ...
Content-Type: multipart/encrypted;
 protocol="application/pgp-encrypted";
 boundary="------------ozEpHcTdSUWk9JtsPNBmWRxa"

This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)
--------------ozEpHcTdSUWk9JtsPNBmWRxa
Content-Type: application/pgp-encrypted
Content-Description: PGP/MIME version identification

Version: 1

--------------ozEpHcTdSUWk9JtsPNBmWRxa
Content-Type: application/octet-stream; name="encrypted.asc"
Content-Description: OpenPGP encrypted message
Content-Disposition: inline; filename="encrypted.asc"

${armored}

--------------ozEpHcTdSUWk9JtsPNBmWRxa--
`;
}

/** The protected headers as Thunderbird emits them (jsmime: RFC 2047 for non-ASCII). */
function thunderbirdProtected(id: string, subject: string): string {
  return `Subject: ${subject}
From: Alice Reporter <alice@example.net>
To: security@example.org
Message-Id: <${id}@example.net>`;
}

const BODY = `The parser in src/parse.c overflows its heap buffer when a header is longer
than 4096 bytes. Reproducer below. SECRET-MARKER-7f3a
`;

mkdirSync(OUT, { recursive: true });

// Thunderbird, text only: the body is wrapped in one more multipart/mixed.
// "Überlauf in parse_header" as jsmime writes it.
write(
  'thunderbird-protected-headers.eml',
  thunderbirdOuter(
    'tb-protected',
    encrypt(`Content-Type: multipart/mixed; boundary="------------n2Qh0Dq5X3gWIrXqz7u0Gx1Y";
 protected-headers="v1"
${thunderbirdProtected('tb-protected', '=?UTF-8?Q?=C3=9Cberlauf_in_parse=5Fheader?=')}

--------------n2Qh0Dq5X3gWIrXqz7u0Gx1Y
Content-Type: multipart/mixed; boundary="------------7W1bR0uNqG3eTq9ZxM0mD4cY"

--------------7W1bR0uNqG3eTq9ZxM0mD4cY
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 7bit

${BODY}
--------------7W1bR0uNqG3eTq9ZxM0mD4cY--

--------------n2Qh0Dq5X3gWIrXqz7u0Gx1Y--
`),
  ),
);

// Thunderbird with an attachment: the original multipart/mixed sits directly in the protected
// one. The attachment is Latin-1 text, as Thunderbird attaches a local file.
const latin1 = Buffer.from('Rapport de sécurité: dépassement de tampon\n', 'latin1');
write(
  'thunderbird-protected-attachment.eml',
  thunderbirdOuter(
    'tb-protected-attachment',
    encrypt(`Content-Type: multipart/mixed; boundary="------------C1p2Lb0xQmFj4sK9wZ8nT3vE";
 protected-headers="v1"
${thunderbirdProtected('tb-protected-attachment', 'Heap overflow with notes attached')}

--------------C1p2Lb0xQmFj4sK9wZ8nT3vE
Content-Type: multipart/mixed; boundary="------------M4sVb8Xq2Nn0Rk7Jd5Tg1WcP"

--------------M4sVb8Xq2Nn0Rk7Jd5Tg1WcP
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 7bit

${BODY}
--------------M4sVb8Xq2Nn0Rk7Jd5Tg1WcP
Content-Type: text/plain; charset=ISO-8859-1; name="notes.txt"
Content-Disposition: attachment; filename="notes.txt"
Content-Transfer-Encoding: base64

${latin1.toString('base64')}

--------------M4sVb8Xq2Nn0Rk7Jd5Tg1WcP--

--------------C1p2Lb0xQmFj4sK9wZ8nT3vE--
`),
  ),
);

// Enigmail with a legacy-display part (text/rfc822-headers).
write(
  'enigmail-legacy-display.eml',
  thunderbirdOuter(
    'enigmail-legacy',
    encrypt(`Content-Type: multipart/mixed; boundary="mJ1Xb2GgVQdd8uRWnqUNKcPnThSJEGWrk";
 protected-headers="v1"
From: Alice Reporter <alice@example.net>
To: security@example.org
Message-ID: <enigmail-legacy@example.net>
Subject: Use after free in the session cache

--mJ1Xb2GgVQdd8uRWnqUNKcPnThSJEGWrk
Content-Type: text/rfc822-headers; protected-headers="v1"
Content-Disposition: inline

From: Alice Reporter <alice@example.net>
To: security@example.org
Subject: Use after free in the session cache

--mJ1Xb2GgVQdd8uRWnqUNKcPnThSJEGWrk
Content-Type: text/plain; charset=utf-8
Content-Language: en-US
Content-Transfer-Encoding: quoted-printable

${BODY}
--mJ1Xb2GgVQdd8uRWnqUNKcPnThSJEGWrk--
`),
  ),
);

// The draft's other legacy-display form: text/plain marked protected-headers="v1".
write(
  'legacy-display-text-plain.eml',
  thunderbirdOuter(
    'legacy-text-plain',
    encrypt(`Content-Type: multipart/mixed; boundary="lp-outer";
 protected-headers="v1"
Subject: Integer overflow in the length check
From: Alice Reporter <alice@example.net>
To: security@example.org

--lp-outer
Content-Type: text/plain; charset=us-ascii; protected-headers="v1"
Content-Disposition: inline

Subject: Integer overflow in the length check

--lp-outer
Content-Type: text/plain; charset=us-ascii

${BODY}
--lp-outer--
`),
  ),
);

// RFC 9788: hp="cipher" and a legacy display element in the main text part.
write(
  'rfc9788-legacy-display.eml',
  thunderbirdOuter(
    'rfc9788-legacy',
    encrypt(`Content-Type: text/plain; charset=us-ascii; hp="cipher"; hp-legacy-display="1"
Subject: Path traversal in the archive reader
From: Alice Reporter <alice@example.net>
To: security@example.org
Date: Wed, 25 Nov 2026 09:00:00 +0100
Message-ID: <rfc9788-legacy@example.net>

Subject: Path traversal in the archive reader

${BODY}`),
  ),
);

// neomutt: protected headers on the encrypted text part itself.
write(
  'neomutt-protected-headers.eml',
  `Date: Wed, 25 Nov 2026 09:00:00 +0000
From: Alice Reporter <alice@example.net>
To: security@example.org
Subject: ...
Message-ID: <neomutt-protected@example.net>
MIME-Version: 1.0
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted";
	boundary="nmEnc1xYz"
Content-Disposition: inline

--nmEnc1xYz
Content-Type: application/pgp-encrypted
Content-Disposition: attachment

Version: 1

--nmEnc1xYz
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="msg.asc"

${encrypt(`Content-Type: text/plain; charset=us-ascii; protected-headers="v1"
Content-Disposition: inline
Date: Wed, 25 Nov 2026 09:00:00 +0000
From: Alice Reporter <alice@example.net>
To: security@example.org
Message-ID: <neomutt-protected@example.net>
Subject: Stack exhaustion in the config parser

${BODY}`)}

--nmEnc1xYz--
`,
);

/** Proton Mail's web client: HTML only, inside multipart/related. */
function protonBody(html: string): string {
  return `Content-Type: multipart/mixed;boundary=---------------------7d1f0bb3a8a1e0c2e6a0a6f3d0d2f4b1

-----------------------7d1f0bb3a8a1e0c2e6a0a6f3d0d2f4b1
Content-Type: multipart/related;boundary=---------------------a5e0b8e3c1f04d57b8d40f1f9c2b7e60

-----------------------a5e0b8e3c1f04d57b8d40f1f9c2b7e60
Content-Type: text/html;charset=utf-8
Content-Transfer-Encoding: base64

${Buffer.from(html, 'utf8')
  .toString('base64')
  .replace(/(.{76})/g, '$1\n')}
-----------------------a5e0b8e3c1f04d57b8d40f1f9c2b7e60--
-----------------------7d1f0bb3a8a1e0c2e6a0a6f3d0d2f4b1--
`;
}
const protonHtml = `<div style="font-family: Arial, sans-serif; font-size: 14px;">The parser in src/parse.c overflows its heap buffer when a header is longer than 4096 bytes.<br></div><div style="font-family: Arial, sans-serif; font-size: 14px;"><br></div><div style="font-family: Arial, sans-serif; font-size: 14px;">Details: <a href="https://tracker.example/reproducer" target="_blank" rel="noreferrer nofollow noopener">reproducer</a> SECRET-MARKER-7f3a<img src="https://tracker.example/pixel.gif" width="1" height="1"></div>
<div class="protonmail_signature_block" style="font-family: Arial, sans-serif; font-size: 14px;"><div class="protonmail_signature_block-proton">Sent with <a target="_blank" href="https://proton.me/mail/home">Proton Mail</a> secure email.</div></div>`;

write(
  'proton-html-only.eml',
  `Date: Wed, 25 Nov 2026 08:00:00 +0000
To: security@example.org
From: Alice Reporter <alice@proton.example>
Subject: Heap overflow in parse_header
Message-ID: <proton-html-only@proton.example>
Feedback-ID: 1234567:user:proton
X-Pm-Message-ID: abcdef
MIME-Version: 1.0
${protonBody(protonHtml)}`,
);

// Proton Mail to a PGP key: the same HTML-only body, PGP/MIME encrypted (not signed here).
write(
  'proton-html-encrypted.eml',
  `Date: Wed, 25 Nov 2026 08:00:00 +0000
To: security@example.org
From: Alice Reporter <alice@proton.example>
Subject: Heap overflow in parse_header
Message-ID: <proton-html-encrypted@proton.example>
MIME-Version: 1.0
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted";boundary="---------------------5f0e8a0c"

-----------------------5f0e8a0c
Content-Type: application/pgp-encrypted
Content-Description: PGP/MIME version identification

Version: 1

-----------------------5f0e8a0c
Content-Type: application/octet-stream; name="encrypted.asc"
Content-Description: OpenPGP encrypted message
Content-Disposition: inline; filename="encrypted.asc"

${encrypt(protonBody(protonHtml), false)}
-----------------------5f0e8a0c--
`,
);

rmSync(home, { recursive: true, force: true });
