import type { CaseEvent, CaseRecord } from '../cases/case-record';

/** When a case reached each step the team is measured by; absent until it did. */
export interface CaseMilestones {
  received: Date;
  /** The acknowledgment to the reporter went out. */
  acknowledged?: Date;
  /** A maintainer first acted: a reply on the case or a command (by mail or the CLI). */
  firstMaintainerAction?: Date;
  /** The fixed version was recorded (`/fixed`), or the case was closed as fixed. */
  fixed?: Date;
  /** The public notice went out. */
  disclosed?: Date;
  /** The first advance notice to distributors: their embargo starts here. */
  firstAdvanceNotice?: Date;
}

/**
 * When an event happened: the instant it acted as of when an operator ran the work for another
 * time (`tick --now`), else when it was recorded.
 */
export const eventTime = (event: CaseEvent): Date => new Date(event.simulatedAt ?? event.at);

const first = (record: CaseRecord, matches: (event: CaseEvent) => boolean): Date | undefined => {
  const event = record.history.find(matches);
  return event ? eventTime(event) : undefined;
};

const optionalDate = (iso: string | undefined) => (iso ? new Date(iso) : undefined);

/** A change line (`field: old → new`, command-effects.ts) that records a fix. */
const recordsFix = (change: string) =>
  change.startsWith('fixed: ') || /^resolution: .* → fixed$/.test(change);

/** Read from the case's history (hash-chained, append-only), with the record's fields as fallback. */
export function caseMilestones(record: CaseRecord): CaseMilestones {
  return {
    received: new Date(record.receivedAt),
    acknowledged:
      first(record, (e) => e.type === 'acknowledged') ?? optionalDate(record.acknowledgedAt),
    firstMaintainerAction: first(
      record,
      (e) => e.type === 'maintainer-reply' || e.type === 'commands-applied',
    ),
    fixed: first(record, (e) => (e.changes ?? []).some(recordsFix)),
    disclosed:
      first(record, (e) => e.type === 'disclosure-notice') ?? optionalDate(record.disclosedAt),
    firstAdvanceNotice: first(record, (e) => e.type === 'advance-notice'),
  };
}
