export type KeyInspection =
  { usable: true; fingerprint: string; userIds: string[] } | { usable: false; problem: string };

/** OpenPGP operations on outbound mail, with the project key (openpgp in both runtimes). */
export interface MailCrypto {
  projectFingerprint(): Promise<string>;
  /** Whether a public key can be encrypted to, and its fingerprint. */
  inspectKey(armoredPublicKey: string): Promise<KeyInspection>;
  /**
   * Turns a rendered message into PGP/MIME, encrypted to one recipient and signed by the
   * project, its headers protected (RFC 9788): outside, the Subject is `outerSubject`.
   */
  encryptAndSign(
    rendered: Buffer,
    recipientPublicKey: string,
    outerSubject: string,
  ): Promise<Buffer>;
  /** Signs public text inline (cleartext signature) with the project key. */
  clearsign(text: string): Promise<string>;
}

/**
 * Whether text or bytes hold OpenPGP secret key material: an armored private key block, or a
 * binary export whose first packet is a secret key (RFC 9580 §5.5.3, tag 5). Checked before any
 * parsing, so that a secret key offered where a public key belongs is refused by what it is, and
 * never stored, bundled or logged.
 */
export function holdsSecretKey(content: string | Buffer): boolean {
  const text = typeof content === 'string' ? content : content.toString('latin1');
  if (text.includes('-----BEGIN PGP PRIVATE KEY BLOCK-----')) return true;
  const first = typeof content === 'string' ? content.charCodeAt(0) : content[0];
  if (first === undefined || !(first & 0x80)) return false;
  // New format: 0b11tttttt; old format: 0b10ttttll.
  const tag = first & 0x40 ? first & 0x3f : (first >> 2) & 0x0f;
  return tag === 5;
}

/**
 * Whether code or data (a bundle, a template) carries an armored secret key: the armor line
 * followed by key data (a run of base64), escaped or not. The armor line alone is not enough,
 * since OpenPGP libraries bundled into the code write it themselves.
 */
export function embedsArmoredSecretKey(text: string): boolean {
  return /-----BEGIN PGP PRIVATE KEY BLOCK-----[\s\S]{0,400}?[A-Za-z0-9+/]{60}/.test(text);
}

/** What to do instead, for every refusal of a secret key where a public key is expected. */
export const PUBLIC_KEY_EXPORT =
  'Export the public key instead with `gpg --export --armor <fingerprint>`, and keep the secret key out of the project folder.';
