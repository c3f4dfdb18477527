import type { CaseId } from '../domain/case-id';

/** Which case each mail Embargo sent belongs to, by Message-ID (DynamoDB in AWS). */
export interface ThreadIndex {
  recordSent(messageIdHeader: string, caseId: CaseId): Promise<void>;
  /** The case of the first of these Message-IDs that Embargo sent, if any. */
  findCase(messageIdHeaders: string[]): Promise<CaseId | undefined>;
}
