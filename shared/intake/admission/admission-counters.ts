/** One count to take: `counter` names the sender (or domain) and the kind of mail counted. */
export interface CountRequest {
  counter: string;
  /** The delivery counted: the same delivery counted again (a retry) is not a second one. */
  messageId: string;
  limit: number;
  now: Date;
  /** The window starts with the first message counted and lasts this long. */
  windowMs: number;
}

export type CountResult =
  | { admitted: true; count: number }
  | {
      admitted: false;
      /** When the counter's window ends and the sender is read again. */
      windowEnd: string;
      /**
       * This delivery is the first over the limit in this window, and owns the one notice to
       * the sender (true again when the same delivery is retried, so the notice is not lost).
       */
      notify: boolean;
    };

/**
 * Counters of admitted mail per sender address and domain (DynamoDB in AWS): one conditional
 * update per message while under the limit, so that the check costs less than reading the mail.
 */
export interface AdmissionCounters {
  count(request: CountRequest): Promise<CountResult>;
  /**
   * The common case in one write: counts the delivery on every counter and claims its
   * fingerprint, when every counter is under its limit and has not counted it, and the
   * fingerprint is free. False, with nothing written, otherwise: the caller then counts and
   * claims one at a time, as `count` and the ledger's `claimFingerprint` do.
   */
  countAllAndClaim(requests: CountRequest[], claim: DeliveryClaim): Promise<boolean>;
}

/** A delivery's claim on its sender+Message-ID fingerprint (see the ledger's claimFingerprint). */
export interface DeliveryClaim {
  fingerprint: string;
  messageId: string;
}
