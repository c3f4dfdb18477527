import { DateTime } from 'luxon';
import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRecord } from '../cases/case-record';
import type { NoticeKind } from './notice-scheduler';

export interface EmbargoTimeline {
  disclosureAt: Date;
  /** When distributors get the advance notice: D minus the (urgent) advance period. */
  advanceAt: Date;
  advanceDays: number;
}

/**
 * The policy's timeline for a case with a disclosure date: the advance notice `advanceNoticeDays`
 * before (calendar days, so a daylight-saving change does not move it by an hour), or
 * `urgentNoticeDays` for a time-sensitive issue.
 */
export function embargoTimeline(
  record: CaseRecord,
  config: EmbargoConfig,
): EmbargoTimeline | undefined {
  if (!record.disclosureAt) return undefined;
  const disclosure = DateTime.fromISO(record.disclosureAt, { zone: 'utc' });
  const advanceDays = record.urgent ? config.urgentNoticeDays : config.advanceNoticeDays;
  return {
    disclosureAt: disclosure.toJSDate(),
    advanceAt: disclosure.minus({ days: advanceDays }).toJSDate(),
    advanceDays,
  };
}

export function scheduleName(caseId: string, kind: NoticeKind): string {
  return `${caseId}-${kind}`;
}
