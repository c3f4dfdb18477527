import type { CaseRecord } from '../cases/case-record';
import { errorMessage } from '../errors';
import { HISTORY_SHOWN, historyLines } from '../triage/reporter-history';
import { triageLines } from '../triage/triage-findings';
import type { IntakeDependencies } from './intake-dependencies';

/**
 * What the maintainers' copy of a new report says about it beyond its text: what triage found
 * (shared/triage) and the sender's earlier cases. A history that cannot be read is said so:
 * the copy does not wait for it.
 */
export async function triageNote(
  deps: Pick<IntakeDependencies, 'config' | 'log' | 'reporterHistory'>,
  record: CaseRecord,
): Promise<string | undefined> {
  const lines = triageLines(record.triage, deps.config);
  const history = deps.reporterHistory;
  // A refused From header names nobody: there is no sender to look up.
  if (history && !record.reporterAddressProblem) {
    try {
      const earlier = await history.recordAndRecall(record, HISTORY_SHOWN);
      lines.push(...historyLines(record.reporter.address, earlier));
    } catch (err) {
      deps.log.warn('intake.history-unreadable', { caseId: record.id, error: errorMessage(err) });
      lines.push(`Sender's history: could not be read (${errorMessage(err)})`);
    }
  }
  return lines.length ? lines.join('\n') : undefined;
}
