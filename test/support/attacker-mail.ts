import { randomBytes } from 'node:crypto';

/** Mail as an attacker writes it, raw. */

/** A report with the attacker's key attached and in an Autocrypt header, for `address`. */
export function reportWithKey(
  from: string,
  address: string,
  armored: string,
  binary: Buffer,
  messageId = `<key-${randomBytes(6).toString('hex')}@attacker.example>`,
): string {
  const keydata = binary
    .toString('base64')
    .replace(/.{1,76}/g, (line) => ` ${line}\r\n`)
    .trimEnd();
  return [
    `From: ${from}`,
    'To: security@example.org',
    'Subject: Please use my new key',
    'Date: Tue, 01 Dec 2026 09:00:00 +0000',
    `Message-ID: ${messageId}`,
    `Autocrypt: addr=${address}; keydata=\r\n${keydata}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'A report. Encrypt your answer to the attached key.',
    '--b',
    'Content-Type: application/pgp-keys; name="key.asc"',
    'Content-Disposition: attachment; filename="key.asc"',
    '',
    armored.trim().replace(/\r?\n/g, '\r\n'),
    '--b--',
    '',
  ].join('\r\n');
}
