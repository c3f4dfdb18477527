import { createHmac } from 'node:crypto';
import { parseMail } from '../mail/parse-mail';
import { openpgp } from './openpgp-module';
import type { ProjectKey } from './project-key';

const ARMORED = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/g;
/** Enough for any real mail; a message with more blocks is fingerprinted by its first ones. */
const MAX_BLOCKS = 8;

/**
 * Recognises ciphertext Embargo has received before: for each OpenPGP message in a mail
 * (inline, PGP/MIME, `.pgp` attachments), an HMAC of its public-key encrypted session key
 * packets under a secret derived from the project key. Those packets are fresh for every
 * encryption, so the same packets in another mail mean the same ciphertext was sent again: the
 * REPLY attack ("Re: What's up Johnny?", Müller et al., ACNS 2019) re-sends a victim's
 * captured report as the attacker's own. Keyed, so the stored value says nothing about the
 * packets to whoever reads the table.
 */
export class CiphertextFingerprints {
  constructor(private readonly projectKey: () => Promise<ProjectKey>) {}

  async of(raw: Buffer): Promise<string[]> {
    const blocks = await ciphertextBlocks(raw);
    if (!blocks.length) return [];
    const { readMessage, enums } = await openpgp();
    const { fingerprintSecret } = await this.projectKey();
    const found = new Set<string>();
    for (const block of blocks) {
      const message = await (
        typeof block === 'string'
          ? readMessage({ armoredMessage: block })
          : readMessage({ binaryMessage: block })
      ).catch(() => undefined);
      const packets = message?.packets
        .filterByTag(enums.packet.publicKeyEncryptedSessionKey)
        .map((p) => Buffer.from(p.write()).toString('hex'))
        .sort();
      if (!packets?.length) continue;
      found.add(createHmac('sha256', fingerprintSecret).update(packets.join('\n')).digest('hex'));
    }
    return [...found];
  }
}

/** The OpenPGP messages of a mail, armored or binary, before anything is decrypted. */
async function ciphertextBlocks(raw: Buffer): Promise<(string | Uint8Array)[]> {
  const parsed = await parseMail(raw);
  const blocks: (string | Uint8Array)[] = [...(parsed.text ?? '').matchAll(ARMORED)].map(
    (m) => m[0],
  );
  for (const a of parsed.attachments) {
    const head = a.content.toString('latin1', 0, 4096);
    if (head.includes('-----BEGIN PGP MESSAGE-----'))
      blocks.push(...[...a.content.toString('latin1').matchAll(ARMORED)].map((m) => m[0]));
    // A binary OpenPGP packet starts with bit 7 set; .pgp/.gpg is how clients name such files.
    else if (/\.(pgp|gpg)$/i.test(a.filename ?? '') && ((a.content[0] ?? 0) & 0x80) !== 0)
      blocks.push(new Uint8Array(a.content));
  }
  return blocks.slice(0, MAX_BLOCKS);
}
