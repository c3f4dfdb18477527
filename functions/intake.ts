import type { EmbargoServices } from '../shared/wiring/embargo-services';
import { parseSesReceiptEvent } from '../shared/events/ses-receipt-event';
import type { InboundOutcome } from '../shared/intake/inbound-ledger';
import { awsIntakeServices } from './aws-runtime';
import { deadlineOf, type InvocationContext } from './invocation-context';

/**
 * SES receipt rule → intake. Throws on failure so that the invoker retries the (idempotent)
 * operation. With Lambda's context, an event whose receipt rule action names another function
 * is refused (assertFromReceiptRule). The local runtime calls the same function with its own
 * services and no context.
 */
export function intakeHandler(services: () => Pick<EmbargoServices, 'intake'>) {
  return async (event: unknown, context?: InvocationContext): Promise<InboundOutcome[]> => {
    const { intake } = services();
    const outcomes: InboundOutcome[] = [];
    // In AWS, only an event the receipt rule made for this very function is taken.
    for (const delivery of parseSesReceiptEvent(event, context?.invokedFunctionArn))
      outcomes.push(await intake.receive(delivery, deadlineOf(context)));
    return outcomes;
  };
}

export const handler = intakeHandler(awsIntakeServices);
