import type { CaseId } from './case-id';
import type { DecryptionFailure, ReportContent, SignatureCheck } from './report-content';

export type CaseStatus = 'new' | 'triaged' | 'closed';

export type CaseEventType =
  | 'opened'
  | 'acknowledged'
  | 'follow-up'
  | 'forwarded'
  | 'undecryptable'
  | 'maintainer-key-unusable'
  | 'reporter-key';

/** One entry in a case's append-only history. `id` makes appending idempotent. */
export interface CaseEvent {
  id: string;
  at: string;
  type: CaseEventType;
  actor: string;
  summary: string;
  /** The stored raw message this event came from, if any (SES message id). */
  messageId?: string;
  /** For mail received: how it was encrypted and signed. */
  protection?: Protection;
}

/** How a message was protected: recorded per report and follow-up, never its content. */
export interface Protection {
  encryption: ReportContent['encryption'];
  failure?: DecryptionFailure;
  signatures: SignatureCheck[];
}

export interface ReporterKey {
  fingerprint: string;
  armored: string;
}

export interface CaseRecord {
  id: CaseId;
  status: CaseStatus;
  reporter: { address: string; name?: string };
  subject: string;
  receivedAt: string;
  /** When the 48-hour promise runs out. */
  ackDueAt: string;
  acknowledgedAt?: string;
  /** The stored raw report (SES message id; S3 key suffix). */
  reportMessageId: string;
  /** The report's own Message-ID header, for threading the acknowledgment. */
  reportMessageIdHeader?: string;
  /** Unguessable token in the reporter's Reply-To address. */
  reporterReplyToken: string;
  /** How the report itself was protected. */
  protection: Protection;
  /** Once known, every mail to the reporter is encrypted to this key. */
  reporterKey?: ReporterKey;
  history: CaseEvent[];
}
