import { randomBytes } from 'node:crypto';
import { EmbargoError } from '../errors';
import type { KeyInspection, MailCrypto } from './mail-crypto';
import { openpgp } from './openpgp-module';
import { openpgpSettings } from './openpgp-settings';
import { PublicKeyCache } from './public-key-cache';
import type { ProjectKey } from './project-key';

export class RecipientKeyError extends EmbargoError {}

const MAX_MEMOIZED_INSPECTIONS = 64;

async function inspect(armoredPublicKey: string): Promise<KeyInspection> {
  const { readKey } = await openpgp();
  try {
    const key = await readKey({ armoredKey: armoredPublicKey });
    await key.getEncryptionKey();
    return {
      usable: true,
      fingerprint: key.getFingerprint().toUpperCase(),
      userIds: key.getUserIDs(),
    };
  } catch (err) {
    return { usable: false, problem: (err as Error).message };
  }
}

/** Header lines of a rendered message, each with its folded continuation lines. */
function headerFields(headerText: string): string[] {
  return headerText.split(/\r?\n(?![ \t])/).filter(Boolean);
}

const CONTENT_FIELD = /^(content-[a-z-]+|mime-version):/i;

/**
 * RFC 3156 PGP/MIME: the rendered body and its Content-* headers become the encrypted inner
 * entity; addressing headers stay outside so mail can be routed and threaded.
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

  async encryptAndSign(rendered: Buffer, recipientPublicKey: string): Promise<Buffer> {
    const text = rendered.toString('latin1');
    const split = text.indexOf('\r\n\r\n');
    if (split === -1) throw new Error('rendered message has no header/body separator');
    const fields = headerFields(text.slice(0, split));
    const inner = `${fields.filter((f) => CONTENT_FIELD.test(f) && !/^mime-version:/i.test(f)).join('\r\n')}\r\n\r\n${text.slice(split + 4)}`;

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
        `The recipient's key cannot be used for encryption (${(err as Error).message}).`,
        'Replace it with a current key that has a valid encryption subkey.',
      );
    }
    const project = await this.projectKey();
    const armored = await encrypt({
      message: await createMessage({ binary: Buffer.from(inner, 'latin1') }),
      encryptionKeys: recipient,
      signingKeys: project.privateKey,
      format: 'armored',
      config: openpgpSettings,
    });
    const boundary = `embargo-${randomBytes(12).toString('hex')}`;
    const outer = [
      ...fields.filter((f) => !CONTENT_FIELD.test(f)),
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
