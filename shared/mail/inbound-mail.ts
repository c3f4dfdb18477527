/** What intake needs to know of a received message, taken from the MIME headers. */
export interface InboundMail {
  /** The From mailbox, only when the header passed the strict check (addresses/from-header.ts). */
  from?: { address: string; name?: string };
  /** A From header that did not pass it: what it said (one line) and why it was refused. */
  fromRefused?: { text: string; reason: string };
  subject: string;
  messageIdHeader?: string;
  inReplyTo?: string;
  references: string[];
  /** Lower-cased header names mapped to their raw (unfolded) values. */
  headers: ReadonlyMap<string, string>;
  contentType: string;
}

/** How the mail reached us: the SMTP envelope and the receiving service's verdicts. */
export interface MailDelivery {
  /** The receiving service's id for this delivery; the raw message is stored under it. */
  messageId: string;
  receivedAt: Date;
  envelopeFrom: string;
  recipients: string[];
  verdicts: { spam: Verdict; virus: Verdict; dkim: Verdict; dmarc: Verdict };
}

/** SES's verdict values. Locally there are none: spam and virus count as PASS, DKIM and DMARC as GRAY. */
export type Verdict = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

/**
 * Who a mail is from, as intake records and routes it: the checked From mailbox; a refused
 * From header's text (which matches no party and gets no mail); else the envelope sender.
 */
export function senderOf(mail: InboundMail, delivery: MailDelivery): string {
  return mail.from?.address ?? mail.fromRefused?.text ?? delivery.envelopeFrom;
}
