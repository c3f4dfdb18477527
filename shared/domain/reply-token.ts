import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** 130 random bits in lower-case base32: unguessable, and safe in an address's local part. */
export function newReplyToken(): string {
  const bytes = randomBytes(26);
  let token = '';
  for (const byte of bytes) token += ALPHABET[byte & 31];
  return token;
}

export function looksLikeReplyToken(text: string): boolean {
  return /^[a-z2-7]{26}$/.test(text);
}
