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
  const text = entity.body.toString('latin1');
  const delimiter = `--${boundary}`;
  const parts: Buffer[] = [];
  let cursor = text.startsWith(delimiter) ? 0 : text.indexOf(`\n${delimiter}`);
  if (cursor === -1) return [];
  if (cursor > 0) cursor += 1;
  for (;;) {
    const lineEnd = text.indexOf('\n', cursor);
    if (lineEnd === -1) break;
    const closing = text.startsWith(`${delimiter}--`, cursor);
    if (closing) break;
    const next = text.indexOf(`\n${delimiter}`, lineEnd);
    if (next === -1) break;
    const end = text[next - 1] === '\r' ? next - 1 : next;
    parts.push(Buffer.from(text.slice(lineEnd + 1, end), 'latin1'));
    cursor = next + 1;
  }
  return parts;
}
