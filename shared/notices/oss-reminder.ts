import { DateTime } from 'luxon';
import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRecord } from '../cases/case-record';
import { caseSubjectTag } from '../cases/case-id';
import { formatUtc } from '../time/utc-text';

/** The distros list lets exploits be held back this long after the issue is public. */
export const EXPLOIT_HOLD_DAYS = 7;

/**
 * When maintainers are reminded to post the exploits held back to oss-security: seven days
 * after the disclosure (as it happened, or as planned), if the case holds exploits back and the
 * project posts to oss-security at all.
 */
export function ossReminderAt(record: CaseRecord, config: EmbargoConfig): Date | undefined {
  if (!config.ossSecurity || !record.exploitHeld || !record.disclosureAt) return undefined;
  const from = record.disclosedAt ?? record.disclosureAt;
  return DateTime.fromISO(from, { zone: 'utc' }).plus({ days: EXPLOIT_HOLD_DAYS }).toJSDate();
}

export function ossReminderText(
  record: CaseRecord,
  config: EmbargoConfig,
): { subject: string; text: string } {
  const disclosed = record.disclosedAt ?? record.disclosureAt ?? '';
  return {
    subject: `${caseSubjectTag(record.id)} Post the exploits held back to oss-security`,
    text: [
      `${record.id} was disclosed on ${formatUtc(disclosed)}, ${EXPLOIT_HOLD_DAYS} days ago, with exploits held back`,
      '(/exploit held). The distros list policy asks for them to be posted now:',
      '',
      `[ ] Post the exploits (or the reproducer) to ${config.ossSecurity}, in reply to the`,
      '    advisory posted on disclosure day.',
      '',
      'If they are public already, `/exploit published` records that.',
    ].join('\n'),
  };
}
