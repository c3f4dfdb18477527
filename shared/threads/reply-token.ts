import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parseCaseId, type CaseId } from '../cases/case-id';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** 130 random bits in lower-case base32: unguessable, and safe in an address's local part. */
function randomPart(): string {
  const bytes = randomBytes(26);
  let token = '';
  for (const byte of bytes) token += ALPHABET[byte & 31];
  return token;
}

/**
 * A reply token for a party of a case: the case id, then 130 random bits. The case id lets a
 * reply find its case with one read of the case, which holds every token it issued, so no
 * separate token item has to be written before a mail carrying the token goes out.
 */
export function newReplyToken(caseId: CaseId): string {
  return `${caseId.toLowerCase()}-${randomPart()}`;
}

const CASE_TOKEN = /^(sec-\d{4}-\d{4,})-[a-z2-7]{26}$/;
/** Tokens made before they named their case; each has its own item in the table. */
const LEGACY_TOKEN = /^[a-z2-7]{26}$/;

export function looksLikeReplyToken(text: string): boolean {
  return CASE_TOKEN.test(text) || LEGACY_TOKEN.test(text);
}

/** The case a token names, for tokens that name one (the token itself is checked on the case). */
export function caseOfReplyToken(token: string): CaseId | undefined {
  const match = CASE_TOKEN.exec(token);
  return match ? parseCaseId(match[1]!) : undefined;
}

export function isLegacyReplyToken(token: string): boolean {
  return LEGACY_TOKEN.test(token);
}

/** Compares in constant time, so response timing does not reveal how much of a guess was right. */
export function sameToken(a: string, b: string | undefined): boolean {
  if (b === undefined || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
