import { senderOf, type InboundMail, type MailDelivery } from '../../mail/inbound-mail';
import { boundedSender } from '../../mail/field-limits';
import type { InboundOutcome, InboundRecord } from '../inbound-ledger';
import type { IntakeDependencies } from '../intake-dependencies';

/** What the ledger records of a delivery besides its outcome, once its header block is read. */
export type LedgerEntry = Omit<InboundRecord, 'reservedCaseId' | 'outcome'>;

export function ledgerEntry(delivery: MailDelivery, mail: InboundMail): LedgerEntry {
  return {
    messageId: delivery.messageId,
    receivedAt: delivery.receivedAt.toISOString(),
    sender: boundedSender(senderOf(mail, delivery)),
  };
}

/** The last step of every delivery: its outcome recorded (which ends the hold) and logged. */
export async function recordOutcome(
  deps: Pick<IntakeDependencies, 'ledger' | 'log'>,
  entry: LedgerEntry,
  outcome: InboundOutcome,
): Promise<InboundOutcome> {
  await deps.ledger.recordOutcome(entry, outcome);
  deps.log.info('intake.outcome', { messageId: entry.messageId, sender: entry.sender, ...outcome });
  return outcome;
}
