import { randomBytes } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { multipartParts, readEntity } from './mime-entity';

/** Bodies above this are decoded here rather than by mailparser. */
const LARGE_PART_BYTES = 256 * 1024;
const PART_HEADER = 'x-embargo-large-part';

interface LargePart {
  /** Where the part starts and its body starts and ends, as offsets into the message. */
  start: number;
  bodyStart: number;
  bodyEnd: number;
  content: Buffer;
}

function transferEncoding(headerText: string): string {
  const unfolded = headerText.replace(/\r?\n[ \t]+/g, ' ');
  return (/^content-transfer-encoding:\s*([^\s;]+)/im.exec(unfolded)?.[1] ?? '7bit').toLowerCase();
}

/**
 * Leaf parts that mailparser would return as attachments and that are large: decoded here in
 * one step. mailparser decodes line by line, and holds a Buffer per line while it does, which
 * costs several times the attachment's size in memory (200 MiB for a 25 MiB attachment).
 */
function largeAttachmentParts(raw: Buffer): LargePart[] {
  const found: LargePart[] = [];
  const offset = (view: Buffer) => view.byteOffset - raw.byteOffset;
  const visit = (bytes: Buffer) => {
    const entity = readEntity(bytes);
    const children = multipartParts(entity);
    if (children) {
      for (const child of children) visit(child);
      return;
    }
    if (bytes === raw || entity.body.length < LARGE_PART_BYTES) return;
    const type = entity.contentType.value;
    const attachment =
      /^content-disposition:\s*attachment/im.test(entity.headerText) ||
      !/^(text|multipart|message)\//.test(type);
    if (!attachment) return;
    const encoding = transferEncoding(entity.headerText);
    let content: Buffer;
    if (encoding === 'base64') {
      const text = entity.body.toString('latin1');
      // Node's decoder skips line breaks and stray characters, as mail readers do, but stops at
      // padding; base64 joined from separately encoded chunks has padding mid-way, and is left
      // to mailparser, which decodes past it.
      const padding = text.indexOf('=');
      if (padding !== -1 && /[A-Za-z0-9+/]/.test(text.slice(padding))) return;
      content = Buffer.from(text, 'base64');
    } else if (['7bit', '8bit', 'binary'].includes(encoding)) content = entity.body;
    else return;
    found.push({
      start: offset(bytes),
      bodyStart: offset(entity.body),
      bodyEnd: offset(entity.body) + entity.body.length,
      content,
    });
  };
  visit(raw);
  return found;
}

/**
 * mailparser's `simpleParser`, with large attachments decoded here: the message goes to
 * mailparser without their bodies, each marked with a header, and their content is put back
 * into the parsed attachments. Everything else (text, charsets, headers) is mailparser's.
 */
export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  const large = largeAttachmentParts(raw);
  if (!large.length) return simpleParser(raw, { skipHtmlToText: false, skipImageLinks: true });
  // Unguessable, so that a sender's own header cannot claim another part's content.
  const nonce = randomBytes(12).toString('hex');
  const pieces: Buffer[] = [];
  let cursor = 0;
  large.forEach((part, index) => {
    pieces.push(
      raw.subarray(cursor, part.start),
      Buffer.from(`X-Embargo-Large-Part: ${nonce}.${index}\r\n`),
    );
    pieces.push(raw.subarray(part.start, part.bodyStart));
    cursor = part.bodyEnd;
  });
  pieces.push(raw.subarray(cursor));
  const parsed = await simpleParser(Buffer.concat(pieces), {
    skipHtmlToText: false,
    skipImageLinks: true,
  });
  for (const attachment of parsed.attachments) {
    const marker = attachment.headers.get(PART_HEADER);
    const [markerNonce, index] = typeof marker === 'string' ? marker.split('.') : [];
    const part = markerNonce === nonce ? large[Number(index)] : undefined;
    if (!part) continue;
    attachment.headers.delete(PART_HEADER);
    attachment.content = part.content;
    attachment.size = part.content.length;
  }
  return parsed;
}
