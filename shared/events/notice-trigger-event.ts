import * as z from 'zod/mini';
import { parseCaseId, type CaseId } from '../cases/case-id';
import { InvalidEventError } from '../errors';
import { noticeKinds, type NoticeTrigger } from '../notices/notice-scheduler';
import { validate } from '../validation/validate';

const triggerSchema = z.strictObject({
  caseId: z.string().check(z.refine((id) => parseCaseId(id) === id, 'not a case id')),
  kind: z.enum(noticeKinds),
  disclosureAt: z.iso.datetime(),
});

/** The payload a notice schedule delivers (EventBridge Scheduler passes it as the event). */
export function parseNoticeTrigger(event: unknown): NoticeTrigger {
  const parsed = validate(triggerSchema, event);
  if (!parsed.success) {
    throw new InvalidEventError(
      'notice schedule',
      parsed.problems,
      "a notice schedule in Embargo's schedule group",
    );
  }
  return { ...parsed.data, caseId: parsed.data.caseId as CaseId };
}
