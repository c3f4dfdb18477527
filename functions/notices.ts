import type { EmbargoServices } from '../shared/wiring/embargo-services';
import type { NoticeOutcome } from '../shared/notices/notice-service';
import { parseNoticeTrigger } from '../shared/events/notice-trigger-event';
import { jsonLogger } from '../shared/logging/json-logger';
import type { Logger } from '../shared/logging/logger';
import { awsNoticeServices } from './aws-runtime';
import { deadlineOf, type InvocationContext } from './invocation-context';
import { refusedInput, type RefusedInput } from './refused-input';

/**
 * A notice schedule fired → send that notice. Idempotent, so the scheduler may retry. A trigger
 * no retry can handle (its shape, a case the table can no longer store) is refused at once.
 */
export function noticesHandler(
  services: () => Pick<EmbargoServices, 'notices'>,
  log: Logger = jsonLogger(),
) {
  return async (
    event: unknown,
    context?: InvocationContext,
  ): Promise<NoticeOutcome | RefusedInput> => {
    const { notices } = services();
    try {
      return await notices.fire(parseNoticeTrigger(event), deadlineOf(context));
    } catch (err) {
      return refusedInput(err, log, { function: 'notices' });
    }
  };
}

export const handler = noticesHandler(awsNoticeServices);
