import libmime from 'libmime';

/** One MIME entity as bytes: needed where a signature covers the exact bytes of a part. */
export interface MimeEntity {
  headerText: string;
  contentType: { value: string; params: Record<string, string> };
  body: Buffer;
}

function headerEnd(raw: Buffer): { end: number; bodyStart: number } | undefined {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { end: crlf, bodyStart: crlf + 4 };
  if (lf !== -1) return { end: lf, bodyStart: lf + 2 };
  return undefined;
}

/**
 * A message's header block alone, ended by an empty line, for parsing headers without the body
 * (which may be an attachment of tens of MB). Without an empty line, the whole message is headers.
 */
export function headersOnly(raw: Buffer): Buffer {
  const split = headerEnd(raw);
  return Buffer.concat([split ? raw.subarray(0, split.end) : raw, Buffer.from('\r\n\r\n')]);
}

export function readEntity(raw: Buffer): MimeEntity {
  const split = headerEnd(raw);
  const headerText = split ? raw.subarray(0, split.end).toString('latin1') : '';
  const body = split ? raw.subarray(split.bodyStart) : raw;
  const unfolded = headerText.replace(/\r?\n[ \t]+/g, ' ');
  const line = /^content-type:(.*)$/im.exec(unfolded)?.[1] ?? 'text/plain';
  const parsed = libmime.parseHeaderValue(line);
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed.params)) params[k.toLowerCase()] = String(v);
  return { headerText, contentType: { value: parsed.value.trim().toLowerCase(), params }, body };
}

/**
 * The body parts of a multipart entity, byte for byte (RFC 2046: the line break before a
 * delimiter belongs to the delimiter). Returns undefined when the entity is not multipart.
 */
export function multipartParts(entity: MimeEntity): Buffer[] | undefined {
  const boundary = entity.contentType.params.boundary;
  if (!entity.contentType.value.startsWith('multipart/') || !boundary) return undefined;
  // Searched as bytes, and parts returned as views of the body: a message with a large
  // attachment is not copied again here.
  const body = entity.body;
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const lineDelimiter = Buffer.from(`\n--${boundary}`, 'latin1');
  const closing = Buffer.from(`--${boundary}--`, 'latin1');
  const startsAt = (needle: Buffer, at: number) =>
    body.subarray(at, at + needle.length).equals(needle);
  const parts: Buffer[] = [];
  let cursor = startsAt(delimiter, 0) ? 0 : body.indexOf(lineDelimiter);
  if (cursor === -1) return [];
  if (cursor > 0) cursor += 1;
  for (;;) {
    const lineEnd = body.indexOf(0x0a, cursor);
    if (lineEnd === -1) break;
    if (startsAt(closing, cursor)) break;
    const next = body.indexOf(lineDelimiter, lineEnd);
    if (next === -1) break;
    const end = body[next - 1] === 0x0d ? next - 1 : next;
    parts.push(body.subarray(lineEnd + 1, end));
    cursor = next + 1;
  }
  return parts;
}
