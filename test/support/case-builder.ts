import type { CaseId } from '../../shared/cases/case-id';
import type { CaseRecord } from '../../shared/cases/case-record';

const DAY = 86_400_000;

/** A minimal open case, as intake would have stored it, with `fields` on top. */
export function caseRecord(id: string, fields: Partial<CaseRecord> = {}): CaseRecord {
  const now = new Date();
  return {
    id: id as CaseId,
    status: 'triaged',
    reporter: { address: 'alice@example.net' },
    subject: 'x',
    receivedAt: now.toISOString(),
    ackDueAt: new Date(now.getTime() + 2 * DAY).toISOString(),
    reportMessageId: `m-${id}`,
    reporterReplyToken: 'abcdefghijklmnopqrstuvwxyz',
    protection: { encryption: 'none', signatures: [] },
    version: 1,
    history: [
      { id: 'opened', at: now.toISOString(), type: 'opened', actor: 'x', summary: 'opened' },
    ],
    ...fields,
  };
}
