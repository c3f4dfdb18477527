import type { InboundOutcome } from '../inbound-ledger';
import type { IntakeDependencies } from '../intake-dependencies';
import { admit, isExemptSender, type Arrival } from './admit';
import { deduplicate, fingerprintOf } from './deduplicate';

/**
 * Steps 3 and 4 together: the admission counts (unless the sender is exempt, or a maintainer's
 * address, counted after its signature) and the duplicate check. Their common case, every count
 * under its limit and the mail not seen before, is one write (a DynamoDB transaction, so one
 * request before the acknowledgment instead of three: docs/intake.md); anything else, a retry
 * included, takes them one at a time, each deciding as before.
 */
export async function admitAndDeduplicate(
  deps: Pick<IntakeDependencies, 'config' | 'clock' | 'log' | 'flood' | 'ledger'>,
  arrival: Arrival,
  countedAfterSignature: boolean,
): Promise<InboundOutcome | undefined> {
  const { delivery, mail, sender, category } = arrival;
  const exempt = countedAfterSignature || isExemptSender(deps, arrival);
  const fingerprint = fingerprintOf(mail);
  if (!exempt && fingerprint) {
    const claim = { fingerprint, messageId: delivery.messageId };
    if (await deps.flood.admission.admitAndClaim(sender, category, claim, deps.clock.now()))
      return undefined;
  }
  const flood = await admit(deps, arrival, exempt);
  if (flood) return flood;
  return deduplicate(deps, mail, delivery.messageId);
}
