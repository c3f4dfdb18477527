import type { CaseId } from './case-id';

export type ReplyParty =
  { caseId: CaseId; party: 'reporter' } | { caseId: CaseId; party: 'maintainer'; address: string };

/**
 * What Embargo sent, by Message-ID, and which case each belongs to (DynamoDB in AWS). It is
 * also the record that a mail went out: a retry asks it before sending again.
 */
export interface ThreadIndex {
  /** Records that the mail went out for the case; the first time recorded is kept. */
  recordSent(messageIdHeader: string, caseId: CaseId, at: string): Promise<void>;
  /** When the mail with this Message-ID went out, if it is recorded as sent. */
  sentAt(messageIdHeader: string): Promise<string | undefined>;
  /** The case of the first of these Message-IDs that Embargo sent, if any. */
  findCase(messageIdHeaders: string[]): Promise<CaseId | undefined>;
  /** The party of a reply token made before tokens named their case (each has its own item). */
  findByLegacyReplyToken(token: string): Promise<ReplyParty | undefined>;
}
