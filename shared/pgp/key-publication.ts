import { createHash } from 'node:crypto';
import { splitAddress } from '../addresses/security-address';
import { EmbargoError } from '../errors';

const ZBASE32 = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** z-base-32 (as GnuPG's Web Key Directory uses it), most significant bit first. */
export function zbase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ZBASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ZBASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The WKD file name for an address: z-base-32 of SHA-1 of the lower-cased local part. */
export function wkdHash(address: string): string {
  const parts = splitAddress(address);
  if (!parts)
    throw new EmbargoError(
      'ADDRESS_INVALID',
      `${address} is not an email address, so it has no WKD file name.`,
      'Give the security address as configured (local@domain).',
    );
  return zbase32(createHash('sha1').update(parts.local.toLowerCase()).digest());
}

/** RFC 9116 security.txt naming the security address and where its key is published. */
export function securityTxt(input: {
  securityAddress: string;
  keyUrl: string;
  canonicalUrl: string;
  expires: Date;
}): string {
  return [
    `Contact: mailto:${input.securityAddress}`,
    `Encryption: ${input.keyUrl}`,
    `Expires: ${input.expires.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    'Preferred-Languages: en',
    `Canonical: ${input.canonicalUrl}`,
    '',
  ].join('\n');
}
