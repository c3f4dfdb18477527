import type { CaseId } from '../cases/case-id';

/**
 * `oss-reminder`: seven days after disclosure, to post the exploits held back.
 * `distributor-reminder`: `distributorReminderDays` after the advance notice, to the silent.
 * `pre-disclosure`: the maintainers' summary the day before disclosure.
 */
export const noticeKinds = [
  'advance',
  'disclosure',
  'oss-reminder',
  'distributor-reminder',
  'pre-disclosure',
] as const;
export type NoticeKind = (typeof noticeKinds)[number];

/** What a scheduled notice carries: which case, which notice, and for which disclosure date. */
export interface NoticeTrigger {
  caseId: CaseId;
  kind: NoticeKind;
  /** The disclosure date the notice was scheduled for; a stale trigger (date moved) does nothing. */
  disclosureAt: string;
}

/** One-time schedules for notices (EventBridge Scheduler in AWS, the local scheduler locally). */
export interface NoticeScheduler {
  /** Creates or replaces the schedule with this name. */
  schedule(name: string, at: Date, trigger: NoticeTrigger): Promise<void>;
  /** Removes the schedule if it exists. */
  cancel(name: string): Promise<void>;
}
