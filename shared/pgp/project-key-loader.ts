import type { ProjectKeySource } from './project-key-source';
import { readProjectKey, type ProjectKey } from './project-key';

/**
 * How long a process keeps the project key before it reads the source again. After
 * `key import` (a new secret value in AWS), every warm Lambda container signs and decrypts with
 * the new key at the latest this long after the import, plus the invocation already running.
 * One GetSecretValue per container per five minutes costs nothing worth counting.
 */
export const PROJECT_KEY_REFRESH_MS = 5 * 60_000;

export interface ProjectKeyLoaderOptions {
  passphrase?: string;
  refreshAfterMs?: number;
  /** Milliseconds since the epoch (the real time: the simulated clock must not stretch this). */
  now?: () => number;
}

/**
 * Reads and unlocks the project key, and reads it again once it is older than
 * `refreshAfterMs`, so that a rotated key is used everywhere within that time. The key is
 * parsed again only when the armored text changed. A failed first read is not kept, so a fixed
 * secret is picked up by the next attempt; a failed re-read keeps the key in use and tries again
 * on the next call.
 */
export function projectKeyLoader(
  source: ProjectKeySource,
  options: ProjectKeyLoaderOptions = {},
): () => Promise<ProjectKey> {
  const refreshAfterMs = options.refreshAfterMs ?? PROJECT_KEY_REFRESH_MS;
  const now = options.now ?? (() => Date.now());
  let current: { armored: string; key: Promise<ProjectKey>; readAt: number } | undefined;
  let pending: Promise<ProjectKey> | undefined;

  async function read(): Promise<ProjectKey> {
    const readAt = now();
    const armored = await source.armoredPrivateKey();
    if (current && armored === current.armored) {
      current = { ...current, readAt };
      return current.key;
    }
    const key = readProjectKey(armored, options.passphrase);
    await key; // a key that does not unlock is not kept
    current = { armored, key, readAt };
    return key;
  }

  return () => {
    if (current && now() - current.readAt < refreshAfterMs) return current.key;
    const kept = current?.key;
    pending ??= read()
      .catch((err: unknown) => {
        if (kept) return kept;
        throw err;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
