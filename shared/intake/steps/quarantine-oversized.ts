import type { MailDelivery } from '../../mail/inbound-mail';
import { mimeLimitExceeded } from '../../mail/mime-limits';
import type { InboundOutcome } from '../inbound-ledger';
import type { IntakeDependencies } from '../intake-dependencies';
import { quarantineExplanations } from '../quarantine';

/**
 * Step 1, before anything is parsed: mail whose structure is past the bounds is kept unread,
 * recorded as quarantined with its reason (under the envelope sender: no header is read).
 */
export async function quarantineOversized(
  deps: Pick<IntakeDependencies, 'ledger' | 'log'>,
  delivery: MailDelivery,
  raw: Buffer,
): Promise<InboundOutcome | undefined> {
  const reason = mimeLimitExceeded(raw);
  if (!reason) return undefined;
  const outcome = { kind: 'quarantined', reason } as const;
  await deps.ledger.recordOutcome(
    {
      messageId: delivery.messageId,
      receivedAt: delivery.receivedAt.toISOString(),
      sender: delivery.envelopeFrom,
    },
    outcome,
  );
  deps.log.warn('intake.quarantined', {
    messageId: delivery.messageId,
    reason,
    explanation: quarantineExplanations[reason],
  });
  return outcome;
}
