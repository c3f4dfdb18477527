import type { ProjectKeySource } from './project-key-source';
import { readProjectKey, type ProjectKey } from './project-key';

/**
 * Reads and unlocks the project key once per process (a Lambda container, the local runtime).
 * A failed read is not cached, so a fixed secret is picked up by the next attempt.
 */
export function projectKeyLoader(
  source: ProjectKeySource,
  passphrase?: string,
): () => Promise<ProjectKey> {
  let pending: Promise<ProjectKey> | undefined;
  return () => {
    pending ??= source
      .armoredPrivateKey()
      .then((armored) => readProjectKey(armored, passphrase))
      .catch((err: unknown) => {
        pending = undefined;
        throw err;
      });
    return pending;
  };
}
