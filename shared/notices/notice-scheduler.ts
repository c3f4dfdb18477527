import type { CaseId } from '../cases/case-id';

/** `oss-reminder`: seven days after disclosure, to post the exploits held back. */
export type NoticeKind = 'advance' | 'disclosure' | 'oss-reminder';

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
