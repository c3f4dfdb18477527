import type { Message, PartialConfig } from 'openpgp';
import { openpgp } from './openpgp-module';
import { checkSignatures, type SignerCheck, type VerifyingKeys } from './openpgp-verification';
import type { ProjectKey } from './project-key';

/** Why OpenPGP ciphertext could not be read. None reveals anything of the content. */
export type OpenPgpFailure =
  'not-for-project-key' | 'corrupt' | 'no-integrity-protection' | 'unsupported' | 'too-large';

export class OpenPgpDecryptionFailed extends Error {
  constructor(readonly failure: OpenPgpFailure) {
    super(failure);
  }
}

function failureFrom(err: unknown): OpenPgpFailure {
  const message = err instanceof Error ? err.message : String(err);
  if (/not authenticated|unauthenticated/i.test(message)) return 'no-integrity-protection';
  if (/decompress.*(size|exceed)|too large|maximum/i.test(message)) return 'too-large';
  if (
    /unsupported|unknown (algorithm|packet)|not implemented|invalid enum|non-preferred/i.test(
      message,
    )
  ) {
    return 'unsupported';
  }
  return 'corrupt';
}

/**
 * Decrypts OpenPGP ciphertext (armored or binary) with the project key and checks the signatures
 * inside it. Throws OpenPgpDecryptionFailed with the reason when it cannot.
 */
export async function decryptOpenPgp(
  ciphertext: Buffer,
  input: {
    projectKey: ProjectKey;
    verifying: VerifyingKeys;
    config: PartialConfig;
    maxBytes: number;
  },
): Promise<{ data: Uint8Array; signers: SignerCheck[] }> {
  if (ciphertext.length > input.maxBytes) throw new OpenPgpDecryptionFailed('too-large');
  const { decrypt, readMessage } = await openpgp();
  let message: Message<Uint8Array>;
  try {
    const text = ciphertext.toString('latin1');
    message = text.includes('-----BEGIN PGP MESSAGE-----')
      ? ((await readMessage({ armoredMessage: text, config: input.config })) as Message<Uint8Array>)
      : await readMessage({ binaryMessage: ciphertext, config: input.config });
  } catch (err) {
    throw new OpenPgpDecryptionFailed(failureFrom(err));
  }
  const ours = (await input.projectKey.privateKey.getDecryptionKeys()).map((k) => k.getKeyID());
  const addressed = message.getEncryptionKeyIDs();
  if (!addressed.some((id) => ours.some((o) => o.equals(id, true)))) {
    throw new OpenPgpDecryptionFailed(addressed.length ? 'not-for-project-key' : 'unsupported');
  }
  try {
    const result = await decrypt({
      message,
      decryptionKeys: input.projectKey.privateKey,
      verificationKeys: input.verifying.keys,
      format: 'binary',
      config: input.config,
    });
    return {
      data: result.data,
      signers: await checkSignatures(result.signatures, input.verifying),
    };
  } catch (err) {
    if (err instanceof OpenPgpDecryptionFailed) throw err;
    throw new OpenPgpDecryptionFailed(failureFrom(err));
  }
}
