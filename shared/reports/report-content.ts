import type { ProtectedHeaders } from '../mail/protected-headers';
import type { OpenPgpFailure } from '../pgp/openpgp-decryption';
import type { SignerCheck } from '../pgp/openpgp-verification';

/** Why a protected report could not be read. Each is told to maintainers; none reveals content. */
export type DecryptionFailure = OpenPgpFailure | 'smime-encrypted';

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

export interface SignatureCheck extends SignerCheck {
  part: SignedPart;
  /** For an S/MIME signature: whom its certificate names (unchecked, as the sender wrote it). */
  certificateSubject?: string;
  /** The signature covers one MIME part; other parts of the same mail are not signed. */
  partial?: true;
}

/**
 * A stretch of a report's text with the signatures whose signed bytes hold all of it. Text
 * beside an inline signed block (before it, after it, in another text part) is a segment of its
 * own with no signatures: a signature covers what it signs and nothing beside it.
 */
export interface TextSegment {
  text: string;
  /** The same objects as in ReportContent.signatures; empty when nothing signs this text. */
  signatures: SignatureCheck[];
  /** For a clearsigned block: the text it signs (armor removed, dash-escaping undone). */
  signedText?: string;
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
  /** `text` in order, split where what signs it changes: the segments' texts joined are `text`. */
  segments: TextSegment[];
  attachments: ReportAttachment[];
  signatures: SignatureCheck[];
  /** Armored public keys the sender offered (an application/pgp-keys attachment, Autocrypt). */
  offeredKeys: string[];
  /** Header fields the sender put inside the encryption (RFC 9788): the real Subject. */
  protectedHeaders?: ProtectedHeaders;
}
