/** How an actor was authenticated for an event. */
export type Authentication =
  | { method: 'pgp-signature'; fingerprint: string }
  | { method: 'dkim-dmarc' }
  | { method: 'reply-token' }
  /** Unsigned, but an answer to mail Embargo sent to that address (threads/thread-router.ts). */
  | { method: 'thread-reference' }
  /** The admin CLI: the local user, or in AWS the caller's ARN (STS GetCallerIdentity). */
  | { method: 'cli'; caller: string }
  | { method: 'system' }
  | { method: 'none' };
