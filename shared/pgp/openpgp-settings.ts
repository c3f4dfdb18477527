import type { PartialConfig } from 'openpgp';

/** Reports larger than this, encrypted or decompressed, are not decrypted. */
export const MAX_DECRYPTED_BYTES = 50 * 1024 * 1024;

/**
 * Refuse unauthenticated ciphertext (no MDC/AEAD: decrypting it is an oracle for EFAIL-style
 * attacks), bound decompression, and encrypt in a form GnuPG 2.2 reads (SEIPDv1, not AEAD).
 */
export const openpgpSettings: PartialConfig = {
  allowUnauthenticatedMessages: false,
  allowUnauthenticatedStream: false,
  maxDecompressedMessageSize: MAX_DECRYPTED_BYTES,
  aeadProtect: false,
};
