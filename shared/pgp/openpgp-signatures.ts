import { createHash } from 'node:crypto';
import type { PublicKey, verify } from 'openpgp';
import type { SignatureCheck, SignedPart } from '../reports/report-content';
import { multipartParts, readEntity, type MimeEntity } from '../mail/mime-entity';
import { openpgp } from './openpgp-module';
import { isSmimeSigned } from '../smime/smime-parts';
import { errorMessage } from '../errors';

/** openpgp's per-signature result (its type is not exported by name). */
export type VerificationResult = Awaited<ReturnType<typeof verify>>['signatures'][number];

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

/** Keys that are only offered in the message under examination carry this mark. */
export const offeredInMessage = new WeakSet<PublicKey>();

/** What each signature of a message says and whether it verified, for people and the case. */
export async function checkSignatures(
  results: VerificationResult[],
  part: SignedPart,
  known: PublicKey[],
): Promise<SignatureCheck[]> {
  const checks: SignatureCheck[] = [];
  for (const result of results) {
    const keyId = result.keyID.toHex().toUpperCase();
    const signer = known.find((k) => k.getKeys(result.keyID).length > 0);
    const check: SignatureCheck = {
      part,
      keyId,
      verified: false,
      ...(signer
        ? {
            fingerprint: signer.getFingerprint().toUpperCase(),
            keyOrigin: offeredInMessage.has(signer) ? 'offered-in-message' : 'known',
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

const MAX_MIME_DEPTH = 16;

/**
 * multipart/signed entities below the top level, e.g. a signed part with an unsigned part added
 * after it. Their signatures cover that part only.
 */
export function nestedSignedParts(entity: MimeEntity, depth = 0): [Buffer, Buffer][] {
  if (depth > MAX_MIME_DEPTH) return [];
  const found: [Buffer, Buffer][] = [];
  for (const part of multipartParts(entity) ?? []) {
    const child = readEntity(part);
    // S/MIME signatures are not OpenPGP ones: reported by the reader, not checked here.
    if (child.contentType.value === 'multipart/signed' && isSmimeSigned(child)) continue;
    if (child.contentType.value === 'multipart/signed') {
      const [signed, signature] = multipartParts(child) ?? [];
      if (signed && signature) found.push([signed, readEntity(signature).body]);
    } else {
      found.push(...nestedSignedParts(child, depth + 1));
    }
  }
  return found;
}
