import { listUserIds, userIdsName } from '../addresses/user-id-address';
import type { KeyInspection } from '../pgp/mail-crypto';
import { ConfigError } from './config-error';
import type { EmbargoConfig, Maintainer } from './embargo-config';

export interface MaintainerKeyCheck {
  /** Each stops start-up and synth: this maintainer would silently get no copies. */
  problems: string[];
  /** Worth saying, not worth stopping for. */
  warnings: string[];
}

const who = (m: Maintainer) => `maintainer ${m.name} <${m.email}>`;

const optOut = (m: Maintainer) =>
  `or set "encryptedMail": false in ${m.name}'s entry if ${m.name} takes no encrypted mail`;

/**
 * Every maintainer gets each report encrypted to their key alone, so a maintainer whose key
 * is missing or unusable would get nothing. That is refused before anything runs, unless the
 * entry says on purpose that this maintainer takes no encrypted mail (`"encryptedMail": false`).
 */
export async function checkMaintainerKeys(
  config: EmbargoConfig,
  inspect: (armoredPublicKey: string) => Promise<KeyInspection>,
): Promise<MaintainerKeyCheck> {
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const m of config.maintainers) {
    if (m.encryptedMail === false) continue;
    if (!m.publicKeyArmored) {
      problems.push(
        `${who(m)} has no public key: set "publicKeyFile" to the file with their armored public key, ${optOut(m)}`,
      );
      continue;
    }
    const inspection = await inspect(m.publicKeyArmored);
    if (!inspection.usable) {
      problems.push(
        `${who(m)}: the key in "publicKeyFile" cannot be used for encryption (${inspection.problem}); ask ${m.name} for a current public key with an encryption subkey, ${optOut(m)}`,
      );
    } else if (!userIdsName(inspection.userIds, m.email)) {
      warnings.push(
        `${who(m)}: no user id of the key names ${m.email} (it has ${listUserIds(inspection.userIds)}); Embargo encrypts to it anyway, but check that it is ${m.name}'s key`,
      );
    }
  }
  return { problems, warnings };
}

/** `checkMaintainerKeys`, throwing its problems as one ConfigError; returns the warnings. */
export async function requireMaintainerKeys(
  config: EmbargoConfig,
  inspect: (armoredPublicKey: string) => Promise<KeyInspection>,
  /** The file the configuration came from, named in the error. */
  source = 'the configuration',
): Promise<string[]> {
  const { problems, warnings } = await checkMaintainerKeys(config, inspect);
  if (problems.length) throw new ConfigError(`${source} ("maintainers")`, problems);
  return warnings;
}
