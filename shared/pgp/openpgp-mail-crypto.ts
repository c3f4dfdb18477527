import { randomBytes } from 'node:crypto';
import { EmbargoError, errorMessage } from '../errors';
import { holdsSecretKey, type KeyInspection, type MailCrypto } from './mail-crypto';
import { openpgp } from './openpgp-module';
import { openpgpSettings } from './openpgp-settings';
import { PublicKeyCache } from './public-key-cache';
import { protectHeaders } from '../mail/header-protection';
import type { ProjectKey } from './project-key';
import { verifyDetached } from './openpgp-verification';

export class RecipientKeyError extends EmbargoError {
  constructor(reason: string, action: string) {
    super('RECIPIENT_KEY_UNUSABLE', reason, action);
  }
}

const MAX_MEMOIZED_INSPECTIONS = 64;

const SECRET_KEY_PROBLEM =
  'it is a secret key, not a public key; export the public key with `gpg --export --armor <fingerprint>`';

async function inspect(armoredPublicKey: string): Promise<KeyInspection> {
  // A secret key would be stored and mailed around as if it were public: never accept one.
  if (holdsSecretKey(armoredPublicKey)) return { usable: false, problem: SECRET_KEY_PROBLEM };
  const { readKey } = await openpgp();
  try {
    const key = await readKey({ armoredKey: armoredPublicKey });
    if (key.isPrivate()) return { usable: false, problem: SECRET_KEY_PROBLEM };
    await key.getEncryptionKey();
    return {
      usable: true,
      fingerprint: key.getFingerprint().toUpperCase(),
      userIds: key.getUserIDs(),
    };
  } catch (err) {
    return { usable: false, problem: errorMessage(err) };
  }
}

/**
 * RFC 3156 PGP/MIME with RFC 9788 protected headers: the rendered body, its Content-* headers
 * and copies of Subject, From, To, Date and the threading fields become the encrypted inner
 * entity; addressing and threading headers stay outside so mail can be routed and threaded,
 * with a Subject of fixed words.
 */
export class OpenPgpMailCrypto implements MailCrypto {
  constructor(private readonly projectKey: () => Promise<ProjectKey>) {}

  async projectFingerprint(): Promise<string> {
    return (await this.projectKey()).fingerprint;
  }

  private readonly recipientKeys = new PublicKeyCache();

  /** Inspections by key text: maintainers' keys are checked for every mail, and never change. */
  private readonly inspections = new Map<string, Promise<KeyInspection>>();

  inspectKey(armoredPublicKey: string): Promise<KeyInspection> {
    let inspection = this.inspections.get(armoredPublicKey);
    if (!inspection) {
      inspection = inspect(armoredPublicKey);
      // Bounded, since senders offer keys too; per process, since expiry can change a verdict.
      if (this.inspections.size >= MAX_MEMOIZED_INSPECTIONS) {
        this.inspections.delete(this.inspections.keys().next().value as string);
      }
      this.inspections.set(armoredPublicKey, inspection);
    }
    return inspection;
  }

  async clearsign(text: string): Promise<string> {
    const { createCleartextMessage, sign } = await openpgp();
    const project = await this.projectKey();
    return sign({
      message: await createCleartextMessage({ text }),
      signingKeys: project.privateKey,
      config: openpgpSettings,
    });
  }

  /** An armored detached signature over `data` by the project key (CSAF's `.asc` files). */
  async detachSign(data: Buffer): Promise<string> {
    const { createMessage, sign } = await openpgp();
    const project = await this.projectKey();
    return sign({
      message: await createMessage({ binary: data }),
      signingKeys: project.privateKey,
      detached: true,
      format: 'armored',
      config: openpgpSettings,
    });
  }

  /** Whether `signature` is a valid detached signature over `data` by the project key. */
  async projectSigned(data: Buffer, signature: Buffer): Promise<boolean> {
    const project = await this.projectKey();
    const checks = await verifyDetached(
      data,
      signature,
      { keys: [project.publicKey], offered: new Set() },
      openpgpSettings,
    );
    return checks.some((c) => c.verified);
  }

  /** The project's public key, armored, and its fingerprint (for publishing beside signatures). */
  async projectPublicKey(): Promise<{ fingerprint: string; armored: string }> {
    const project = await this.projectKey();
    return { fingerprint: project.fingerprint, armored: project.armoredPublicKey };
  }

  async encryptAndSign(
    rendered: Buffer,
    recipientPublicKey: string,
    outerSubject: string,
  ): Promise<Buffer> {
    const { outerFields, payload } = protectHeaders(rendered, outerSubject);

    const { createMessage, encrypt } = await openpgp();
    let recipient;
    try {
      // The first key of the text, as openpgp's readKey takes it.
      const [first] = await this.recipientKeys.read(recipientPublicKey);
      if (!first) throw new Error('no key in the text');
      recipient = first;
      await recipient.getEncryptionKey();
    } catch (err) {
      throw new RecipientKeyError(
        `The recipient's key cannot be used for encryption (${errorMessage(err)}).`,
        'Replace it with a current key that has a valid encryption subkey.',
      );
    }
    const project = await this.projectKey();
    const armored = await encrypt({
      message: await createMessage({ binary: payload }),
      encryptionKeys: recipient,
      signingKeys: project.privateKey,
      format: 'armored',
      config: openpgpSettings,
    });
    const boundary = `embargo-${randomBytes(12).toString('hex')}`;
    const outer = [
      ...outerFields,
      'MIME-Version: 1.0',
      `Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="${boundary}"`,
      '',
      'This is an OpenPGP/MIME encrypted message (RFC 3156).',
      `--${boundary}`,
      'Content-Type: application/pgp-encrypted',
      'Content-Description: PGP/MIME version identification',
      '',
      'Version: 1',
      '',
      `--${boundary}`,
      'Content-Type: application/octet-stream; name="encrypted.asc"',
      'Content-Description: OpenPGP encrypted message',
      'Content-Disposition: inline; filename="encrypted.asc"',
      '',
      armored.trim().replace(/\r?\n/g, '\r\n'),
      `--${boundary}--`,
      '',
    ].join('\r\n');
    return Buffer.from(outer, 'latin1');
  }
}
