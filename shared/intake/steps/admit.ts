import type { InboundMail, MailDelivery } from '../../mail/inbound-mail';
import { collectFlood, type FloodOutcome } from '../admission/flood-intake';
import { senderExemption } from '../admission/sender-exemption';
import type { IntakeDependencies } from '../intake-dependencies';

/** A delivery as the admission check counts it. */
export interface Arrival {
  delivery: MailDelivery;
  mail: InboundMail;
  sender: string;
  sizeBytes: number;
  /** Mail from a case's reporter is counted apart from new reports. */
  category: 'report' | 'follow-up';
}

type AdmitDependencies = Pick<IntakeDependencies, 'config' | 'clock' | 'log' | 'flood'>;

/** An authenticated exempt sender is not counted (sender-exemption.ts); a claimed one is. */
export function isExemptSender(deps: AdmitDependencies, { mail, delivery }: Arrival): boolean {
  const exemption = senderExemption(deps.config, mail, delivery);
  if (exemption.exempt)
    deps.log.info('intake.flood-exempt', {
      messageId: delivery.messageId,
      entry: exemption.entry,
    });
  else if (exemption.entry)
    deps.log.warn('intake.flood-exemption-refused', {
      messageId: delivery.messageId,
      entry: exemption.entry,
      reason: exemption.reason,
    });
  return exemption.exempt;
}

/**
 * Step 3: the admission check counts the mail per sender address and domain; mail over the limit
 * is collected for the hourly digest, unread (docs/flood.md). Undefined when it is let in.
 */
export async function admit(
  deps: AdmitDependencies,
  arrival: Arrival,
  exempt = isExemptSender(deps, arrival),
): Promise<FloodOutcome | undefined> {
  if (exempt) return undefined;
  const { delivery, sender } = arrival;
  const verdict = await deps.flood.admission.admit(
    sender,
    arrival.category,
    delivery.messageId,
    deps.clock.now(),
  );
  if (verdict.admitted) return undefined;
  return collectFlood(deps, { ...arrival, verdict });
}
