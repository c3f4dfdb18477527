import type { IntakeDependencies } from './intake-dependencies';
import type { ReceivedMail } from '../reports/received-mail';
import type { CaseRecord } from '../cases/case-record';
import { appendOnce } from '../cases/case-updates';
import { caseSubject } from '../outbound/case-mailer';
import { protectionOf, type ForwardKind } from '../outbound/maintainer-copies';
import { attemptsCommands } from '../commands/case-commands';
import {
  mayReplaceReporterKey,
  offeredReporterKey,
  withAttachedKeysOnly,
} from '../threads/reporter-key';
import { forwardToMaintainers } from './maintainer-forwarding';
import { isMailbox } from '../addresses/mailbox';

/** Mail on a case from its reporter, or from someone else who reached the thread. */
export async function recordPartyMail(
  deps: Pick<IntakeDependencies, 'cases' | 'crypto' | 'mailer' | 'files' | 'clock' | 'config'>,
  existing: CaseRecord,
  received: ReceivedMail,
  kind: ForwardKind,
): Promise<void> {
  const { cases } = deps;
  const { delivery, content } = received;
  const messageId = delivery.messageId;
  let record = await cases.update(
    existing,
    appendOnce({
      id: `follow-up:${messageId}`,
      at: received.receivedAt,
      type: 'follow-up',
      actor: received.sender,
      summary: `${kind === 'follow-up' ? 'Follow-up from the reporter' : 'Mail from a non-party'}${content.failure ? ', could not be decrypted' : ''}`,
      messageId,
      protection: protectionOf(content),
      authentication: { method: 'none' },
    }),
  );
  let note: string | undefined;
  if (kind === 'follow-up') {
    // Replacing an established key: only a key inside what its signature covers.
    const key = await offeredReporterKey(
      deps.crypto,
      record.reporterKey ? withAttachedKeysOnly(content) : content,
      existing.reporter.address,
      received.senderCheck,
    );
    const replaces = key && key.fingerprint !== record.reporterKey?.fingerprint;
    if (replaces && !mayReplaceReporterKey(record, content)) {
      note = `This mail offers another key for the reporter's address (${key.fingerprint}). It was NOT taken: mail to the reporter stays encrypted to ${record.reporterKey!.fingerprint}, which did not sign this mail. If the reporter really changed keys, send the signed command /reporter-key with the new key attached.`;
      record = await cases.update(
        record,
        appendOnce({
          id: `reporter-key-refused:${messageId}`,
          at: received.receivedAt,
          type: 'reporter-key',
          actor: received.sender,
          summary: `Reporter key ${key.fingerprint} offered but not taken: mail that replaces the reporter key ${record.reporterKey!.fingerprint} must be signed with it (or a maintainer sends /reporter-key with the new key)`,
          messageId,
        }),
      );
    } else if (replaces) {
      record = await cases.update(
        record,
        appendOnce(
          {
            id: `reporter-key:${messageId}`,
            at: received.receivedAt,
            type: 'reporter-key',
            actor: received.sender,
            summary: `Reporter key ${key.fingerprint} recorded${record.reporterKey ? ` in place of ${record.reporterKey.fingerprint} (the mail was signed with it)` : ''}; mail to the reporter is encrypted to it`,
            messageId,
          },
          { reporterKey: key },
        ),
      );
    }
  }
  if (attemptsCommands(content.text)) {
    // Only maintainers command. The sender learns that, and nothing else.
    record = await cases.update(
      record,
      appendOnce({
        id: `commands-refused:${messageId}`,
        at: received.receivedAt,
        type: 'commands-refused',
        actor: received.sender,
        summary: 'Commands refused: the sender is not a maintainer',
        messageId,
        authentication: { method: 'none' },
      }),
    );
    // Not to a sender whose From header was refused: there is no address to answer.
    if (!received.mail.fromRefused && isMailbox(received.sender))
      await deps.mailer.toAddress(record, received.sender, {
        key: `commands-refused/${messageId}`,
        subject: caseSubject(record, 'Commands not accepted'),
        text: `Commands are not accepted from ${received.sender}.`,
        autoSubmitted: 'auto-replied',
      });
  }
  await forwardToMaintainers(deps, record, received, kind, note ? { note } : {});
}
