import type { CaseId } from '../cases/case-id';
import type { CaseRecord } from '../cases/case-record';
import type { CaseMilestones } from './case-milestones';

const DAY_MS = 86_400_000;

/** The cases that missed one deadline, by id, oldest first. */
export interface MissedDeadline {
  count: number;
  cases: CaseId[];
}

export interface MissedDeadlines {
  /**
   * The acknowledgment went out after `ackDueAt`, or has not gone out and it has passed (not
   * counted: a reporter address that is not a mailbox, a case closed unacknowledged).
   */
  acknowledgment: MissedDeadline;
  /** No maintainer acted by `ackDueAt` (the answer the acknowledgment promises). */
  answer: MissedDeadline;
  /** Disclosed (or still not, as of now) more than `maxEmbargoDays` after the first advance notice. */
  disclosure: MissedDeadline;
}

/** One case's milestones with the case. */
export interface MeasuredCase {
  record: CaseRecord;
  milestones: CaseMilestones;
}

const late = (done: Date | undefined, due: Date, now: Date) => (done ? done > due : now > due);

function missed(cases: MeasuredCase[], isLate: (c: MeasuredCase) => boolean): MissedDeadline {
  const ids = cases
    .filter(isLate)
    .map((c) => c.record)
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
    .map((r) => r.id);
  return { count: ids.length, cases: ids };
}

/**
 * The reports (not upstream announcements) that missed the policy's deadlines: the answer
 * within `ackWithinHours` (each case's `ackDueAt`), and the embargo of at most `maxEmbargoDays`
 * from the first advance notice (disclosure-policy.ts warns of it when the date is set).
 */
export function missedDeadlines(
  reports: MeasuredCase[],
  maxEmbargoDays: number,
  now: Date,
): MissedDeadlines {
  return {
    acknowledgment: missed(reports, ({ record, milestones }) => {
      // No mailbox to acknowledge, or closed unacknowledged (a held acknowledgment the
      // maintainers decided not to send): no promise was made to anyone.
      if (record.reporterAddressProblem) return false;
      if (!milestones.acknowledged && record.status === 'closed') return false;
      return late(milestones.acknowledged, new Date(record.ackDueAt), now);
    }),
    answer: missed(reports, ({ record, milestones }) =>
      late(milestones.firstMaintainerAction, new Date(record.ackDueAt), now),
    ),
    disclosure: missed(reports, ({ record, milestones }) => {
      const start = milestones.firstAdvanceNotice;
      if (!start) return false;
      // A case closed without disclosure (withdrawn, say) no longer holds anyone to it.
      if (!milestones.disclosed && record.status === 'closed') return false;
      return late(milestones.disclosed, new Date(start.getTime() + maxEmbargoDays * DAY_MS), now);
    }),
  };
}
