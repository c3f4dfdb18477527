import type { EmbargoServices } from '../shared/embargo-services';
import { parseSesReceiptEvent } from '../shared/events/ses-receipt-event';
import type { InboundOutcome } from '../shared/ports/inbound-ledger';
import { awsIntakeServices } from './aws-runtime';
import type { InvocationContext } from './invocation-context';

/**
 * SES receipt rule → intake. Throws on failure so that the invoker retries the (idempotent)
 * operation. The local runtime calls the same function with its own services.
 */
export function intakeHandler(services: () => Pick<EmbargoServices, 'intake'>) {
  return async (event: unknown, context?: InvocationContext): Promise<InboundOutcome[]> => {
    const { intake } = services();
    const deadline = context && new Date(Date.now() + context.getRemainingTimeInMillis());
    const outcomes: InboundOutcome[] = [];
    for (const delivery of parseSesReceiptEvent(event))
      outcomes.push(await intake.receive(delivery, deadline ? { deadline } : {}));
    return outcomes;
  };
}

export const handler = intakeHandler(awsIntakeServices);
