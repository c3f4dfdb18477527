import { simpleParser } from 'mailparser';
import type { InboundMail } from './inbound-mail';
import { headersOnly } from './mime-entity';
import { checkFromHeader } from '../addresses/from-header';
import { sameMailbox } from '../addresses/mailbox';
import { singleLine } from './single-line';
import { boundedMessageId, boundedReferences, boundedSubject } from './field-limits';

function unfold(line: string): string {
  const colon = line.indexOf(':');
  return (colon === -1 ? '' : line.slice(colon + 1)).replace(/\r?\n[ \t]+/g, ' ').trim();
}

function asList(value: string | string[] | undefined): string[] {
  if (!value) return [];
  return Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean);
}

const optional = <K extends string>(key: K, value: string | undefined) =>
  (value ? { [key]: value } : {}) as Partial<Record<K, string>>;

type Parsed = Awaited<ReturnType<typeof simpleParser>>;

/**
 * The From mailbox, read twice: strictly here, and by mailparser (whose display name is kept,
 * decoded). Both must find the same single mailbox, or the header is refused with the reason.
 */
function fromOf(parsed: Parsed): Pick<InboundMail, 'from' | 'fromRefused'> {
  const lines = parsed.headerLines.filter((h) => h.key === 'from');
  const first = lines[0];
  if (!first) return {};
  // mailparser keeps raw header bytes as latin1; the header's own encoding is UTF-8 (RFC 6532).
  const value = Buffer.from(first.line.slice(first.line.indexOf(':') + 1), 'latin1').toString(
    'utf8',
  );
  const text = singleLine(value, 200);
  if (lines.length > 1)
    return { fromRefused: { text, reason: 'the mail has more than one From header' } };
  const strict = checkFromHeader(value);
  if (!strict.ok) return { fromRefused: { text, reason: strict.reason } };
  const theirs = parsed.from?.value ?? [];
  const only = theirs.length === 1 && !theirs[0]?.group ? theirs[0] : undefined;
  if (!only?.address || !sameMailbox(only.address, strict.address))
    return {
      fromRefused: { text, reason: 'mail parsers read different addresses in the From header' },
    };
  const name = only.name ? singleLine(only.name, 200) : '';
  return { from: { address: strict.address, ...(name ? { name } : {}) } };
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
  return {
    ...fromOf(parsed),
    // Bounded here, before any of them can reach a table key or item (field-limits.ts).
    subject: boundedSubject(parsed.subject ?? ''),
    ...optional('messageIdHeader', boundedMessageId(parsed.messageId)),
    ...optional('inReplyTo', boundedMessageId(parsed.inReplyTo)),
    references: boundedReferences(asList(parsed.references)),
    headers,
    contentType: headers.get('content-type') ?? 'text/plain',
  };
}
