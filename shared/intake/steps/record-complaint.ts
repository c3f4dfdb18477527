import type { InboundMail, MailDelivery } from '../../mail/inbound-mail';
import { deliveryProblemOf } from '../../outbound/delivery-report';
import type { IntakeDependencies } from '../intake-dependencies';

/**
 * After a `feedback-report` rejection: a complaint SES forwarded by mail (feedback forwarding,
 * should it be on) goes where the complaints SES publishes to the sending-events topic go: on
 * the case of the mail it names, told to the maintainers. Only SES's own, DKIM-verified,
 * report counts: anyone can write one.
 */
export async function recordComplaint(
  deps: Pick<IntakeDependencies, 'deliveryProblems'>,
  raw: Buffer,
  mail: InboundMail,
  delivery: MailDelivery,
): Promise<void> {
  const from = mail.from?.address.toLowerCase() ?? '';
  if (!/@(?:[a-z0-9-]+\.)*amazonses\.com$/.test(from) || delivery.verdicts.dkim !== 'PASS') return;
  const problem = await deliveryProblemOf(
    raw,
    'feedback-report',
    delivery.messageId,
    delivery.receivedAt,
  );
  if (problem) await deps.deliveryProblems.record(problem);
}
