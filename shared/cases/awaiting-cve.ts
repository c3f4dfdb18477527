import type { CaseRecord } from './case-record';

/**
 * Whether a case waits for the CVE id it asked GitHub for (`/cve request`): the cases
 * `CaseRepository.listAwaitingCve` returns. The rule sits with the port, so a store only keeps
 * the list it defines and decides nothing about GitHub itself.
 */
export function awaitsCveId(record: Pick<CaseRecord, 'ghsa' | 'cve'>): boolean {
  return Boolean(record.ghsa?.cveRequestedAt) && !record.cve;
}
