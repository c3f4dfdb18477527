import type { EmbargoServices } from '../shared/wiring/embargo-services';
import type { DeliveryProblemOutcome } from '../shared/outbound/delivery-problems';
import { parseSesNotificationEvent } from '../shared/events/ses-notification-event';
import { awsDeliveryProblemServices } from './aws-runtime';

/**
 * SES reported a bounce, complaint, rejection or delay of a mail Embargo sent (through the
 * configuration set's SNS topic) → record it on the case and tell the maintainers. Idempotent,
 * so SNS and Lambda may deliver the same notification again.
 */
export function sendingEventsHandler(services: () => Pick<EmbargoServices, 'deliveryProblems'>) {
  return async (event: unknown): Promise<DeliveryProblemOutcome[]> => {
    // Built first, so that a bad environment shows as such rather than as a bad event.
    const { deliveryProblems } = services();
    const outcomes: DeliveryProblemOutcome[] = [];
    for (const problem of parseSesNotificationEvent(event)) {
      outcomes.push(await deliveryProblems.record(problem));
    }
    return outcomes;
  };
}

export const handler = sendingEventsHandler(awsDeliveryProblemServices);
