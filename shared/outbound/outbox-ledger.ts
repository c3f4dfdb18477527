export interface OutboxEntry {
  key: string;
  /** Chosen on first claim and reused by retries, so a resend is recognisably the same mail. */
  messageIdHeader: string;
  sentAt?: string;
  /** The Message-ID recipients saw (SES's), recorded with `sentAt`. */
  deliveredAs?: string;
}

/** Remembers which mails were sent, so retried work sends nothing twice (DynamoDB in AWS). */
export interface OutboxLedger {
  /** Returns the existing entry for the key, or stores and returns a new one. */
  claim(key: string, messageIdHeader: string): Promise<OutboxEntry>;
  markSent(key: string, at: string, deliveredAs: string): Promise<void>;
}
