import type { EmbargoServices } from '../shared/wiring/embargo-services';
import type { NoticeOutcome } from '../shared/notices/notice-service';
import { parseNoticeTrigger } from '../shared/events/notice-trigger-event';
import { awsNoticeServices } from './aws-runtime';
import { deadlineOf, type InvocationContext } from './invocation-context';

/** A notice schedule fired → send that notice. Idempotent, so the scheduler may retry. */
export function noticesHandler(services: () => Pick<EmbargoServices, 'notices'>) {
  return async (event: unknown, context?: InvocationContext): Promise<NoticeOutcome> =>
    services().notices.fire(parseNoticeTrigger(event), deadlineOf(context));
}

export const handler = noticesHandler(awsNoticeServices);
