import type { Maintainer } from '../../config/embargo-config';
import { authenticateCommands } from '../../commands/command-authentication';
import type { ReceivedMail } from '../../reports/received-mail';
import type { IntakeDependencies } from '../intake-dependencies';

/**
 * Whether mail from a maintainer's address is really theirs: signed by their registered key
 * (or DKIM/DMARC-aligned where the configuration accepts that for commands), and not a replay
 * of a signature seen on another message. Only such mail skips the admission check; anyone
 * else writing from a maintainer's address is counted like any sender, after the check.
 */
export async function isMaintainerSigned(
  deps: Pick<IntakeDependencies, 'config' | 'crypto' | 'clock' | 'replays'>,
  received: ReceivedMail,
): Promise<boolean> {
  const sender = received.sender.toLowerCase();
  const maintainer = deps.config.maintainers.find((m) => m.email.toLowerCase() === sender);
  return maintainer ? isSignedByMaintainer(deps, maintainer, received) : false;
}

/**
 * Mail `maintainer`'s registered key signed (what may also carry commands), and not a replay:
 * its signature is claimed for this message, as the command handling does after it.
 */
export async function isSignedByMaintainer(
  deps: Pick<IntakeDependencies, 'config' | 'crypto' | 'clock' | 'replays'>,
  maintainer: Maintainer,
  received: ReceivedMail,
): Promise<boolean> {
  const auth = await authenticateCommands({
    config: deps.config,
    crypto: deps.crypto,
    maintainer,
    content: received.content,
    delivery: received.delivery,
    now: deps.clock.now(),
  });
  if (!auth.ok) return false;
  const signatureId = auth.signature?.signatureId;
  if (!signatureId) return true;
  const messageId = received.delivery.messageId;
  return (await deps.replays.claimSignature(signatureId, messageId)) === messageId;
}
