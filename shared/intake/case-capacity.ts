import type { CaseRecord } from '../cases/case-record';

/** DynamoDB refuses an item over 400 KB, and a case is one item with its whole history. */
export const CASE_ITEM_LIMIT_BYTES = 400 * 1024;

/**
 * Beyond this size only mail from authenticated maintainers is added to a case. The rest of the
 * room is kept for their commands, the notices and the watch, so that a flood of follow-ups (a
 * From address and a case tag are enough to send one) cannot fill the case until nothing can
 * change it any more. A follow-up adds about 550 bytes, so this is some 500 follow-ups.
 */
export const OPEN_MAIL_BUDGET_BYTES = 300 * 1024;

/** The case's size as stored, over-estimated by its JSON (DynamoDB counts names and values). */
export function caseSizeBytes(record: CaseRecord): number {
  return Buffer.byteLength(JSON.stringify(record));
}

/** Whether mail from anyone but an authenticated maintainer may still be added to the case. */
export function acceptsOpenMail(record: CaseRecord): boolean {
  return caseSizeBytes(record) < OPEN_MAIL_BUDGET_BYTES;
}
