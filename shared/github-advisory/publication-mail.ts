import { type CaseMailer, caseSubject } from '../outbound/case-mailer';
import type { CaseEvent, CaseRecord } from '../cases/case-record';
import type { EmbargoConfig } from '../config/embargo-config';
import type { Clock } from '../time/clock';

/**
 * What a publication in a repository (the OSV record, the CSAF directory) records on the case:
 * one history event, made by Embargo itself.
 */
export function recordPublishedEvent(
  deps: { clock: Clock; config: Pick<EmbargoConfig, 'securityAddress'> },
  id: string,
  summary: string,
): CaseEvent {
  return {
    id,
    at: deps.clock.now().toISOString(),
    type: 'record-published',
    actor: deps.config.securityAddress,
    summary,
    authentication: { method: 'system' },
  };
}

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
