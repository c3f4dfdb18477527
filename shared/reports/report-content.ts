import type { ProtectedHeaders } from '../mail/protected-headers';

/** Why a protected report could not be read. Each is told to maintainers; none reveals content. */
export type DecryptionFailure =
  | 'not-for-project-key'
  | 'corrupt'
  | 'no-integrity-protection'
  | 'unsupported'
  | 'too-large'
  | 'smime-encrypted';

export const decryptionFailureExplanations: Record<DecryptionFailure, string> = {
  'not-for-project-key': 'it is encrypted to a key other than the project key',
  corrupt: 'the encrypted data is damaged or was modified in transit',
  'no-integrity-protection':
    'it has no integrity protection (no MDC or AEAD), so it is refused rather than decrypted',
  unsupported: 'it uses an OpenPGP feature or algorithm Embargo does not support',
  'too-large': 'it is larger than Embargo decrypts',
  'smime-encrypted':
    'it is encrypted with S/MIME, and the project has an OpenPGP key only (no S/MIME certificate)',
};

/** Which part of the mail a signature covered: text outside that part is never called signed. */
export type SignedPart =
  | 'encrypted-payload'
  | 'multipart-signed'
  | 'clearsigned-block'
  /** S/MIME (opaque or detached): reported, never checked. */
  | 'smime-signature';

export interface SignatureCheck {
  part: SignedPart;
  /** The signing key's id as the signature states it (16 hex digits). */
  keyId: string;
  /** Full fingerprint when the key is known. */
  fingerprint?: string;
  /** For an S/MIME signature: whom its certificate names (unchecked, as the sender wrote it). */
  certificateSubject?: string;
  /**
   * Where the verifying key came from. A key offered in the same message proves only that the
   * message is consistent with itself, not who sent it.
   */
  keyOrigin?: 'known' | 'offered-in-message';
  verified: boolean;
  /** When the signer says it signed (ISO 8601). */
  created?: string;
  /** SHA-256 of the signature packet: the same signature seen again is a replay. */
  signatureId?: string;
  /** The signature covers one MIME part; other parts of the same mail are not signed. */
  partial?: true;
  /** Why it did not verify, for people. */
  problem?: string;
}

export interface ReportAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** A report's readable content after decryption and verification. Never logged. */
export interface ReportContent {
  encryption: 'none' | 'pgp-inline' | 'pgp-mime' | 'smime';
  failure?: DecryptionFailure;
  text: string;
  attachments: ReportAttachment[];
  signatures: SignatureCheck[];
  /** Armored public keys the sender offered (an application/pgp-keys attachment, Autocrypt). */
  offeredKeys: string[];
  /** Header fields the sender put inside the encryption (RFC 9788): the real Subject. */
  protectedHeaders?: ProtectedHeaders;
}
