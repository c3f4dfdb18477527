import type { MailDelivery } from '../../mail/inbound-mail';
import { mimeLimitExceeded } from '../../mail/mime-limits';
import { boundedSender } from '../../mail/field-limits';
import type { RawMailMissingError, UnstorableValueError } from '../../errors';
import type { InboundOutcome } from '../inbound-ledger';
import type { IntakeDependencies } from '../intake-dependencies';
import { quarantineExplanations, type QuarantineReason } from '../quarantine';

type QuarantineDeps = Pick<IntakeDependencies, 'ledger' | 'log'>;

/** Records the delivery as quarantined (under the envelope sender: no header is trusted). */
async function quarantine(
  deps: QuarantineDeps,
  delivery: MailDelivery,
  reason: QuarantineReason,
  detail: Record<string, unknown> = {},
): Promise<InboundOutcome> {
  const outcome = { kind: 'quarantined', reason } as const;
  await deps.ledger.recordOutcome(
    {
      messageId: delivery.messageId,
      receivedAt: delivery.receivedAt.toISOString(),
      sender: boundedSender(delivery.envelopeFrom),
    },
    outcome,
  );
  deps.log.warn('intake.quarantined', {
    messageId: delivery.messageId,
    reason,
    explanation: quarantineExplanations[reason],
    ...detail,
  });
  return outcome;
}

/**
 * Step 1, before anything is parsed: mail whose structure is past the bounds is kept unread,
 * recorded as quarantined with its reason.
 */
export async function quarantineOversized(
  deps: QuarantineDeps,
  delivery: MailDelivery,
  raw: Buffer,
): Promise<InboundOutcome | undefined> {
  const reason = mimeLimitExceeded(raw);
  return reason ? quarantine(deps, delivery, reason) : undefined;
}

/**
 * A value DynamoDB cannot store, which no retry changes: the message is quarantined now, on
 * this first attempt, rather than retried into the dead-letter queue without an outcome.
 */
export function quarantineUnstorable(
  deps: QuarantineDeps,
  delivery: MailDelivery,
  err: UnstorableValueError,
): Promise<InboundOutcome> {
  return quarantine(deps, delivery, 'unstorable', {
    request: err.request,
    detail: err.detail.slice(0, 300),
  });
}

/**
 * Nothing stored under the event's id. SES's receipt rule stores the message before it invokes
 * intake, and S3 reads are strongly consistent, so no retry finds it: recorded now.
 */
export function quarantineMissing(
  deps: QuarantineDeps,
  delivery: MailDelivery,
  err: RawMailMissingError,
): Promise<InboundOutcome> {
  return quarantine(deps, delivery, 'raw-mail-missing', { detail: err.reason });
}
