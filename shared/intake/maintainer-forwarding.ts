import type { IntakeDependencies } from './intake-dependencies';
import type { ReceivedMail } from '../reports/received-mail';
import type { CaseEvent, CaseRecord, CaseUpdate } from '../cases/case-record';
import { appendEachOnce } from '../cases/case-updates';
import type { DispatchOptions } from '../outbound/mail-dispatcher';
import { buildMaintainerCopy, type ForwardKind } from '../outbound/maintainer-copies';
import { attachmentsForMail, keptAttachmentsSummary } from '../outbound/oversized-attachments';

/** The sender check's findings, as case events (once each per message). */
export function senderWarningEvents(
  received: ReceivedMail,
  actor: string,
  at: string,
): CaseUpdate[] {
  const messageId = received.delivery.messageId;
  return (received.senderCheck?.warnings ?? []).map((w, index) => ({
    events: [
      {
        id: `sender-warning:${messageId}:${w.kind}:${index}`,
        at,
        type: 'sender-warning',
        actor,
        summary: w.text,
        messageId,
      },
    ],
  }));
}

/** The From line's display name, when the From address is the sender the copy names. */
function senderName(received: ReceivedMail): { senderName?: string } {
  const from = received.mail.from;
  return from?.name && from.address.toLowerCase() === received.sender.toLowerCase()
    ? { senderName: from.name }
    : {};
}

/**
 * Each maintainer gets their own copy, encrypted to their key alone. The case then records it
 * in one write, with `alsoRecord` (the acknowledgment of a new report, its possible duplicates).
 */
export async function forwardToMaintainers(
  deps: Pick<IntakeDependencies, 'mailer' | 'cases' | 'clock' | 'config' | 'files'>,
  record: CaseRecord,
  received: ReceivedMail,
  kind: ForwardKind,
  options: {
    note?: string;
    dispatch?: DispatchOptions;
    alsoRecord?: CaseUpdate | CaseUpdate[];
  } = {},
): Promise<void> {
  const { mailer, cases, clock, config } = deps;
  const { note } = options;
  const messageId = received.delivery.messageId;
  const attachments = received.content.failure
    ? { inline: [], kept: [] }
    : await attachmentsForMail(deps.files, record.id, received.content.attachments);
  const sent = await mailer.toMaintainers(
    record,
    () =>
      buildMaintainerCopy({
        record,
        kind,
        messageId,
        ...(received.mail.messageIdHeader
          ? { messageIdHeader: received.mail.messageIdHeader }
          : {}),
        sender: received.sender,
        ...senderName(received),
        subject: received.mail.subject,
        receivedAt: received.receivedAt,
        content: received.content,
        attachments,
        ...(received.senderCheck?.warnings.length
          ? { warnings: received.senderCheck.warnings.map((w) => w.text) }
          : {}),
        ...(kind === 'third-party'
          ? {
              note: `${received.sender} is not the reporter or a maintainer of this case; nothing was relayed.`,
            }
          : note
            ? { note }
            : {}),
      }),
    `${kind}/${messageId}`,
    {},
    // Copies wait when the day's sending budget runs low; the acknowledgment went out first.
    { ...options.dispatch, deferrable: true },
  );
  const now = clock.now().toISOString();
  const event = (e: CaseEvent): CaseUpdate => ({ events: [e] });
  await cases.update(
    record,
    appendEachOnce(
      ...[options.alsoRecord ?? []].flat(),
      ...senderWarningEvents(received, config.securityAddress, now),
      ...(received.content.failure
        ? [
            event({
              id: `undecryptable:${messageId}`,
              at: now,
              type: 'undecryptable',
              actor: config.securityAddress,
              summary: `Could not decrypt message ${messageId} (${received.content.failure}); raw message kept`,
              messageId,
            }),
          ]
        : []),
      event({
        id: `forwarded:${messageId}`,
        at: now,
        type: 'forwarded',
        actor: config.securityAddress,
        summary: `${
          sent.length
            ? `Sent encrypted to ${sent.map((m) => m.name).join(', ')}`
            : config.maintainers.length
              ? 'No maintainer could be sent this mail: none has a usable key'
              : 'No maintainers are configured to receive this mail'
        }${attachments.kept.length ? `; ${keptAttachmentsSummary(attachments.kept)}` : ''}`,
        messageId,
      }),
    ),
  );
}
