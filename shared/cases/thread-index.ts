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

/**
 * What Embargo sent, by Message-ID, which case each belongs to and which party it went to
 * (DynamoDB in AWS). It is also the record that a mail went out: a retry asks it before
 * sending again. A reply that names one of these Message-IDs and comes from the address it was
 * sent to is that party's reply (the Message-IDs are unguessable: outbound/message-id.ts).
 */
export interface ThreadIndex {
  /** Records that the mail went out for the case to this party; the first time recorded is kept. */
  recordSent(messageIdHeader: string, caseId: CaseId, at: string, sentTo: SentTo): Promise<void>;
  /** When the mail with this Message-ID went out, if it is recorded as sent. */
  sentAt(messageIdHeader: string): Promise<string | undefined>;
  /** Which of these Message-IDs Embargo sent, the last named first. */
  findSent(messageIdHeaders: string[]): Promise<SentMail[]>;
  /** The party of a reply token made before tokens named their case (each has its own item). */
  findByLegacyReplyToken(token: string): Promise<ReplyParty | undefined>;
}
