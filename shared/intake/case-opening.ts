import type { IntakeDependencies } from './intake-dependencies';
import type { ReceivedMail } from '../reports/received-mail';
import type { CaseRecord } from '../cases/case-record';
import { type CaseId, formatCaseId } from '../cases/case-id';
import { protectionOf } from '../outbound/maintainer-copies';
import { newMessageIdKey } from '../outbound/message-id';
import type { InboundMail, MailDelivery } from '../mail/inbound-mail';
import { offeredReporterKey } from '../threads/reporter-key';
import { triageReport } from '../triage/triage-findings';
import { reportIndexOf } from '../triage/possible-duplicates';

const HOUR_MS = 3_600_000;

/**
 * Why a new report's automatic acknowledgment should wait for a maintainer, if it should: SES
 * found that the From domain's own DMARC policy rejects this mail, so the From line is most
 * likely forged and the acknowledgment would go to someone who never wrote (backscatter, which
 * also costs the project's sending reputation).
 */
function ackHoldReason(delivery: MailDelivery, mail: InboundMail): string | undefined {
  if (mail.fromRefused)
    return `the From header was refused (${mail.fromRefused.reason}), so there is no address to acknowledge`;
  return delivery.verdicts.dmarc === 'FAIL'
    ? `SES reports DMARC FAIL for the sender's domain (the From line is likely forged)`
    : undefined;
}

/**
 * Opens the case of a new report. Its id is reserved on the ledger with the case (or before it,
 * one write at a time), so a retry of the same delivery opens the same case; `created` says
 * whether this call wrote it.
 */
export async function openCase(
  deps: Pick<IntakeDependencies, 'cases' | 'ledger' | 'config' | 'crypto'>,
  received: ReceivedMail,
  reserved: CaseId | undefined,
  upstream?: string,
): Promise<{ record: CaseRecord; created: boolean }> {
  const { cases, ledger, config } = deps;
  const { delivery, mail, content, receivedAt } = received;
  // A refused From header is kept as it read, which matches no party and is never sent to.
  const reporter = mail.from ?? { address: mail.fromRefused?.text ?? delivery.envelopeFrom };
  const reporterKey = await offeredReporterKey(
    deps.crypto,
    content,
    reporter.address,
    received.senderCheck,
  );
  const protection = protectionOf(content);
  const ackHeld = upstream ? undefined : ackHoldReason(delivery, mail);
  const replayed = (received.senderCheck?.warnings ?? []).some(
    (w) => w.kind === 'replayed-ciphertext',
  );
  const triage = upstream ? undefined : triageReport(content, config, replayed);
  // Kept to recognise later reports of the same bug (docs/triage.md); an announcement is not one.
  const reportIndex =
    upstream || content.failure || !content.text.trim()
      ? undefined
      : reportIndexOf(mail.subject, content.text, config.project);
  const opened = (id: CaseId): CaseRecord => ({
    id,
    kind: upstream ? 'upstream' : 'report',
    status: 'new',
    reporter,
    ...(mail.fromRefused ? { reporterAddressProblem: mail.fromRefused.reason } : {}),
    subject: mail.subject,
    receivedAt,
    ackDueAt: new Date(
      delivery.receivedAt.getTime() + config.ackWithinHours * HOUR_MS,
    ).toISOString(),
    reportMessageId: delivery.messageId,
    ...(mail.messageIdHeader ? { reportMessageIdHeader: mail.messageIdHeader } : {}),
    messageIdKey: newMessageIdKey(),
    protection,
    ...(reporterKey ? { reporterKey } : {}),
    ...(triage ? { triage } : {}),
    version: 1,
    history: [
      {
        id: 'opened',
        at: receivedAt,
        type: 'opened',
        actor: reporter.address,
        summary: upstream
          ? `Upstream security announcement from ${upstream}; case opened`
          : protection.failure
            ? 'Report received but could not be decrypted; case opened'
            : 'Report received; case opened',
        messageId: delivery.messageId,
        protection,
        authentication: { method: 'none' },
      },
      ...(ackHeld
        ? [
            {
              id: 'ack-held',
              at: receivedAt,
              type: 'ack-held' as const,
              actor: config.securityAddress,
              summary: `Acknowledgment held for the maintainers: ${ackHeld}`,
              authentication: { method: 'system' as const },
            },
          ]
        : []),
    ],
    ...(ackHeld ? { ackHeld } : {}),
    ...(reportIndex ? { reportIndex } : {}),
  });
  if (reserved) return cases.createIfAbsent(opened(reserved));
  const year = delivery.receivedAt.getUTCFullYear();
  const candidate = formatCaseId(year, await cases.nextSequence(year));
  const reservation = { messageId: delivery.messageId, receivedAt, sender: received.sender };
  // The common case in one write (docs/intake.md); after an earlier attempt, one at a time.
  const together = await ledger.reserveAndOpen(reservation, opened(candidate));
  if (together) return { record: together, created: true };
  return cases.createIfAbsent(opened(await ledger.reserveCaseId(reservation, candidate)));
}
