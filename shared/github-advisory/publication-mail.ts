import { type CaseMailer, caseSubject } from '../outbound/case-mailer';
import type { CaseRecord } from '../cases/case-record';

/**
 * What the GitHub advisory, the OSV commit and the CSAF directory each tell the maintainers:
 * one mail, keyed so the outbox sends it once however often the step is retried.
 */
export async function tellMaintainers(
  mailer: Pick<CaseMailer, 'toMaintainers'>,
  record: CaseRecord,
  mail: { key: string; subject: string; lines: string[] },
): Promise<void> {
  const { key, subject, lines } = mail;
  await mailer.toMaintainers(
    record,
    () => ({ key, subject: caseSubject(record, subject), text: lines.join('\n') }),
    key,
  );
}
