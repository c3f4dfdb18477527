import type { CaseId } from '../domain/case-id';
import type { CaseRecord, CaseUpdate } from '../domain/case-record';

export type ReplyParty =
  { caseId: CaseId; party: 'reporter' } | { caseId: CaseId; party: 'maintainer'; address: string };

/** Case state (DynamoDB in AWS). Every write is idempotent so intake can be retried. */
export interface CaseRepository {
  /** Atomically hands out the next case sequence number for a year. */
  nextSequence(year: number): Promise<number>;
  /** Stores the case unless one with its id exists; returns the stored case either way. */
  createIfAbsent(record: CaseRecord): Promise<CaseRecord>;
  get(id: CaseId): Promise<CaseRecord | undefined>;
  /** Newest first. */
  list(): Promise<CaseRecord[]>;
  /** Cases received at or after `since` (ISO 8601), newest first: a bounded read for periodic jobs. */
  listReceivedSince(since: string): Promise<CaseRecord[]>;
  /**
   * Reads the case, asks `decide` for a change, and writes it atomically if the case did not
   * change meanwhile (else reads and decides again). `decide` returns undefined for no change,
   * which is how retried work stays idempotent. Events are hash-chained on write.
   */
  update(id: CaseId, decide: (current: CaseRecord) => CaseUpdate | undefined): Promise<CaseRecord>;
  /** Registers a reply token for a party of a case. */
  saveReplyToken(token: string, party: ReplyParty): Promise<void>;
  findByReplyToken(token: string): Promise<ReplyParty | undefined>;
}
