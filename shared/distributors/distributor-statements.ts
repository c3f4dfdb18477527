import type { CaseRecord } from '../cases/case-record';
import type { DistributorStatus } from '../cases/case-recipient';

/**
 * What a distributor said, signed, about its own packages: `not-affected` or `fixed`, with the
 * version or package it named. For the advisory records (VEX per product); it names the
 * distributor, so whoever publishes it decides whether that may be public.
 */
export interface DistributorStatement {
  distributor: string;
  status: Exclude<DistributorStatus, 'affected'>;
  /** The version or package, as the distributor wrote it. */
  detail?: string;
  at: string;
}

export function distributorStatements(record: CaseRecord): DistributorStatement[] {
  return (record.recipients ?? []).flatMap((r) => {
    const status = r.status;
    if (!status || status.value === 'affected') return [];
    return [
      {
        distributor: r.name,
        status: status.value,
        ...(status.detail ? { detail: status.detail } : {}),
        at: status.at,
      },
    ];
  });
}
