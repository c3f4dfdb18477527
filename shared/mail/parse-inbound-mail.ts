import { simpleParser } from 'mailparser';
import type { InboundMail } from './inbound-mail';
import { headersOnly } from './mime-entity';

function unfold(line: string): string {
  const colon = line.indexOf(':');
  return (colon === -1 ? '' : line.slice(colon + 1)).replace(/\r?\n[ \t]+/g, ' ').trim();
}

function asList(value: string | string[] | undefined): string[] {
  if (!value) return [];
  return Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean);
}

/**
 * Reads the headers intake decides on. Only the header block is parsed: the body (decrypted
 * and decoded later by the report reader) is not needed to open a case, and decoding it here
 * too would hold every attachment in memory twice.
 */
export async function parseInboundMail(raw: Buffer): Promise<InboundMail> {
  const parsed = await simpleParser(headersOnly(raw), {
    skipHtmlToText: true,
    skipTextToHtml: true,
  });
  const headers = new Map<string, string>();
  for (const { key, line } of parsed.headerLines) {
    if (!headers.has(key)) headers.set(key, unfold(line));
  }
  const first = parsed.from?.value.find((a) => a.address);
  return {
    from: first?.address
      ? { address: first.address, ...(first.name ? { name: first.name } : {}) }
      : undefined,
    subject: parsed.subject ?? '',
    messageIdHeader: parsed.messageId,
    ...(parsed.inReplyTo ? { inReplyTo: parsed.inReplyTo } : {}),
    references: asList(parsed.references),
    headers,
    contentType: headers.get('content-type') ?? 'text/plain',
  };
}
