/** The ciphertext fingerprints Embargo has seen (pgp/ciphertext-fingerprints.ts), in the case table. */
export interface CiphertextLedger {
  /** Claims a fingerprint for a delivery; returns the message id that owns it (first sight wins). */
  claim(fingerprint: string, messageId: string): Promise<string>;
}

/** What fingerprints a mail's ciphertext (the project key's secret is behind it). */
export interface CiphertextFingerprinter {
  of(raw: Buffer): Promise<string[]>;
}
