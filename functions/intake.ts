import type { EmbargoServices } from '../shared/wiring/embargo-services';
import { parseSesReceiptEvent } from '../shared/events/ses-receipt-event';
import type { InboundOutcome } from '../shared/intake/inbound-ledger';
import { jsonLogger } from '../shared/logging/json-logger';
import type { Logger } from '../shared/logging/logger';
import { awsIntakeServices } from './aws-runtime';
import { deadlineOf, type InvocationContext } from './invocation-context';
import { refusedInput, type RefusedInput } from './refused-input';

/**
 * SES receipt rule → intake. Throws on failure so that the invoker retries the (idempotent)
 * operation; an event no retry can change is refused at once (the delivery service itself
 * records unstorable mail as an outcome). With Lambda's context, an event whose receipt rule
 * action names another function is refused (assertFromReceiptRule). The local runtime calls the
 * same function with its own services and no context.
 */
export function intakeHandler(
  services: () => Pick<EmbargoServices, 'intake'>,
  log: Logger = jsonLogger(),
) {
  return async (
    event: unknown,
    context?: InvocationContext,
  ): Promise<InboundOutcome[] | [RefusedInput]> => {
    const { intake } = services();
    let deliveries;
    try {
      // In AWS, only an event the receipt rule made for this very function is taken.
      deliveries = parseSesReceiptEvent(event, context?.invokedFunctionArn);
    } catch (err) {
      return [refusedInput(err, log, { function: 'intake' })];
    }
    const outcomes: InboundOutcome[] = [];
    for (const delivery of deliveries)
      outcomes.push(await intake.receive(delivery, deadlineOf(context)));
    return outcomes;
  };
}

export const handler = intakeHandler(awsIntakeServices);
