import type { EmbargoServices } from '../shared/embargo-services';
import type { NoticeOutcome } from '../shared/domain/notice-service';
import { parseNoticeTrigger } from '../shared/events/notice-trigger-event';
import { awsNoticeServices } from './aws-runtime';

/** A notice schedule fired → send that notice. Idempotent, so the scheduler may retry. */
export function noticesHandler(services: () => Pick<EmbargoServices, 'notices'>) {
  return async (event: unknown): Promise<NoticeOutcome> =>
    services().notices.fire(parseNoticeTrigger(event));
}

export const handler = noticesHandler(awsNoticeServices);
