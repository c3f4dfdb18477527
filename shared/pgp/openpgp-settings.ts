import type { PartialConfig, enums } from 'openpgp';

/** RFC 9580 hash algorithm ids (openpgp's enums are in its ESM module, loaded later). */
const HASH = { md5: 1, sha1: 2, ripemd: 3 } as {
  md5: enums.hash;
  sha1: enums.hash;
  ripemd: enums.hash;
};

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
  // Stated here rather than left to the library's defaults: a signature over MD5, RIPEMD-160 or
  // SHA-1 (collisions are practical) never counts, whatever a later openpgp release defaults to.
  rejectHashAlgorithms: new Set([HASH.md5, HASH.ripemd]),
  rejectMessageHashAlgorithms: new Set([HASH.md5, HASH.ripemd, HASH.sha1]),
};
