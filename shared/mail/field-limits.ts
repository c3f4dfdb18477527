/**
 * Bounds on values read from inbound mail before they reach a table key or item. DynamoDB
 * refuses a partition key over 2,048 bytes, a sort key over 1,024 and an item over 400 KB
 * (adapters/dynamodb/limits/key-limits.ts), and no retry changes that; mail itself has no such bounds
 * within its 64 KB of headers (mime-limits.ts). RFC 5322 allows a header line of 998
 * characters, and RFC 5321 a path of 256 octets, so nothing longer is ordinary mail.
 */
export const MAIL_FIELD_LIMITS = {
  /** RFC 5322's line length: a Message-ID cannot be longer and still sit on its header line. */
  messageIdChars: 998,
  /** The subject as a case keeps it. */
  subjectChars: 998,
  /** An address (RFC 5321's 256-octet path, with room for a display form). */
  addressChars: 320,
  /** How many cited Message-IDs are kept (only the newest matter for threading). */
  references: 100,
} as const;

/** A Message-ID, or nothing when it is longer than any mail can carry on one line. */
export function boundedMessageId(id: string | undefined): string | undefined {
  return id !== undefined && id.length <= MAIL_FIELD_LIMITS.messageIdChars ? id : undefined;
}

/** The cited Message-IDs that fit the bound, the newest `references` of them. */
export function boundedReferences(ids: string[]): string[] {
  return ids
    .filter((id) => id.length <= MAIL_FIELD_LIMITS.messageIdChars)
    .slice(-MAIL_FIELD_LIMITS.references);
}

/** A subject, cut to the length a case keeps. */
export function boundedSubject(subject: string): string {
  return subject.length > MAIL_FIELD_LIMITS.subjectChars
    ? `${subject.slice(0, MAIL_FIELD_LIMITS.subjectChars)}…`
    : subject;
}

/** A sender address as the ledger and the flood counters key it. */
export function boundedSender(address: string): string {
  return address.slice(0, MAIL_FIELD_LIMITS.addressChars);
}
