import type { CaseId } from './case-id';
import type { CaseRecord, CaseUpdate } from './case-record';
import type { ComparedCase } from './compared-case';

/** Case state (DynamoDB in AWS). Every write is idempotent so intake can be retried. */
export interface ReceivedRange {
  from?: string;
  before?: string;
}

export interface CaseRepository {
  /** Atomically hands out the next case sequence number for a year. */
  nextSequence(year: number): Promise<number>;
  /**
   * Stores the case unless one with its id exists; returns the stored case either way, and
   * whether this call created it (then nothing about the case can have been sent yet).
   */
  createIfAbsent(record: CaseRecord): Promise<{ record: CaseRecord; created: boolean }>;
  get(id: CaseId): Promise<CaseRecord | undefined>;
  /** Newest first. */
  list(): Promise<CaseRecord[]>;
  /**
   * Every case, newest first, with only the fields duplicate detection compares: a read made
   * for each new report, so it carries no history.
   */
  listCompared(): Promise<ComparedCase[]>;
  /**
   * Cases received at or after `from` and before `before` (ISO 8601 instants; an end not given
   * is open), newest first: the read itself is bounded, for periodic jobs and statistics.
   */
  listReceived(range: ReceivedRange): Promise<CaseRecord[]>;
  /**
   * The cases waiting for the CVE id GitHub was asked for (`awaitsCveId` in awaiting-cve.ts),
   * however old: read from a list of just those cases, not by reading every case.
   */
  listAwaitingCve(): Promise<CaseRecord[]>;
  /**
   * Asks `decide` for a change to the case and writes it atomically if the case did not change
   * meanwhile (else reads and decides again). Given a record rather than an id, the first
   * decision is made on that record without reading the case: pass the record a caller just got
   * back from a write. `decide` returns undefined for no change, which is how retried work stays
   * idempotent. Events are hash-chained and appended; earlier history is never rewritten.
   */
  update(
    target: CaseId | CaseRecord,
    decide: (current: CaseRecord) => CaseUpdate | undefined,
  ): Promise<CaseRecord>;
}
