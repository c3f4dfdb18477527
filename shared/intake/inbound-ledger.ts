import type { CaseId } from '../cases/case-id';
import type { CaseRecord } from '../cases/case-record';
import type { RejectionReason } from './mail-classification';
import type { QuarantineReason } from './quarantine';
import type { FloodOutcome } from './admission/flood-intake';

export type InboundOutcome =
  | { kind: 'case'; caseId: CaseId }
  | { kind: 'follow-up'; caseId: CaseId }
  | { kind: 'duplicate'; duplicateOf: string }
  | { kind: 'rejected'; reason: RejectionReason }
  | { kind: 'quarantined'; reason: QuarantineReason }
  | FloodOutcome;

/** What became of one delivered message; the raw message itself stays in the raw-mail store. */
export interface InboundRecord {
  messageId: string;
  receivedAt: string;
  sender: string;
  /** Set once a case id has been reserved for this message, so a retry reuses it. */
  reservedCaseId?: CaseId;
  outcome?: InboundOutcome;
}

/** What an invocation finds when it takes a delivery. */
export type TakenDelivery = Pick<InboundRecord, 'reservedCaseId' | 'outcome'>;

/** The record of every delivered message and its outcome (DynamoDB in AWS). */
export interface InboundLedger {
  get(messageId: string): Promise<InboundRecord | undefined>;
  /**
   * Takes a delivery for one invocation (`holder`) until `until`, so that two invocations of the
   * same event cannot both send its mail. Returns what is recorded so far; with an outcome, the
   * delivery is done and nothing is taken. Throws DeliveryInProgressError while another holder's
   * time has not passed at `now`.
   */
  take(messageId: string, holder: string, now: Date, until: Date): Promise<TakenDelivery>;
  /** Gives up a delivery `holder` took (after a failure, so that the retry need not wait). */
  release(messageId: string, holder: string): Promise<void>;
  /**
   * Claims a sender+Message-ID fingerprint for a delivery. Returns the message id that owns it:
   * the caller's own on first sight, an earlier delivery's for a duplicate.
   */
  claimFingerprint(fingerprint: string, messageId: string): Promise<string>;
  /** Reserves a case id for the message unless one is reserved; returns the reserved id. */
  reserveCaseId(record: Omit<InboundRecord, 'outcome'>, caseId: CaseId): Promise<CaseId>;
  /**
   * The common case of a new report in one write: reserves `opened.id` for the message and
   * writes the case, when the message has no reservation and no case has that id. Returns the
   * case as stored; undefined, with nothing written, otherwise (then `reserveCaseId` and the
   * case repository's `createIfAbsent` decide, one at a time).
   */
  reserveAndOpen(
    record: Omit<InboundRecord, 'outcome'>,
    opened: CaseRecord,
  ): Promise<CaseRecord | undefined>;
  /** Records the outcome, which also ends any invocation's hold on the delivery. */
  recordOutcome(
    record: Omit<InboundRecord, 'reservedCaseId'>,
    outcome: InboundOutcome,
  ): Promise<void>;
  /** Newest first. */
  list(): Promise<InboundRecord[]>;
}
