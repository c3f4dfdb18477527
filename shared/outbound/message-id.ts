import { createHmac, randomBytes } from 'node:crypto';

/** A secret for a new case, from which the Message-IDs of its mails are derived. */
export function newMessageIdKey(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The Message-ID of a case mail: an HMAC of the mail's idempotency key under the case's secret.
 * Unguessable (a reply naming it finds the case), and the same on every retry without asking
 * the table which one an earlier attempt chose.
 */
export function derivedMessageId(messageIdKey: string, idempotencyKey: string, domain: string) {
  const digest = createHmac('sha256', messageIdKey).update(idempotencyKey).digest('hex');
  return `<${digest.slice(0, 32)}@${domain}>`;
}

/** A fresh random Message-ID, for mail whose case has no Message-ID secret. */
export function randomMessageId(domain: string): string {
  return `<${randomBytes(16).toString('hex')}@${domain}>`;
}

/**
 * Whether a Message-ID has the shape of those above for this domain. Only such ids can be in the
 * thread index, so others need no look-up there (an inbound mail's id usually has another shape).
 */
export function hasOwnMessageIdShape(messageIdHeader: string, domain: string): boolean {
  const match = /^<([0-9a-f]{32})@([^<>@\s]+)>$/i.exec(messageIdHeader.trim());
  return !!match && match[2]!.toLowerCase() === domain.toLowerCase();
}
