import { randomBytes } from 'node:crypto';
import { InternalError } from '../errors';

/** What every encrypted mail says outside its encryption, after the case tag. */
export const ENCRYPTED_SUBJECT_WORDS = 'Encrypted message';

/**
 * Header fields copied into the encrypted part, as RFC 9788 (Header Protection for
 * Cryptographically Protected Email) lists them for a client to show: the real Subject only
 * travels there.
 */
const PROTECTED_FIELD =
  /^(subject|from|to|cc|reply-to|date|message-id|in-reply-to|references|keywords):/i;
const CONTENT_FIELD = /^(content-[a-z-]+|mime-version):/i;

/** Header lines of a rendered message, each with its folded continuation lines. */
function headerFields(headerText: string): string[] {
  return headerText.split(/\r?\n(?![ \t])/).filter(Boolean);
}

/**
 * Splits a rendered message for encryption with protected headers. `payload` is what gets
 * encrypted: a `multipart/mixed` marked `protected-headers="v1"` (the form Thunderbird writes
 * and reads, comm-central mimeEncrypt.sys.mjs) and `hp="cipher"` (RFC 9788), carrying copies
 * of the protected fields, around the rendered body. `outerFields` are the fields that stay in
 * clear text: addressing and threading, with the Subject replaced by `outerSubject`.
 */
export function protectHeaders(
  rendered: Buffer,
  outerSubject: string,
): { outerFields: string[]; payload: Buffer } {
  const text = rendered.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  if (split === -1) throw new InternalError('A rendered message has no header/body separator.');
  const fields = headerFields(text.slice(0, split));
  if (/[\r\n]/.test(outerSubject))
    throw new InternalError('The outer subject of a protected message must be one line.');
  const boundary = `embargo-ph-${randomBytes(12).toString('hex')}`;
  const payload = [
    `Content-Type: multipart/mixed; boundary="${boundary}";`,
    ' protected-headers="v1"; hp="cipher"',
    ...fields.filter((f) => PROTECTED_FIELD.test(f)),
    '',
    `--${boundary}`,
    ...fields.filter((f) => CONTENT_FIELD.test(f) && !/^mime-version:/i.test(f)),
    '',
    text.slice(split + 4).replace(/\r\n$/, ''),
    `--${boundary}--`,
    '',
  ].join('\r\n');
  const outerFields = fields
    .filter((f) => !CONTENT_FIELD.test(f))
    .map((f) => (/^subject:/i.test(f) ? `Subject: ${outerSubject}` : f));
  if (!outerFields.some((f) => /^subject:/i.test(f))) outerFields.push(`Subject: ${outerSubject}`);
  return { outerFields, payload: Buffer.from(payload, 'latin1') };
}
