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
