/**
 * The mark that ties a draft advisory on GitHub to its case, so that a retried `/ghsa` finds
 * the draft an earlier attempt created (GitHub's API takes no idempotency key) instead of
 * creating a second. It is a Markdown comment at the end of the description: GitHub does not
 * render it, and it holds only the case id, which the draft's readers (the repository's
 * maintainers and invited collaborators) have in every mail about the case anyway. The
 * published advisory goes out without it.
 */
import type { CaseId } from '../cases/case-id';
import { truncate } from '../advisories/advisory-input';
import { DESCRIPTION_MAX } from './advisory-mapping';
import type { AdvisoryContent } from './repository-advisories';

export function caseMarker(caseId: CaseId): string {
  return `<!-- embargo-case: ${caseId} -->`;
}

/** The content as a draft gets it: the description ends with the case's mark. */
export function markedContent(content: AdvisoryContent, caseId: CaseId): AdvisoryContent {
  const marker = `\n\n${caseMarker(caseId)}`;
  const room = DESCRIPTION_MAX - Array.from(marker).length;
  return { ...content, description: `${truncate(content.description, room)}${marker}` };
}

/** Whether a draft's description carries the case's mark. */
export function isMarkedFor(description: string, caseId: CaseId): boolean {
  return description.trimEnd().endsWith(caseMarker(caseId));
}
