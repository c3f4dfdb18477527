import { readCaseId, type CaseId } from '../../shared/cases/case-id';
import { EmbargoError } from '../../shared/errors';

/** A case id as a person types it (`sec-2026-2` is SEC-2026-0002), or a usage error. */
export function caseIdArgument(text: string): CaseId {
  const caseId = readCaseId(text);
  if (!caseId)
    throw new EmbargoError(
      'USAGE',
      `"${text}" is not a case id.`,
      'Case ids look like SEC-2026-0001.',
    );
  return caseId;
}
