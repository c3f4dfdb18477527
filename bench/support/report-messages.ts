import { randomBytes } from 'node:crypto';
import { createMessage, encrypt, readKey, type PublicKey } from 'openpgp';
import { REPORTER_DOMAIN, SECURITY_ADDRESS } from './bench-support';

/** One report as a reporter's mail client would send it. */
export interface BenchReport {
  index: number;
  encrypted: boolean;
  from: string;
  /** The Message-ID header, with angle brackets: the ack's In-Reply-To names it. */
  messageId: string;
  raw: Buffer;
}

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

const REPORT_TEXT = `Hello security team,

the header parser in src/parse.c copies each header line into a fixed 4096-byte
stack buffer without checking its length. A request with a header longer than
that overwrites the return address; with the attached input the process jumps to
0x4141414141414141 under ASan-free builds. All releases since 2.1 are affected.

Steps: build with default flags, run ./parse < long-header.txt, observe SIGSEGV.
The patch attached rejects header lines longer than MAX_HEADER before copying.

I would like to be credited as the reporter. I plan to publish in 90 days unless
we agree on another date.

Regards,
a reporter
`;

const PATCH = `--- a/src/parse.c
+++ b/src/parse.c
@@ -10,3 +10,4 @@ int parse_header(const char *line, size_t len)
+  if (len > MAX_HEADER) return -1;
   memcpy(buf, line, len);
`;

/** The report body: text and a patch, as a multipart/mixed entity (headers, blank line, body). */
function reportEntity(index: number): string {
  return crlf(`Content-Type: multipart/mixed; boundary="mixed-${index}"

--mixed-${index}
Content-Type: text/plain; charset=utf-8

${REPORT_TEXT}
--mixed-${index}
Content-Type: text/x-diff; name="fix.patch"
Content-Disposition: attachment; filename="fix.patch"

${PATCH}
--mixed-${index}--
`);
}

function headers(
  index: number,
  runId: string,
  subject: string,
): { from: string; messageId: string; text: string } {
  const n = String(index).padStart(4, '0');
  const from = `reporter-${n}-${runId}@${REPORTER_DOMAIN}`;
  const messageId = `<bench-${runId}-${n}@${REPORTER_DOMAIN}>`;
  return {
    from,
    messageId,
    text: crlf(
      [
        `From: Reporter ${n} <${from}>`,
        `To: ${SECURITY_ADDRESS}`,
        `Subject: ${subject}`,
        `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
        `Message-ID: ${messageId}`,
        'MIME-Version: 1.0',
      ].join('\n'),
    ),
  };
}

export async function projectPublicKey(armored: string): Promise<PublicKey> {
  return readKey({ armoredKey: armored });
}

/** A plain report: text and a patch. */
export function plainReport(index: number, runId: string): BenchReport {
  const h = headers(index, runId, `Heap overflow in header parser (report ${index})`);
  return {
    index,
    encrypted: false,
    from: h.from,
    messageId: h.messageId,
    raw: Buffer.from(`${h.text}\r\n${reportEntity(index)}`, 'utf8'),
  };
}

/**
 * The same report as PGP/MIME (RFC 3156), encrypted to the project key, in the layout of
 * scripts/make-pgp-fixtures.ts: the whole multipart/mixed entity is the encrypted payload.
 */
export async function encryptedReport(
  index: number,
  runId: string,
  projectKey: PublicKey,
): Promise<BenchReport> {
  const h = headers(index, runId, `Encrypted report ${index}`);
  return {
    index,
    encrypted: true,
    from: h.from,
    messageId: h.messageId,
    raw: Buffer.from(
      `${h.text}\r\n${await pgpMimeBody(reportEntity(index), `enc-${index}`, projectKey)}`,
      'utf8',
    ),
  };
}

/** `entity` encrypted to the project key as an RFC 3156 body (Content-Type line, blank line, parts). */
async function pgpMimeBody(
  entity: string,
  boundary: string,
  projectKey: PublicKey,
): Promise<string> {
  const armored = await encrypt({
    message: await createMessage({ binary: Buffer.from(entity, 'utf8') }),
    encryptionKeys: projectKey,
    format: 'armored',
  });
  return crlf(`Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="${boundary}"

This is an OpenPGP/MIME encrypted message (RFC 3156).
--${boundary}
Content-Type: application/pgp-encrypted
Content-Description: PGP/MIME version identification

Version: 1

--${boundary}
Content-Type: application/octet-stream; name="encrypted.asc"
Content-Disposition: inline; filename="encrypted.asc"

${armored.trim()}
--${boundary}--
`);
}

/** Base64 in 76-character lines, as mail clients write attachments. */
function base64Lines(data: Buffer): string {
  const b64 = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join('\r\n');
}

/** Text and one attachment of `bytes` random (incompressible) bytes, as a MIME entity. */
function largeReportEntity(bytes: number): string {
  const boundary = 'large-attachment';
  return [
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    crlf(REPORT_TEXT),
    `--${boundary}`,
    'Content-Type: application/octet-stream; name="core.dump"',
    'Content-Disposition: attachment; filename="core.dump"',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(randomBytes(bytes)),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** A plain report with one attachment of `bytes` random bytes. */
export function largeReport(runId: string, bytes: number): BenchReport {
  const h = headers(0, runId, 'Crash dump attached');
  return {
    index: 0,
    encrypted: false,
    from: h.from,
    messageId: h.messageId,
    raw: Buffer.from(`${h.text}\r\n${largeReportEntity(bytes)}`, 'utf8'),
  };
}

/** The same, PGP/MIME-encrypted to the project key. */
export async function largeEncryptedReport(
  runId: string,
  bytes: number,
  projectKey: PublicKey,
): Promise<BenchReport> {
  const h = headers(0, runId, 'Crash dump attached');
  const body = await pgpMimeBody(largeReportEntity(bytes), 'large-encrypted', projectKey);
  return {
    index: 0,
    encrypted: true,
    from: h.from,
    messageId: h.messageId,
    raw: Buffer.from(`${h.text}\r\n${body}`, 'utf8'),
  };
}
