import { createHash } from 'node:crypto';
import type { InboundMail } from '../../mail/inbound-mail';
import type { InboundOutcome } from '../inbound-ledger';
import type { IntakeDependencies } from '../intake-dependencies';

/** Same sender and same Message-ID means the same mail, even if it was delivered twice. */
export function fingerprintOf(mail: InboundMail): string | undefined {
  if (!mail.from || !mail.messageIdHeader) return undefined;
  return createHash('sha256')
    .update(`${mail.from.address.toLowerCase()}\n${mail.messageIdHeader}`)
    .digest('hex');
}

/** Step 4: the same mail delivered again (another SES message id) is recorded as a duplicate. */
export async function deduplicate(
  deps: Pick<IntakeDependencies, 'ledger'>,
  mail: InboundMail,
  messageId: string,
): Promise<InboundOutcome | undefined> {
  const fingerprint = fingerprintOf(mail);
  if (!fingerprint) return undefined;
  const owner = await deps.ledger.claimFingerprint(fingerprint, messageId);
  return owner === messageId ? undefined : { kind: 'duplicate', duplicateOf: owner };
}
