import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseMail } from '../outbound/outbound-message';
import { formatUtc } from '../time/utc-text';
import { groupFingerprint } from '../pgp/fingerprint-text';
import { caseSubjectTag } from '../cases/case-id';
import type { CaseRecord } from '../cases/case-record';
import { acknowledgmentQuestions } from '../triage/triage-findings';

/**
 * The automatic acknowledgment. It never quotes the report (not even its subject): the From
 * address may be forged, and an echo would turn the inbox into a relay for someone else's words,
 * or into a decryption oracle for someone else's ciphertext.
 */
export function buildAcknowledgment(
  record: CaseRecord,
  config: EmbargoConfig,
  projectFingerprint: string,
): CaseMail {
  const team = `${config.project} security team`;
  const hours = config.ackWithinHours;
  const undecryptable =
    record.protection.failure === 'smime-encrypted'
      ? [
          'Your message is encrypted with S/MIME, which we cannot read: this project uses',
          'OpenPGP. It is kept, and the maintainers have been told, but nobody can read it.',
          'Please send your report again, either encrypted with OpenPGP to the project key',
          `  ${groupFingerprint(projectFingerprint)}`,
          'or, if you cannot use OpenPGP, unencrypted.',
          '',
        ]
      : record.protection.failure
        ? [
            'We could not decrypt your message. It is kept, and the maintainers have been told,',
            'but we cannot read it. Please send it again encrypted to the project key:',
            `  ${groupFingerprint(projectFingerprint)}`,
            '',
          ]
        : [];
  // Asked once, here, and only what the report lacks; nothing waits for the answer.
  const questions = acknowledgmentQuestions(record.triage, config);
  const asks = questions.length
    ? [
        'To help the maintainers, please reply with what your report does not say yet:',
        ...questions.map((q) => `- ${q}`),
        'Your report is read either way: nothing waits for these.',
        '',
      ]
    : [];
  const text = [
    'Hello,',
    '',
    `Thank you for reporting a security issue to the ${team}.`,
    `Your report has been received and recorded as case ${record.id}.`,
    '',
    ...undecryptable,
    'What happens next:',
    `- A maintainer will read your report and answer you within ${hours} hours of its`,
    `  arrival, that is by ${formatUtc(record.ackDueAt)}.`,
    '- We will work with you on a fix and agree a date for public disclosure. About a',
    '  week before that date, distributors get a private advance notice, and you will',
    '  be told the date. On disclosure day we publish an advisory that credits you,',
    '  unless you ask us not to.',
    '- Please keep the issue private until it is disclosed.',
    '',
    ...asks,
    `To add details, reply to this message: replies reach case ${record.id} only.`,
    `To encrypt, use the project key ${groupFingerprint(projectFingerprint)}.`,
    '',
    `This is an automatic message from the ${team}.`,
  ].join('\n');
  return {
    key: 'ack',
    subject: `${caseSubjectTag(record.id)} Your report to the ${team} was received`,
    text,
    autoSubmitted: 'auto-replied',
  };
}
