import type { CaseRecord } from './case-record';

/**
 * What duplicate detection reads of an earlier case (shared/triage/possible-duplicates.ts), and
 * all a store returns for it: a new report is compared with every case, so reading whole cases
 * (histories, recipients) made intake slower with every case kept (docs/benchmarks.md).
 */
export const comparedCaseFields = [
  'id',
  'status',
  'resolution',
  'disclosedAt',
  'reportIndex',
  'notDuplicateOf',
] as const satisfies readonly (keyof CaseRecord)[];

export type ComparedCase = Pick<CaseRecord, (typeof comparedCaseFields)[number]>;
