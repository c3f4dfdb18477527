/** Human case ids: `SEC-<year>-<4-digit sequence>`, e.g. SEC-2026-0001. */
export type CaseId = string & { readonly __brand: 'CaseId' };

const CASE_ID = /^SEC-(\d{4})-(\d{4,})$/;

export function formatCaseId(year: number, sequence: number): CaseId {
  if (!Number.isInteger(sequence) || sequence < 1) {
    throw new RangeError(`case sequence must be a positive integer, got ${sequence}`);
  }
  return `SEC-${year}-${String(sequence).padStart(4, '0')}` as CaseId;
}

export function parseCaseId(text: string): CaseId | undefined {
  const match = CASE_ID.exec(text.trim().toUpperCase());
  return match ? (match[0] as CaseId) : undefined;
}

/**
 * A case id as a person types it on the command line: any case, and the sequence without its
 * leading zeros (`sec-2026-2` is SEC-2026-0002). Mail keeps to the exact form (parseCaseId).
 */
export function readCaseId(text: string): CaseId | undefined {
  const match = /^SEC-(\d{4})-(\d+)$/.exec(text.trim().toUpperCase());
  const sequence = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(sequence) || sequence < 1) return undefined;
  return formatCaseId(Number(match[1]), sequence);
}

/** The tag every mail about a case carries in its subject. */
export function caseSubjectTag(id: CaseId): string {
  return `[${id}]`;
}
