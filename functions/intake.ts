import type { EmbargoServices } from '../shared/wiring/embargo-services';
import { parseSesReceiptEvent } from '../shared/events/ses-receipt-event';
import type { InboundOutcome } from '../shared/intake/inbound-ledger';
import { awsIntakeServices } from './aws-runtime';
import { deadlineOf, type InvocationContext } from './invocation-context';

/**
 * SES receipt rule → intake. Throws on failure so that the invoker retries the (idempotent)
 * operation. The local runtime calls the same function with its own services.
 */
export function intakeHandler(services: () => Pick<EmbargoServices, 'intake'>) {
  return async (event: unknown, context?: InvocationContext): Promise<InboundOutcome[]> => {
    const { intake } = services();
    const outcomes: InboundOutcome[] = [];
    for (const delivery of parseSesReceiptEvent(event))
      outcomes.push(await intake.receive(delivery, deadlineOf(context)));
    return outcomes;
  };
}

export const handler = intakeHandler(awsIntakeServices);
