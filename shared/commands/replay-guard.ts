/** Remembers signed command mails, so a signature is honoured once (DynamoDB in AWS). */
export interface ReplayGuard {
  /**
   * Claims a signature for a delivery. Returns the message id that owns it: the caller's own on
   * first sight, an earlier delivery's for a replay.
   */
  claimSignature(signatureId: string, messageId: string): Promise<string>;
}
