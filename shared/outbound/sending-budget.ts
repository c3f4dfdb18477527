import { EmbargoError } from '../errors';

/**
 * What goes first when the day's budget runs low: acknowledgments, maintainers' notices and
 * digests (`first`), or copies of incoming mail (`deferrable`), which stop at the reserve.
 */
export type MailPriority = 'first' | 'deferrable';

/** Copies stop at this share of the day's budget; the rest is kept for the mail that goes first. */
export const DEFERRABLE_SHARE = 0.9;

export type BudgetAnswer =
  { allowed: true; sentToday: number } | { allowed: false; sentToday: number; limit: number };

/** The count of mails sent in the current UTC day, checked before each send (DynamoDB in AWS). */
export interface SendingBudget {
  /** Counts one mail unless the day's count has reached the limit for its priority. */
  spend(priority: MailPriority, now: Date): Promise<BudgetAnswer>;
}

/** The limits for one day's budget of `maxMailsPerDay`. */
export function budgetLimits(maxMailsPerDay: number): Record<MailPriority, number> {
  return { first: maxMailsPerDay, deferrable: Math.floor(maxMailsPerDay * DEFERRABLE_SHARE) };
}

/** A mail was not sent because the day's sending budget (or its share for copies) is spent. */
export class SendingBudgetError extends EmbargoError {
  constructor(
    readonly priority: MailPriority,
    readonly limit: number,
  ) {
    super(
      'SENDING_BUDGET_SPENT',
      `Not sent: ${limit} mails have gone out today (UTC), the ${priority === 'first' ? 'daily sending budget (maxMailsPerDay)' : 'share of the daily budget that copies may use'}.`,
      'It is retried, and goes out once the budget allows (the next UTC day at the latest); if mail keeps arriving at this rate, look at `npx embargo inbound` for a flood, or raise maxMailsPerDay within the SES quota.',
    );
  }
}
