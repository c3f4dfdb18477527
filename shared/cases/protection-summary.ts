import { singleLine } from '../mail/single-line';
import type { Protection } from './case-record';
import { decryptionFailureExplanations, type SignatureCheck } from '../reports/report-content';

const ENCRYPTION_TEXT: Record<Protection['encryption'], string> = {
  none: 'not encrypted',
  'pgp-inline': 'inline PGP',
  'pgp-mime': 'PGP/MIME',
  smime: 'S/MIME',
};

const PART_TEXT: Record<SignatureCheck['part'], string> = {
  'encrypted-payload': 'the encrypted content',
  'multipart-signed': 'the signed MIME part',
  'clearsigned-block': 'the clearsigned block only',
  'smime-signature': 'the S/MIME content',
};

export function describeSignature(s: SignatureCheck): string {
  if (s.part === 'smime-signature') {
    const by = s.certificateSubject
      ? ` by a certificate for ${singleLine(s.certificateSubject, 200)}`
      : '';
    return `S/MIME signature${by}: NOT CHECKED (${s.problem ?? 'not checked'})`;
  }
  const who = s.fingerprint ? `key ${s.fingerprint}` : `unknown key id ${s.keyId}`;
  const origin = s.keyOrigin === 'offered-in-message' ? ', a key offered in the same mail' : '';
  const state = s.verified ? 'VERIFIED' : `NOT VERIFIED (${s.problem ?? 'unknown problem'})`;
  const scope = s.partial ? ' (other parts of the mail are NOT signed)' : '';
  return `${PART_TEXT[s.part]}${scope} signed by ${who}${origin}: ${state}`;
}

/** One line each for encryption and signatures, for case views and maintainers' header blocks. */
export function describeProtection(p: Protection): string[] {
  const lines = [
    p.failure
      ? `${ENCRYPTION_TEXT[p.encryption]}, NOT DECRYPTED: ${decryptionFailureExplanations[p.failure]}`
      : p.encryption === 'none'
        ? 'not encrypted'
        : `${ENCRYPTION_TEXT[p.encryption]}, decrypted with the project key`,
  ];
  if (!p.signatures.length) lines.push('no signature (nothing in it is signed)');
  for (const s of p.signatures) lines.push(describeSignature(s));
  return lines;
}
