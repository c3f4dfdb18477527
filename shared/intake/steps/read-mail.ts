import type { InboundMail, MailDelivery } from '../../mail/inbound-mail';
import { withProtectedSubject } from '../../mail/protected-headers';
import type { ReceivedMail } from '../../reports/received-mail';
import type { ThreadMatch } from '../../threads/thread-router';
import type { IntakeDependencies } from '../intake-dependencies';
import { checkSender } from '../sender-check';
import { replayedCiphertextWarning } from '../replayed-ciphertext';
import type { LedgerEntry } from './record-outcome';

export interface ReadInput {
  raw: Buffer;
  mail: InboundMail;
  delivery: MailDelivery;
  entry: LedgerEntry;
  /** The case the mail belongs to, whose reporter's key may have signed it. */
  match: ThreadMatch | undefined;
}

/**
 * Step 5: the report reader decrypts and verifies the mail (against the maintainers' keys and
 * the case reporter's), and the sender check says who it claims to be from; encrypted content
 * received before (a replayed report) is flagged beside its findings.
 */
export async function readMail(
  deps: Pick<
    IntakeDependencies,
    'config' | 'reader' | 'crypto' | 'distributors' | 'log' | 'ledger' | 'replayedCiphertext'
  >,
  { raw, mail, delivery, entry, match }: ReadInput,
): Promise<ReceivedMail> {
  const knownKeys = [
    ...deps.config.maintainers.flatMap((m) => (m.publicKeyArmored ? [m.publicKeyArmored] : [])),
    ...(match?.record.reporterKey ? [match.record.reporterKey.armored] : []),
    // A distributor's answer is checked against its registered key.
    ...(match?.distributor ? [match.distributor.publicKeyArmored] : []),
  ];
  const content = await deps.reader.read(raw, knownKeys);
  // Only mail the reader found OpenPGP-encrypted is parsed again for its packets.
  const encrypted = content.encryption === 'pgp-inline' || content.encryption === 'pgp-mime';
  const replayed =
    deps.replayedCiphertext && encrypted
      ? await replayedCiphertextWarning(
          { ...deps.replayedCiphertext, ledger: deps.ledger },
          raw,
          delivery.messageId,
        )
      : undefined;
  const checked = await checkSender({
    config: deps.config,
    crypto: deps.crypto,
    distributors: () => deps.distributors.list(),
    mail,
    delivery,
    content,
  });
  // Shown like the sender check's findings: a line in the copy, an event on the case.
  const senderCheck = replayed
    ? { ...checked, warnings: [...checked.warnings, replayed] }
    : checked;
  if (senderCheck.warnings.length)
    deps.log.warn('intake.sender-warning', {
      messageId: delivery.messageId,
      kinds: senderCheck.warnings.map((w) => w.kind),
    });
  return {
    delivery,
    // An encrypted report's real Subject is inside the encryption (RFC 9788).
    mail: withProtectedSubject(mail, content.protectedHeaders),
    sender: entry.sender,
    receivedAt: entry.receivedAt,
    content,
    senderCheck,
  };
}
