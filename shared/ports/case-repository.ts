import type { CaseId } from '../domain/case-id';
import type { CaseEvent, CaseRecord, ReporterKey } from '../domain/case-record';

/** Case state (DynamoDB in AWS). Every write is idempotent so intake can be retried. */
export interface CaseRepository {
  /** Atomically hands out the next case sequence number for a year. */
  nextSequence(year: number): Promise<number>;
  /** Stores the case unless one with its id exists; returns the stored case either way. */
  createIfAbsent(record: CaseRecord): Promise<CaseRecord>;
  get(id: CaseId): Promise<CaseRecord | undefined>;
  /** Newest first. */
  list(): Promise<CaseRecord[]>;
  /** Appends to the history unless an event with the same id is there already. */
  appendEvent(id: CaseId, event: CaseEvent): Promise<void>;
  markAcknowledged(id: CaseId, at: string): Promise<void>;
  setReporterKey(id: CaseId, key: ReporterKey): Promise<void>;
  /** Which case a reply token belongs to. */
  findByReplyToken(token: string): Promise<CaseId | undefined>;
}
