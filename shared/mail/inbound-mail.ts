/** What intake needs to know of a received message, taken from the MIME headers. */
export interface InboundMail {
  from?: { address: string; name?: string };
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
