/**
 * The mark that ties a draft advisory on GitHub to its case, so that a retried `/ghsa` finds
 * the draft an earlier attempt created (GitHub's API takes no idempotency key) instead of
 * creating a second. It is a Markdown comment at the end of the description: GitHub does not
 * render it. It holds the case id and an HMAC of it under a secret the case keeps
 * (`ghsaMarkKey`), so that nobody who can edit a draft (an invited collaborator) can write the
 * mark of another case, whose id is easy to guess (ids are sequential). The published advisory
 * goes out without it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CaseId } from '../cases/case-id';
import { truncate } from '../advisories/advisory-input';
import { DESCRIPTION_MAX } from './advisory-mapping';
import type { AdvisoryContent } from './repository-advisories';

/** A new secret for a case's mark: 256 random bits, hex. */
export function newMarkKey(): string {
  return randomBytes(32).toString('hex');
}

function markCode(caseId: CaseId, key: string): string {
  return createHmac('sha256', key).update(`embargo ghsa mark\0${caseId}`).digest('hex');
}

export function caseMarker(caseId: CaseId, key: string): string {
  return `<!-- embargo-case: ${caseId} ${markCode(caseId, key)} -->`;
}

/** The content as a draft gets it: the description ends with the case's mark. */
export function markedContent(
  content: AdvisoryContent,
  caseId: CaseId,
  key: string,
): AdvisoryContent {
  const marker = `\n\n${caseMarker(caseId, key)}`;
  const room = DESCRIPTION_MAX - Array.from(marker).length;
  return { ...content, description: `${truncate(content.description, room)}${marker}` };
}

/** Whether a draft's description ends with the case's mark (compared in constant time). */
export function isMarkedFor(description: string, caseId: CaseId, key: string): boolean {
  const expected = Buffer.from(caseMarker(caseId, key));
  const tail = Buffer.from(description.trimEnd()).subarray(-expected.length);
  return tail.length === expected.length && timingSafeEqual(tail, expected);
}
