import type { CaseId } from '../domain/case-id';
import type { RejectionReason } from '../domain/mail-classification';
import type { QuarantineReason } from '../mail/mime-limits';

export type InboundOutcome =
  | { kind: 'case'; caseId: CaseId }
  | { kind: 'follow-up'; caseId: CaseId }
  | { kind: 'duplicate'; duplicateOf: string }
  | { kind: 'rejected'; reason: RejectionReason }
  | { kind: 'quarantined'; reason: QuarantineReason };

/** What became of one delivered message; the raw message itself stays in the raw-mail store. */
export interface InboundRecord {
  messageId: string;
  receivedAt: string;
  sender: string;
  /** Set once a case id has been reserved for this message, so a retry reuses it. */
  reservedCaseId?: CaseId;
  outcome?: InboundOutcome;
}

/** The record of every delivered message and its outcome (DynamoDB in AWS). */
export interface InboundLedger {
  get(messageId: string): Promise<InboundRecord | undefined>;
  /**
   * Claims a sender+Message-ID fingerprint for a delivery. Returns the message id that owns it:
   * the caller's own on first sight, an earlier delivery's for a duplicate.
   */
  claimFingerprint(fingerprint: string, messageId: string): Promise<string>;
  /** Reserves a case id for the message unless one is reserved; returns the reserved id. */
  reserveCaseId(record: Omit<InboundRecord, 'outcome'>, caseId: CaseId): Promise<CaseId>;
  recordOutcome(
    record: Omit<InboundRecord, 'reservedCaseId'>,
    outcome: InboundOutcome,
  ): Promise<void>;
  /** Newest first. */
  list(): Promise<InboundRecord[]>;
}
