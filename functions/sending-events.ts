import type { EmbargoServices } from '../shared/wiring/embargo-services';
import type { DeliveryProblemOutcome } from '../shared/outbound/delivery-problems';
import { sesNotificationRecords } from '../shared/events/ses-notification-event';
import { jsonLogger } from '../shared/logging/json-logger';
import type { Logger } from '../shared/logging/logger';
import { awsDeliveryProblemServices } from './aws-runtime';
import { refusedInput, type RefusedInput } from './refused-input';

/**
 * SES reported a bounce, complaint, rejection or delay of a mail Embargo sent (through the
 * configuration set's SNS topic) → record it on the case and tell the maintainers. Idempotent,
 * so SNS and Lambda may deliver the same notification again. A record no retry can handle (its
 * shape, a value the table cannot store) is refused on the first attempt, the others handled.
 */
export function sendingEventsHandler(
  services: () => Pick<EmbargoServices, 'deliveryProblems'>,
  log: Logger = jsonLogger(),
) {
  return async (event: unknown): Promise<(DeliveryProblemOutcome | RefusedInput)[]> => {
    // Built first, so that a bad environment shows as such rather than as a bad event.
    const { deliveryProblems } = services();
    const refused = (err: unknown, record?: number) =>
      refusedInput(err, log, {
        function: 'sending-events',
        ...(record === undefined ? {} : { record }),
      });
    let records;
    try {
      records = sesNotificationRecords(event);
    } catch (err) {
      return [refused(err)];
    }
    const outcomes: (DeliveryProblemOutcome | RefusedInput)[] = [];
    for (const [index, problem] of records.entries()) {
      try {
        outcomes.push(await deliveryProblems.record(problem()));
      } catch (err) {
        outcomes.push(refused(err, index));
      }
    }
    return outcomes;
  };
}

export const handler = sendingEventsHandler(awsDeliveryProblemServices);
