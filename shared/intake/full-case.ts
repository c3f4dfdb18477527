import type { IntakeDependencies } from './intake-dependencies';
import type { ReceivedMail } from '../reports/received-mail';
import type { CaseRecord } from '../cases/case-record';
import { appendOnce } from '../cases/case-updates';
import { caseSubject } from '../outbound/case-mailer';
import type { ThreadMatch } from '../threads/thread-router';
import { isSignedByMaintainer } from './admission/maintainer-exemption';
import type { InboundOutcome } from './inbound-ledger';
import { quarantineExplanations } from './quarantine';
import { caseSizeBytes, CASE_ITEM_LIMIT_BYTES } from './case-capacity';

/** Mail on a full case that is still let in: a maintainer's, signed and not replayed. */
export async function isAuthenticatedMaintainerMail(
  deps: Pick<IntakeDependencies, 'config' | 'crypto' | 'clock' | 'replays'>,
  match: ThreadMatch,
  received: ReceivedMail,
): Promise<boolean> {
  if (match.role !== 'maintainer' || !match.maintainer) return false;
  return isSignedByMaintainer(deps, match.maintainer, received);
}

/**
 * A case too full for outside mail: the message is kept (quarantined), the sender hears
 * nothing, and the maintainers are told once, with the case recording it once.
 */
export async function quarantineOnFullCase(
  deps: Pick<IntakeDependencies, 'config' | 'mailer' | 'cases' | 'log'>,
  record: CaseRecord,
  received: ReceivedMail,
): Promise<InboundOutcome> {
  const { config, mailer, cases, log } = deps;
  const messageId = received.delivery.messageId;
  const size = `${Math.round(caseSizeBytes(record) / 1024)} KiB`;
  log.warn('intake.quarantined', {
    messageId,
    caseId: record.id,
    reason: 'case-full',
    explanation: quarantineExplanations['case-full'],
  });
  await mailer.toMaintainers(
    record,
    () => ({
      key: 'case-full',
      subject: caseSubject(record, 'Case full: outside mail is no longer added'),
      text: [
        `${record.id} holds ${size} of the ${CASE_ITEM_LIMIT_BYTES / 1024} KiB a case can hold.`,
        'From now on, mail on it is added and forwarded only when a maintainer signed it. Other',
        'mail on the case (from the reporter or anyone using its tag) is kept unread and listed',
        `by \`npx embargo inbound\` as quarantined (case-full). This usually means a flood of mail.`,
        'Signed commands still work; if the reporter has more to say, ask them to write a new report.',
      ].join('\n'),
    }),
    'case-full',
  );
  await cases.update(
    record,
    appendOnce({
      id: 'case-full',
      at: received.receivedAt,
      type: 'case-full',
      actor: config.securityAddress,
      summary: `Case full (${size}): mail not signed by a maintainer is kept but no longer added; first was ${messageId}`,
      messageId,
      authentication: { method: 'system' },
    }),
  );
  return { kind: 'quarantined', reason: 'case-full' };
}
