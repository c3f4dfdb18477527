import { DateTime } from 'luxon';
import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRecord } from '../cases/case-record';
import { countOf } from '../mail/count-text';
import { formatUtc } from '../time/utc-text';
import { embargoTimeline } from './embargo-timeline';
import { toldCurrentDate } from './notice-round';

const days = (n: number) => countOf(Math.round(n * 10) / 10, 'day');

/**
 * What a disclosure date breaks of the distros list policy, worded for the `/disclose`
 * confirmation: distributors under embargo longer than `maxEmbargoDays` from the first advance
 * notice they received (typically after a postponement) or for less than a day, a date on a
 * weekend (UTC), and an advance notice that is already due. Empty when the date is fine.
 */
export function disclosurePolicyWarnings(
  record: CaseRecord,
  config: EmbargoConfig,
  now: Date,
): string[] {
  const timeline = embargoTimeline(record, config);
  if (!timeline || record.kind === 'upstream') return [];
  const warnings: string[] = [];
  const disclosure = DateTime.fromJSDate(timeline.disclosureAt, { zone: 'utc' });
  const firstNotice = record.history.find((e) => e.type === 'advance-notice');
  const alreadyNotified = toldCurrentDate(record);
  const dueNow = !alreadyNotified && timeline.advanceAt.getTime() <= now.getTime();
  // When distributors' embargo starts: their first notice, or when this one will go out.
  // (Under `tick --now` the history records real time and the simulated instant beside it.)
  const start = firstNotice
    ? DateTime.fromISO(firstNotice.simulatedAt ?? firstNotice.at, { zone: 'utc' })
    : DateTime.fromJSDate(dueNow ? now : timeline.advanceAt, { zone: 'utc' });
  const length = disclosure.diff(start, 'days').days;

  if (length > config.maxEmbargoDays) {
    warnings.push(
      `Distributors would be under embargo for ${days(length)} (from ${firstNotice ? 'their first advance notice' : 'the advance notice'} on ${formatUtc(start.toISO()!)}), longer than the ${config.maxEmbargoDays} days the policy allows (maxEmbargoDays). Choose an earlier date, or tell them why.`,
    );
  }
  if (length < 1) {
    warnings.push(
      `Distributors would have ${days(Math.max(length, 0))} to prepare updates, less than one day.`,
    );
  }
  if (disclosure.weekday >= 6) {
    warnings.push(
      `${formatUtc(record.disclosureAt!)} is a ${disclosure.toFormat('cccc')} (UTC): distributors may not be able to ship updates on a weekend.`,
    );
  }
  if (dueNow) {
    const due = `The advance notice was due on ${formatUtc(timeline.advanceAt.toISOString())} (${countOf(timeline.advanceDays, 'day')} before)`;
    warnings.push(
      record.advisory
        ? `${due}: it goes out now, so distributors get less notice than the policy promises.`
        : `${due}: it is held until the case has advisory text (/advisory), and goes out then, so distributors get less notice than the policy promises.`,
    );
  }
  return warnings;
}
