import type { SenderWarning } from '../reports/received-mail';
import type { CiphertextFingerprinter, CiphertextLedger } from './ciphertext-ledger';
import type { InboundLedger } from './inbound-ledger';

/**
 * A warning for the maintainers' copy (and the case history) when a mail carries ciphertext
 * Embargo received before in another message: the same encrypted session key packets. Checked
 * before anyone reads the copy, so that a replayed report (the REPLY attack) is recognised
 * before a maintainer answers it, quoting the victim's plaintext to the attacker.
 */
export async function replayedCiphertextWarning(
  deps: {
    fingerprints: CiphertextFingerprinter;
    ciphertexts: CiphertextLedger;
    ledger: Pick<InboundLedger, 'get'>;
  },
  raw: Buffer,
  messageId: string,
): Promise<SenderWarning | undefined> {
  const earlier = new Set<string>();
  for (const fingerprint of await deps.fingerprints.of(raw)) {
    const owner = await deps.ciphertexts.claim(fingerprint, messageId);
    if (owner !== messageId) earlier.add(owner);
  }
  if (!earlier.size) return undefined;
  const where = await Promise.all(
    [...earlier].map(async (id) => {
      const outcome = (await deps.ledger.get(id))?.outcome;
      return outcome && 'caseId' in outcome ? `${outcome.caseId} (message ${id})` : `message ${id}`;
    }),
  );
  return {
    kind: 'replayed-ciphertext',
    text: `This encrypted content was already received in ${where.join(', ')}: the same ciphertext, sent again. It may be a replayed report (someone re-sending another reporter's encrypted mail as their own, to get its plaintext quoted back): do not quote it in an answer before checking with whoever first sent it.`,
  };
}
