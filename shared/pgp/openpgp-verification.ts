import { createHash } from 'node:crypto';
import type { PartialConfig, PublicKey, verify } from 'openpgp';
import { openpgp } from './openpgp-module';
import { errorMessage } from '../errors';

/** openpgp's per-signature result (its type is not exported by name). */
export type VerificationResult = Awaited<ReturnType<typeof verify>>['signatures'][number];

/**
 * The keys a message is verified with. `offered` holds those that came with the message itself
 * (attached, Autocrypt): a signature by one proves only that the message is consistent with
 * itself, not who sent it. Passed along with each reading, never kept between messages.
 */
export interface VerifyingKeys {
  keys: PublicKey[];
  offered: ReadonlySet<PublicKey>;
}

/** What one OpenPGP signature says and whether it verified; which part it covers is the caller's. */
export interface SignerCheck {
  /** The signing key's id as the signature states it (16 hex digits). */
  keyId: string;
  /** Full fingerprint when the key is known. */
  fingerprint?: string;
  /** Where the verifying key came from (see VerifyingKeys). */
  keyOrigin?: 'known' | 'offered-in-message';
  verified: boolean;
  /** When the signer says it signed (ISO 8601). */
  created?: string;
  /** SHA-256 of the signature packet: the same signature seen again is a replay. */
  signatureId?: string;
  /** Why it did not verify, for people. */
  problem?: string;
}

/** Parses armored keys, skipping any that cannot be read. */
export async function readKnownKeys(
  armored: string[],
  read: (text: string) => Promise<PublicKey[]> = async (text) =>
    (await openpgp()).readKeys({ armoredKeys: text }),
): Promise<PublicKey[]> {
  const keys: PublicKey[] = [];
  for (const text of armored) {
    try {
      keys.push(...(await read(text)));
    } catch {
      // A broken key of a maintainer or reporter must not stop the report being read.
    }
  }
  return keys;
}

/** What each signature of a message says and whether it verified, for people and the case. */
export async function checkSignatures(
  results: VerificationResult[],
  verifying: VerifyingKeys,
): Promise<SignerCheck[]> {
  const checks: SignerCheck[] = [];
  for (const result of results) {
    const keyId = result.keyID.toHex().toUpperCase();
    const signer = verifying.keys.find((k) => k.getKeys(result.keyID).length > 0);
    const check: SignerCheck = {
      keyId,
      verified: false,
      ...(signer
        ? {
            fingerprint: signer.getFingerprint().toUpperCase(),
            keyOrigin: verifying.offered.has(signer) ? 'offered-in-message' : 'known',
          }
        : {}),
    };
    try {
      const signature = await result.signature;
      const created = signature.packets[0]?.created;
      if (created) check.created = created.toISOString();
      check.signatureId = createHash('sha256').update(signature.write()).digest('hex');
    } catch {
      // An unparseable signature is reported through `verified` below.
    }
    try {
      await result.verified;
      check.verified = true;
    } catch (err) {
      check.problem = signer
        ? `the signature does not match (${errorMessage(err)})`
        : 'signed by a key Embargo does not know';
    }
    checks.push(check);
  }
  return checks;
}

function unreadable(err: unknown): SignerCheck[] {
  const reason = err instanceof Error ? err.message : String(err);
  return [{ keyId: 'unknown', verified: false, problem: `unreadable signature (${reason})` }];
}

/** Verifies a detached signature (armored or binary) over exactly `signed`. */
export async function verifyDetached(
  signed: Buffer,
  signatureBody: Buffer,
  verifying: VerifyingKeys,
  config: PartialConfig,
): Promise<SignerCheck[]> {
  const { createMessage, readSignature, verify } = await openpgp();
  try {
    const text = signatureBody.toString('latin1');
    const signature = text.includes('-----BEGIN PGP SIGNATURE-----')
      ? await readSignature({ armoredSignature: text })
      : await readSignature({ binarySignature: signatureBody });
    const result = await verify({
      message: await createMessage({ binary: signed }),
      signature,
      verificationKeys: verifying.keys,
      config,
    });
    return await checkSignatures(result.signatures, verifying);
  } catch (err) {
    return unreadable(err);
  }
}

/** Verifies a cleartext-signed block (`-----BEGIN PGP SIGNED MESSAGE-----` to its signature). */
export async function verifyClearsigned(
  block: string,
  verifying: VerifyingKeys,
  config: PartialConfig,
): Promise<SignerCheck[]> {
  const { readCleartextMessage, verify } = await openpgp();
  try {
    const message = await readCleartextMessage({ cleartextMessage: block });
    const result = await verify({ message, verificationKeys: verifying.keys, config });
    return await checkSignatures(result.signatures, verifying);
  } catch (err) {
    return unreadable(err);
  }
}

/** The armored key an Autocrypt header's `keydata` carries, or undefined when it is unreadable. */
export async function autocryptKey(keydata: string): Promise<string | undefined> {
  const { readKey } = await openpgp();
  try {
    return (await readKey({ binaryKey: Buffer.from(keydata, 'base64') })).armor();
  } catch {
    return undefined;
  }
}
