import type { InboundMail, MailDelivery } from '../mail/inbound-mail';
import { isOwnAddress } from '../addresses/security-address';
import { reportKindOf } from '../outbound/delivery-report';

/** Why a message gets no acknowledgment. Each reason is kept with the raw message. */
export type RejectionReason =
  | 'virus'
  | 'spam'
  | 'bounce'
  | 'feedback-report'
  | 'auto-submitted'
  | 'bulk-or-list'
  | 'from-security-address'
  | 'no-sender';

export type Classification = { kind: 'report' } | { kind: 'rejected'; reason: RejectionReason };

export const rejectionExplanations: Record<RejectionReason, string> = {
  virus: 'the receiving service found a virus',
  spam: 'the receiving service marked it as spam',
  bounce: 'it is a bounce (null sender or delivery status report)',
  'feedback-report':
    'it is a complaint (feedback) report about mail Embargo sent, such as SES forwards; see the case history for the complaint',
  'auto-submitted': 'it was sent automatically (Auto-Submitted or auto-reply headers)',
  'bulk-or-list': 'it is bulk or mailing-list mail (Precedence or List-* headers)',
  'from-security-address': 'it claims to come from the security address itself (a mail loop)',
  'no-sender': 'it has no usable From address to acknowledge',
};

const BULK_PRECEDENCE = new Set(['bulk', 'list', 'junk']);
const LIST_HEADERS = ['list-id', 'list-unsubscribe', 'list-post'];
const AUTO_REPLY_HEADERS = ['x-autoreply', 'x-autorespond', 'x-auto-response-suppress'];

function isBounce(mail: InboundMail, delivery: MailDelivery): boolean {
  const envelope = delivery.envelopeFrom.trim().replace(/^<|>$/g, '');
  if (envelope === '' || /^mailer-daemon@/i.test(envelope)) return true;
  return reportKindOf(mail.contentType) === 'delivery-status';
}

/**
 * Decides whether a message is a report to acknowledge. Order matters: verdicts and loops
 * first, so that no automatic mail ever answers another automatic mail.
 */
export function classifyInbound(
  mail: InboundMail,
  delivery: MailDelivery,
  securityAddress: string,
): Classification {
  const reject = (reason: RejectionReason): Classification => ({ kind: 'rejected', reason });
  if (delivery.verdicts.virus === 'FAIL') return reject('virus');
  if (delivery.verdicts.spam === 'FAIL') return reject('spam');
  // Mail about mail opens no case and gets no answer, whoever sent it.
  if (reportKindOf(mail.contentType) === 'feedback-report') return reject('feedback-report');
  if (isBounce(mail, delivery)) return reject('bounce');

  const autoSubmitted = mail.headers.get('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return reject('auto-submitted');
  if (AUTO_REPLY_HEADERS.some((h) => mail.headers.has(h))) return reject('auto-submitted');

  const precedence = mail.headers.get('precedence')?.trim().toLowerCase();
  if (precedence && BULK_PRECEDENCE.has(precedence)) return reject('bulk-or-list');
  if (LIST_HEADERS.some((h) => mail.headers.has(h))) return reject('bulk-or-list');

  // A From that fails the strict check still opens a case (without acknowledgment): see senderOf.
  if (!mail.from && !mail.fromRefused) return reject('no-sender');
  if (mail.from && isOwnAddress(mail.from.address, securityAddress))
    return reject('from-security-address');
  if (isOwnAddress(delivery.envelopeFrom, securityAddress)) return reject('from-security-address');
  return { kind: 'report' };
}
