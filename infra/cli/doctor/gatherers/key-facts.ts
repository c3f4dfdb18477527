import type { Maintainer } from '../../../../shared/config/embargo-config';
import type { MailCrypto } from '../../../../shared/pgp/mail-crypto';
import { readProjectKey } from '../../../../shared/pgp/project-key';
import type { ProjectKeySource } from '../../../../shared/pgp/project-key-source';
import {
  found,
  type Gathered,
  type MaintainerKeyFacts,
  notGathered,
  type ProjectKeyFacts,
} from '../doctor-facts';
import { awsProblem } from './aws-problem';
import { errorMessage, EmbargoError } from '../../../../shared/errors';

/**
 * The project key as the Lambdas read it (the same source and checks: readable, no passphrase,
 * able to sign and decrypt). A key that fails those is a fact about the key; a secret that
 * cannot be read at all (access, network) is a failure to look.
 */
export async function gatherProjectKey(
  source: ProjectKeySource,
): Promise<Gathered<ProjectKeyFacts>> {
  let armored: string;
  try {
    armored = await source.armoredPrivateKey();
  } catch (err) {
    // The source's own refusal (no PGP block in the secret) is about the key, not the call.
    if (err instanceof EmbargoError) return found({ readable: false, problem: err.message });
    return notGathered(awsProblem('secretsmanager:GetSecretValue', err));
  }
  try {
    const key = await readProjectKey(armored);
    return found({ readable: true, fingerprint: key.fingerprint, userIds: key.userIds });
  } catch (err) {
    return found({ readable: false, problem: errorMessage(err) });
  }
}

/** Each maintainer's configured public key, inspected as outbound mail inspects it. */
export async function gatherMaintainerKeys(
  maintainers: readonly Maintainer[],
  crypto: Pick<MailCrypto, 'inspectKey'>,
): Promise<MaintainerKeyFacts[]> {
  return Promise.all(
    maintainers.map(async (m) => ({
      name: m.name,
      email: m.email,
      inspection: m.publicKeyArmored ? await crypto.inspectKey(m.publicKeyArmored) : undefined,
    })),
  );
}
