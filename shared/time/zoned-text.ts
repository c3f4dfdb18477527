import { DateTime, IANAZone } from 'luxon';
import { formatUtc } from './utc-text';

/** Whether `name` is an IANA time zone name this runtime knows (e.g. `Europe/Berlin`). */
export function isTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/**
 * An instant for someone who acts on it: its minute in UTC and, given the reader's IANA zone,
 * the same instant there too (the date may differ), e.g.
 * `2026-12-10 13:00 UTC (2026-12-10 14:00 Europe/Berlin, UTC+01:00)`.
 */
export function formatForZone(iso: string, timeZone?: string): string {
  const utc = formatUtc(iso);
  if (!timeZone || !isTimeZone(timeZone)) return utc;
  const local = DateTime.fromISO(iso, { zone: 'utc' }).setZone(timeZone);
  if (!local.isValid) return utc;
  return `${utc} (${local.toFormat('yyyy-MM-dd HH:mm')} ${timeZone}, UTC${local.toFormat('ZZ')})`;
}
