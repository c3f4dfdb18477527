import type { CaseRecord } from '../cases/case-record';

/**
 * Which telling of the disclosure date a notice belongs to. Mails keyed by the date alone were
 * never sent again for a date set a second time (D → D+1 → D), so distributors and the
 * reporter kept D+1; the round adds how many times the date changed. Round 0 keeps the keys
 * cases had before rounds existed.
 */
export function noticeRound(record: CaseRecord): string {
  const date = record.disclosureAt ?? '';
  const changes = record.dateChanges ?? 0;
  return changes ? `${date}/${changes}` : date;
}

/** Whether the last advance notice told recipients the case's current date, in this round. */
export function toldCurrentDate(record: CaseRecord): boolean {
  return (
    record.disclosureAt !== undefined &&
    record.advanceNoticesSent?.at(-1) === record.disclosureAt &&
    (record.advanceNoticeRound ?? 0) === (record.dateChanges ?? 0)
  );
}

/**
 * Whether distributors and the reporter were told another date than the current one: then
 * the updated notice is due at once, not at the new date minus the notice period (which may
 * fall after the date they were told).
 */
export function toldAnotherDate(record: CaseRecord): boolean {
  return (record.advanceNoticesSent?.length ?? 0) > 0 && !toldCurrentDate(record);
}
