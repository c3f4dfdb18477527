import { caseSubjectTag } from '../cases/case-id';
import type { CaseRecord } from '../cases/case-record';
import type { CaseMail } from '../outbound/outbound-message';

/**
 * What the reporter of a duplicate is told (`/duplicate`): the issue is known and being
 * handled. Never which case, nor who reported it first: that is another reporter's embargoed
 * report. Like the acknowledgment, it does not quote the report.
 */
export function duplicateNotice(record: CaseRecord, project: string, key: string): CaseMail {
  return {
    key,
    subject: `${caseSubjectTag(record.id)} Your report to the ${project} security team: already known`,
    text: [
      'Thank you for your report.',
      '',
      `The ${project} maintainers found that it describes an issue that is already known to them`,
      'and is being handled, so this case is closed as a duplicate: the fix and its advisory come',
      'from the work already under way.',
      '',
      'You remain a party to this case: reply to this mail to add details or ask a question, and',
      'the maintainers can still credit you for your report.',
    ].join('\n'),
  };
}
