import type { CaseId } from './case-id';

export type ReplyParty =
  { caseId: CaseId; party: 'reporter' } | { caseId: CaseId; party: 'maintainer'; address: string };

/**
 * Who a mail Embargo sent went to: the case's reporter, one maintainer, or someone outside the
 * case (a distributor, the announce list, a non-party told that commands are refused).
 */
export interface SentTo {
  party: 'reporter' | 'maintainer' | 'other';
  /** The recipient's address, lower-cased. */
  address: string;
}

/** A Message-ID Embargo sent. Items recorded before recipients were recorded have no `sentTo`. */
export interface SentMail {
  messageIdHeader: string;
  caseId: CaseId;
  sentTo?: SentTo;
}

/** That a mail went out, as the thread index recorded it. */
export interface SentRecord {
  sentAt: string;
  /** The Message-ID recipients saw (SES's); absent in records from before it was recorded. */
  deliveredAs?: string;
}

/**
 * What Embargo sent, by Message-ID, which case each belongs to and which party it went to
 * (DynamoDB in AWS). Each mail is recorded under the Message-ID Embargo gave it, which is also
 * the record that it went out (a retry asks before sending again), and under the one SES
 * replaced it with, which is the one replies cite. A reply that names one of these Message-IDs
 * and comes from the address it was sent to is that party's reply (docs/architecture.md, "Who
 * a reply is from").
 */
export interface ThreadIndex {
  /**
   * Records that the mail went out for the case to this party, under Embargo's Message-ID and
   * under `deliveredAs`, the one recipients see (recording the same mail again rewrites it).
   */
  recordSent(
    messageIdHeader: string,
    caseId: CaseId,
    at: string,
    sentTo: SentTo,
    deliveredAs?: string,
  ): Promise<void>;
  /** Whether (and when, and as what) the mail with Embargo's Message-ID went out. */
  sent(messageIdHeader: string): Promise<SentRecord | undefined>;
  /** Which of these Message-IDs Embargo sent, the last named first. */
  findSent(messageIdHeaders: string[]): Promise<SentMail[]>;
  /** The party of a reply token made before tokens named their case (each has its own item). */
  findByLegacyReplyToken(token: string): Promise<ReplyParty | undefined>;
}
