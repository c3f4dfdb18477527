import type { EmbargoConfig } from '../../config/embargo-config';
import type { InboundMail, MailDelivery } from '../../mail/inbound-mail';
import type { InboundOutcome } from '../inbound-ledger';
import type { IntakeDependencies } from '../intake-dependencies';
import { classifyInbound, rejectionExplanations } from '../mail-classification';

export type UpstreamSender = EmbargoConfig['upstreamSenders'][number];

/** A rejection to record, or the mail goes on (as an upstream announcement, if it is one). */
export type Classified =
  | { rejected: Extract<InboundOutcome, { kind: 'rejected' }>; upstream?: undefined }
  | { rejected?: undefined; upstream?: UpstreamSender };

/**
 * Announcements from configured upstream senders (a bundled library's advisories) open an
 * upstream case even though they come from a list. Virus and spam verdicts still apply.
 */
function upstreamSender(config: EmbargoConfig, mail: InboundMail, delivery: MailDelivery) {
  if (delivery.verdicts.virus === 'FAIL' || delivery.verdicts.spam === 'FAIL') return undefined;
  const from = mail.from?.address.toLowerCase();
  return config.upstreamSenders.find((u) => u.address.toLowerCase() === from);
}

/** Step 2: mail that is no report (bounces, lists, auto-replies, failed verdicts) is rejected. */
export function classify(
  deps: Pick<IntakeDependencies, 'config' | 'log'>,
  mail: InboundMail,
  delivery: MailDelivery,
): Classified {
  const upstream = upstreamSender(deps.config, mail, delivery);
  if (upstream) return { upstream };
  const classification = classifyInbound(mail, delivery, deps.config.securityAddress);
  if (classification.kind !== 'rejected') return {};
  deps.log.warn('intake.rejected', {
    messageId: delivery.messageId,
    reason: classification.reason,
    explanation: rejectionExplanations[classification.reason],
  });
  return { rejected: { kind: 'rejected', reason: classification.reason } };
}
