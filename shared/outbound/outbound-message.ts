import type { SentTo } from '../cases/thread-index';
import type { ReportAttachment } from '../reports/report-content';

/** A mail Embargo sends, before it is rendered as MIME. Plain data, so tests can read it. */
export interface OutboundMessage {
  /** Stable name of this mail within the system: a retry with the same key sends nothing new. */
  idempotencyKey: string;
  from: { address: string; name: string };
  to: { address: string; name?: string };
  replyTo?: string;
  subject: string;
  text: string;
  attachments?: ReportAttachment[];
  /** An iCalendar invite (RFC 5546), sent as a `text/calendar; method=…` part. */
  calendar?: CalendarPart;
  inReplyTo?: string;
  references?: string[];
  /** RFC 3834: marks machine-sent replies so other robots do not answer them. */
  autoSubmitted?: 'auto-replied' | 'auto-generated';
  caseId?: string;
  /**
   * Which party of the case `to` is (the thread index records it with the Message-ID, so that a
   * reply citing it counts as that party's only from that address). Case mail without it counts
   * as sent to someone outside the case.
   */
  party?: SentTo['party'];
  /**
   * Derived from the case (see message-id.ts), so every attempt sends the same one; needs
   * `caseId`. Without it the dispatcher picks one and claims it in the outbox ledger.
   */
  messageIdHeader?: string;
  /** Armored public key: the mail goes out as PGP/MIME encrypted to it alone, signed by the project. */
  encryptTo?: string;
}

export interface CalendarPart {
  method: 'REQUEST' | 'CANCEL';
  content: string;
}

/** The parts of a case mail that differ per mail; the mailer adds what every case mail carries. */
export interface CaseMail {
  key: string;
  subject: string;
  text: string;
  attachments?: OutboundMessage['attachments'];
  calendar?: CalendarPart;
  /** The Message-ID of the mail this answers, if any. */
  inReplyTo?: string;
  autoSubmitted?: OutboundMessage['autoSubmitted'];
}
