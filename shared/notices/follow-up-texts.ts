import { countOf } from '../mail/count-text';
import { wrapParagraph } from '../mail/wrapped-text';
import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRecord } from '../cases/case-record';
import type { RecipientSummary } from '../distributors/recipient-summary';
import type { Distributor } from './distributor-directory';
import { formatForZone } from '../time/zoned-text';
import { formatUtc } from '../time/utc-text';
import { issueTitle } from './notice-texts';
import { recipientStateParts } from './recipient-tracking';

/** The one reminder for a distributor that has not confirmed the advance notice. */
export function distributorReminderText(input: {
  record: CaseRecord;
  config: EmbargoConfig;
  distributor: Distributor;
  sentAt: string;
}): { subject: string; text: string } {
  const { record, config, distributor } = input;
  const zone = distributor.timeZone;
  const date = formatForZone(record.disclosureAt!, zone);
  return {
    subject: `Reminder: please confirm the advance notice (disclosure ${formatUtc(record.disclosureAt!)})`,
    text: [
      ...wrapParagraph(`To ${distributor.name},`),
      '',
      ...wrapParagraph(
        `On ${formatForZone(input.sentAt, zone)} the ${config.project} security team sent you a confidential advance notice about ${record.id}, under embargo until ${date}. We have no confirmation from you yet, so we cannot tell whether it reached the people who prepare your updates.`,
      ),
      '',
      ...wrapParagraph(
        'Please answer the notice (this mail is in its thread), signed with your registered key and encrypted to ours, with the line:',
      ),
      '',
      '  /received',
      '',
      ...wrapParagraph(
        'and, once you know, /status affected, /status not-affected or /status fixed <version>. If you need another date, /need-date <date> <reason> asks for it. This is the only reminder.',
      ),
    ].join('\n'),
  };
}

/** One recipient as maintainers read it in a mail: name, then its state in the current round. */
function recipientRow(record: CaseRecord, summary: RecipientSummary): string[] {
  const parts = recipientStateParts(summary, record);
  return wrapParagraph(
    `- ${summary.name} <${summary.address}>: ${parts.sent}; ${parts.confirmed}; status ${parts.status}; last word ${parts.lastWord}`,
    '    ',
  );
}

/** For the maintainers: who is silent, and who of them was reminded just now. */
export function silentRecipientsText(input: {
  record: CaseRecord;
  silent: RecipientSummary[];
  reminded: string[];
  notReminded: { name: string; problem: string }[];
  reminderDays: number;
}): { subject: string; text: string } {
  const { record, silent } = input;
  return {
    subject: `Silent distributors: ${countOf(silent.length, 'recipient')} not confirmed`,
    text: [
      ...wrapParagraph(
        `${countOf(silent.length, 'recipient')} of the advance notice for ${record.id} (disclosure ${formatUtc(record.disclosureAt!)}) ${silent.length === 1 ? 'has' : 'have'} not confirmed it (/received) after ${countOf(input.reminderDays, 'day')}:`,
      ),
      ...silent.flatMap((s) => recipientRow(record, s)),
      '',
      input.reminded.length
        ? `Each of these got one reminder now, encrypted to it alone: ${input.reminded.join(', ')}.`
        : 'No reminder went out now.',
      ...(input.notReminded.length
        ? [
            'Not reminded:',
            ...input.notReminded.flatMap((n) => wrapParagraph(`- ${n.name}: ${n.problem}`, '    ')),
          ]
        : []),
      '',
      ...wrapParagraph(
        'Consider reaching them another way. This list is for maintainers only; `npx embargo case` shows every recipient.',
      ),
    ].join('\n'),
  };
}

/**
 * The summary the day before disclosure: who knows, who confirmed, who is affected, who is
 * silent. Maintainers only.
 */
export function preDisclosureSummaryText(input: {
  record: CaseRecord;
  summaries: RecipientSummary[];
}): { subject: string; text: string } {
  const { record, summaries } = input;
  const told = summaries.filter((s) => s.sentAt);
  const names = (list: RecipientSummary[], detail = false) =>
    list.length
      ? list
          .map((s) => `${s.name}${detail && s.status?.detail ? ` (${s.status.detail})` : ''}`)
          .join(', ')
      : 'none';
  const withStatus = (value: string) => told.filter((s) => s.status?.value === value);
  const silent = told.filter((s) => s.silent);
  const requests = (record.recipients ?? []).flatMap((r) =>
    (r.dateRequests ?? []).map((d) => `${r.name} asked for ${formatUtc(d.date)}: ${d.reason}`),
  );
  return {
    subject: `Disclosure tomorrow: ${told.length - silent.length} of ${countOf(told.length, 'distributor')} confirmed, ${countOf(silent.length, 'silent')}`,
    text: [
      ...wrapParagraph(
        `${record.id} (${issueTitle(record)}) is disclosed on ${formatUtc(record.disclosureAt!)}. Where the distributors told of this date stand:`,
      ),
      '',
      ...wrapParagraph(
        `Confirmed:     ${names(told.filter((s) => s.confirmedAt))}`,
        ' '.repeat(15),
      ),
      ...wrapParagraph(`Affected:      ${names(withStatus('affected'), true)}`, ' '.repeat(15)),
      ...wrapParagraph(`Fixed:         ${names(withStatus('fixed'), true)}`, ' '.repeat(15)),
      ...wrapParagraph(`Not affected:  ${names(withStatus('not-affected'), true)}`, ' '.repeat(15)),
      ...wrapParagraph(`Silent:        ${names(silent)}`, ' '.repeat(15)),
      ...(requests.length
        ? [
            '',
            'Date requests (requests only; the date is yours):',
            ...requests.map((r) => `  - ${r}`),
          ]
        : []),
      '',
      'Each recipient:',
      ...(summaries.length
        ? summaries.flatMap((s) => recipientRow(record, s))
        : ['  (none: no distributor was told of this case)']),
      '',
      'This summary is for maintainers only.',
    ].join('\n'),
  };
}
