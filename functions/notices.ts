import type { EmbargoServices } from '../shared/embargo-services';
import type { NoticeOutcome } from '../shared/domain/notice-service';
import { parseNoticeTrigger } from '../shared/events/notice-trigger-event';
import { awsNoticeServices } from './aws-runtime';
import type { InvocationContext } from './invocation-context';

/** A notice schedule fired → send that notice. Idempotent, so the scheduler may retry. */
export function noticesHandler(services: () => Pick<EmbargoServices, 'notices'>) {
  return async (event: unknown, context?: InvocationContext): Promise<NoticeOutcome> => {
    const deadline = context && new Date(Date.now() + context.getRemainingTimeInMillis());
    return services().notices.fire(parseNoticeTrigger(event), deadline ? { deadline } : {});
  };
}

export const handler = noticesHandler(awsNoticeServices);
