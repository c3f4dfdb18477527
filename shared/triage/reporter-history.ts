import type { CaseRecord } from '../cases/case-record';

/** A sender's earlier cases, as the maintainers' copy of their new report shows them. */
export interface EarlierCases {
  /** Newest first. */
  cases: CaseRecord[];
  /** Whether there are more than those read. */
  more: boolean;
}

/**
 * The cases each reporter address opened, so that the copy of a new report can show the
 * sender's history without reading every case (DynamoDB: one item per hashed address).
 * Written and read after the acknowledgment is handed over.
 */
export interface ReporterHistory {
  /**
   * Notes that the case's reporter opened it (doing it again changes nothing) and returns
   * their cases opened before it, newest first, at most `limit`.
   */
  recordAndRecall(record: CaseRecord, limit: number): Promise<EarlierCases>;
}

/** How many earlier cases the copy lists. */
export const HISTORY_SHOWN = 10;

/** How a case ended, or that it is open, in a few words. */
export function endingText(record: CaseRecord): string {
  if (record.status !== 'closed') return `open (${record.status})`;
  const ending = record.resolution ?? 'closed';
  const of = record.duplicateOf ? ` of ${record.duplicateOf}` : '';
  const why = record.resolutionReason ? `: ${record.resolutionReason}` : '';
  return `${ending}${of}${why}`;
}

/** The sender's history as lines of the copy: every earlier case, when, and how it ended. */
export function historyLines(address: string, earlier: EarlierCases): string[] {
  if (!earlier.cases.length) return [`Sender's history: no earlier case from ${address}`];
  const count = `${earlier.cases.length}${earlier.more ? '+' : ''}`;
  return [
    `Sender's history: ${count} earlier case${earlier.cases.length === 1 && !earlier.more ? '' : 's'} from ${address}`,
    ...earlier.cases.map((c) => `  ${c.id}  ${c.receivedAt.slice(0, 10)}  ${endingText(c)}`),
    ...(earlier.more ? [`  (only the newest ${earlier.cases.length} are listed)`] : []),
  ];
}
