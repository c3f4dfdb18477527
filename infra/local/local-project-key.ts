import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import {
  generateProjectKeyArmored,
  readProjectKey,
  type ProjectKey,
} from '../../shared/pgp/project-key';

export function localKeyPaths(dataDir: string) {
  const dir = join(dataDir, 'keys');
  return {
    dir,
    privateKey: join(dir, 'security-private.asc'),
    publicKey: join(dir, 'security-public.asc'),
  };
}

/** Stores an unlocked project key for local mode: owner-only file, public half beside it. */
export async function saveLocalProjectKey(dataDir: string, key: ProjectKey): Promise<void> {
  const paths = localKeyPaths(dataDir);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  await writeFile(paths.privateKey, key.privateKey.armor(), { mode: 0o600 });
  await chmod(paths.privateKey, 0o600);
  await writeFile(paths.publicKey, key.armoredPublicKey);
}

/** On first start there is no key: make one for the security address. */
export async function ensureLocalProjectKey(
  dataDir: string,
  config: EmbargoConfig,
): Promise<{ generated: boolean; key: ProjectKey }> {
  const paths = localKeyPaths(dataDir);
  if (existsSync(paths.privateKey)) {
    return {
      generated: false,
      key: await readProjectKey(await readFile(paths.privateKey, 'utf8')),
    };
  }
  const key = await readProjectKey(
    await generateProjectKeyArmored(`${config.project} security team`, config.securityAddress),
  );
  await saveLocalProjectKey(dataDir, key);
  return { generated: true, key };
}
