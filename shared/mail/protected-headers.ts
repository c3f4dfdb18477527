import { simpleParser } from 'mailparser';
import { headersOnly, multipartParts, readEntity, type MimeEntity } from './mime-entity';

/**
 * Header fields that an encrypted message carries inside its encryption (RFC 9788, Header
 * Protection for Cryptographically Protected Email): the real Subject, where the outer one
 * says only "..." or "Encrypted message". Decoded text, for people and the case record.
 */
export interface ProtectedHeaders {
  subject?: string;
  /** The From line as written, e.g. `Alice <alice@example.net>`. */
  from?: string;
  to?: string;
  cc?: string;
  messageId?: string;
  date?: string;
}

/**
 * Whether an entity's Content-Type marks its header fields as protected headers: RFC 9788's
 * `hp="cipher"` (or `"clear"`), or `protected-headers="v1"` of the draft that Thunderbird,
 * Enigmail and neomutt implement.
 */
function marksProtectedHeaders(entity: MimeEntity): boolean {
  const { params } = entity.contentType;
  return params['protected-headers']?.toLowerCase() === 'v1' || params.hp !== undefined;
}

/** The entity that carries the protected headers: the payload, or the signed part within it. */
function headerCarrier(payload: Buffer): Buffer {
  const entity = readEntity(payload);
  if (entity.contentType.value === 'multipart/signed') {
    const signed = multipartParts(entity)?.[0];
    if (signed) return signed;
  }
  return payload;
}

/** The mail as intake reads it, with the protected Subject in place of the outer one. */
export function withProtectedSubject<M extends { subject: string }>(
  mail: M,
  headers: ProtectedHeaders | undefined,
): M {
  return headers?.subject !== undefined ? { ...mail, subject: headers.subject } : mail;
}

/** The protected headers of a decrypted payload, or undefined when it carries none. */
export async function readProtectedHeaders(payload: Buffer): Promise<ProtectedHeaders | undefined> {
  const carrier = headerCarrier(payload);
  if (!marksProtectedHeaders(readEntity(carrier))) return undefined;
  const parsed = await simpleParser(headersOnly(carrier), {
    skipHtmlToText: true,
    skipTextToHtml: true,
  });
  const found: ProtectedHeaders = {
    ...(parsed.headers.has('subject') ? { subject: parsed.subject ?? '' } : {}),
    ...(parsed.from?.text ? { from: parsed.from.text } : {}),
    ...(parsed.to
      ? {
          to: [parsed.to]
            .flat()
            .map((a) => a.text)
            .join(', '),
        }
      : {}),
    ...(parsed.cc
      ? {
          cc: [parsed.cc]
            .flat()
            .map((a) => a.text)
            .join(', '),
        }
      : {}),
    ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
    ...(parsed.date && parsed.headers.has('date') ? { date: parsed.date.toISOString() } : {}),
  };
  return Object.keys(found).length ? found : undefined;
}

/**
 * A legacy-display part: a copy of the protected headers for clients that cannot read them,
 * as the draft's writers (Enigmail, some neomutt versions) put it first in the protected
 * multipart: `text/rfc822-headers`, or `text/plain` marked `protected-headers="v1"`.
 */
function isLegacyDisplayPart(part: Buffer): boolean {
  const entity = readEntity(part);
  const type = entity.contentType.value;
  return type === 'text/rfc822-headers' || (type === 'text/plain' && marksProtectedHeaders(entity));
}

/**
 * The entity without its legacy-display part, so that it is not shown as a stray attachment
 * or as "Subject: …" lines in the text. Only a protected multipart is changed; the bytes of a
 * signed part are never rewritten here (callers verify signatures on the original bytes).
 */
export function withoutLegacyDisplay(raw: Buffer): Buffer {
  const entity = readEntity(raw);
  if (!marksProtectedHeaders(entity) || !entity.contentType.value.startsWith('multipart/'))
    return raw;
  const parts = multipartParts(entity) ?? [];
  const [first] = parts;
  if (!first || parts.length < 2 || !isLegacyDisplayPart(first)) return raw;
  const boundary = entity.contentType.params.boundary ?? '';
  const crlf = Buffer.from('\r\n');
  const delimiter = Buffer.from(`--${boundary}\r\n`, 'latin1');
  return Buffer.concat([
    Buffer.from(entity.headerText, 'latin1'),
    crlf,
    crlf,
    ...parts.slice(1).flatMap((p) => [delimiter, p, crlf]),
    Buffer.from(`--${boundary}--\r\n`, 'latin1'),
  ]);
}

const LEGACY_DISPLAY_LINE = /^(subject|from|to|cc|date|message-id|reply-to|keywords):[^\n]*\n/i;

/**
 * RFC 9788's legacy display element: the protected headers repeated as lines at the start of
 * the main text part, which is marked `hp-legacy-display="1"`. Removed from the text.
 */
export function withoutLegacyDisplayLines(text: string): string {
  let rest = text.replace(/\r\n/g, '\n');
  let removed = false;
  for (let match = LEGACY_DISPLAY_LINE.exec(rest); match; match = LEGACY_DISPLAY_LINE.exec(rest)) {
    rest = rest.slice(match[0].length);
    removed = true;
  }
  return removed ? rest.replace(/^\n/, '') : text;
}

/** Whether any part below this entity is marked as an RFC 9788 legacy display element. */
export function hasLegacyDisplayElement(raw: Buffer, depth = 0): boolean {
  if (depth > 16) return false;
  const entity = readEntity(raw);
  if (entity.contentType.params['hp-legacy-display'] === '1') return true;
  return (multipartParts(entity) ?? []).some((p) => hasLegacyDisplayElement(p, depth + 1));
}
