import libmime from 'libmime';
import { simpleParser } from 'mailparser';
import type { DeliveryProblem } from './delivery-problems';
import { boundedMessageId } from '../mail/field-limits';
import { singleLine } from '../mail/single-line';

/** Mail about mail: a feedback (complaint) report or a delivery status report. */
export type ReportKind = 'feedback-report' | 'delivery-status';

/**
 * Which report a message is, by its Content-Type: `multipart/report` with `report-type`
 * `feedback-report` (ARF, RFC 5965: what SES's feedback forwarding sends from
 * complaints@email-abuse.amazonses.com) or `delivery-status` (RFC 3464, from any server).
 */
export function reportKindOf(contentType: string): ReportKind | undefined {
  const { value, params } = libmime.parseHeaderValue(contentType);
  if (value.toLowerCase() !== 'multipart/report') return undefined;
  const type = (params['report-type'] ?? '').toLowerCase();
  return type === 'feedback-report' || type === 'delivery-status' ? type : undefined;
}

/** Reports larger than this are not read: a real one carries headers, not a whole mailbox. */
const MAX_REPORT_BYTES = 1024 * 1024;

const ORIGINAL_PARTS = new Set(['message/rfc822', 'text/rfc822-headers', 'message/rfc822-headers']);

/**
 * The delivery problem a report tells of, if it names a mail by its Message-ID (in the
 * original message or headers it returns). The Message-ID is all that is used from it: it
 * finds the case in the thread index, whose own record says to whom that mail went. So a
 * forged report can at most add a note to a case whose mail the forger was sent.
 */
export async function deliveryProblemOf(
  raw: Buffer,
  kind: ReportKind,
  inboundMessageId: string,
  at: Date,
): Promise<DeliveryProblem | undefined> {
  if (raw.length > MAX_REPORT_BYTES) return undefined;
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true });
  let messageIdHeader: string | undefined;
  const recipients: string[] = [];
  let feedbackType: string | undefined;
  for (const part of parsed.attachments) {
    const text = part.content.toString('latin1');
    const type = part.contentType.toLowerCase();
    if (ORIGINAL_PARTS.has(type)) {
      const head = text.split(/\r?\n\r?\n/)[0] ?? '';
      messageIdHeader ??= boundedMessageId(/^Message-ID:\s*(<[^<>\s]+>)/im.exec(head)?.[1]);
    } else if (type === 'message/feedback-report' || type === 'message/delivery-status') {
      for (const m of text.matchAll(
        /^(?:Original-Rcpt-To|Final-Recipient):\s*(?:rfc822;)?\s*(\S+)/gim,
      ))
        recipients.push(singleLine(m[1]!, 320));
      feedbackType ??= /^Feedback-Type:\s*(\S+)/im.exec(text)?.[1];
    }
  }
  if (!messageIdHeader) return undefined;
  return {
    kind: kind === 'feedback-report' ? 'complaint' : 'bounce',
    // The report's own delivery: the same report delivered again is recognised.
    notificationId: `${kind}-mail:${inboundMessageId}`,
    recipients: [...new Set(recipients)].slice(0, 20),
    messageIdHeader,
    ...(feedbackType ? { bounceType: singleLine(feedbackType, 40) } : {}),
    diagnostic: `a ${kind === 'feedback-report' ? 'complaint (feedback) report' : 'delivery status report'} mailed to the security address`,
    at: at.toISOString(),
  };
}
