import type { AdmissionScope } from './admission';

/** A message kept unread because its sender was over the limit; the raw mail stays stored. */
export interface CollectedMail {
  messageId: string;
  receivedAt: string;
  sender: string;
  /** As the sender wrote it, made one line (it is outside text, shown to maintainers). */
  subject: string;
  sizeBytes: number;
  /** Which limit refused it. */
  scope: AdmissionScope;
}

/**
 * The mail collected as flood, by UTC hour, for the hourly digest (DynamoDB in AWS). Intake
 * writes nothing here of its own: the inbound ledger's `flood` outcome is the record, so a
 * flood message costs no extra write.
 */
export interface FloodCollection {
  /** The mail received in the hour starting at `hourStart` (a whole UTC hour), oldest first. */
  inHour(hourStart: Date): Promise<CollectedMail[]>;
  /** Whether the digest of that hour went out: a run after that need not read the hour again. */
  isDigested(hourStart: Date): Promise<boolean>;
  markDigested(hourStart: Date): Promise<void>;
}

/** The UTC hour an instant falls in, as its ISO text up to the hour: 2026-12-01T10. */
export function hourOf(at: Date | string): string {
  return new Date(at).toISOString().slice(0, 13);
}
