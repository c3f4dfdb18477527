import type { PrivateKey, PublicKey } from 'openpgp';
import { EmbargoError, errorMessage } from '../errors';
import { openpgp } from './openpgp-module';
import { createHash } from 'node:crypto';

/** The project's OpenPGP identity: what reporters encrypt to and what signs outbound mail. */
export interface ProjectKey {
  privateKey: PrivateKey;
  publicKey: PublicKey;
  fingerprint: string;
  userIds: string[];
  armoredPublicKey: string;
  /**
   * A secret derived from the private key (never the key itself): the HMAC key that recognises
   * ciphertext received before (ciphertext-fingerprints.ts).
   */
  fingerprintSecret: Buffer;
}

/** The project key cannot be used as it is; the code says why (unreadable, locked). */
export class ProjectKeyError extends EmbargoError {
  constructor(code: 'PROJECT_KEY_UNUSABLE' | 'PROJECT_KEY_LOCKED', reason: string, action: string) {
    super(code, reason, action);
  }
}

/** Curve25519 in the v4 format GnuPG 2.2 reads; no passphrase (the store protects it). */
export async function generateProjectKeyArmored(name: string, email: string): Promise<string> {
  const { generateKey } = await openpgp();
  const { privateKey } = await generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name, email }],
    format: 'armored',
  });
  return privateKey;
}

/** Reads an armored private key, unlocking it with the passphrase if it has one. */
export async function readProjectKey(armored: string, passphrase?: string): Promise<ProjectKey> {
  const { decryptKey, readPrivateKey } = await openpgp();
  let key: PrivateKey;
  try {
    key = await readPrivateKey({ armoredKey: armored });
  } catch (err) {
    throw new ProjectKeyError(
      'PROJECT_KEY_UNUSABLE',
      `The project key is not a readable OpenPGP private key (${errorMessage(err)}).`,
      'Export it with `gpg --armor --export-secret-keys <fingerprint>` and import that file.',
    );
  }
  if (!key.isDecrypted()) {
    if (passphrase === undefined) {
      throw new ProjectKeyError(
        'PROJECT_KEY_LOCKED',
        'The project key is protected by a passphrase.',
        'Set EMBARGO_KEY_PASSPHRASE or enter it at the prompt.',
      );
    }
    try {
      key = await decryptKey({ privateKey: key, passphrase });
    } catch {
      throw new ProjectKeyError(
        'PROJECT_KEY_LOCKED',
        'The passphrase does not unlock the project key.',
        'Check it and try again.',
      );
    }
  }
  try {
    await key.getDecryptionKeys();
    await key.getSigningKey();
    await key.getEncryptionKey();
  } catch (err) {
    throw new ProjectKeyError(
      'PROJECT_KEY_UNUSABLE',
      `The project key cannot both sign and decrypt (${errorMessage(err)}).`,
      'Use a key with a signing-capable primary key and a valid encryption subkey.',
    );
  }
  const publicKey = key.toPublic();
  return {
    privateKey: key,
    publicKey,
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
    armoredPublicKey: publicKey.armor(),
    fingerprintSecret: createHash('sha256')
      .update('embargo ciphertext fingerprints\0')
      .update(armored)
      .digest(),
  };
}
